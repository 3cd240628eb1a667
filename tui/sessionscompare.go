package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/engine"
	"workbench/sessions"
)

// compareKeys is the keys of the comparison.
type compareKeys struct {
	Back, Metric, Scale, Smooth, LogY, Save key.Binding
	ZoomIn, ZoomOut, PanLeft, PanRight      key.Binding
}

func newCompareKeys() compareKeys {
	ck := newChartKeys()
	return compareKeys{
		Back:   k("esc", "back", "esc", "q"),
		Metric: k("y", "next metric", "y"),
		Scale:  k("x", "epoch axis: abs/norm/log", "x"),
		Smooth: ck.Smooth,
		LogY:   ck.LogY,
		Save:   k("p", "save picture", "p"),

		ZoomIn: ck.ZoomIn, ZoomOut: ck.ZoomOut, PanLeft: ck.PanLeft, PanRight: ck.PanRight,
	}
}

// compareMetrics are the figures a comparison can overlay, in the order y
// cycles them.
var compareMetrics = []struct {
	name string
	of   func(engine.EpochStats) float64
}{
	{"loss", func(e engine.EpochStats) float64 { return e.Loss }},
	{"", func(e engine.EpochStats) float64 { return e.Accuracy }}, // accuracy or r2
	{"val_loss", func(e engine.EpochStats) float64 { return e.ValLoss }},
	{"val_", func(e engine.EpochStats) float64 { return e.ValAccuracy }},
	{"lr", func(e engine.EpochStats) float64 { return e.LearningRate }},
}

// comparison is the open compare view: the runs in mark order and their
// histories, read when it opens (listings carry none).
type comparison struct {
	ids    []string
	hist   [][]engine.EpochStats
	metric int
	scale  xScale
	ctl    chartCtl // smoothing, log y, zoom and pan over the epoch axis
}

func (p *sessionsPane) compare() tea.Cmd {
	if len(p.marked) < 2 {
		p.msg = "mark two to eight sessions with m (or space), then = compares them"
		return nil
	}
	for _, id := range p.marked {
		if p.entry(id) == nil {
			p.msg = "a marked session is gone or damaged: unmark it (m)"
			return nil
		}
	}
	p.cmp = &comparison{ids: slices.Clone(p.marked), ctl: newChartCtl()}
	return p.cmp.load(p.store)
}

// load reads the compared sessions' histories.
func (c *comparison) load(st *sessions.Store) tea.Cmd {
	ids := c.ids
	return func() tea.Msg {
		msg := compareHistoriesMsg{ids: ids, hist: make([][]engine.EpochStats, len(ids))}
		msg.err = safely(func() error {
			for i, id := range ids {
				h, err := st.History(id)
				if err != nil {
					return err
				}
				msg.hist[i] = h
			}
			return nil
		})
		return msg
	}
}

// compareLoaded takes the histories if they are still the ones asked for.
func (p *sessionsPane) compareLoaded(msg compareHistoriesMsg) tea.Cmd {
	if p.cmp == nil || !slices.Equal(msg.ids, p.cmp.ids) {
		return nil
	}
	if msg.err != nil {
		p.cmp, p.msg = nil, "cannot compare: "+msg.err.Error()
		return p.refresh()
	}
	p.cmp.hist = msg.hist
	return nil
}

func (p *sessionsPane) compareKey(msg tea.KeyMsg) {
	switch c := p.cmp; {
	case key.Matches(msg, p.compareKeys.Smooth):
		c.ctl.smooth = (c.ctl.smooth + 1) % len(smoothSteps)
	case key.Matches(msg, p.compareKeys.LogY):
		c.ctl.logY = !c.ctl.logY
	case key.Matches(msg, p.compareKeys.ZoomIn), key.Matches(msg, p.compareKeys.ZoomOut),
		key.Matches(msg, p.compareKeys.PanLeft), key.Matches(msg, p.compareKeys.PanRight):
		c.ctl.update(msg, newChartKeys())
	case key.Matches(msg, p.compareKeys.Save):
		p.openCompareSave()
	case key.Matches(msg, p.compareKeys.Back):
		p.cmp = nil
	case key.Matches(msg, p.compareKeys.Metric):
		c.metric = (c.metric + 1) % len(compareMetrics)
	case key.Matches(msg, p.compareKeys.Scale):
		c.scale = (c.scale + 1) % 3
	}
}

