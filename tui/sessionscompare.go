package tui

import (
	"fmt"
	"math"
	"strings"

	"workbench/engine"
	"workbench/sessions"
)

func (p *sessionsPane) compareView() string {
	st := p.st
	a, b := p.entry(p.marked[0]), p.entry(p.marked[1])
	if a == nil || b == nil {
		p.comparing = false
		return p.View()
	}
	rows := compareRows(a, b)
	tw := min(p.width/2, 64)
	var lines []string
	// Both columns share what the box leaves after the names: at 80
	// columns a fixed 24 cells each pushed B off the edge.
	cw2 := max(6, min(24, (tw-2-13-1)/2))
	lines = append(lines, st.Bold.Render(fmt.Sprintf("%-12s %-*s %-*s", "", cw2, "A "+trunc(sessionName(a), cw2-2), cw2, "B "+trunc(sessionName(b), cw2-2))))
	for _, r := range rows {
		l := fmt.Sprintf("%-12s %-*s %-*s", r.name, cw2, trunc(r.a, cw2), cw2, trunc(r.b, cw2))
		if r.a != r.b {
			l = st.Changed.Render(l)
		}
		lines = append(lines, l)
	}
	lines = append(lines, "", st.Dim.Render("differences highlighted · esc back"))
	table := st.box("settings", strings.Join(lines, "\n"), tw, p.height, false)
	cw := p.width - tw
	chart := lineChart(chartSpec{
		w: cw - 2, h: p.height - 3,
		series: []series{
			{ys: lossOf(p.compareHist[0], false), x0: 1, style: st.Train},
			{ys: lossOf(p.compareHist[0], true), x0: 1, style: st.Train, dotted: true},
			{ys: lossOf(p.compareHist[1], false), x0: 1, style: st.Val},
			{ys: lossOf(p.compareHist[1], true), x0: 1, style: st.Val, dotted: true},
		},
		xMin: 1, xMax: 2, yMin: math.NaN(), yMax: math.NaN(), axis: st.Axis,
	})
	legend := st.Train.Render("━ A train ┄ A val") + "  " + st.Val.Render("━ B train ┄ B val")
	return hjoin(table, st.box("loss", legend+"\n"+chart, cw, p.height, false))
}

// lossOf is one loss curve of a history (read by compare: listings carry
// none).
func lossOf(hist []engine.EpochStats, val bool) []float64 {
	out := make([]float64, len(hist))
	for i, h := range hist {
		out[i] = h.Loss
		if val {
			out[i] = h.ValLoss
		}
	}
	return out
}

type compareRow struct{ name, a, b string }

// compareRows lists two sessions' settings and results side by side.
func compareRows(a, b *sessions.Session) []compareRow {
	f := func(s *sessions.Session) []string {
		h := s.Hyper
		test := "–"
		if s.Test != nil {
			if len(s.Data.Classes) > 0 {
				test = fmt.Sprintf("acc %.4f", s.Test.Accuracy)
			} else {
				test = fmt.Sprintf("R² %.4f", s.Test.R2)
			}
		}
		return []string{
			s.Data.Ref, s.Layers, h.Optimizer, ftoa(h.LearningRate), h.Schedule, itoa(h.BatchSize),
			itoa(h.Epochs), ftoa(h.L1), ftoa(h.L2), itoa(h.Patience), itoa(h.Seed),
			fmt.Sprintf("%g/%g seed %d", s.Split.Val, s.Split.Test, s.Split.Seed),
			fmt.Sprint(s.HistoryLen()), fmt.Sprint(s.BestEpoch), s.BestVal(), test, string(s.Status),
		}
	}
	names := []string{"data", "layers", "optimizer", "lr", "schedule", "batch", "epochs", "L1", "L2", "patience", "seed", "split", "trained", "best epoch", "best val", "test", "status"}
	va, vb := f(a), f(b)
	rows := make([]compareRow, len(names))
	for i := range names {
		rows[i] = compareRow{names[i], va[i], vb[i]}
	}
	return rows
}
