package cli

// sessions show: a session's report (with its history and confusion matrix).

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"workbench/sessions"
)

// showSession returns the first write error (a closed pipe, a full disk):
// bufio keeps it, so the many prints need no check of their own.
func showSession(out io.Writer, s *sessions.Session, allHistory bool) error {
	w := bufio.NewWriter(out)
	d := s.Data
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, f string, a ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(f, a...)) }
	row("Session", "%s", s.ID)
	row("Name", "%s", sessions.Printable(s.Name))
	status := string(s.Status)
	if s.Error != "" {
		status += ": " + s.Error
	}
	row("Status", "%s", status)
	if s.Sweep != "" {
		row("Sweep", "%s (workbench sessions --filter sweep=%s)", s.Sweep, s.Sweep)
	}
	row("Created", "%s (updated %s)", s.Created.Local().Format("2006-01-02 15:04:05 MST"), s.Updated.Local().Format("2006-01-02 15:04:05"))
	dropped := ""
	if d.Dropped > 0 {
		dropped = fmt.Sprintf(", %d dropped for missing values", d.Dropped)
	}
	test := fmt.Sprintf("%d test", d.TestRows)
	if s.Split.TestRef != "" {
		test = fmt.Sprintf("%d test: the official test set %s", d.TestRows, s.Split.TestRef)
	}
	row("Dataset", "%s: %s, %d rows (%d train / %d val / %s, split seed %d%s)", d.Ref, d.Task, d.Rows, d.TrainRows, d.ValRows, test, s.Split.Seed, dropped)
	if d.Target != "" {
		row("Target", "%s", d.Target)
	}
	if f := tableFlagsText(d.Table); f != "" {
		row("Columns", "%s", f)
	}
	row("Features", "%d: %s", len(d.Features), sessions.Clip(strings.Join(d.Features, ", "), 100))
	if len(d.Classes) > 0 {
		row("Classes", "%d: %s", len(d.Classes), sessions.Clip(strings.Join(d.Classes, ", "), 100))
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
	if h.KeepLast {
		extra += ", keeps the last epoch (--restore-best=false)"
	}
	row("Training", "%s, lr %g (%s), batch %d%s, patience %d, seed %d, %s planned",
		h.Optimizer, h.LearningRate, h.Schedule, h.BatchSize, extra, h.Patience, h.Seed, sessions.NEpochs(h.Epochs))
	tw.Flush()
	showInputs(w, s)

	if s.Model != nil {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(s.Model.SummaryTable(), "\n"))
	}
	fmt.Fprint(w, "\n"+s.HistoryTable(allHistory))
	if b, ok := s.Best(); ok {
		fmt.Fprintf(w, "\nBest epoch %d (its weights are kept): %s\n", b.Epoch, s.EpochMetrics(b))
	}
	if t := s.Test; t != nil {
		fmt.Fprintf(w, "Test (%d rows): %s\n", d.TestRows, s.TestMetrics(t))
		if len(t.Confusion) > 0 {
			fmt.Fprint(w, "\n"+sessions.ConfusionText(t.Confusion, d.Classes))
			fmt.Fprint(w, "\nPer class (test):\n"+sessions.Report(t.Confusion, d.Classes).Text())
		}
	}
	return w.Flush()
}
