package tui

import (
	"context"
	"strings"
	"testing"

	"workbench/sessions"
)

// TestTryItShowsTheImage: for digits the Serve pane draws the try-it row
// as the picture it sends, beside the form, and redraws it as the row is
// edited; for tabular data it draws none.
func TestTryItShowsTheImage(t *testing.T) {
	st := newStore(t)
	h := sessions.DefaultHyper()
	h.Epochs, h.Seed = 1, 1
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "digits", Layers: "8:relu", Hyper: h})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st, SessionID: s.ID})
	size(a, 160, 48)
	press(a, "4")
	sp := a.impl.panes[paneServe].(*servePane)
	v := a.View()
	img := sp.tryImage(100)
	if len(img) != 4 {
		t.Fatalf("an 8×8 digit drew %d rows, want 4:\n%s", len(img), v)
	}
	checkFits(t, v, 160, 48)
	if !strings.Contains(v, img[0]+"  ") {
		t.Fatalf("the image is not on screen:\n%s\nwant a row %q", v, img[0])
	}
	// The first pixel edited to the row's brightest value shows in the picture.
	row, _ := sp.row()
	before := img[0]
	sp.form.inputs[0].SetValue("100")
	if after := sp.tryImage(100)[0]; before[0] != ' ' || after[0] == ' ' {
		t.Fatalf("editing pixel 0 (%v) to 100 left the image's first row %q (was %q)", row[0], after, before)
	}
	if sp.tryImage(3) != nil {
		t.Fatal("an image was drawn in fewer rows than it takes")
	}
	sp.formFor = &sessions.Session{Data: sessions.DataInfo{Features: []string{"a", "b", "c", "d"}, Classes: []string{"x", "y"}}}
	if sp.tryImage(100) != nil {
		t.Fatal("a 4-feature row was drawn as an image")
	}
}
