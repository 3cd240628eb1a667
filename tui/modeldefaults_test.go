package tui

import (
	"strings"
	"testing"

	"workbench/engine"
	"workbench/sessions"
)

// TestCarriedSettingsMarkedAndReset: settings carried over from another
// dataset (spiral's epochs 3000, lr 0.03, a wider net) are marked as changed
// from the defaults on the Model pane, and D puts the defaults back.
func TestCarriedSettingsMarkedAndReset(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	press(a, "2")
	pl := a.impl.plan
	pl.Hyper = sessions.DefaultHyper()
	pl.Hyper.Epochs, pl.Hyper.LearningRate = 3000, 0.03
	pl.Layers = []engine.LayerSpec{{Kind: "dense", Units: 8, Activation: "tanh"}}
	a.Update(planChangedMsg{plan: pl})
	v := a.View()
	for _, want := range []string{"epochs 3000" + changedMark, "lr 0.03" + changedMark, "changed from the defaults (also layers)", "D resets"} {
		if !strings.Contains(v, want) {
			t.Errorf("the Model pane does not show %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "batch 32"+changedMark) {
		t.Errorf("an unchanged setting is marked:\n%s", v)
	}
	checkFits(t, v, 80, 24)
	press(a, "D")
	got := a.impl.plan
	if got.Hyper != sessions.DefaultHyper() || engine.FormatLayers(got.Layers) != engine.FormatLayers(defaultPlanLayers()) {
		t.Errorf("after D the plan is %+v layers %s, want the defaults", got.Hyper, engine.FormatLayers(got.Layers))
	}
	if v := a.View(); strings.Contains(v, changedMark+" changed") || !strings.Contains(v, "the defaults · t edits") {
		t.Errorf("after D the pane still says settings changed:\n%s", v)
	}
}