// window is the zoomed part of the epoch axis as fractions of it (0–1,
// whatever its scale): the chart keys' window over the longest run's
// epochs, so zoom halves the epochs shown as the Train pane's does.
func (c *comparison) window() (float64, float64) {
	n := longest(c.hist)
	if c.ctl.zoom == 0 || n < 2 {
		return 0, 1
	}
	a, b := c.ctl.window(1, float64(n))
	return (a - 1) / float64(n-1), (b - 1) / float64(n-1)
}

// metricName is compare metric i as the sessions name it.
func metricName(i int, s *sessions.Session) string {
	switch n := compareMetrics[i].name; n {
	case "", "val_":
		return n + s.MetricName()
	default:
		return n
	}
}

func (p *sessionsPane) compareView() string {
	st, c := p.st, p.cmp
	runs := make([]*sessions.Session, len(c.ids))
	for i, id := range c.ids {
		if runs[i] = p.entry(id); runs[i] == nil {
			p.cmp = nil
			return p.View()
		}
	}
	inner := p.width - 2
	head := fmt.Sprintf("%s %s · epochs %s %s · %s %s · %s %s · %s · %s", st.Key.Render("y"), metricName(c.metric, runs[0]),
		st.Key.Render("x"), c.scale, st.Key.Render("s"), smoothLabel(c.ctl.weight()), st.Key.Render("L"), onOff(c.ctl.logY, "log y", "linear y"),
		st.Key.Render("p")+" save picture", st.Dim.Render("esc back"))
	if p.plot.active {
		p.plot.width = inner
		head = p.plot.View()
	} else if p.plot.line != "" {
		head += "\n" + st.Good.Render(trunc(p.plot.line, inner))
	}
	table := settingsTable(st, runs, inner, false)
	if p.height-3-len(table) < 10 {
		table = settingsTable(st, runs, inner, true)
	}
	ch := p.height - 2 - strings.Count(head, "\n") - 1 - len(table)
	var body []string
	body = append(body, head)
	if c.hist == nil {
		body = append(body, st.Dim.Render("reading histories…"))
		body = append(body, make([]string, max(ch-1, 0))...)
	} else {
		curves := make([]runCurve, len(runs))
		for i := range runs {
			of := compareMetrics[c.metric].of
			ys := make([]float64, len(c.hist[i]))
			for j, e := range c.hist[i] {
				ys[j] = of(e)
			}
			if w := c.ctl.weight(); w > 0 {
				ys = sessions.Smooth(ys, w)
			}
			if c.ctl.logY {
				ys = log10s(ys)
			}
			curves[i] = runCurve{ys: ys, mark: runMark(i), style: st.class(i)}
		}
		from, to := c.window()
		body = append(body, strings.Split(markChart(curves, c.scale, [2]float64{from, to}, inner, max(ch, 0), st.Axis, c.ctl.logY), "\n")...)
	}
	body = append(body, table...)
	title := fmt.Sprintf("compare · %d runs", len(runs))
	if c.ctl.zoom > 0 {
		from, to := c.window()
		title += fmt.Sprintf(" · showing %.0f–%.0f%% of the epoch axis (+/- zoom, </> pan)", 100*from, 100*to)
	}
	return st.box(title, strings.Join(body, "\n"), p.width, p.height, true)
}

