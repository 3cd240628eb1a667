package tui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"workbench/datasets"
	"workbench/serve"
	"workbench/sessions"
)

// Smallest size the layout is designed for; below it the app asks for more.
const (
	minWidth  = 60
	minHeight = 16
)

type app struct {
	w      *workbench
	st     *Styles
	keys   globalKeys
	help   help.Model
	panes  [5]pane
	active int

	width, height int
	showHelp      bool
	confirmQuit   bool
	shutting      bool
	quitting      bool

	closeOnce sync.Once
	closeErr  error
}

func newApp(opts Options) (*app, error) {
	if opts.Store == nil {
		return nil, errors.New("tui: Options.Store is required")
	}
	if err := checkAddr(opts.ServeAddr); err != nil {
		return nil, err
	}
	fl, err := newFiles(opts.FileRoot)
	if err != nil {
		return nil, err
	}
	st := DefaultStyles(opts.Renderer)
	w := newWorkbench(opts)
	w.st = st
	w.files = fl
	a := &app{w: w, st: st, keys: newGlobalKeys(), active: paneData, width: 80, height: 24}
	a.help = help.New()
	a.help.Styles = help.Styles{
		ShortKey: st.Key, ShortDesc: st.KeyDesc, ShortSeparator: st.Dim,
		FullKey: st.Key, FullDesc: st.KeyDesc, FullSeparator: st.Dim, Ellipsis: st.Dim,
	}
	a.panes = [5]pane{newDataPane(w), newModelPane(w), newTrainPane(w), newServePane(w), newSessionsPane(w)}

	if opts.SessionID != "" {
		sess, ds, err := openSession(w.store, w.files, opts.SessionID)
		if err != nil {
			return nil, err
		}
		a.apply(sessionOpenedMsg{sess: sess, ds: ds})
		a.active = paneTrain
	} else {
		ds, err := loadDataset(w.plan.DataRef, w.plan.Load)
		a.apply(dataLoadedMsg{ref: w.plan.DataRef, opts: w.plan.Load, ds: ds, err: err})
	}
	a.layout()
	return a, nil
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
		ds, err = loadDataset(ref, sessionLoadOptions(sess))
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

// apply hands a message to every pane without a command result (used while
// building the app).
func (a *app) apply(msg tea.Msg) {
	a.w.handle(msg)
	for _, p := range a.panes {
		p.Update(msg)
	}
}

func (a *app) init() tea.Cmd {
	cmds := []tea.Cmd{}
	for _, p := range a.panes {
		cmds = append(cmds, p.Init())
	}
	if ctx := a.w.opts.Context; ctx != nil {
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
	for _, p := range a.panes {
		p.SetSize(w, h-2)
	}
}

// update handles msg, then brings the serve pane's try-it row up to date
// with what msg changed (the served or current session, the active pane):
// building it splits the dataset for an example row, work that View, which
// only draws, used to do.
func (a *app) update(msg tea.Msg) tea.Cmd {
	cmd := a.handle(msg)
	if a.active == paneServe {
		a.panes[paneServe].(*servePane).syncForm()
	}
	return cmd
}

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
		r, srv := a.w.run, a.w.srv
		return func() tea.Msg {
			return shutdownDoneMsg{err: shutdown(r, srv)}
		}
	case shutdownDoneMsg:
		// Close finds nothing left to stop; it reports this error instead.
		a.closeOnce.Do(func() { a.closeErr = msg.err })
		a.w.run, a.w.srv = nil, nil
		a.quitting = true
		return tea.Quit
	case switchPaneMsg:
		a.active = msg.to
		return nil
	}
	return a.broadcast(msg)
}

// broadcast gives a non-key message to every pane and the workbench, and
// re-arms the training run's message pump.
func (a *app) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	cmds = append(cmds, a.w.handle(msg))
	for _, p := range a.panes {
		cmds = append(cmds, p.Update(msg))
	}
	if r := a.w.run; r != nil {
		switch m := msg.(type) {
		case trainStartedMsg, trainWaitingMsg, trainRunningMsg, trainEventMsg:
			cmds = append(cmds, r.wait())
		case trainDoneMsg:
			if m.run == r.id {
				a.w.run = nil
			}
		}
	}
	return tea.Batch(cmds...)
}

func (a *app) updateKey(msg tea.KeyMsg) tea.Cmd {
	// Keys typed faster than a frame (or sent by tmux) arrive as one
	// message of several runes; each is a key of its own here.
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			cmds = append(cmds, a.updateKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
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
	p := a.panes[a.active]
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
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Help):
		a.showHelp = !a.showHelp
		return nil
	case key.Matches(msg, k.Next):
		a.active = (a.active + 1) % len(a.panes)
		a.showHelp = false
		return a.panes[a.active].Update(paneFocusMsg{})
	case key.Matches(msg, k.Prev):
		a.active = (a.active + len(a.panes) - 1) % len(a.panes)
		a.showHelp = false
		return a.panes[a.active].Update(paneFocusMsg{})
	case key.Matches(msg, k.Serve):
		return a.w.toggleServer()
	}
	for i, b := range k.Panes {
		if key.Matches(msg, b) {
			a.active = i
			a.showHelp = false
			return a.panes[a.active].Update(paneFocusMsg{})
		}
	}
	return p.Update(msg)
}

// paneResizedMsg follows a resize, so panes can start work that depends on
// their size (the decision map's grid).
type paneResizedMsg struct{}

