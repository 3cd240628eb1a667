package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIMaxMemory: train and predict refuse data over --max-memory with a
// message naming the budget (issue 14 item 2), and a bad size is refused.
func TestCLIMaxMemory(t *testing.T) {
	home := t.TempDir()
	csv := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(csv, []byte("a,b,y\n"+strings.Repeat("1,2,0\n2,1,1\n", 20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustWB(t, "", "train", "--data", "iris", "--epochs", "1", "--home", home)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", csv, "--max-memory", "64KiB"}, "memory budget of 64 KiB"},
		{[]string{"predict", "--input", csv, "--max-memory", "64KiB"}, "memory budget of 64 KiB"},
		{[]string{"train", "--data", csv, "--max-memory", "lots"}, `bad size "lots"`},
	} {
		r := runWB(t, "", append(tt.args, "--home", home)...)
		if r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("workbench %s: exit %d, stderr %q; want an error with %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.want)
		}
	}
	// Within the budget it trains.
	mustWB(t, "", "train", "--data", csv, "--epochs", "1", "--max-memory", "64MiB", "--home", home)
}

// TestCLIRestoreBest: --restore-best=false is recorded, shown, and cannot
// change when continuing; a continued segment is marked in the history.
func TestCLIRestoreBest(t *testing.T) {
	home := t.TempDir()
	mustWB(t, "", "train", "--data", "iris", "--epochs", "3", "--restore-best=false", "--home", home)
	if out := mustWB(t, "", "sessions", "--table", "show", "latest", "--home", home); !strings.Contains(out, "keeps the last epoch (--restore-best=false)") {
		t.Errorf("sessions show does not say the last epoch is kept:\n%s", out)
	}
	if r := runWB(t, "", "train", "--session", "latest", "--restore-best=true", "--home", home); r.code == 0 || !strings.Contains(r.stderr, "--restore-best cannot change") {
		t.Errorf("changing --restore-best when continuing: exit %d, %q", r.code, r.stderr)
	}
	mustWB(t, "", "train", "--session", "latest", "--epochs", "2", "--home", home)
	if out := mustWB(t, "", "sessions", "--table", "show", "latest", "--home", home); !strings.Contains(out, "4+") || !strings.Contains(out, "continued from here") {
		t.Errorf("sessions show does not mark the continued segment:\n%s", out)
	}
}

// TestCLINameControlCharacters: train --name refuses control characters,
// like sessions rename (issue 14 item 12).
func TestCLINameControlCharacters(t *testing.T) {
	home := t.TempDir()
	r := runWB(t, "", "train", "--data", "iris", "--epochs", "1", "--name", "red\x1b[31m", "--home", home)
	if r.code == 0 || !strings.Contains(r.stderr, "control characters") {
		t.Errorf("exit %d, stderr %q; want control characters refused", r.code, r.stderr)
	}
}
