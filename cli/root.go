package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"workbench/engine/gemm"
	"workbench/sessions"
)

// Main runs workbench with args (the command line without the program
// name) and returns the exit code: 0 on success and after --help, 1 on any
// error, which is printed as one line "workbench: <error>" on stderr.
// Cancelling ctx is the user's Ctrl-C: commands stop cleanly (training saves
// the session as stopped) and that is no error.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// blas64 is process-wide: the program, not an import, picks the
	// engine's fast Dgemm (WORKBENCH_GEMM may override it).
	gemm.Install()
	if err := run(ctx, args, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "workbench:", err)
		return 1
	}
	return 0
}

// run is the whole program but the exit code; tests call it in process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if args == nil {
		args = []string{} // cobra would read os.Args for nil
	}
	root := newRootCmd(args)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}

func init() {
	// `workbench --help` lists the commands in the order people meet
	// them (tui first, the servers last), not alphabetically.
	cobra.EnableCommandSorting = false
}

// writeHelp prints help in workbench's layout (not cobra's): the
// synopsis, the description, the commands, the flags and the examples, in
// that order. It is Go, not a cobra help template: text/template's
// reflection would stop the linker from dropping unused methods and add
// megabytes to the binary.
func writeHelp(c *cobra.Command, _ []string) {
	var b strings.Builder
	b.WriteString("usage: " + c.UseLine())
	if u := c.Annotations["usage"]; u != "" {
		b.WriteString("\n       " + u)
	}
	b.WriteString("\n")
	if c.Long != "" {
		b.WriteString("\n" + strings.TrimRight(c.Long, " \t\n") + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\ncommands:")
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				fmt.Fprintf(&b, "\n  %-*s %s", sub.NamePadding(), sub.Name(), sub.Short)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nflags:\n" + strings.TrimRight(c.LocalFlags().FlagUsages(), " \t\n") + "\n")
	if c.HasExample() {
		b.WriteString("\nexamples:\n" + c.Example + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\nRun 'workbench COMMAND --help' for a command's flags and examples.\n")
	}
	io.WriteString(c.OutOrStdout(), b.String())
}

// newRootCmd is `workbench`: with no command it opens the TUI, so it takes
// the TUI's flags. args is the command line, for the flag errors.
func newRootCmd(args []string) *cobra.Command {
	root := opensTUI(&cobra.Command{
		Use:   "workbench [command] [flags]",
		Short: "train and serve small neural networks in the terminal",
		Long: "With no command, workbench opens the terminal UI (the flags below are the\n" +
			"TUI's); the commands run every step headless, for scripts.",
		Example: examples(
			"workbench --home ./wb",
			"workbench train --data iris",
			"workbench completion bash > ~/.local/share/bash-completion/completions/workbench",
		),
		Version:                    version(),
		Args:                       noCommand,
		SuggestionsMinimumDistance: 2,
		SilenceErrors:              true, // Main prints the one line
		SilenceUsage:               true, // an error is not a reason to print the help
	})
	root.SetHelpFunc(writeHelp)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return flagError(cmd, err, args)
	})
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(
		newTUICmd(),
		newDatasetsCmd(),
		newTrainCmd(),
		newSweepCmd(),
		newSessionsCmd(),
		newPredictCmd(),
		newServeCmd(),
		newExportCmd(),
		newSSHCmd(),
	)
	for _, c := range root.Commands() {
		// Each synopsis says where its flags go.
		c.DisableFlagsInUseLine = true
	}
	return root
}

// newHelpCmd is `workbench help [command]`. Cobra's own answers an unknown
// topic with the usage and exit 0; this one fails as `workbench trian`
// does.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show a command's flags and examples",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range c.Root().Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return err
			}
			if target == c.Root() && len(rest) > 0 {
				return noCommand(target, rest)
			}
			return target.Help()
		},
	}
}

// noCommand is the root's argument check: a positional argument there is a
// command name nobody defined.
func noCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return errors.New(msg + " (see 'workbench --help')")
}

// flagError makes a bad flag one line naming it and the command's --help.
// args is the whole command line: a long flag typed with one dash, as the
// flag package took it (-home), gets a hint instead of pflag's puzzle
// ("unknown shorthand flag: 'o' in -ome").
func flagError(cmd *cobra.Command, err error, args []string) error {
	if !cmd.HasParent() {
		// `workbench trian --epochs 3`: the root does not know --epochs,
		// but the real mistake is the command's name.
		if pos := cmd.Flags().Args(); len(pos) > 0 {
			return noCommand(cmd, pos)
		}
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if len(name) > 1 && a[1] != '-' && cmd.Flags().Lookup(name) != nil {
			err = fmt.Errorf("%s: long flags take two dashes: --%s", a, name)
			break
		}
	}
	if !cmd.HasParent() {
		return fmt.Errorf("%v (see 'workbench --help')", err)
	}
	return fmt.Errorf("%s: %v (see 'workbench %s --help')", cmd.Name(), err, cmd.Name())
}

// version is the module version the binary was built at ("dev" for a
// build from a work tree without one).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	return versionOf(bi, ok)
}

func versionOf(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev"
	}
	return bi.Main.Version
}

// examples formats full command lines for a command's Example field.
func examples(lines ...string) string {
	return "  " + strings.Join(lines, "\n  ")
}

// homeFlag registers the --home flag every command takes.
func homeFlag(fs *pflag.FlagSet) *string {
	return fs.String("home", "", "workbench home `dir` (default $WORKBENCH_HOME, $XDG_DATA_HOME/workbench or ~/.local/share/workbench)")
}

// argsBetween accepts min to max positional arguments (max < 0: any
// number more); what says what they are, for the error.
func argsBetween(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, pos []string) error {
		return checkArgs(cmd.Name(), pos, min, max, what)
	}
}

// checkArgs is argsBetween for a command that reads its first argument
// itself (sessions' subcommands).
func checkArgs(name string, pos []string, min, max int, what string) error {
	switch {
	case max >= 0 && len(pos) > max:
		return fmt.Errorf("%s: unexpected argument %q; expected %s (see 'workbench %s --help')", name, pos[max], what, name)
	case len(pos) < min:
		return fmt.Errorf("%s: missing %s (see 'workbench %s --help')", name, what, name)
	}
	return nil
}

// sessionArg takes the session from the one optional positional argument:
// `workbench export ID -o f.onnx` is as natural as --session ID.
func sessionArg(pos []string, query *string) {
	if len(pos) == 1 {
		*query = pos[0]
	}
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

// flagInt is a count flag's name and value, for atLeastOne.
type flagInt struct {
	name  string
	value int64
}

// atLeastOne checks count flags that must be 1 or more, naming the first
// that is not: "serve: --max-rows 0: want at least 1".
func atLeastOne(cmd string, flags ...flagInt) error {
	for _, f := range flags {
		if f.value < 1 {
			return fmt.Errorf("%s: --%s %d: want at least 1", cmd, f.name, f.value)
		}
	}
	return nil
}
