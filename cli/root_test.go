package cli

import (
	"bytes"
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// runIn runs workbench in process and returns its stdout, stderr and error.
func runIn(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var o, e bytes.Buffer
	err := run(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

// TestCompletion: `workbench completion bash` writes a script that hands
// every completion to the binary (`workbench __complete ...`), and the
// binary answers with the commands, flags and sessions' subcommands.
func TestCompletion(t *testing.T) {
	script, _, err := runIn(t, "completion", "bash")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"__start_workbench", "__complete", "complete -o default -F __start_workbench workbench"} {
		if !strings.Contains(script, w) {
			t.Errorf("bash completion script lacks %q", w)
		}
	}
	for _, shell := range []string{"zsh", "fish"} {
		if out, _, err := runIn(t, "completion", shell); err != nil || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: %v, %d bytes", shell, err, len(out))
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{""}, []string{"tui", "datasets", "train", "sessions", "predict", "serve", "export", "ssh", "completion"}, nil},
		{[]string{"tr"}, []string{"train"}, []string{"tui", "sessions"}},
		{[]string{"train", "--ep"}, []string{"--epochs"}, []string{"--data"}},
		{[]string{"export", "-"}, []string{"--format", "--output"}, nil},
		{[]string{"sessions", ""}, []string{"list", "show", "rm", "rename"}, nil},
		{[]string{"help", "se"}, []string{"sessions", "serve"}, []string{"train"}},
	} {
		out, _, err := runIn(t, append([]string{"__complete"}, tc.args...)...)
		if err != nil {
			t.Fatalf("__complete %q: %v", tc.args, err)
		}
		var names []string
		for _, l := range strings.Split(out, "\n") {
			if l != "" && !strings.HasPrefix(l, ":") {
				names = append(names, strings.SplitN(l, "\t", 2)[0])
			}
		}
		got := " " + strings.Join(names, " ") + " "
		for _, w := range tc.want {
			if !strings.Contains(got, " "+w+" ") {
				t.Errorf("completing %q: %q lacks %s", tc.args, names, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, " "+w+" ") {
				t.Errorf("completing %q: %q has %s", tc.args, names, w)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runIn(t, "--version")
	if want := "workbench version " + version() + "\n"; err != nil || out != want {
		t.Errorf("--version: %q, %v; want %q", out, err, want)
	}
	for _, tc := range []struct {
		main string
		ok   bool
		want string
	}{
		{"v1.2.3", true, "v1.2.3"},
		{"v0.0.0-20261130154233-abcdef123456+dirty", true, "v0.0.0-20261130154233-abcdef123456+dirty"},
		{"(devel)", true, "dev"},
		{"", true, "dev"},
		{"", false, "dev"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "workbench", Version: tc.main}}
		if got := versionOf(bi, tc.ok); got != tc.want {
			t.Errorf("versionOf(%q, %v) = %q, want %q", tc.main, tc.ok, got, tc.want)
		}
	}
}

// TestCommandLineMistakes: a mistake in the command line is one error
// naming it (Main prints it as one line and exits 1), never the help.
func TestCommandLineMistakes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trian"}, `unknown command "trian"; did you mean "train"? (see 'workbench --help')`},
		{[]string{"trian", "--epochs", "3"}, `unknown command "trian"`},
		{[]string{"help", "trian"}, `unknown command "trian"`},
		{[]string{"--bogus"}, "unknown flag: --bogus (see 'workbench --help')"},
		{[]string{"datasets", "--bogus"}, "datasets: unknown flag: --bogus (see 'workbench datasets --help')"},
		{[]string{"serve", "a", "b"}, `serve: unexpected argument "b"; expected at most one session`},
		{[]string{"tui", "x"}, `tui: unexpected argument "x"; expected no arguments`},
		// Single-dash long flags went with the flag package; they get a hint.
		{[]string{"train", "-home", "x"}, "train: -home: long flags take two dashes: --home"},
		{[]string{"-session=latest"}, "-session=latest: long flags take two dashes: --session (see 'workbench --help')"},
		// --o still names export's -o: the error is the session's, not the flag's.
		{[]string{"export", "--o", "m.onnx", "--session", "nope", "--home", t.TempDir()}, `export: session "nope"`},
	} {
		out, _, err := runIn(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || out != "" {
			t.Errorf("%q: error %v, stdout %q; want one line with %q and no stdout", tc.args, err, out, tc.want)
		}
	}
	var stderr bytes.Buffer
	if code := Main(context.Background(), []string{"trian"}, &bytes.Buffer{}, &stderr); code != 1 || !strings.HasPrefix(stderr.String(), "workbench: unknown command") {
		t.Errorf("Main: exit %d, stderr %q", code, stderr.String())
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"help", "train"}, {"train", "--help"}, {"sessions", "-h"}} {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), args, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "usage: workbench") || stderr.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want the help and exit 0", args, code, stdout.String(), stderr.String())
		}
	}
}

// TestPanicBecomesAMessage: a bug that panics in a command reaches the
// user as one line and exit 1, not a goroutine dump.
func TestPanicBecomesAMessage(t *testing.T) {
	var errb strings.Builder
	code := recovering(&errb, func() int { panic("index out of range [3] with length 2") })
	if code != 1 || !strings.HasPrefix(errb.String(), "workbench: internal error: index out of range") || strings.Contains(errb.String(), "goroutine") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if code := recovering(&errb, func() int { return 0 }); code != 0 {
		t.Fatalf("no panic: exit %d", code)
	}
}
