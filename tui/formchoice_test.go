package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/engine"
)

// TestTypingReplacesFocusedValue: tabbing into a field and typing replaces
// its old value (select-all on focus) instead of appending to it.
func TestTypingReplacesFocusedValue(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "2", "t", "tab") // the training form, on lr
	mp := a.impl.panes[paneModel].(*modelPane)
	if mp.hyper.value(1) == "" {
		t.Fatal("lr starts empty")
	}
	press(a, "1", ".", "5", "e", "-", "3", "enter")
	if got := a.impl.plan.Hyper.LearningRate; got != 1.5e-3 {
		t.Fatalf("typing 1.5e-3 into lr gave %g (form error %q), want 0.0015", got, mp.hyper.err)
	}
	// backspace on a selected value empties it; the next field then
	// starts selected again.
	press(a, "t", "tab", "tab", "tab", "backspace")
	if got := mp.hyper.value(3); got != "" {
		t.Errorf("backspace on the selected batch left %q", got)
	}
}

// TestChoiceFieldsCycle: ←/→ cycle a choice field and its options show.
func TestChoiceFieldsCycle(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "2", "t")
	mp := a.impl.panes[paneModel].(*modelPane)
	start := mp.hyper.value(0)
	v := a.View()
	for _, o := range engine.Optimizers {
		if !strings.Contains(v, o) {
			t.Errorf("optimizer %q is not shown on the focused field:\n%s", o, v)
		}
	}
	a.Update(tea.KeyMsg{Type: tea.KeyRight})
	next := mp.hyper.value(0)
	if next == start {
		t.Fatalf("→ left the optimizer at %q", next)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyLeft})
	if got := mp.hyper.value(0); got != start {
		t.Errorf("← after → gave %q, want %q back", got, start)
	}
	// ←/→ in a free-text field still move the cursor.
	press(a, "tab")
	lr := mp.hyper.value(1)
	a.Update(tea.KeyMsg{Type: tea.KeyLeft})
	press(a, "9")
	if got := mp.hyper.value(1); got == "9" || got == lr || !strings.Contains(got, "9") {
		t.Errorf("← then 9 in lr %q gave %q: want 9 inserted before the last character", lr, got)
	}
}
