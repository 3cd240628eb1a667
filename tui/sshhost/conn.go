package sshhost

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	bm "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"workbench/sessions"
	"workbench/tui"
)

// Messages a user reads in their terminal; tests match on them.
const (
	msgNeedTerminal = "workbench needs a terminal: connect with ssh -t (or plain ssh without a command)"
	msgNoCommands   = "workbench runs no commands: connect with plain ssh, without a command"
	msgShutdown     = "workbench: the server is shutting down; running trainings were stopped and saved"
)

func msgFull(n int) string {
	return fmt.Sprintf("workbench: server full (%d users); try again later", n)
}

// connKey finds a session's *conn in its context.
type connKey struct{}

// conn is what one SSH session's program needs, prepared by the connection
// middleware and completed by the program handler.
type conn struct {
	user  string // "name (SHA256:abcd…)", for the header
	fp    string // the key's fingerprint: who the user is, for shares
	store *sessions.Store
	files string // the user's own folder for data files and exports
	log   io.Writer
	ctx   context.Context // ends on server shutdown or when the session ends
	app   App             // set by the program handler
	err   error           // why no program could be made
}

// enter and leave count running session handlers so shutdown can wait for
// them (a WaitGroup would forbid Add while shutdown Waits).
func (s *Server) enter() {
	s.mu.Lock()
	s.active++
	s.mu.Unlock()
}

func (s *Server) leave() {
	s.mu.Lock()
	s.active--
	if s.active == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
	s.mu.Unlock()
}

// drained is closed once no session handler runs.
func (s *Server) drained() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	return s.idle
}

// admit takes a session place, or reports the server full.
// admit takes a session slot for user (a key fingerprint): false, with the
// refusal to show, when the server or this user's share is full.
func (s *Server) admit(user string) (bool, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions >= s.cfg.MaxSessions {
		return false, msgFull(s.cfg.MaxSessions)
	}
	perUser := s.userSessions()
	if s.perUser[user] >= perUser {
		return false, fmt.Sprintf("workbench: you already have %d sessions open on this server, the most one user may; close one first", perUser)
	}
	if s.perUser == nil {
		s.perUser = map[string]int{}
	}
	s.sessions++
	s.perUser[user]++
	return true, ""
}

// userSessions is the most sessions one key may have open.
func (s *Server) userSessions() int {
	if s.cfg.MaxUserSessions <= 0 {
		return min(DefaultMaxUserSessions, s.cfg.MaxSessions)
	}
	return s.cfg.MaxUserSessions
}

// connMemory is one session's budget for loading data: the user's budget
// (MaxMemory) split evenly between the sessions the user may open at once,
// so that all of a user's sessions together never pass it. A session's
// program reads its budget once, when it starts, so a share cannot grow
// or shrink as the user's other sessions come and go; an even split is
// the one fixed share that bounds the user's sum. 0 leaves the TUI's own
// default, per session.
func (s *Server) connMemory() int64 {
	if s.cfg.MaxMemory <= 0 {
		return 0
	}
	return max(s.cfg.MaxMemory/int64(s.userSessions()), 1)
}

func (s *Server) release(user string) {
	s.mu.Lock()
	s.sessions--
	if s.perUser[user]--; s.perUser[user] <= 0 {
		delete(s.perUser, user)
	}
	s.mu.Unlock()
}

