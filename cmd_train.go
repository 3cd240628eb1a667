package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

const trainDescription = `Trains a model and saves it as a session under the home directory. Every
flag has a default, so 'workbench train --data iris' alone works.

On a terminal it draws a progress line per epoch; when stdout is not a
terminal, or with --json, it prints one JSON object per epoch
({"type":"epoch",...}) and a final summary ({"type":"summary","session":ID,
"test_loss":...,"test_accuracy":...}, or test_mse/test_mae/test_r2 for
regression), and nothing else on stdout.

For regression the model learns the target standardised with the training
split's mean and std, so targets in any units (prices near 100,000) train
with the defaults. loss, val_loss and test_loss are on that standardised
scale (comparable with each other); mse, mae, r2 and every prediction are
in the target's own units.

Ctrl-C stops training cleanly: the session is saved as "stopped" with what
it learned (the best epoch's weights), a message says so on stderr and the
exit code is 0. Continue it later with --session. Stopped before its
first epoch ends, a new session is not kept (it learned nothing) and a
continued one is left as it was; one line on stderr says so, there is no
JSON summary, and the exit code is 0. Training that fails
(the loss diverged) is saved as "failed" and exits 1.

With --session, training continues a saved session for --epochs more epochs
(default: as many as it was first trained for), on the same data, split and
scaler; its history grows and epoch numbers continue.`

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	d := sessions.DefaultHyper()
	fs := newFlagSet("train", "train --data REF [flags]\n       workbench train --session ID [--epochs N] [--json]", trainDescription, []string{
		"workbench train --data iris",
		"workbench train --data digits --layers 64:relu,dropout:0.2 --epochs 50 --name digits-64",
		"workbench train --data 'spiral?n=600&noise=0.2&seed=7' --layers 64:relu,64:relu --epochs 300 --patience 50",
		"workbench train --data ./houses.csv --target price --task regression --drop-missing",
		"workbench train --data wine --json > log.jsonl",
		"workbench train --session latest --epochs 20",
	}, stdout)
	home := homeFlag(fs)
	data := fs.String("data", "", "dataset `ref`: a built-in name (iris), a synthetic set with parameters ('spiral?n=600&noise=0.2'), or a CSV/IDX path; see 'workbench datasets'")
	target := fs.String("target", "", "CSV target column by `name or 0-based index` (default the last)")
	task := fs.String("task", "", "force the `task`: classification or regression (default: detected from the target)")
	dropMissing := fs.Bool("drop-missing", false, "drop CSV rows with missing values (and count them) instead of failing")
	layers := fs.String("layers", sessions.DefaultLayers, "hidden layers `spec`, e.g. 64:relu,dropout:0.2,32:tanh; \"\" for none. Activations: "+strings.Join(engine.Activations, ", "))
	epochs := fs.Int("epochs", d.Epochs, "`number` of epochs (with --session: how many more)")
	batch := fs.Int("batch", d.BatchSize, "mini-batch `size`")
	optimizer := fs.String("optimizer", d.Optimizer, "`name`: "+strings.Join(engine.Optimizers, ", "))
	lr := fs.Float64("lr", d.LearningRate, "learning `rate`")
	schedule := fs.String("schedule", d.Schedule, "learning-rate `schedule`: "+strings.Join(engine.Schedules, ", "))
	l1 := fs.Float64("l1", d.L1, "L1 penalty `weight`")
	l2 := fs.Float64("l2", d.L2, "L2 penalty `weight`")
	clip := fs.Float64("clip", d.ClipNorm, "clip the gradient's global `norm` (0 = off)")
	val := fs.Float64("val", 0.2, "`fraction` of rows held out for validation")
	test := fs.Float64("test", 0.2, "`fraction` of rows held out for the final test")
	patience := fs.Int("patience", d.Patience, "stop after `N` epochs without a better validation loss, keeping the best (0 = off)")
	seed := fs.Int64("seed", d.Seed, "`seed` for the split, initial weights and shuffling (same seed, same run)")
	name := fs.String("name", "", "session `name` (default the dataset's name)")
	resume := fs.String("session", "", "continue training a saved session: `id`, unique id prefix, name or latest")
	asJSON := fs.Bool("json", false, "print JSON lines (one per epoch, then a summary) even on a terminal")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	// `workbench train iris` reads as naturally as --data iris.
	if len(pos) == 1 && *data == "" && *resume == "" {
		*data, pos = pos[0], nil
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments besides flags"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var pr *sessions.Prepared
	st, err := openStore(*home)
	if err != nil {
		return err
	}
	if *resume != "" {
		for _, f := range []string{"data", "target", "task", "drop-missing", "layers", "batch", "optimizer", "lr", "schedule", "l1", "l2", "clip", "val", "test", "patience", "seed", "name"} {
			if set[f] {
				return fmt.Errorf("train: --%s cannot change when continuing a session; train a new one with --data", f)
			}
		}
		s, err := loadSession(st, *resume)
		if err != nil {
			return err
		}
		if pr, err = sessions.Reprepare(s); err != nil {
			return err
		}
		pr.Epochs = s.Hyper.Epochs
		if set["epochs"] {
			if *epochs < 1 {
				return fmt.Errorf("train: --epochs must be at least 1, got %d", *epochs)
			}
			pr.Epochs = *epochs
		}
	} else {
		if *data == "" {
			return errors.New("train: missing --data: a dataset such as iris, 'spiral?n=600', or a CSV path (see 'workbench datasets')")
		}
		if t := datasets.Task(*task); t != "" && t != datasets.Classification && t != datasets.Regression {
			return fmt.Errorf("train: unknown task %q; choose classification or regression", *task)
		}
		if err := csvOnlyFlags(*data, set); err != nil {
			return err
		}
		if *val == 0 && *test == 0 {
			return errors.New("train: --val and --test cannot both be 0; hold out at least one of them")
		}
		plan := sessions.Plan{
			Name:    *name,
			DataRef: *data,
			Load:    datasets.LoadOptions{Target: *target, Task: datasets.Task(*task), DropMissing: *dropMissing},
			Val:     *val,
			Test:    *test,
			Layers:  *layers,
			Hyper: sessions.Hyper{
				Epochs: *epochs, BatchSize: *batch, Optimizer: *optimizer, LearningRate: *lr,
				Schedule: *schedule, L1: *l1, L2: *l2, ClipNorm: *clip, Patience: *patience, Seed: *seed,
			},
		}
		// Zero means "default" to Prepare; on the command line it is a mistake.
		for _, c := range []struct {
			flag string
			bad  bool
		}{{"epochs", *epochs < 1}, {"batch", *batch < 1}, {"lr", !(*lr > 0)}} {
			if c.bad {
				return fmt.Errorf("train: --%s must be positive", c.flag)
			}
		}
		if pr, err = sessions.Prepare(plan); err != nil {
			if errors.Is(err, datasets.ErrMissingValue) {
				return fmt.Errorf("train: %s", strings.Replace(err.Error(), "can be dropped instead", "can be dropped instead with --drop-missing", 1))
			}
			return fmt.Errorf("train: %w", err)
		}
	}
	return trainAndReport(ctx, st, pr, stdout, stderr, !*asJSON && isTerminal(stdout))
}

