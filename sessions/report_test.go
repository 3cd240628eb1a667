package sessions

import (
	"math"
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/engine"
)

func reportSession(task datasets.Task, val bool, n, best int) *Session {
	s := &Session{BestEpoch: best}
	s.Data.Task = task
	for i := 1; i <= n; i++ {
		e := engine.EpochStats{Epoch: i, Loss: 1 / float64(i), Accuracy: 0.5 + float64(i)/100, ValLoss: math.NaN(), ValAccuracy: math.NaN(), LearningRate: 0.01, Seconds: 0.25}
		if val {
			e.ValLoss, e.ValAccuracy = 2/float64(i), 0.4+float64(i)/100
		}
		s.History = append(s.History, e)
	}
	return s
}

func TestSessionFigures(t *testing.T) {
	cls, reg := datasets.Classification, datasets.Regression
	for _, c := range []struct {
		name                      string
		s                         *Session
		bestVal, test, epochWords string
	}{
		{"classification with val", reportSession(cls, true, 3, 2), "acc 0.420 @2", "-", "loss 0.5000, accuracy 0.5200; val_loss 1.0000, val_accuracy 0.4200"},
		{"regression with val", reportSession(reg, true, 3, 3), "r2 0.430 @3", "-", "loss 0.3333, r2 0.5300; val_loss 0.6667, val_r2 0.4300"},
		// No validation split: no best val, never the training score.
		{"no validation", reportSession(cls, false, 3, 3), "-", "-", "loss 0.3333, accuracy 0.5300"},
		{"no epochs", reportSession(cls, true, 0, 0), "-", "-", ""},
	} {
		if got := c.s.BestVal(); got != c.bestVal {
			t.Errorf("%s: BestVal %q, want %q", c.name, got, c.bestVal)
		}
		if got := c.s.TestSummary(); got != c.test {
			t.Errorf("%s: TestSummary %q, want %q", c.name, got, c.test)
		}
		if b, ok := c.s.Best(); ok {
			if got := c.s.EpochMetrics(b); got != c.epochWords {
				t.Errorf("%s: EpochMetrics %q, want %q", c.name, got, c.epochWords)
			}
		}
	}
	m := &engine.Metrics{Loss: 0.07, Accuracy: 0.96666, MSE: 2, MAE: 1.25, R2: 0.8123}
	for _, c := range []struct {
		task           datasets.Task
		name, abbrev   string
		summary, words string
	}{
		{cls, "accuracy", "acc", "acc 0.967", "loss 0.0700, accuracy 0.9667"},
		{reg, "r2", "r2", "r2 0.812", "loss 0.0700, mse 2.0000, mae 1.2500, r2 0.8123"},
	} {
		s := &Session{Test: m}
		s.Data.Task = c.task
		if s.MetricName() != c.name || s.MetricAbbrev() != c.abbrev || s.TestSummary() != c.summary || s.TestMetrics(m) != c.words {
			t.Errorf("%s: %q %q %q %q", c.task, s.MetricName(), s.MetricAbbrev(), s.TestSummary(), s.TestMetrics(m))
		}
	}
}

func TestHistoryTable(t *testing.T) {
	got := reportSession(cls(), true, 2, 2).HistoryTable(false)
	want := "History (2 epochs; * best)\n" +
		"  EPOCH    LOSS  ACCURACY  VAL LOSS  VAL ACCURACY    LR   TIME\n" +
		"     1   1.0000    0.5100    2.0000        0.4100  0.01  250ms\n" +
		"     2*  0.5000    0.5200    1.0000        0.4200  0.01  250ms\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := reportSession(cls(), true, 0, 0).HistoryTable(true); got != "No epochs trained yet.\n" {
		t.Errorf("empty history: %q", got)
	}
	// 40 epochs: one in 3 shown, plus the last and the best.
	long := reportSession(datasets.Regression, false, 40, 20).HistoryTable(false)
	if !strings.HasPrefix(long, "History (40 epochs; * best; one epoch in 3 shown, --history for all)\n  EPOCH    LOSS      R2  VAL LOSS  VAL R2") {
		t.Errorf("long history head:\n%s", long)
	}
	if rows := strings.Count(long, "\n") - 2; rows != 15 {
		t.Errorf("%d rows of 40 epochs shown, want 1, 4, ..., 40 and the best, 20", rows)
	}
	if !strings.Contains(long, "\n    20*  0.0500  0.7000         -       -") || !strings.Contains(long, "\n    40 ") {
		t.Errorf("best or last epoch missing, or NaN not '-':\n%s", long)
	}
	if all := reportSession(cls(), true, 40, 1).HistoryTable(true); strings.Count(all, "\n") != 42 {
		t.Errorf("all: %d lines", strings.Count(all, "\n"))
	}
}

func cls() datasets.Task { return datasets.Classification }

func TestConfusionAndPerClass(t *testing.T) {
	cm := [][]int{{5, 1, 0}, {2, 30, 1}, {0, 0, 0}}
	got := ConfusionText(cm, []string{"setosa", "a-very-long-class-name"})
	want := "Confusion matrix (rows: true class, columns: predicted)\n" +
		"                    setosa  a-very-long-cla…  2\n" +
		"            setosa       5                 1  0\n" +
		"  a-very-long-cla…       2                30  1\n" +
		"                 2       0                 0  0\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	pc := PerClass(cm, []string{"setosa"})
	for i, w := range []ClassScores{
		{"setosa", 5.0 / 7, 5.0 / 6, 2 * (5.0 / 7) * (5.0 / 6) / (5.0/7 + 5.0/6), 6},
		{"1", 30.0 / 31, 30.0 / 33, 2 * (30.0 / 31) * (30.0 / 33) / (30.0/31 + 30.0/33), 33},
		{"2", 0, math.NaN(), math.NaN(), 0},
	} {
		g := pc[i]
		same := func(a, b float64) bool { return a == b || math.Abs(a-b) < 1e-12 || (math.IsNaN(a) && math.IsNaN(b)) }
		if g.Class != w.Class || !same(g.Precision, w.Precision) || !same(g.Recall, w.Recall) || !same(g.F1, w.F1) || g.Support != w.Support {
			t.Errorf("class %d: %+v, want %+v", i, g, w)
		}
	}
	text := PerClassText(cm, []string{"setosa"})
	if !strings.Contains(text, "setosa     0.7143  0.8333  0.7692        6") || !strings.Contains(text, "2     0.0000       -       -        0") {
		t.Errorf("per-class text:\n%s", text)
	}
}

func TestNumberFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{FormatMetric(math.NaN()), "-"},
		{FormatMetric(0.123456), "0.1235"},
		{ShortDuration(500 * time.Microsecond), "500µs"},
		{ShortDuration(42 * time.Millisecond), "42ms"},
		{ShortDuration(3250 * time.Millisecond), "3.2s"},
		{ShortDuration(65400 * time.Millisecond), "1m5s"},
		{HumanRate(math.Inf(1)), "-"},
		{HumanRate(950.4), "950"},
		{HumanRate(12345), "12.3k"},
		{HumanRate(2.5e6), "2.5M"},
		{NEpochs(0), "0 epochs"},
		{NEpochs(1), "1 epoch"},
		{NEpochs(20), "20 epochs"},
		{Clip("abcdef", 4), "abc…"},
		{Clip("abc", 4), "abc"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
