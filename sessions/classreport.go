package sessions

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"
)

// ClassReport is scikit-learn's classification_report off a confusion
// matrix: each class's precision, recall, F1 and support, then accuracy
// and the macro (unweighted mean over classes) and weighted (by support)
// averages. JSON outputs carry it as it is.
type ClassReport struct {
	Classes  []ClassScores `json:"classes"`
	Accuracy float64       `json:"accuracy"`
	Macro    ClassScores   `json:"macro_avg"`
	Weighted ClassScores   `json:"weighted_avg"`
}

// Report computes the ClassReport of cm ([true][predicted] counts). As in
// scikit-learn, a class's undefined ratio (nothing predicted as it, no row
// of it) counts as 0 in the averages, so a class the model never predicts
// pulls the macro average down instead of vanishing from it; in the
// per-class rows it stays NaN ("-").
func Report(cm [][]int, classes []string) ClassReport {
	r := ClassReport{Classes: PerClass(cm, classes)}
	r.Macro.Class, r.Weighted.Class = "macro avg", "weighted avg"
	total, correct := 0, 0
	for k, row := range cm {
		for j, c := range row {
			total += c
			if j == k {
				correct += c
			}
		}
	}
	r.Accuracy = ratio(correct, total)
	if len(r.Classes) == 0 || total == 0 {
		r.Macro.Precision, r.Macro.Recall, r.Macro.F1 = math.NaN(), math.NaN(), math.NaN()
		r.Weighted.Precision, r.Weighted.Recall, r.Weighted.F1 = math.NaN(), math.NaN(), math.NaN()
		return r
	}
	z := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	n := float64(len(r.Classes))
	for _, c := range r.Classes {
		w := float64(c.Support) / float64(total)
		r.Macro.Precision += z(c.Precision) / n
		r.Macro.Recall += z(c.Recall) / n
		r.Macro.F1 += z(c.F1) / n
		r.Weighted.Precision += z(c.Precision) * w
		r.Weighted.Recall += z(c.Recall) * w
		r.Weighted.F1 += z(c.F1) * w
		r.Macro.Support += c.Support
	}
	r.Weighted.Support = r.Macro.Support
	return r
}

// Text is the report as scikit-learn prints it: a right-aligned table of
// the classes, a blank line, then accuracy and the two averages; it ends
// with a newline.
func (r ClassReport) Text() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "CLASS\tPRECISION\tRECALL\tF1\tSUPPORT\t")
	row := func(c ClassScores) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t\n", c.Class, FormatMetric(c.Precision), FormatMetric(c.Recall), FormatMetric(c.F1), c.Support)
	}
	for _, c := range r.Classes {
		row(c)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t")
	fmt.Fprintf(tw, "accuracy\t\t\t%s\t%d\t\n", FormatMetric(r.Accuracy), r.Macro.Support)
	row(r.Macro)
	row(r.Weighted)
	tw.Flush()
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
