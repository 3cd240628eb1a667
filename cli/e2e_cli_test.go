package cli

// End-to-end tests of the headless commands (datasets, train, sessions,
// predict): the real binary, built once in TestMain, run in a temporary
// home, checked by its output and exit code as a user or script sees them.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"workbench/engine/gemm"
	"workbench/serve"
	"workbench/sessions"
)

// workbenchBin is the binary under test, built by TestMain.
var workbenchBin string

func TestMain(m *testing.M) {
	// In-process servers and models must compute as the binary does: to
	// the last bit, on the same Dgemm.
	gemm.Install()
	dir, err := os.MkdirTemp("", "workbench-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workbenchBin = filepath.Join(dir, "workbench")
	// The main package at the module root: main.go is all there is of it.
	build := exec.Command("go", "build", "-o", workbenchBin, "workbench")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building workbench for the end-to-end tests:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type cliResult struct {
	stdout, stderr string
	code           int
}

// wb runs the binary with stdin and args; no environment home leaks in.
func runWB(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, workbenchBin, args...)
	cmd.Env = append(os.Environ(), "WORKBENCH_HOME=", "XDG_DATA_HOME=", "HOME="+t.TempDir())
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("workbench %v: %v", args, err)
	}
	return cliResult{o.String(), e.String(), code}
}

// mustWB runs a command that must succeed.
func mustWB(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := runWB(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("workbench %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// jsonLines decodes JSON lines into maps.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatalf("not a JSON line: %q (%v)", line, err)
		}
		objs = append(objs, o)
	}
	return objs
}

func TestCLIHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"datasets", "--help"}, []string{"usage: workbench datasets", "-json", "examples:"}},
		{[]string{"train", "-h"}, []string{"usage: workbench train", "-layers", "-patience", "-session", "(default \"64:relu\")", "examples:", "Ctrl-C"}},
		{[]string{"sessions", "--help"}, []string{"usage: workbench sessions", "rename ID NAME", "-home", "examples:"}},
		{[]string{"predict", "--help"}, []string{"usage: workbench predict", "-input", "input_data", "examples:"}},
		{[]string{"help", "train"}, []string{"usage: workbench train"}},
		{[]string{"--help"}, []string{"train", "sessions", "predict", "serve"}},
	}
	for _, tc := range tests {
		r := runWB(t, "", tc.args...)
		if r.code != 0 {
			t.Errorf("%v: exit %d, %s", tc.args, r.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: help lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
	}
}

func TestCLIBadInput(t *testing.T) {
	home := t.TempDir()
	mustWB(t, "", "train", "--data", "iris", "--epochs", "2", "--home", home, "--name", "base")
	h := []string{"--home", home}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown flag", "", []string{"train", "--data", "iris", "--bogus"}, "train: unknown flag: --bogus"},
		{"bad number", "", []string{"train", "--data", "iris", "--epochs", "lots"}, "invalid argument \"lots\" for \"--epochs\" flag"},
		{"bad spec", "", []string{"train", "--data", "iris", "--layers", "64:relux"}, "64:relux"},
		{"zero units", "", []string{"train", "--data", "iris", "--layers", "0:relu"}, "0:relu"},
		{"unknown dataset", "", []string{"train", "--data", "irsi"}, "irsi"},
		{"missing file", "", []string{"train", "--data", "./nope.csv"}, "nope.csv"},
		{"no data", "", []string{"train"}, "missing --data"},
		{"bad optimizer", "", []string{"train", "--data", "iris", "--optimizer", "adamm"}, "unknown optimizer \"adamm\""},
		{"zero epochs", "", []string{"train", "--data", "iris", "--epochs", "0"}, "--epochs must be positive"},
		{"no holdout", "", []string{"train", "--data", "iris", "--val", "0", "--test", "0"}, "cannot both be 0"},
		{"big split", "", []string{"train", "--data", "iris", "--val", "0.6", "--test", "0.5"}, "nothing to train on"},
		{"bad task", "", []string{"train", "--data", "iris", "--task", "clustering"}, "unknown task"},
		{"continue unknown", "", []string{"train", "--session", "nope"}, "no session matches \"nope\""},
		{"continue with spec", "", []string{"train", "--session", "base", "--layers", "8:relu"}, "--layers cannot change"},
		{"extra arg", "", []string{"datasets", "a.csv", "x"}, "unexpected argument \"x\""},
		{"sessions unknown sub", "", []string{"sessions", "frob"}, "unknown subcommand \"frob\""},
		{"show unknown", "", []string{"sessions", "show", "nope"}, "no session matches"},
		{"rename without name", "", []string{"sessions", "rename", "base"}, "missing a session and its new name"},
		{"rename to blank", "", []string{"sessions", "rename", "base", " "}, "cannot be empty"},
		{"rm nothing", "", []string{"sessions", "rm"}, "missing the session(s) to remove"},
		{"predict short row", "1,2,3\n", []string{"predict", "--session", "base"}, "row 1: 3 values, expected 4 (sepal length (cm)"},
		{"predict long row", "5.1,3.5,1.4,0.2\n1,2,3,4,5\n", []string{"predict"}, "row 2: 5 values, expected 4"},
		{"predict not a number", "5.1,x,1.4,0.2\n", []string{"predict"}, "row 1, column 2 (sepal width (cm)): \"x\" is not a number"},
		{"predict json shape", `{"input_data": [[1, 2]]}`, []string{"predict"}, "input_data[0] has 2 values; the model takes 4 features: sepal length (cm)"},
		{"predict json field", `{"inputs": [[1, 2, 3, 4]]}`, []string{"predict"}, "unknown field \"inputs\""},
		{"predict json string", `[[1, "a", 3, 4]]`, []string{"predict"}, "input[0][1] must be a number; got a string"},
		{"predict json flat", `[1, 2, 3, 4]`, []string{"predict"}, "not a flat list of numbers: wrap the row in another list"},
		{"predict json unknown feature", `[{"petal": 1}]`, []string{"predict"}, "input[0] has unknown feature \"petal\""},
		{"predict bad json", `{"input_data": [[1, 2, 3, 4]`, []string{"predict"}, "bad JSON at byte 28"},
		{"predict empty", "", []string{"predict"}, "no rows in the input"},
		{"predict missing file", "", []string{"predict", "--input", "/nonexistent.csv"}, "no such file"},
		{"predict wrong header", "a,b,c\n1,2,3\n", []string{"predict"}, "does not name the session's 4 features"},
		{"unknown command", "", []string{"trian"}, "unknown command \"trian\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runWB(t, tc.stdin, append(tc.args, h...)...)
			if r.code == 0 {
				t.Fatalf("exit 0 for %v; stdout %s", tc.args, r.stdout)
			}
			msg := strings.TrimSpace(r.stderr)
			if strings.Count(msg, "\n") != 0 {
				t.Errorf("error is not one line:\n%s", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("stderr %q lacks %q", msg, tc.want)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
				t.Errorf("a panic reached the user:\n%s", msg)
			}
		})
	}
	// Nothing stored changed: still exactly the one session.
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustWB(t, "", "sessions", "--json", "--home", home)), &list); err != nil || len(list) != 1 || list[0]["name"] != "base" {
		t.Fatalf("bad input changed the store: %v %v", list, err)
	}
}

