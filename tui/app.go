package tui

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/serve"
	"workbench/sessions"
)

// Smallest size the layout is designed for; below it the app asks for more.
const (
	minWidth  = 60
	minHeight = 16
)

// app is the root model. It alone owns the shared state (the plan, its
// dataset, the current session, the run and the server) and changes it in
// reduce; panes read it through shared and ask for changes.
type app struct {
	opts  Options
	st    *Styles
	store *sessions.Store
	files files // resolves the paths the user types
	log   *slog.Logger

	plan      plan
	data      *datasets.Dataset // the dataset of the plan, loaded for previews
	planDirty bool              // the plan changed since current was trained or opened
	// current is the last finished or opened session; its Model is never
	// trained while it is current (continuing loads a fresh copy).
	current   *sessions.Session
	currentDS *datasets.Dataset
	runs      *runController
	srv       *serveController

	queue []tea.Msg // requests asked during the message being handled
	// startup is what opening --session asked for (the test pairs of a
	// regression), run by Init: New has no program to run it yet.
	startup tea.Cmd

	keys   globalKeys
	help   help.Model
	panes  [5]pane
	active int

	width, height int
	showHelp      bool
	confirmQuit   bool
	// trained: the user has trained (or opened a session); the first
	// minute's hint is gone. hinted is whether the layout left it a line.
	trained, hinted bool
	palette         *palette // the : command palette, nil when closed
	// note is a one-line answer to a global key (ctrl+z over SSH), shown
	// in the footer until the next key.
	note     string
	shutting bool
	quitting bool

	closeOnce sync.Once
	closeErr  error
}

var _ shared = (*app)(nil)

func newApp(opts Options) (*app, error) {
	if opts.Store == nil {
		return nil, errors.New("tui: Options.Store is required")
	}
	if err := checkAddr(opts.ServeAddr); err != nil {
		return nil, err
	}
	fl, err := newFiles(opts.FileRoot)
	fl.maxMemory = opts.MaxMemory
	if err != nil {
		return nil, err
	}
	var out io.Writer = io.Discard
	if opts.Log != nil {
		out = opts.Log
	}
	log := slog.New(slog.NewTextHandler(out, nil))
	st := DefaultStyles(opts.Renderer)
	a := &app{
		opts: opts, st: st, store: opts.Store, files: fl, log: log,
		runs: &runController{store: opts.Store, files: fl, log: log, gate: opts.TrainGate},
		srv:  newServeController(st, log, opts.ServeAddr, opts.Version),
		keys: newGlobalKeys(), active: paneData, width: 80, height: 24,
	}
	a.srv.ports = opts.ServePorts
	layers, err := engine.ParseLayers(defaultLayers)
	if err != nil {
		log.Error("default layers", "err", err)
	}
	a.plan = plan{DataRef: "iris", Val: 0.2, Test: 0.2, Layers: layers, Hyper: sessions.DefaultHyper()}
	a.help = help.New()
	a.help.Styles = help.Styles{
		ShortKey: st.Key, ShortDesc: st.KeyDesc, ShortSeparator: st.Dim,
		FullKey: st.Key, FullDesc: st.KeyDesc, FullSeparator: st.Dim, Ellipsis: st.Dim,
	}
	e := env{st: st, sh: a, ask: a.ask}
	a.panes = [5]pane{
		newDataPane(e, fl, opts.FileNote), newModelPane(e), newTrainPane(e, fl),
		newServePane(e, fl), newSessionsPane(e, opts.Store, fl),
	}

	// Building the app may block: New is not on a UI goroutine yet.
	if opts.SessionID != "" {
		sess, ds, err := openSession(a.store, fl, opts.SessionID)
		if err != nil {
			return nil, err
		}
		a.startup = a.update(sessionOpenedMsg{sess: sess, ds: ds})
		a.active, a.trained = paneTrain, true
	} else {
		ds, err := loadDataset(a.plan.DataRef, fl.loadOptions(a.plan.Load))
		a.update(dataLoadedMsg{ref: a.plan.DataRef, opts: a.plan.Load, ds: ds, err: err})
	}
	a.layout()
	return a, nil
}

// ---- shared, the panes' read-only view ----

func (a *app) Plan() plan                     { return a.plan }
func (a *app) Data() *datasets.Dataset        { return a.data }
func (a *app) Current() *sessions.Session     { return a.current }
func (a *app) CurrentData() *datasets.Dataset { return a.currentDS }
func (a *app) Run() runView                   { return a.runs.view() }
func (a *app) MapSnapshot(run int) *snapshot  { return a.runs.mapSnapshot(run) }
func (a *app) Serving() serveView             { return a.srv.view() }
func (a *app) ask(m tea.Msg)                  { a.queue = append(a.queue, m) }
func (a *app) training() bool                 { return a.runs.training() }
func (a *app) activePane() pane               { return a.panes[a.active] }
func (a *app) focus(i int) tea.Cmd {
	a.active, a.showHelp = i, false
	return a.activePane().Update(paneFocusMsg{})
}
func (a *app) init() tea.Cmd {
	cmds := []tea.Cmd{a.startup}
	for _, p := range a.panes {
		cmds = append(cmds, p.Init())
	}
	if ctx := a.opts.Context; ctx != nil {
		cmds = append(cmds, func() tea.Msg {
			<-ctx.Done()
			return shutdownMsg{}
		})
	}
	return tea.Batch(cmds...)
}

