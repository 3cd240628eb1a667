package sshhost

// Tests through the real TUI: what a user sees and does over SSH.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"workbench/sessions"
	"workbench/tui"
)

// realTUI makes the server run the real TUI.
func realTUI(c *Config) {
	c.NewApp = func(o tui.Options) (App, error) { return tui.New(o) }
}

// closeRecorder runs the real TUI and tells when each app's Close returned,
// which is when the server finished with that connection's program.
type closeRecorder struct {
	mu     sync.Mutex
	closed []chan struct{}
}

type recordedApp struct {
	App
	done chan struct{}
}

func (r *recordedApp) Close() error {
	err := r.App.Close()
	close(r.done)
	return err
}

func (rec *closeRecorder) config(c *Config) {
	c.NewApp = func(o tui.Options) (App, error) {
		a, err := tui.New(o)
		if err != nil {
			return nil, err
		}
		ra := &recordedApp{App: a, done: make(chan struct{})}
		rec.mu.Lock()
		rec.closed = append(rec.closed, ra.done)
		rec.mu.Unlock()
		return ra, nil
	}
}

func (rec *closeRecorder) app(i int) chan struct{} {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.closed[i]
}

var epochRe = regexp.MustCompile(`epoch ([1-9][0-9]*)/[0-9]+`)

func TestTUIOverSSH(t *testing.T) {
	ts := startServer(t, realTUI)
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 120, 36)
	for _, want := range []string{"Data", "Train", "alice (SHA256:"} {
		tm.waitFor(want)
	}
	tm.send("q")
	if err, _, _ := tm.waitExit(); err != nil {
		t.Errorf("exit after q: %v", err)
	}
}

