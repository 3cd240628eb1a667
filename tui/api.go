package tui

// This file fixes the TUI's public API so that main and the SSH host can be
// built in parallel. Keep the signatures (add, don't change) unless every
// caller is updated in the same commit.

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/sessions"
)

// Options configure one workbench program (one terminal or SSH connection).
type Options struct {
	Store     *sessions.Store    // where sessions live (per user over SSH)
	SessionID string             // open this saved session instead of the default
	Renderer  *lipgloss.Renderer // this terminal's renderer; nil = lipgloss.DefaultRenderer()
	ServeAddr string             // predict server address; default "127.0.0.1:8080", "127.0.0.1:0" picks a free port
	User      string             // shown in the header (SSH user name), optional
	Log       io.Writer          // log destination (a file), never the terminal; nil discards

	// TrainSlots, when set, limits concurrent training runs across programs:
	// a run sends to it before starting (queueing, and saying so, while full)
	// and receives when it ends.
	TrainSlots chan struct{}
}

// New returns the root model.
func New(opts Options) (tea.Model, error) { panic("not implemented") }