func trainAndReport(ctx context.Context, st *sessions.Store, pr *sessions.Prepared, stdout, stderr io.Writer, tty bool) error {
	s := pr.Session
	// Saving first gives the session its id for the header, and shows it
	// as running in listings from the start.
	if err := st.Save(s); err != nil {
		return err
	}
	startEpoch := s.Epochs()
	var p progressPrinter
	if tty {
		p = newTermProgress(stdout, s)
	} else {
		p = &jsonProgress{w: stdout, id: s.ID, regression: !s.IsClassification()}
	}
	p.start(pr, startEpoch)

	relay := engine.NewRelay()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			e, ok := relay.Next(context.Background())
			if !ok {
				return
			}
			p.event(e)
		}
	}()
	s, trainErr := st.Train(ctx, pr, relay.Handle, nil)
	relay.Close()
	<-done
	if errors.Is(trainErr, sessions.ErrNothingTrained) {
		// Stopping is the user's choice, so this is no failure; there is
		// no summary, as there is no new epoch or kept session to sum up.
		if tty {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stderr, "Training %s.\n", trainErr)
		return nil
	}
	if s == nil {
		return trainErr
	}
	p.finish(s, startEpoch, pr.Epochs)
	ran := s.Epochs() - startEpoch
	switch {
	case s.Status == sessions.Failed:
		return fmt.Errorf("training failed: %s; session %s saved as failed", s.Error, s.ID)
	case trainErr != nil:
		return trainErr
	case s.Status == sessions.Stopped:
		fmt.Fprintf(stderr, "Training stopped by interrupt after %s; session %s saved as stopped with the best weights so far.\nContinue it with: workbench train --session %s\n", nEpochs(ran), s.ID, s.ID)
	}
	return nil
}

