package sshhost

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
)

func TestAcceptedKeyGetsItsOwnProgram(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.mustDial(t, "alice", ts.alice)
	tm := open(t, c, true, 100, 30)
	fp := gossh.FingerprintSHA256(ts.alice.PublicKey())
	tm.waitFor("fake user=[alice (" + fp[:len("SHA256:")+8] + "…)]")
	tm.waitFor("size=100x30")

	// The client's window changes reach the program.
	if err := tm.sess.WindowChange(44, 120); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("size=120x44")

	tm.send("q")
	if err, _, _ := tm.waitExit(); err != nil {
		t.Errorf("exit after q: %v", err)
	}
	apps := ts.fakes.all()
	if len(apps) != 1 {
		t.Fatalf("%d programs made, want 1", len(apps))
	}
	a := apps[0]
	if a.opts.ServeAddr != "127.0.0.1:0" {
		t.Errorf("ServeAddr %q, want a free loopback port", a.opts.ServeAddr)
	}
	if a.opts.Renderer == nil {
		t.Error("no per-connection renderer")
	}
	if a.opts.Store == nil || !strings.HasPrefix(a.opts.Store.Dir, filepath.Join(ts.home, "users")+string(filepath.Separator)) {
		t.Errorf("store %+v not under %s/users", a.opts.Store, ts.home)
	}
	// Paths the user types stay in their own files folder, which exists,
	// is theirs alone, and which the prompt names.
	files := filepath.Join(userDir(ts.home, ts.alice.PublicKey()), "files")
	if a.opts.FileRoot != files {
		t.Errorf("FileRoot %q, want %q", a.opts.FileRoot, files)
	}
	if fi, err := os.Stat(files); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("files folder %s: %v, %v; want a 0700 folder", files, fi, err)
	}
	if !strings.Contains(a.opts.FileNote, files) || !strings.Contains(a.opts.FileNote, "no scp or sftp") {
		t.Errorf("FileNote %q does not say where files go and that scp is not available", a.opts.FileNote)
	}
	if g, ok := a.opts.TrainGate.(userGate); !ok || g.q.slots != DefaultMaxTraining() ||
		g.q.perUser != DefaultMaxUserTraining || g.q.queued != DefaultMaxUserQueued {
		t.Errorf("TrainGate %+v, want the host's queue with %d slots, %d per user and %d queued per user",
			a.opts.TrainGate, DefaultMaxTraining(), DefaultMaxUserTraining, DefaultMaxUserQueued)
	}
	// Close runs before the session ends, so this needs no waiting.
	if n := a.closed.Load(); n != 1 {
		t.Errorf("app closed %d times, want 1", n)
	}
}

// TestRenderersFollowEachClient: one server, clients with different
// terminals, each program styled for its own.
func TestRenderersFollowEachClient(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.mustDial(t, "alice", ts.alice)
	tests := []struct {
		term string
		env  []string
		want termenv.Profile
	}{
		{"xterm-256color", nil, termenv.ANSI256},
		{"xterm-256color", []string{"COLORTERM=truecolor"}, termenv.TrueColor},
		{"xterm", nil, termenv.ANSI},
		{"dumb", nil, termenv.Ascii},
	}
	for i, tt := range tests {
		tm := openTerm(t, c, tt.term, tt.env, 80, 24)
		tm.waitFor("fake user=[alice")
		tm.send("q")
		tm.waitExit()
		apps := ts.fakes.all()
		if len(apps) != i+1 {
			t.Fatalf("%d programs after %d sessions", len(apps), i+1)
		}
		if got := apps[i].opts.Renderer.ColorProfile(); got != tt.want {
			t.Errorf("TERM=%s %v: colour profile %v, want %v", tt.term, tt.env, got, tt.want)
		}
	}
}

func TestRefusedLogins(t *testing.T) {
	ts := startServer(t, nil)
	tests := []struct {
		name string
		auth []gossh.AuthMethod
	}{
		{"unknown key", []gossh.AuthMethod{gossh.PublicKeys(ts.eve)}},
		{"password", []gossh.AuthMethod{gossh.Password("hunter2")}},
		{"keyboard-interactive", []gossh.AuthMethod{gossh.KeyboardInteractive(
			func(name, instruction string, questions []string, echos []bool) ([]string, error) {
				return make([]string, len(questions)), nil
			})}},
		{"no auth", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ts.dial("alice", tt.auth...)
			if err == nil {
				c.Close()
				t.Fatal("login accepted")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("error %q, want an authentication failure", err)
			}
		})
	}
	if n := len(ts.fakes.all()); n != 0 {
		t.Errorf("%d programs started for refused logins", n)
	}
}

