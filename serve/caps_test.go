package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rawRequest sends head and a partial body on a new connection and
// returns it without waiting for an answer.
func rawRequest(t *testing.T, addr string, contentLength int, partial string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", contentLength, partial)
	return c
}

func readAnswer(t *testing.T, c net.Conn) (*http.Response, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// waitFor polls cond (a server's state changes on its own goroutines).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestConnectionCap: past --max-conns a new connection gets 503 with
// Retry-After instead of a goroutine and buffers; once one closes, new
// connections are served again.
func TestConnectionCap(t *testing.T) {
	s := New(irisSession(t, 1), Options{MaxConns: 2})
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	a := rawRequest(t, addr, 100, `{"input_data"`)
	b := rawRequest(t, addr, 100, `{"input_data"`)
	defer b.Close()
	waitFor(t, "two connections", func() bool {
		s.impl.ln.mu.Lock()
		defer s.impl.ln.mu.Unlock()
		return len(s.impl.ln.conns) == 2
	})
	c := rawRequest(t, addr, 27, `{"input_data": [[1,2,3,4]]}`)
	defer c.Close()
	resp, body := readAnswer(t, c)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "--max-conns") {
		t.Fatalf("over the cap: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	a.Close()
	waitFor(t, "a slot", func() bool {
		s.impl.ln.mu.Lock()
		defer s.impl.ln.mu.Unlock()
		return len(s.impl.ln.conns) < 2
	})
	d := rawRequest(t, addr, 27, `{"input_data": [[1,2,3,4]]}`)
	defer d.Close()
	if resp, body := readAnswer(t, d); resp.StatusCode != 200 {
		t.Errorf("after a connection closed: %d %s", resp.StatusCode, body)
	}
}

// TestInflightBodyCap: bodies in flight reserve their size from
// --max-inflight; a request that would pass it gets 503 with Retry-After
// (no allocation), small ones still pass, and the bytes come back when the
// slow requests end.
func TestInflightBodyCap(t *testing.T) {
	s := New(irisSession(t, 1), Options{MaxBody: 1000, MaxInflight: 2500})
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	slow := []net.Conn{rawRequest(t, addr, 1000, `{"input_data"`), rawRequest(t, addr, 1000, `{"input_data"`)}
	waitFor(t, "two bodies reserved", func() bool { return s.impl.bodies.Load() == 2002 })
	big := rawRequest(t, addr, 1000, `{"input_data"`)
	defer big.Close()
	resp, body := readAnswer(t, big)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "--max-inflight") {
		t.Fatalf("over the budget: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	post(t, addr, `{"input_data": [[1,2,3,4]]}`, 200) // 28 bytes still fit
	for _, c := range slow {
		c.Close()
	}
	waitFor(t, "the budget back", func() bool { return s.impl.bodies.Load() == 0 })
	post(t, addr, `{"input_data": [[1,2,3,4]]}`+strings.Repeat(" ", 900), 200)
}

// TestChunkedBodyReservesAsItGrows: a body of unknown length reserves as
// its buffer grows, never past the limit, and gives it all back.
func TestChunkedBodyReservesAsItGrows(t *testing.T) {
	s := New(irisSession(t, 1), Options{MaxBody: 1 << 16})
	h := s.Handler()
	body := `{"input_data": [[1,2,3,4]]}` + strings.Repeat(" ", 40000)
	r, _ := http.NewRequest("POST", "/predict", io.MultiReader(strings.NewReader(body))) // no ContentLength
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || s.impl.bodies.Load() != 0 {
		t.Errorf("chunked: status %d, %d bytes still reserved", w.Code, s.impl.bodies.Load())
	}
}
