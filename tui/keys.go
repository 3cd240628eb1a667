package tui

import "github.com/charmbracelet/bubbles/key"

// globalKeys work on every pane unless a text field has focus.
type globalKeys struct {
	Panes    [5]key.Binding
	Next     key.Binding
	Prev     key.Binding
	Help     key.Binding
	Quit     key.Binding
	Serve    key.Binding
	ForceQ   key.Binding
	Yes, No  key.Binding
	Escape   key.Binding
	PaneHelp key.Binding
	Suspend  key.Binding
	Palette  key.Binding
	// Background flips the colours between dark and light backgrounds:
	// over SSH the client is never asked (a terminal that does not answer
	// stalled the first frame), so dark is assumed.
	Background key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Panes: [5]key.Binding{
			key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "data")),
			key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "model")),
			key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "train")),
			key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "serve")),
			key.NewBinding(key.WithKeys("5"), key.WithHelp("5", "sessions")),
		},
		Next:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ForceQ:     key.NewBinding(key.WithKeys("ctrl+c")),
		Serve:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "serve")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y", "enter")),
		No:         key.NewBinding(key.WithKeys("n", "N", "esc")),
		Escape:     key.NewBinding(key.WithKeys("esc")),
		Background: key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "colours for a light/dark background")),
		Palette:    key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "all actions, by name")),
		Suspend:    key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend (fg resumes)")),
	}
}

// k is shorthand for a binding with one help entry.
func k(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// brief is b with a shorter description for the footer: the keys are b's
// own, so the footer cannot drift from what the keys do.
func brief(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// both is one footer entry for two bindings (K/J move): it holds the keys
// of both, as matched.
func both(a, b key.Binding, help, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(append([]string(nil), a.Keys()...), b.Keys()...)...), key.WithHelp(help, desc))
}