// paneFocusMsg tells a pane it became the active tab (to refresh lists).
type paneFocusMsg struct{}

func (a *app) quit() tea.Cmd {
	if a.w.training() {
		a.confirmQuit = true
		return nil
	}
	a.quitting = true
	return tea.Quit
}

func (a *app) view() string {
	if a.width < minWidth || a.height < minHeight {
		msg := fmt.Sprintf("workbench needs at least %d×%d (this terminal is %d×%d)", minWidth, minHeight, a.width, a.height)
		return fitBlock(msg, max(a.width, 1), max(a.height, 1))
	}
	if a.quitting {
		return ""
	}
	w, h := a.width, a.height
	header := a.headerView(w)
	var body string
	switch {
	case a.shutting:
		body = fitBlock("\n\n  "+a.st.Banner.Render(" server shutting down… ")+"\n\n  stopping training (it is saved as stopped) and the predict server.", w, h-2)
	case a.confirmQuit:
		body = fitBlock("\n\n  "+a.st.Warn.Render("Training is running.")+"\n\n  Quit anyway? It is saved as stopped.  "+a.st.Key.Render("y")+" quit · "+a.st.Key.Render("n")+" keep training", w, h-2)
	case a.showHelp:
		body = a.helpView(w, h-2)
	default:
		body = a.panes[a.active].View()
	}
	return header + "\n" + fitBlock(body, w, h-2) + "\n" + a.footerView(w)
}

func (a *app) headerView(w int) string {
	st := a.st
	var b strings.Builder
	b.WriteString(st.Title.Render(" workbench "))
	for i, p := range a.panes {
		label := fmt.Sprintf(" %d %s ", i+1, p.Title())
		if i == a.active && !st.Colour {
			// without colour (NO_COLOR) reverse video is gone too
			label = fmt.Sprintf("[%d %s]", i+1, p.Title())
		}
		if i == a.active {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.TabInactive.Render(label))
		}
	}
	left := b.String()
	room := w - ansi.StringWidth(left) - 2
	if room < 12 {
		return fitLine(left, w)
	}
	info := ""
	for _, long := range []bool{true, false} {
		info = "session: " + a.w.sessionLabel(long)
		if !long {
			info = a.w.sessionLabel(long)
		}
		if a.w.opts.User != "" {
			info = a.w.opts.User + " · " + info
		}
		if ansi.StringWidth(info) <= room {
			break
		}
	}
	info = ansi.Truncate(info, room, "…")
	pad := w - ansi.StringWidth(left) - ansi.StringWidth(info) - 1
	return left + strings.Repeat(" ", max(pad, 1)) + st.HeaderInfo.Render(info)
}

func (a *app) footerView(w int) string {
	// The global keys and the server state always show; the pane's keys
	// get what is left (all of them are in ? help).
	right := a.shortHelp([]key.Binding{a.keys.Serve, a.keys.Help, a.keys.Quit}, w) + "  " + a.w.serverBadge()
	rw := ansi.StringWidth(right)
	left := " " + a.shortHelp(a.panes[a.active].ShortHelp(), w-rw-4)
	pad := w - ansi.StringWidth(left) - rw - 1
	return fitLine(left+strings.Repeat(" ", max(pad, 1))+right, w)
}

// shortHelp renders bindings in at most w cells, ending in … when some do
// not fit (bubbles' help keeps adding items when even … does not fit).
func (a *app) shortHelp(bindings []key.Binding, w int) string {
	var b strings.Builder
	used := 0
	sep := a.st.Dim.Render(" • ")
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		item := a.st.Key.Render(kb.Help().Key) + " " + a.st.KeyDesc.Render(kb.Help().Desc)
		iw := ansi.StringWidth(item)
		if used > 0 {
			iw += 3
		}
		if used+iw > w {
			if used+2 <= w {
				b.WriteString(a.st.Dim.Render(" …"))
			}
			break
		}
		if used > 0 {
			b.WriteString(sep)
		}
		b.WriteString(item)
		used += iw
	}
	return b.String()
}

func (a *app) helpView(w, h int) string {
	global := [][]key.Binding{
		{a.keys.Panes[0], a.keys.Panes[1], a.keys.Panes[2], a.keys.Panes[3], a.keys.Panes[4]},
		{a.keys.Next, a.keys.Prev, a.keys.Serve, a.keys.Help, a.keys.Quit},
	}
	p := a.panes[a.active]
	a.help.Width = w - 4
	body := a.st.Bold.Render("everywhere") + "\n" + a.help.FullHelpView(global) + "\n\n" +
		a.st.Bold.Render(p.Title()+" pane") + "\n" + a.help.FullHelpView(p.FullHelp()) +
		"\n\n" + a.st.Dim.Render("? or esc closes this help · keys are typed into a focused text field; esc leaves it")
	return a.st.box("keys", body, w, h, true)
}

// close is App.Close: stop training (waiting for its save) and the server.
func (a *app) close() error {
	a.closeOnce.Do(func() { a.closeErr = shutdown(a.w.run, a.w.srv) })
	return a.closeErr
}

// shutdown stops the run (saved as stopped) and the server; the run's
// message pump is abandoned so nothing waits for the UI.
func shutdown(r *trainRun, srv *serve.Server) error {
	if r != nil {
		r.close()
	}
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			return fmt.Errorf("stop predict server: %w", err)
		}
	}
	return nil
}

// checkAddr refuses a serve address that can never be bound up front: it
// used to surface only when S was pressed, as a listen error.
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
