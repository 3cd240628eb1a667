package tui

// This file is the TUI's public API in one place: main and the SSH host
// build on these signatures, so add to them rather than change them, or
// update every caller in the same commit.

import (
	"context"
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
	Version   string             // the build's version, reported by the predict server's GET /v2; "" = "dev"

	// Context, when it ends, makes the app say so on screen, stop a running
	// training (saving it as stopped), stop its server and quit. nil = never.
	Context context.Context

	// FileRoot, when set, confines every path the user types (the Data
	// pane's "open file" and its tab completion, the Sessions pane's export
	// path) to this folder: "~" and relative paths start in it, and a path
	// that leaves it ("..", an absolute path elsewhere, a symbolic link
	// pointing out) is refused with a message. The SSH host sets it to the
	// user's own folder, since every user's program runs as the server's
	// account. "" = no confinement ("~" is the home folder, relative paths
	// start in the current folder). It must be an existing folder.
	FileRoot string
	// FileNote, shown under the "open file" prompt when FileRoot is set,
	// tells the user how files get into it (the SSH host says where the
	// folder is on the host). "" = a line naming FileRoot.
	FileNote string

	// Suspend, when set, stops the process as a shell's ctrl+z does: the
	// program gives back the terminal, and takes it again on fg (cli sends
	// SIGTSTP to itself, which its handler turns into tea.SuspendMsg). nil
	// = ctrl+z is not available (over SSH it would stop the server for
	// everyone) and says so.
	Suspend func()

	// TrainGate, when set, decides when this program's training runs may
	// start (the SSH host shares slots fairly between users); nil = no
	// limit, as in the local TUI.
	TrainGate TrainGate

	// MaxMemory is the most memory, in bytes, loading data may use (the
	// Data pane, an opened session, training); larger data is refused with
	// a message in the Data pane. 0 = datasets.DefaultMaxMemory(). The SSH
	// host gives each user its per-user budget.
	MaxMemory int64

	// ServePorts, when set, is the ports the predict server may take on
	// ServeAddr's host (the SSH host's --port-range): the first free one,
	// taken ones skipped; all taken is said in the Serve pane.
	ServePorts PortRange
}

// TrainGate hands out training turns shared between programs.
type TrainGate interface {
	// Acquire returns once the run may train, with the function that gives
	// the turn back (safe to call more than once); or an error when the run
	// may not train: refused (the error is shown to the user as it is), or
	// ctx ended while it waited. While the run waits, waiting is called on
	// the caller's goroutine with its place in the queue (1 = next) each
	// time the place changes.
	Acquire(ctx context.Context, waiting func(place int)) (release func(), err error)
}

// App is the root Bubble Tea model of one workbench program.
type App struct {
	impl *app
}

var _ tea.Model = (*App)(nil)

// New returns the root model, opening opts.SessionID if set.
func New(opts Options) (*App, error) {
	a, err := newApp(opts)
	if err != nil {
		return nil, err
	}
	return &App{impl: a}, nil
}

func (a *App) Init() tea.Cmd { return a.impl.init() }

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return a, a.impl.update(msg) }

func (a *App) View() string { return a.impl.view() }

// Close stops a running training (the session is saved as stopped) and the
// predict server, and waits for both. Safe to call more than once; call it
// after the program has returned.
func (a *App) Close() error { return a.impl.close() }
