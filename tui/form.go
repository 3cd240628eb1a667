package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// form is a row of labelled text fields edited in place: tab moves, enter
// checks every field and applies, esc cancels; either way it asks its
// owner formDoneMsg. A refused value keeps the form open with the reason
// beside it.
type form struct {
	st     *Styles
	ask    ask
	width  int
	title  string
	labels []string
	inputs []textinput.Model
	check  []func(string) error
	opts   [][]string // a choice field's values (formchoice.go), nil for free text
	focus  int
	fresh  bool // the focused field's value is selected: typing replaces it
	err    string
	active bool
}

// formKeyMap is the keys of an open form.
type formKeyMap struct {
	Next, Prev, Apply, Cancel key.Binding
}

var formKeys = formKeyMap{
	Next:   k("tab", "next field", "tab", "down"),
	Prev:   k("shift+tab", "previous field", "shift+tab", "up"),
	Apply:  k("enter", "apply", "enter"),
	Cancel: k("esc", "cancel", "esc"),
}

func newForm(st *Styles, ask ask, title string) *form { return &form{st: st, ask: ask, title: title} }

func (f *form) ShortHelp() []key.Binding {
	if f.focus < len(f.opts) && len(f.opts[f.focus]) > 0 {
		return []key.Binding{formKeys.Next, both(choiceKeys.Prev, choiceKeys.Next, "←/→", "choose"), formKeys.Apply, formKeys.Cancel}
	}
	return []key.Binding{formKeys.Next, formKeys.Apply, formKeys.Cancel}
}
func (f *form) FullHelp() [][]key.Binding {
	return [][]key.Binding{{formKeys.Next, formKeys.Prev, formKeys.Apply, formKeys.Cancel}, {choiceKeys.Prev, choiceKeys.Next}}
}
func (f *form) SetSize(w, _ int) { f.width = w }

// refuse reopens the form after its owner refused what was applied,
// with the reason, on field i.
func (f *form) refuse(i int, reason string) tea.Cmd {
	f.active, f.err = true, reason
	return f.refocus(i)
}

// add appends a field with its current value and a check (nil = any).
func (f *form) add(label, value string, check func(string) error) *form {
	ti := textinput.New()
	ti.Prompt = ""
	capField(&ti, valueField)
	ti.SetValue(value)
	ti.Width = max(3, len(value)+1)
	ti.TextStyle = f.st.Bold
	ti.Cursor.Style = f.st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic) // no blinking: stable screens and less redraw
	f.labels = append(f.labels, label)
	f.inputs = append(f.inputs, ti)
	f.opts = append(f.opts, nil)
	f.check = append(f.check, check)
	return f
}

func (f *form) open() tea.Cmd {
	f.active, f.err = true, ""
	for i := range f.inputs {
		f.inputs[i].Blur()
		f.inputs[i].CursorEnd()
	}
	return f.focusField(0)
}

func (f *form) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

// Update edits the focused field; enter asks formDoneMsg{applied: true}
// once every field passes its check, esc asks formDoneMsg{}.
func (f *form) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !f.active {
		return nil
	}
	switch {
	case key.Matches(km, formKeys.Cancel):
		f.active, f.err = false, ""
		f.ask(formDoneMsg{f: f})
		return nil
	case key.Matches(km, formKeys.Next), key.Matches(km, formKeys.Prev):
		d := 1
		if key.Matches(km, formKeys.Prev) {
			d = len(f.inputs) - 1
		}
		return f.focusField((f.focus + d) % len(f.inputs))
	case key.Matches(km, formKeys.Apply):
		for i, c := range f.check {
			if c == nil {
				continue
			}
			if err := c(f.value(i)); err != nil {
				f.err = fmt.Sprintf("%s: %v", f.labels[i], err)
				return f.refocus(i)
			}
		}
		f.active, f.err = false, ""
		f.setFresh(false)
		f.ask(formDoneMsg{f: f, applied: true})
		return nil
	}
	if f.editKey(km) {
		return nil
	}
	var cmd tea.Cmd
	var note string
	f.inputs[f.focus], cmd, note = updateField(f.inputs[f.focus], km, valueField)
	if note != "" {
		f.err = note
	}
	f.inputs[f.focus].Width = max(3, len(f.inputs[f.focus].Value())+1)
	return cmd
}

// View lays the fields out in lines of at most the width SetSize gave.
func (f *form) View() string {
	width := f.width
	var lines []string
	cur, curW := "", 0
	for i, in := range f.inputs {
		l := f.st.Dim.Render(f.labels[i])
		if f.active && i == f.focus {
			l = f.st.Selected.Render("▸" + f.labels[i])
		}
		part := l + " " + in.View()
		pw := ansi.StringWidth(part)
		if curW > 0 && curW+2+pw > width {
			lines = append(lines, cur)
			cur, curW = "", 0
		}
		if curW > 0 {
			cur += "  "
			curW += 2
		}
		cur += part
		curW += pw
	}
	lines = append(lines, cur)
	s := strings.Join(lines, "\n")
	if f.active {
		s += "\n" + f.st.Dim.Render("tab next · enter apply · esc cancel")
		if c := f.choicesView(); c != "" {
			s += "\n" + f.st.Dim.Render(c)
		}
	}
	if f.err != "" {
		s += "\n" + f.st.Error.Render("✗ "+f.err)
	}
	return s
}

// ---- checks ----

func checkInt(lo, hi int) func(string) error {
	return func(s string) error {
		v, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		if v < lo || v > hi {
			return fmt.Errorf("%d is outside %d…%d", v, lo, hi)
		}
		return nil
	}
}

// checkFloat accepts lo <= v < hi (hiOpen) or lo <= v <= hi.
func checkFloat(lo, hi float64, hiOpen bool) func(string) error {
	return func(s string) error {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		if v < lo || v > hi || (hiOpen && v == hi) {
			end := "]"
			if hiOpen {
				end = ")"
			}
			return fmt.Errorf("%g must be in [%g, %g%s", v, lo, hi, end)
		}
		return nil
	}
}

func checkPositive(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	if v <= 0 {
		return fmt.Errorf("%g must be above 0", v)
	}
	return nil
}

func checkOneOf(opts []string) func(string) error {
	return func(s string) error {
		for _, o := range opts {
			if s == o {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", s, strings.Join(opts, ", "))
	}
}

func atoi(s string) int                { v, _ := strconv.Atoi(s); return v }
func atof(s string) float64            { v, _ := strconv.ParseFloat(s, 64); return v }
func atoi64(s string) int64            { v, _ := strconv.ParseInt(s, 10, 64); return v }
func ftoa(v float64) string            { return strconv.FormatFloat(v, 'g', -1, 64) }
func itoa[T ~int | ~int64](v T) string { return strconv.FormatInt(int64(v), 10) }
