package sessions

// Running a sweep: each run is prepared, trained through Store.Train and
// saved as a normal session tagged with the sweep's id. The CLI and the TUI
// both run sweeps here and differ only in the hooks.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"workbench/engine"
)

// sweepsDir holds one small file per sweep id ever taken (the sweep's
// definition), so two sweeps started at once never share an id.
const sweepsDir = ".sweeps"

// DefaultSweepParallel is how many runs of a sweep train at once when the
// caller does not say. Measured on digits (6 runs, 2 cores): see the
// README's Experiments section for the figures.
const DefaultSweepParallel = 1

// SweepHooks let the caller take part in a sweep. Every hook may be nil.
// With Parallel above 1 the hooks of different runs are called from
// different goroutines, possibly at once.
type SweepHooks struct {
	// Parallel is how many runs train at once; 0 = DefaultSweepParallel.
	Parallel int
	// Prepare turns a run's plan into a prepared run (the TUI applies its
	// file gate and memory budget here); nil = Prepare.
	Prepare func(Plan) (*Prepared, error)
	// Acquire waits for a training slot and returns the function that
	// gives it back; nil = no limit.
	Acquire func(ctx context.Context) (release func(), err error)
	// Start is called once run k (0-based, in Runs order) is saved as
	// running: pr.Session has its id and name.
	Start func(k int, run Run, pr *Prepared)
	// Event is each training event of run k (from Store.Train's callback:
	// keep it quick, or relay it).
	Event func(k int, e engine.Event)
	// Done is called when run k ends: its saved session (nil when it was
	// stopped before its first epoch, so not kept) and Train's error.
	Done func(k int, s *Session, err error)
	// Control, when set, gives run k's engine.Control (pause/stop).
	Control func(k int) *engine.Control
}

// SweepResult is what a sweep did.
type SweepResult struct {
	ID     string
	Metric string     // the metric field's canonical name
	Runs   []Run      // every planned run
	Done   []*Session // by run index; nil for a run not started or not kept
	Errs   []error    // by run index: Train's error, if any
	// Stopped is set when ctx ended the sweep: runs already done are kept,
	// the ones training were saved as stopped, the rest never started.
	Stopped bool
	Best    *Session // by Metric (BestRecord); nil if no run has it

	started []bool // by run index: saved as running and trained
}

// NotStarted counts the runs that never began training (after a stop, or
// a sweep that could not go on).
func (r *SweepResult) NotStarted() int {
	n := 0
	for _, s := range r.started {
		if !s {
			n++
		}
	}
	return n
}

// Finished counts the runs that saved a session.
func (r *SweepResult) Finished() int {
	n := 0
	for _, s := range r.Done {
		if s != nil {
			n++
		}
	}
	return n
}

// Records is the runs table of the sweep's saved runs, in run order.
func (r *SweepResult) Records() []Record {
	var out []Record
	for _, s := range r.Done {
		if s != nil {
			out = append(out, RecordOf(Entry{ID: s.ID, Session: s}))
		}
	}
	return out
}