// csvOnlyFlags refuses --target, --task and --drop-missing with a built-in
// or synthetic dataset: datasets.Load ignores them there, so a user who
// typed --task regression on iris would silently get a classifier.
func csvOnlyFlags(ref string, set map[string]bool) error {
	name, _, _ := strings.Cut(strings.TrimSpace(ref), "?")
	for _, info := range datasets.Catalog() {
		if info.Name != name {
			continue
		}
		for _, f := range []string{"target", "task", "drop-missing"} {
			if set[f] {
				return fmt.Errorf("train: --%s applies to CSV files only; %s is a built-in %s dataset", f, name, info.Task)
			}
		}
	}
	return nil
}

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
		{"loss", num(e.Loss)}, {acc, num(e.Accuracy)}, {"val_loss", num(e.ValLoss)}, {valAcc, num(e.ValAccuracy)},
		{"lr", num(e.LearningRate)}, {"seconds", num(e.Duration.Seconds())}, {"samples_per_sec", num(e.SamplesPerSec)},
	})
}

func (j *jsonProgress) finish(s *sessions.Session, startEpoch, planned int) {
	o := jsonObj{{"type", "summary"}, {"session", s.ID}, {"name", s.Name}, {"status", string(s.Status)}}
	if s.Error != "" {
		o = append(o, jsonField{"error", s.Error})
	}
	o = append(o, jsonObj{{"epochs", s.Epochs()}, {"best_epoch", s.BestEpoch}}...)
	if b, ok := s.Best(); ok {
		o = append(o, jsonField{"best_val_loss", num(b.ValLoss)})
	}
	if t := s.Test; t != nil {
		if s.IsClassification() {
			o = append(o, jsonObj{{"test_loss", num(t.Loss)}, {"test_accuracy", num(t.Accuracy)}}...)
		} else {
			o = append(o, jsonObj{{"test_loss", num(t.Loss)}, {"test_mse", num(t.MSE)}, {"test_mae", num(t.MAE)}, {"test_r2", num(t.R2)}}...)
		}
	}
	writeLine(j.w, o)
}

// termProgress draws one line per epoch, redrawn in place while the epoch
// runs (bar, ETA, samples/s) and left as the epoch's summary.
type termProgress struct {
	w          io.Writer
	width      int
	regression bool
	epochWidth int
	bestVal    float64
}

func newTermProgress(w io.Writer, s *sessions.Session) *termProgress {
	width := 100
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			width = cols
		}
	}
	return &termProgress{w: w, width: width, regression: !s.IsClassification(), bestVal: math.Inf(1)}
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
	fmt.Fprintf(t.w, "%s session %s (%q) on %s: %d rows (%d train, %d val, %d test), %d features → %s\n",
		verb, s.ID, s.Name, d.Ref, d.Rows, d.TrainRows, d.ValRows, d.TestRows, len(d.Features), out)
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
			e.Step, e.Steps, shortDuration(eta), humanRate(e.SamplesPerSec), t.metrics(e, false))
		if len(line) > t.width-1 {
			line = line[:t.width-1]
		}
		fmt.Fprintf(t.w, "\r%s\x1b[K", line)
		return
	}
	mark := ""
	if !math.IsNaN(e.ValLoss) && e.ValLoss < t.bestVal {
		t.bestVal, mark = e.ValLoss, " *"
	}
	fmt.Fprintf(t.w, "\r%s%s %s - %s samples/s - %s%s\x1b[K\n", head, t.bar(1, 1, 20, false),
		shortDuration(e.Duration), humanRate(e.SamplesPerSec), t.metrics(e, true), mark)
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
		fmt.Fprintf(t.w, "Best epoch %d (weights kept): %s\n", b.Epoch, epochMetrics(s, b))
	}
	if m := s.Test; m != nil {
		fmt.Fprintf(t.w, "Test (%d rows): %s\n", s.Data.TestRows, testMetrics(s, m))
	}
	fmt.Fprintf(t.w, "Saved session %s (%q).\n", s.ID, s.Name)
	fmt.Fprintf(t.w, "  workbench sessions show %s\n  workbench predict --session %s --input rows.csv\n  workbench serve --session %s\n", s.ID, s.ID, s.ID)
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

func shortDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

func humanRate(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "-"
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}