func TestCLIWorkflow(t *testing.T) {
	home := t.TempDir()
	// Flags after the positional or before, as people type them.
	out := mustWB(t, "", "train", "iris", "--epochs", "30", "--patience", "0", "--name", "first run", "--home", home)
	lines := jsonLines(t, out) // stdout is not a terminal: JSON lines
	if len(lines) != 31 {
		t.Fatalf("%d JSON lines, want 30 epochs + a summary:\n%s", len(lines), out)
	}
	for i, l := range lines[:30] {
		if l["type"] != "epoch" || l["epoch"] != float64(i+1) || l["epochs"] != float64(30) {
			t.Fatalf("line %d: %v", i, l)
		}
		for _, k := range []string{"loss", "accuracy", "val_loss", "val_accuracy", "samples_per_sec"} {
			if _, ok := l[k].(float64); !ok {
				t.Fatalf("epoch line lacks %s: %v", k, l)
			}
		}
	}
	sum := lines[30]
	id, _ := sum["session"].(string)
	if sum["type"] != "summary" || sum["status"] != "finished" || !strings.HasSuffix(id, "-first-run") {
		t.Fatalf("summary %v", sum)
	}
	if acc, _ := sum["test_accuracy"].(float64); acc < 0.8 {
		t.Fatalf("test accuracy %v after 30 epochs of iris", sum["test_accuracy"])
	}

	table := mustWB(t, "", "sessions", "--table", "--home", home)
	for _, w := range []string{"ID", "BEST VAL", id, "first run", "iris", "64:relu", "finished", "30"} {
		if !strings.Contains(table, w) {
			t.Errorf("sessions table lacks %q:\n%s", w, table)
		}
	}
	show := mustWB(t, "", "sessions", "--table", "show", id[:len(id)-3], "--home", home)
	for _, w := range []string{"Session   " + id, "Layers    64:relu", "Total params", "History (30 epochs", "Confusion matrix", "versicolor", "Test (30 rows): loss"} {
		if !strings.Contains(show, w) {
			t.Errorf("sessions show lacks %q:\n%s", w, show)
		}
	}

	// predict --json is exactly what the predict server answers.
	rows := "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,3.0,4.2,1.5\n"
	got := mustWB(t, rows, "predict", "--session", "first run", "--json", "--home", home)
	st, err := sessions.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := st.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/predict", strings.NewReader(`{"input_data": [[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3],[5.9,3.0,4.2,1.5]]}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	serve.New(sess, serve.Options{}).Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != got {
		t.Fatalf("predict --json differs from the server:\ncli    %q\nserver %q (%d)", got, rec.Body.String(), rec.Code)
	}
	// The same rows as JSON (the server's body, a bare list, objects keyed
	// by feature name), and as a CSV with a header in another order plus
	// the target column, give the same answer.
	for _, in := range []string{
		`{"input_data": [[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3],[5.9,3.0,4.2,1.5]]}`,
		` [[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3],[5.9,3.0,4.2,1.5]]` + "\n",
		`[{"petal width (cm)": 0.2, "petal length (cm)": 1.4, "sepal width (cm)": 3.5, "sepal length (cm)": 5.1}, [6.7,3.0,5.2,2.3], [5.9,3.0,4.2,1.5]]`,
	} {
		if j := mustWB(t, in, "predict", "--json", "--home", home); j != got {
			t.Errorf("JSON input %s: %q, want %q", in, j, got)
		}
	}
	// A bad body gets the server's message, word for word.
	for _, body := range []string{
		`{"input_data": [[5.1, 3.5, 1.4]]}`,
		`{"input_data": [[5.1, 3.5, 1.4, "x"]]}`,
		`{"input_data": [{"sepal length (cm)": 5.1}]}`,
		`{"input_data": [[5.1, 3.5, 1.4, 1e999]]}`,
		`{"input_data": []}`,
		`{"input_data": [[1, 2, 3, 4]], "extra": 1}`,
		`{"rows": [[1, 2, 3, 4]]}`,
		`{"input_data": [[1, 2, 3, 4]`,
	} {
		req := httptest.NewRequest(http.MethodPost, "/predict", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		serve.New(sess, serve.Options{}).Handler().ServeHTTP(rec, req)
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); rec.Code != 400 || err != nil || e.Error == "" {
			t.Fatalf("server on %s: %d %s", body, rec.Code, rec.Body)
		}
		r := runWB(t, body, "predict", "--json", "--home", home)
		if want := "standard input: " + e.Error; r.code == 0 || !strings.HasSuffix(strings.TrimSpace(r.stderr), want) {
			t.Errorf("predict on %s: exit %d, stderr %q; want it to end in %q", body, r.code, r.stderr, want)
		}
	}
	hdr := "species,petal width (cm),petal length (cm),sepal width (cm),sepal length (cm)\nsetosa,0.2,1.4,3.5,5.1\nvirginica,2.3,5.2,3.0,6.7\nversicolor,1.5,4.2,3.0,5.9\n"
	in := filepath.Join(t.TempDir(), "rows.csv")
	os.WriteFile(in, []byte(hdr), 0o644)
	if c := mustWB(t, "", "predict", "--input", in, "--json", "--home", home); c != got {
		t.Errorf("CSV with header: %q, want %q", c, got)
	}
	tbl := mustWB(t, rows, "predict", "--table", "--home", home)
	for _, w := range []string{"ROW", "CLASS", "PROB", "setosa", "virginica"} {
		if !strings.Contains(tbl, w) {
			t.Errorf("predict table lacks %q:\n%s", w, tbl)
		}
	}

	// Continue training: history appended, numbering continues.
	cont := jsonLines(t, mustWB(t, "", "train", "--session", "latest", "--epochs", "5", "--home", home))
	if len(cont) != 6 || cont[0]["epoch"] != float64(31) || cont[4]["epoch"] != float64(35) || cont[5]["session"] != id || cont[5]["epochs"] != float64(35) {
		t.Fatalf("continuing: %v", cont)
	}

	mustWB(t, "", "sessions", "rename", id, "renamed", "--home", home)
	var list []map[string]any
	json.Unmarshal([]byte(mustWB(t, "", "sessions", "--json", "--home", home)), &list)
	if len(list) != 1 || list[0]["name"] != "renamed" || list[0]["id"] != id || list[0]["epochs"] != float64(35) {
		t.Fatalf("after rename: %v", list)
	}
	if out := mustWB(t, "", "sessions", "rm", "renamed", "--home", home); !strings.Contains(out, "Removed session "+id) {
		t.Fatalf("rm said %q", out)
	}
	if out := mustWB(t, "", "sessions", "--table", "--home", home); !strings.Contains(out, "No sessions yet") {
		t.Fatalf("after rm: %s", out)
	}
}

