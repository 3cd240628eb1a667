package sessions

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"workbench/engine"
)

// saveEvery is the least time between the snapshots Train saves while it
// runs, so a crash loses at most a few seconds of training without the disk
// being written every epoch.
const saveEvery = 2 * time.Second

// Train runs engine.Fit for p (continuing the history if it has some), saves
// the session when it ends (finished, stopped on cancel, or failed with the
// reason) and after each epoch at most every few seconds, evaluates the test
// split, and returns the saved session. ctl may be nil.
//
// A session not yet stored is saved first, as running, so it has an id and
// shows in listings from its first epoch. If the session is deleted by
// someone else while it trains, training stops and Train says so. The
// returned error is Fit's (the session is saved as failed with its message)
// or a failure to save.
func (st *Store) Train(ctx context.Context, p *Prepared, onEvent func(engine.Event), ctl *engine.Control) (*Session, error) {
	s := p.Session
	if s == nil || s.Model == nil {
		return nil, errors.New("nothing to train: the prepared session has no model")
	}
	// The run lock tells listings in other processes that this session is
	// really training, and keeps two processes from training it at once. A
	// new session gets its id (and folder) from the first save.
	var release func()
	lockRun := func() error {
		unlock, ok, err := flock(filepath.Join(st.Dir, s.ID, runFile), true, true)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("session %s is already training (in this or another process); wait for it or stop it first", s.ID)
		}
		release = unlock
		return nil
	}
	if s.ID != "" {
		if err := checkID(s.ID); err != nil {
			return nil, err
		}
	}
	if s.ID != "" && st.exists(s.ID) {
		if err := lockRun(); err != nil {
			return nil, err
		}
	}
	s.Status = Running
	s.Error = ""
	if err := st.Save(s); err != nil {
		if release != nil {
			release()
		}
		return nil, err
	}
	if release == nil {
		if err := lockRun(); err != nil {
			return nil, err
		}
	}
	runLock := filepath.Join(st.Dir, s.ID, runFile)
	defer func() {
		os.Remove(runLock)
		release()
	}()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prior := len(s.History)
	opts := s.Hyper.FitOptions()
	if p.Epochs > 0 {
		opts.Epochs = p.Epochs
	}
	opts.StartEpoch = s.Epochs()
	opts.Control = ctl

	var saveErr error
	last := time.Now()
	handle := func(e engine.Event) {
		if e.Kind == engine.EpochEnd {
			s.History = append(s.History, engine.EpochStats{
				Epoch:         e.Epoch,
				Loss:          e.Loss,
				Accuracy:      e.Accuracy,
				ValLoss:       e.ValLoss,
				ValAccuracy:   e.ValAccuracy,
				LearningRate:  e.LearningRate,
				Seconds:       e.Duration.Seconds(),
				SamplesPerSec: e.SamplesPerSec,
			})
			// Fit calls us between batches, so the weights are still.
			if time.Since(last) >= saveEvery && saveErr == nil {
				if err := st.Save(s); err != nil {
					saveErr = err
					if errors.Is(err, errDeleted) {
						cancel()
					}
				}
				last = time.Now()
			}
		}
		if onEvent != nil {
			onEvent(e)
		}
	}

	res, fitErr := engine.Fit(ctx, s.Model, p.Train, p.Val, opts, handle)
	if errors.Is(saveErr, errDeleted) {
		return s, saveErr
	}

	// The result is the authority on this run's epochs.
	s.History = append(s.History[:prior], res.History...)
	if len(res.History) > 0 && res.BestEpoch > 0 {
		s.BestEpoch = res.BestEpoch
	}
	switch {
	case fitErr != nil:
		s.Status = Failed
		s.Error = fitErr.Error()
	case res.Reason == engine.Cancelled:
		s.Status = Stopped
	default:
		s.Status = Finished
		if msg := exploded(s, p); msg != "" {
			s.Status, s.Error = Failed, msg
			fitErr = errors.New(msg)
		}
	}
	if p.Test.X != nil {
		m := s.Model.Evaluate(p.Test)
		s.Test = &m
	}
	if err := st.Save(s); err != nil {
		return s, err
	}
	return s, fitErr
}

// exploded names a run whose best loss is far above that of a model that
// knows nothing. The engine stops on a NaN or Inf loss only, and Adam at
// lr 1e9 keeps the loss finite (1e8 on iris): such a run must not be
// reported as finished.
func exploded(s *Session, p *Prepared) string {
	best, ok := s.Best()
	if !ok {
		return ""
	}
	loss, what := best.ValLoss, "validation loss"
	if p.Val.X == nil || math.IsNaN(loss) || loss == 0 {
		loss, what = best.Loss, "training loss"
	}
	// Standardised regression targets give the mean-predictor a loss near
	// 1; equal odds over k classes give ln k.
	base, trivial := 1.0, "the mean"
	if s.IsClassification() {
		k := len(s.Data.Classes)
		if k < 2 {
			return ""
		}
		base, trivial = math.Log(float64(k)), "equal odds for every class"
	}
	if !(loss > 100*base) {
		return ""
	}
	return fmt.Sprintf("training diverged: the best %s, %.3g, is over 100 times that of a model that predicts %s (%.3g); try a lower learning rate", what, loss, trivial, base)
}
