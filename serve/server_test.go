package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMetrics(t *testing.T) {
	h := New(irisSession(t, 1), Options{}).Handler()
	for i := 0; i < 3; i++ {
		do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3,4],[5,6,7,8]]}`)
	}
	do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3]]}`)
	do(t, h, "GET", "/predict", "", "")
	do(t, h, "GET", "/nowhere", "", "")
	do(t, h, "POST", "/v2/models/iris/infer", "", `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}`)
	do(t, h, "POST", "/models/nope/predict", "", `{"input_data": [[1,2,3,4]]}`)
	do(t, h, "BREW", "/predict", "", "")
	do(t, h, "GET", "/v1/models/iris", "", "")
	_, _, b := do(t, h, "GET", "/metrics", "", "")
	// Each route appears once, by its pattern without the method: the old
	// "POST /predict" twin series is gone.
	if strings.Contains(string(b), `route="POST `) || strings.Contains(string(b), `route="GET `) {
		t.Errorf("a route label still carries its method:\n%s", b)
	}
	for _, want := range []string{
		`workbench_http_requests_total{code="200",method="POST",model="",route="/predict"} 3`,
		`workbench_http_requests_total{code="400",method="POST",model="",route="/predict"} 1`,
		`workbench_http_requests_total{code="405",method="GET",model="",route="/predict"} 1`,
		`workbench_http_requests_total{code="404",method="GET",model="",route="/"} 1`,
		`workbench_http_requests_total{code="200",method="POST",model="iris",route="/v2/models/{name}/infer"} 1`,
		`workbench_http_requests_total{code="404",method="POST",model="",route="/models/{name}/predict"} 1`,
		`workbench_http_requests_total{code="405",method="other",model="",route="/predict"} 1`,
		`workbench_http_request_duration_seconds_count{method="POST",model="",route="/predict"} 4`,
		`workbench_http_request_duration_seconds_count{method="GET",model="iris",route="/v1/models/{name}"} 1`,
		`workbench_http_requests_total{code="200",method="GET",model="",route="/v2/health/ready"} 0`,
		`workbench_predicted_rows_total 7`,
		`workbench_model_info{name="iris",session="20261130-163000-ab12"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// Two servers in one process must not share (or fight over) a registry.
func TestTwoServersHaveTheirOwnMetrics(t *testing.T) {
	a := New(irisSession(t, 1), Options{}).Handler()
	b := New(irisSession(t, 2), Options{}).Handler()
	do(t, a, "POST", "/predict", "", `{"input_data": [[1,2,3,4]]}`)
	_, _, body := do(t, b, "GET", "/metrics", "", "")
	if !strings.Contains(string(body), `code="200",method="POST",model="",route="/predict"} 0`) {
		t.Error("server b counts server a's request")
	}
}

func TestStats(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	h := s.Handler()
	do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3,4],[5,6,7,8]]}`)
	do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3]]}`)
	do(t, h, "GET", "/v2/health/ready", "", "")
	st := s.Stats()
	if st.Requests != 3 || st.Errors != 1 || st.Rows != 2 {
		t.Errorf("counts %d/%d/%d, want 3/1/2", st.Requests, st.Errors, st.Rows)
	}
	if len(st.Recent) != 3 || st.Recent[0].Path != "/v2/health/ready" || st.Recent[1].Status != 400 ||
		!strings.Contains(st.Recent[1].Error, "has 3 values") || st.Recent[2].Rows != 2 {
		t.Errorf("recent %+v", st.Recent)
	}
	if st.P50 <= 0 || st.P99 < st.P50 {
		t.Errorf("p50 %v p99 %v", st.P50, st.P99)
	}
	if len(st.PerSecond) != 60 {
		t.Fatalf("%d per-second values", len(st.PerSecond))
	}
	// A second later, the second that held them is complete.
	later := s.impl.stats.snapshot(time.Now().Add(time.Second))
	if total := sum(later.PerSecond); total != 3 && sum(s.impl.stats.snapshot(time.Now().Add(2*time.Second)).PerSecond) != 3 {
		t.Errorf("per-second counts sum to %v, want 3", total)
	}
	for i := 0; i < 30; i++ {
		do(t, h, "GET", "/v2/health/live", "", "")
	}
	if st := s.Stats(); len(st.Recent) != recentLen || st.Requests != 33 {
		t.Errorf("%d recent of %d requests", len(st.Recent), st.Requests)
	}
}

func sum(v []float64) (s float64) {
	for _, x := range v {
		s += x
	}
	return s
}

func TestLatencyBuckets(t *testing.T) {
	for _, ns := range []int64{0, 1, 7, 8, 9, 15, 16, 1000, 123456, 1e9, 3.6e12} {
		i := latIndex(ns)
		if i < 0 || i >= latBuckets {
			t.Fatalf("%d ns: bucket %d out of range", ns, i)
		}
		got := int64(latValue(i))
		if d := float64(got-ns) / float64(max(ns, 1)); d > 0.07 || d < -0.07 {
			t.Errorf("%d ns: bucket %d reads %d ns (%.1f%% off)", ns, i, got, 100*d)
		}
	}
}

func TestRequestLog(t *testing.T) {
	var buf syncBuffer
	h := New(irisSession(t, 1), Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))}).Handler()
	do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3,4]]}`)
	do(t, h, "POST", "/predict", "", `{"input_data": [[1,2,3]]}`)
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "status=400") || !strings.Contains(out, "has 3 values") {
		t.Errorf("at info, only the failed request is logged, with its error:\n%s", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A handler that panics must give a JSON 500 and leave the server up.
func TestRecover(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	s.impl.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	code, _, b := do(t, s.Handler(), "GET", "/boom", "", "")
	if code != 500 || !strings.Contains(errorOf(t, b), "internal error") {
		t.Errorf("status %d: %s", code, b)
	}
	if code, _, _ := do(t, s.Handler(), "GET", "/v2/health/live", "", ""); code != 200 {
		t.Errorf("after a panic: status %d", code)
	}
}

func TestStartStopRestart(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	if s.Addr() != "" {
		t.Fatal("Addr before Start")
	}
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Fatalf("Addr %q, Start said %q", s.Addr(), addr)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("a second Start should fail")
	}
	post(t, addr, `{"input_data": [[1,2,3,4]]}`, 200)

	// A request in flight (handler running, body still coming) when Stop
	// begins must finish with its answer before Stop returns. The server
	// answers "100 Continue" when the handler first reads the body, which
	// proves the handler runs: a request whose headers are still being read
	// when shutdown begins is dropped by net/http itself.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"input_data": [[1,2,3,4]]}`
	fmt.Fprintf(conn, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue before the body, got %v, %v", resp, err)
	}

	shutdownBegan := make(chan struct{})
	s.impl.life.Lock()
	s.impl.srv.RegisterOnShutdown(func() { close(shutdownBegan) })
	s.impl.life.Unlock()
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(context.Background()) }()
	<-shutdownBegan
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) with a request in flight", err)
	default:
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener is still open after Shutdown began")
	}
	io.WriteString(conn, body)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(rb), "predictions") {
		t.Errorf("in-flight request: %d %s", resp.StatusCode, rb)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if s.Addr() != "" {
		t.Error("Addr after Stop")
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	// The port is free at once: start again on the very same address.
	again, err := s.Start(addr)
	if err != nil {
		t.Fatalf("restart on %s: %v", addr, err)
	}
	post(t, again, `{"input_data": [[1,2,3,4]]}`, 200)
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStartBadAddress(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	if _, err := s.Start("127.0.0.1:99999"); err == nil || !strings.Contains(err.Error(), "127.0.0.1:99999") {
		t.Errorf("err %v", err)
	}
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	other := New(irisSession(t, 1), Options{})
	if _, err := other.Start(addr); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("err %v", err)
	}
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func post(t testing.TB, addr, body string, want int) []byte {
	t.Helper()
	resp, err := client.Post("http://"+addr+"/predict", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, b)
	}
	return b
}

// TestSwapUnderLoad swaps between two models while clients predict: every
// request must succeed and every answer must be wholly one model's, rows
// and labels alike.
func TestSwapUnderLoad(t *testing.T) {
	a, b := irisSession(t, 1), irisSession(t, 99)
	b.Name, b.Data.Classes = "iris2", []string{"A", "B", "C"}
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}}
	body := mustJSON(map[string]any{"input_data": rows})
	answers := map[string]predictResponse{
		"a": {rowsOf(expect(a, rows)), argmaxNames(a, expect(a, rows))},
		"b": {rowsOf(expect(b, rows)), argmaxNames(b, expect(b, rows))},
	}
	if sameRows(answers["a"].Predictions, answers["b"].Predictions) {
		t.Fatal("the two models must differ")
	}
	s := New(a, Options{})
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())

	const clients, each = 8, 150
	var wg sync.WaitGroup
	seen := make(chan string, clients*each)
	errs := make(chan error, clients)
	for c := 0; c < clients; c++ {
		wg.Go(func() {
			for i := 0; i < each; i++ {
				resp, err := client.Post("http://"+addr+"/predict", "application/json", strings.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				var got predictResponse
				err = json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					errs <- fmt.Errorf("status %d, %v", resp.StatusCode, err)
					return
				}
				which := ""
				for k, want := range answers {
					if sameRows(got.Predictions, want.Predictions) && reflect.DeepEqual(got.Labels, want.Labels) {
						which = k
					}
				}
				if which == "" {
					errs <- fmt.Errorf("an answer from neither model (or a mix): %+v", got)
					return
				}
				seen <- which
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	swaps := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			if swaps%2 == 0 {
				s.Swap(b)
			} else {
				s.Swap(a)
			}
			swaps++
			if swaps%50 == 0 {
				// let the clients through between bursts of swaps
				post(t, addr, body, 200)
			}
		}
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	close(seen)
	count := map[string]int{}
	for w := range seen {
		count[w]++
	}
	if count["a"]+count["b"] != clients*each {
		t.Errorf("%d answers, want %d", count["a"]+count["b"], clients*each)
	}
	t.Logf("%d swaps; answers %v", swaps, count)
	if st := s.Stats(); st.Errors != 0 {
		t.Errorf("%d errors", st.Errors)
	}
	_, _, m := do(t, s.Handler(), "GET", "/metrics", "", "")
	if n := regexp.MustCompile(`workbench_model_info\{`).FindAll(m, -1); len(n) != 1 {
		t.Errorf("%d model_info series after swaps", len(n))
	}
}

// A request that never finishes cannot hold Stop beyond its context: Stop
// cuts it, says so, and the port is still free.
func TestStopDeadlineCutsStuckRequest(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"input_data\"")
	post(t, addr, `{"input_data": [[1,2,3,4]]}`, 200) // the server is up and reading
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Stop(ctx); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Stop with a stuck request: %v", err)
	}
	if _, err := io.ReadAll(conn); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Errorf("stuck connection: %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("port not free: %v", err)
	}
	ln.Close()
}

