package sessions

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/engine"
)

func TestPrepareRejectsBadPlans(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want string
	}{
		{"no data", Plan{Layers: "4:relu"}, "no dataset given"},
		{"unknown data", Plan{DataRef: "irsi"}, "irsi"},
		{"bad layers", Plan{DataRef: "iris", Layers: "64:relux"}, "64:relux"},
		{"bad optimizer", Plan{DataRef: "iris", Hyper: Hyper{Optimizer: "adamm"}}, "unknown optimizer \"adamm\""},
		{"bad schedule", Plan{DataRef: "iris", Hyper: Hyper{Schedule: "sometimes"}}, "unknown schedule"},
		{"negative lr", Plan{DataRef: "iris", Hyper: Hyper{LearningRate: -1}}, "learning rate"},
		{"negative epochs", Plan{DataRef: "iris", Hyper: Hyper{Epochs: -2}}, "epochs"},
		{"negative batch", Plan{DataRef: "iris", Hyper: Hyper{BatchSize: -1}}, "batch size"},
		{"negative l2", Plan{DataRef: "iris", Hyper: Hyper{L2: -0.1}}, "l2"},
		{"negative patience", Plan{DataRef: "iris", Hyper: Hyper{Patience: -1}}, "patience"},
		{"val too big", Plan{DataRef: "iris", Val: 1.5}, "validation fraction"},
		{"nothing left", Plan{DataRef: "iris", Val: 0.5, Test: 0.5}, "nothing to train on"},
		{"bad task", Plan{DataRef: "iris", Load: datasets.LoadOptions{Task: "clustering"}}, "unknown task"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Prepare(tc.plan)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Prepare: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestPrepareFillsTheSession(t *testing.T) {
	pr := prepare(t, Plan{DataRef: "iris", Layers: "8:relu, 4:tanh"})
	s := pr.Session
	if s.Name != "iris" || s.Status != Running || s.Layers != "8:relu,4:tanh" || s.Version != FormatVersion {
		t.Errorf("session %+v", s)
	}
	d := s.Data
	if d.Rows != 150 || d.TrainRows+d.ValRows+d.TestRows != 150 || d.ValRows != 30 || d.TestRows != 30 ||
		len(d.Features) != 4 || len(d.Classes) != 3 || d.Task != datasets.Classification {
		t.Errorf("data info %+v", d)
	}
	if s.Split != (SplitInfo{Val: 0.2, Test: 0.2, Seed: 0}) {
		t.Errorf("split %+v", s.Split)
	}
	h := DefaultHyper()
	h.Epochs = 3
	h.Seed = 0
	h.Patience, h.L2 = 0, 0 // zero is a choice (off), not "unset"
	if s.Hyper != h {
		t.Errorf("hyper %+v, want the defaults %+v", s.Hyper, h)
	}
	if r, _ := pr.Train.X.Dims(); r != d.TrainRows {
		t.Errorf("train rows %d, want %d", r, d.TrainRows)
	}
}

func TestContinueTrainingAppendsHistory(t *testing.T) {
	st := openStore(t)
	first := trained(t, st, "cont", 3)
	s, err := st.Load(first.ID)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Reprepare(s)
	if err != nil {
		t.Fatal(err)
	}
	pr.Epochs = 2
	var epochs []int
	got, err := st.Train(context.Background(), pr, func(e engine.Event) {
		if e.Kind == engine.EpochEnd {
			epochs = append(epochs, e.Epoch)
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(epochs) != 2 || epochs[0] != 4 || epochs[1] != 5 {
		t.Fatalf("continued epochs numbered %v, want [4 5]", epochs)
	}
	loaded, err := st.Load(first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.History) != 5 || loaded.Hyper.Epochs != 3 || got.ID != first.ID {
		t.Fatalf("after continuing: %d epochs in history, hyper epochs %d", len(loaded.History), loaded.Hyper.Epochs)
	}
	for i, e := range loaded.History {
		if e.Epoch != i+1 {
			t.Fatalf("history epochs %v", loaded.History)
		}
	}
	if loaded.History[0] != first.History[0] {
		t.Fatalf("the first epochs changed: %+v vs %+v", loaded.History[0], first.History[0])
	}
	if loaded.BestEpoch < 1 || loaded.BestEpoch > 5 {
		t.Fatalf("best epoch %d", loaded.BestEpoch)
	}
	if entries, _ := st.List(); len(entries) != 1 {
		t.Fatalf("continuing made %d sessions, want 1", len(entries))
	}
}

func TestTrainStopsOnCancelAndSaves(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{Hyper: Hyper{Epochs: 50}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := st.Train(ctx, pr, func(e engine.Event) {
		if e.Kind == engine.EpochEnd && e.Epoch == 2 {
			cancel()
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := st.Load(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Status != Stopped || len(loaded.History) != 2 || loaded.Test == nil {
		t.Fatalf("stopped session: status %s, %d epochs, test %v", loaded.Status, len(loaded.History), loaded.Test)
	}
}

func TestTrainRecordsDivergence(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: "sine?n=100", Layers: "16:relu", Hyper: Hyper{Epochs: 20, Optimizer: "sgd", LearningRate: 1e6}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err == nil {
		t.Fatal("a learning rate of 1e6 did not diverge; the test cannot tell")
	}
	loaded, lerr := st.Load(s.ID)
	if lerr != nil {
		t.Fatal(lerr)
	}
	if loaded.Status != Failed || loaded.Error != err.Error() {
		t.Fatalf("failed session: status %s, error %q (Train said %v)", loaded.Status, loaded.Error, err)
	}
}

func TestRunLock(t *testing.T) {
	st := openStore(t)
	// A session stored as running with no process training it (the writer
	// was killed) is listed as interrupted.
	orphan := prepare(t, Plan{Name: "orphan"}).Session
	if err := st.Save(orphan); err != nil {
		t.Fatal(err)
	}
	if s := listed(t, st, orphan.ID); s.Status != Interrupted {
		t.Fatalf("orphaned running session listed as %s, want interrupted", s.Status)
	}

	// While a session trains it is listed as running, and a second Train
	// of it is refused.
	pr := prepare(t, Plan{Name: "busy", Hyper: Hyper{Epochs: 2}})
	var during Status
	var second error
	s, err := st.Train(context.Background(), pr, func(e engine.Event) {
		if e.Kind != engine.EpochEnd || e.Epoch != 1 {
			return
		}
		id := pr.Session.ID
		during = listed(t, st, id).Status
		again, err := st.Load(id)
		if err != nil {
			second = err
			return
		}
		pr2, err := Reprepare(again)
		if err != nil {
			second = err
			return
		}
		_, second = st.Train(context.Background(), pr2, nil, nil)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if during != Running {
		t.Errorf("listed as %s while training, want running", during)
	}
	if second == nil || !strings.Contains(second.Error(), "already training") {
		t.Errorf("a second Train of a training session: %v", second)
	}
	if got := listed(t, st, s.ID).Status; got != Finished {
		t.Errorf("after training: %s", got)
	}
	// The lock is released: it can be continued now.
	again, _ := st.Load(s.ID)
	pr3, err := Reprepare(again)
	if err != nil {
		t.Fatal(err)
	}
	pr3.Epochs = 1
	if _, err := st.Train(context.Background(), pr3, nil, nil); err != nil {
		t.Fatalf("continuing after the run ended: %v", err)
	}
}

func listed(t *testing.T, st *Store, id string) *Session {
	t.Helper()
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ID == id && e.Session != nil {
			return e.Session
		}
	}
	t.Fatalf("session %s not listed: %+v", id, entries)
	return nil
}

// Adam at lr 1e9 keeps the loss finite (about 1e8 on iris), so the engine's
// NaN/Inf check never fires: Train itself must not save such a run as
// "finished". A sane run must stay finished.
func TestTrainFlagsAnExplodedLoss(t *testing.T) {
	for _, tc := range []struct {
		name     string
		plan     Plan
		exploded bool
	}{
		{"adam lr 1e9 on iris", Plan{DataRef: "iris", Hyper: Hyper{Epochs: 5, LearningRate: 1e9}}, true},
		{"adam lr 1e9 on sine", Plan{DataRef: "sine?n=100", Hyper: Hyper{Epochs: 5, LearningRate: 1e9}}, true},
		{"defaults on iris", Plan{DataRef: "iris", Hyper: Hyper{Epochs: 5}}, false},
		{"no validation split", Plan{DataRef: "iris", Val: 0, Test: 0.2, Hyper: Hyper{Epochs: 5, LearningRate: 1e9}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			s, err := st.Train(context.Background(), prepare(t, tc.plan), nil, nil)
			if s == nil {
				t.Fatal(err)
			}
			loaded, lerr := st.Load(s.ID)
			if lerr != nil {
				t.Fatal(lerr)
			}
			if !tc.exploded {
				if err != nil || loaded.Status != Finished {
					t.Fatalf("sane run: status %s, err %v", loaded.Status, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "try a lower learning rate") || loaded.Status != Failed || loaded.Error != err.Error() {
				t.Fatalf("status %s, error %q, Train said %v; want failed and saved", loaded.Status, loaded.Error, err)
			}
			if loaded.Model == nil || len(loaded.History) == 0 {
				t.Fatal("the diverged session lost its weights or history")
			}
		})
	}
}

// TestTrainStoppedBeforeFirstEpoch: a run stopped before its first epoch
// ends keeps nothing of a new session and leaves a continued one as it was.
func TestTrainStoppedBeforeFirstEpoch(t *testing.T) {
	stopped, cancel := context.WithCancel(context.Background())
	cancel()

	t.Run("new session is removed", func(t *testing.T) {
		for _, saveFirst := range []bool{false, true} { // the CLI saves first
			st := openStore(t)
			pr := prepare(t, Plan{Hyper: Hyper{Epochs: 5}})
			if saveFirst {
				if err := st.Save(pr.Session); err != nil {
					t.Fatal(err)
				}
			}
			s, err := st.Train(stopped, pr, nil, nil)
			if !errors.Is(err, ErrNothingTrained) || s != nil {
				t.Fatalf("saved first %v: Train = %v, %v; want nil, ErrNothingTrained", saveFirst, s, err)
			}
			if es, err := st.List(); err != nil || len(es) != 0 {
				t.Fatalf("saved first %v: %d sessions left (%v), want none", saveFirst, len(es), err)
			}
			left, _ := os.ReadDir(st.Dir)
			for _, e := range left {
				if e.IsDir() {
					t.Errorf("saved first %v: %s left in the store", saveFirst, e.Name())
				}
			}
		}
	})

	t.Run("continued session is unchanged", func(t *testing.T) {
		for _, status := range []Status{Finished, Stopped, Failed} {
			st := openStore(t)
			first := trained(t, st, "iris", 3)
			if status != Finished {
				first.Status = status
				if status == Failed {
					first.Error = "an earlier failure"
				}
				if err := st.Save(first); err != nil {
					t.Fatal(err)
				}
			}
			before, err := st.Load(first.ID)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := Reprepare(before)
			if err != nil {
				t.Fatal(err)
			}
			pr.Epochs = 5
			s, err := st.Train(stopped, pr, nil, nil)
			if !errors.Is(err, ErrNothingTrained) || s == nil || !strings.Contains(err.Error(), first.ID) {
				t.Fatalf("%s: Train = %v, %v; want the session and ErrNothingTrained naming it", status, s, err)
			}
			after, err := st.Load(first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Status != status || after.Error != before.Error || len(after.History) != 3 ||
				after.BestEpoch != before.BestEpoch || !reflect.DeepEqual(after.Test, before.Test) {
				t.Errorf("%s: after the stopped run: status %s %q, %d epochs, best %d, test %+v; want %s %q, 3, %d, %+v",
					status, after.Status, after.Error, len(after.History), after.BestEpoch, *after.Test,
					status, before.Error, before.BestEpoch, *before.Test)
			}
			if !sameBits(after.Model.Predict(pr.Test.X), before.Model.Predict(pr.Test.X)) {
				t.Errorf("%s: the weights changed", status)
			}
		}
	})
}
