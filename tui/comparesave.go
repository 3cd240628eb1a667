package tui

import (
	"fmt"
	"math"

	"workbench/engine"
	"workbench/sessions"
	"workbench/sessions/plots"
)

// smoothLabel is a smoothing weight as the compare view's head gives it.
func smoothLabel(w float64) string {
	if w == 0 {
		return "no smoothing"
	}
	return fmt.Sprintf("smooth %.2g", w)
}

func onOff(on bool, yes, no string) string {
	if on {
		return yes
	}
	return no
}

// openCompareSave opens the save-picture prompt on the compared runs: each
// metric overlaid as the view draws it (the shown one first), with its
// smoothing, log scale and epoch axis.
func (p *sessionsPane) openCompareSave() {
	c := p.cmp
	if c == nil || c.hist == nil {
		return
	}
	runs := make([]*sessions.Session, len(c.ids))
	for i, id := range c.ids {
		e := p.entry(id)
		if e == nil {
			return
		}
		s := *e // the listing's copy, with the history read for the view
		s.History = c.hist[i]
		runs[i] = &s
	}
	axis := map[xScale]string{xAbsolute: plots.AxisEpoch, xNormalised: plots.AxisRelative, xLog: plots.AxisLog}[c.scale]
	// The zoom, in epochs of the longest run; on the normalised axis the
	// window is a share of each run, which an epoch range cannot say, so
	// that picture shows every epoch.
	var from, to float64
	if n := longest(c.hist); c.ctl.zoom > 0 && c.scale != xNormalised && n > 1 {
		from, to = c.ctl.window(1, float64(n))
		from, to = math.Round(from), math.Round(to)
	}
	var pics []picture
	for k := range compareMetrics {
		m := metricName((c.metric+k)%len(compareMetrics), runs[0])
		opt := plots.CurveOptions{Metric: m, Smooth: c.ctl.weight(), LogY: c.ctl.logY, Axis: axis, From: from, To: to}
		pics = append(pics, picture{name: m, draw: func() (plots.Figure, error) { return plots.Curves(runs, opt) }})
	}
	p.plot.open(fmt.Sprintf("compare-%d-runs", len(runs)), pics)
}

// longest is the most epochs of the histories.
func longest(hist [][]engine.EpochStats) int {
	n := 0
	for _, h := range hist {
		n = max(n, len(h))
	}
	return n
}
