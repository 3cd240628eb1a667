// Command workbench trains small neural networks in the terminal and serves
// them over HTTP. With no arguments it opens the TUI; subcommands run every
// step headless.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first Ctrl-C asks for a clean stop (training saves the session
		// as stopped); once it has, a second one kills as usual.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "workbench:", err)
		}
		os.Exit(1)
	}
}

// errUsageShown is returned after usage was printed for a bad command line.
var errUsageShown = errors.New("usage shown")

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"tui", "open the terminal UI (the default)", runTUI},
		{"datasets", "list the built-in, synthetic and installed datasets", runDatasets},
		{"train", "train a model and save it as a session", runTrain},
		{"sessions", "list, show, rename and remove sessions", runSessions},
		{"predict", "predict with a session's model from CSV or JSON rows", runPredict},
		{"serve", "serve a session's model over HTTP", runServe},
		{"export", "export a session's model (onnx, safetensors, json, triton)", runExport},
		{"ssh", "host the TUI over SSH for a team", runSSH},
	}
}

// run is the whole program: main only adds the signal context and exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help") {
		return helpIsSuccess(runTUI(ctx, args, stdout, stderr))
	}
	switch args[0] {
	case "-h", "--help", "help":
		if args[0] == "help" && len(args) > 1 {
			// `workbench help train` is `workbench train --help`.
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return helpIsSuccess(c.run(ctx, args[1:], stdout, stderr))
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

// helpIsSuccess makes a command that only printed its --help exit 0.
func helpIsSuccess(err error) error {
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: workbench [command] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'workbench COMMAND --help' for a command's flags and examples.")
}
