package serve

// This file fixes the predict server's public API so that the TUI and main
// can be built in parallel. Bodies marked "not implemented" are filled in by
// the package's own files; keep the signatures (add, don't change) unless
// every caller is updated in the same commit.

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"workbench/sessions"
)

// Options configure a Server. Zero values take the documented default.
type Options struct {
	Token   string       // bearer token required on every route but health; "" = none
	MaxBody int64        // request body limit in bytes, default 4 MiB
	MaxRows int          // rows per request limit, default 10,000
	Logger  *slog.Logger // request logs; default discards
}

// Server serves one session's model over HTTP.
type Server struct {
	impl server
}

// New returns a server for sess (which must have a Model).
func New(sess *sessions.Session, opts Options) *Server { panic("not implemented") }

// Handler is the full HTTP API (all routes, middleware included).
func (s *Server) Handler() http.Handler { panic("not implemented") }

// Swap replaces the model atomically: every request sees the old or the new
// session, never a mix.
func (s *Server) Swap(sess *sessions.Session) { panic("not implemented") }

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background. It returns the address actually bound.
func (s *Server) Start(addr string) (string, error) { panic("not implemented") }

// Stop shuts down gracefully: in-flight requests finish and the port is free
// when Stop returns.
func (s *Server) Stop(ctx context.Context) error { panic("not implemented") }

// Addr is the bound address, "" when not running.
func (s *Server) Addr() string { panic("not implemented") }

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
func (s *Server) Stats() Stats { panic("not implemented") }
