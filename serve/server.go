package serve

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"workbench/sessions"
)

// Defaults for Options' zero values.
const (
	DefaultMaxBody = 4 << 20
	DefaultMaxRows = 10_000
	DefaultAddr    = "127.0.0.1:8080"
	// DefaultMaxConns bounds open connections: each idle one costs a
	// goroutine and ~10 KiB of buffers.
	DefaultMaxConns = 512
	// DefaultMaxInflight bounds the bytes of request bodies held at once
	// (16 bodies of the default 4 MiB limit; small requests barely count).
	DefaultMaxInflight = 64 << 20
)

// Timeouts of the HTTP server. ReadTimeout bounds a slow client's upload of
// a 4 MiB body; WriteTimeout covers the forward pass of 10,000 rows with a
// wide margin; IdleTimeout lets keep-alive clients (wrk, gateways) reuse
// connections without holding them forever.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second // tests shorten server.readTimeout
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

type server struct {
	model    slot // the default model; slots()[0] is &model
	slotList atomic.Pointer[[]*slot]
	slotMu   sync.Mutex // serialises put and swap
	maxBody  int64
	maxRows  int
	log      *slog.Logger
	version  string
	hasToken bool
	token    [sha256.Size]byte // compared as hashes: constant time, length hidden
	mux      *http.ServeMux
	metrics  *metrics
	stats    *stats

	readTimeout time.Duration // readTimeout; shorter in tests
	maxConns    int           // open connections accepted at once
	maxInflight int64         // bytes of request bodies held at once
	bodies      atomic.Int64  // bytes of request bodies reserved now

	life sync.Mutex // serialises Start and Stop
	srv  *http.Server
	ln   *trackingListener
	done chan struct{} // closed when srv.Serve returns
	addr atomic.Pointer[string]
}

func newServer(s *Server, sess *sessions.Session, opts Options) {
	m := newModel(sess)
	impl := &s.impl
	impl.model.Store(m)
	impl.slotList.Store(&[]*slot{&impl.model})
	impl.maxBody = opts.MaxBody
	if impl.maxBody <= 0 {
		impl.maxBody = DefaultMaxBody
	}
	impl.maxRows = opts.MaxRows
	if impl.maxRows <= 0 {
		impl.maxRows = DefaultMaxRows
	}
	impl.log = opts.Logger
	if impl.log == nil {
		impl.log = slog.New(slog.DiscardHandler)
	}
	impl.version = cmp.Or(opts.Version, "dev")
	if opts.Token != "" {
		impl.hasToken = true
		impl.token = sha256.Sum256([]byte(opts.Token))
	}
	impl.readTimeout = readTimeout
	impl.maxConns = cmp.Or(max(opts.MaxConns, 0), DefaultMaxConns)
	impl.maxInflight = cmp.Or(max(opts.MaxInflight, 0), DefaultMaxInflight)
	impl.maxInflight = max(impl.maxInflight, impl.maxBody+1) // one largest body always fits
	impl.stats = newStats()
	impl.metrics = newMetrics()
	impl.metrics.setModels([]*model{m})
	impl.mux = impl.routes()
}

