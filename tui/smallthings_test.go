package tui

import (
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// TestNothingToServeOnce: S with no model says so once on the Serve pane
// (the pane's own sentence), not again as an error above it.
func TestNothingToServeOnce(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "4", "S")
	v := strings.ToLower(a.View())
	body := v[:strings.LastIndex(v, "\n")] // the footer's badge is the state, not the message
	if n := strings.Count(body, "nothing to serve yet"); n != 1 {
		t.Errorf("the Serve pane says nothing to serve %d times, want once:\n%s", n, v)
	}
}

// TestRegressionResetPromisesNoConfusionMatrix: r on regression data does
// not promise a confusion matrix.
func TestRegressionResetPromisesNoConfusionMatrix(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	ds, err := loadDataset("diabetes", a.impl.files.loadOptions(a.impl.plan.Load))
	if err != nil {
		t.Fatal(err)
	}
	size(a, 160, 48) // the results box shows while idle
	a.Update(dataLoadedMsg{ref: "diabetes", ds: ds})
	press(a, "3", "r")
	v := a.View()
	if strings.Contains(v, "confusion matrix") || !strings.Contains(v, "predictions against the truth") {
		t.Errorf("the Train pane on diabetes after r:\n%s", v)
	}
}

// TestDeletePromptNamesSession: the delete question names the session by
// the name the user gave it, with its id.
func TestDeletePromptNamesSession(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	e := sessions.Entry{ID: "20261207-abc", Session: &sessions.Session{ID: "20261207-abc", Name: "my-iris"}}
	a.Update(sessionsListedMsg{entries: []sessions.Entry{e}})
	press(a, "5", "d")
	if v := a.View(); !strings.Contains(v, `delete "my-iris" (20261207-abc)?`) {
		t.Errorf("the delete question does not name my-iris:\n%s", v)
	}
}

// TestRegressionMetricsOnePrecision: the regression test line writes every
// metric by one rule (it showed MAE 0.09137 next to MSE 0.0126).
func TestRegressionMetricsOnePrecision(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 160, 48)
	tp := a.impl.panes[paneTrain].(*trainPane)
	tp.task = datasets.Regression
	tp.test = &engine.Metrics{Loss: 0.0126, MSE: 0.0126, MAE: 0.091367, R2: 0.87654}
	got := tp.resultsBody(150, 3)
	for _, want := range []string{"loss 0.0126", "R² 0.8765", "MSE 0.0126", "MAE 0.0914"} {
		if !strings.Contains(got, want) {
			t.Errorf("the regression test line lacks %q: %s", want, got)
		}
	}
}
