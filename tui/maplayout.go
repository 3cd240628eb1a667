package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

// twoD reports a map beside the charts: decision regions for 2-D
// classification, a fit plot for 1-D regression.
func (p *trainPane) twoD() bool {
	return p.ds != nil && ((p.ds.Features() == 2 && p.task == datasets.Classification) || isFit(p.ds))
}

// mapView draws the decision map or the fit plot in w×h cells.
func (p *trainPane) mapView(w, h int) string {
	if isFit(p.ds) {
		if p.fitPts.ds != p.ds {
			p.fitPts = sortedByX(p.ds)
		}
		return p.st.fitPlot(p.fitPts, p.grid, w, h)
	}
	var pred []int
	if p.grid != nil {
		pred = p.grid.pred[p.points]
	}
	return p.st.plot2d(p.ds, p.mapPoints(), p.grid, pred, w, h)
}

// mapVisible reports whether the decision map is on screen.
func (p *trainPane) mapVisible() bool {
	return p.twoD() && (p.wide() || p.view == 1)
}

// maybeMap starts a boundary computation on the newest snapshot, one at a
// time, so maps refresh a few times a second at most.
func (p *trainPane) maybeMap() tea.Cmd {
	if !p.mapVisible() || p.computing || p.mapW <= 0 {
		return nil
	}
	snap := p.sh.MapSnapshot(p.runID)
	if snap == nil || (snap.epoch == p.gridEpoch && p.gridCurrent()) {
		return nil
	}
	p.computing = true
	return computeBoundary(snap, p.ds, p.split, p.mapW, p.mapH, p.neuronReq())
}

// refreshMap recomputes the map when its size changed or it came into view.
func (p *trainPane) refreshMap() tea.Cmd {
	p.layoutMap()
	if p.gridCurrent() {
		return nil
	}
	if r := p.sh.Run(); r.Active && r.ID == p.runID {
		p.gridEpoch = 0
		return p.maybeMap()
	}
	if p.state == trainDone && !p.computing {
		return p.finalMap()
	}
	return nil
}

// finalMap draws the boundary of a finished or opened session's model.
func (p *trainPane) finalMap() tea.Cmd {
	c := p.sh.Current()
	p.layoutMap()
	if !p.mapVisible() || c == nil || c.Model == nil || p.mapW <= 0 {
		return nil
	}
	snap := &snapshot{sess: copySession(c, c.Model.Clone()), epoch: len(p.history)}
	p.computing = true
	return computeBoundary(snap, p.ds, p.split, p.mapW, p.mapH, p.neuronReq())
}

// gridCurrent reports whether the map (and its neurons) on hand are of the
// size and layer the layout wants.
func (p *trainPane) gridCurrent() bool {
	return p.grid != nil && p.grid.w == p.mapW && p.grid.h == p.mapH && p.grid.req == p.neuronReq()
}

// mapWidth keeps decision maps square on screen (cells are about twice as
// tall as wide) in a box h rows tall; fit plots take all the width they are
// given.
func (p *trainPane) mapWidth(room, h int) int {
	if isFit(p.ds) {
		return room
	}
	return max(min(room, 2*(h-2-mapLegendRows)+2), min(room, 24))
}

// mapLegendRows is the rows under the map for its legend.
const mapLegendRows = 2

// mapBox is the map with its legend in a box of w×h.
func (p *trainPane) mapBox(title string, w, h int) string {
	mh := h - 2 - mapLegendRows
	p.setMap(w-2, mh)
	body := p.mapView(w-2, mh) + "\n" + strings.Join(p.mapLegend(w-2), "\n")
	return p.st.box(title, body, w, h, false)
}

// mapArea is the room of the map and its neurons: in a wide pane the full
// height and up to 11/20 of the width, in a narrow one all below the status.
func (p *trainPane) mapArea() (w, h int) {
	if p.wide() {
		return p.width * 11 / 20, p.height
	}
	return p.width, p.height - p.narrowStatusH()
}

// mapPlace is where the map box and the neuron box go: the neurons beside
// the map when it leaves room, else below it (nw is 0 when they are off).
type mapPlace struct {
	mw, mh, nw, nh int
	beside         bool
}

func (p *trainPane) placeMap(aw, ah int) mapPlace {
	mw := p.mapWidth(aw, ah)
	switch {
	case !p.neuronsShown():
		return mapPlace{mw: mw, mh: ah}
	case !isFit(p.ds) && aw-mw >= minNeuronBoxW:
		return mapPlace{mw: mw, mh: ah, nw: aw - mw, nh: ah, beside: true}
	}
	nh := max(ah*2/5, 7)
	mw = p.mapWidth(aw, ah-nh)
	if !isFit(p.ds) {
		// The box shrinks to the rows its tiles need; the map takes the rest.
		nh = min(nh, p.neuronRows(mw, nh)+2)
		mw = p.mapWidth(aw, ah-nh)
	}
	return mapPlace{mw: mw, mh: ah - nh, nw: mw, nh: nh}
}

// width is the columns the map and its neurons take.
func (m mapPlace) width() int {
	if m.beside {
		return m.mw + m.nw
	}
	return m.mw
}

// layoutMap sets the map's grid size and the neurons' tile size from the
// pane's size, as View lays them out.
func (p *trainPane) layoutMap() mapPlace {
	pl := p.placeMap(p.mapArea())
	p.setMap(pl.mw-2, pl.mh-2-mapLegendRows)
	p.layoutNeurons(pl.nw, pl.nh)
	return pl
}

// mapColumn is the map box with the neuron box beside or below it.
func (p *trainPane) mapColumn(title string) (string, int) {
	pl := p.layoutMap()
	m := p.mapBox(title, pl.mw, pl.mh)
	switch {
	case pl.nw == 0:
	case pl.beside:
		m = hjoin(m, p.neuronBox(pl.nw, pl.nh))
	default:
		m += "\n" + p.neuronBox(pl.nw, pl.nh)
	}
	return m, pl.width()
}

func (p *trainPane) setMap(w, h int) {
	if w != p.mapW || h != p.mapH {
		p.mapW, p.mapH = w, h
		if p.grid != nil && (p.grid.w != w || p.grid.h != h) {
			p.gridEpoch = 0 // recompute at the new size
		}
	}
}

func (p *trainPane) mapTitle() string {
	if isFit(p.ds) {
		if p.grid != nil && p.gridEpoch > 0 {
			return fmt.Sprintf("fit · epoch %d", p.gridEpoch)
		}
		return "fit"
	}
	if p.grid != nil && p.gridEpoch > 0 {
		return fmt.Sprintf("decision boundary · epoch %d", p.gridEpoch)
	}
	return "decision boundary"
}
