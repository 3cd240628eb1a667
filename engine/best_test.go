package engine

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
)

func TestBestEpochRule(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		h    []EpochStats
		want int
	}{
		{"empty", nil, 0},
		{"lowest val loss", []EpochStats{{Epoch: 1, Loss: 0.1, ValLoss: 0.9}, {Epoch: 2, Loss: 0.5, ValLoss: 0.4}, {Epoch: 3, Loss: 0.05, ValLoss: 0.6}}, 2},
		{"no validation: lowest train loss", []EpochStats{{Epoch: 1, Loss: 0.9, ValLoss: nan}, {Epoch: 2, Loss: 0.3, ValLoss: nan}, {Epoch: 3, Loss: 0.4, ValLoss: nan}}, 2},
		{"tie keeps the first", []EpochStats{{Epoch: 4, Loss: 1, ValLoss: 0.5}, {Epoch: 5, Loss: 1, ValLoss: 0.5}}, 4},
		{"absolute numbers of a continued run", []EpochStats{{Epoch: 11, Loss: 1, ValLoss: 0.7}, {Epoch: 12, Loss: 1, ValLoss: 0.2}}, 12},
	} {
		if got := BestEpoch(c.h); got != c.want {
			t.Errorf("%s: BestEpoch = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestFitReportsBestEpoch: every epoch end carries the best epoch so far,
// and the result's best epoch is BestEpoch of its history, with and
// without validation data.
func TestFitReportsBestEpoch(t *testing.T) {
	d := spiral(60, 0.3, 2)
	for _, val := range []Data{{}, spiral(30, 0.3, 3)} {
		m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "8:relu"), Seed: 1})
		var seen []EpochStats
		var bad []string
		res, err := Fit(context.Background(), m, d, val, FitOptions{Epochs: 40, LearningRate: 0.05, StartEpoch: 3}, func(e Event) {
			if e.Kind != EpochEnd {
				if e.BestEpoch != 0 {
					bad = append(bad, "progress event with a best epoch")
				}
				return
			}
			seen = append(seen, EpochStats{Epoch: e.Epoch, Loss: e.Loss, ValLoss: e.ValLoss})
			if want := BestEpoch(seen); e.BestEpoch != want {
				bad = append(bad, "epoch end reports a best epoch other than BestEpoch of the history so far")
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range slices.Compact(bad) {
			t.Error(b)
		}
		if want := BestEpoch(res.History); res.BestEpoch != want || want < 4 {
			t.Errorf("validation %v: Result.BestEpoch %d, BestEpoch(history) %d", val.X != nil, res.BestEpoch, want)
		}
	}
}

func TestRelayForward(t *testing.T) {
	r := NewRelay()
	var mu sync.Mutex
	var got []int
	stop := r.Forward(context.Background(), func(e Event) {
		mu.Lock()
		got = append(got, e.Epoch)
		mu.Unlock()
	})
	for i := 1; i <= 50; i++ {
		r.Handle(Event{Kind: EpochEnd, Epoch: i})
	}
	stop()
	// stop returned: fn has seen every queued event and runs no more.
	r.Handle(Event{Kind: EpochEnd, Epoch: 99})
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 50 || got[0] != 1 || got[49] != 50 {
		t.Fatalf("forwarded %v, want epochs 1..50 in order", got)
	}
}
