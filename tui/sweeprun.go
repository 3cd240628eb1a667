package tui

import (
	"context"
	"fmt"
	"log/slog"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/engine"
	"workbench/sessions"
)

// sweepState is the root's account of the sweep being run (or the last
// one): which run of how many, and the finished runs for the leaderboard.
type sweepState struct {
	run        int // the trainRun that runs it
	id, metric string
	k, n       int    // run k (1-based) of n is training
	label      string // the current run's settings, "lr=0.01 layers=64:relu"
	board      []sessions.Record
	labels     map[string]string // settings of each finished run, by session id
	done       bool
	stopped    bool
}

// sweepView is what panes read of a sweep: a copy.
type sweepView struct {
	Run        int
	ID, Metric string
	K, N       int
	Label      string
	Board      []sessions.Record // finished runs, best first by Metric
	Labels     map[string]string // their settings, by session id
	Done       bool
	Stopped    bool
}

func (s *sweepState) view() *sweepView {
	if s == nil {
		return nil
	}
	return &sweepView{Run: s.run, Labels: s.labels, ID: s.id, Metric: s.metric, K: s.k, N: s.n, Label: s.label,
		Board: append([]sessions.Record(nil), s.board...), Done: s.done, Stopped: s.stopped}
}

// startSweep launches a sweep as the active run: its runs train one at a
// time through the same gate and pump as a single run, so the Train pane
// shows each run's charts as it would a run of its own.
func (c *runController) startSweep(sw sessions.Sweep) (int, tea.Cmd) {
	ctx, r := c.newRun()
	c.sweep = &sweepState{run: r.id, metric: sw.Metric, labels: map[string]string{}}
	if f, err := sessions.MetricField(sw.Metric); err == nil {
		c.sweep.metric = f.Name
	}
	go r.loopSweep(ctx, c.store, c.files, c.log, sw, c.gate)
	return r.id, r.wait()
}

// sweepMsg keeps the sweep's state in step with its run's messages.
func (c *runController) sweepMsg(msg tea.Msg) {
	s := c.sweep
	if s == nil || c.run == nil {
		return
	}
	switch m := msg.(type) {
	case sweepRunStartedMsg:
		if m.run == c.run.id {
			s.id, s.k, s.n, s.label = m.id, m.k, m.n, m.label
		}
	case sweepRunDoneMsg:
		if m.run == c.run.id && m.sess != nil {
			s.labels[m.sess.ID] = s.label
			s.board = append(s.board, sessions.RecordOf(sessions.Entry{ID: m.sess.ID, Session: m.sess}))
			if err := sessions.Leaderboard(s.board, s.metric); err != nil {
				c.log.Error("leaderboard", "err", err)
			}
		}
	case sweepDoneMsg:
		if m.run == c.run.id {
			s.done = true
			if m.res != nil {
				s.id, s.metric, s.stopped = m.res.ID, m.res.Metric, m.res.Stopped
			}
		}
	}
}

// loopSweep runs sw through sessions' runner, reporting each run as the
// single-run loop does (started, running, events) plus the sweep's own
// messages; then sweepDoneMsg, and trainDoneMsg with the best run.
func (r *trainRun) loopSweep(ctx context.Context, store *sessions.Store, fl files, log *slog.Logger, sw sessions.Sweep, gate TrainGate) {
	defer close(r.done)
	defer close(r.msgs)
	defer r.cancel()
	n := 0
	var stopRelay func()
	hooks := sessions.SweepHooks{
		Parallel: 1, // one run's charts at a time, and the slots are shared
		Prepare: func(p sessions.Plan) (*sessions.Prepared, error) {
			if _, err := fl.checkRef(p.DataRef); err != nil {
				return nil, fmt.Errorf("dataset: %w", err)
			}
			p.Load = fl.loadOptions(p.Load)
			var pr *sessions.Prepared
			err := safely(func() error {
				var err error
				pr, err = sessions.Prepare(p)
				return err
			})
			return pr, err
		},
		Start: func(k int, run sessions.Run, pr *sessions.Prepared) {
			info := *pr.Session
			info.Model, info.History = nil, nil
			r.send(sweepRunStartedMsg{run: r.id, id: info.Sweep, k: k + 1, n: n, label: run.String()})
			r.send(trainStartedMsg{run: r.id, info: &info, ds: pr.Dataset})
			r.send(trainRunningMsg{run: r.id})
			relay := engine.NewRelay()
			stopRelay = relay.Forward(context.Background(), func(e engine.Event) {
				r.send(trainEventMsg{run: r.id, e: e})
			})
			r.event = func(e engine.Event) {
				if e.Kind == engine.EpochEnd {
					r.snapshot(pr.Session, e)
				}
				relay.Handle(e)
			}
		},
		Event: func(_ int, e engine.Event) {
			if r.event != nil {
				r.event(e)
			}
		},
		Done: func(k int, s *sessions.Session, err error) {
			if stopRelay != nil {
				stopRelay()
				stopRelay = nil
			}
			r.event = nil
			if err != nil {
				log.Error("sweep run", "run", k+1, "err", err)
			}
			r.send(sweepRunDoneMsg{run: r.id, k: k + 1, sess: s, err: err})
		},
		Control: func(int) *engine.Control { return r.ctl },
	}
	if gate != nil {
		// Each run takes its turn through the run's slot, so pausing a
		// sweep's run gives the turn back as a single run's pause does.
		hooks.Acquire = func(context.Context) (func(), error) {
			r.slot.next()
			if err := r.slot.take(r.sendPlace); err != nil {
				return nil, err
			}
			return r.slot.finish, nil
		}
	}
	var res *sessions.SweepResult
	err := safely(func() error {
		runs, err := sw.Runs()
		if err != nil {
			return err
		}
		n = len(runs)
		res, err = store.RunSweep(ctx, sw, hooks)
		return err
	})
	if stopRelay != nil {
		stopRelay()
	}
	if err != nil {
		log.Error("sweep", "err", err)
	}
	r.send(sweepDoneMsg{run: r.id, res: res, err: err})
	var best *sessions.Session
	if res != nil {
		best = res.Best
	}
	switch {
	case best == nil && err == nil && res.Stopped:
		err = fmt.Errorf("the sweep was stopped before a run finished: %w", sessions.ErrNothingTrained)
	case best == nil && err == nil:
		err = fmt.Errorf("no run of the sweep has %s", res.Metric)
	}
	r.send(trainDoneMsg{run: r.id, sess: best, err: err})
}
