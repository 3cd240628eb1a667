package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIPipedOutputIsJSON: every command that prints data prints JSON
// when stdout is not a terminal (these tests read it through a pipe),
// a table with --table, and refuses --json with --table (issue 18).
func TestCLIPipedOutputIsJSON(t *testing.T) {
	home := t.TempDir()
	mustWB(t, "", "train", "--home", home, "--data", "iris", "--epochs", "2", "--name", "piped")
	for _, c := range []struct {
		name, stdin string
		args        []string
		table       string // a word the table form prints
	}{
		{"datasets", "", []string{"datasets"}, "DESCRIPTION"},
		{"sessions", "", []string{"sessions"}, "BEST VAL"},
		{"sessions show", "", []string{"sessions", "show", "latest"}, "Total params"},
		{"predict", "5.1,3.5,1.4,0.2\n", []string{"predict"}, "PROB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(c.args, "--home", home)
			out := mustWB(t, c.stdin, args...)
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("piped output is not JSON (%v):\n%s", err, out)
			}
			if tbl := mustWB(t, c.stdin, append(args, "--table")...); !strings.Contains(tbl, c.table) {
				t.Fatalf("--table printed no table (%q):\n%s", c.table, tbl)
			}
			r := runWB(t, c.stdin, append(args, "--table", "--json")...)
			if r.code != 1 || !strings.Contains(r.stderr, "--json and --table") {
				t.Fatalf("--json --table: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

// TestCLIClassReport: train's summary line carries the class report and
// sessions show prints it, with macro and weighted averages (issue 17).
func TestCLIClassReport(t *testing.T) {
	home := t.TempDir()
	lines := jsonLines(t, mustWB(t, "", "train", "--home", home, "--data", "iris", "--epochs", "5", "--json"))
	sum := lines[len(lines)-1]
	rep, ok := sum["class_report"].(map[string]any)
	if !ok {
		t.Fatalf("summary has no class_report: %v", sum)
	}
	classes, _ := rep["classes"].([]any)
	macro, _ := rep["macro_avg"].(map[string]any)
	if len(classes) != 3 || macro == nil || rep["accuracy"] != sum["test_accuracy"] {
		t.Fatalf("class_report %v", rep)
	}
	support := 0.0
	for _, c := range classes {
		support += c.(map[string]any)["support"].(float64)
	}
	if support != 30 {
		t.Fatalf("supports add to %v, the test split has 30 rows", support)
	}
	show := mustWB(t, "", "sessions", "show", "latest", "--table", "--home", home)
	for _, want := range []string{"Per class (test):", "PRECISION", "macro avg", "weighted avg", "versicolor"} {
		if !strings.Contains(show, want) {
			t.Errorf("sessions show lacks %q", want)
		}
	}
}
