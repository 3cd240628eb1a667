package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"workbench/serve"
)

// stopGrace is how long in-flight requests get to finish after SIGINT;
// requests still running then are cut and serve still exits 0 (a test
// shortens it).
var stopGrace = 10 * time.Second

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve [--session ID|latest]... [flags]",
		Short: "serve sessions' models over HTTP",
		Long: "Serve a session's model over HTTP: POST /predict {\"input_data\": [[...]]},\n" +
			"the Open Inference Protocol V2 (/v2/models/NAME/infer, health, metadata),\n" +
			"TF Serving's /v1/models/NAME:predict, MLflow's /invocations and Prometheus\n" +
			"metrics on /metrics. Inputs are raw feature values; the session's scaler is\n" +
			"applied. With a token (--token, --token-file or $WORKBENCH_TOKEN) every route but\n" +
			"/v2/health/* needs 'Authorization: Bearer TOKEN'.\n\n" +
			"Several --session flags serve several models, each under its session's name\n" +
			"(/models/NAME/predict, /v2/models/NAME/infer, /v1/models/NAME:predict); the\n" +
			"first is also served on /predict and /invocations. --follow swaps each name to\n" +
			"its newest session as one appears.",
		Example: examples(
			"workbench serve --session latest",
			"workbench serve --session iris --session digits --follow",
			"workbench serve --sessions 'sweep=digits-sweep and status=finished'",
			"workbench serve --session iris --addr 127.0.0.1:9000 --token s3cret",
			"WORKBENCH_TOKEN=s3cret workbench serve --session 20261130-1642 --max-rows 1000",
			"workbench serve --session iris --token-file ~/.config/workbench/token",
		),
		Args: argsBetween(0, 1, "at most one session"),
	}
	fs := cmd.Flags()
	session := fs.StringArray("session", []string{"latest"}, "session to serve: `ID`, unique ID prefix, name or latest; repeat to serve several models (the first is the default)")
	filter := fs.String("sessions", "", "serve every session the filter `EXPR` matches (the language of 'workbench sessions --filter', e.g. 'sweep=digits-sweep and val_accuracy>=0.97'), the newest of each name, after any --session")
	follow := fs.Bool("follow", false, "serve each name's newest session as it appears (polls the store every 2 s)")
	addr := fs.String("addr", serve.DefaultAddr, "`host:port` to listen on; 0.0.0.0:PORT exposes it to other machines")
	token := fs.String("token", "", "bearer `token` required on every route but health (default $WORKBENCH_TOKEN; it shows in ps, prefer --token-file)")
	tokenFile := fs.String("token-file", "", "read the bearer token from `file` (surrounding whitespace and the final newline are dropped)")
	maxBody := fs.Int64("max-body", serve.DefaultMaxBody, "largest request body in `bytes`")
	maxRows := fs.Int("max-rows", serve.DefaultMaxRows, "most rows in one request")
	maxConns := fs.Int("max-conns", serve.DefaultMaxConns, "most open connections; past it new ones get 503 with Retry-After")
	maxInflight := fs.Int64("max-inflight", serve.DefaultMaxInflight, "most `bytes` of request bodies held at once (at least --max-body); past it requests get 503 with Retry-After")
	logLevel := fs.String("log-level", "info", "`level` of the request log on stderr: debug (every request), info (errors), warn, error")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	home := homeFlag(fs)
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		if len(pos) == 1 {
			*session = pos
		}
		if *filter != "" && !fs.Changed("session") && len(pos) == 0 {
			*session = nil // the filter names them; "latest" is only the default alone
		}
		return runServe(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), serveOptions{
			sessions: *session, filter: *filter, follow: *follow, addr: *addr, token: *token, tokenFile: *tokenFile, maxBody: *maxBody, maxRows: *maxRows,
			maxConns: *maxConns, maxInflight: *maxInflight,
			logLevel: *logLevel, logFormat: *logFormat, home: *home,
		})
	}
	return cmd
}

// serveOptions are serve's flags.
type serveOptions struct {
	sessions                  []string
	filter                    string // --sessions: more sessions by the filter language
	follow                    bool
	addr, token               string
	tokenFile                 string
	maxBody, maxInflight      int64
	maxRows, maxConns         int
	logLevel, logFormat, home string
}

