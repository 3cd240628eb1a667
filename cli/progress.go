package cli

// Training progress as the train command prints it: a line per epoch redrawn
// in place on a terminal, JSON lines otherwise.

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"workbench/engine"
	"workbench/sessions"
)

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressPrinter shows a training run: start before Fit, event for each
// event (from one goroutine), finish once the session is saved.
type progressPrinter interface {
	start(pr *sessions.Prepared, startEpoch int)
	event(e engine.Event)
	finish(s *sessions.Session, startEpoch, planned int)
}

// jsonProgress writes JSON lines: one object per epoch and a summary.
type jsonProgress struct {
	w          io.Writer
	id         string
	regression bool
}

func (j *jsonProgress) start(*sessions.Prepared, int) {}

func (j *jsonProgress) event(e engine.Event) {
	if e.Kind != engine.EpochEnd {
		return
	}
	acc, valAcc := "accuracy", "val_accuracy"
	if j.regression {
		acc, valAcc = "r2", "val_r2"
	}
	writeLine(j.w, jsonObj{
		{"type", "epoch"}, {"session", j.id}, {"epoch", e.Epoch}, {"epochs", e.Epochs},
		{"loss", sessions.JSONFloat(e.Loss)}, {acc, sessions.JSONFloat(e.Accuracy)}, {"val_loss", sessions.JSONFloat(e.ValLoss)}, {valAcc, sessions.JSONFloat(e.ValAccuracy)},
		{"lr", sessions.JSONFloat(e.LearningRate)}, {"seconds", sessions.JSONFloat(e.Duration.Seconds())}, {"samples_per_sec", sessions.JSONFloat(e.SamplesPerSec)},
	})
}

func (j *jsonProgress) finish(s *sessions.Session, startEpoch, planned int) {
	writeLine(j.w, summaryJSON(s))
}

// summaryJSON is a run's summary line, as train prints it last and sweep
// prints it for each run (with "sweep").
func summaryJSON(s *sessions.Session) jsonObj {
	o := jsonObj{{"type", "summary"}, {"session", s.ID}, {"name", s.Name}, {"status", string(s.Status)}}
	if s.Sweep != "" {
		o = append(o, jsonField{"sweep", s.Sweep})
	}
	if s.Error != "" {
		o = append(o, jsonField{"error", s.Error})
	}
	o = append(o, jsonObj{{"epochs", s.Epochs()}, {"best_epoch", s.BestEpoch}}...)
	if b, ok := s.Best(); ok {
		o = append(o, jsonField{"best_val_loss", sessions.JSONFloat(b.ValLoss)})
	}
	if t := s.Test; t != nil {
		if s.IsClassification() {
			o = append(o, jsonObj{{"test_loss", sessions.JSONFloat(t.Loss)}, {"test_accuracy", sessions.JSONFloat(t.Accuracy)}}...)
			if len(t.Confusion) > 0 {
				o = append(o, jsonField{"class_report", reportJSON(sessions.Report(t.Confusion, s.Data.Classes))})
			}
		} else {
			o = append(o, jsonObj{{"test_loss", sessions.JSONFloat(t.Loss)}, {"test_mse", sessions.JSONFloat(t.MSE)}, {"test_mae", sessions.JSONFloat(t.MAE)}, {"test_r2", sessions.JSONFloat(t.R2)}}...)
		}
	}
	return o
}

// termProgress draws one line per epoch, redrawn in place while the epoch
// runs (bar, ETA, samples/s) and left as the epoch's summary.
type termProgress struct {
	w          io.Writer
	width      int
	regression bool
	epochWidth int
}

func newTermProgress(w io.Writer, s *sessions.Session) *termProgress {
	width := 100
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			width = cols
		}
	}
	return &termProgress{w: w, width: width, regression: !s.IsClassification()}
}

func (t *termProgress) start(pr *sessions.Prepared, startEpoch int) {
	s := pr.Session
	d := s.Data
	out := fmt.Sprintf("%d classes", len(d.Classes))
	if t.regression {
		out = fmt.Sprintf("%d target(s)", max(1, len(d.Targets)))
	}
	verb := "Training"
	if startEpoch > 0 {
		verb = fmt.Sprintf("Continuing from epoch %d:", startEpoch)
	}
	features := fmt.Sprintf("%d features", len(d.Features))
	if p := s.Preprocess; p != nil {
		features += fmt.Sprintf(" (encoded from %d columns)", len(p.Inputs))
	}
	fmt.Fprintf(t.w, "%s session %s (%q) on %s: %d rows (%d train, %d val, %d test), %s → %s\n",
		verb, s.ID, s.Name, d.Ref, d.Rows, d.TrainRows, d.ValRows, d.TestRows, features, out)
	if startEpoch == 0 {
		fmt.Fprintln(t.w, strings.TrimRight(s.Model.SummaryTable(), "\n"))
	}
	h := s.Hyper
	epochs := pr.Epochs
	if epochs == 0 {
		epochs = h.Epochs
	}
	t.epochWidth = len(fmt.Sprint(startEpoch + epochs))
	fmt.Fprintf(t.w, "%s, lr %g, batch %d, %d epochs, patience %d, seed %d\n\n", h.Optimizer, h.LearningRate, h.BatchSize, epochs, h.Patience, h.Seed)
}

