package tui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/serve"
	"workbench/sessions"
)

const statsEvery = 500 * time.Millisecond

// serveController owns the predict server of one program. Only the UI
// goroutine touches its fields; binding and stopping happen in commands
// whose results come back as serverStartedMsg and serverStoppedMsg.
type serveController struct {
	st      *Styles
	log     *slog.Logger
	version string // what the server's GET /v2 reports

	srv      *serve.Server
	addr     string // bound address while serving
	want     string // address to bind next
	err      string
	short    string   // err in a few words for the footer, seen from every pane
	pending  bool     // S pressed while training: start at the first snapshot
	starting bool     // a start command is in flight; S waits for it
	epoch    int      // epoch whose weights are being served
	name     string   // session served
	id       string   // its id
	pinned   bool     // P: keep serving this session, follow nothing
	others   []string // names served alongside (+ on the Sessions pane)
	run      int      // run whose snapshots are being served (0 = none)
	snap     *snapshot
	sess     *sessions.Session // what the server was started with
	stats    serve.Stats

	// stopped is closed once the last stopped server let go of its port,
	// so a start right after a stop binds the same port.
	stopped chan struct{}
	// bg is shared with start commands, so Close also stops a server
	// whose start result never reached the UI.
	bg *serveBackground
	// ports is Options.ServePorts: start binds want's host on the first
	// free one of them.
	ports PortRange
}

type serveBackground struct {
	mu       sync.Mutex
	closed   bool
	launched *serve.Server // started, serverStartedMsg not yet handled
}

// serveView is what panes read of the server.
type serveView struct {
	On      bool
	Addr    string // bound address, "" when off
	Want    string // address the next start binds
	Err     string
	Pending bool
	Name    string
	ID      string // the served session's id
	Epoch   int
	Pinned  bool              // the server stays on this session (P)
	Others  []string          // names served alongside, on /models/NAME/predict
	Sess    *sessions.Session // what is served, nil when off
	Stats   serve.Stats
	Badge   string // the footer's server state, rendered
}

func newServeController(st *Styles, log *slog.Logger, addr, version string) *serveController {
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	return &serveController{st: st, log: log, version: version, want: addr, bg: &serveBackground{}}
}

// nothingToServe is S's answer with no model; the Serve pane says it in
// its own words and does not repeat it.
const nothingToServe = "nothing to serve yet: train a model first (3, then space) or open a saved one (5)"

func (c *serveController) view() serveView {
	v := serveView{On: c.srv != nil, Addr: c.addr, Want: c.want, Err: c.err, Pending: c.pending,
		Name: c.name, ID: c.id, Epoch: c.epoch, Pinned: c.pinned, Others: c.others, Stats: c.stats, Badge: c.badge()}
	if c.srv != nil {
		v.Sess = c.sess
	}
	return v
}

func statsTick(srv *serve.Server) tea.Cmd {
	return tea.Tick(statsEvery, func(time.Time) tea.Msg { return statsTickMsg{srv: srv} })
}

// toggle is the S key: start serving r's best snapshot (r may be nil) or
// the current session's model, or stop.
func (c *serveController) toggle(r *trainRun, cur *sessions.Session) tea.Cmd {
	if c.starting {
		return nil
	}
	c.err, c.short = "", ""
	if c.srv != nil {
		return c.stop()
	}
	if c.pending {
		c.pending = false
		return nil
	}
	if r != nil {
		if snap := r.serveSnap.Load(); snap != nil {
			return c.start(snap.sess, snap.epoch, r.id, snap)
		}
		// No epoch has ended yet: the first snapshot comes with it.
		c.pending = true
		return nil
	}
	if cur != nil && cur.Model != nil {
		return c.start(copySession(cur, cur.Model.Clone()), cur.BestEpoch, 0, nil)
	}
	c.err = nothingToServe
	c.short = "○ nothing to serve yet"
	return nil
}

