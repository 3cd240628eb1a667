package sshhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"

	"workbench/tui"
)

// Defaults of Config's fields.
const (
	DefaultAddr        = "127.0.0.1:23234"
	DefaultMaxSessions = 10
	// DefaultMaxUserSessions is each key's share of the sessions by
	// default, so one user cannot take every --max-sessions slot.
	DefaultMaxUserSessions = 3
	// DefaultMaxUserTraining is each key's share of the training slots:
	// one run, so a user's further runs wait and every other user gets the
	// next free slot.
	DefaultMaxUserTraining = 1
	// DefaultMaxUserQueued lets a user line up their next run behind the
	// one training, and no more: each queued run holds its prepared data
	// in memory, and a longer line only takes turns from the same user.
	DefaultMaxUserQueued = 1
	DefaultIdleTimeout   = 30 * time.Minute
	// DefaultShutdownGrace is how long Serve waits, after its context ends,
	// for users' programs to stop their trainings, save and quit before it
	// drops the remaining connections.
	DefaultShutdownGrace = 10 * time.Second
	DefaultLoginGrace    = time.Minute
)

// DefaultMaxTraining leaves one core for rendering and SSH encryption, so one
// user's training cannot make another user's screen lag; at least 1.
func DefaultMaxTraining() int { return max(1, runtime.NumCPU()-1) }

// App is what a connection runs: the TUI's root model and its cleanup.
// *tui.App satisfies it.
type App interface {
	tea.Model
	Close() error
}

// Config configures a Server. Zero values take the documented defaults.
type Config struct {
	// Home is the workbench home directory (required). Users' sessions go to
	// <Home>/users/<key fingerprint>/.
	Home string
	// Addr to listen on; default DefaultAddr. "127.0.0.1:0" picks a free port.
	Addr string
	// AuthorizedKeys is the authorized_keys file of the users allowed in;
	// default ~/.ssh/authorized_keys of the user running the server.
	AuthorizedKeys string
	// HostKey is the server's private key file; default
	// <Home>/ssh_host_ed25519_key, generated (ed25519, 0600) if missing.
	HostKey string
	// MaxSessions caps concurrent SSH sessions (>= 1); default DefaultMaxSessions.
	MaxSessions int
	// MaxUserSessions caps one key's concurrent sessions (>= 1); default
	// DefaultMaxUserSessions (at most MaxSessions).
	MaxUserSessions int
	// MaxTraining caps concurrent training runs across all users (>= 1);
	// default DefaultMaxTraining(). Further runs queue, and free slots go
	// round-robin between the users waiting.
	MaxTraining int
	// MaxUserTraining caps one key's concurrent training runs (>= 1);
	// default DefaultMaxUserTraining.
	MaxUserTraining int
	// MaxUserQueued caps one key's runs waiting for a slot; more are
	// refused in the user's Train pane. 0 = DefaultMaxUserQueued, negative
	// = none may wait (a run starts at once or is refused).
	MaxUserQueued int
	// MaxMemory is each user's (key's) budget in bytes for loading data,
	// across all of the user's sessions: each session gets an even share,
	// MaxMemory / MaxUserSessions, and larger data is refused in that
	// session's Data pane. 0 = the TUI's default, per session.
	MaxMemory int64
	// IdleTimeout closes a connection with no traffic either way; default
	// DefaultIdleTimeout, negative = never.
	IdleTimeout time.Duration
	// ShutdownGrace bounds a clean shutdown; default DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// LoginGrace is how long a connection may take to log in before it is
	// dropped (OpenSSH's LoginGraceTime); default DefaultLoginGrace.
	LoginGrace time.Duration
	// Version is the build's version, reported by each user's predict
	// server (GET /v2); "" = "dev".
	Version string
	// Log receives server events (connections, refused keys); nil discards.
	Log *slog.Logger
	// NewApp builds a connection's program model; default tui.New. Tests
	// replace it to exercise the host without the whole TUI.
	NewApp func(tui.Options) (App, error)
	// ServePorts, when set, is the loopback ports users' predict servers
	// take (the first free one; a taken port is skipped, all taken is said
	// in the user's Serve pane). Zero = any free port.
	ServePorts tui.PortRange
}

