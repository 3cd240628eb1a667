package cli

// A sweep's output: a line per run and a leaderboard on a terminal, JSON
// lines otherwise. The hooks come from the sweep's run goroutines, so each
// printer locks.

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"workbench/engine"
	"workbench/sessions"
)

type sweepPrinter interface {
	start(k int, run sessions.Run, pr *sessions.Prepared)
	event(k int, e engine.Event)
	done(k int, s *sessions.Session, err error)
	finish(res *sessions.SweepResult)
}

// jsonSweep writes each run's usual summary line (with "sweep" and the
// run's settings) and the sweep's line.
type jsonSweep struct {
	mu   sync.Mutex
	w    io.Writer
	runs map[int]sessions.Run
}

func (j *jsonSweep) start(k int, run sessions.Run, _ *sessions.Prepared) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.runs == nil {
		j.runs = map[int]sessions.Run{}
	}
	j.runs[k] = run
}

func (j *jsonSweep) event(int, engine.Event) {}

func (j *jsonSweep) done(k int, s *sessions.Session, err error) {
	if s == nil {
		return // stopped before its first epoch: nothing kept
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	writeLine(j.w, append(summaryJSON(s), jsonField{"settings", settingsObj(j.runs[k])}))
}

func (j *jsonSweep) finish(res *sessions.SweepResult) {
	o := jsonObj{{"type", "sweep"}, {"sweep", res.ID}, {"runs", len(res.Runs)}, {"finished", res.Finished()}, {"not_started", res.NotStarted()},
		{"stopped", res.Stopped}, {"metric", res.Metric}}
	if b := res.Best; b != nil {
		r := sessions.RecordOf(sessions.Entry{ID: b.ID, Session: b})
		best := jsonObj{{"session", b.ID}, {"name", b.Name}}
		for k, s := range res.Done {
			if s == b {
				best = append(best, jsonField{"settings", settingsObj(res.Runs[k])})
			}
		}
		best = append(best, jsonField{res.Metric, sessions.JSONFloat(r.Get(res.Metric).Num)})
		o = append(o, jsonField{"best", best})
	} else {
		o = append(o, jsonField{"best", nil})
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	writeLine(j.w, o)
}

// termSweep prints a header, one line per run (redrawn in place while it
// trains when runs go one at a time) and the leaderboard.
type termSweep struct {
	mu       sync.Mutex
	w        io.Writer
	width    int
	n        int
	parallel int
	names    map[int]string
	last     time.Time
}

func newTermSweep(w io.Writer, sw sessions.Sweep, runs []sessions.Run, parallel int) *termSweep {
	t := &termSweep{w: w, width: max(terminalWidth(w), 40), n: len(runs), parallel: parallel, names: map[int]string{}}
	m, _ := sessions.MetricField(sw.Metric)
	fmt.Fprintf(w, "Sweep of %s over %s on %s: best by %s, %d at a time.\n\n",
		nRuns(len(runs)), axesText(sw), sw.Base.DataRef, m.Name, parallel)
	return t
}

func (t *termSweep) head(k int) string {
	return fmt.Sprintf("[%*d/%d] %s", len(fmt.Sprint(t.n)), k+1, t.n, t.names[k])
}

func (t *termSweep) start(k int, run sessions.Run, pr *sessions.Prepared) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.names[k] = pr.Session.Name + "  " + run.String()
	if t.parallel > 1 {
		fmt.Fprintf(t.w, "%s  started\n", t.head(k))
	}
}

func (t *termSweep) event(k int, e engine.Event) {
	if t.parallel > 1 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.Kind == engine.Progress && time.Since(t.last) < 100*time.Millisecond {
		return
	}
	t.last = time.Now()
	line := fmt.Sprintf("%s  epoch %d/%d  loss %.4f", t.head(k), e.Epoch, e.Epochs, e.Loss)
	if e.Kind == engine.EpochEnd {
		line += "  val_loss " + sessions.FormatMetric(e.ValLoss)
	}
	// A transient line: cut to the width so \r can redraw it.
	if r := []rune(line); len(r) > t.width-1 {
		line = string(r[:t.width-1])
	}
	fmt.Fprintf(t.w, "\r%s\x1b[K", line)
}

func (t *termSweep) done(k int, s *sessions.Session, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var what string
	switch {
	case s == nil:
		what = "stopped before its first epoch; not kept"
	case s.Status == sessions.Failed:
		what = "failed: " + s.Error
	default:
		secs, _ := s.TrainingTime()
		what = fmt.Sprintf("%s, %s in %s  best val %s  test %s", s.Status, sessions.NEpochs(s.Epochs()),
			sessions.ShortDuration(time.Duration(secs*float64(time.Second))), s.BestVal(), s.TestSummary())
	}
	fmt.Fprintf(t.w, "\r%s  %s\x1b[K\n", t.head(k), what)
}

func (t *termSweep) finish(res *sessions.SweepResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	recs := res.Records()
	if len(recs) == 0 {
		return
	}
	run := map[string]sessions.Run{}
	for k, s := range res.Done {
		if s != nil {
			run[s.ID] = res.Runs[k]
		}
	}
	sessions.Leaderboard(recs, res.Metric)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	heads := []string{"#", "NAME"}
	for _, s := range res.Runs[0].Settings {
		heads = append(heads, strings.ToUpper(s.Key))
	}
	heads = append(heads, strings.ToUpper(res.Metric), "STATUS", "TRAINED", "DURATION", "ID")
	fmt.Fprintln(tw, strings.Join(heads, "\t"))
	for i, r := range recs {
		cells := []string{fmt.Sprint(i + 1), r.Format("name")}
		for _, s := range run[r.ID].Settings {
			cells = append(cells, s.Value)
		}
		cells = append(cells, r.Format(res.Metric), r.Format("status"), r.Format("epochs"), r.Format("duration_s"), r.ID)
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(t.w, "\nSweep %s, best first by %s:\n%s", res.ID, res.Metric, b.String())
	if best := res.Best; best != nil {
		fmt.Fprintf(t.w, "\nBest: %s (%s) %s\n", best.Name, best.ID, run[best.ID])
		sign := "-"
		if f, _ := sessions.MetricField(res.Metric); f.Better < 0 {
			sign = ""
		}
		fmt.Fprintf(t.w, "  workbench sessions --filter sweep=%s --sort %s%s\n  workbench serve --session %s\n", res.ID, sign, res.Metric, best.ID)
	}
}
