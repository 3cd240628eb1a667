package sessions

// This file is the one place that decides what a session's figures are
// called and how they read, so that the CLI and the TUI never disagree. The
// wording is the CLI's (its output is documented and tested); the TUI may
// style the parts but not change them.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"workbench/engine"
)

// MetricName is the name of the metric a session's accuracy figures hold:
// "accuracy" for classification, "r2" (R², in the target's units) for
// regression. JSON keys and metric lines use it (accuracy, val_r2, ...).
func (s *Session) MetricName() string {
	if s.IsClassification() {
		return "accuracy"
	}
	return "r2"
}

// MetricAbbrev is MetricName as a table cell reads it: "acc" or "r2".
func (s *Session) MetricAbbrev() string {
	if s.IsClassification() {
		return "acc"
	}
	return "r2"
}

// BestVal is the best epoch's validation metric, as the session list shows
// it: "acc 0.973 @12" or "r2 0.861 @40". The best epoch is the one the
// engine chose and kept (engine.BestEpoch's rule). A session trained
// without a validation split has no best val: its figures are training
// figures, and showing one under "best val" would pass a training score off
// as a validation score. That case, and a session with no epoch, read "-".
func (s *Session) BestVal() string {
	b, ok := s.Best()
	if !ok || math.IsNaN(b.ValAccuracy) {
		return "-"
	}
	return fmt.Sprintf("%s %.3f @%d", s.MetricAbbrev(), b.ValAccuracy, b.Epoch)
}

// TestSummary is the test split's headline metric for a table cell:
// "acc 0.967", "r2 0.812", or "-" before a test ran.
func (s *Session) TestSummary() string {
	if s.Test == nil {
		return "-"
	}
	if s.IsClassification() {
		return fmt.Sprintf("acc %.3f", s.Test.Accuracy)
	}
	return fmt.Sprintf("r2 %.3f", s.Test.R2)
}

// EpochMetrics describes one epoch of history in words:
// "loss 0.1234, accuracy 0.9500; val_loss 0.2000, val_accuracy 0.9000",
// without the val part when the epoch had no validation.
func (s *Session) EpochMetrics(e engine.EpochStats) string {
	acc := s.MetricName()
	out := fmt.Sprintf("loss %.4f, %s %.4f", e.Loss, acc, e.Accuracy)
	if !math.IsNaN(e.ValLoss) {
		out += fmt.Sprintf("; val_loss %.4f, val_%s %.4f", e.ValLoss, acc, e.ValAccuracy)
	}
	return out
}

// TestMetrics describes test metrics m of the session in words:
// "loss 0.0700, accuracy 0.9667" or "loss 0.1, mse 2.0, mae 1.0, r2 0.8"
// (each to four places).
func (s *Session) TestMetrics(m *engine.Metrics) string {
	if s.IsClassification() {
		return fmt.Sprintf("loss %.4f, accuracy %.4f", m.Loss, m.Accuracy)
	}
	return fmt.Sprintf("loss %.4f, mse %.4f, mae %.4f, r2 %.4f", m.Loss, m.MSE, m.MAE, m.R2)
}

// HistoryTable is the history of s as a table, one epoch a row, the best
// marked * and the first epoch of each continued segment + (always shown).
// Unless all, a history of more than 25 epochs shows about 15
// of them (every step-th, the last and the best). It starts with its title
// line, "History (N epochs; * best...)", and ends with a newline; a session
// without epochs reads "No epochs trained yet.\n".
func (s *Session) HistoryTable(all bool) string {
	n := len(s.History)
	if n == 0 {
		return "No epochs trained yet.\n"
	}
	step := 1
	if !all && n > 25 {
		step = (n + 14) / 15
	}
	acc := strings.ToUpper(s.MetricName())
	note := ""
	if step > 1 {
		note = fmt.Sprintf("; one epoch in %d shown, --history for all", step)
	}
	if len(s.Continued) > 0 {
		note = ", + continued from here" + note
	}
	var b strings.Builder
	fmt.Fprintf(&b, "History (%s; * best%s)\n", NEpochs(n), note)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "EPOCH\tLOSS\t%s\tVAL LOSS\tVAL %s\tLR\tTIME\t\n", acc, acc)
	for i, e := range s.History {
		best := e.Epoch == s.BestEpoch
		cont := slices.Contains(s.Continued, e.Epoch)
		if step > 1 && i%step != 0 && i != n-1 && !best && !cont {
			continue
		}
		mark := " "
		if best {
			mark = "*"
		}
		if cont {
			mark = strings.TrimSpace(mark) + "+"
		}
		fmt.Fprintf(tw, "%d%s\t%s\t%s\t%s\t%s\t%g\t%s\t\n", e.Epoch, mark, FormatMetric(e.Loss), FormatMetric(e.Accuracy),
			FormatMetric(e.ValLoss), FormatMetric(e.ValAccuracy), e.LearningRate, ShortDuration(time.Duration(e.Seconds*float64(time.Second))))
	}
	tw.Flush()
	return b.String()
}

