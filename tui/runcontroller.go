package tui

import (
	"context"
	"log/slog"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// runController owns the active training run of one program: at most one
// at a time, started, paused and stopped at the root's request. Its
// message pump is re-armed by handle for every message of the run.
type runController struct {
	store  *sessions.Store
	files  files
	log    *slog.Logger
	gate   TrainGate // nil = no limit
	nextID int
	run    *trainRun   // nil when no run is active
	sweep  *sweepState // the sweep running or last run; nil after a single run starts
	pace   int         // the watch speed new runs start at (watchSpeeds)
}

// runView is what panes read of the active run.
type runView struct {
	Active bool
	ID     int
	Info   *sessions.Session // model-less copy, nil until the data is prepared
	DS     *datasets.Dataset // the run's raw data, nil until prepared
	Sweep  *sweepView        // the sweep running, or the last one run; nil if none since the last single run
}

func (c *runController) view() runView {
	r := c.run
	if r == nil {
		return runView{Sweep: c.sweep.view()}
	}
	return runView{Active: true, ID: r.id, Info: r.info, DS: r.ds, Sweep: c.sweep.view()}
}

func (c *runController) training() bool { return c.run != nil }

// start launches a run: a new one from p, or continuing cont (a freshly
// loaded session that nothing else uses).
func (c *runController) start(p sessions.Plan, cont *sessions.Session) (int, tea.Cmd) {
	ctx, r := c.newRun()
	c.sweep = nil
	go r.loop(ctx, c.store, c.files, c.log, p, cont)
	return r.id, r.wait()
}

// newRun makes the next run the active one; its goroutine is the caller's
// to start.
func (c *runController) newRun() (context.Context, *trainRun) {
	c.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	ctl := &engine.Control{}
	c.run = &trainRun{
		id:      c.nextID,
		ctl:     ctl,
		slot:    &trainSlot{gate: c.gate, ctl: ctl, ctx: ctx},
		cancel:  cancel,
		msgs:    make(chan tea.Msg),
		abandon: make(chan struct{}),
		done:    make(chan struct{}),
	}
	c.run.pace.Store(int64(c.pace))
	return ctx, c.run
}

// handle keeps the run in step with its own messages and re-arms its pump.
func (c *runController) handle(msg tea.Msg) tea.Cmd {
	r := c.run
	if r == nil {
		return nil
	}
	switch m := msg.(type) {
	case trainStartedMsg:
		if r.id == m.run {
			r.info, r.ds = m.info, m.ds
		}
	case trainWaitingMsg, trainRunningMsg, trainEventMsg:
		// the run's own messages: re-arm its pump below
	case sweepRunStartedMsg, sweepRunDoneMsg, sweepDoneMsg:
		c.sweepMsg(m)
	case trainDoneMsg:
		if r.id == m.run {
			c.run = nil
		}
		return nil
	default:
		return nil
	}
	return r.wait()
}

func (c *runController) pause(resume bool) {
	if r := c.run; r != nil {
		r.held.Store(false) // the user's pause or resume takes over a step hold
		if resume {
			r.resume()
		} else {
			r.pause()
		}
	}
}

func (c *runController) stop() {
	if r := c.run; r != nil {
		r.stop()
	}
}

func (c *runController) watchMap(run int) {
	if r := c.run; r != nil && r.id == run {
		r.wantMap.Store(true)
	}
}

func (c *runController) mapSnapshot(run int) *snapshot {
	if r := c.run; r != nil && r.id == run {
		return r.mapSnap.Load()
	}
	return nil
}

// loadFresh loads a session anew in a command, so that continuing trains a
// model nobody else (server, maps, the current view) holds.
func loadFresh(st *sessions.Store, id string) tea.Cmd {
	return loadThen(st, id, func(s *sessions.Session, err error) tea.Msg { return freshLoadedMsg{sess: s, err: err} })
}

// loadThen loads session id in a command and answers done's message.
func loadThen(st *sessions.Store, id string, done func(*sessions.Session, error) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		var s *sessions.Session
		err := safely(func() error {
			var err error
			s, err = st.Load(id)
			return err
		})
		return done(s, err)
	}
}
