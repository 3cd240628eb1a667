package cli

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLISessionsPlot: `sessions plot` writes pictures a viewer opens, and
// refuses a bad kind, format or combination with exit 1 naming it, writing
// nothing.
func TestCLISessionsPlot(t *testing.T) {
	home, out := t.TempDir(), t.TempDir()
	mustWB(t, "", "train", "--home", home, "--data", "moons", "--epochs", "5", "--name", "moons", "--json")
	mustWB(t, "", "train", "--home", home, "--data", "moons", "--epochs", "8", "--name", "moons-b", "--json")

	png1 := filepath.Join(out, "curves.png")
	if got := mustWB(t, "", "sessions", "plot", "moons", "--compare", "moons-b", "--metric", "val_accuracy", "--smooth", "0.5", "-o", png1, "--home", home); !strings.Contains(got, "Wrote "+png1) {
		t.Fatalf("stdout: %q", got)
	}
	b, err := os.ReadFile(png1)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() < 800 || img.Bounds().Dy() < 500 {
		t.Fatalf("curves.png: %v %v", err, img)
	}
	for _, kind := range []string{"boundary", "confusion"} {
		path := filepath.Join(out, kind+".svg")
		mustWB(t, "", "sessions", "plot", "moons", "--kind", kind, "-o", path, "--home", home)
		if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte("<svg")) {
			t.Fatalf("%s is not an SVG", path)
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "pie"}, `unknown picture "pie"`},
		{[]string{"-o", filepath.Join(out, "x.gif")}, `".gif"`},
		{[]string{"-o", filepath.Join(out, "no", "x.png")}, "does not exist"},
		{[]string{"--kind", "residuals"}, "regression"},
		{[]string{"--kind", "confusion", "--compare", "moons-b"}, "--compare"},
		{[]string{"--metric", "f1"}, `"f1"`},
		{[]string{"--compare", "nope"}, `"nope"`},
	} {
		r := runWB(t, "", append([]string{"sessions", "plot", "moons", "--home", home}, c.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "panic") {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if ents, _ := os.ReadDir(out); len(ents) != 3 {
		t.Errorf("the refused plots left files: %v", ents)
	}
}