// routes lists every route in one place. Each path also has a method-less
// pattern so that a wrong method gets a JSON 405 with an Allow header
// instead of ServeMux's plain-text one, and "/" answers unknown paths with
// a JSON 404.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	var paths []string
	allow := map[string][]string{}
	guarded := map[string]bool{}
	handle := func(method, path string, guard bool, h http.HandlerFunc) {
		if guard {
			h = s.guard(h)
		}
		mux.Handle(method+" "+path, h)
		if allow[path] == nil {
			paths = append(paths, path)
		}
		allow[path] = append(allow[path], method)
		guarded[path] = guard
		s.metrics.route(method + " " + path)
	}
	handle("GET", "/{$}", true, s.handleIndex)
	handle("POST", "/predict", true, s.handlePredict)
	handle("POST", "/models/{name}/predict", true, s.handlePredict)
	handle("GET", "/v2/health/live", false, s.handleLive)
	handle("GET", "/v2/health/ready", false, s.handleReady)
	handle("GET", "/v2", true, s.handleServerMetadata)
	handle("GET", "/v2/{$}", true, s.handleServerMetadata)
	handle("GET", "/v2/models/{name}", true, s.handleModelMetadata)
	handle("GET", "/v2/models/{name}/ready", true, s.handleModelReady)
	handle("POST", "/v2/models/{name}/infer", true, s.handleInfer)
	handle("GET", "/v2/models/{name}/versions/{version}", true, s.handleModelMetadata)
	handle("GET", "/v2/models/{name}/versions/{version}/ready", true, s.handleModelReady)
	handle("POST", "/v2/models/{name}/versions/{version}/infer", true, s.handleInfer)
	handle("GET", "/v1/models/{name}", true, s.handleTFStatus)
	handle("POST", "/v1/models/{name}", true, s.handleTFPredict) // {name} is "iris:predict"
	handle("GET", "/v1/models/{name}/metadata", true, s.handleTFMetadata)
	handle("GET", "/v1/models/{name}/versions/{version}", true, s.handleTFStatus)
	handle("POST", "/v1/models/{name}/versions/{version}", true, s.handleTFPredict) // {version} is "N:predict"
	handle("GET", "/v1/models/{name}/versions/{version}/metadata", true, s.handleTFMetadata)
	handle("POST", "/invocations", true, s.handleInvocations)
	handle("GET", "/metrics", true, s.metrics.handler().ServeHTTP)
	for _, path := range paths {
		na := s.methodNotAllowed(strings.Join(allow[path], ", "))
		if guarded[path] {
			na = s.guard(na)
		}
		mux.Handle(path, na)
	}
	mux.Handle("/", s.guard(s.handleNotFound))
	return mux
}

// ServeHTTP is the outermost middleware: it times and records every
// request (metrics, stats, log) and turns a panic into a JSON 500 so that
// one bad request can never stop the server.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := recorderPool.Get().(*recorder)
	*rec = recorder{ResponseWriter: w}
	defer s.finish(rec, r, start)
	s.mux.ServeHTTP(rec, r)
}

func (s *server) finish(rec *recorder, r *http.Request, start time.Time) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p) // net/http's own signal to drop the connection quietly
		}
		s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !rec.wrote {
			writeError(rec, http.StatusInternalServerError, "internal error: the server failed on this request (logged); please report it")
		}
		rec.status = http.StatusInternalServerError
	}
	dur := time.Since(start)
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	s.metrics.observe(r.Method, r.Pattern, rec.model, status, dur)
	s.stats.record(start, r.Method, r.URL.Path, status, rec.rows, dur, rec.errMsg)
	level := slog.LevelDebug // see logRequest
	if status >= 500 {
		level = slog.LevelError
	} else if status >= 400 {
		level = slog.LevelInfo
	}
	if s.log.Enabled(r.Context(), level) {
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("rows", rec.rows),
			slog.Duration("duration", dur),
			slog.String("remote", r.RemoteAddr),
		}
		if rec.errMsg != "" {
			attrs = append(attrs, slog.String("error", rec.errMsg))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	}
	*rec = recorder{}
	recorderPool.Put(rec)
}

// recorder captures what the handlers did for finish.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	rows   int
	errMsg string
	model  string // the served model the route named, for metrics
}

var recorderPool = sync.Pool{New: func() any { return new(recorder) }}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// noteRows records the rows a request predicted, for stats and logs.
func noteRows(w http.ResponseWriter, n int) {
	if rec, ok := w.(*recorder); ok {
		rec.rows = n
	}
}

// noteModel records the model a route named, for the metrics' model label.
func noteModel(w http.ResponseWriter, m *model) {
	if rec, ok := w.(*recorder); ok {
		rec.model = m.name
	}
}

var (
	ctJSON  = []string{"application/json"}
	nosniff = []string{"nosniff"}
)

// writeJSON writes a complete JSON response. Header values are shared
// read-only slices: net/http only reads them.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = ctJSON
	h["X-Content-Type-Options"] = nosniff
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// writeError answers {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	if rec, ok := w.(*recorder); ok {
		rec.errMsg = msg
	}
	b := make([]byte, 0, len(msg)+16)
	b = append(b, `{"error":`...)
	b = appendJSONString(b, msg)
	b = append(b, "}\n"...)
	writeJSON(w, status, b)
}

