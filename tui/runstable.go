package tui

import (
	"fmt"
	"slices"
	"strings"

	"workbench/sessions"
)

// runsCol is a column of the runs table: a sessions field (its values and
// their wording are sessions', as `workbench sessions` prints them), its
// header, and how long it stays when the width runs out.
type runsCol struct {
	field string
	head  string
	prio  int  // higher stays longer; name never goes
	right bool // numbers align right
	max   int  // widest a value is shown before "…" marks the cut; 0 = no limit
}

// runsCols are the table's columns in the order shown.
var runsCols = []runsCol{
	{"name", "name", 100, false, 28},
	{"dataset", "dataset", 60, false, 24},
	{"layers", "layers", 70, false, 24},
	{"optimizer", "opt", 30, false, 0},
	{"lr", "lr", 50, true, 0},
	{"batch", "batch", 35, true, 0},
	{"epochs", "epochs", 55, true, 0},
	{"params", "params", 25, true, 0},
	{"val_metric", "best val", 90, true, 0},
	{"test_metric", "test", 80, true, 0},
	{"samples_per_s", "samples/s", 20, true, 0},
	{"duration_s", "time", 40, true, 0},
	{"status", "status", 85, false, 0},
	{"created", "created", 15, false, 0},
	{"sweep", "sweep", 45, false, 24},
}

// runsTable is the Sessions pane's table: every listed session as a
// record, and the rows shown after the filter and the sort.
type runsTable struct {
	records   []sessions.Record // the listing, newest first
	rows      []sessions.Record // filtered and sorted
	filter    sessions.Filter
	sortField string // a sessions field; "" = the listing's order
	desc      bool
	hidden    map[string]bool // columns turned off in the chooser

	// The layout measures every row's every value: kept until the rows,
	// the chosen columns or the width change (1,000 sessions cost 4 ms a
	// frame measured anew).
	gen   int // bumped by every change of rows or columns
	laid  struct{ gen, w int }
	shown []int
	wid   []int
	drop  []string
}

func newRunsTable() runsTable { return runsTable{hidden: map[string]bool{}} }

// set takes a new listing and shows it through the filter and sort.
func (t *runsTable) set(es []sessions.Entry) {
	t.records = sessions.Records(es)
	t.apply()
}

func (t *runsTable) apply() {
	t.gen++
	t.rows = slices.Clone(sessions.FilterRecords(t.records, t.filter))
	if t.sortField != "" {
		sessions.SortBy(t.rows, t.sortField, t.desc)
	}
}

// sortCycle is the order s visits the columns in: the figures a run is
// picked by first, so the best is a key or two away.
var sortCycle = []string{"val_metric", "test_metric", "duration_s", "samples_per_s", "params", "lr", "batch", "epochs",
	"layers", "optimizer", "name", "dataset", "created", "status", "sweep"}

// nextSort moves the sort to the next shown column in sortCycle, then
// back to the listing's order.
func (t *runsTable) nextSort() {
	from := slices.Index(sortCycle, t.sortField)
	t.sortField = ""
	for _, f := range sortCycle[from+1:] {
		if !t.hidden[f] {
			t.sortField = f
			break
		}
	}
	t.apply()
}

// sortByMetric sorts by a sweep's metric, best first by its direction; a
// metric the table shows under a task-neutral column sorts that column.
func (t *runsTable) sortByMetric(metric string) {
	f, err := sessions.MetricField(metric)
	if err != nil {
		return
	}
	t.sortField, t.desc = f.Name, f.Better > 0
	switch f.Name {
	case "best_val_accuracy", "best_val_r2":
		t.sortField = "val_metric"
	case "test_accuracy", "test_r2":
		t.sortField = "test_metric"
	}
	t.apply()
}

// sortText is the sort as the title says it: "-val_metric", or "".
func (t *runsTable) sortText() string {
	if t.sortField == "" || !t.desc {
		return t.sortField
	}
	return "-" + t.sortField
}

// layout picks the columns that fit w cells: the chosen ones, each as wide
// as its widest value; when they do not fit, the lowest priorities go
// (named in the title) rather than any value being cut. Returns the shown
// columns (indexes into runsCols), their widths and the dropped headers.
func (t *runsTable) layout(w int) (shown, widths []int, dropped []string) {
	if t.laid.gen != t.gen || t.laid.w != w || t.shown == nil {
		t.shown, t.wid, t.drop = t.measure(w)
		t.laid.gen, t.laid.w = t.gen, w
	}
	return t.shown, t.wid, t.drop
}

func (t *runsTable) measure(w int) (shown, widths []int, dropped []string) {
	var cand []int
	for i, c := range runsCols {
		if !t.hidden[c.field] || i == 0 {
			cand = append(cand, i)
		}
	}
	// Each column as wide as its widest value; only when that is too wide
	// for w do long texts (a dataset's parameters) give way to their cap.
	width := make(map[int]int, len(cand))
	total := 0
	for _, i := range cand {
		c := runsCols[i]
		cw := cellWidth(c.head) + 1 // room for ▲/▼
		for _, r := range t.rows {
			cw = max(cw, cellWidth(r.Format(c.field)))
		}
		width[i] = cw
		total += cw + 1
	}
	if total > w {
		for _, i := range cand {
			if c := runsCols[i]; c.max > 0 && width[i] > c.max {
				width[i] = max(c.max, width[i]-(total-w)) // no narrower than needed
			}
		}
		total = 0
		for _, i := range cand {
			total += width[i] + 1
		}
	}
	var out []int
	for total > w && len(cand) > 1 {
		low := 1
		for j := 1; j < len(cand); j++ {
			if runsCols[cand[j]].prio < runsCols[cand[low]].prio {
				low = j
			}
		}
		total -= width[cand[low]] + 1
		out = append(out, cand[low])
		cand = slices.Delete(cand, low, low+1)
	}
	// A narrow column dropped early may fit in what a wide one left.
	for j := len(out) - 1; j >= 0; j-- {
		if i := out[j]; total+width[i]+1 <= w {
			total += width[i] + 1
			cand = append(cand, i)
		} else {
			dropped = append(dropped, runsCols[i].head)
		}
	}
	slices.Sort(cand)
	if total > w { // name alone is too wide: it is cut, with "…"
		width[0] = max(4, width[0]-(total-w))
	}
	for _, i := range cand {
		widths = append(widths, width[i])
	}
	return cand, widths, dropped
}

// header is the table's header line for a layout.
func (t *runsTable) header(shown, widths []int) string {
	var b strings.Builder
	for j, i := range shown {
		h := runsCols[i].head
		if runsCols[i].field == t.sortField {
			h += map[bool]string{false: "▲", true: "▼"}[t.desc]
		}
		b.WriteString(pad(h, widths[j], runsCols[i].right))
		b.WriteByte(' ')
	}
	return b.String()
}

// line is one record's row for a layout.
func (t *runsTable) line(r sessions.Record, shown, widths []int) string {
	if r.Session == nil {
		return fmt.Sprintf("%s damaged: %s", pad(trunc(r.ID, widths[0]), widths[0], false), r.Damaged)
	}
	var b strings.Builder
	for j, i := range shown {
		b.WriteString(pad(trunc(r.Format(runsCols[i].field), widths[j]), widths[j], runsCols[i].right))
		b.WriteByte(' ')
	}
	return b.String()
}

// pad fills s to w cells, on the left for right-aligned numbers.
func pad(s string, w int, right bool) string {
	n := w - cellWidth(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}
