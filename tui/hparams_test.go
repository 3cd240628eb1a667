package tui

import (
	"strings"
	"testing"

	"workbench/engine"
	"workbench/sessions"
)

// TestMetricVsSetting: H on a sweep's run draws one strip chart per varied
// setting (lr and layers here, not the shared optimizer), each run at its
// value; a run outside a sweep says so.
func TestMetricVsSetting(t *testing.T) {
	a := newTestApp(t, Options{})
	sp := a.impl.panes[paneSessions].(*sessionsPane)
	mk := func(id, sweep, layers string, lr, val float64) sessions.Entry {
		h := sessions.DefaultHyper()
		h.LearningRate = lr
		return sessions.Entry{ID: id, Session: &sessions.Session{ID: id, Name: id, Sweep: sweep, Layers: layers, Hyper: h,
			Status: sessions.Finished, BestEpoch: 1, Data: sessions.DataInfo{Ref: "iris", Classes: []string{"a", "b"}},
			History: []engine.EpochStats{{Epoch: 1, Loss: 1, ValLoss: 1, ValAccuracy: val}}}}
	}
	size(a, 80, 24)
	press(a, "5")
	a.Update(sessionsListedMsg{entries: []sessions.Entry{
		mk("lone", "", "8:relu", 0.1, 0.5),
		mk("s-1", "s", "8:relu", 0.1, 0.9), mk("s-2", "s", "8:relu", 0.01, 0.8),
		mk("s-3", "s", "16:relu", 0.1, 0.7), mk("s-4", "s", "16:relu", 0.01, 0.6),
	}})
	press(a, "H")
	if sp.hp != nil || !strings.Contains(sp.msg, "not part of a sweep") {
		t.Fatalf("H on a run of its own: view %v, msg %q", sp.hp, sp.msg)
	}
	press(a, "j", "H")
	v := a.View()
	checkFits(t, v, 80, 24)
	for _, want := range []string{"metric vs setting · sweep s", "val_metric · 4 runs", "layers", "lr", "8:relu", "16:relu", "0.01", "0.1", "0.9000", "0.6000"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "optimizer") || strings.Count(v, "●") != 8 {
		t.Errorf("want two strips (layers, lr) of four runs each:\n%s", v)
	}
	press(a, "esc")
	if sp.hp != nil {
		t.Fatal("esc does not leave the view")
	}
}
