package tui

import (
	"context"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
)

// TestHalfBlocks: two pixel rows a cell; without colour a density ramp of
// the pair (dark both → space, bright both → @).
func TestHalfBlocks(t *testing.T) {
	pix := []float64{
		0, 1, 0, 1,
		0, 1, 1, 0,
		1, 1, 0, 0,
		1, 1, 0, 0,
	}
	got := halfBlocks(pix, 4, false)
	if strings.Join(got, "|") != " @++|@@  " {
		t.Errorf("ascii half blocks %q", got)
	}
	col := halfBlocks(pix, 4, true)
	if len(col) != 2 || !strings.Contains(col[0], "\x1b[38;5;232m\x1b[48;5;232m▀") || !strings.Contains(col[0], "\x1b[38;5;255m\x1b[48;5;255m▀") {
		t.Errorf("colour half blocks %q", col)
	}
}

// TestMisclassifiedGallery trains digits briefly, opens it and presses g:
// the gallery shows the test examples the model gets wrong, drawn as
// images with true→predicted labels, as many as the confusion matrix's
// off-diagonal counts (up to the cap). Golden at 200×50.
func TestMisclassifiedGallery(t *testing.T) {
	st := newStore(t)
	h := sessions.DefaultHyper()
	h.Epochs, h.Seed = 2, 1
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "digits", Layers: "16:relu", Hyper: h})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for i, row := range s.Test.Confusion {
		for j, n := range row {
			if i != j {
				wrong += n
			}
		}
	}
	a := newTestApp(t, Options{Store: st, SessionID: s.ID})
	size(a, 200, 50)
	press(a, "3")
	tp := a.impl.panes[paneTrain].(*trainPane)
	ds, _ := datasets.Load("digits", datasets.LoadOptions{})
	tp.ds = ds
	cmd := tp.toggleGallery()
	if cmd == nil {
		t.Fatal("g made no gallery for digits")
	}
	a.Update(cmd())
	if len(tp.gallery) != min(wrong, maxGallery) {
		t.Errorf("gallery of %d, the confusion matrix has %d wrong", len(tp.gallery), wrong)
	}
	v := a.View()
	checkFits(t, v, 200, 50)
	if !strings.Contains(v, "misclassified test examples") || !strings.Contains(v, "→") {
		t.Errorf("no gallery on screen:\n%s", v)
	}
}

// TestGalleryGoldens pins the gallery's layout at 80×24 (results view)
// and 200×50 with fixed examples: the first digits, each "predicted" as
// the next class.
func TestGalleryGoldens(t *testing.T) {
	ds, err := datasets.Load("digits", datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		a := newTestApp(t, Options{})
		size(a, sz[0], sz[1])
		press(a, "3")
		tp := fillHistory(a, 20)
		tp.ds, tp.classes, tp.showGallery = ds, ds.ClassNames, true
		tp.gallery = nil
		for i := range 12 {
			raw := ds.X.RawRowView(i)
			pix := make([]float64, 64)
			for j, v := range raw {
				pix[j] = v / 16
			}
			k := int(ds.Y.At(i, 0))
			tp.gallery = append(tp.gallery, galleryItem{pix: pix, truth: k, pred: (k + 1) % 10, conf: 0.5 + float64(i)/40})
		}
		if sz[0] < 120 {
			press(a, "v") // charts → results
		}
		v := a.View()
		checkFits(t, v, sz[0], sz[1])
		golden(t, "train-gallery-"+itoa(sz[0])+"x"+itoa(sz[1])+".golden", v)
	}
}
