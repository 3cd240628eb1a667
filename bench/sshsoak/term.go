package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// term is one PTY session: its output as text, escape sequences removed.
type term struct {
	sess  *ssh.Session
	stdin io.Writer
	mu    sync.Mutex
	text  strings.Builder
	done  chan error
	// changed gets a token whenever output arrives, so a waiter wakes at
	// once rather than at its next poll (frame latency is timed with it).
	changed chan struct{}
}

var escapes = regexp.MustCompile(`\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]`)

func openTerm(c *ssh.Client) (*term, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, ssh.TerminalModes{}); err != nil {
		sess.Close()
		return nil, fmt.Errorf("pty: %w", err)
	}
	tm := &term{sess: sess, done: make(chan error, 1), changed: make(chan struct{}, 1)}
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		sess.Close()
		return nil, fmt.Errorf("shell: %w", err)
	}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				chunk := string(buf[:n])
				// Answer the terminal queries a real terminal answers, so
				// the program does not wait for their timeouts.
				if strings.Contains(chunk, "\x1b]11;?") {
					io.WriteString(tm.stdin, "\x1b]11;rgb:0000/0000/0000\x07") //nolint:errcheck
				}
				if strings.Contains(chunk, "\x1b[c") {
					io.WriteString(tm.stdin, "\x1b[?62;22c") //nolint:errcheck
				}
				tm.mu.Lock()
				tm.text.WriteString(escapes.ReplaceAllString(chunk, " "))
				tm.mu.Unlock()
				select {
				case tm.changed <- struct{}{}:
				default:
				}
			}
			if err != nil {
				tm.done <- sess.Wait()
				return
			}
		}
	}()
	return tm, nil
}

func (tm *term) send(keys string) { io.WriteString(tm.stdin, keys) } //nolint:errcheck // a closed session shows at the next wait

func (tm *term) mark() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.text.Len()
}

func (tm *term) textAfter(mark int) string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.text.String()[mark:]
}

// step sends keys and waits for want to appear after them ("" = a short
// pause only).
func (tm *term) step(ctx context.Context, keys, want string, wait time.Duration) error {
	mark := tm.mark()
	tm.send(keys)
	if want == "" {
		time.Sleep(300 * time.Millisecond)
		return nil
	}
	if err := tm.waitAfter(ctx, mark, regexp.MustCompile(regexp.QuoteMeta(want)), wait); err != nil {
		return fmt.Errorf("after keys %q: %w", keys, err)
	}
	return nil
}

func (tm *term) waitAfter(ctx context.Context, mark int, re *regexp.Regexp, wait time.Duration) error {
	end := time.Now().Add(wait)
	for !re.MatchString(tm.textAfter(mark)) {
		if time.Now().After(end) {
			return fmt.Errorf("no %q within %s; last screen text: %.300q", re, wait, tail(tm.textAfter(mark), 300))
		}
		if ctx.Err() != nil {
			return errors.New("out of time")
		}
		select {
		case err := <-tm.done:
			tm.done <- err
			return fmt.Errorf("the session ended (%v) before %q", err, re)
		case <-tm.changed:
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

func (tm *term) waitExit(wait time.Duration) error {
	select {
	case err := <-tm.done:
		return err
	case <-time.After(wait):
		return fmt.Errorf("the program did not end within %s", wait)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