func TestSessionsWithoutAProgram(t *testing.T) {
	ts := startServer(t, nil)
	c := ts.mustDial(t, "alice", ts.alice)
	tests := []struct {
		name    string
		pty     bool
		command string
		want    string
	}{
		{"no terminal", false, "", msgNeedTerminal},
		{"command", true, "ls /", msgNoCommands},
		{"command without terminal", false, "ls /", msgNeedTerminal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			if tt.pty {
				if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
					t.Fatal(err)
				}
			}
			var stderr strings.Builder
			sess.Stderr = &stderr
			if tt.command == "" {
				if err := sess.Shell(); err != nil {
					t.Fatal(err)
				}
				err = sess.Wait()
			} else {
				err = sess.Run(tt.command)
			}
			var exit *gossh.ExitError
			if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
				t.Errorf("exit %v, want status 1", err)
			}
			if got := strings.TrimSpace(stderr.String()); got != tt.want {
				t.Errorf("stderr %q, want %q", got, tt.want)
			}
		})
	}
	if n := len(ts.fakes.all()); n != 0 {
		t.Errorf("%d programs started", n)
	}
}

func TestMaxSessions(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 1 })
	first := open(t, ts.mustDial(t, "alice", ts.alice), true, 80, 24)
	first.waitFor("fake user=[alice")

	second := open(t, ts.mustDial(t, "bob", ts.bob), true, 80, 24)
	err, _, stderr := second.waitExit()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("second session exit %v, want status 1", err)
	}
	if want := "server full (1 users)"; !strings.Contains(stderr, want) {
		t.Errorf("second session told %q, want %q", stderr, want)
	}

	// The place is free again once the first user leaves.
	first.send("q")
	first.waitExit()
	third := open(t, ts.mustDial(t, "bob", ts.bob), true, 80, 24)
	third.waitFor("fake user=[bob")
}

func TestUsersHaveTheirOwnFolders(t *testing.T) {
	ts := startServer(t, nil)
	// alice twice (two connections), bob once.
	for _, u := range []struct {
		name string
		key  gossh.Signer
	}{{"alice", ts.alice}, {"bob", ts.bob}, {"alice", ts.alice}} {
		tm := open(t, ts.mustDial(t, u.name, u.key), true, 80, 24)
		tm.waitFor("fake user=[" + u.name)
		tm.send("q")
		tm.waitExit()
	}
	apps := ts.fakes.all()
	if len(apps) != 3 {
		t.Fatalf("%d programs, want 3", len(apps))
	}
	a1, b, a2 := apps[0].opts.Store.Dir, apps[1].opts.Store.Dir, apps[2].opts.Store.Dir
	g0, _ := apps[0].opts.TrainGate.(userGate)
	g1, _ := apps[1].opts.TrainGate.(userGate)
	g2, _ := apps[2].opts.TrainGate.(userGate)
	if g0.q == nil || g0.q != g1.q || g0.q != g2.q {
		t.Error("users do not share one set of training slots, so --max-training would not hold across users")
	}
	if g0.user != g2.user || g0.user == g1.user {
		t.Errorf("training shares by %q, %q, %q: want alice's two connections to count as one user, bob as another", g0.user, g1.user, g2.user)
	}
	if a1 != a2 {
		t.Errorf("alice's two connections got different folders %s and %s", a1, a2)
	}
	if a1 == b || strings.HasPrefix(b, a1) || strings.HasPrefix(a1, b) {
		t.Errorf("alice %s and bob %s share a folder", a1, b)
	}
	for _, u := range []struct {
		dir string
		key gossh.Signer
	}{{a1, ts.alice}, {b, ts.bob}} {
		want := userDir(ts.home, u.key.PublicKey())
		if !strings.HasPrefix(u.dir, want+string(filepath.Separator)) && u.dir != want {
			t.Errorf("store %s not in the key's folder %s", u.dir, want)
		}
		fi, err := os.Stat(want)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("user folder %s is %v, want no access for others", want, fi.Mode().Perm())
		}
		rec, err := os.ReadFile(filepath.Join(want, "key.pub"))
		if err != nil {
			t.Fatal(err)
		}
		if pk, _, _, _, err := gossh.ParseAuthorizedKey(rec); err != nil || string(pk.Marshal()) != string(u.key.PublicKey().Marshal()) {
			t.Errorf("key.pub in %s does not hold the user's key (err %v)", want, err)
		}
	}
}

