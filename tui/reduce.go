package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// handle is the root's reducer: it changes the shared state for msg, then
// hands msg to the panes (keys to the active one, the rest to all).
func (a *app) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.layout()
		return a.broadcast(paneResizedMsg{})
	case tea.KeyMsg:
		return a.updateKey(msg)
	case shutdownMsg:
		if a.shutting {
			return nil
		}
		a.shutting = true
		r, srvs := a.runs.run, a.srv.detach()
		return func() tea.Msg { return shutdownDoneMsg{err: shutdown(r, srvs)} }
	case shutdownDoneMsg:
		// Close finds nothing left to stop; it reports this error instead.
		a.closeOnce.Do(func() { a.closeErr = msg.err })
		a.runs.run = nil
		a.quitting = true
		return tea.Quit
	case switchPaneMsg:
		a.active = msg.to
		return nil
	case planChangedMsg:
		a.plan, a.planDirty = msg.plan, true
		return nil
	case startRunMsg:
		return a.launch(a.plan.sessionsPlan(), nil)
	case startSweepMsg:
		if a.training() {
			return nil
		}
		id, cmd := a.runs.startSweep(msg.sweep)
		return tea.Batch(cmd, a.broadcast(runLaunchedMsg{run: id}))
	case sweepDoneMsg:
		// Its runs are in the Sessions pane, best first, where / and s
		// take over; a pane with a text field open keeps the keys.
		cmd := a.broadcast(msg)
		if msg.res == nil || msg.res.Finished() == 0 {
			return cmd
		}
		if !a.activePane().Capturing() {
			a.active = paneSessions
		}
		return tea.Batch(cmd, a.broadcast(showSweepMsg{id: msg.res.ID, metric: msg.res.Metric}))
	case continueRunMsg:
		if a.training() {
			return nil
		}
		return loadFresh(a.store, msg.id)
	case freshLoadedMsg:
		if msg.err != nil {
			return a.broadcast(msg)
		}
		return a.launch(sessions.Plan{}, msg.sess)
	case pauseRunMsg:
		a.runs.pause(msg.resume)
		return nil
	case watchSpeedMsg:
		a.runs.setPace(msg.pace)
		return nil
	case stepEpochMsg:
		a.runs.stepOne()
		return nil
	case stopRunMsg:
		a.runs.stop()
		return nil
	case watchMapMsg:
		a.runs.watchMap(msg.run)
		return nil
	case openSessionMsg:
		st, fl, id, cont := a.store, a.files, msg.id, msg.cont
		// The Train pane is shown only once the session is open: a session
		// removed meanwhile keeps the user on the Sessions pane, told so.
		return func() tea.Msg {
			sess, ds, err := openSession(st, fl, id)
			return sessionOpenedMsg{id: id, sess: sess, ds: ds, err: err, cont: cont}
		}
	case testPairsAskMsg:
		if c := a.current; c != nil && c.ID == msg.id && c.Model != nil {
			return testPairs(copySession(c, c.Model.Clone()), a.files)
		}
		return nil
	case renameSessionMsg:
		st, id, name := a.store, msg.id, msg.name
		return func() tea.Msg {
			return sessionRenamedMsg{id: id, name: name, err: safely(func() error { return st.Rename(id, name) })}
		}
	case sessionRenamedMsg:
		if c := a.current; msg.err == nil && c != nil && c.ID == msg.id {
			c.Name = msg.name
		}
	case deleteSessionMsg:
		st, id := a.store, msg.id
		return func() tea.Msg {
			return sessionDeletedMsg{id: id, err: safely(func() error { return st.Delete(id) })}
		}
	case sessionDeletedMsg:
		if c := a.current; msg.err == nil && c != nil && c.ID == msg.id {
			a.current = nil
		}
	case serverStartedMsg:
		return a.srv.started(msg)
	case serverStoppedMsg:
		a.srv.stoppedMsg(msg)
	case pinServeMsg:
		a.srv.togglePin()
	case serveAlsoMsg:
		return loadThen(a.store, msg.id, func(s *sessions.Session, err error) tea.Msg { return alsoLoadedMsg{sess: s, err: err} })
	case alsoLoadedMsg:
		a.srv.also(msg.sess, msg.err)
	case statsTickMsg:
		return a.srv.tick(msg)
	case dataLoadedMsg:
		if msg.err == nil && msg.ds != nil {
			a.data = msg.ds
			a.plan.DataRef, a.plan.Load = msg.ref, msg.opts
			a.planDirty = true
		}
	case sessionsListedMsg:
		a.trained = a.trained || len(msg.entries) > 0
	case sessionOpenedMsg:
		if msg.err == nil && msg.sess != nil {
			a.active, a.trained = paneTrain, true
		}
		return tea.Batch(a.opened(msg), a.broadcast(msg))
	case trainEventMsg:
		var cmd tea.Cmd
		if r := a.runs.run; r != nil && r.id == msg.run && msg.e.Kind == engine.EpochEnd {
			cmd = a.srv.epochEnded(r)
		}
		return tea.Batch(cmd, a.broadcast(msg))
	case trainDoneMsg:
		var cmd tea.Cmd
		if msg.sess != nil {
			a.current, a.planDirty, a.trained = msg.sess, false, true
			if r := a.runs.run; r != nil && r.ds != nil {
				a.currentDS = r.ds
			}
		}
		if r := a.runs.run; r != nil && r.id == msg.run {
			cmd = a.srv.runEnded(r.id, msg.sess)
		}
		return tea.Batch(cmd, a.broadcast(msg))
	}
	return a.broadcast(msg)
}

