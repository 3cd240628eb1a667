package tui

import (
	"fmt"

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
	var pics []picture
	for k := range compareMetrics {
		m := metricName((c.metric+k)%len(compareMetrics), runs[0])
		opt := plots.CurveOptions{Metric: m, Smooth: c.ctl.weight(), LogY: c.ctl.logY, Axis: axis}
		pics = append(pics, picture{name: m, draw: func() (plots.Figure, error) { return plots.Curves(runs, opt) }})
	}
	p.plot.open(fmt.Sprintf("compare-%d-runs", len(runs)), pics)
}