// connection is the outer middleware: it turns away what cannot run a
// program, prepares the user's store, runs the program (next) and cleans up
// after it, whatever happens inside.
func (s *Server) connection(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.enter()
		defer s.leave()
		key := sess.PublicKey()
		if key == nil { // cannot happen with public-key-only auth; be safe
			fail(sess, "workbench: public-key login required")
			return
		}
		fp := gossh.FingerprintSHA256(key)
		log := s.log.With("user", cleanName(sess.User()), "key", fp, "remote", sess.RemoteAddr().String())

		ko, _ := sess.Context().Value(keyOptionsKey{}).(keyOptions)
		if ko.noPTY {
			log.Info("session refused: the key's authorized_keys line says no-pty")
			fail(sess, msgNeedTerminal)
			return
		}
		pty, _, ok := sess.Pty()
		if !ok {
			log.Info("session refused: no terminal")
			fail(sess, msgNeedTerminal)
			return
		}
		if len(sess.Command()) > 0 || sess.Subsystem() != "" {
			log.Info("session refused: command", "command", sess.RawCommand())
			fail(sess, msgNoCommands)
			return
		}
		if ok, why := s.admit(fp); !ok {
			log.Info("session refused: server or user's share full", "max", s.cfg.MaxSessions, "per_user", s.cfg.MaxUserSessions)
			fail(sess, why)
			return
		}
		defer s.release(fp)

		dir := userDir(s.cfg.Home, key)
		// 0700: users of the server share one OS account, so only the
		// server itself should read one user's folder.
		err := os.MkdirAll(dir, 0o700)
		var store *sessions.Store
		if err == nil {
			store, err = sessions.Open(dir)
		}
		// The program reads and writes files as the server's account, which
		// can read every user's folder: the TUI confines the paths a user
		// types to this one (tui.Options.FileRoot).
		files := filepath.Join(dir, filesDir)
		if err == nil {
			err = os.MkdirAll(files, 0o700)
		}
		if err != nil {
			log.Error("open user store", "dir", dir, "err", err)
			fail(sess, "workbench: cannot open your sessions folder (logged on the server)")
			return
		}
		recordKey(dir, key)
		logFile, err := os.OpenFile(filepath.Join(dir, "workbench.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		var appLog io.Writer = io.Discard
		if err == nil {
			defer logFile.Close()
			appLog = logFile
		} else {
			log.Warn("user log file", "err", err)
		}

		s.mu.Lock()
		base := s.base
		s.mu.Unlock()
		ctx, cancel := context.WithCancel(base)
		defer cancel()
		c := &conn{
			user:  displayName(cmp.Or(cleanName(ko.comment), sess.User()), fp),
			fp:    fp,
			store: store,
			files: files,
			log:   appLog,
			ctx:   ctx,
		}
		sess.Context().SetValue(connKey{}, c)

		start := time.Now()
		log.Info("session start", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height, "dir", dir)
		defer func() {
			// A panic here would take every user's session down with the
			// process; keep it to this one, and still stop its training.
			if r := recover(); r != nil {
				log.Error("session panic", "panic", r, "stack", string(debug.Stack()))
				c.err = fmt.Errorf("internal error (logged on the server)")
			}
			cancel()
			if c.app != nil {
				if err := c.app.Close(); err != nil {
					log.Error("closing the program", "err", err)
				}
			}
			log.Info("session end", "duration", time.Since(start).Round(time.Millisecond))
			switch {
			case c.err != nil:
				fail(sess, "workbench: "+c.err.Error())
			case base.Err() != nil:
				fmt.Fprintln(sess, msgShutdown)
				_ = sess.Exit(0)
			}
		}()
		next(sess)
	}
}

// program builds the session's Bubble Tea program around a new app with
// this client's renderer. It returns nil (no program) on error, recorded
// for the connection middleware to report.
func (s *Server) program(sess ssh.Session) *tea.Program {
	c, _ := sess.Context().Value(connKey{}).(*conn)
	if c == nil {
		return nil
	}
	app, err := s.cfg.NewApp(tui.Options{
		Store:      c.store,
		FileRoot:   c.files,
		FileNote:   fileNote(c.files),
		Renderer:   sessionRenderer(sess),
		ServeAddr:  s.serveAddr(), // each user's predict server on a free loopback port
		ServePorts: s.cfg.ServePorts,
		User:       c.user,
		Log:        c.log,
		Version:    s.cfg.Version,
		Context:    c.ctx,
		TrainGate:  s.train.gate(c.fp),
		MaxMemory:  s.connMemory(),
	})
	if err != nil {
		c.err = err
		return nil
	}
	c.app = app
	opts := append(bm.MakeOptions(sess),
		tea.WithAltScreen(),
		// The server's own SIGINT/SIGTERM must reach every program through
		// its context (message, save, quit), not as a bare quit.
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(sess.Environ()),
	)
	return tea.NewProgram(app, opts...)
}

// filesDir is the folder, inside a user's own, that their "open file" and
// exports are confined to.
const filesDir = "files"

// fileNote tells a user how data gets into their files folder. The server
// speaks no scp or sftp, so it has to be copied on the host itself.
func fileNote(dir string) string {
	return "your files folder on the server's host: " + dir + " — copy data files there on the host " +
		"(this SSH server has no scp or sftp); exports go there too"
}

// fail tells the user why in one line and ends the session with status 1.
func fail(sess ssh.Session, msg string) {
	fmt.Fprintln(sess.Stderr(), msg)
	_ = sess.Exit(1)
}

// userDir is the user's own folder, named by their key's fingerprint with
// the characters a file name cannot hold replaced (base64 '/' and '+').
func userDir(home string, key gossh.PublicKey) string {
	fp := strings.TrimPrefix(gossh.FingerprintSHA256(key), "SHA256:")
	fp = strings.NewReplacer("/", "_", "+", "-").Replace(fp)
	return filepath.Join(home, "users", "sha256-"+fp)
}

// recordKey leaves the public key in the user's folder so an admin can tell
// whose folder it is; best effort.
func recordKey(dir string, key gossh.PublicKey) {
	p := filepath.Join(dir, "key.pub")
	if _, err := os.Stat(p); err == nil {
		return
	}
	_ = os.WriteFile(p, gossh.MarshalAuthorizedKey(key), 0o600)
}

// displayName is "name (SHA256:abcdefgh…)": the SSH user name is whatever the
// client claims, so the key fingerprint is shown beside it.
func displayName(user, fp string) string {
	short := fp
	if n := len("SHA256:") + 8; len(fp) > n {
		short = fp[:n] + "…"
	}
	name := cleanName(user)
	if name == "" {
		return short
	}
	return name + " (" + short + ")"
}

// cleanName drops control characters (a user name is the client's to
// choose, and it is drawn on screen and logged) and caps its length.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if !unicode.IsPrint(r) || n >= 32 {
			continue
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
