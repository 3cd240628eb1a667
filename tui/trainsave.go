package tui

import (
	"math"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sessions/plots"
)

// openSave opens the save-picture prompt on the finished session's
// pictures: each curve as the charts show it (smoothing, log scale), then
// the confusion matrix and decision map, or the residuals.
func (p *trainPane) openSave() {
	c := p.sh.Current()
	if p.state != trainDone || c == nil || c.ID == "" || c.Model == nil {
		p.saveNote = "save picture: train or open a session first"
		return
	}
	s := copySession(c, c.Model.Clone()) // drawn off the UI goroutine
	ctl := p.ctl
	var from, to float64 // the chart's zoom, carried into the file
	if h := s.History; ctl.zoom > 0 && len(h) > 1 {
		from, to = ctl.window(float64(h[0].Epoch), float64(h[len(h)-1].Epoch))
		from, to = math.Round(from), math.Round(to)
	}
	var pics []picture
	for _, m := range s.MetricNames() {
		opt := plots.CurveOptions{Metric: m, Smooth: ctl.weight(), LogY: ctl.logY && (m == "loss" || m == "val_loss" || m == "lr"), From: from, To: to}
		pics = append(pics, picture{name: m, draw: func() (plots.Figure, error) {
			return plots.Curves([]*sessions.Session{s}, opt)
		}})
	}
	switch ds := p.ds; {
	case s.IsClassification():
		pics = append(pics, picture{name: "confusion", draw: func() (plots.Figure, error) { return plots.Confusion(s) }})
		if ds != nil && ds.Features() == 2 && ds.Task == datasets.Classification {
			pics = append(pics, picture{name: "boundary", draw: func() (plots.Figure, error) { return plots.Boundary(s, ds) }})
		}
	case p.pairs != nil:
		pairs := *p.pairs
		pics = append(pics, picture{name: "residuals", draw: func() (plots.Figure, error) { return plots.Residuals(s, pairs) }})
	}
	p.save.open(sessions.TritonName(s), pics)
}