// broadcast gives a non-key message to the run controller and every pane.
func (a *app) broadcast(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{a.runs.handle(msg)}
	for _, p := range a.panes {
		cmds = append(cmds, p.Update(msg))
	}
	return tea.Batch(cmds...)
}

// launch starts a run unless one is active, and tells the panes.
func (a *app) launch(p sessions.Plan, cont *sessions.Session) tea.Cmd {
	if a.training() {
		return nil
	}
	id, cmd := a.runs.start(p, cont)
	return tea.Batch(cmd, a.broadcast(runLaunchedMsg{run: id}))
}

// opened makes an opened session current and its settings the plan; with
// cont it then continues training it.
func (a *app) opened(msg sessionOpenedMsg) tea.Cmd {
	if msg.err != nil || msg.sess == nil {
		return nil
	}
	s := msg.sess
	a.current, a.currentDS = s, msg.ds
	a.srv.currentChanged(s)
	if msg.ds != nil {
		a.data = msg.ds
	}
	a.plan.DataRef, a.plan.Load = s.Data.Ref, sessionLoadOptions(s)
	a.plan.Val, a.plan.Test = s.Split.Val, s.Split.Test
	if layers, err := engine.ParseLayers(s.Layers); err == nil {
		a.plan.Layers = layers
	}
	a.plan.Hyper = s.Hyper
	a.planDirty = false
	if msg.cont && s.ID != "" && !a.training() {
		return loadFresh(a.store, s.ID)
	}
	return nil
}

// sessionLabel describes the current session for the header; the short
// form leaves out the data reference.
func (a *app) sessionLabel(long bool) string {
	var name, ref, layers string
	outputs := 0
	var s *sessions.Session
	switch r := a.runs.run; {
	case r != nil && r.info != nil:
		s = r.info
	case a.current != nil && !a.planDirty:
		s = a.current
	}
	if s != nil {
		name, ref, layers = sessionName(s), s.Data.Ref, s.Layers
		outputs = len(s.Data.Classes)
		if outputs == 0 {
			outputs = max(1, len(s.Data.Targets))
		}
	} else {
		name, ref, layers = "new", a.plan.DataRef, engine.FormatLayers(a.plan.Layers)
		if a.data != nil {
			outputs = a.data.Outputs()
		}
	}
	if !long {
		return fmt.Sprintf("%s · %s", name, layerChain(layers, outputs))
	}
	return fmt.Sprintf("%s · %s · %s", name, ref, layerChain(layers, outputs))
}

// openSession loads a saved session (by id, prefix, name or "latest") and
// its dataset (only from inside fl's root, when it has one).
func openSession(st *sessions.Store, fl files, query string) (*sessions.Session, *datasets.Dataset, error) {
	var sess *sessions.Session
	err := safely(func() error {
		id, err := st.Resolve(query)
		if err != nil {
			return err
		}
		sess, err = st.Load(id)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open session %q: %w", query, err)
	}
	ref, err := fl.checkRef(sess.Data.Ref)
	var ds *datasets.Dataset
	if err == nil {
		ds, err = loadDataset(ref, fl.loadOptions(sessionLoadOptions(sess)))
	}
	if err != nil {
		// The session still opens: charts and settings do not need the data.
		return sess, nil, nil
	}
	return sess, ds, nil
}

// sessionLoadOptions loads a session's data as it was trained: a CSV
// trained with --target price must not come back with its last column as
// the target.
func sessionLoadOptions(s *sessions.Session) datasets.LoadOptions {
	return datasets.LoadOptions{Target: s.Data.Target, Task: s.Data.Task, DropMissing: s.Data.DropMissing}
}

func loadDataset(ref string, opts datasets.LoadOptions) (*datasets.Dataset, error) {
	var ds *datasets.Dataset
	err := safely(func() error {
		var err error
		ds, err = datasets.Load(ref, opts)
		return err
	})
	return ds, err
}
