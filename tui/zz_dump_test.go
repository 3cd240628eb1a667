package tui

import (
	"fmt"
	"testing"
)

func TestZZDump(t *testing.T) {
	store := newStore(t)
	type run = struct {
		name   string
		lr     float64
		epochs int
	}
	trainRuns(t, store, run{"slow", 0.001, 3}, run{"mid", 0.01, 30}, run{"fast", 0.1, 120})
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		a := newTestApp(t, Options{Store: store})
		size(a, sz[0], sz[1])
		press(a, "5")
		sp := a.impl.panes[paneSessions].(*sessionsPane)
		a.Update(sp.refresh()())
		fmt.Println(a.View())
		press(a, "m", "j", "m", "j", "m", "=")
		a.Update(sp.cmp.load(store)())
		fmt.Println(a.View())
		press(a, "x", "x")
		fmt.Println(a.View())
	}
}
