package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func fit(ctx context.Context, mm *Model, train, val Data, opts FitOptions, onEvent func(Event)) (Result, error) {
	res := Result{Reason: Completed}
	if mm == nil || mm.impl == nil {
		return res, fmt.Errorf("fit: nil model")
	}
	m := mm.impl
	opts, err := opts.withDefaults()
	if err != nil {
		return res, err
	}
	if train.X == nil || train.X.IsEmpty() {
		return res, fmt.Errorf("fit: the training data has no rows")
	}
	if err := m.checkData("training data", train); err != nil {
		return res, fmt.Errorf("fit: %w", err)
	}
	if err := m.checkData("validation data", val); err != nil {
		return res, fmt.Errorf("fit: %w", err)
	}
	hasVal := val.X != nil && !val.X.IsEmpty()
	if onEvent == nil {
		onEvent = func(Event) {}
	}
	var gate *control
	if opts.Control != nil {
		gate = &opts.Control.impl
	}

	x, y := train.X.RawMatrix(), train.Y.RawMatrix()
	n := x.Rows
	batch := min(opts.BatchSize, n)
	// One stream per (seed, start epoch): a continued run does not replay
	// the shuffles of its first epochs.
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.StartEpoch)^0x9e3779b97f4a7c15))
	t := newTrainer(m, opts, batch, rng)
	defer t.close()
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	steps := (n + batch - 1) / batch
	total := opts.StartEpoch + opts.Epochs

	best := math.Inf(1)
	bestParams := make([]float64, len(m.params))
	lastGood := append([]float64(nil), m.params...)
	plateauWait, lrFactor := 0, 1.0

	finish := func(reason StopReason) {
		res.Reason = reason
		if !opts.KeepLast && res.BestEpoch > 0 {
			copy(m.params, bestParams)
		}
	}

	for e := 0; e < opts.Epochs; e++ {
		epoch := opts.StartEpoch + e + 1
		lr := opts.learningRate(epoch-1, total) * lrFactor
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		t.reg.reset()
		start := time.Now()
		var paused time.Duration
		lastProgress := start
		var sum float64
		correct, seen := 0, 0
		for s := 0; s < steps; s++ {
			if ctx.Err() != nil {
				finish(Cancelled)
				return res, nil
			}
			if gate != nil && gate.paused.Load() {
				p0 := time.Now()
				if gate.wait(ctx) != nil {
					finish(Cancelled)
					return res, nil
				}
				paused += time.Since(p0)
			}
			idx := perm[s*batch : min((s+1)*batch, n)]
			t.gather(x, y, idx)
			bs, bc := t.step(len(idx), lr)
			if !finite(bs) {
				// The weights that produced this loss came from a step that
				// already went wrong: fall back to the end of the last good
				// epoch (or the best one, unless KeepLast).
				copy(m.params, lastGood)
				finish(Diverged)
				return res, fmt.Errorf("epoch %d, step %d/%d, learning rate %g: %w", epoch, s+1, steps, lr, ErrDiverged)
			}
			sum, correct, seen = sum+bs, correct+bc, seen+len(idx)
			if now := time.Now(); now.Sub(lastProgress) >= opts.Progress {
				lastProgress = now
				el := now.Sub(start) - paused
				onEvent(Event{
					Kind: Progress, Epoch: epoch, Epochs: total, Step: s + 1, Steps: steps,
					Loss: sum / float64(seen), Accuracy: t.accuracy(correct, seen),
					ValLoss: math.NaN(), ValAccuracy: math.NaN(), LearningRate: lr,
					Duration: el, SamplesPerSec: float64(seen) / el.Seconds(),
				})
			}
		}
		dur := time.Since(start) - paused
		st := EpochStats{
			Epoch: epoch, Loss: sum / float64(n), Accuracy: t.accuracy(correct, n),
			ValLoss: math.NaN(), ValAccuracy: math.NaN(), LearningRate: lr,
			Seconds: dur.Seconds(), SamplesPerSec: float64(n) / dur.Seconds(),
		}
		if hasVal {
			vm := m.evaluate(val, false)
			st.ValLoss, st.ValAccuracy = vm.Loss, vm.Accuracy
			if m.cfg.Task == Regression {
				st.ValAccuracy = vm.R2
			}
		}
		monitor := st.Loss
		if hasVal {
			monitor = st.ValLoss
		}
		if !finite(monitor) {
			copy(m.params, lastGood)
			finish(Diverged)
			return res, fmt.Errorf("epoch %d, validation, learning rate %g: %w", epoch, lr, ErrDiverged)
		}
		copy(lastGood, m.params)
		res.History = append(res.History, st)
		if monitor < best {
			best, res.BestEpoch = monitor, epoch
			copy(bestParams, m.params)
			plateauWait = 0
		} else if opts.ReduceOnPlateau {
			if plateauWait++; plateauWait >= opts.PlateauPatience {
				lrFactor *= opts.PlateauFactor
				plateauWait = 0
			}
		}
		onEvent(Event{
			Kind: EpochEnd, Epoch: epoch, Epochs: total, Loss: st.Loss, Accuracy: st.Accuracy,
			ValLoss: st.ValLoss, ValAccuracy: st.ValAccuracy, LearningRate: lr,
			Duration: dur, SamplesPerSec: st.SamplesPerSec,
		})
		if opts.Patience > 0 && epoch-res.BestEpoch >= opts.Patience {
			finish(EarlyStopped)
			return res, nil
		}
	}
	finish(Completed)
	return res, nil
}

// accuracy is the training accuracy so far, or R² for regression.
func (t *trainer) accuracy(correct, seen int) float64 {
	if t.m.cfg.Task == Regression {
		return t.reg.r2()
	}
	return float64(correct) / float64(seen)
}
