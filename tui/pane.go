package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/sessions"
)

// component is the contract of everything the root or a pane hands
// messages to: the panes, the form and the export prompt. A component
// reports an outcome with a message through ask, never a return value.
type component interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	help.KeyMap
}

// pane is a tab. The root alone handles tea.WindowSizeMsg and hands each
// pane its share through SetSize.
type pane interface {
	component
	Init() tea.Cmd
	// Capturing reports a focused text field: global keys are then typed
	// into it instead of acting.
	Capturing() bool
	// Title is the tab's name.
	Title() string
}

var (
	_ pane      = (*dataPane)(nil)
	_ pane      = (*modelPane)(nil)
	_ pane      = (*trainPane)(nil)
	_ pane      = (*servePane)(nil)
	_ pane      = (*sessionsPane)(nil)
	_ component = (*form)(nil)
	_ component = (*exportPrompt)(nil)
)

const (
	paneData = iota
	paneModel
	paneTrain
	paneServe
	paneSessions
)

// shared is what panes read of the root's state. What it returns belongs
// to the root and is read-only to panes (a session or dataset is never
// changed once loaded); a pane asks for a change with a request message.
type shared interface {
	// Plan is a copy of what the next run trains.
	Plan() plan
	// Data is the plan's dataset, nil until one loaded.
	Data() *datasets.Dataset
	// Current is the last finished or opened session, and CurrentData its dataset.
	Current() *sessions.Session
	CurrentData() *datasets.Dataset
	// Run describes the active run (Active false when none).
	Run() runView
	// MapSnapshot is run's newest map snapshot, nil when run is not active.
	MapSnapshot(run int) *snapshot
	// Serving describes the predict server.
	Serving() serveView
}

// ask queues a request or outcome message for the root, which handles it
// before the next message: in order, and before anything is drawn.
type ask func(tea.Msg)

// env is what every pane is built with.
type env struct {
	st  *Styles
	sh  shared
	ask ask
}
