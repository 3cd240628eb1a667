package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"workbench/serve"
)

// stopGrace is how long in-flight requests get to finish after SIGINT.
const stopGrace = 10 * time.Second

// runServe serves one session's model over HTTP until ctx ends
// (SIGINT/SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--session ID|latest] [flags]",
		"Serve a session's model over HTTP: POST /predict {\"input_data\": [[...]]},\n"+
			"the Open Inference Protocol V2 (/v2/models/NAME/infer, health, metadata),\n"+
			"TF Serving's /v1/models/NAME:predict, MLflow's /invocations and Prometheus\n"+
			"metrics on /metrics. Inputs are raw feature values; the session's scaler is\n"+
			"applied. With a token (--token or $WORKBENCH_TOKEN) every route but\n"+
			"/v2/health/* needs 'Authorization: Bearer TOKEN'.",
		[]string{
			"workbench serve --session latest",
			"workbench serve --session iris --addr 127.0.0.1:9000 --token s3cret",
			"WORKBENCH_TOKEN=s3cret workbench serve --session 20261130-1642 --max-rows 1000",
		}, stdout)
	session := fs.String("session", "latest", "session to serve: `ID`, unique ID prefix, name or latest")
	addr := fs.String("addr", serve.DefaultAddr, "`host:port` to listen on; 0.0.0.0:PORT exposes it to other machines")
	token := fs.String("token", "", "bearer `token` required on every route but health (default $WORKBENCH_TOKEN)")
	maxBody := fs.Int64("max-body", serve.DefaultMaxBody, "largest request body in `bytes`")
	maxRows := fs.Int("max-rows", serve.DefaultMaxRows, "most rows in one request")
	logLevel := fs.String("log-level", "info", "`level` of the request log on stderr: debug (every request), info (errors), warn, error")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	home := homeFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := sessionArg(fs, pos, session); err != nil {
		return err
	}
	if *maxBody < 1 {
		return fmt.Errorf("serve: --max-body %d: want at least 1 byte", *maxBody)
	}
	if *maxRows < 1 {
		return fmt.Errorf("serve: --max-rows %d: want at least 1", *maxRows)
	}
	if *token == "" {
		*token = os.Getenv("WORKBENCH_TOKEN")
	}
	log, err := serveLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fmt.Errorf("serve: --addr %q: want host:port, e.g. 127.0.0.1:8080", *addr)
	}

	st, err := openStore(*home)
	if err != nil {
		return err
	}
	sess, err := loadSession(st, *session)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if sess.Model == nil {
		return fmt.Errorf("serve: session %s has no trained model", sess.ID)
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		serve.Version = bi.Main.Version
	}
	serveProcs()
	tuneGC()
	srv := serve.New(sess, serve.Options{Token: *token, MaxBody: *maxBody, MaxRows: *maxRows, Logger: log})
	bound, err := srv.Start(*addr)
	if err != nil {
		return err
	}

	cfg := sess.Model.Config()
	what := fmt.Sprintf("%d features → %d outputs, regression", cfg.Inputs, cfg.Outputs)
	if len(sess.Data.Classes) > 0 {
		what = fmt.Sprintf("%d features → %d classes", cfg.Inputs, cfg.Outputs)
	}
	url := "http://" + bound
	fmt.Fprintf(stdout, "workbench serve: session %s %q (%s) on %s\n", sess.ID, srv.ModelName(), what, url)
	if h, _, _ := net.SplitHostPort(bound); !isLoopback(h) && *token == "" {
		fmt.Fprintln(stdout, "warning: listening beyond this machine without --token: anyone who can reach the port can use the model")
	}
	fmt.Fprintln(stdout, "try:")
	fmt.Fprintf(stdout, "  %s\n", exampleCurl(url, srv.ExampleRow(), *token != ""))
	fmt.Fprintf(stdout, "routes: POST /predict, POST /v2/models/%s/infer, GET /v2/health/ready, GET /metrics (GET / lists all)\n", srv.ModelName())
	fmt.Fprintln(stdout, "press Ctrl-C to stop")

	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	if err := srv.Stop(sctx); err != nil {
		return err
	}
	s := srv.Stats()
	fmt.Fprintf(stdout, "workbench serve: stopped after %d requests (%d errors, %d rows)\n", s.Requests, s.Errors, s.Rows)
	return nil
}

