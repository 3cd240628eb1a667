package sessions

import (
	"context"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

// TestContinueKeepsEarlierBest: a continued run whose epochs do not beat the
// session's best keeps that epoch and its weights, and the history records
// where the continued segment starts (issue 14 item 6).
func TestContinueKeepsEarlierBest(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "iris", 6)
	// Make the saved best unbeatable: any new epoch is worse.
	for i := range s.History {
		if s.History[i].Epoch == s.BestEpoch {
			s.History[i].ValLoss = 1e-9
		}
	}
	bestBefore := s.BestEpoch
	weightsBefore := s.Model.Clone()
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	pr, err := Reprepare(s)
	if err != nil {
		t.Fatal(err)
	}
	pr.Epochs = 4
	got, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.BestEpoch != bestBefore {
		t.Errorf("best epoch %d after continuing, want the earlier %d (no new epoch beat it)", got.BestEpoch, bestBefore)
	}
	if !sameParams(got.Model, weightsBefore, pr.Train.X) {
		t.Error("the earlier best's weights were replaced by a worse epoch's")
	}
	if len(got.Continued) != 1 || got.Continued[0] != 7 {
		t.Errorf("Continued = %v, want [7]", got.Continued)
	}
	if tbl := got.HistoryTable(true); !strings.Contains(tbl, "7+") || !strings.Contains(tbl, "continued from here") {
		t.Errorf("the history table does not mark the continued segment:\n%s", tbl)
	}
	re, err := st.Load(got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(re.Continued) != 1 || re.BestEpoch != bestBefore {
		t.Errorf("reloaded: continued %v, best %d", re.Continued, re.BestEpoch)
	}
}

// TestRestoreBestFalseKeepsLast: with Hyper.KeepLast the last epoch's
// weights are kept, and a continued run has no earlier best to beat.
func TestRestoreBestFalseKeepsLast(t *testing.T) {
	st := openStore(t)
	// A learning rate this high makes the validation loss jump about, so
	// the best epoch is not the last.
	pr := prepare(t, Plan{Name: "iris", Hyper: Hyper{Epochs: 30, Seed: 1, LearningRate: 0.5, KeepLast: true}})
	var last *engine.Model
	s, err := st.Train(context.Background(), pr, func(e engine.Event) {
		if e.Kind == engine.EpochEnd && e.Epoch == 30 {
			last = pr.Session.Model.Clone()
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.BestEpoch == s.Epochs() {
		t.Fatalf("best epoch %d is the last; the test needs an earlier one", s.BestEpoch)
	}
	if !sameParams(s.Model, last, pr.Train.X) {
		t.Error("KeepLast: the saved weights are not the last epoch's")
	}
}

// sameParams compares two models by their outputs on x, bit for bit.
func sameParams(a, b *engine.Model, x *mat.Dense) bool {
	if a == nil || b == nil {
		return false
	}
	return sameBits(a.Predict(x), b.Predict(x))
}
