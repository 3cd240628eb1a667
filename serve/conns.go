package serve

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// http.Server.Shutdown waits up to 5 s for a connection that was opened
// but never sent a byte (browsers and HTTP clients open spare ones), which
// would make every Stop in the TUI hang. The listener below tracks such
// connections so Stop can close them at once: they hold no request, and a
// request that had not begun when Stop was called may be refused.
//
// It also caps open connections at max: past it, a new connection is
// answered 503 with Retry-After and closed (by a bounded number of
// goroutines; past those it is closed at once) rather than served.
type trackingListener struct {
	net.Listener
	max       int
	rejecting atomic.Int32
	mu        sync.Mutex
	conns     map[*trackedConn]struct{}
}

func newTrackingListener(ln net.Listener, max int) *trackingListener {
	return &trackingListener{Listener: ln, max: max, conns: map[*trackedConn]struct{}{}}
}

// maxRejecting bounds the goroutines answering 503 to connections over the
// cap.
const maxRejecting = 32

func (l *trackingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		full := len(l.conns) >= l.max
		var tc *trackedConn
		if !full {
			tc = &trackedConn{Conn: c, l: l}
			l.conns[tc] = struct{}{}
		}
		l.mu.Unlock()
		if !full {
			return tc, nil
		}
		if l.rejecting.Add(1) > maxRejecting {
			l.rejecting.Add(-1)
			c.Close()
			continue
		}
		go func() {
			defer l.rejecting.Add(-1)
			reject(c, l.max)
		}()
	}
}

// reject reads the start of the request (so closing does not reset the
// connection before the client reads the answer), answers 503 and closes.
func reject(c net.Conn, max int) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	var buf [4096]byte
	c.Read(buf[:]) //nolint:errcheck // whatever arrived; the answer is the same
	body := fmt.Sprintf(`{"error":"the server is busy: it has its limit of %d open connections (--max-conns); retry shortly"}`+"\n", max)
	fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// closeUnused closes the connections that never received a byte.
func (l *trackingListener) closeUnused() {
	l.mu.Lock()
	var unused []*trackedConn
	for c := range l.conns {
		if !c.used.Load() {
			unused = append(unused, c)
		}
	}
	l.mu.Unlock()
	for _, c := range unused {
		c.Close()
	}
}

type trackedConn struct {
	net.Conn
	l      *trackingListener
	used   atomic.Bool
	closed atomic.Bool
}

func (c *trackedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && !c.used.Load() {
		c.used.Store(true)
	}
	return n, err
}

func (c *trackedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	}
	return c.Conn.Close()
}
