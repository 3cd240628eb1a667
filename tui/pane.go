package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// pane is the small contract every tab implements. The root alone handles
// tea.WindowSizeMsg and hands each pane its share through SetSize.
type pane interface {
	Init() tea.Cmd
	// Update gets key messages only while the pane is active; every other
	// message reaches every pane.
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	help.KeyMap
	// Capturing reports a focused text field: global keys are then typed
	// into it instead of acting.
	Capturing() bool
	// Title is the tab's name.
	Title() string
}

var (
	_ pane = (*dataPane)(nil)
	_ pane = (*modelPane)(nil)
	_ pane = (*trainPane)(nil)
	_ pane = (*servePane)(nil)
	_ pane = (*sessionsPane)(nil)
)

const (
	paneData = iota
	paneModel
	paneTrain
	paneServe
	paneSessions
)