// layout gives each pane its share; the root alone knows the window size.
func (a *app) layout() {
	w, h := max(a.width, minWidth), max(a.height, minHeight)
	a.help.Width = w
	a.hinted = a.hintLines() > 0
	for _, p := range a.panes {
		p.SetSize(w, h-2-a.hintLines())
	}
}

// update handles msg and every request it led to, then lets the active
// pane settle (the serve pane builds its try-it row from what changed).
func (a *app) update(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{a.handle(msg)}
	for len(a.queue) > 0 {
		m := a.queue[0]
		a.queue = a.queue[1:]
		cmds = append(cmds, a.handle(m))
	}
	if a.hinted != (a.hintLines() > 0) {
		// The hint came or went: the panes get its line back.
		a.layout()
		cmds = append(cmds, a.broadcast(paneResizedMsg{}))
	}
	cmds = append(cmds, a.activePane().Update(settledMsg{}))
	return tea.Batch(cmds...)
}

func (a *app) updateKey(msg tea.KeyMsg) tea.Cmd {
	// Keys typed faster than a frame (or sent by tmux) arrive as one
	// message of several runes; each is a key of its own here, with the
	// requests it made handled before the next one reads the state (d d
	// deletes two layers, not the same one twice).
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			cmds = append(cmds, a.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Sequence(cmds...)
	}
	k := a.keys
	if a.shutting {
		return nil
	}
	if a.confirmQuit {
		switch {
		case key.Matches(msg, k.Yes), key.Matches(msg, k.ForceQ):
			a.quitting = true
			return tea.Quit
		case key.Matches(msg, k.No):
			a.confirmQuit = false
		}
		return nil
	}
	if key.Matches(msg, k.ForceQ) {
		return a.quit()
	}
	a.note = ""
	if key.Matches(msg, k.Suspend) {
		return a.suspend()
	}
	if a.palette != nil {
		return a.updatePalette(msg)
	}
	p := a.activePane()
	if p.Capturing() {
		return p.Update(msg)
	}
	if a.showHelp {
		if key.Matches(msg, k.Help) || key.Matches(msg, k.Escape) {
			a.showHelp = false
			return nil
		}
	}
	switch {
	case key.Matches(msg, k.Background):
		r := a.st.r
		r.SetHasDarkBackground(!r.HasDarkBackground())
		a.note = "colours for a light background (B flips)"
		if r.HasDarkBackground() {
			a.note = "colours for a dark background (B flips)"
		}
		return a.broadcast(paneResizedMsg{}) // cached charts are drawn again
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Help):
		a.showHelp = !a.showHelp
		return nil
	case key.Matches(msg, k.Palette):
		a.showHelp = false
		return a.openPalette()
	case key.Matches(msg, k.Next):
		return a.focus((a.active + 1) % len(a.panes))
	case key.Matches(msg, k.Prev):
		return a.focus((a.active + len(a.panes) - 1) % len(a.panes))
	case key.Matches(msg, k.Serve):
		return a.srv.toggle(a.runs.run, a.current)
	}
	for i, b := range k.Panes {
		if key.Matches(msg, b) {
			return a.focus(i)
		}
	}
	return p.Update(msg)
}

func (a *app) quit() tea.Cmd {
	if a.training() || a.srv.view().On {
		a.confirmQuit = true
		return nil
	}
	a.quitting = true
	return tea.Quit
}

// close is App.Close: stop training (waiting for its save) and the server.
func (a *app) close() error {
	a.closeOnce.Do(func() { a.closeErr = shutdown(a.runs.run, a.srv.detach()) })
	return a.closeErr
}

// shutdown stops the run (saved as stopped) and the servers; the run's
// message pump is abandoned so nothing waits for the UI.
func shutdown(r *trainRun, srvs []*serve.Server) error {
	if r != nil {
		r.close()
	}
	var errs []error
	for _, s := range srvs {
		errs = append(errs, stopNow(s))
	}
	return errors.Join(errs...)
}

// checkAddr refuses a serve address that can never be bound, up front
// rather than as a listen error when S is pressed.
func checkAddr(addr string) error {
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve address %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("serve address %q: port %q is not a number from 0 to 65535", addr, port)
	}
	return nil
}

// suspend stops the program until fg (see Options.Suspend). The whole
// process stops, so a running training pauses with it and goes on after fg.
func (a *app) suspend() tea.Cmd {
	if a.opts.Suspend == nil {
		a.note = "ctrl+z is not available here: over SSH it would stop the server; your ssh client's ~ then ctrl+z suspends ssh itself"
		return nil
	}
	f := a.opts.Suspend
	return func() tea.Msg {
		f()
		return nil
	}
}
