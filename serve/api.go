package serve

// This file is the predict server's public API in one place: the TUI and
// main build on these signatures, so add to them rather than change them, or
// update every caller in the same commit.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"workbench/sessions"
)

// Options configure a Server. Zero values take the documented default.
type Options struct {
	Token   string // bearer token required on every route but health; "" = none
	MaxBody int64  // request body limit in bytes, default 4 MiB
	MaxRows int    // rows per request limit, default 10,000
	// MaxConns caps open connections, default DefaultMaxConns; over it a
	// new connection gets 503 with Retry-After and is closed.
	MaxConns int
	// MaxInflight caps the bytes of request bodies held at once, default
	// DefaultMaxInflight (raised to MaxBody if lower); a request that would
	// pass it gets 503 with Retry-After instead of memory.
	MaxInflight int64
	Logger      *slog.Logger // request logs; default discards
	Version     string       // reported by GET /v2, e.g. the build's module version; default "dev"
}

// Server serves one session's model over HTTP.
type Server struct {
	impl server
}

// New returns a server for sess (which must have a Model).
//
// New panics if sess or its Model is nil: that is a caller's mistake, not
// a user's input.
func New(sess *sessions.Session, opts Options) *Server {
	s := &Server{}
	newServer(s, sess, opts)
	return s
}

// Handler is the full HTTP API (all routes, middleware included).
func (s *Server) Handler() http.Handler { return &s.impl }

// Swap replaces the model atomically: every request sees the old or the new
// session, never a mix.
//
// Like New, it panics if sess or its Model is nil.
func (s *Server) Swap(sess *sessions.Session) { s.impl.swap(sess) }

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background. It returns the address actually bound.
//
// "" means DefaultAddr. Starting a running server is an error.
func (s *Server) Start(addr string) (string, error) { return s.impl.start(addr) }

// Stop shuts down gracefully: in-flight requests finish and the port is free
// when Stop returns.
//
// If ctx ends first, the remaining connections are closed and the error
// says so. Stopping a stopped server does nothing.
func (s *Server) Stop(ctx context.Context) error { return s.impl.stop(ctx) }

// Addr is the bound address, "" when not running.
func (s *Server) Addr() string { return s.impl.boundAddr() }

// RequestLog is one recent request, for the TUI's Serve pane.
type RequestLog struct {
	Time     time.Time
	Method   string
	Path     string
	Status   int
	Rows     int
	Duration time.Duration
	Error    string // the error message for 4xx
}

// Stats is a snapshot for display.
type Stats struct {
	Requests  int64
	Errors    int64 // 4xx and 5xx
	Rows      int64
	PerSecond []float64 // requests per second, last 60 s, oldest first
	P50, P99  time.Duration
	Recent    []RequestLog // newest first, at most 20
}

// Stats returns a snapshot of the counters.
//
// P50 and P99 cover the last minute; PerSecond holds whole seconds only.
func (s *Server) Stats() Stats { return s.impl.stats.snapshot(time.Now()) }

// CheckToken refuses a bearer token no client can send: one with leading
// or trailing whitespace (HTTP drops it from the header, so the token
// would never match) or with spaces or control characters inside. "" (no
// token) is fine.
func CheckToken(tok string) error {
	if strings.TrimSpace(tok) != tok {
		return fmt.Errorf("the token %q starts or ends with whitespace, which HTTP clients cannot send in a header; remove it", tok)
	}
	for _, c := range tok {
		if c <= ' ' || c == 0x7f {
			return fmt.Errorf("the token contains a space or control character (%U); a bearer token is one word", c)
		}
	}
	return nil
}
