package cli

// End-to-end tests of issue 16's commands: sweep (JSON lines, the sweep's
// line, Ctrl-C) and the sessions list's --filter and --sort.

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"os/exec"
)

// TestCLISweep2x2: a 2 × 2 sweep prints 4 run summaries tagged with the
// sweep and a last line naming the best by the metric; the sessions list
// finds the 4 runs by the sweep's id and sorts the best first.
func TestCLISweep2x2(t *testing.T) {
	home := t.TempDir()
	lines := jsonLines(t, mustWB(t, "", "sweep", "--data", "iris", "--set", "lr=0.05|0.005", "--set", "layers=8:relu|4:tanh,dropout:0.1",
		"--epochs", "8", "--metric", "val_accuracy", "--home", home))
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 4 summaries and the sweep's: %v", len(lines), lines)
	}
	last := lines[4]
	id, _ := last["sweep"].(string)
	if last["type"] != "sweep" || id != "iris-sweep" || last["runs"] != 4.0 || last["metric"] != "best_val_accuracy" {
		t.Fatalf("sweep line: %v", last)
	}
	for _, l := range lines[:4] {
		if l["type"] != "summary" || l["sweep"] != id || l["status"] != "finished" || l["settings"] == nil {
			t.Errorf("run line: %v", l)
		}
	}
	best, _ := last["best"].(map[string]any)
	var runs []map[string]any
	if err := json.Unmarshal([]byte(mustWB(t, "", "sessions", "--filter", "sweep="+id, "--sort", "-val_accuracy", "--json", "--home", home)), &runs); err != nil || len(runs) != 4 {
		t.Fatalf("sessions --filter sweep=%s: %v %v", id, runs, err)
	}
	top := runs[0]["best_val_accuracy"].(float64)
	for _, r := range runs {
		if r["sweep"] != id || r["best_val_accuracy"].(float64) > top {
			t.Errorf("not sorted best first or not tagged: %v", r)
		}
	}
	if best["best_val_accuracy"] != top {
		t.Errorf("best %v, but the top of the sorted list has %v", best, top)
	}
	// The first of the ties in run order is the best: the list is stable,
	// newest first, so compare the metric, and that the named one is a run.
	found := false
	for _, r := range runs {
		found = found || r["id"] == best["session"]
	}
	if !found {
		t.Errorf("best %v is not one of the runs", best["session"])
	}
	if show := mustWB(t, "", "sessions", "--table", "show", best["session"].(string), "--home", home); !strings.Contains(show, "Sweep") || !strings.Contains(show, "--filter sweep="+id) {
		t.Errorf("sessions show of a sweep's run does not name the sweep:\n%s", show)
	}
}

func TestCLISweepAndFilterErrors(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--data", "iris"}, "at least one --set"},
		{[]string{"sweep", "--data", "iris", "--set", "colour=red|blue"}, `unknown setting "colour"`},
		{[]string{"sweep", "--data", "iris", "--set", "lr=0.1|fast"}, `--set lr: "fast" is not a number`},
		{[]string{"sweep", "--data", "iris", "--set", "layers=8:relu|8:rleu"}, `unknown activation "rleu"`},
		{[]string{"sweep", "--data", "iris", "--set", "lr=0.1|0.2", "--metric", "lr"}, `--metric: "lr" is not a metric`},
		{[]string{"sweep", "--data", "iris", "--set", "lr=0.1|0.2", "--lr", "0.3"}, "--lr and --set lr both given"},
		{[]string{"sweep", "--data", "nosuch", "--set", "lr=0.1|0.2"}, "nosuch"},
		{[]string{"sweep", "--data", "iris", "--set", "lr=0.1", "--random", "0"}, "--random 0: want at least 1"},
		{[]string{"sessions", "--filter", "dataset=iris and acc>0.9"}, `"acc" at position 18: unknown field`},
		{[]string{"sessions", "--filter", "lr>fast"}, `"fast" at position 4`},
		{[]string{"sessions", "--sort", "-bogus"}, `sort: unknown field "bogus"`},
		{[]string{"sessions", "show", "latest", "--sort", "lr"}, "apply to the list"},
	} {
		r := runWB(t, "", append(tc.args, "--home", home)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	// Nothing was stored by the refused sweeps.
	if out := mustWB(t, "", "sessions", "--json", "--home", home); strings.TrimSpace(out) != "[]" {
		t.Errorf("refused sweeps left sessions: %s", out)
	}
}

// TestCLISweepCtrlC: Ctrl-C during a sweep's second run keeps the first
// (finished), saves the second as stopped, starts no third, and exits 0.
func TestCLISweepCtrlC(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command(workbenchBin, "sweep", "--data", "digits", "--set", "epochs=1|100000|2", "--patience", "0", "--home", home)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	buf := make([]byte, 4096)
	var got strings.Builder
	for !strings.Contains(got.String(), "\n") { // the first run's summary
		n, err := out.Read(buf)
		if err != nil {
			t.Fatalf("no first summary: %v; stderr %s", err, stderr.String())
		}
		got.Write(buf[:n])
	}
	// Wait until the second run has an epoch saved (Train snapshots every
	// few seconds), so a stop keeps it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list []map[string]any
		json.Unmarshal([]byte(mustWB(t, "", "sessions", "--filter", "name=digits-sweep-2 and epochs>=1", "--json", "--home", home)), &list)
		if len(list) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second run never saved an epoch")
		}
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	rest := make([]byte, 1<<16)
	for {
		n, err := out.Read(rest)
		got.Write(rest[:n])
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after Ctrl-C: %v; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped by interrupt: 2 runs kept") || !strings.Contains(stderr.String(), "1 not started") {
		t.Errorf("stderr: %s", stderr.String())
	}
	lines := jsonLines(t, got.String())
	if n := len(lines); n != 3 || lines[1]["status"] != "stopped" || lines[2]["type"] != "sweep" || lines[2]["stopped"] != true || lines[2]["not_started"] != 1.0 {
		t.Errorf("output after Ctrl-C: %v", lines)
	}
	var list []map[string]any
	json.Unmarshal([]byte(mustWB(t, "", "sessions", "--filter", "sweep=digits-sweep", "--sort", "name", "--json", "--home", home)), &list)
	if len(list) != 2 || list[0]["status"] != "finished" || list[1]["status"] != "stopped" {
		t.Errorf("stored runs: %v", list)
	}
}