// compareTable lists the sessions' settings and results, one row per
// setting, one value per session.
func compareTable(ss []*sessions.Session) (names []string, vals [][]string) {
	names = []string{"best val", "test", "status", "trained", "best epoch", "data", "layers", "optimizer", "lr", "schedule", "batch", "epochs", "L1", "L2", "patience", "seed", "split"}
	vals = make([][]string, len(names))
	for _, s := range ss {
		h := s.Hyper
		v := []string{
			s.BestVal(), s.TestSummary(), string(s.Status), itoa(s.HistoryLen()), itoa(s.BestEpoch),
			s.Data.Ref, s.Layers, h.Optimizer, ftoa(h.LearningRate), h.Schedule, itoa(h.BatchSize),
			itoa(h.Epochs), ftoa(h.L1), ftoa(h.L2), itoa(h.Patience), itoa(h.Seed),
			fmt.Sprintf("%g/%g seed %d", s.Split.Val, s.Split.Test, s.Split.Seed),
		}
		for i := range names {
			vals[i] = append(vals[i], v[i])
		}
	}
	return names, vals
}

// settingsTable is one row per run (its glyph and name, the legend of the
// chart) with a column per setting that differs, highlighted; the settings
// all runs share are collapsed into lines beneath. Columns that do not fit
// w are dropped from the right (settings after results) and named. tight
// (a short pane) puts two runs a line where the width allows and the
// shared settings on one line, so the chart keeps some height.
func settingsTable(st *Styles, runs []*sessions.Session, w int, tight bool) []string {
	names, vals := compareTable(runs)
	var cols []int
	var same []string
	for i := range names {
		if slices.ContainsFunc(vals[i], func(v string) bool { return v != vals[i][0] }) {
			cols = append(cols, i)
		} else {
			same = append(same, names[i]+" "+vals[i][0])
		}
	}
	nw := 4
	for _, s := range runs {
		nw = max(nw, min(24, cellWidth(sessionName(s))))
	}
	widths := map[int]int{}
	used := 2 + nw
	var dropped []string
	var keep []int
	for _, i := range cols {
		cw := len(names[i])
		for _, v := range vals[i] {
			cw = max(cw, min(28, cellWidth(v)))
		}
		if used+1+cw > w {
			dropped = append(dropped, names[i])
			continue
		}
		used += 1 + cw
		widths[i] = cw
		keep = append(keep, i)
	}
	hdr := fmt.Sprintf("  %-*s", nw, "run")
	for _, i := range keep {
		hdr += fmt.Sprintf(" %-*s", widths[i], names[i])
	}
	var rows []string
	for r, s := range runs {
		line := st.class(r).Render(string(runMark(r))) + " " + fmt.Sprintf("%-*s", nw, trunc(sessionName(s), nw))
		for _, i := range keep {
			cell := fmt.Sprintf(" %-*s", widths[i], trunc(vals[i][r], widths[i]))
			if i >= 5 { // a setting, not a result: what made the runs differ
				cell = st.Changed.Render(cell)
			}
			line += cell
		}
		rows = append(rows, line)
	}
	out := []string{st.Bold.Render(hdr)}
	if pair := (len(rows) + 1) / 2; tight && len(rows) > 2 && 2*used+3 <= w {
		out[0] = st.Bold.Render(fitLine(hdr, used) + "   " + hdr)
		for i := range pair {
			l := fitLine(rows[i], used)
			if i+pair < len(rows) {
				l += "   " + rows[i+pair]
			}
			out = append(out, l)
		}
	} else {
		out = append(out, rows...)
	}
	sameLines := 2
	if tight {
		sameLines = 1
	}
	if len(dropped) > 0 {
		out = append(out, st.Warn.Render(trunc("also differ (widen to see): "+strings.Join(dropped, ", "), w)))
	}
	if len(same) > 0 {
		for _, l := range wrapParts("same for all: ", same, " · ", w, sameLines) {
			out = append(out, st.Dim.Render(l))
		}
	}
	return out
}

// wrapParts joins parts with sep into at most n lines of w cells, breaking
// only between parts; a last line that cannot hold the rest ends in "…".
func wrapParts(lead string, parts []string, sep string, w, n int) []string {
	var out []string
	cur := lead
	for i, p := range parts {
		add := p
		if cur != lead && cur != "" {
			add = sep + p
		}
		if cellWidth(cur+add) <= w || cur == "" || cur == lead {
			cur += add
			continue
		}
		if len(out) == n-1 {
			return append(out, trunc(cur+add, w))
		}
		out = append(out, cur)
		cur = parts[i]
	}
	return append(out, trunc(cur, w))
}
