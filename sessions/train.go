package sessions

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"workbench/engine"
)

// saveEvery is the least time between the snapshots Train saves while it
// runs, so a crash loses at most a few seconds of training without the disk
// being written every epoch.
const saveEvery = 2 * time.Second

// ErrNothingTrained is Train's answer when the run was stopped before its
// first epoch ended. It is the user's choice, not a failure: callers report
// it as a plain message.
var ErrNothingTrained = errors.New("stopped before the first epoch ended; nothing was saved")

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
//
// A run stopped (ctx cancelled, or ctl) before its first epoch ended has
// learned nothing worth keeping, and its test metrics would describe an
// untrained model. Train then returns ErrNothingTrained and:
//   - for a session with no history before this run (a new one), removes
//     the session it saved and returns a nil session;
//   - for a continued session, puts back the weights, test metrics and
//     status it had (stopped if it was running or interrupted), saves
//     that, and returns it: its history is untouched.
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
	statusBefore, errBefore := s.Status, s.Error
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
	unlocked := false
	unlockRun := func() {
		if !unlocked {
			unlocked = true
			os.Remove(runLock)
			release()
		}
	}
	defer unlockRun()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prior := len(s.History)
	// What a continued run stopped in its first epoch puts back: Fit keeps
	// a partial first epoch's weights, which match no recorded epoch.
	var before struct {
		model  *engine.Model
		status Status
		err    string
		test   *engine.Metrics
	}
	if prior > 0 {
		before.model, before.status, before.err, before.test = s.Model.Clone(), statusBefore, errBefore, s.Test
	}
	opts := s.Hyper.FitOptions()
	if p.Epochs > 0 {
		opts.Epochs = p.Epochs
	}
	opts.StartEpoch = s.Epochs()
	opts.Control = ctl
	// A continued run starts from the best epoch's weights (what was
	// saved) and must beat that epoch to replace it; with KeepLast the saved
	// weights are the last epoch's, so the new run's best is its own.
	if best, ok := s.Best(); ok && prior > 0 && !s.Hyper.KeepLast {
		opts.PriorBestEpoch, opts.PriorBest = best.Epoch, engine.Monitored(best)
	}

	var saveErr error
	last := time.Now()
	handle := func(e engine.Event) {
		if e.Kind == engine.EpochEnd {
			if prior > 0 && len(s.History) == prior {
				markContinued(s, e.Epoch) // a snapshot shows the segment too
			}
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

	if fitErr == nil && res.Reason == engine.Cancelled && len(res.History) == 0 {
		return st.nothingTrained(s, prior, unlockRun, before.model, before.status, before.err, before.test)
	}

	// The result is the authority on this run's epochs.
	s.History = append(s.History[:prior], res.History...)
	if prior > 0 && len(res.History) > 0 {
		markContinued(s, res.History[0].Epoch)
	}
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

// nothingTrained undoes a run stopped before its first epoch ended (see
// Train). unlockRun gives up the run lock first, so the folder is removed
// with no lock file of ours open inside it.
func (st *Store) nothingTrained(s *Session, prior int, unlockRun func(), model *engine.Model, status Status, errText string, test *engine.Metrics) (*Session, error) {
	s.History = s.History[:prior]
	s.Continued = slices.DeleteFunc(s.Continued, func(e int) bool { return e > s.Epochs() })
	if prior == 0 {
		unlockRun()
		if err := st.Delete(s.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w, but removing the untrained session %s failed: %v", ErrNothingTrained, s.ID, err)
		}
		s.ID, s.stored, s.storedName = "", false, ""
		return nil, ErrNothingTrained
	}
	if status == Running || status == Interrupted || status == "" {
		status = Stopped
	}
	s.Model, s.Status, s.Error, s.Test = model, status, errText, test
	if err := st.Save(s); err != nil {
		return s, err
	}
	return s, fmt.Errorf("%w; session %s keeps its %d epochs", ErrNothingTrained, s.ID, prior)
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

// markContinued records that a continued segment starts at epoch.
func markContinued(s *Session, epoch int) {
	if !slices.Contains(s.Continued, epoch) {
		s.Continued = append(s.Continued, epoch)
	}
}
