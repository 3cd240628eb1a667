package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// The command palette (:) lists every action with its key, taken from the
// same keymaps that drive key.Matches and help, so it cannot drift from
// what the keys do. Typing filters it (letters in order, so "sv" finds
// "serve"); enter does the action: it moves to the action's pane and
// presses its key there.

// paletteKeys are the palette's keys while it is open.
var paletteKeys = struct{ Run, Close, Up, Down key.Binding }{
	Run:   k("enter", "do it", "enter"),
	Close: k("esc", "close", "esc"),
	Up:    k("↑", "up", "up"),
	Down:  k("↓", "down", "down"),
}

// paletteEntry is one action: its pane (-1 everywhere) and binding.
type paletteEntry struct {
	pane int
	b    key.Binding
}

type palette struct {
	input  textinput.Model
	all    []paletteEntry
	shown  []paletteEntry
	cursor int
}

// openPalette builds the list from the global keys and every pane's help.
func (a *app) openPalette() tea.Cmd {
	pl := &palette{input: textinput.New()}
	pl.input.Prompt = ": "
	capField(&pl.input, filterField)
	g := a.keys
	for _, b := range append(g.Panes[:], g.Next, g.Prev, g.Serve, g.Help, g.Quit, g.Suspend, g.Background) {
		pl.all = append(pl.all, paletteEntry{-1, b})
	}
	for i, p := range a.panes {
		seen := map[string]bool{}
		for _, col := range p.FullHelp() {
			for _, b := range col {
				if h := b.Help(); b.Enabled() && h.Desc != "" && !seen[h.Key+h.Desc] {
					seen[h.Key+h.Desc] = true
					pl.all = append(pl.all, paletteEntry{i, b})
				}
			}
		}
	}
	a.palette = pl
	pl.refilter()
	return pl.input.Focus()
}

// fuzzy scores s against q: -1 when q's letters are not all in s in order;
// higher when they are close together (a substring scores highest).
func fuzzy(s, q string) int {
	s, q = strings.ToLower(s), strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return 0
	}
	if i := strings.Index(s, q); i >= 0 {
		return 1000 - i
	}
	gaps, j := 0, 0
	for i := 0; i < len(s) && j < len(q); i++ {
		if s[i] == q[j] {
			j++
		} else if j > 0 {
			gaps++
		}
	}
	if j < len(q) {
		return -1
	}
	return 500 - gaps
}

func (pl *palette) refilter() {
	q := pl.input.Value()
	type scored struct {
		e paletteEntry
		n int
	}
	var got []scored
	for _, e := range pl.all {
		h := e.b.Help()
		if n := fuzzy(h.Desc+" "+h.Key, q); n >= 0 {
			got = append(got, scored{e, n})
		}
	}
	sort.SliceStable(got, func(i, j int) bool { return got[i].n > got[j].n })
	pl.shown = pl.shown[:0]
	for _, s := range got {
		pl.shown = append(pl.shown, s.e)
	}
	pl.cursor = min(pl.cursor, max(0, len(pl.shown)-1))
}

// updatePalette handles a key while the palette is open.
func (a *app) updatePalette(msg tea.KeyMsg) tea.Cmd {
	pl := a.palette
	switch {
	case key.Matches(msg, paletteKeys.Close):
		a.palette = nil
		return nil
	case key.Matches(msg, paletteKeys.Up):
		pl.cursor = max(0, pl.cursor-1)
		return nil
	case key.Matches(msg, paletteKeys.Down):
		pl.cursor = min(len(pl.shown)-1, pl.cursor+1)
		return nil
	case key.Matches(msg, paletteKeys.Run):
		a.palette = nil
		if pl.cursor >= len(pl.shown) {
			return nil
		}
		return a.runEntry(pl.shown[pl.cursor])
	}
	var cmd tea.Cmd
	pl.input, cmd, _ = updateField(pl.input, msg, filterField)
	pl.cursor = 0
	pl.refilter()
	return cmd
}

// runEntry moves to the entry's pane and presses its first key there.
func (a *app) runEntry(e paletteEntry) tea.Cmd {
	km, ok := keyMsgFor(e.b.Keys()[0])
	if !ok {
		a.note = "the palette cannot press " + e.b.Help().Key + " for you: press it on the " + a.panes[max(e.pane, 0)].Title() + " pane"
		return nil
	}
	var cmds []tea.Cmd
	if e.pane >= 0 && e.pane != a.active {
		cmds = append(cmds, a.focus(e.pane))
	}
	return tea.Batch(append(cmds, a.updateKey(km))...)
}

// keyMsgFor is the key message bubbletea sends for a binding's key name.
func keyMsgFor(name string) (tea.KeyMsg, bool) {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace,
		"ctrl+c": tea.KeyCtrlC, "ctrl+z": tea.KeyCtrlZ, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	}
	if t, ok := named[name]; ok {
		return tea.KeyMsg{Type: t}, true
	}
	if name == " " || name == "space" {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}, true
	}
	if r := []rune(name); len(r) == 1 {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: r}, true
	}
	return tea.KeyMsg{}, false
}

// paletteView draws the palette in w×h.
func (a *app) paletteView(w, h int) string {
	pl, st := a.palette, a.st
	pl.input.Width = max(10, w-8)
	lines := []string{pl.input.View(), ""}
	room := h - 4
	start := max(0, pl.cursor-room+1)
	for i := start; i < len(pl.shown) && len(lines) < h-2; i++ {
		e := pl.shown[i]
		where := "everywhere"
		if e.pane >= 0 {
			where = a.panes[e.pane].Title()
		}
		line := fmt.Sprintf("%-10s %-11s %s", e.b.Help().Key, where, e.b.Help().Desc)
		line = trunc(line, max(10, w-6))
		if i == pl.cursor {
			lines = append(lines, st.Selected.Render("▸ "+line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	if len(pl.shown) == 0 {
		lines = append(lines, st.Dim.Render("  no action matches"))
	}
	return st.box("actions  type to filter · enter does it · esc closes", strings.Join(lines, "\n"), w, h, true)
}
