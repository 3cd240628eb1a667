package cli

// The session tables and reports: the sessions list, sessions show (with
// its history and confusion matrix) and the words for a session's figures.

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"workbench/engine"
	"workbench/sessions"
)

// writeSessionTable prints one row per session. A damaged session's reason
// starts at the NAME column: written through the tabwriter as a short row
// it would end the column block and misalign every row after it.
func writeSessionTable(w io.Writer, entries []sessions.Entry) error {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tDATASET\tLAYERS\tSTATUS\tEPOCHS\tBEST VAL\tTEST\tCREATED")
	for _, e := range entries {
		if e.Session == nil {
			fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t\t\n", e.ID)
			continue
		}
		s := e.Session
		layers := s.Layers
		if layers == "" {
			layers = "(none)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, clip(s.Name, 24), clip(s.Data.Ref, 24), clip(layers, 24),
			s.Status, s.Epochs(), bestVal(s), testSummary(s), s.Created.Local().Format("2006-01-02 15:04"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	nameCol := strings.Index(lines[0], "NAME")
	for i, e := range entries {
		if e.Session == nil {
			lines[i+1] = fmt.Sprintf("%-*s", nameCol, e.ID) + "DAMAGED: " + e.Damaged
		}
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// metricName is what a session's accuracy columns hold.
func metricName(s *sessions.Session) string {
	if s.IsClassification() {
		return "acc"
	}
	return "r2"
}

func bestVal(s *sessions.Session) string {
	b, ok := s.Best()
	if !ok || math.IsNaN(b.ValAccuracy) {
		return "-"
	}
	return fmt.Sprintf("%s %.3f @%d", metricName(s), b.ValAccuracy, b.Epoch)
}

func testSummary(s *sessions.Session) string {
	if s.Test == nil {
		return "-"
	}
	if s.IsClassification() {
		return fmt.Sprintf("acc %.3f", s.Test.Accuracy)
	}
	return fmt.Sprintf("r2 %.3f", s.Test.R2)
}

// showSession returns the first write error (a closed pipe, a full disk):
// bufio keeps it, so the many prints need no check of their own.
func showSession(out io.Writer, s *sessions.Session, allHistory bool) error {
	w := bufio.NewWriter(out)
	d := s.Data
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, f string, a ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(f, a...)) }
	row("Session", "%s", s.ID)
	row("Name", "%s", s.Name)
	status := string(s.Status)
	if s.Error != "" {
		status += ": " + s.Error
	}
	row("Status", "%s", status)
	row("Created", "%s (updated %s)", s.Created.Local().Format("2006-01-02 15:04:05 MST"), s.Updated.Local().Format("2006-01-02 15:04:05"))
	dropped := ""
	if d.Dropped > 0 {
		dropped = fmt.Sprintf(", %d dropped for missing values", d.Dropped)
	}
	row("Dataset", "%s: %s, %d rows (%d train / %d val / %d test, split seed %d%s)", d.Ref, d.Task, d.Rows, d.TrainRows, d.ValRows, d.TestRows, s.Split.Seed, dropped)
	if d.Target != "" {
		row("Target", "%s", d.Target)
	}
	row("Features", "%d: %s", len(d.Features), clip(strings.Join(d.Features, ", "), 100))
	if len(d.Classes) > 0 {
		row("Classes", "%d: %s", len(d.Classes), clip(strings.Join(d.Classes, ", "), 100))
	}
	if len(d.Targets) > 0 {
		row("Targets", "%s", strings.Join(d.Targets, ", "))
	}
	layers := s.Layers
	if layers == "" {
		layers = "(no hidden layer)"
	}
	row("Layers", "%s", layers)
	h := s.Hyper
	extra := ""
	if h.L1 > 0 {
		extra += fmt.Sprintf(", l1 %g", h.L1)
	}
	if h.L2 > 0 {
		extra += fmt.Sprintf(", l2 %g", h.L2)
	}
	if h.ClipNorm > 0 {
		extra += fmt.Sprintf(", clip %g", h.ClipNorm)
	}
	row("Training", "%s, lr %g (%s), batch %d%s, patience %d, seed %d, %s planned",
		h.Optimizer, h.LearningRate, h.Schedule, h.BatchSize, extra, h.Patience, h.Seed, nEpochs(h.Epochs))
	tw.Flush()

	if s.Model != nil {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(s.Model.SummaryTable(), "\n"))
	}
	showHistory(w, s, allHistory)
	if b, ok := s.Best(); ok {
		fmt.Fprintf(w, "\nBest epoch %d (its weights are kept): %s\n", b.Epoch, epochMetrics(s, b))
	}
	if t := s.Test; t != nil {
		fmt.Fprintf(w, "Test (%d rows): %s\n", d.TestRows, testMetrics(s, t))
		if len(t.Confusion) > 0 {
			showConfusion(w, t.Confusion, d.Classes)
		}
	}
	return w.Flush()
}

func showHistory(w io.Writer, s *sessions.Session, all bool) {
	n := len(s.History)
	if n == 0 {
		fmt.Fprintln(w, "\nNo epochs trained yet.")
		return
	}
	step := 1
	if !all && n > 25 {
		step = (n + 14) / 15
	}
	acc := "ACCURACY"
	if !s.IsClassification() {
		acc = "R2"
	}
	note := ""
	if step > 1 {
		note = fmt.Sprintf("; one epoch in %d shown, --history for all", step)
	}
	fmt.Fprintf(w, "\nHistory (%s; * best%s)\n", nEpochs(n), note)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "EPOCH\tLOSS\t%s\tVAL LOSS\tVAL %s\tLR\tTIME\t\n", acc, acc)
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.4f", v)
	}
	for i, e := range s.History {
		best := e.Epoch == s.BestEpoch
		if step > 1 && i%step != 0 && i != n-1 && !best {
			continue
		}
		mark := " "
		if best {
			mark = "*"
		}
		fmt.Fprintf(tw, "%d%s\t%s\t%s\t%s\t%s\t%g\t%s\t\n", e.Epoch, mark, f(e.Loss), f(e.Accuracy), f(e.ValLoss), f(e.ValAccuracy),
			e.LearningRate, shortDuration(time.Duration(e.Seconds*float64(time.Second))))
	}
	tw.Flush()
}

