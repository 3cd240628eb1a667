package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// The hidden neurons' pictures beside or below the map, as TF Playground
// draws them (u shows or hides them, ] and [ page through them a layer at
// a time). They are computed with the map, in the same command on the same
// snapshot (computeBoundary), so they refresh as often as the map does and
// never on the UI goroutine.

// neuronReq is what the layout asks computeBoundary for: hidden layer
// layer's neurons as tw×th tiles (2-D data) or as curves of tw points (a
// 1-D regression). The zero value asks for none.
type neuronReq struct {
	on     bool
	layer  int
	tw, th int
}

// neuronSet is what came back: one slice per neuron of the layer, tw×th
// values in DecisionGrid's cell order, or a curve over xs.
type neuronSet struct {
	act   string      // the layer's activation, which picks the shading
	grids [][]float64 // per neuron
	xs    []float64   // 1-D: where the curves are taken
}

// neuronState is the Train pane's part of it.
type neuronState struct {
	on          bool
	layer, page int
	hidden      []engine.LayerSpec // the run's or session's hidden layers
	tw, th      int                // tile size the layout chose
	perPage     int
}

// minNeuronBoxW is the narrowest a neuron box beside the map may be.
const minNeuronBoxW = 30

// neuronsShown reports whether the neuron box is laid out.
func (p *trainPane) neuronsShown() bool {
	return p.neurons.on && p.twoD() && len(p.neurons.hidden) > 0
}

// setHidden records the hidden layers of the run or session on screen,
// keeping the layer shown if it still exists.
func (p *trainPane) setHidden(s *sessions.Session) {
	p.neurons.hidden = s.HiddenLayers()
	if p.neurons.layer >= len(p.neurons.hidden) {
		p.neurons.layer, p.neurons.page = 0, 0
	}
}

// units is the number of neurons of the layer shown.
func (p *trainPane) units() int {
	if p.neurons.layer < len(p.neurons.hidden) {
		return p.neurons.hidden[p.neurons.layer].Units
	}
	return 0
}

// pages is how many pages the layer shown takes.
func (p *trainPane) pages() int {
	return p.pagesOf(p.neurons.layer)
}

// turnNeurons moves d pages (±1) through every layer's pages in turn.
func (p *trainPane) turnNeurons(d int) {
	n := &p.neurons
	if len(n.hidden) == 0 {
		return
	}
	n.page += d
	switch {
	case n.page >= p.pages():
		n.layer, n.page = (n.layer+1)%len(n.hidden), 0
	case n.page < 0:
		n.layer = (n.layer + len(n.hidden) - 1) % len(n.hidden)
		n.page = p.pagesOf(n.layer) - 1
	}
}

// pagesOf is how many pages layer takes at the current tile size.
func (p *trainPane) pagesOf(layer int) int {
	if isFit(p.ds) || p.neurons.perPage <= 0 || layer >= len(p.neurons.hidden) {
		return 1
	}
	return max(1, (p.neurons.hidden[layer].Units+p.neurons.perPage-1)/p.neurons.perPage)
}

// neuronReq is the request the current layout makes.
func (p *trainPane) neuronReq() neuronReq {
	if !p.neuronsShown() || p.neurons.tw <= 0 {
		return neuronReq{}
	}
	return neuronReq{on: true, layer: p.neurons.layer, tw: p.neurons.tw, th: p.neurons.th}
}

// layoutNeurons picks the tile size for a box of w×h cells (borders
// included): the largest square-looking tiles (twice as wide as tall) that
// show the whole layer, or, when even 2-row tiles cannot, 2-row tiles
// paged.
func (p *trainPane) layoutNeurons(w, h int) {
	n := &p.neurons
	if w <= 0 {
		n.tw, n.th, n.perPage = 0, 0, 0
		return
	}
	iw, ih := w-2, h-2
	if isFit(p.ds) {
		n.tw, n.th, n.perPage = 2*iw, ih, p.units() // 2 points a column, as the fit
		return
	}
	n.tw, n.th, n.perPage = tileSize(iw, ih, max(p.units(), 1))
	if n.page >= p.pages() {
		n.page = 0
	}
}

// tileSize is the tiles for units neurons in w×h cells and how many fit.
func tileSize(w, h, units int) (tw, th, per int) {
	th = 2
	for t := min(h, w/2); t >= 2; t-- {
		if tilesFit(w, h, t) >= units {
			th = t
			break
		}
	}
	return 2 * th, th, max(tilesFit(w, h, th), 1)
}

// tilesFit is how many th-row tiles (2·th wide, one blank column and row
// between them) fit in w×h cells.
func tilesFit(w, h, th int) int {
	return ((w + 1) / (2*th + 1)) * ((h + 1) / (th + 1))
}

// neuronsOf computes req's pictures on s; errors leave them out (the map
// still draws).
func neuronsOf(s *sessions.Session, ds *datasets.Dataset, req neuronReq) *neuronSet {
	if !req.on {
		return nil
	}
	hidden := s.HiddenLayers()
	if req.layer >= len(hidden) {
		return nil
	}
	set := &neuronSet{act: hidden[req.layer].Activation}
	var err error
	if isFit(ds) {
		set.xs, set.grids, err = s.NeuronCurves(ds, req.layer, req.tw)
	} else {
		set.grids, err = s.NeuronGrids(ds, req.layer, req.tw, req.th)
	}
	if err != nil {
		return nil
	}
	return set
}

// neuronKey shows or hides the neurons (u) or turns their page (] [), and
// asks for the pictures the new layout needs.
func (p *trainPane) neuronKey(msg tea.KeyMsg) tea.Cmd {
	if !p.twoD() {
		return nil
	}
	switch {
	case key.Matches(msg, p.keys.Neurons):
		p.neurons.on = !p.neurons.on
	case !p.neuronsShown():
		return nil
	case key.Matches(msg, p.keys.NextNeurons):
		p.turnNeurons(1)
	default:
		p.turnNeurons(-1)
	}
	return p.refreshMap()
}

// neuronRows is the rows a page of the layer shown takes as tiles in a
// w×h box (borders included).
func (p *trainPane) neuronRows(w, h int) int {
	tw, th, per := tileSize(w-2, h-2, max(p.units(), 1))
	perRow := max(1, (w-2+1)/(tw+1))
	rows := (min(p.units(), per) + perRow - 1) / perRow
	return max(rows*(th+1)-1, 1)
}
