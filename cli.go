package main

// Helpers shared by every subcommand: flag sets that print their flags and
// examples on --help, flags allowed before or after positional arguments,
// and opening the session store under the resolved home directory.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"workbench/sessions"
)

// errHelpShown is returned by parseFlags after --help printed the usage; run
// turns it into a clean exit.
var errHelpShown = errors.New("help shown")

// newFlagSet returns a flag set for `workbench <name>` whose --help prints
// the synopsis, every flag and the examples to stdout. Flag errors are
// returned (never printed), so the user sees one line naming the bad flag.
//
// synopsis is the first usage line after "usage: workbench ", e.g.
// "train --data REF [flags]"; examples are full command lines, one a line.
func newFlagSet(name, synopsis, description string, examples []string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := stdout
		fmt.Fprintf(w, "usage: workbench %s\n", synopsis)
		if description != "" {
			fmt.Fprintf(w, "\n%s\n", strings.TrimRight(description, "\n"))
		}
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if len(examples) > 0 {
			fmt.Fprintln(w, "\nexamples:")
			for _, e := range examples {
				fmt.Fprintf(w, "  %s\n", e)
			}
		}
	}
	return fs
}

// homeFlag registers the --home flag every command takes.
func homeFlag(fs *flag.FlagSet) *string {
	return fs.String("home", "", "workbench home `dir` (default $WORKBENCH_HOME, $XDG_DATA_HOME/workbench or ~/.local/share/workbench)")
}

// parseFlags parses args allowing flags before, between and after positional
// arguments, as people type them (`sessions rm ID --home DIR`); everything
// after "--" is positional. It returns the positional arguments. On
// -h/--help it prints the usage and returns errHelpShown (run exits 0); a bad
// flag is an error naming it and pointing at --help.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	// The flag package shows the usage on every error too; we want it only
	// for --help, and a single line otherwise.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, errHelpShown
			}
			return nil, fmt.Errorf("%s: %v (see 'workbench %s --help')", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(fs *flag.FlagSet, pos []string, min, max int, what string) error {
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		if len(pos) > max && max >= 0 {
			return fmt.Errorf("%s: unexpected argument %q; expected %s (see 'workbench %s --help')", fs.Name(), pos[max], what, fs.Name())
		}
		return fmt.Errorf("%s: missing %s (see 'workbench %s --help')", fs.Name(), what, fs.Name())
	}
	return nil
}

// sessionArg takes the session from the one optional positional argument:
// `workbench export ID -o f.onnx` is as natural as --session ID.
func sessionArg(fs *flag.FlagSet, pos []string, query *string) error {
	if err := wantArgs(fs, pos, 0, 1, "at most one session"); err != nil {
		return err
	}
	if len(pos) == 1 {
		*query = pos[0]
	}
	return nil
}

// openStore resolves the home directory (flag, else $WORKBENCH_HOME, else
// $XDG_DATA_HOME/workbench, else ~/.local/share/workbench) and opens its
// session store, creating it if needed.
func openStore(home string) (*sessions.Store, error) {
	dir, err := sessions.HomeDir(home)
	if err != nil {
		return nil, err
	}
	return sessions.Open(dir)
}

// loadSession opens the session a user named by id, unique id prefix, name
// or "latest", with its model.
func loadSession(st *sessions.Store, query string) (*sessions.Session, error) {
	id, err := st.Resolve(query)
	if err != nil {
		return nil, err
	}
	return st.Load(id)
}
