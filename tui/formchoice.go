package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Two things make a form quick to edit: a field focused with its old value
// has it selected, so typing replaces it (tabbing into 5.3 and typing 1.5
// gives 1.5, not 5.31.5) and backspace empties it; any other key (←/→,
// home, end) keeps it to edit. And a field with a fixed set of values
// (activation, optimizer, …) cycles through them with ←/→ and lists them.

// choiceKeys cycle a choice field.
var choiceKeys = struct{ Prev, Next key.Binding }{
	Prev: k("←", "previous choice", "left"),
	Next: k("→", "next choice", "right"),
}

// choice appends a field whose value is one of opts; checked refuses any
// other on apply (false when the owner checks it, as a layer's activation
// only matters for a dense layer).
func (f *form) choice(label, value string, opts []string, checked bool) *form {
	var check func(string) error
	if checked {
		check = checkOneOf(opts)
	}
	f.add(label, value, check)
	f.opts[len(f.opts)-1] = opts
	return f
}

// focusField moves the focus to field i, its value selected.
func (f *form) focusField(i int) tea.Cmd {
	f.inputs[f.focus].Blur()
	f.setFresh(false)
	f.focus = i
	f.setFresh(true)
	return f.inputs[i].Focus()
}

// refocus moves the focus to a refused field i, not selected: what was
// typed is there to fix.
func (f *form) refocus(i int) tea.Cmd {
	cmd := f.focusField(i)
	f.setFresh(false)
	return cmd
}

// setFresh marks the focused field's value as selected (or not), drawn
// reversed while it is.
func (f *form) setFresh(b bool) {
	f.fresh = b
	if b && f.inputs[f.focus].Value() != "" {
		f.inputs[f.focus].TextStyle = f.st.Bold.Reverse(true)
	} else {
		f.inputs[f.focus].TextStyle = f.st.Bold
	}
}

// editKey handles the keys of the two behaviours above; true when msg was
// used up.
func (f *form) editKey(km tea.KeyMsg) bool {
	in := &f.inputs[f.focus]
	if opts := f.opts[f.focus]; len(opts) > 0 && (key.Matches(km, choiceKeys.Prev) || key.Matches(km, choiceKeys.Next)) {
		d := 1
		if key.Matches(km, choiceKeys.Prev) {
			d = len(opts) - 1
		}
		i := -1 // a typed value not among opts goes to the first
		for j, o := range opts {
			if o == strings.TrimSpace(in.Value()) {
				i = j
			}
		}
		if i < 0 {
			i = len(opts) - d%len(opts)
		}
		in.SetValue(opts[(i+d)%len(opts)])
		in.CursorEnd()
		in.Width = max(3, len(in.Value())+1)
		f.setFresh(true) // typing after a cycle still replaces
		return true
	}
	if !f.fresh {
		return false
	}
	f.setFresh(false)
	switch km.Type {
	case tea.KeyRunes, tea.KeySpace:
		in.SetValue("")
	case tea.KeyBackspace, tea.KeyDelete:
		in.SetValue("")
		return true
	}
	return false
}

// choicesView lists the focused choice field's options, its value marked.
func (f *form) choicesView() string {
	opts := f.opts[f.focus]
	if len(opts) == 0 {
		return ""
	}
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = o
		if o == f.value(f.focus) {
			parts[i] = "[" + o + "]"
		}
	}
	line := "←/→ " + strings.Join(parts, " · ")
	return strings.Join(wrapRunes(line, max(10, f.width), 2), "\n")
}
