package tui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/charmbracelet/lipgloss"

	"workbench/engine"
	"workbench/sessions"
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
	n := len(h0)
	xMin, xMax := 1.0, float64(max(p.epochs, 2))
	i0, i1 := 0, n
	if p.ctl.zoom > 0 && n > 1 {
		xMin, xMax = p.ctl.window(float64(h0[0].Epoch), float64(h0[n-1].Epoch))
		i0 = sort.Search(n, func(i int) bool { return float64(h0[i].Epoch) >= xMin })
		i1 = sort.Search(n, func(i int) bool { return float64(h0[i].Epoch) > xMax })
	}
	epoch := func(i int) float64 { return float64(h0[i0+i].Epoch) }
	// line is one metric over the window [i0, i1), smoothed when asked (the
	// average runs from epoch 1 so zooming does not change it). A long
	// history is drawn from its envelope (see lineChart), taken here
	// straight from the epochs so a 1M-epoch run copies no 1M slices.
	line := func(name string, get func(e *engine.EpochStats) float64, weight float64) series {
		y := func(i int) float64 { return get(&h0[i0+i]) }
		if weight > 0 {
			sm := p.smoothedOf(name, get, weight)[i0:i1]
			y = func(i int) float64 { return sm[i] }
		}
		m := i1 - i0
		if m > 4*w {
			xs, ys := envelope(m, epoch, y, 2*w)
			return series{xs: xs, ys: ys}
		}
		s := series{ys: make([]float64, m), xs: make([]float64, m)}
		for i := range m {
			s.xs[i], s.ys[i] = epoch(i), y(i)
		}
		return s
	}
	// curves are a metric's train and val lines as the controls ask:
	// hidden ones left out, smoothed ones over their raw line drawn faint.
	curves := func(name string, train, val func(e *engine.EpochStats) float64, logY bool) []series {
		var out []series
		add := func(name string, get func(e *engine.EpochStats) float64, style lipgloss.Style, dotted bool) {
			wt := p.ctl.weight()
			if wt > 0 {
				raw := line(name, get, 0)
				raw.style = p.st.Dim
				out = append(out, raw)
			}
			s := line(name, get, wt)
			s.style, s.dotted = style, dotted
			out = append(out, s)
		}
		if !p.ctl.hideTrain {
			add(name, train, p.st.Train, false)
		}
		if !p.ctl.hideVal {
			add("val_"+name, val, p.st.Val, !p.st.Colour)
		}
		if logY {
			for i := range out {
				out[i].ys = log10s(out[i].ys)
			}
		}
		return out
	}
	segX := make([]float64, len(p.continued))
	for i, e := range p.continued {
		segX[i] = float64(e)
	}
	spec := func(ss []series, yMax float64, logY bool) string {
		return lineChart(chartSpec{
			w: w, h: h,
			series: ss,
			xMin:   xMin, xMax: xMax,
			yMin: math.NaN(), yMax: yMax,
			markX: float64(p.best), markStyle: p.st.Best, axis: p.st.Axis,
			segX: segX, logY: logY,
		})
	}
	losses := curves("loss", func(e *engine.EpochStats) float64 { return e.Loss }, func(e *engine.EpochStats) float64 { return e.ValLoss }, p.ctl.logY)
	p.lrRange = [2]float64{}
	if p.ctl.lr && i1 > i0 {
		losses = append(losses, p.lrSeries(line("lr", func(e *engine.EpochStats) float64 { return e.LearningRate }, 0), losses))
	}
	p.lossChart = spec(losses, math.NaN(), p.ctl.logY)
	p.accChart = spec(curves("metric", func(e *engine.EpochStats) float64 { return e.Accuracy }, func(e *engine.EpochStats) float64 { return e.ValAccuracy }, false), 1, false)
}

// smoothed is a metric's smoothed curve over the whole history, kept
// while the history and weight stay: zooming, panning and resizing reuse
// it (sessions.Smooth costs ~12 ms over 100k epochs).
type smoothed struct {
	n, first int
	weight   float64
	ys       []float64
}

func (p *trainPane) smoothedOf(name string, get func(e *engine.EpochStats) float64, weight float64) []float64 {
	h := p.history
	c := p.smoothCache[name]
	if c.n == len(h) && c.weight == weight && len(h) > 0 && c.first == h[0].Epoch {
		return c.ys
	}
	all := make([]float64, len(h))
	for i := range all {
		all[i] = get(&h[i])
	}
	c = smoothed{n: len(h), weight: weight, ys: sessions.Smooth(all, weight)}
	if len(h) > 0 {
		c.first = h[0].Epoch
	}
	if p.smoothCache == nil {
		p.smoothCache = map[string]smoothed{}
	}
	p.smoothCache[name] = c
	return c.ys
}

// lrSeries is the learning rate drawn across the loss chart's own range
// (its values are in the legend), so its schedule shows beside the loss.
func (p *trainPane) lrSeries(lr series, others []series) series {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range others {
		for _, y := range s.ys {
			if finite(y) {
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	ys, a, b := rescale(lr.ys, lo, hi)
	p.lrRange = [2]float64{a, b}
	return series{xs: lr.xs, ys: ys, style: p.st.Warn, dotted: true}
}

func (p *trainPane) legend(name string) string {
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
	if name == "loss" && p.ctl.lr && p.lrRange != [2]float64{} {
		s += "  " + p.st.Warn.Render("┄ lr "+lrSpan(p.lrRange))
	}
	return s
}

// lrSpan is the learning rate's range as the legend gives it.
func lrSpan(r [2]float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 2, 64) }
	if r[0] == r[1] {
		return f(r[0])
	}
	return f(r[0]) + "–" + f(r[1])
}

func (p *trainPane) chartBox(title, chart string, w, h int) string {
	return p.st.box(p.chartTitle(title), p.legend(title)+"\n"+chart, w, h, false)
}

// chartTitle is a chart's name with the controls' settings: the loss
// chart alone is drawn on a log axis.
func (p *trainPane) chartTitle(name string) string {
	c := p.ctl
	if name != "loss" {
		c.logY = false
	}
	first, last := 1.0, 1.0
	if n := len(p.history); n > 0 {
		first, last = float64(p.history[0].Epoch), float64(p.history[n-1].Epoch)
	}
	if t := c.title(first, last); t != "" {
		return name + " · " + t
	}
	return name
}

func (p *trainPane) ensureCharts(cw, ch int) {
	if cw != p.chartW || ch != p.chartH || p.lossChart == "" {
		p.chartW, p.chartH = cw, ch
		p.renderCharts()
	}
}
