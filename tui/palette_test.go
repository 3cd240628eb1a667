package tui

import (
	"strings"
	"testing"
)

// TestPaletteListsEveryAction: : lists every enabled binding of every
// pane's help and the global keys, so it cannot drift from the keymaps.
func TestPaletteListsEveryAction(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, ":")
	pl := a.impl.palette
	if pl == nil {
		t.Fatal(": did not open the palette")
	}
	has := map[string]bool{}
	for _, e := range pl.all {
		has[e.b.Help().Key+" "+e.b.Help().Desc] = true
	}
	for i, p := range a.impl.panes {
		for _, col := range p.FullHelp() {
			for _, b := range col {
				if h := b.Help(); b.Enabled() && h.Desc != "" && !has[h.Key+" "+h.Desc] {
					t.Errorf("pane %d's %q (%s) is not in the palette", i, h.Desc, h.Key)
				}
			}
		}
	}
	for _, b := range []string{"S serve", "? help", "5 sessions"} {
		if !has[b] {
			t.Errorf("global %q is not in the palette", b)
		}
	}
}

// TestPaletteRunsAction: typing part of a name and enter does the action,
// on its pane.
func TestPaletteRunsAction(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, ":", "w", "a", "t", "c", "h")
	v := a.View()
	if !strings.Contains(v, "watch speed") || strings.Contains(v, "synthetic params") {
		t.Fatalf("typing watch did not filter to watch speed:\n%s", v)
	}
	press(a, "enter")
	if a.impl.palette != nil || a.impl.active != paneTrain {
		t.Fatalf("enter on watch speed: palette open %v, pane %d; want closed on Train", a.impl.palette != nil, a.impl.active)
	}
	// A name goes to its pane; esc closes without doing anything.
	press(a, ":", "s", "e", "s", "s", "i", "o", "n", "s", "enter")
	if a.impl.active != paneSessions {
		t.Errorf("sessions + enter went to pane %d, want Sessions", a.impl.active)
	}
	press(a, ":", "esc")
	if a.impl.palette != nil || a.impl.active != paneSessions {
		t.Errorf("esc left the palette open or moved")
	}
}

func TestFuzzy(t *testing.T) {
	if fuzzy("serve", "sv") < 0 || fuzzy("serve", "vs") >= 0 || fuzzy("watch speed", "watch") <= fuzzy("watch speed", "wsp") {
		t.Error("fuzzy: letters in order match, out of order do not, a substring ranks above a scattered match")
	}
}
