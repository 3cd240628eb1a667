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
	return p.st.plot2d(p.ds, p.mapPoints(), p.grid, w, h)
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
	if snap == nil || snap.epoch == p.gridEpoch {
		return nil
	}
	p.computing = true
	return computeBoundary(snap, p.ds, p.mapW, p.mapH)
}

// refreshMap recomputes the map when its size changed or it came into view.
func (p *trainPane) refreshMap() tea.Cmd {
	p.layoutMap()
	if p.grid != nil && p.grid.w == p.mapW && p.grid.h == p.mapH {
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
	return computeBoundary(snap, p.ds, p.mapW, p.mapH)
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

// wideMapWidth is the map's share of a wide pane: the full height, and
// as wide as keeps it square up to 11/20 of the width.
func (p *trainPane) wideMapWidth() int { return p.mapWidth(p.width*11/20, p.height) }

// layoutMap sets the map's grid size from the pane's size, as View lays it out.
func (p *trainPane) layoutMap() {
	w, h := p.width, p.height
	if p.wide() {
		p.setMap(p.wideMapWidth()-2, h-2-mapLegendRows)
		return
	}
	rest := h - p.narrowStatusH()
	mw := p.mapWidth(w, rest)
	p.setMap(mw-2, rest-2-mapLegendRows)
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