// TestSlowBodyIs408: a body that does not arrive within the read timeout
// is the client's slowness (408 Request Timeout), not a malformed request.
func TestSlowBodyIs408(t *testing.T) {
	s := New(irisSession(t, 1), Options{})
	s.impl.readTimeout = 300 * time.Millisecond
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"input_data\"")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(errorOf(t, b), "did not arrive in time") {
		t.Errorf("slow body: %d %s", resp.StatusCode, b)
	}
}

// TestMetricsPassPromtool scrapes a real server after traffic on several
// routes and models and runs `promtool check metrics` (the Debian
// prometheus package's linter) on the exposition; it skips when promtool
// is absent.
func TestMetricsPassPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	srv := New(irisSession(t, 1), Options{})
	other := irisSession(t, 2)
	other.Name, other.ID = "other", "20261201-000000-zz99"
	srv.Put(other)
	addr, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(context.Background())
	post(t, addr, `{"input_data": [[1,2,3,4]]}`, 200)
	for _, p := range []string{"/v1/models/other", "/v2/models/iris/ready", "/nowhere"} {
		if resp, err := http.Get("http://" + addr + p); err == nil {
			resp.Body.Close()
		}
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	if !strings.Contains(string(body), `model="other",route="/v1/models/{name}"`) {
		t.Errorf("no model label on a named route:\n%s", body)
	}
}
