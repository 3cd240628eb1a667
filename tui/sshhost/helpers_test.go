package sshhost

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"workbench/tui"
)

// waitTimeout bounds every wait on a screen; generous for -race on 2 cores.
const waitTimeout = 15 * time.Second

// newKey returns a fresh ed25519 client key.
func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// syncBuffer is a log destination safe for the server's goroutines, which
// may log after a test's last assertion.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testServer is a running Server with two authorized users (alice, bob) and
// one stranger (eve).
type testServer struct {
	*Server
	home, akPath    string
	alice, bob, eve gossh.Signer
	hostKey         gossh.PublicKey
	cancel          context.CancelFunc
	done            chan error
	log             *syncBuffer
	fakes           *fakes
}

// startServer starts a server on a free loopback port with a temporary home.
// newApp nil means the test fake; tui.New is passed for the real TUI.
func startServer(t testing.TB, mod func(*Config)) *testServer {
	t.Helper()
	ts := &testServer{
		home: t.TempDir(), alice: newKey(t), bob: newKey(t), eve: newKey(t),
		log: &syncBuffer{}, fakes: &fakes{},
	}
	ts.akPath = filepath.Join(t.TempDir(), "authorized_keys")
	ak := "# the team\n" + string(gossh.MarshalAuthorizedKey(ts.alice.PublicKey())) +
		string(gossh.MarshalAuthorizedKey(ts.bob.PublicKey()))
	if err := os.WriteFile(ts.akPath, []byte(ak), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Home: ts.home, Addr: "127.0.0.1:0", AuthorizedKeys: ts.akPath,
		Log:    slog.New(slog.NewTextHandler(ts.log, nil)),
		NewApp: ts.fakes.newApp,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	pemBytes, err := os.ReadFile(s.HostKeyPath())
	if err != nil {
		t.Fatal(err)
	}
	hk, err := gossh.ParsePrivateKey(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	ts.hostKey = hk.PublicKey()
	var ctx context.Context
	ctx, ts.cancel = context.WithCancel(context.Background())
	ts.done = make(chan error, 1)
	go func() { ts.done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		if err := ts.stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", ts.log.String())
		}
	})
	return ts
}

// stop cancels the server's context and returns Serve's result; safe to call
// more than once.
func (ts *testServer) stop() error {
	ts.cancel()
	err, ok := <-ts.done
	if ok {
		close(ts.done)
	}
	return err
}

// dial connects with the given auth methods as user.
func (ts *testServer) dial(user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.Addr().String(), &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
		Timeout:         waitTimeout,
	})
}

func (ts *testServer) mustDial(t testing.TB, user string, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := ts.dial(user, gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// terminal is a client session with a PTY that behaves like a terminal
// emulator: it answers the colour and device-attribute queries and keeps
// everything the server drew.
type terminal struct {
	t     testing.TB
	sess  *gossh.Session
	stdin io.WriteCloser

	mu     sync.Mutex
	cond   *sync.Cond
	out    bytes.Buffer
	errOut bytes.Buffer
	eof    bool
	exit   error
}

// open starts a shell session; pty false asks for no terminal.
func open(t testing.TB, c *gossh.Client, pty bool, w, h int) *terminal {
	t.Helper()
	if !pty {
		return openTerm(t, c, "", nil, w, h)
	}
	return openTerm(t, c, "xterm-256color", nil, w, h)
}

// openTerm starts a shell session with a PTY of the given TERM (none if
// empty) after sending env ("KEY=VALUE").
func openTerm(t testing.TB, c *gossh.Client, term string, env []string, w, h int) *terminal {
	t.Helper()
	return openTermAnswering(t, c, term, env, w, h, true)
}

// openTermAnswering is openTerm; answer false makes a terminal that never
// answers a query.
func openTermAnswering(t testing.TB, c *gossh.Client, term string, env []string, w, h int, answer bool) *terminal {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	tm := &terminal{t: t, sess: sess}
	tm.cond = sync.NewCond(&tm.mu)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if term != "" {
		if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	tm.stdin, err = sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := sess.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); tm.pump(stdout, &tm.out, answer) }()
	go func() { defer readers.Done(); tm.pump(stderr, &tm.errOut, false) }()
	go func() {
		readers.Wait()
		err := sess.Wait()
		tm.mu.Lock()
		tm.eof, tm.exit = true, err
		tm.cond.Broadcast()
		tm.mu.Unlock()
	}()
	t.Cleanup(func() { sess.Close() })
	return tm
}

// pump copies r into dst, answering terminal queries as a real terminal
// would so the server's renderer does not wait for its query timeout.
func (tm *terminal) pump(r io.Reader, dst *bytes.Buffer, answer bool) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			chunk := string(buf[:n])
			tm.mu.Lock()
			dst.WriteString(chunk)
			tm.cond.Broadcast()
			tm.mu.Unlock()
			if answer && strings.Contains(chunk, "\x1b]11;?") {
				fmt.Fprint(tm.stdin, "\x1b]11;rgb:0000/0000/0000\x07")
			}
			if answer && strings.Contains(chunk, "\x1b[c") {
				fmt.Fprint(tm.stdin, "\x1b[?62;22c")
			}
		}
		if err != nil {
			return
		}
	}
}

