package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"workbench/sessions"
)

const sessionsDescription = `Lists, shows, renames and removes saved sessions (one folder each under
<home>/sessions). A session may be named by its id, a unique prefix of its
id, its name (the newest of that name) or "latest".

  sessions [list]             a table, newest first; damaged sessions show why
  sessions show ID            data, spec, summary table, history, metrics and
                              the confusion matrix (--json: the session.json)
  sessions rm ID [ID...]      remove sessions
  sessions rename ID NAME     give a session a new display name (its id stays)`

func runSessions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sessions", "sessions [list|show ID|rm ID...|rename ID NAME] [flags]", sessionsDescription, []string{
		"workbench sessions",
		"workbench sessions show latest",
		"workbench sessions show 20261130-1542 --history",
		"workbench sessions rename latest iris-baseline",
		"workbench sessions rm 20261130-154233-iris --home /srv/workbench",
		"workbench sessions --json | jq -r '.[] | select(.status==\"finished\") | .id'",
	}, stdout)
	home := homeFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON (list: an array; show: the session.json)")
	history := fs.Bool("history", false, "show: print every epoch, not a sample")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	st, err := openStore(*home)
	if err != nil {
		return err
	}
	switch sub {
	case "list", "ls":
		if err := wantArgs(fs, pos, 0, 0, "no arguments after list"); err != nil {
			return err
		}
		return listSessions(st, stdout, *asJSON)
	case "show":
		if err := wantArgs(fs, pos, 1, 1, "one session to show"); err != nil {
			return err
		}
		s, err := loadSession(st, pos[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, s)
		}
		return showSession(stdout, s, *history)
	case "rm", "remove", "delete":
		if err := wantArgs(fs, pos, 1, -1, "the session(s) to remove"); err != nil {
			return err
		}
		for _, q := range pos {
			id, err := st.Resolve(q)
			if err != nil {
				return err
			}
			if err := st.Delete(id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Removed session %s.\n", id)
		}
		return nil
	case "rename":
		if err := wantArgs(fs, pos, 2, -1, "a session and its new name"); err != nil {
			return err
		}
		id, err := st.Resolve(pos[0])
		if err != nil {
			return err
		}
		name := strings.Join(pos[1:], " ")
		if err := st.Rename(id, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Renamed session %s to %q.\n", id, strings.TrimSpace(name))
		return nil
	}
	return fmt.Errorf("sessions: unknown subcommand %q; use list, show, rm or rename (see 'workbench sessions --help')", sub)
}

func listSessions(st *sessions.Store, w io.Writer, asJSON bool) error {
	entries, err := st.List()
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]jsonObj, 0, len(entries))
		for _, e := range entries {
			out = append(out, entryJSON(e))
		}
		return writeJSON(w, out)
	}
	if len(entries) == 0 {
		fmt.Fprintf(w, "No sessions yet in %s.\nTrain one with: workbench train --data iris\n", st.Dir)
		return nil
	}
	return writeSessionTable(w, entries)
}

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

func entryJSON(e sessions.Entry) jsonObj {
	if e.Session == nil {
		return jsonObj{{"id", e.ID}, {"damaged", e.Damaged}}
	}
	s := e.Session
	o := jsonObj{
		{"id", s.ID}, {"name", s.Name}, {"status", string(s.Status)},
		{"created", s.Created.Format(time.RFC3339)}, {"updated", s.Updated.Format(time.RFC3339)},
		{"dataset", s.Data.Ref}, {"task", string(s.Data.Task)}, {"layers", s.Layers},
		{"epochs", s.Epochs()}, {"best_epoch", s.BestEpoch},
	}
	if s.Error != "" {
		o = append(o, jsonField{"error", s.Error})
	}
	acc := "accuracy"
	if !s.IsClassification() {
		acc = "r2"
	}
	if b, ok := s.Best(); ok {
		o = append(o, jsonObj{{"best_val_loss", num(b.ValLoss)}, {"best_val_" + acc, num(b.ValAccuracy)}}...)
	}
	if t := s.Test; t != nil {
		if s.IsClassification() {
			o = append(o, jsonObj{{"test_loss", num(t.Loss)}, {"test_accuracy", num(t.Accuracy)}}...)
		} else {
			o = append(o, jsonObj{{"test_loss", num(t.Loss)}, {"test_mse", num(t.MSE)}, {"test_mae", num(t.MAE)}, {"test_r2", num(t.R2)}}...)
		}
	}
	return o
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