func TestShutdownTellsUsersAndClosesPrograms(t *testing.T) {
	ts := startServer(t, nil)
	var terms []*terminal
	for _, u := range []struct {
		name string
		key  gossh.Signer
	}{{"alice", ts.alice}, {"bob", ts.bob}} {
		tm := open(t, ts.mustDial(t, u.name, u.key), true, 80, 24)
		tm.waitFor("fake user=[" + u.name)
		terms = append(terms, tm)
	}
	if err := ts.stop(); err != nil {
		t.Fatalf("Serve after shutdown: %v", err)
	}
	for i, tm := range terms {
		_, screen, _ := tm.waitExit()
		if !strings.Contains(screen, "stopping=true") {
			t.Errorf("user %d: program did not see the shutdown; screen:\n%s", i, screen)
		}
		if !strings.Contains(screen, msgShutdown) {
			t.Errorf("user %d: no shutdown message; screen:\n%s", i, screen)
		}
	}
	for i, a := range ts.fakes.all() {
		if n := a.closed.Load(); n != 1 {
			t.Errorf("app %d closed %d times, want 1", i, n)
		}
	}
	if _, err := ts.dial("alice", gossh.PublicKeys(ts.alice)); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func TestShutdownDropsIdleConnections(t *testing.T) {
	// A client that keeps its connection open with no session must not hold
	// the shutdown for the whole grace period.
	ts := startServer(t, func(c *Config) { c.ShutdownGrace = time.Minute })
	c := ts.mustDial(t, "alice", ts.alice)
	start := time.Now()
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("shutdown took %v with an idle connection", d)
	}
	if _, _, err := c.SendRequest("keepalive@openssh.com", true, nil); err == nil {
		t.Error("idle connection still open after shutdown")
	}
}

