package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"
)

// sshE2EWait bounds each wait for the screen (generous for -race on 2 cores).
const sshE2EWait = 20 * time.Second

// sshClientKey writes a fresh ed25519 private key file (0600, as OpenSSH
// insists) and returns its path and public key.
func sshClientKey(t *testing.T) (string, gossh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return path, signer.PublicKey()
}

// lockedBuffer collects output written from other goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startSSHCommand runs `workbench ssh` on a free port and returns its
// address, a stop function returning run's error, and its stdout.
func startSSHCommand(t *testing.T, args ...string) (addr string, stop func() error, stdout *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"ssh", "--addr", "127.0.0.1:0"}, args...), pw, stderr)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	line, err := br.ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("workbench ssh did not start: %v; stderr: %s", <-done, stderr.String())
	}
	stdout.Write([]byte(line))
	go io.Copy(stdout, br)
	f := strings.Fields(strings.TrimPrefix(line, "workbench ssh: listening on "))
	if len(f) == 0 {
		t.Fatalf("no address in %q", line)
	}
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	return f[0], stop, stdout
}

// TestSSHWithOpenSSHClient is the team's path: the real ssh client in a real
// terminal (a PTY of 100×30) logs in with a key and gets the TUI; a shutdown
// tells it so and ends the connection.
func TestSSHWithOpenSSHClient(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("OpenSSH client not installed (.ci/run installs openssh-client)")
	}
	// runSSH adds Ps for the whole process; leave other tests as they were.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	keyPath, pub := sshClientKey(t)
	ak := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(ak, gossh.MarshalAuthorizedKey(pub), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	addr, stop, stdout := startSSHCommand(t, "--home", home, "--authorized-keys", ak)
	_, port, _ := net.SplitHostPort(addr)

	cmd := exec.Command(sshBin, "-F", "/dev/null", "-p", port, "-i", keyPath,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"alice@127.0.0.1")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	scr := &sshScreen{}
	scr.cond = sync.NewCond(&scr.mu)
	go scr.pump(tty)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	for _, want := range []string{"Data", "Train", "alice (SHA256:"} {
		if !scr.waitFor(want) {
			t.Fatalf("screen never showed %q:\n%s", want, scr.text())
		}
	}
	if err := stop(); err != nil {
		t.Errorf("workbench ssh after shutdown: %v", err)
	}
	if !scr.waitFor("server is shutting down") {
		t.Errorf("no shutdown message on the user's screen:\n%s", scr.text())
	}
	select {
	case <-exited:
	case <-time.After(sshE2EWait):
		cmd.Process.Kill()
		t.Error("ssh client still connected after the server shut down")
	}
	if !strings.Contains(stdout.String(), "workbench ssh: stopped") {
		t.Errorf("stdout %q does not say the server stopped", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(home, "ssh_host_ed25519_key")); err != nil {
		t.Errorf("host key not kept in the home: %v", err)
	}
}

func TestSSHCommandRefusesBadSetup(t *testing.T) {
	home := t.TempDir()
	_, pub := sshClientKey(t)
	ak := filepath.Join(home, "ak")
	os.WriteFile(ak, gossh.MarshalAuthorizedKey(pub), 0o600)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--authorized-keys", filepath.Join(home, "missing")}, "missing"},
		{[]string{"--authorized-keys", ak, "--max-sessions", "0"}, "--max-sessions"},
		{[]string{"--authorized-keys", ak, "--max-training", "-1"}, "--max-training"},
		{[]string{"--authorized-keys", ak, "--max-user-training", "0"}, "--max-user-training"},
		{[]string{"--authorized-keys", ak, "--max-user-queued", "-1"}, "--max-user-queued"},
		{[]string{"--authorized-keys", ak, "--idle-timeout", "-5s"}, "--idle-timeout"},
		{[]string{"--authorized-keys", ak, "--addr", "nonsense"}, "nonsense"},
		{[]string{"--authorized-keys", ak, "stray"}, "stray"},
		{[]string{"--authorized-keys", ak, "--port-range", "9100-9000"}, "--port-range: port range 9100-9000: the first port is above the last"},
		{[]string{"--authorized-keys", ak, "--port-range", "80-90"}, "ports must be from 1024 to 65535"},
		{[]string{"--authorized-keys", ak, "--port-range", "9000-70000"}, "ports must be from 1024 to 65535"},
		{[]string{"--authorized-keys", ak, "--port-range", "nine"}, `port range "nine": want LO-HI`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"ssh", "--home", home}, tt.args...), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// sshScreen keeps what a terminal showed and answers the terminal queries a
// real emulator answers (background colour, device attributes).
type sshScreen struct {
	mu   sync.Mutex
	cond *sync.Cond
	out  bytes.Buffer
	eof  bool
}

func (s *sshScreen) pump(tty *os.File) {
	buf := make([]byte, 4096)
	for {
		n, err := tty.Read(buf)
		if n > 0 {
			chunk := string(buf[:n])
			if strings.Contains(chunk, "\x1b]11;?") {
				io.WriteString(tty, "\x1b]11;rgb:0000/0000/0000\x07")
			}
			if strings.Contains(chunk, "\x1b[c") {
				io.WriteString(tty, "\x1b[?62;22c")
			}
			s.mu.Lock()
			s.out.WriteString(chunk)
			s.cond.Broadcast()
			s.mu.Unlock()
		}
		if err != nil {
			s.mu.Lock()
			s.eof = true
			s.cond.Broadcast()
			s.mu.Unlock()
			return
		}
	}
}

func (s *sshScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.out.String())
}

// waitFor waits on new output (never on a clock, except the overall limit)
// until the screen contains want.
func (s *sshScreen) waitFor(want string) bool {
	return s.until(func(raw string) bool { return strings.Contains(ansi.Strip(raw), want) })
}

// until waits on new output (never on a clock, except the overall limit)
// until cond holds for all the raw output so far.
func (s *sshScreen) until(cond func(raw string) bool) bool {
	timedOut := false
	timer := time.AfterFunc(sshE2EWait, func() {
		s.mu.Lock()
		timedOut = true
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond(s.out.String()) {
		if timedOut || s.eof {
			return false
		}
		s.cond.Wait()
	}
	return true
}
