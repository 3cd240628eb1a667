package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestDataPaneMemoryBudget: data over the program's memory budget (the SSH
// host's per-user --max-memory) is refused in the Data pane with a message
// that names the budget, and the plan keeps its data.
func TestDataPaneMemoryBudget(t *testing.T) {
	root := t.TempDir()
	big := filepath.Join(root, "big.csv")
	if err := os.WriteFile(big, []byte("a,b,y\n"+strings.Repeat("1,2,0\n2,1,1\n", 20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{FileRoot: root, MaxMemory: 64 << 10})
	dp := a.impl.panes[paneData].(*dataPane)
	size(a, 160, 48)
	before := a.impl.plan.DataRef
	press(a, "o")
	dp.path.SetValue("~/big.csv")
	cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatalf("no load started (error %q)", dp.loadErr)
	}
	a.Update(cmd())
	if !strings.Contains(dp.loadErr, "memory budget of 64 KiB") {
		t.Errorf("Data pane error = %q, want the memory budget named", dp.loadErr)
	}
	if v := a.View(); !strings.Contains(v, "memory budget") {
		t.Errorf("the refusal is not on screen:\n%s", v)
	}
	if a.impl.plan.DataRef != before {
		t.Errorf("plan changed to %q by a refused load", a.impl.plan.DataRef)
	}
}