// fail answers the error a request caused.
func (s *server) fail(w http.ResponseWriter, err error) {
	ae := asAPIError(err)
	if ae.status == http.StatusServiceUnavailable {
		// Close rather than read the rest of the body first, which
		// net/http would otherwise do (for as long as the client takes).
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Connection", "close")
	}
	writeError(w, ae.status, ae.msg)
}

// guard requires the bearer token when one is set.
func (s *server) guard(h http.HandlerFunc) http.HandlerFunc {
	if !s.hasToken {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		const prefix = "Bearer "
		if auth == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="workbench"`)
			writeError(w, http.StatusUnauthorized, "missing token: send the header 'Authorization: Bearer <token>' (the token given to workbench serve)")
			return
		}
		if len(auth) < len(prefix) || !strings.EqualFold(auth[:len(prefix)], prefix) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="workbench"`)
			writeError(w, http.StatusUnauthorized, "the Authorization header must be 'Bearer <token>'")
			return
		}
		got := sha256.Sum256([]byte(strings.TrimSpace(auth[len(prefix):])))
		if subtle.ConstantTimeCompare(got[:], s.token[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="workbench", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "wrong token")
			return
		}
		h(w, r)
	}
}

func (s *server) methodNotAllowed(allow string) http.HandlerFunc {
	allow = strings.Replace(allow, "GET", "GET, HEAD", 1)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; use %s", r.Method, r.URL.Path, allow))
	}
}

func (s *server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s; GET / lists the routes", r.Method, r.URL.Path))
}

// readBody reads a JSON request body into sc.body, enforcing the content
// type and the size limit.
func (s *server) readBody(w http.ResponseWriter, r *http.Request, sc *scratch) error {
	if err := checkContentType(header(r, "Content-Type")); err != nil {
		return err
	}
	if ce := header(r, "Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return errorf(http.StatusUnsupportedMediaType, "Content-Encoding %q is not supported; send the body uncompressed", ce)
	}
	if r.ContentLength > s.maxBody {
		return errorf(http.StatusRequestEntityTooLarge, "request body of %d bytes is over the limit of %d bytes (--max-body)", r.ContentLength, s.maxBody)
	}
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	// Every byte held is reserved first, whatever the pooled buffer's
	// capacity: the claimed length up front, or a body of unknown length
	// in doubling steps. MaxBytesReader reads at most maxBody+1 bytes.
	if r.ContentLength > 0 {
		if err := s.reserve(sc, r.ContentLength+1); err != nil {
			return err
		}
	}
	buf := sc.body[:0]
	if want := int(r.ContentLength) + 1; r.ContentLength > 0 && cap(buf) < want {
		buf = make([]byte, 0, want) // +1: reading EOF needs no second allocation
	}
	for {
		if int64(len(buf)) >= sc.held {
			if err := s.reserve(sc, min(int64(2*len(buf)+4096), s.maxBody+1)); err != nil {
				return err
			}
		}
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), sc.held)
			copy(nb, buf)
			buf = nb
		}
		n, err := body.Read(buf[len(buf):min(int64(cap(buf)), sc.held)])
		buf = buf[:len(buf)+n]
		if err != nil {
			sc.body = buf
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// reserve makes sure sc holds at least n bytes of the server's budget for
// request bodies in flight (--max-inflight), or answers 503: past the
// budget, a server holding hundreds of slow uploads would grow without
// bound. putScratch gives the bytes back.
func (s *server) reserve(sc *scratch, n int64) error {
	need := n - sc.held
	if need <= 0 {
		return nil
	}
	if s.bodies.Add(need) > s.maxInflight {
		s.bodies.Add(-need)
		return &apiError{status: http.StatusServiceUnavailable, msg: fmt.Sprintf("the server is busy: request bodies in flight are at the limit of %d bytes (--max-inflight); retry shortly", s.maxInflight)}
	}
	sc.held, sc.budget = n, &s.bodies
	return nil
}