func TestAuthorizedKeysReloaded(t *testing.T) {
	ts := startServer(t, nil)
	login := func(key gossh.Signer) error {
		c, err := ts.dial("x", gossh.PublicKeys(key))
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := login(ts.eve); err == nil {
		t.Fatal("eve let in before being added")
	}
	f, err := os.OpenFile(ts.akPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("not a key at all\n" + string(gossh.MarshalAuthorizedKey(ts.eve.PublicKey())))
	f.Close()
	if err := login(ts.eve); err != nil {
		t.Errorf("eve refused after being added (a bad line must not lock everyone out): %v", err)
	}
	if err := login(ts.alice); err != nil {
		t.Errorf("alice refused after the file changed: %v", err)
	}
	if err := os.Remove(ts.akPath); err != nil {
		t.Fatal(err)
	}
	if err := login(ts.alice); err == nil {
		t.Error("alice let in with the authorized keys file removed")
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	good := filepath.Join(dir, "ak")
	os.WriteFile(good, gossh.MarshalAuthorizedKey(key.PublicKey()), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("# nobody yet\n\n"), 0o600)
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte("ssh-ed25519 AAAAnotbase64!!\n"), 0o600)
	badHostKey := filepath.Join(dir, "hostkey")
	os.WriteFile(badHostKey, []byte("-----BEGIN NONSENSE-----\n"), 0o600)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no home", Config{AuthorizedKeys: good}, "no home"},
		{"missing authorized keys", Config{Home: dir, AuthorizedKeys: filepath.Join(dir, "nope")}, "nope"},
		{"authorized keys without keys", Config{Home: dir, AuthorizedKeys: empty}, "no usable public key"},
		{"authorized keys with only garbage", Config{Home: dir, AuthorizedKeys: garbage}, "no usable public key"},
		{"unreadable host key", Config{Home: dir, AuthorizedKeys: good, HostKey: badHostKey}, "host key " + badHostKey},
		{"negative max sessions", Config{Home: dir, AuthorizedKeys: good, MaxSessions: -1}, "max sessions"},
		{"negative max training", Config{Home: dir, AuthorizedKeys: good, MaxTraining: -2}, "max training"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// The default is the running user's ~/.ssh/authorized_keys.
	fakeHome := t.TempDir()
	t.Setenv("HOME", fakeHome)
	_, err := New(Config{Home: dir})
	if want := filepath.Join(fakeHome, ".ssh", "authorized_keys"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("New without --authorized-keys and no ~/.ssh/authorized_keys: %v, want an error naming %s", err, want)
	}
	os.MkdirAll(filepath.Join(fakeHome, ".ssh"), 0o700)
	os.WriteFile(filepath.Join(fakeHome, ".ssh", "authorized_keys"), gossh.MarshalAuthorizedKey(key.PublicKey()), 0o600)
	if s, err := New(Config{Home: dir}); err != nil || s.AuthorizedKeysPath() != filepath.Join(fakeHome, ".ssh", "authorized_keys") {
		t.Errorf("New with ~/.ssh/authorized_keys: %v", err)
	}

	// A busy port is named.
	s, err := New(Config{Home: dir, AuthorizedKeys: good, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	defer s.ln.Close()
	s2, err := New(Config{Home: dir, AuthorizedKeys: good, Addr: s.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Listen(); err == nil || !strings.Contains(err.Error(), s.Addr().String()) {
		t.Errorf("Listen on a busy port: %v, want an error naming it", err)
	}
}

func TestHostKeyIsEd25519AndReused(t *testing.T) {
	home := t.TempDir()
	ak := filepath.Join(home, "ak")
	os.WriteFile(ak, gossh.MarshalAuthorizedKey(newKey(t).PublicKey()), 0o600)
	var pubs []string
	for range 2 {
		s, err := New(Config{Home: home, AuthorizedKeys: ak})
		if err != nil {
			t.Fatal(err)
		}
		if s.HostKeyPath() != filepath.Join(home, "ssh_host_ed25519_key") {
			t.Errorf("host key at %s", s.HostKeyPath())
		}
		b, err := os.ReadFile(s.HostKeyPath())
		if err != nil {
			t.Fatal(err)
		}
		k, err := gossh.ParsePrivateKey(b)
		if err != nil {
			t.Fatal(err)
		}
		if k.PublicKey().Type() != gossh.KeyAlgoED25519 {
			t.Errorf("host key type %s, want ed25519", k.PublicKey().Type())
		}
		fi, _ := os.Stat(s.HostKeyPath())
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
		}
		pubs = append(pubs, string(k.PublicKey().Marshal()))
	}
	if pubs[0] != pubs[1] {
		t.Error("a second start generated a new host key; clients' known_hosts would break")
	}
}

func TestDisplayName(t *testing.T) {
	fp := "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	tests := []struct{ user, want string }{
		{"alice", "alice (SHA256:abcdefgh…)"},
		{"", "SHA256:abcdefgh…"},
		{"evil\x1b[2Jname", "evil[2Jname (SHA256:abcdefgh…)"},
		{strings.Repeat("x", 40), strings.Repeat("x", 32) + " (SHA256:abcdefgh…)"},
	}
	for _, tt := range tests {
		if got := displayName(tt.user, fp); got != tt.want {
			t.Errorf("displayName(%q) = %q, want %q", tt.user, got, tt.want)
		}
	}
}

func TestIdleConnectionIsClosed(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 80, 24)
	tm.waitFor("fake user=[alice")
	tm.waitExit() // nobody types: the server hangs up
	// The client sees the hang-up before the server's cleanup ends.
	select {
	case <-ts.drained():
	case <-time.After(waitTimeout):
		t.Fatal("session handler still running after the idle hang-up")
	}
	apps := ts.fakes.all()
	if len(apps) != 1 || apps[0].closed.Load() != 1 {
		t.Errorf("idle program not closed (%d programs)", len(apps))
	}
}

func TestSlowLoginIsDropped(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.LoginGrace = 200 * time.Millisecond })
	c, err := net.Dial("tcp", ts.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTimeout))
	// Read the server's banner and then nothing more: the server hangs up.
	_, err = io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("a connection that never logged in was kept open")
	}
	// A client that does log in in time keeps its connection past the grace.
	cl := ts.mustDial(t, "alice", ts.alice)
	tm := open(t, cl, true, 80, 24)
	tm.waitFor("fake user=[alice")
	<-time.After(400 * time.Millisecond) // past the grace time
	if _, _, err := cl.SendRequest("keepalive@openssh.com", true, nil); err != nil {
		t.Errorf("logged-in connection dropped by the login grace: %v", err)
	}
}