// runServe serves one session's model over HTTP until ctx ends
// (SIGINT/SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, stdout, stderr io.Writer, o serveOptions) error {
	if o.maxBody < 1 {
		return fmt.Errorf("serve: --max-body %d: want at least 1 byte", o.maxBody)
	}
	if err := atLeastOne("serve", flagInt{"max-rows", int64(o.maxRows)}, flagInt{"max-conns", int64(o.maxConns)}); err != nil {
		return err
	}
	if o.maxInflight < o.maxBody {
		return fmt.Errorf("serve: --max-inflight %d is below --max-body %d: a request of the largest allowed size could never be read", o.maxInflight, o.maxBody)
	}
	tok, err := serveToken(o.token, o.tokenFile)
	if err != nil {
		return err
	}
	o.token = tok
	log, err := serveLogger(stderr, o.logLevel, o.logFormat)
	if err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return fmt.Errorf("serve: --addr %q: want host:port, e.g. 127.0.0.1:8080", o.addr)
	}

	st, err := openStore(o.home)
	if err != nil {
		return err
	}
	queries, err := withFiltered(st, o.sessions, o.filter)
	if err != nil {
		return err
	}
	all, err := loadServed(st, queries)
	if err != nil {
		return err
	}
	sess := all[0]
	serveProcs()
	tuneGC()
	srv := serve.New(sess, serve.Options{Token: o.token, MaxBody: o.maxBody, MaxRows: o.maxRows, MaxConns: o.maxConns, MaxInflight: o.maxInflight, Logger: log, Version: version()})
	for _, other := range all[1:] {
		srv.Put(other)
	}
	bound, err := srv.Start(o.addr)
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
	if h, _, _ := net.SplitHostPort(bound); !isLoopback(h) && o.token == "" {
		fmt.Fprintln(stdout, "warning: listening beyond this machine without --token: anyone who can reach the port can use the model")
	}
	fmt.Fprintln(stdout, "try:")
	fmt.Fprintf(stdout, "  %s\n", exampleCurl(url, srv.ExampleRow(), o.token != ""))
	for _, other := range all[1:] {
		fmt.Fprintf(stdout, "also: session %s %q on %s/models/%s/predict\n", other.ID, other.Name, url, other.Name)
	}
	fmt.Fprintf(stdout, "routes: POST /predict, POST /v2/models/%s/infer, GET /v2/health/ready, GET /metrics (GET / lists all)\n", srv.ModelName())
	if o.follow {
		fmt.Fprintln(stdout, "following: each name swaps to its newest session as one appears")
		go followSessions(ctx, st, srv, all, log)
	}
	fmt.Fprintln(stdout, "press Ctrl-C to stop")

	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	if err := srv.Stop(sctx); err != nil {
		// The user asked to stop and it stopped: cutting what outlasted
		// the grace period is the documented outcome, not a failure.
		log.Warn("requests still running after the grace period were cut", "grace", stopGrace.String(), "detail", err.Error())
	}
	s := srv.Stats()
	fmt.Fprintf(stdout, "workbench serve: stopped after %d requests (%d errors, %d rows)\n", s.Requests, s.Errors, s.Rows)
	return nil
}

// serveToken picks the bearer token: --token, else --token-file, else
// $WORKBENCH_TOKEN, and refuses one a client could never send.
func serveToken(flag, file string) (string, error) {
	tok, from := flag, "--token"
	switch {
	case flag != "" && file != "":
		return "", fmt.Errorf("serve: --token and --token-file are both given; use one")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("serve: --token-file: %w", err)
		}
		// A file's final newline and indentation are not part of a token.
		tok, from = strings.TrimSpace(string(b)), "--token-file "+file
		if tok == "" {
			return "", fmt.Errorf("serve: --token-file %s is empty; put the token in it", file)
		}
	case flag == "":
		tok, from = os.Getenv("WORKBENCH_TOKEN"), "$WORKBENCH_TOKEN"
	}
	if err := serve.CheckToken(tok); err != nil {
		return "", fmt.Errorf("serve: %s: %w", from, err)
	}
	return tok, nil
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
