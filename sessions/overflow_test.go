package sessions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrepareNamesOverflowingColumn: features near 1e308 overflow the
// scaler; Prepare says which column instead of failing later with
// "json: unsupported value: +Inf" (issue 14 item 10).
func TestPrepareNamesOverflowingColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.csv")
	rows := "small,huge,y\n"
	for i := range 20 {
		rows += strings.Join([]string{"1", "1.7e308", []string{"0", "1"}[i%2]}, ",") + "\n"
		rows += strings.Join([]string{"2", "1.6e308", []string{"1", "0"}[i%2]}, ",") + "\n"
	}
	if err := os.WriteFile(path, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Prepare(Plan{DataRef: path, Hyper: Hyper{Epochs: 1, Seed: 1}})
	if err == nil || !strings.Contains(err.Error(), `"huge"`) || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("Prepare error %v, want the huge column named", err)
	}
}
