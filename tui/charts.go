package tui

import (
	"fmt"
	"math"
	"time"

	"workbench/datasets"
	"workbench/engine"
)

// chartGap bounds chart re-rendering to ten times a second however fast
// epochs arrive, so drawing never competes with training for the CPU.
const chartGap = 100 * time.Millisecond

func (p *trainPane) invalidate() { p.lossChart, p.accChart = "", "" }

func (p *trainPane) renderCharts() {
	p.dirty = false
	p.lastRender = time.Now()
	w, h := p.chartW, p.chartH
	if w <= 0 || h <= 0 {
		p.lossChart, p.accChart = "", ""
		return
	}
	h0 := p.history
	epoch := func(i int) float64 { return float64(h0[i].Epoch) }
	// A long history is drawn from its envelope (see lineChart), taken
	// here straight from the epochs so a 1M-epoch run copies no 1M slices.
	line := func(get func(e *engine.EpochStats) float64) series {
		y := func(i int) float64 { return get(&h0[i]) }
		if len(h0) > 4*w {
			xs, ys := envelope(len(h0), epoch, y, 2*w)
			return series{xs: xs, ys: ys}
		}
		s := series{ys: make([]float64, len(h0)), xs: make([]float64, len(h0))}
		for i := range h0 {
			s.xs[i], s.ys[i] = epoch(i), y(i)
		}
		return s
	}
	loss, vloss := line(func(e *engine.EpochStats) float64 { return e.Loss }), line(func(e *engine.EpochStats) float64 { return e.ValLoss })
	acc, vacc := line(func(e *engine.EpochStats) float64 { return e.Accuracy }), line(func(e *engine.EpochStats) float64 { return e.ValAccuracy })
	segX := make([]float64, len(p.continued))
	for i, e := range p.continued {
		segX[i] = float64(e)
	}
	spec := func(a, b series, yMin, yMax float64) string {
		a.style = p.st.Train
		b.style, b.dotted = p.st.Val, !p.st.Colour
		return lineChart(chartSpec{
			w: w, h: h,
			series: []series{a, b},
			xMin:   1, xMax: float64(max(p.epochs, 2)),
			yMin: yMin, yMax: yMax,
			markX: float64(p.best), markStyle: p.st.Best, axis: p.st.Axis,
			segX: segX,
		})
	}
	p.lossChart = spec(loss, vloss, math.NaN(), math.NaN())
	if p.task == datasets.Regression {
		p.accChart = spec(acc, vacc, math.NaN(), 1)
	} else {
		p.accChart = spec(acc, vacc, math.NaN(), 1)
	}
}

func (p *trainPane) legend() string {
	val := "━ val"
	if !p.st.Colour {
		val = "┄ val" // without colour the validation line is dotted
	}
	s := p.st.Train.Render("━ train") + "  " + p.st.Val.Render(val)
	if p.best > 0 {
		s += "  " + p.st.Best.Render(fmt.Sprintf("▲ best %d", p.best))
	}
	if len(p.continued) > 0 {
		s += "  " + p.st.Axis.Render("┴ continued")
	}
	return s
}

func (p *trainPane) chartBox(title, chart string, w, h int) string {
	return p.st.box(title, p.legend()+"\n"+chart, w, h, false)
}

func (p *trainPane) ensureCharts(cw, ch int) {
	if cw != p.chartW || ch != p.chartH || p.lossChart == "" {
		p.chartW, p.chartH = cw, ch
		p.renderCharts()
	}
}