// waitFor waits until the screen text (escape sequences removed) contains
// want, failing the test after waitTimeout.
func (tm *terminal) waitFor(want string) {
	tm.t.Helper()
	if !tm.until(func() bool { return strings.Contains(ansi.Strip(tm.out.String()), want) }) {
		tm.t.Fatalf("screen never showed %q; got:\n%s\nstderr: %q", want, ansi.Strip(tm.out.String()), tm.errOut.String())
	}
}

// waitExit waits for the session to end and returns its exit error, stdout
// text and stderr text.
func (tm *terminal) waitExit() (error, string, string) {
	tm.t.Helper()
	if !tm.until(func() bool { return tm.eof }) {
		tm.t.Fatalf("session did not end; screen:\n%s\nstderr: %q", ansi.Strip(tm.out.String()), tm.errOut.String())
	}
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.exit, ansi.Strip(tm.out.String()), tm.errOut.String()
}

// until waits (on the condition variable, woken by new output or the
// deadline) for cond, called with tm.mu held.
func (tm *terminal) until(cond func() bool) bool {
	timedOut := false
	timer := time.AfterFunc(waitTimeout, func() {
		tm.mu.Lock()
		timedOut = true
		tm.cond.Broadcast()
		tm.mu.Unlock()
	})
	defer timer.Stop()
	tm.mu.Lock()
	defer tm.mu.Unlock()
	for !cond() {
		// Once the session ended no more output can come.
		if timedOut || tm.eof {
			return false
		}
		tm.cond.Wait()
	}
	return true
}

func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		tm.t.Fatalf("send %q: %v", keys, err)
	}
}

// fakes builds fakeApps and remembers them, so tests can check what each
// connection was given and that it was closed.
type fakes struct {
	mu   sync.Mutex
	apps []*fakeApp
}

func (f *fakes) newApp(o tui.Options) (App, error) {
	a := &fakeApp{opts: o}
	f.mu.Lock()
	f.apps = append(f.apps, a)
	f.mu.Unlock()
	return a, nil
}

func (f *fakes) all() []*fakeApp {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*fakeApp(nil), f.apps...)
}

// fakeApp stands in for the TUI where a test is about the host: it shows
// what it was given and the window size, quits on "q" or when its context
// ends, and counts Close calls.
type fakeApp struct {
	opts     tui.Options
	w, h     int
	stopping bool
	closed   atomic.Int32
}

type ctxDoneMsg struct{}

func (a *fakeApp) Init() tea.Cmd {
	if a.opts.Context == nil {
		return nil
	}
	return func() tea.Msg { <-a.opts.Context.Done(); return ctxDoneMsg{} }
}

func (a *fakeApp) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return a, tea.Quit
		}
	case ctxDoneMsg:
		a.stopping = true
		return a, tea.Quit
	}
	return a, nil
}

func (a *fakeApp) View() string {
	return fmt.Sprintf("fake user=[%s] size=%dx%d stopping=%v", a.opts.User, a.w, a.h, a.stopping)
}

func (a *fakeApp) Close() error {
	a.closed.Add(1)
	return nil
}

// waitMatch waits until the screen text matches re and returns the first
// match's groups.
func (tm *terminal) waitMatch(re *regexp.Regexp) []string {
	tm.t.Helper()
	var m []string
	if !tm.until(func() bool { m = re.FindStringSubmatch(ansi.Strip(tm.out.String())); return m != nil }) {
		tm.t.Fatalf("screen never matched %s; got:\n%s\nstderr: %q", re, ansi.Strip(tm.out.String()), tm.errOut.String())
	}
	return m
}

// mark returns how much output there is now, so a later wait can look only
// at what came after (a screen redrawn with the same text).
func (tm *terminal) mark() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.Len()
}

// waitForAfter is waitFor on the output after mark.
func (tm *terminal) waitForAfter(mark int, want string) {
	tm.t.Helper()
	if !tm.until(func() bool { return strings.Contains(ansi.Strip(tm.out.String()[mark:]), want) }) {
		tm.t.Fatalf("screen never showed %q after the mark; got:\n%s", want, ansi.Strip(tm.out.String()[mark:]))
	}
}

// screenAfter is the screen text output after mark.
func (tm *terminal) screenAfter(mark int) string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.Strip(tm.out.String()[mark:])
}