// stop shows the server off at once and stops it in a command (up to 3 s).
func (c *serveController) stop() tea.Cmd {
	srv, done := c.srv, make(chan struct{})
	c.srv, c.addr, c.run, c.snap, c.pinned, c.others = nil, "", 0, nil, false, nil
	c.stopped = done
	return func() tea.Msg {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return serverStoppedMsg{err: safely(func() error { return srv.Stop(ctx) })}
	}
}

func (c *serveController) stoppedMsg(m serverStoppedMsg) {
	if m.err != nil {
		c.err = "stopping the server: " + m.err.Error()
	}
}

// start binds a server for sess in a command.
func (c *serveController) start(sess *sessions.Session, epoch, run int, snap *snapshot) tea.Cmd {
	c.starting = true
	want, log, version, prev, bg, ports := c.want, c.log, c.version, c.stopped, c.bg, c.ports
	return func() tea.Msg {
		if prev != nil {
			<-prev
		}
		m := serverStartedMsg{sess: sess, epoch: epoch, run: run, snap: snap}
		m.err = safely(func() error {
			m.srv = serve.New(sess, serve.Options{Logger: log, Version: version})
			var err error
			m.addr, err = startIn(m.srv, want, ports)
			return err
		})
		if m.err != nil {
			if inUse(m.err) {
				m.next, _ = nextFreeAddr(want)
			}
			return m
		}
		bg.mu.Lock()
		defer bg.mu.Unlock()
		if bg.closed {
			stopNow(m.srv)
			m.err = errors.New("the program is closing")
			return m
		}
		bg.launched = m.srv
		return m
	}
}

func (c *serveController) started(m serverStartedMsg) tea.Cmd {
	c.starting = false
	c.bg.mu.Lock()
	c.bg.launched = nil
	c.bg.mu.Unlock()
	if m.err != nil {
		if inUse(m.err) && m.next != "" {
			c.err = fmt.Sprintf("%s is already in use; press S to serve on %s instead", c.want, m.next)
			c.short = fmt.Sprintf("○ port %s in use · S: %s", portOf(c.want), portOf(m.next))
			c.want = m.next
			return nil
		}
		c.err = "could not start the server: " + m.err.Error()
		c.short = "✗ server failed (4 Serve says why)"
		return nil
	}
	c.log.Info("serving", "addr", m.addr, "session", m.sess.ID, "epoch", m.epoch)
	c.srv, c.addr, c.epoch, c.run, c.snap = m.srv, m.addr, m.epoch, m.run, m.snap
	c.name, c.id, c.pinned = sessionName(m.sess), m.sess.ID, false
	c.sess = m.sess
	c.stats = serve.Stats{}
	return statsTick(m.srv)
}

// epochEnded serves r's newest best snapshot: the first one when S was
// pressed before any epoch ended, else in place of the served one. The
// server follows the current model: a new run's best replaces whatever was
// served (another session, an earlier run), unless the user pinned it.
func (c *serveController) epochEnded(r *trainRun) tea.Cmd {
	snap := r.serveSnap.Load()
	if snap == nil {
		return nil
	}
	if c.pending {
		c.pending = false
		return c.start(snap.sess, snap.epoch, r.id, snap)
	}
	if c.srv != nil && !c.pinned && snap != c.snap {
		c.swap(snap.sess, snap.epoch)
		c.run, c.snap = r.id, snap
	}
	return nil
}

// swap serves sess in place of what is served (requests in flight finish
// on the old model).
func (c *serveController) swap(sess *sessions.Session, epoch int) {
	c.srv.Swap(sess)
	c.sess, c.epoch, c.name, c.id = sess, epoch, sessionName(sess), sess.ID
	c.log.Info("serving", "session", sess.ID, "epoch", epoch)
}

// currentChanged follows the current session when the user opens a saved
// one, unless the server is pinned.
func (c *serveController) currentChanged(cur *sessions.Session) {
	if c.srv == nil || c.pinned || cur == nil || cur.Model == nil || cur.ID == c.id {
		return
	}
	c.swap(copySession(cur, cur.Model.Clone()), cur.BestEpoch)
	c.run, c.snap = 0, nil
}