// ConfusionText is a confusion matrix cm ([true][predicted] counts) as a
// right-aligned table headed "Confusion matrix (rows: true class, columns:
// predicted)"; rows and columns are named by classes (clipped to 16
// characters), by index past its end. It ends with a newline.
func ConfusionText(cm [][]int, classes []string) string {
	var b strings.Builder
	b.WriteString("Confusion matrix (rows: true class, columns: predicted)\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for j := range cm {
		fmt.Fprintf(tw, "%s\t", className(classes, j))
	}
	fmt.Fprintln(tw)
	for i, r := range cm {
		fmt.Fprintf(tw, "%s\t", className(classes, i))
		for _, c := range r {
			fmt.Fprintf(tw, "%d\t", c)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	return b.String()
}

func className(classes []string, i int) string {
	if i < len(classes) {
		return Clip(classes[i], 16)
	}
	return fmt.Sprint(i)
}

// ClassScores are one class's figures from a confusion matrix. A ratio
// with nothing to divide (no row predicted as the class, no row of it) is
// NaN, written "-".
type ClassScores struct {
	Class                 string
	Precision, Recall, F1 float64
	Support               int // rows whose true class this is
}

// PerClass reads precision, recall and F1 of every class off cm
// ([true][predicted] counts), classes named as in ConfusionText.
func PerClass(cm [][]int, classes []string) []ClassScores {
	out := make([]ClassScores, len(cm))
	for k := range cm {
		tp, support, predicted := 0, 0, 0
		for j, c := range cm[k] {
			support += c
			if j == k {
				tp = c
			}
		}
		for i := range cm {
			if k < len(cm[i]) {
				predicted += cm[i][k]
			}
		}
		p, r := ratio(tp, predicted), ratio(tp, support)
		f1 := 2 * p * r / (p + r) // NaN when either is NaN
		if p+r == 0 {
			f1 = 0
		}
		out[k] = ClassScores{Class: className(classes, k), Precision: p, Recall: r, F1: f1, Support: support}
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// PerClassText is PerClass as a right-aligned table (CLASS, PRECISION,
// RECALL, F1, SUPPORT; figures by FormatMetric), ending with a newline.
func PerClassText(cm [][]int, classes []string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "CLASS\tPRECISION\tRECALL\tF1\tSUPPORT\t")
	for _, c := range PerClass(cm, classes) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t\n", c.Class, FormatMetric(c.Precision), FormatMetric(c.Recall), FormatMetric(c.F1), c.Support)
	}
	tw.Flush()
	return b.String()
}

// FormatMetric writes a loss or metric to four places, NaN (no
// validation, nothing to divide) as "-".
func FormatMetric(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4f", v)
}

// ShortDuration writes an epoch's or an ETA's length: 850µs, 42ms, 3.2s,
// then whole seconds (1m5s).
func ShortDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// HumanRate writes a samples-per-second rate: 950, 12.3k, 1.2M; "-" when
// it is not finite (an epoch too short to time).
func HumanRate(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "-"
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

// NEpochs says "1 epoch" or "20 epochs".
func NEpochs(n int) string {
	if n == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", n)
}

// Clip cuts s to n runes, the last one an ellipsis, for a table cell.
func Clip(s string, n int) string {
	s = Printable(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Printable makes text from a session file safe to print on a terminal:
// control characters (an escape sequence in a name, a newline) become "?",
// so a name cannot move the cursor, recolour or clear the screen.
func Printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