// Server hosts the TUI over SSH.
type Server struct {
	cfg   Config
	log   *slog.Logger
	keys  *authorizedKeys
	srv   *ssh.Server
	train *trainQueue // the training slots, shared fairly between users

	mu       sync.Mutex
	ln       net.Listener
	base     context.Context // ends when Serve's context ends
	sessions int             // SSH sessions running a program now
	perUser  map[string]int  // of those, per key fingerprint

	active  int                       // session handlers running, until their app is closed
	conns   map[*trackedConn]struct{} // every accepted TCP connection
	closing bool                      // shutdown started: refuse new connections
	idle    chan struct{}             // closed when active drops to 0, if someone waits
}

// New checks cfg (the authorized keys file must exist and hold a key), loads
// or creates the host key and builds the server. It does not listen yet.
func New(cfg Config) (*Server, error) {
	if cfg.Home == "" {
		return nil, errors.New("ssh: no home directory")
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.AuthorizedKeys == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("authorized keys: %v (pass --authorized-keys FILE)", err)
		}
		cfg.AuthorizedKeys = filepath.Join(h, ".ssh", "authorized_keys")
	}
	if cfg.HostKey == "" {
		cfg.HostKey = filepath.Join(cfg.Home, "ssh_host_ed25519_key")
	}
	if !cfg.ServePorts.IsZero() {
		if err := checkPortRange(cfg.ServePorts); err != nil {
			return nil, err
		}
	}
	switch {
	case cfg.MaxSessions == 0:
		cfg.MaxSessions = DefaultMaxSessions
	case cfg.MaxSessions < 0:
		return nil, fmt.Errorf("max sessions: %d, want at least 1", cfg.MaxSessions)
	}
	switch {
	case cfg.MaxTraining == 0:
		cfg.MaxTraining = DefaultMaxTraining()
	case cfg.MaxTraining < 0:
		return nil, fmt.Errorf("max training: %d, want at least 1", cfg.MaxTraining)
	}
	switch {
	case cfg.MaxUserTraining == 0:
		cfg.MaxUserTraining = DefaultMaxUserTraining
	case cfg.MaxUserTraining < 0:
		return nil, fmt.Errorf("max user training: %d, want at least 1", cfg.MaxUserTraining)
	}
	switch {
	case cfg.MaxUserQueued == 0:
		cfg.MaxUserQueued = DefaultMaxUserQueued
	case cfg.MaxUserQueued < 0:
		cfg.MaxUserQueued = 0
	}
	switch {
	case cfg.IdleTimeout == 0:
		cfg.IdleTimeout = DefaultIdleTimeout
	case cfg.IdleTimeout < 0:
		cfg.IdleTimeout = 0 // ssh.Server: zero means none
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.NewApp == nil {
		cfg.NewApp = func(o tui.Options) (App, error) { return tui.New(o) }
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	keys, err := loadAuthorizedKeys(cfg.AuthorizedKeys, log)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.Home, "users"), 0o700); err != nil {
		return nil, fmt.Errorf("home: %v", err)
	}
	hostKey, err := loadOrCreateHostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:   cfg,
		log:   log,
		keys:  keys,
		train: newTrainQueue(cfg.MaxTraining, cfg.MaxUserTraining, cfg.MaxUserQueued),
		base:  context.Background(),
	}
	s.srv, err = wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPEM(hostKey),
		// Only public keys: with no password or keyboard-interactive
		// handler the SSH library offers neither method.
		wish.WithPublicKeyAuth(s.allowKey),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		// The PTY stays emulated (wish's default) rather than allocated:
		// every byte the program and this host write then goes down the
		// channel in order, so the last message a user sees is not lost
		// behind a kernel PTY buffer when the session closes.
		wish.WithMiddleware(
			// termenv.Ascii as the minimum forces nothing: each program
			// gets its client's own colour profile (TERM, COLORTERM).
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.connection, // runs first: refuses, limits, prepares, cleans up
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh: %v", err)
	}
	s.srv.ConnCallback = s.track
	s.srv.ConnectionFailedCallback = func(c net.Conn, err error) {
		log.Info("connection failed", "remote", c.RemoteAddr().String(), "reason", err)
	}
	return s, nil
}

// keyOptionsKey holds the logged-in key's keyOptions in the ssh.Context.
type keyOptionsKey struct{}

// allowKey is the only authentication method.
func (s *Server) allowKey(ctx ssh.Context, key ssh.PublicKey) bool {
	ko, ok := s.keys.allowed(key)
	if ok && !ko.allowsFrom(ctx.RemoteAddr()) {
		s.log.Info("key refused: the address is not in its from= list", "user", ctx.User(), "remote", ctx.RemoteAddr().String(),
			"key", gossh.FingerprintSHA256(key), "from", strings.Join(ko.from, ","))
		return false
	}
	if ok {
		ctx.SetValue(keyOptionsKey{}, ko)
		if tc, _ := ctx.Value(trackedKey{}).(*trackedConn); tc != nil {
			tc.loggedIn.Store(true)
		}
	} else {
		s.log.Info("key refused", "user", ctx.User(), "remote", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
	}
	return ok
}

// Listen binds the configured address; a busy port is an error naming it.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("ssh: listen on %s: %v", s.cfg.Addr, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	return nil
}

