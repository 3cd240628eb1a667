package tui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/serve"
	"workbench/sessions"
)

const statsEvery = 500 * time.Millisecond

func statsTick(srv *serve.Server) tea.Cmd {
	return tea.Tick(statsEvery, func(time.Time) tea.Msg { return statsTickMsg{srv: srv} })
}

// handle keeps the shared state in step with background results; panes
// update their own views from the same messages.
func (w *workbench) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dataLoadedMsg:
		if msg.err == nil && msg.ds != nil {
			w.data = msg.ds
			w.plan.DataRef, w.plan.Load = msg.ref, msg.opts
			w.planDirty = true
		}
	case sessionOpenedMsg:
		if msg.err != nil || msg.sess == nil {
			return nil
		}
		s := msg.sess
		w.current, w.currentDS = s, msg.ds
		if msg.ds != nil {
			w.data = msg.ds
		}
		w.plan.DataRef, w.plan.Load = s.Data.Ref, sessionLoadOptions(s)
		w.plan.Val, w.plan.Test = s.Split.Val, s.Split.Test
		if layers, err := engine.ParseLayers(s.Layers); err == nil {
			w.plan.Layers = layers
		}
		w.plan.Hyper = s.Hyper
		w.planDirty = false
	case trainStartedMsg:
		if r := w.run; r != nil && r.id == msg.run {
			r.info = msg.info
			r.ds = msg.ds
		}
	case trainWaitingMsg:
		if r := w.run; r != nil && r.id == msg.run {
			r.waiting = true
		}
	case trainRunningMsg:
		if r := w.run; r != nil && r.id == msg.run {
			r.waiting = false
		}
	case trainEventMsg:
		r := w.run
		if r == nil || r.id != msg.run || msg.e.Kind != engine.EpochEnd {
			return nil
		}
		snap := r.serveSnap.Load()
		if snap == nil {
			return nil
		}
		if w.srvPending {
			w.srvPending = false
			return w.startServer(snap.sess, snap.epoch, r.id, snap)
		}
		if w.srv != nil && w.srvRun == r.id && snap != w.srvSnap {
			w.srv.Swap(snap.sess)
			w.srvSnap, w.srvEpoch, w.srvSess = snap, snap.epoch, snap.sess
		}
	case trainDoneMsg:
		if msg.sess != nil {
			w.current, w.planDirty = msg.sess, false
			if r := w.run; r != nil && r.ds != nil {
				w.currentDS = r.ds
			}
		}
		r := w.run
		if r == nil || r.id != msg.run {
			return nil
		}
		final := msg.sess
		if final == nil || final.Model == nil {
			w.srvPending = false
			return nil
		}
		switch {
		case w.srv != nil && w.srvRun == r.id:
			served := copySession(final, final.Model.Clone())
			w.srv.Swap(served)
			w.srvEpoch, w.srvRun, w.srvSnap, w.srvSess = final.BestEpoch, 0, nil, served
			w.srvName = sessionName(final)
		case w.srvPending:
			w.srvPending = false
			return w.startServer(copySession(final, final.Model.Clone()), final.BestEpoch, 0, nil)
		}
	case statsTickMsg:
		if w.srv == nil || msg.srv != w.srv {
			return nil
		}
		w.stats = w.srv.Stats()
		return statsTick(w.srv)
	}
	return nil
}

// toggleServer is the S key: start serving the current model, or stop.
func (w *workbench) toggleServer() tea.Cmd {
	w.srvErr, w.srvShort = "", ""
	if w.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := safely(func() error { return w.srv.Stop(ctx) }); err != nil {
			w.srvErr = "stopping the server: " + err.Error()
		}
		w.srv, w.srvAddr, w.srvRun, w.srvSnap = nil, "", 0, nil
		if w.run != nil {
			w.run.wantServe.Store(false)
		}
		return nil
	}
	if w.srvPending {
		w.srvPending = false
		if w.run != nil {
			w.run.wantServe.Store(false)
		}
		return nil
	}
	if r := w.run; r != nil {
		r.wantServe.Store(true)
		if snap := r.serveSnap.Load(); snap != nil {
			return w.startServer(snap.sess, snap.epoch, r.id, snap)
		}
		// No epoch has ended yet: the first snapshot comes with it.
		w.srvPending = true
		return nil
	}
	if c := w.current; c != nil && c.Model != nil {
		return w.startServer(copySession(c, c.Model.Clone()), c.BestEpoch, 0, nil)
	}
	w.srvErr = "nothing to serve yet: train a model first (3, then space) or open a saved one (5)"
	w.srvShort = "○ nothing to serve yet"
	return nil
}

