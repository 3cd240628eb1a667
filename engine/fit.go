package engine

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// fitRun is one call of Fit: the data, the trainer and what the stopping
// rules remember between epochs.
type fitRun[T float] struct {
	ctx     context.Context
	m       *model
	opts    FitOptions
	onEvent func(Event)
	gate    *Control
	t       *trainer[T]
	x       Features // the training features (train.Rows, or train.X)
	params  []T      // the model's (paramsOf)
	train   Data
	val     Data
	hasVal  bool
	perm    []int
	rng     *rand.Rand
	batch   int
	steps   int
	total   int // epochs including StartEpoch

	res         Result
	best        float64
	bestParams  []T
	lastGood    []T // the end of the last epoch whose losses were finite
	plateauWait int
	lrFactor    float64
}

// Fit trains m on train, validating on val (val.X may be nil) every epoch.
// onEvent (may be nil) is called synchronously from the training goroutine;
// wrap a slow listener in a Relay. Cancelling ctx stops within a batch and
// keeps what was learned (err is nil, Reason Cancelled). A NaN/Inf loss
// returns an error wrapping ErrDiverged and leaves the last good weights.
func Fit(ctx context.Context, mm *Model, train, val Data, opts FitOptions, onEvent func(Event)) (Result, error) {
	if mm == nil || mm.impl == nil {
		return Result{}, fmt.Errorf("fit: nil model")
	}
	m := mm.impl
	opts, err := opts.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if _, n := train.features(); n == 0 {
		return Result{}, fmt.Errorf("fit: the training data has no rows")
	}
	if err := m.checkData("training data", train); err != nil {
		return Result{}, fmt.Errorf("fit: %w", err)
	}
	if err := m.checkData("validation data", val); err != nil {
		return Result{}, fmt.Errorf("fit: %w", err)
	}
	// Once per call, not per batch: the hot loop then reads the
	// standardised targets like any others.
	train, val = m.standardise(train), m.standardise(val)
	if m.cfg.DType == Float32 {
		return fit[float32](ctx, m, train, val, opts, onEvent)
	}
	return fit[float64](ctx, m, train, val, opts, onEvent)
}

// fit is Fit in the model's compute type T.
func fit[T float](ctx context.Context, m *model, train, val Data, opts FitOptions, onEvent func(Event)) (Result, error) {
	x, n := train.features()
	params := paramsOf[T](m)
	r := &fitRun[T]{params: params,
		ctx: ctx, m: m, opts: opts, onEvent: onEvent, train: train, val: val,
		x:          x,
		hasVal:     val.Rows != nil || val.X != nil && !val.X.IsEmpty(),
		perm:       make([]int, n),
		batch:      min(opts.BatchSize, n),
		total:      opts.StartEpoch + opts.Epochs,
		res:        Result{Reason: Completed},
		best:       math.Inf(1),
		bestParams: make([]T, len(params)),
		lastGood:   append([]T(nil), params...),
		lrFactor:   1,
	}
	if r.onEvent == nil {
		r.onEvent = func(Event) {}
	}
	if opts.PriorBestEpoch > 0 && !math.IsNaN(opts.PriorBest) {
		// The model starts from the earlier best: new epochs must beat it.
		r.best, r.res.BestEpoch = opts.PriorBest, opts.PriorBestEpoch
		copy(r.bestParams, params)
	}
	if opts.Control != nil {
		r.gate = opts.Control
	}
	for i := range r.perm {
		r.perm[i] = i
	}
	r.steps = ceilDiv(n, r.batch)
	// One stream per (seed, start epoch): a continued run does not replay
	// the shuffles of its first epochs.
	r.rng = rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.StartEpoch)^0x9e3779b97f4a7c15))
	r.t = newTrainer[T](m, opts, r.batch, r.rng)
	defer r.t.close()

	var reason StopReason
	var err error
	for e := 1; e <= opts.Epochs && reason == ""; e++ {
		reason, err = r.epoch(opts.StartEpoch + e)
	}
	r.res.Reason = cmp.Or(reason, Completed)
	// Whatever ended the run, the best epoch's weights come back (unless
	// KeepLast); a cancel in the first epoch keeps what it learned.
	if !opts.KeepLast && r.res.BestEpoch > 0 {
		copy(params, r.bestParams)
	}
	return r.res, err
}

