package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
	"workbench/tui"
)

// runTUI opens the terminal UI: `workbench`, `workbench tui`, with --home,
// --session and --addr. Logs go to <home>/workbench.log, never the screen.
func runTUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tui", "[tui] [flags]",
		"Open the workbench: pick data (1), shape layers (2), train (3, then space),\n"+
			"serve the model with S, and browse saved sessions (5). ? shows every key.",
		[]string{
			"workbench",
			"workbench --session latest",
			"workbench tui --home ./wb --addr 127.0.0.1:9090",
		}, stdout)
	home := homeFlag(fs)
	session := fs.String("session", "", "open this saved session (`id`, id prefix, name or \"latest\")")
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` the predict server (S) listens on; port 0 picks a free one")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments"); err != nil {
		return err
	}
	dir, err := sessions.HomeDir(*home)
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
		SessionID: *session,
		ServeAddr: *addr,
		Log:       logf,
		Context:   ctx,
	})
	if err != nil {
		return err
	}
	// The signal context is handled by the app (it says so and saves); the
	// program itself must not also catch SIGINT.
	p := tea.NewProgram(app, tea.WithAltScreen(), tea.WithoutSignalHandler())
	_, runErr := p.Run()
	closeErr := app.Close()
	if runErr != nil {
		return fmt.Errorf("tui: %w", runErr)
	}
	return closeErr
}
