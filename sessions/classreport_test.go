package sessions

import (
	"math"
	"strings"
	"testing"
)

// TestReportMatchesScikitLearn: the figures sklearn.metrics.
// classification_report(zero_division=0) gives for these labels
// (y_true/y_pred below, written out as the confusion matrix), worked by
// hand from its definitions, to four places.
func TestReportMatchesScikitLearn(t *testing.T) {
	// y_true = [0]*5 + [1]*3 + [2]*2; y_pred: class 0 → 4×0, 1×1;
	// class 1 → 2×1, 1×0; class 2 → 2×1 (never predicted as 2).
	cm := [][]int{{4, 1, 0}, {1, 2, 0}, {0, 2, 0}}
	r := Report(cm, []string{"a", "b", "c"})
	near := func(got, want float64) bool { return math.Abs(got-want) < 5e-5 }
	// precision [0.8, 0.4, 0], recall [0.8,
	// 0.6667, 0], f1 [0.8, 0.5, 0]; accuracy 0.6; macro 0.4/0.4889/0.4333;
	// weighted 0.52/0.6/0.55.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"accuracy", r.Accuracy, 0.6},
		{"macro precision", r.Macro.Precision, 0.4},
		{"macro recall", r.Macro.Recall, 0.48889},
		{"macro f1", r.Macro.F1, 0.43333},
		{"weighted precision", r.Weighted.Precision, 0.52},
		{"weighted recall", r.Weighted.Recall, 0.6},
		{"weighted f1", r.Weighted.F1, 0.55},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %.5f, want %.5f", c.name, c.got, c.want)
		}
	}
	if r.Macro.Support != 10 || r.Weighted.Support != 10 || !math.IsNaN(r.Classes[2].Precision) {
		t.Errorf("support %d/%d, class c precision %v (want NaN, written -)", r.Macro.Support, r.Weighted.Support, r.Classes[2].Precision)
	}
	text := r.Text()
	for _, want := range []string{"macro avg", "weighted avg", "accuracy", "0.6000", "0.4333"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q:\n%s", want, text)
		}
	}
	if e := Report(nil, nil); !math.IsNaN(e.Accuracy) || !math.IsNaN(e.Macro.F1) {
		t.Errorf("an empty matrix: %+v", e)
	}
}