func TestCLIRegression(t *testing.T) {
	home := t.TempDir()
	lines := jsonLines(t, mustWB(t, "", "train", "--data", "sine?n=120&seed=2", "--epochs", "5", "--val", "0", "--test", "0.25", "--json", "--home", home))
	sum := lines[len(lines)-1]
	for _, k := range []string{"test_mse", "test_mae", "test_r2"} {
		if _, ok := sum[k].(float64); !ok {
			t.Errorf("regression summary lacks %s: %v", k, sum)
		}
	}
	if lines[0]["val_loss"] != nil || lines[0]["r2"] == nil {
		t.Errorf("without validation, val_loss should be null and r2 present: %v", lines[0])
	}
	out := mustWB(t, "0.5\n1.5\n", "predict", "--json", "--home", home)
	var body map[string]any
	if err := json.Unmarshal([]byte(out), &body); err != nil || body["labels"] != nil || len(body["predictions"].([]any)) != 2 {
		t.Fatalf("regression predict body %q (%v)", out, err)
	}
}

// TestCLIPriceRegression is a user's report: a CSV of house prices near
// 100,000 trained to R² -2.1. With the defaults it now fits, and predict
// answers in the price's units.
func TestCLIPriceRegression(t *testing.T) {
	home := t.TempDir()
	rng := rand.New(rand.NewPCG(21, 22))
	var csv strings.Builder
	csv.WriteString("sqft,bedrooms,age,distance,price\n")
	for i := 0; i < 800; i++ {
		sqft, beds, age, dist := 1500+400*rng.NormFloat64(), float64(1+rng.IntN(5)), 60*rng.Float64(), 0.5+29.5*rng.Float64()
		price := 100000 + 35*(sqft-1500) + 4000*(beds-3) - 300*(age-30) - 800*(dist-15) + 3000*rng.NormFloat64()
		fmt.Fprintf(&csv, "%.1f,%g,%.1f,%.2f,%.0f\n", sqft, beds, age, dist, price)
	}
	path := filepath.Join(t.TempDir(), "prices.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := jsonLines(t, mustWB(t, "", "train", "--data", path, "--task", "regression", "--json", "--home", home))
	sum := lines[len(lines)-1]
	if r2, _ := sum["test_r2"].(float64); r2 < 0.9 {
		t.Fatalf("test R² %v, want >= 0.9; summary %v", sum["test_r2"], sum)
	}
	out := mustWB(t, "1500,3,30,15\n", "predict", "--json", "--home", home)
	var body struct{ Predictions [][]float64 }
	if err := json.Unmarshal([]byte(out), &body); err != nil || len(body.Predictions) != 1 || len(body.Predictions[0]) != 1 {
		t.Fatalf("predict body %q (%v)", out, err)
	}
	if p := body.Predictions[0][0]; math.Abs(p-100000) > 10000 {
		t.Errorf("a typical house predicts %v, want near 100000", p)
	}
}

func TestCLIDamagedSessionListed(t *testing.T) {
	home := t.TempDir()
	good := jsonLines(t, mustWB(t, "", "train", "--data", "iris", "--epochs", "2", "--name", "good", "--home", home))
	bad := jsonLines(t, mustWB(t, "", "train", "--data", "iris", "--epochs", "2", "--name", "bad", "--home", home))
	goodID, badID := good[len(good)-1]["session"].(string), bad[len(bad)-1]["session"].(string)
	if err := os.WriteFile(filepath.Join(home, "sessions", badID, "session.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	table := mustWB(t, "", "sessions", "--table", "--home", home)
	var badLine string
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, badID) {
			badLine = l
		}
	}
	if !strings.Contains(badLine, "DAMAGED: session.json is not valid JSON") || !strings.Contains(table, goodID) {
		t.Fatalf("listing:\n%s", table)
	}
	r := runWB(t, "", "sessions", "show", badID, "--home", home)
	if r.code == 0 || !strings.Contains(r.stderr, "is damaged") {
		t.Fatalf("show damaged: %d %s", r.code, r.stderr)
	}
	mustWB(t, "", "sessions", "rm", badID, "--home", home)
	if out := mustWB(t, "", "sessions", "--table", "show", "latest", "--home", home); !strings.Contains(out, goodID) {
		t.Fatalf("show latest after removing the damaged one:\n%s", out)
	}

	// When the newest session is damaged, "latest" names it and says why,
	// rather than "no sessions yet" or a quiet fallback to an older one.
	newer := jsonLines(t, mustWB(t, "", "train", "--data", "iris", "--epochs", "2", "--name", "newer", "--home", home))
	newerID := newer[len(newer)-1]["session"].(string)
	if err := os.Truncate(filepath.Join(home, "sessions", newerID, "model.safetensors"), 100); err != nil {
		t.Fatal(err)
	}
	r = runWB(t, "", "sessions", "--table", "show", "latest", "--home", home)
	if r.code == 0 || !strings.Contains(r.stderr, newerID+" is damaged") || !strings.Contains(r.stderr, "model.safetensors") {
		t.Fatalf("show latest with the newest damaged: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestCLIInterruptSavesStopped sends SIGINT (Ctrl-C) during a long run:
// training stops, the session is saved as stopped, and the exit code is 0.
func TestCLIInterruptSavesStopped(t *testing.T) {
	home := t.TempDir()
	cmd, sc, stderr := startLongTrain(t, home)
	if !sc.Scan() {
		t.Fatalf("no epoch line; stderr %s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGINT)
	var last string
	for sc.Scan() {
		last = sc.Text()
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after Ctrl-C: %v; stderr %s", err, stderr.String())
	}
	var sum map[string]any
	if err := json.Unmarshal([]byte(last), &sum); err != nil || sum["type"] != "summary" || sum["status"] != "stopped" {
		t.Fatalf("last line %q", last)
	}
	if !strings.Contains(stderr.String(), "stopped") || !strings.Contains(stderr.String(), "workbench train --session") {
		t.Errorf("stderr does not say it stopped and how to continue: %s", stderr.String())
	}
	show := mustWB(t, "", "sessions", "--table", "show", "latest", "--home", home)
	if !strings.Contains(show, "Status    stopped") {
		t.Errorf("session not saved as stopped:\n%s", show)
	}
}

// TestCLITerminalProgress runs train on a pseudo-terminal: a progress line
// per epoch, redrawn in place, then the summary; no JSON.
func TestCLITerminalProgress(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command(workbenchBin, "train", "--data", "iris", "--epochs", "3", "--home", home)
	// TERM=dumb: Bubble Tea's init would otherwise ask this terminal for its
	// colours and wait seconds for an answer nobody sends.
	cmd.Env = append(os.Environ(), "TERM=dumb")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var screen bytes.Buffer
	io.Copy(&screen, tty) // ends with EIO when the child exits
	if err := cmd.Wait(); err != nil {
		t.Fatalf("train on a terminal: %v\n%s", err, screen.String())
	}
	s := screen.String()
	for _, w := range []string{"Training session", "Total params", "Epoch 1/3 [====================]", "samples/s", "val_accuracy:", "Test (30 rows)", "Saved session"} {
		if !strings.Contains(s, w) {
			t.Errorf("terminal output lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, `{"type"`) {
		t.Errorf("JSON on a terminal:\n%s", s)
	}
}

// TestCLIKilledTrainingIsInterrupted kills `workbench train` with SIGKILL:
// the session it was writing stays loadable, is listed as interrupted, and
// can be continued.
func TestCLIKilledTrainingIsInterrupted(t *testing.T) {
	home := t.TempDir()
	mustWB(t, "", "train", "--data", "iris", "--epochs", "3", "--name", "earlier", "--home", home)
	cmd := exec.Command(workbenchBin, "train", "--data", "digits", "--epochs", "100000", "--patience", "0", "--name", "victim", "--home", home)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for n := 0; n < 3 && sc.Scan(); n++ {
	}
	cmd.Process.Kill()
	cmd.Wait()

	var list []map[string]any
	if err := json.Unmarshal([]byte(mustWB(t, "", "sessions", "--json", "--home", home)), &list); err != nil || len(list) != 2 {
		t.Fatalf("after kill -9: %v %v", list, err)
	}
	if list[0]["name"] != "victim" || list[0]["status"] != "interrupted" || list[1]["status"] != "finished" {
		t.Fatalf("after kill -9: %v", list)
	}
	mustWB(t, "5.1,3.5,1.4,0.2\n", "predict", "--session", "earlier", "--home", home)
	cont := jsonLines(t, mustWB(t, "", "train", "--session", "victim", "--epochs", "1", "--home", home))
	if s := cont[len(cont)-1]; s["status"] != "finished" {
		t.Fatalf("continuing an interrupted session: %v", s)
	}
}

// TestCLIInterruptBeforeFirstEpoch: Ctrl-C before the first epoch ended
// (here: a context already cancelled, as after a slow load) keeps no
// untrained session, leaves a continued one as it was, says so in one line
// and exits 0. In process: a signal cannot be timed to land before epoch 1.
func TestCLIInterruptBeforeFirstEpoch(t *testing.T) {
	home := t.TempDir()
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if err := run(stopped, []string{"train", "--data", "iris", "--home", home}, &stdout, &stderr); err != nil {
		t.Fatalf("new session: %v, want exit 0", err)
	}
	const line = "Training stopped before the first epoch ended; nothing was saved.\n"
	if stderr.String() != line || stdout.Len() != 0 {
		t.Fatalf("new session: stdout %q, stderr %q; want nothing and %q", stdout.String(), stderr.String(), line)
	}
	if out := mustWB(t, "", "sessions", "--table", "--home", home); !strings.Contains(out, "No sessions yet") {
		t.Fatalf("an untrained session was kept:\n%s", out)
	}

	sum := jsonLines(t, mustWB(t, "", "train", "--data", "iris", "--epochs", "2", "--home", home))
	id := sum[len(sum)-1]["session"].(string)
	before := mustWB(t, "", "sessions", "--table", "show", id, "--home", home)
	stdout.Reset()
	stderr.Reset()
	if err := run(stopped, []string{"train", "--session", id, "--home", home}, &stdout, &stderr); err != nil {
		t.Fatalf("continued session: %v, want exit 0", err)
	}
	if !strings.Contains(stderr.String(), "nothing was saved; session "+id+" keeps its 2 epochs") || stdout.Len() != 0 {
		t.Fatalf("continued session: stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	// The save changes the "updated" time (on the Created line); nothing else may change.
	strip := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(l, "Created") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if after := mustWB(t, "", "sessions", "--table", "show", id, "--home", home); strip(after) != strip(before) {
		t.Errorf("the continued session changed:\n%s\nwas:\n%s", after, before)
	}
}
