package tui

import (
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
)

// The Train pane's results after training: test metrics, then for a
// classifier the confusion matrix and the per-class report, for a
// regression the test split's predictions against the truth.

// testPairs rebuilds s's test split (as it was trained: same data, split
// and scaler) and predicts it, off the UI goroutine.
func testPairs(s *sessions.Session, fl files) tea.Cmd {
	return func() tea.Msg {
		var pr sessions.Pairs
		err := safely(func() error {
			prep, err := sessions.ReprepareWith(s, fl.loadOptions(datasets.LoadOptions{}))
			if err != nil {
				return err
			}
			pr, err = sessions.TestPairs(prep)
			return err
		})
		return testPairsMsg{id: s.ID, pairs: pr, err: err}
	}
}

// askPairs asks for the pairs of a finished regression session, once.
func (p *trainPane) askPairs(s *sessions.Session) {
	p.pairs, p.pairsErr, p.pairsFor = nil, "", ""
	if s == nil || s.ID == "" || s.IsClassification() || s.Test == nil {
		return
	}
	p.pairsFor = s.ID
	p.ask(testPairsAskMsg{id: s.ID})
}

func (p *trainPane) onPairs(msg testPairsMsg) {
	if msg.id != p.pairsFor {
		return
	}
	if msg.err != nil {
		p.pairsErr = msg.err.Error()
		return
	}
	pr := msg.pairs
	p.pairs = &pr
}

// resultsHeight is the rows the results want, so the layout can give
// them room: the report and confusion matrix, or the scatter.
func (p *trainPane) resultsHeight() int {
	if p.test == nil {
		return 3
	}
	if p.task == datasets.Regression {
		return 14
	}
	n := max(len(p.test.Confusion), len(p.classes))
	return 2*n + 9 // test line, blank, matrix (n+1), blank, report (n+5)
}

func (p *trainPane) resultsBody(w, h int) string {
	st := p.st
	if p.test == nil {
		if p.task == datasets.Regression {
			return st.Dim.Render("test metrics and predictions against the truth appear when training ends")
		}
		if p.state == trainDone || p.state == trainIdle {
			return st.Dim.Render("test metrics and the confusion matrix appear when training ends")
		}
		return st.Dim.Render("test metrics appear when training ends")
	}
	t := p.test
	if p.task == datasets.Regression {
		head := st.Bold.Render("test") + "  " + st.kv("loss", fmtF(t.Loss), "R²", fmtF(t.R2), "MSE", fmtF(t.MSE), "MAE", fmtF(t.MAE))
		switch {
		case p.pairsErr != "":
			return head + "\n" + st.Warn.Render(trunc("no predicted-vs-actual plot: "+p.pairsErr, w))
		case p.pairs == nil && p.pairsFor != "":
			return head + "\n" + st.Dim.Render("predicting the test split…")
		case p.pairs == nil || h < 6:
			return head
		}
		return head + "\n" + st.Dim.Render("predicted (y) against actual (x); ━ is perfect") + "\n" + p.pairsPlot(w, h-2)
	}
	head := st.Bold.Render("test") + "  " + st.kv("loss", fmtF(t.Loss), "accuracy", fmtF(t.Accuracy))
	if p.showGallery && imageSide(p.ds) > 0 {
		return head + "\n" + p.galleryView(w, h-1)
	}
	if imageSide(p.ds) > 0 {
		head += st.Dim.Render("  · g misclassified images")
	}
	if len(t.Confusion) == 0 {
		return head
	}
	cm := p.confusion(t.Confusion, w)
	rep := strings.TrimRight(sessions.Report(t.Confusion, p.classes).Text(), "\n")
	rows := func(s string) int { return strings.Count(s, "\n") + 1 }
	switch {
	case 1+1+rows(cm)+1+rows(rep) <= h: // stacked
		return head + "\n\n" + cm + "\n\n" + rep
	case lipgloss.Width(cm)+3+lipgloss.Width(rep) <= w && 2+max(rows(cm), rows(rep)) <= h: // side by side
		return head + "\n\n" + hjoin(fitBlock(cm, lipgloss.Width(cm)+3, rows(cm)), rep)
	}
	// Too little room for both: the report says more per row.
	return head + "\n\n" + rep
}

// pairsPlot draws the test split's predictions against the truth, with
// the line where they would be equal.
func (p *trainPane) pairsPlot(w, h int) string {
	pr := p.pairs
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, a := range pr.Actual {
		if finite(a) && finite(pr.Predicted[i]) {
			lo, hi = math.Min(lo, math.Min(a, pr.Predicted[i])), math.Max(hi, math.Max(a, pr.Predicted[i]))
		}
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	ss := []series{
		{xs: []float64{lo, hi}, ys: []float64{lo, hi}, style: p.st.Train},
		{xs: pr.Actual, ys: pr.Predicted, style: p.st.Val, points: true},
	}
	return lineChart(chartSpec{w: w, h: h, series: ss, xMin: lo, xMax: hi, yMin: lo, yMax: hi, axis: p.st.Axis, xFloat: true})
}