func (w *workbench) startServer(sess *sessions.Session, epoch, run int, snap *snapshot) tea.Cmd {
	var srv *serve.Server
	var addr string
	err := safely(func() error {
		srv = serve.New(sess, serve.Options{Logger: w.log})
		var err error
		addr, err = srv.Start(w.srvWant)
		return err
	})
	if err != nil {
		if inUse(err) {
			if next, ok := nextFreeAddr(w.srvWant); ok {
				w.srvErr = fmt.Sprintf("%s is already in use; press S to serve on %s instead", w.srvWant, next)
				w.srvShort = fmt.Sprintf("○ port %s in use · S: %s", portOf(w.srvWant), portOf(next))
				w.srvWant = next
				return nil
			}
		}
		w.srvErr = "could not start the server: " + err.Error()
		w.srvShort = "✗ server failed (4 Serve says why)"
		return nil
	}
	w.log.Info("serving", "addr", addr, "session", sess.ID, "epoch", epoch)
	w.srv, w.srvAddr, w.srvEpoch, w.srvRun, w.srvSnap = srv, addr, epoch, run, snap
	w.srvName = sessionName(sess)
	w.srvSess = sess
	w.stats = serve.Stats{}
	return statsTick(srv)
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

// serverBadge is the footer's server state.
func (w *workbench) serverBadge() string {
	switch {
	case w.srv != nil && w.srvRun != 0:
		return w.st.ServerOn.Render(fmt.Sprintf("● serving epoch %d on %s", w.srvEpoch, w.srvAddr))
	case w.srv != nil:
		return w.st.ServerOn.Render("● " + w.srvAddr)
	case w.srvPending:
		return w.st.Warn.Render("◌ server starts after the next epoch")
	case w.srvShort != "":
		// Pressing S on the Train pane used to change nothing visible
		// when the port was taken: the reason was on the Serve pane only.
		return w.st.Warn.Render(w.srvShort)
	}
	return w.st.ServerOff.Render("○ server off")
}

// sampleRow is one raw test example of sess's data (for curl and "try it"),
// with its true label.
func sampleRow(sess *sessions.Session, ds *datasets.Dataset) ([]float64, string, bool) {
	if sess == nil || ds == nil || ds.X == nil || ds.Features() != len(sess.Data.Features) {
		return nil, "", false
	}
	// Splitting copies the data: for big sets (Fashion-MNIST is 376 MB) an
	// example from the whole set does, without stalling the UI.
	var sp datasets.Split
	err := errors.New("too big to split for an example")
	if ds.Rows()*ds.Features() <= 2_000_000 {
		err = safely(func() error {
			var err error
			sp, err = ds.Split(sess.Split.Val, sess.Split.Test, sess.Split.Seed)
			return err
		})
	}
	pick := ds
	if err == nil {
		for _, d := range []*datasets.Dataset{sp.Test, sp.Val, sp.Train} {
			if d != nil && d.X != nil && d.Rows() > 0 {
				pick = d
				break
			}
		}
	}
	if pick.Rows() == 0 {
		return nil, "", false
	}
	row := append([]float64(nil), pick.X.RawRowView(0)...)
	label := ""
	if pick.Y != nil {
		y := pick.Y.At(0, 0)
		if len(pick.ClassNames) > 0 && int(y) >= 0 && int(y) < len(pick.ClassNames) {
			label = pick.ClassNames[int(y)]
		} else {
			label = fmtTarget(y)
		}
	}
	return row, label, true
}

// portOf is addr's port, or addr itself if it has none.
func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return port
	}
	return addr
}