// Addr is the address listened on, nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// HostKeyPath is the host key file in use.
func (s *Server) HostKeyPath() string { return s.cfg.HostKey }

// AuthorizedKeysPath is the authorized_keys file in use.
func (s *Server) AuthorizedKeysPath() string { return s.cfg.AuthorizedKeys }

// Serve accepts connections (calling Listen first if needed) until ctx ends,
// then shuts down cleanly: every program is told through its context (users
// see a message, running trainings are stopped and saved, predict servers
// stopped), Serve waits for them up to ShutdownGrace, then closes what is
// left. A clean shutdown returns nil.
func (s *Server) Serve(ctx context.Context) error {
	if s.Addr() == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.base = ctx
	ln := s.ln
	s.mu.Unlock()

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := s.srv.Serve(ln)
		s.mu.Lock()
		closing := s.closing
		s.mu.Unlock()
		if errors.Is(err, ssh.ErrServerClosed) || (closing && errors.Is(err, net.ErrClosed)) {
			return nil
		}
		return fmt.Errorf("ssh: %v", err)
	})
	g.Go(func() error {
		<-gctx.Done() // ctx ended, or Serve failed
		return s.shutdown()
	})
	return g.Wait()
}

// shutdown runs once Serve's context ended, which already ended every
// program's context.
func (s *Server) shutdown() error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	grace, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()
	// No new connections from now on. The listener is closed here rather
	// than by the library's Shutdown: Shutdown waits on a WaitGroup that a
	// handshake still in flight adds to, a race (-race caught it about one
	// run in twenty) inside charmbracelet/ssh. The programs are waited for
	// below (drained), which is the wait that matters.
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	lnErr := ln.Close()

	done := s.drained()
	select {
	case <-done:
	case <-grace.Done():
		s.log.Warn("shutdown: programs still running after grace period; closing connections")
	}
	// Clients may keep a connection open after its session ended; the
	// programs are done, so drop them rather than wait.
	s.dropConns()
	err := s.srv.Close()
	if lnErr != nil && !errors.Is(lnErr, net.ErrClosed) && err == nil {
		err = lnErr
	}
	// Closing connections ended the stragglers' programs; give their Close
	// (which saves a stopped training) a last moment.
	last, cancel2 := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel2()
	select {
	case <-done:
	case <-last.Done():
		return errors.New("ssh: shutdown: some programs did not stop; their trainings may not be saved")
	}
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("ssh: shutdown: %v", err)
	}
	return nil
}

// ListenAndServe is Listen then Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

// trackedConn is an accepted connection, known to the server from accept on
// (ssh.Server only tracks connections after their handshake, so one still
// authenticating at shutdown would otherwise outlive Close).
type trackedConn struct {
	net.Conn
	s        *Server
	once     sync.Once
	loggedIn atomic.Bool
	closed   atomic.Bool
}

// trackedKey finds a connection's *trackedConn in its ssh.Context.
type trackedKey struct{}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.closed.Store(true)
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}

// track is the server's ConnCallback; nil refuses the connection.
func (s *Server) track(ctx ssh.Context, c net.Conn) net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil
	}
	if s.conns == nil {
		s.conns = map[*trackedConn]struct{}{}
	}
	tc := &trackedConn{Conn: c, s: s}
	// Without this a client that never finishes logging in would hold its
	// connection (and goroutines) for the whole idle timeout.
	time.AfterFunc(s.cfg.LoginGrace, func() {
		if !tc.loggedIn.Load() && !tc.closed.Load() {
			s.log.Info("connection dropped: no login within the grace time", "remote", c.RemoteAddr().String(), "grace", s.cfg.LoginGrace)
			tc.Close()
		}
	})
	ctx.SetValue(trackedKey{}, tc)
	s.conns[tc] = struct{}{}
	return tc
}

// dropConns closes every connection still open.
func (s *Server) dropConns() {
	s.mu.Lock()
	var all []*trackedConn
	for c := range s.conns {
		all = append(all, c)
	}
	s.mu.Unlock()
	for _, c := range all {
		c.Close()
	}
}
