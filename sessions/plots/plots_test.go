package plots

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/sessions"
)

func train(t *testing.T, st *sessions.Store, p sessions.Plan) (*sessions.Session, *sessions.Prepared) {
	t.Helper()
	if p.Layers == "" {
		p.Layers = "8:relu"
	}
	pr, err := sessions.Prepare(p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, pr
}

func store(t *testing.T) *sessions.Store {
	st, err := sessions.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// decoded checks a written picture the way a viewer would read it.
func decoded(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".png":
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r := img.Bounds(); r.Dx() < 800 || r.Dy() < 500 {
			t.Fatalf("%s is %dx%d, want at least 800x500", path, r.Dx(), r.Dy())
		}
	case ".svg":
		d := xml.NewDecoder(bytes.NewReader(b))
		root := ""
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not XML: %v", path, err)
			}
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		if root != "svg" || len(b) < 2000 {
			t.Fatalf("%s: root <%s>, %d bytes", path, root, len(b))
		}
	case ".pdf":
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-1024:], []byte("%%EOF")) || len(b) < 2000 {
			t.Fatalf("%s is not a whole PDF (%d bytes)", path, len(b))
		}
	}
}

func TestEveryKindInEveryFormat(t *testing.T) {
	st := store(t)
	iris, _ := train(t, st, sessions.Plan{Name: "iris-a", DataRef: "iris", Hyper: sessions.Hyper{Epochs: 30, Seed: 1}})
	iris2, _ := train(t, st, sessions.Plan{Name: "iris-b", DataRef: "iris", Layers: "16:tanh", Hyper: sessions.Hyper{Epochs: 60, Seed: 2}})
	moons, moonsPr := train(t, st, sessions.Plan{Name: "moons", DataRef: "moons", Hyper: sessions.Hyper{Epochs: 20, Seed: 1}})
	diab, diabPr := train(t, st, sessions.Plan{Name: "diab", DataRef: "diabetes", Hyper: sessions.Hyper{Epochs: 10, Seed: 1}})
	pairs, err := sessions.TestPairs(diabPr)
	if err != nil {
		t.Fatal(err)
	}
	figs := map[string]func() (Figure, error){
		"curves": func() (Figure, error) { return Curves([]*sessions.Session{iris, iris2}, CurveOptions{}) },
		"smoothed": func() (Figure, error) {
			return Curves([]*sessions.Session{iris, iris2}, CurveOptions{Metric: "val_accuracy", Smooth: 0.6, Axis: AxisRelative})
		},
		"log": func() (Figure, error) {
			return Curves([]*sessions.Session{iris}, CurveOptions{Metric: "lr", LogY: true, Axis: AxisLog})
		},
		"confusion": func() (Figure, error) { return Confusion(iris) },
		"boundary":  func() (Figure, error) { return Boundary(moons, moonsPr.Dataset) },
		"residuals": func() (Figure, error) { return Residuals(diab, pairs) },
	}
	dir := t.TempDir()
	if keep := os.Getenv("WORKBENCH_PLOTS_KEEP"); keep != "" {
		dir = keep // to look at them: WORKBENCH_PLOTS_KEEP=/tmp/pl go test ./sessions/plots
	}
	for name, mk := range figs {
		f, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, ext := range Formats {
			path := filepath.Join(dir, name+ext)
			if err := f.Save(path); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			decoded(t, path)
		}
	}
}

func TestRefusals(t *testing.T) {
	st := store(t)
	iris, pr := train(t, st, sessions.Plan{DataRef: "iris", Hyper: sessions.Hyper{Epochs: 3, Seed: 1}})
	diab, _ := train(t, st, sessions.Plan{DataRef: "diabetes", Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	sine, sinePr := train(t, st, sessions.Plan{DataRef: "sine", Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	noVal, _ := train(t, st, sessions.Plan{Name: "noval", DataRef: "iris", Val: 0, Test: 0.3, Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	fig, err := Curves([]*sessions.Session{iris}, CurveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"bad extension", func() error { return fig.Save(filepath.Join(dir, "x.gif")) }, `".gif"`},
		{"no extension", func() error { return fig.Save(filepath.Join(dir, "x")) }, "no file extension"},
		{"missing folder", func() error { return fig.Save(filepath.Join(dir, "nope", "x.png")) }, "does not exist"},
		{"a folder as the file", func() error {
			os.Mkdir(filepath.Join(dir, "d.png"), 0o755)
			return fig.Save(filepath.Join(dir, "d.png"))
		}, "is a folder"},
		{"unknown metric", func() error { _, err := Curves([]*sessions.Session{iris}, CurveOptions{Metric: "f1"}); return err }, `"f1"`},
		{"no validation", func() error {
			_, err := Curves([]*sessions.Session{noVal}, CurveOptions{Metric: "val_loss"})
			return err
		}, "without a validation split"},
		{"bad smoothing", func() error { _, err := Curves([]*sessions.Session{iris}, CurveOptions{Smooth: 1}); return err }, "smoothing"},
		{"empty epoch range", func() error { _, err := Curves([]*sessions.Session{iris}, CurveOptions{From: 5, To: 2}); return err }, "empty"},
		{"bad axis", func() error { _, err := Curves([]*sessions.Session{iris}, CurveOptions{Axis: "time"}); return err }, `"time"`},
		{"too many runs", func() error {
			_, err := Curves([]*sessions.Session{iris, iris, iris, iris, iris, iris, iris, iris, iris}, CurveOptions{})
			return err
		}, "at most 8"},
		{"confusion of a regression", func() error { _, err := Confusion(diab); return err }, "regression"},
		{"boundary of 4 features", func() error { _, err := Boundary(iris, pr.Dataset); return err }, "two features"},
		{"boundary of a 1-feature regression", func() error { _, err := Boundary(sine, sinePr.Dataset); return err }, "two features"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestSaveKeepsTheOldPictureOnFailure: a write that fails leaves the file
// that was there, and no temporary file beside it.
func TestSaveKeepsTheOldPictureOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := (Figure{}).Save(path); err == nil {
		t.Fatal("an empty figure was written")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("the old file now holds %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
}

// TestCurvesZoom: an epoch range keeps only its epochs, as the TUI's zoomed
// chart shows them, and says so in the title.
func TestCurvesZoom(t *testing.T) {
	st := store(t)
	s, _ := train(t, st, sessions.Plan{DataRef: "iris", Hyper: sessions.Hyper{Epochs: 30, Seed: 1}})
	ser, _ := s.SeriesOf("loss")
	pts, _ := points(ser, s.BestEpoch, CurveOptions{From: 10, To: 20})
	if len(pts) != 11 || pts[0].X != 10 || pts[len(pts)-1].X != 20 {
		t.Fatalf("zoomed to 10–20: %d points from %v to %v", len(pts), pts[0].X, pts[len(pts)-1].X)
	}
	f, err := Curves([]*sessions.Session{s}, CurveOptions{From: 10, To: 20})
	if err != nil || !strings.Contains(f.Panels[0].Title.Text, "epochs 10–20") {
		t.Fatalf("title %q, %v", f.Panels[0].Title.Text, err)
	}
}
