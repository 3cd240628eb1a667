package sessions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNamesRefuseControlCharacters: train --name refuses control characters
// as rename does; a name that got into session.json anyway prints safely
// (issue 14 item 12).
func TestNamesRefuseControlCharacters(t *testing.T) {
	for _, name := range []string{"red\x1b[31m", "two\nlines", "bell\a"} {
		if _, err := Prepare(Plan{Name: name, DataRef: "iris", Hyper: Hyper{Epochs: 1, Seed: 1}}); err == nil || !strings.Contains(err.Error(), "control characters") {
			t.Errorf("Prepare(name %q): %v, want control characters refused", name, err)
		}
	}
	if got := Clip("a\x1b[2Jb", 20); strings.ContainsRune(got, 0x1b) {
		t.Errorf("Clip kept the escape: %q", got)
	}
	// A data file's name becomes the default session name: made printable.
	dir := t.TempDir()
	path := filepath.Join(dir, "evil\x1b[31m.csv")
	if err := os.WriteFile(path, []byte("a,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n"), 0o644); err != nil {
		t.Skip(err)
	}
	pr, err := Prepare(Plan{DataRef: path, Hyper: Hyper{Epochs: 1, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if checkName(pr.Session.Name) != nil {
		t.Errorf("default name %q from the file's name is not a valid name", pr.Session.Name)
	}
}
