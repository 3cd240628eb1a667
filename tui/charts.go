package tui

import (
	"fmt"
	"math"
	"time"

	"workbench/datasets"
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
	n := len(p.history)
	loss, vloss := make([]float64, n), make([]float64, n)
	acc, vacc := make([]float64, n), make([]float64, n)
	for i, s := range p.history {
		loss[i], vloss[i], acc[i], vacc[i] = s.Loss, s.ValLoss, s.Accuracy, s.ValAccuracy
	}
	x0 := 1.0
	if n > 0 {
		x0 = float64(p.history[0].Epoch)
	}
	segX := make([]float64, len(p.continued))
	for i, e := range p.continued {
		segX[i] = float64(e)
	}
	spec := func(a, b []float64, yMin, yMax float64) string {
		return lineChart(chartSpec{
			w: w, h: h,
			series: []series{{ys: a, x0: x0, style: p.st.Train}, {ys: b, x0: x0, style: p.st.Val, dotted: !p.st.Colour}},
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