func (t *termProgress) bar(done, total, width int, partial bool) string {
	if total < 1 {
		total = 1
	}
	fill := done * width / total
	b := strings.Repeat("=", fill)
	if partial && fill < width {
		b += ">" + strings.Repeat(".", width-fill-1)
	} else {
		b += strings.Repeat(".", width-fill)
	}
	return "[" + b + "]"
}

func (t *termProgress) metrics(e engine.Event, withVal bool) string {
	acc := "accuracy"
	if t.regression {
		acc = "r2"
	}
	s := fmt.Sprintf("loss: %.4f - %s: %.4f", e.Loss, acc, e.Accuracy)
	if withVal && !math.IsNaN(e.ValLoss) {
		s += fmt.Sprintf(" - val_loss: %.4f - val_%s: %.4f", e.ValLoss, acc, e.ValAccuracy)
	}
	return s
}

func (t *termProgress) event(e engine.Event) {
	head := fmt.Sprintf("Epoch %*d/%d ", t.epochWidth, e.Epoch, e.Epochs)
	if e.Kind == engine.Progress {
		eta := time.Duration(0)
		if e.Step > 0 {
			eta = e.Duration / time.Duration(e.Step) * time.Duration(e.Steps-e.Step)
		}
		line := fmt.Sprintf("%s%s %d/%d - ETA %s - %s samples/s - %s", head, t.bar(e.Step, e.Steps, 20, true),
			e.Step, e.Steps, sessions.ShortDuration(eta), sessions.HumanRate(e.SamplesPerSec), t.metrics(e, false))
		if len(line) > t.width-1 {
			line = line[:t.width-1]
		}
		fmt.Fprintf(t.w, "\r%s\x1b[K", line)
		return
	}
	mark := "" // the engine's best epoch: the weights a stop or the end keeps
	if e.BestEpoch == e.Epoch {
		mark = " *"
	}
	fmt.Fprintf(t.w, "\r%s%s %s - %s samples/s - %s%s\x1b[K\n", head, t.bar(1, 1, 20, false),
		sessions.ShortDuration(e.Duration), sessions.HumanRate(e.SamplesPerSec), t.metrics(e, true), mark)
}

func (t *termProgress) finish(s *sessions.Session, startEpoch, planned int) {
	ran := s.Epochs() - startEpoch
	fmt.Fprintln(t.w)
	switch s.Status {
	case sessions.Finished:
		if planned > 0 && ran < planned {
			fmt.Fprintf(t.w, "Stopped early after %d epochs: no better validation loss for %d epochs.\n", ran, s.Hyper.Patience)
		} else {
			fmt.Fprintf(t.w, "Finished %d epochs.\n", ran)
		}
	case sessions.Stopped:
		fmt.Fprintf(t.w, "Stopped after %d epochs.\n", ran)
	case sessions.Failed:
		fmt.Fprintf(t.w, "Failed after %d epochs: %s\n", ran, s.Error)
	}
	if b, ok := s.Best(); ok {
		fmt.Fprintf(t.w, "Best epoch %d (weights kept): %s\n", b.Epoch, s.EpochMetrics(b))
	}
	if m := s.Test; m != nil {
		fmt.Fprintf(t.w, "Test (%d rows): %s\n", s.Data.TestRows, s.TestMetrics(m))
	}
	fmt.Fprintf(t.w, "Saved session %s (%q).\n", s.ID, s.Name)
	fmt.Fprintf(t.w, "  workbench sessions show %s\n  workbench predict --session %s --input rows.csv\n  workbench serve --session %s\n", s.ID, s.ID, s.ID)
}

// reportJSON is a class report for JSON lines: per class and the macro and
// weighted averages, a ratio with nothing to divide as null.
func reportJSON(r sessions.ClassReport) jsonObj {
	scores := func(c sessions.ClassScores) jsonObj {
		return jsonObj{{"class", c.Class}, {"precision", sessions.JSONFloat(c.Precision)}, {"recall", sessions.JSONFloat(c.Recall)},
			{"f1", sessions.JSONFloat(c.F1)}, {"support", c.Support}}
	}
	classes := make([]jsonObj, len(r.Classes))
	for i, c := range r.Classes {
		classes[i] = scores(c)
	}
	return jsonObj{{"classes", classes}, {"accuracy", sessions.JSONFloat(r.Accuracy)}, {"macro_avg", scores(r.Macro)}, {"weighted_avg", scores(r.Weighted)}}
}