// TestUsersSeeOnlyTheirSessions: alice trains and saves; bob's sessions
// pane does not list her session, hers does.
func TestUsersSeeOnlyTheirSessions(t *testing.T) {
	ts := startServer(t, realTUI)
	alice := open(t, ts.mustDial(t, "alice", ts.alice), true, 120, 36)
	alice.waitFor("Train")
	alice.send("3")
	alice.waitFor("press space")
	alice.send(" ")
	alice.waitFor("finished")

	aliceStore, err := sessions.Open(userDir(ts.home, ts.alice.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if list, err := aliceStore.List(); err != nil || len(list) != 1 {
		t.Fatalf("alice's store: %d sessions (err %v), want 1", len(list), err)
	}
	m := alice.mark()
	alice.send("5")
	alice.waitForAfter(m, "sessions · 1,") // the test can tell a listed session

	bob := open(t, ts.mustDial(t, "bob", ts.bob), true, 120, 36)
	bob.waitFor("Train")
	m = bob.mark()
	bob.send("5")
	bob.waitForAfter(m, "no sessions yet")
	if screen := bob.screenAfter(m); strings.Contains(screen, "sessions · 1,") {
		t.Errorf("bob's sessions pane lists a session:\n%s", screen)
	}
	bobStore, err := sessions.Open(userDir(ts.home, ts.bob.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if l, err := bobStore.List(); err != nil || len(l) != 0 {
		t.Errorf("bob's store holds %d sessions (err %v), want none", len(l), err)
	}
}

// TestUsersFilesAreConfined: a user's "open file" reaches their own files
// folder and nothing else, in particular not another user's.
func TestUsersFilesAreConfined(t *testing.T) {
	ts := startServer(t, realTUI)
	csv := "x,y,label\n1,2,a\n2,1,b\n3,4,a\n4,3,b\n5,6,a\n6,5,b\n7,8,a\n8,7,b\n9,9,a\n0,1,b\n"
	aliceFiles := filepath.Join(userDir(ts.home, ts.alice.PublicKey()), "files")
	bobFiles := filepath.Join(userDir(ts.home, ts.bob.PublicKey()), "files")
	for _, d := range []string{aliceFiles, bobFiles} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(aliceFiles, "mine.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bobFiles, "secret.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	alice := open(t, ts.mustDial(t, "alice", ts.alice), true, 200, 40)
	alice.waitFor("Train")
	alice.send("o")
	alice.waitFor("files folder on the server")
	bobRel := "../../" + filepath.Base(filepath.Dir(bobFiles)) + "/files/secret.csv"
	for _, p := range []string{bobRel, filepath.Join(bobFiles, "secret.csv")} {
		m := alice.mark()
		alice.send(p + "\r")
		alice.waitForAfter(m, "outside your files folder")
		alice.send("\x15") // ctrl+u clears the prompt
	}
	m := alice.mark()
	alice.send("~/mi\t")
	alice.send("\r")
	alice.waitForAfter(m, "mine — 10 rows")
}

// TestShutdownSavesRunningTraining: a training running when the server is
// told to stop is stopped, saved as stopped, and the user is told.
func TestShutdownSavesRunningTraining(t *testing.T) {
	ts := startServer(t, realTUI)
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 120, 36)
	tm.waitFor("Train")
	// A dataset big enough that 100 epochs outlast the test's reaction.
	tm.send("1")
	tm.send("o")
	tm.send("spiral?n=20000\r")
	tm.send("3")
	tm.waitFor("train spiral?n=20000")
	tm.send(" ")
	tm.waitMatch(epochRe)

	if err := ts.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	_, screen, _ := tm.waitExit()
	if !strings.Contains(screen, msgShutdown) {
		t.Errorf("user not told of the shutdown:\n%s", screen)
	}
	st, err := sessions.Open(userDir(ts.home, ts.alice.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("%d sessions saved (err %v), want 1", len(list), err)
	}
	s := list[0].Session
	if s == nil || s.Status != sessions.Stopped || s.HistoryLen() == 0 || s.HistoryLen() >= s.Hyper.Epochs {
		t.Errorf("saved session %+v: want status stopped with some but not all epochs", s)
	}
}

// TestTrainingQueuesForASlot: with every slot taken, a run waits and the
// pane says so; it starts when a slot frees.
func TestTrainingQueuesForASlot(t *testing.T) {
	ts := startServer(t, func(c *Config) { realTUI(c); c.MaxTraining = 1 })
	rel, err := ts.train.acquire(context.Background(), "someone else", nil)
	if err != nil {
		t.Fatal(err)
	}
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 120, 36)
	tm.waitFor("Train")
	tm.send("3")
	tm.waitFor("press space")
	tm.send(" ")
	tm.waitFor("waiting for a training slot (next in line)")
	rel()
	tm.waitMatch(epochRe)
}

// TestPredictServerPerConnection: each user's predict server listens on its
// own free loopback port and stops when the connection closes.
func TestPredictServerPerConnection(t *testing.T) {
	rec := &closeRecorder{}
	ts := startServer(t, rec.config)
	var addrs []string
	var clients []*gossh.Client
	for _, u := range []struct {
		name string
		key  gossh.Signer
	}{{"alice", ts.alice}, {"bob", ts.bob}} {
		c := ts.mustDial(t, u.name, u.key)
		clients = append(clients, c)
		tm := open(t, c, true, 140, 36)
		tm.waitFor("Train")
		tm.send("3")
		tm.waitFor("press space")
		tm.send(" ")
		tm.waitFor("finished")
		tm.send("S")
		m := tm.waitMatch(regexp.MustCompile(`● (?:serving epoch \d+ on )?(127\.0\.0\.1:\d+)`))
		addrs = append(addrs, m[1])
	}
	if addrs[0] == addrs[1] {
		t.Fatalf("both users serve on %s", addrs[0])
	}
	for _, a := range addrs {
		resp, err := http.Post("http://"+a+"/predict", "application/json",
			strings.NewReader(`{"input_data": [[5.1, 3.5, 1.4, 0.2]]}`))
		if err != nil {
			t.Fatalf("predict on %s: %v", a, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("predict on %s: %s", a, resp.Status)
		}
	}
	// Alice leaves by dropping her connection, without quitting.
	clients[0].Close()
	select {
	case <-rec.app(0):
	case <-time.After(waitTimeout):
		t.Fatal("alice's session still running after her connection closed")
	}
	c, err := net.Dial("tcp", addrs[0])
	if err == nil {
		c.Close()
		t.Errorf("alice's predict server %s still listening after she left", addrs[0])
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial %s: %v", addrs[0], err)
	}
	// Bob's is untouched.
	resp, err := http.Post("http://"+addrs[1]+"/predict", "application/json",
		strings.NewReader(`{"input_data": [[5.1, 3.5, 1.4, 0.2]]}`))
	if err != nil {
		t.Fatalf("bob's server gone with alice: %v", err)
	}
	resp.Body.Close()
}
