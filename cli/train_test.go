package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Flags that only make sense for a CSV file are refused on built-in data
// (--task regression on iris must not silently train a classifier), and a
// missing value says which flag drops it.
func TestCLITrainFlagMistakes(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "na.csv")
	if err := os.WriteFile(csv, []byte("a,b,y\n1,2,3\nNA,2,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"task on iris", []string{"--data", "iris", "--task", "regression"}, "--task applies to CSV files only; iris is a built-in classification dataset"},
		{"target on synthetic", []string{"--data", "spiral?n=100", "--target", "x1"}, "--target applies to CSV files only; spiral"},
		{"drop-missing on builtin", []string{"--data", "diabetes", "--drop-missing"}, "--drop-missing applies to CSV files only"},
		{"missing value names the flag", []string{"--data", csv}, "can be dropped instead with --drop-missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			r := runWB(t, "", append([]string{"train", "--epochs", "1", "--home", home}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Fatalf("exit %d, stderr %q; want exit 1 and one line with %q", r.code, r.stderr, tc.want)
			}
			if out := mustWB(t, "", "sessions", "--json", "--home", home); strings.TrimSpace(out) != "[]" {
				t.Fatalf("a refused run stored a session: %s", out)
			}
		})
	}
}
