package cli

// End-to-end test of `workbench serve`: the real binary trains a session,
// serves it on a free loopback port, answers good and bad requests as the
// engine itself predicts, and exits cleanly on SIGINT.

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"workbench/sessions"
)

func TestServeEndToEnd(t *testing.T) {
	home := t.TempDir()
	out := mustWB(t, "", "train", "--data", "iris", "--epochs", "5", "--home", home, "--json")
	lines := jsonLines(t, out)
	id, _ := lines[len(lines)-1]["session"].(string)
	if id == "" {
		t.Fatalf("no session id in %s", out)
	}
	st, err := sessions.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := st.Load(id)
	if err != nil {
		t.Fatal(err)
	}

	const token = "e2e-token"
	cmd := exec.Command(workbenchBin, "serve", "--session", id, "--home", home, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "WORKBENCH_TOKEN="+token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	printed := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			printed <- sc.Text()
		}
		close(printed)
		exited <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()

	// The banner names the URL and an example curl with a real row.
	var url, example string
	deadline := time.After(30 * time.Second)
	for example == "" {
		select {
		case line, ok := <-printed:
			if !ok {
				t.Fatalf("serve exited early; stderr:\n%s", stderr.String())
			}
			if m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)$`).FindStringSubmatch(line); m != nil {
				url = m[1]
			}
			if m := regexp.MustCompile(`curl -s (\S+)/predict .*Authorization: Bearer \$WORKBENCH_TOKEN.* -d '(.*)'$`).FindStringSubmatch(line); m != nil {
				if m[1] != url {
					t.Errorf("example curl uses %s, server is on %s", m[1], url)
				}
				example = m[2]
			}
		case <-deadline:
			t.Fatalf("no banner; stderr:\n%s", stderr.String())
		}
	}

	call := func(method, path, body string, auth bool) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	engine := func(rows [][]float64) [][]float64 {
		x := mat.NewDense(len(rows), len(rows[0]), nil)
		for i, r := range rows {
			x.SetRow(i, r)
		}
		p := sess.Predict(x)
		out := make([][]float64, len(rows))
		for i := range out {
			out[i] = mat.Row(nil, i, p)
		}
		return out
	}
	same := func(what string, got, want [][]float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
		}
		for i := range want {
			for j := range want[i] {
				if got[i][j] != want[i][j] { // the engine's bits, for 1 row as in a batch
					t.Errorf("%s [%d][%d] = %v, the engine says %v", what, i, j, got[i][j], want[i][j])
				}
			}
		}
	}

	// Good input: the example row, lists and objects, and V2.
	var ex struct {
		InputData [][]float64 `json:"input_data"`
	}
	if err := json.Unmarshal([]byte(example), &ex); err != nil || len(ex.InputData) != 1 || len(ex.InputData[0]) != 4 {
		t.Fatalf("example body %q: %v", example, err)
	}
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}, ex.InputData[0]}
	body, _ := json.Marshal(map[string]any{"input_data": rows})
	code, b := call("POST", "/predict", string(body), true)
	if code != 200 {
		t.Fatalf("predict: %d %s", code, b)
	}
	var pr struct {
		Predictions [][]float64 `json:"predictions"`
		Labels      []string    `json:"labels"`
	}
	if err := json.Unmarshal(b, &pr); err != nil {
		t.Fatal(err)
	}
	want := engine(rows)
	same("/predict", pr.Predictions, want)
	for i, l := range pr.Labels {
		best := 0
		for j, v := range want[i] {
			if v > want[i][best] {
				best = j
			}
		}
		if l != sess.Data.Classes[best] {
			t.Errorf("label %d %q, want %q", i, l, sess.Data.Classes[best])
		}
	}
	code, b = call("POST", "/predict", `{"input_data": [{"petal width (cm)": 0.2, "petal length (cm)": 1.4, "sepal width (cm)": 3.5, "sepal length (cm)": 5.1}]}`, true)
	if err := json.Unmarshal(b, &pr); code != 200 || err != nil {
		t.Fatalf("object row: %d %s", code, b)
	}
	same("object row", pr.Predictions, want[:1])

	code, b = call("POST", "/v2/models/iris/infer", `{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}]}`, true)
	var ir struct {
		Outputs []struct {
			Name string          `json:"name"`
			Data json.RawMessage `json:"data"`
		} `json:"outputs"`
	}
	var probs [][]float64
	if err := json.Unmarshal(b, &ir); code != 200 || err != nil || len(ir.Outputs) != 2 || json.Unmarshal(ir.Outputs[0].Data, &probs) != nil {
		t.Fatalf("infer: %d %s", code, b)
	}
	same("V2 infer", probs, want[:2])

	// Bad input: each a JSON error with the right status, naming the problem.
	bad := []struct {
		method, path, body string
		auth               bool
		status             int
		msg                string
	}{
		{"POST", "/predict", `{"input_data": [[5.1, 3.5, 1.4]]}`, true, 400, "input_data[0] has 3 values; the model takes 4 features: sepal length (cm)"},
		{"POST", "/predict", `{"input_data": [[5.1, 3.5, 1.4, "x"]]}`, true, 400, "input_data[0][3] must be a number"},
		{"POST", "/predict", `not json`, true, 400, "JSON object"},
		{"POST", "/predict", `{"rows": []}`, true, 400, `unknown field "rows"`},
		{"GET", "/predict", ``, true, 405, "use POST"},
		{"GET", "/nowhere", ``, true, 404, "no route"},
		{"GET", "/v2/models/rose", ``, true, 404, `unknown model "rose"`},
		{"POST", "/predict", string(body), false, 401, "missing token"},
		{"POST", "/v2/models/iris/infer", `{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}`, true, 400, "shape is [1, 3]"},
	}
	for _, tc := range bad {
		code, b := call(tc.method, tc.path, tc.body, tc.auth)
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(b, &e); code != tc.status || err != nil || !strings.Contains(e.Error, tc.msg) {
			t.Errorf("%s %s %s: %d %s; want %d with %q", tc.method, tc.path, tc.body, code, b, tc.status, tc.msg)
		}
	}
	if code, _ := call("GET", "/v2/health/ready", "", false); code != 200 {
		t.Errorf("health without a token: %d", code)
	}

	// SIGINT: a clean exit, and the port is free at once.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for line := range printed {
		rest = append(rest, line)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not exit after SIGINT")
	}
	if !strings.Contains(strings.Join(rest, "\n"), "stopped after") {
		t.Errorf("no goodbye line: %q", rest)
	}
	ln, err := net.Listen("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Errorf("port not free after exit: %v", err)
	} else {
		ln.Close()
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", stderr.String())
	}
}
