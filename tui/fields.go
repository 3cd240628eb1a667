package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// fieldKind is what a text field holds, and so how long it may grow. With
// no cap a 1 MB paste made every later key cost 40-90 ms to draw.
type fieldKind struct {
	what  string // in the note: "the most a <what> takes"
	limit int    // runes
}

var (
	// pathField: file paths. Linux allows 4096 bytes; longer is a mistake.
	pathField = fieldKind{"path", 4096}
	// nameField: session names, as sessions allows (100 bytes).
	nameField = fieldKind{"session name", 100}
	// valueField: one number or option of a form.
	valueField = fieldKind{"value", 64}
	// filterField: the dataset filter.
	filterField = fieldKind{"filter", 64}
	// exprField: the runs table's filter expression and a sweep's values,
	// which join several comparisons or values.
	exprField = fieldKind{"expression", 256}
)

// capField caps ti for its kind.
func capField(ti *textinput.Model, k fieldKind) {
	ti.CharLimit = k.limit
}

// updateField is ti.Update for a capped field, with a note when what was
// typed or pasted did not fit (the text input drops the rest silently);
// the note is "" otherwise.
func updateField(ti textinput.Model, msg tea.Msg, k fieldKind) (textinput.Model, tea.Cmd, string) {
	before := len([]rune(ti.Value()))
	ti, cmd := ti.Update(msg)
	note := ""
	if km, ok := msg.(tea.KeyMsg); ok && km.Type == tea.KeyRunes && ti.CharLimit > 0 && before+len(km.Runes) > ti.CharLimit {
		what := "typed text"
		if km.Paste || len(km.Runes) > 1 {
			what = "pasted text"
		}
		note = fmt.Sprintf("%s cut: a %s takes at most %d characters", what, k.what, k.limit)
	}
	return ti, cmd, note
}