// serveProcs runs the server with three times as many Ps as the default
// on a small machine, unless GOMAXPROCS is set in the environment. A serve
// process shares its few cores with its clients (a load generator, the
// TUI, other programs): with one P per core, a request whose P's thread the
// OS has just descheduled waits out the time slice, and the Linux
// scheduler, fair per thread, gives the server only 2 of the 4 busy threads
// when wrk -t2 runs on 2 cores. Measured with bench/serve.sh's load (wrk
// -t2 -c32, 1 row, 2 cores): p99 17-20 ms at GOMAXPROCS=2, 9-11 ms at 3,
// 5.6-6.2 ms at 4, 3.5-4.2 ms at 6 (8: no better), with requests/s within
// a few percent throughout. Large machines keep the default.
func serveProcs() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	if n := runtime.GOMAXPROCS(0); n < 8 {
		runtime.GOMAXPROCS(3 * n)
	}
}

// gcHeadroom is the heap the serve command lets requests allocate between
// two collections. At the default GOGC=100 the goal is twice the live heap
// (about 8 MB under load with a small model), and the ~2 KB net/http
// allocates per request made ~12 collections a second at 45,000
// requests/s, each stopping all Ps twice. 32 MiB of headroom makes that
// ~2 a second while the heap still fits in cache: measured +3.5%
// requests/s and p99 5.5 ms instead of 6.0 (bench/serve.sh's load, after
// serveProcs). GC was not the main tail: the bare handler runs 4x more
// collections at p99 7 ms.
const gcHeadroom = 32 << 20

// tuneGC keeps the heap goal at the live heap plus gcHeadroom, re-tuned
// after every collection (a finalizer on a sentinel runs once per cycle):
// GOGC is raised while the live heap is small, and stays at the default
// 100 once it is over gcHeadroom (a large model, or many 4 MB bodies in
// flight): the heap goal is the live heap plus max(gcHeadroom, live). A
// GOGC set in the environment is the user's choice and wins; GOMEMLIMIT
// still caps the heap as usual.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	retuneGC(&gcSentinel{})
}

// gcSentinel holds a pointer so that it is not tiny-allocated alongside
// objects that live longer, which would delay its finalizer.
type gcSentinel struct{ _ *int }

func retuneGC(s *gcSentinel) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		live := max(live[0].Value.Uint64(), 1<<20)
		debug.SetGCPercent(int(max(100, gcHeadroom*100/live)))
	}
	runtime.SetFinalizer(s, retuneGC) // s was unreachable: re-arm for the next cycle
}

// serveLogger logs to stderr. Successful requests are logged at debug: at
// tens of thousands of requests a second a line each would cost more than
// the prediction and flood the terminal, while /metrics and the TUI's stats
// already count them. Client errors are logged at info, failures at error.
func serveLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("serve: --log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("serve: --log-format %q: want text or json", format)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// exampleCurl is a command that works as printed: the row is the training
// data's feature means, so the answer is a real prediction.
func exampleCurl(url string, row []float64, token bool) string {
	vals := make([]string, len(row))
	for i, v := range row {
		vals[i] = strconv.FormatFloat(v, 'g', 4, 64)
	}
	auth := ""
	if token {
		auth = ` -H "Authorization: Bearer $WORKBENCH_TOKEN"`
	}
	return fmt.Sprintf(`curl -s %s/predict -H 'Content-Type: application/json'%s -d '{"input_data": [[%s]]}'`, url, auth, strings.Join(vals, ", "))
}