func showConfusion(w io.Writer, cm [][]int, classes []string) {
	name := func(i int) string {
		if i < len(classes) {
			return clip(classes[i], 16)
		}
		return fmt.Sprint(i)
	}
	fmt.Fprintln(w, "\nConfusion matrix (rows: true class, columns: predicted)")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for j := range cm {
		fmt.Fprintf(tw, "%s\t", name(j))
	}
	fmt.Fprintln(tw)
	for i, r := range cm {
		fmt.Fprintf(tw, "%s\t", name(i))
		for _, c := range r {
			fmt.Fprintf(tw, "%d\t", c)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// nEpochs says "1 epoch" or "20 epochs".
func nEpochs(n int) string {
	if n == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", n)
}

// epochMetrics describes one epoch of history in words.
func epochMetrics(s *sessions.Session, e engine.EpochStats) string {
	acc := "accuracy"
	if !s.IsClassification() {
		acc = "r2"
	}
	out := fmt.Sprintf("loss %.4f, %s %.4f", e.Loss, acc, e.Accuracy)
	if !math.IsNaN(e.ValLoss) {
		out += fmt.Sprintf("; val_loss %.4f, val_%s %.4f", e.ValLoss, acc, e.ValAccuracy)
	}
	return out
}

// testMetrics describes the test split's metrics in words.
func testMetrics(s *sessions.Session, m *engine.Metrics) string {
	if s.IsClassification() {
		return fmt.Sprintf("loss %.4f, accuracy %.4f", m.Loss, m.Accuracy)
	}
	return fmt.Sprintf("loss %.4f, mse %.4f, mae %.4f, r2 %.4f", m.Loss, m.MSE, m.MAE, m.R2)
}
