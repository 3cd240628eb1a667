package tui

import (
	"fmt"
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"gonum.org/v1/gonum/floats"

	"workbench/datasets"
	"workbench/sessions"
)

// The misclassified gallery: for image data (digits 8×8, 28×28 images) the
// test examples the model gets wrong, drawn with half blocks (two pixels a
// cell) in grey, with the true and predicted labels and the confidence.

// maxGallery bounds how many wrong examples are kept.
const maxGallery = 48

type galleryItem struct {
	pix         []float64 // side×side, 0 (dark) … 1 (bright)
	truth, pred int
	conf        float64
}

// imageSide is the side of a square image dataset (8 or 28), 0 if ds is
// not one.
func imageSide(ds *datasets.Dataset) int {
	if ds == nil {
		return 0
	}
	return sideOf(ds.Features(), ds.Task == datasets.Classification)
}

// sideOf is the side of a classifier's square images of features pixels
// (8 or 28), 0 for anything else.
func sideOf(features int, classifier bool) int {
	switch {
	case !classifier:
		return 0
	case features == 64:
		return 8
	case features == 784:
		return 28
	}
	return 0
}

// imagePixels scales a row of side×side raw pixel values to 0 (its
// darkest) … 1 (its brightest), as halfBlocks draws them.
func imagePixels(raw []float64, side int) []float64 {
	lo, hi := floats.Min(raw), floats.Max(raw)
	pix := make([]float64, side*side)
	for j := range pix {
		if hi > lo && j < len(raw) {
			pix[j] = (raw[j] - lo) / (hi - lo)
		}
	}
	return pix
}

// misclassified asks sessions for the test examples the model gets wrong
// (the test split it was trained with), in a command.
func misclassified(s *sessions.Session, ds *datasets.Dataset, load datasets.LoadOptions) tea.Cmd {
	id := s.ID
	return func() tea.Msg {
		var items []galleryItem
		err := safely(func() error {
			wrong, err := s.Misclassified(ds, load, maxGallery)
			side := imageSide(ds)
			for _, e := range wrong {
				items = append(items, galleryItem{pix: imagePixels(e.X, side), truth: e.True, pred: e.Pred, conf: e.Conf})
			}
			return err
		})
		return galleryMsg{id: id, items: items, err: err}
	}
}

// halfBlocks draws a side×side image in side/2 rows of side cells: the
// upper pixel as the foreground of ▀, the lower as its background, on the
// 24 greys of the 256-colour palette; without colour, a density ramp of
// the pair's mean.
func halfBlocks(pix []float64, side int, colour bool) []string {
	const ramp = " .:-=+*#%@"
	grey := func(v float64) int { return 232 + int(math.Round(v*23)) }
	var rows []string
	for r := 0; r+1 < side+1; r += 2 {
		var b strings.Builder
		for c := 0; c < side; c++ {
			top := pix[r*side+c]
			bot := 0.0
			if r+1 < side {
				bot = pix[(r+1)*side+c]
			}
			if colour {
				fmt.Fprintf(&b, "\x1b[38;5;%dm\x1b[48;5;%dm▀", grey(top), grey(bot))
			} else {
				b.WriteByte(ramp[int(math.Round((top+bot)/2*float64(len(ramp)-1)))])
			}
		}
		if colour {
			b.WriteString("\x1b[0m")
		}
		rows = append(rows, b.String())
	}
	return rows
}

// galleryView lays the wrong examples out in w×h cells, each image with
// "true→pred conf" under it, as many as fit.
func (p *trainPane) galleryView(w, h int) string {
	st := p.st
	switch {
	case p.galleryErr != "":
		return st.Warn.Render(trunc("no gallery: "+p.galleryErr, w))
	case p.gallery == nil:
		return st.Dim.Render("predicting the test split…")
	case len(p.gallery) == 0:
		return st.Good.Render("no test example misclassified")
	}
	side := imageSide(p.ds)
	cw := max(side, 9) + 2 // an image and its caption, with a gap
	ch := (side+1)/2 + 1
	cols, rows := max(1, w/cw), max(1, (h-1)/ch)
	name := func(k int) string {
		if k < len(p.classes) {
			return p.classes[k]
		}
		return fmt.Sprint(k)
	}
	head := st.Bold.Render(fmt.Sprintf("%d misclassified test examples", len(p.gallery)))
	if len(p.gallery) == maxGallery {
		head = st.Bold.Render(fmt.Sprintf("the first %d misclassified test examples", maxGallery))
	}
	out := []string{head + st.Dim.Render(" · true→predicted (confidence)")}
	for r := 0; r < rows && r*cols < len(p.gallery); r++ {
		var blocks []string
		for c := 0; c < cols && r*cols+c < len(p.gallery); c++ {
			it := p.gallery[r*cols+c]
			img := halfBlocks(it.pix, side, st.Colour)
			cap := trunc(fmt.Sprintf("%s→%s %.0f%%", name(it.truth), name(it.pred), it.conf*100), cw-1)
			blocks = append(blocks, fitBlock(strings.Join(append(img, cap), "\n"), cw, ch))
		}
		out = append(out, strings.Split(hjoin(blocks...), "\n")...)
	}
	return strings.Join(out, "\n")
}

// toggleGallery shows or hides the misclassified images of a finished
// image classifier, predicting them the first time.
func (p *trainPane) toggleGallery() tea.Cmd {
	c := p.sh.Current()
	if imageSide(p.ds) == 0 || p.state != trainDone || c == nil || c.Model == nil {
		return nil
	}
	p.showGallery = !p.showGallery
	if !p.showGallery || p.galleryFor == c.ID {
		return nil
	}
	p.galleryFor, p.gallery, p.galleryErr = c.ID, nil, ""
	return misclassified(copySession(c, c.Model.Clone()), p.ds, p.fl.loadOptions(datasets.LoadOptions{}))
}