// SweepInfo is what a store keeps of a sweep besides its runs: what it
// varied and by which metric it ranks them (for a leaderboard or a
// metric-vs-setting view of a sweep found in the list).
type SweepInfo struct {
	ID      string    `json:"-"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Metric  string    `json:"metric"`
	Data    string    `json:"data"`
	Axes    []Axis    `json:"axes"`
	Random  int       `json:"random,omitempty"`
	Runs    int       `json:"runs"`
}

// maxSweepInfo bounds a sweep's file: its axes are flag values.
const maxSweepInfo = 1 << 20

// LoadSweep reads what the store keeps of sweep id (ErrNotFound if
// nothing).
func (st *Store) LoadSweep(id string) (SweepInfo, error) {
	if err := checkID(id); err != nil {
		return SweepInfo{}, err
	}
	b, err := readBounded(filepath.Join(st.Dir, sweepsDir, id+".json"), maxSweepInfo)
	if errors.Is(err, os.ErrNotExist) {
		return SweepInfo{}, fmt.Errorf("sweep %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return SweepInfo{}, fmt.Errorf("sweep %s: %w", id, err)
	}
	var si SweepInfo
	if err := json.Unmarshal(b, &si); err != nil {
		return SweepInfo{}, fmt.Errorf("sweep %s: its file is damaged: %v", id, err)
	}
	if _, err := MetricField(si.Metric); err != nil {
		return SweepInfo{}, fmt.Errorf("sweep %s: its file is damaged: %v", id, err)
	}
	si.ID = id
	return si, nil
}

// reserveSweep takes a sweep id free in this store: name, else name-2,
// name-3, ..., recording the sweep's definition under .sweeps.
func (st *Store) reserveSweep(name string, def []byte) (string, error) {
	unlock, err := st.lock()
	if err != nil {
		return "", err
	}
	defer unlock()
	dir := filepath.Join(st.Dir, sweepsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("recording the sweep: %w", err)
	}
	for n := 1; ; n++ {
		id := name
		if n > 1 {
			id = name + "-" + strconv.Itoa(n)
		}
		f, err := os.OpenFile(filepath.Join(dir, id+".json"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("recording the sweep: %w", err)
		}
		_, werr := f.Write(def)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		return id, werr
	}
}

// RunSweep runs every run of sw (Runs checks them all before anything
// starts), Parallel at a time, each saved as a session named
// <sweep id>-<k> (made unique like a default name) tagged with the sweep id.
//
// A run that fails (diverged) is recorded and the sweep goes on. When ctx
// ends, the runs training are saved as stopped (Store.Train), no further
// run starts, and RunSweep returns the result with Stopped set and no
// error. The error is for a sweep that could not run: a bad setting, data
// that does not load (the first run to prepare says so; nothing after it
// starts), a store that cannot be written.
func (st *Store) RunSweep(ctx context.Context, sw Sweep, hooks SweepHooks) (*SweepResult, error) {
	runs, err := sw.Runs()
	if err != nil {
		return nil, err
	}
	metric, _ := MetricField(sw.Metric)
	// The id names files and filters (sweep=ID), so it is a slug.
	name := slugify(sw.Name)
	if sw.Name == "" {
		name = slugify(refBase(sw.Base.DataRef))
		if name == "" {
			name = "run"
		}
		name += "-sweep"
	} else if name == "" {
		return nil, fmt.Errorf("sweep name %q has no letters or digits", sw.Name)
	}
	def, err := EncodeJSON(SweepInfo{Name: name, Created: time.Now().UTC(), Metric: metric.Name,
		Data: sw.Base.DataRef, Axes: sw.Axes, Random: sw.Random, Runs: len(runs)}, "  ")
	if err != nil {
		return nil, err
	}
	id, err := st.reserveSweep(name, def)
	if err != nil {
		return nil, err
	}
	res := &SweepResult{ID: id, Metric: metric.Name, Runs: runs, Done: make([]*Session, len(runs)), Errs: make([]error, len(runs)), started: make([]bool, len(runs))}
	prepare := hooks.Prepare
	if prepare == nil {
		prepare = Prepare
	}
	par := hooks.Parallel
	if par <= 0 {
		par = DefaultSweepParallel
	}

	var (
		mu      sync.Mutex
		next    int
		fatal   error
		wg      sync.WaitGroup
		stopped bool
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parent := ctx
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if fatal != nil || next >= len(runs) {
			return 0, false
		}
		if parent.Err() != nil {
			stopped = true
			return 0, false
		}
		k := next
		next++
		return k, true
	}
	fail := func(err error) {
		mu.Lock()
		if fatal == nil {
			fatal = err
		}
		mu.Unlock()
	}
	worker := func() {
		defer wg.Done()
		for {
			k, ok := take()
			if !ok {
				return
			}
			if err := st.sweepRun(ctx, k, runs[k], id, prepare, hooks, res); err != nil {
				fail(err)
				return
			}
		}
	}
	for range min(par, len(runs)) {
		wg.Add(1)
		go worker()
	}
	wg.Wait()
	if fatal != nil {
		return res, fatal
	}
	res.Stopped = stopped || parent.Err() != nil
	if b, ok := BestRecord(res.Records(), metric.Name); ok {
		res.Best = b.Session
	}
	return res, nil
}

// sweepRun prepares, trains and saves run k; its error stops the sweep (a
// run that trained and failed is no such error: it is kept in res.Errs).
func (st *Store) sweepRun(ctx context.Context, k int, run Run, id string, prepare func(Plan) (*Prepared, error), hooks SweepHooks, res *SweepResult) error {
	p := run.Plan
	p.Name = ""
	pr, err := prepare(p)
	if err != nil {
		return fmt.Errorf("run %d (%s): %w", k+1, run, err)
	}
	s := pr.Session
	s.Name, s.Sweep = id+"-"+strconv.Itoa(k+1), id
	s.autoName = s.Name
	release := func() {}
	if hooks.Acquire != nil {
		r, err := hooks.Acquire(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil // stopped while waiting: not started
			}
			return err
		}
		release = r
	}
	defer release()
	if ctx.Err() != nil {
		return nil
	}
	// Saved first, so Start knows the run's id and name.
	if err := st.Save(s); err != nil {
		return err
	}
	res.started[k] = true
	if hooks.Start != nil {
		hooks.Start(k, run, pr)
	}
	var onEvent func(engine.Event)
	if hooks.Event != nil {
		onEvent = func(e engine.Event) { hooks.Event(k, e) }
	}
	var ctl *engine.Control
	if hooks.Control != nil {
		ctl = hooks.Control(k)
	}
	saved, err := st.Train(ctx, pr, onEvent, ctl)
	if errors.Is(err, ErrNothingTrained) {
		saved = nil
	}
	res.Done[k], res.Errs[k] = saved, err
	if hooks.Done != nil {
		hooks.Done(k, saved, err)
	}
	if saved == nil && err != nil && !errors.Is(err, ErrNothingTrained) {
		return err // the store failed, not the run
	}
	return nil
}