// epoch trains one epoch and applies the stopping rules; a non-empty reason
// ends the run.
func (r *fitRun[T]) epoch(epoch int) (StopReason, error) {
	t, m := r.t, r.m
	lr := r.opts.learningRate(epoch-1, r.total) * r.lrFactor
	r.rng.Shuffle(len(r.perm), func(i, j int) { r.perm[i], r.perm[j] = r.perm[j], r.perm[i] })
	t.reg.reset()
	x, y := r.x, fromRaw(r.train.Y.RawMatrix())
	start := time.Now()
	lastProgress := start
	var paused time.Duration
	var sum float64
	correct, seen := 0, 0
	for s := 0; s < r.steps; s++ {
		if r.ctx.Err() != nil {
			return Cancelled, nil
		}
		if r.gate != nil && r.gate.paused.Load() {
			p0 := time.Now()
			if r.gate.wait(r.ctx) != nil {
				return Cancelled, nil
			}
			paused += time.Since(p0)
		}
		idx := r.perm[s*r.batch : min((s+1)*r.batch, len(r.perm))]
		t.gather(x, y, idx)
		bs, bc := t.step(len(idx), lr)
		if !finite(bs) {
			// The weights that gave this loss came from a step that already
			// went wrong: fall back to the end of the last good epoch.
			copy(r.params, r.lastGood)
			return Diverged, fmt.Errorf("epoch %d, step %d/%d, learning rate %g: %w", epoch, s+1, r.steps, lr, ErrDiverged)
		}
		sum, correct, seen = sum+bs, correct+bc, seen+len(idx)
		if now := time.Now(); now.Sub(lastProgress) >= r.opts.Progress {
			lastProgress = now
			el := now.Sub(start) - paused
			r.onEvent(Event{
				Kind: Progress, Epoch: epoch, Epochs: r.total, Step: s + 1, Steps: r.steps,
				Loss: sum / float64(seen), Accuracy: t.accuracy(correct, seen),
				ValLoss: math.NaN(), ValAccuracy: math.NaN(), LearningRate: lr,
				Duration: el, SamplesPerSec: float64(seen) / el.Seconds(),
			})
		}
	}
	dur := time.Since(start) - paused
	n := len(r.perm)
	st := EpochStats{
		Epoch: epoch, Loss: sum / float64(n), Accuracy: t.accuracy(correct, n),
		ValLoss: math.NaN(), ValAccuracy: math.NaN(), LearningRate: lr,
		Seconds: dur.Seconds(), SamplesPerSec: float64(n) / dur.Seconds(),
	}
	if r.hasVal {
		vm := m.evaluate(r.val, false)
		st.ValLoss, st.ValAccuracy = vm.Loss, vm.Accuracy
		if m.cfg.Task == Regression {
			st.ValAccuracy = vm.R2
		}
	}
	monitor := Monitored(st)
	// A NaN validation loss would make Monitored fall back to the training
	// loss: with validation data, it is a divergence like any other.
	if !finite(monitor) || (r.hasVal && !finite(st.ValLoss)) {
		copy(r.params, r.lastGood)
		return Diverged, fmt.Errorf("epoch %d, validation, learning rate %g: %w", epoch, lr, ErrDiverged)
	}
	copy(r.lastGood, r.params)
	r.res.History = append(r.res.History, st)
	r.track(epoch, monitor)
	r.onEvent(Event{
		Kind: EpochEnd, Epoch: epoch, Epochs: r.total, Loss: st.Loss, Accuracy: st.Accuracy,
		ValLoss: st.ValLoss, ValAccuracy: st.ValAccuracy, LearningRate: lr,
		Duration: dur, SamplesPerSec: st.SamplesPerSec, BestEpoch: r.res.BestEpoch,
	})
	// Patience counts from this run's start when the best is older.
	if r.opts.Patience > 0 && epoch-max(r.res.BestEpoch, r.opts.StartEpoch) >= r.opts.Patience {
		return EarlyStopped, nil
	}
	return "", nil
}

// track remembers the best epoch by the rule of BestEpoch (monitor is
// Monitored of the epoch; strictly lower wins, so the first of a tie stays)
// and cuts the learning rate after a plateau.
func (r *fitRun[T]) track(epoch int, monitor float64) {
	if monitor < r.best {
		r.best, r.res.BestEpoch = monitor, epoch
		copy(r.bestParams, r.params)
		r.plateauWait = 0
		return
	}
	if r.opts.ReduceOnPlateau {
		if r.plateauWait++; r.plateauWait >= r.opts.PlateauPatience {
			r.lrFactor *= r.opts.PlateauFactor
			r.plateauWait = 0
		}
	}
}

// accuracy is the training accuracy so far, or R² for regression.
func (t *trainer[T]) accuracy(correct, seen int) float64 {
	if t.m.cfg.Task == Regression {
		return t.reg.r2()
	}
	return float64(correct) / float64(seen)
}
