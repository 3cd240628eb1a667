package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"workbench/sessions"
	"workbench/tui"
)

// tuiOptions are the TUI's flags, taken by `workbench` and `workbench tui`.
type tuiOptions struct {
	home          *string
	session, addr string
	maxMemory     *int64
}

// opensTUI makes cmd open the TUI, with the TUI's flags.
func opensTUI(cmd *cobra.Command) *cobra.Command {
	var o tuiOptions
	fs := cmd.Flags()
	o.home = homeFlag(fs)
	fs.StringVar(&o.session, "session", "", "open this saved session (`id`, id prefix, name or \"latest\")")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "`host:port` the predict server (S) listens on; port 0 picks a free one")
	o.maxMemory = maxMemoryFlag(fs)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return runTUI(cmd.Context(), &o)
	}
	return cmd
}

func newTUICmd() *cobra.Command {
	return opensTUI(&cobra.Command{
		Use:   "tui [flags]",
		Short: "open the terminal UI (the default)",
		Long: "Open the workbench: pick data (1), shape layers (2), train (3, then space),\n" +
			"serve the model with S, and browse saved sessions (5). ? shows every key.",
		Example: examples(
			"workbench",
			"workbench --session latest",
			"workbench tui --home ./wb --addr 127.0.0.1:9090",
		),
		Args: argsBetween(0, 0, "no arguments"),
	})
}

// runTUI opens the terminal UI. Logs go to <home>/workbench.log, never the
// screen.
func runTUI(ctx context.Context, o *tuiOptions) error {
	dir, err := sessions.HomeDir(*o.home)
	if err != nil {
		return err
	}
	store, err := sessions.Open(dir)
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, "workbench.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open log %s: %w", logPath, err)
	}
	defer logf.Close()

	app, err := tui.New(tui.Options{
		Store:     store,
		SessionID: o.session,
		ServeAddr: o.addr,
		Log:       logf,
		Version:   version(),
		Context:   ctx,
		Suspend:   suspendSelf,
		MaxMemory: *o.maxMemory,
	})
	if err != nil {
		return err
	}
	// The signal context is handled by the app (it says so and saves); the
	// program itself must not also catch SIGINT.
	p := tea.NewProgram(app, tea.WithAltScreen(), tea.WithoutSignalHandler())
	stopSuspend := handleSuspend(p)
	_, runErr := p.Run()
	stopSuspend()
	closeErr := app.Close()
	if runErr != nil && ctx.Err() != nil {
		// Stopping on a signal is no failure; after SIGHUP the terminal is
		// gone and reading it fails, which says nothing about the save.
		runErr = nil
	}
	if runErr != nil {
		return fmt.Errorf("tui: %w", runErr)
	}
	return closeErr
}