// also serves a saved session next to the current one (+ on the Sessions
// pane) under its own name; a newer session of that name replaces it.
func (c *serveController) also(sess *sessions.Session, err error) {
	switch {
	case err != nil:
		c.err = "could not serve that session: " + err.Error()
		return
	case sess == nil || sess.Model == nil:
		c.err = "that session has no trained model to serve"
		return
	case c.srv == nil:
		c.err = "the server is off: press S to start it, then + on a session to serve it alongside"
		return
	case sessionName(sess) == c.name:
		c.err = fmt.Sprintf("%q is the name already served on /predict; rename the session (R) to serve both", c.name)
		return
	}
	c.err = ""
	if c.srv.Put(sess) {
		c.others = append(c.others, sessionName(sess))
	}
	c.log.Info("serving alongside", "session", sess.ID)
}

// togglePin is P on the Serve pane: stop (or resume) following the current
// model.
func (c *serveController) togglePin() {
	if c.srv == nil {
		c.err = "nothing is served to pin: press S to serve first"
		return
	}
	c.err = ""
	c.pinned = !c.pinned
}

// runEnded serves run's final model when its snapshots were served or S
// was pressed before its first epoch ended.
func (c *serveController) runEnded(run int, final *sessions.Session) tea.Cmd {
	if final == nil || final.Model == nil {
		c.pending = false
		return nil
	}
	switch {
	case c.srv != nil && !c.pinned:
		c.swap(copySession(final, final.Model.Clone()), final.BestEpoch)
		c.run, c.snap = 0, nil
	case c.pending:
		c.pending = false
		return c.start(copySession(final, final.Model.Clone()), final.BestEpoch, 0, nil)
	}
	return nil
}

func (c *serveController) tick(m statsTickMsg) tea.Cmd {
	if c.srv == nil || m.srv != c.srv {
		return nil
	}
	c.stats = c.srv.Stats()
	return statsTick(c.srv)
}

// detach hands the servers to stop over to the caller (shutdown, Close)
// and makes any start still in flight stop its server itself.
func (c *serveController) detach() []*serve.Server {
	c.bg.mu.Lock()
	defer c.bg.mu.Unlock()
	c.bg.closed = true
	var out []*serve.Server
	if c.srv != nil {
		out = append(out, c.srv)
	}
	if l := c.bg.launched; l != nil && l != c.srv {
		out = append(out, l)
	}
	c.srv, c.bg.launched = nil, nil
	return out
}

func stopNow(srv *serve.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		return fmt.Errorf("stop predict server: %w", err)
	}
	return nil
}

// badge is the footer's server state.
func (c *serveController) badge() string {
	switch {
	case c.srv != nil && c.pinned:
		return c.st.ServerOn.Render(fmt.Sprintf("● pinned %s on %s", c.name, c.addr))
	case c.srv != nil && c.run != 0:
		return c.st.ServerOn.Render(fmt.Sprintf("● serving epoch %d on %s", c.epoch, c.addr))
	case c.srv != nil:
		return c.st.ServerOn.Render("● " + c.addr)
	case c.pending:
		return c.st.Warn.Render("◌ server starts after the next epoch")
	case c.short != "":
		// The reason shows on every pane, not on the Serve pane alone.
		return c.st.Warn.Render(c.short)
	}
	return c.st.ServerOff.Render("○ server off")
}

func inUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

// nextFreeAddr finds the next port after addr's that can be bound now.
func nextFreeAddr(addr string) (string, bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false
	}
	p, err := strconv.Atoi(port)
	if err != nil || p == 0 {
		return "", false
	}
	for q := p + 1; q < p+50 && q < 65536; q++ {
		a := net.JoinHostPort(host, strconv.Itoa(q))
		if l, err := net.Listen("tcp", a); err == nil {
			l.Close()
			return a, true
		}
	}
	return "", false
}

// portOf is addr's port, or addr itself if it has none.
func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return port
	}
	return addr
}
