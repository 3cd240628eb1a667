package cli

// The runs table `workbench sessions` prints: the columns, every
// value in full. On a terminal too narrow for them all, whole columns are
// left out (the least needed first) and a last line names them, so no value
// is ever cut silently.

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"golang.org/x/term"

	"workbench/sessions"
)

// runsColumn is one column: its header and its cell for a healthy session.
type runsColumn struct {
	head string
	cell func(r sessions.Record) string
}

func field(head, name string) runsColumn {
	return runsColumn{head, func(r sessions.Record) string { return r.Format(name) }}
}

// runsColumns are in display order; dropOrder says which go first when the
// terminal is too narrow (NAME, BEST VAL, TEST and STATUS always stay: a
// name names a session as well as its id does, and default names are
// unique, so the settings columns outlast the long id).
var runsColumns = []runsColumn{
	field("ID", "id"),
	field("NAME", "name"),
	field("DATASET", "dataset"),
	field("LAYERS", "layers"),
	field("OPTIMIZER", "optimizer"),
	field("LR", "lr"),
	field("BATCH", "batch"),
	field("EPOCHS", "epochs"),
	field("PARAMS", "params"),
	{"BEST VAL", func(r sessions.Record) string { return r.Session.BestVal() }},
	{"TEST", func(r sessions.Record) string { return r.Session.TestSummary() }},
	field("SAMPLES/S", "samples_per_s"),
	field("DURATION", "duration_s"),
	field("STATUS", "status"),
	field("CREATED", "created"),
	field("SWEEP", "sweep"),
}

var dropOrder = []string{"SWEEP", "CREATED", "SAMPLES/S", "PARAMS", "BATCH", "OPTIMIZER", "DURATION", "ID", "EPOCHS", "LR", "LAYERS", "DATASET"}

// terminalWidth is w's width in columns when it is a terminal, else 0 (no
// limit: a pipe gets every column).
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil || cols < 20 {
		return 0
	}
	return cols
}

// writeRunsTable prints one row per record within width columns (0 = no
// limit). A damaged session's reason starts at the NAME column: written
// through the tabwriter as a short row it would end the column block and
// misalign every row after it.
func writeRunsTable(w io.Writer, recs []sessions.Record, width int) error {
	cols := slices.Clone(runsColumns)
	var left []string
	lines := renderRuns(cols, recs)
	for _, drop := range dropOrder {
		if width == 0 || widest(lines) <= width {
			break
		}
		cols = slices.DeleteFunc(cols, func(c runsColumn) bool { return c.head == drop })
		left = append(left, drop)
		lines = renderRuns(cols, recs)
	}
	out := strings.Join(lines, "\n") + "\n"
	if len(left) > 0 {
		out += fmt.Sprintf("(%s left out to fit %d columns; a wider terminal or --json shows them)\n", strings.Join(left, ", "), width)
	}
	_, err := io.WriteString(w, out)
	return err
}

func renderRuns(cols []runsColumn, recs []sessions.Record) []string {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	fmt.Fprintln(tw, strings.Join(heads, "\t"))
	for _, r := range recs {
		cells := make([]string, len(cols))
		if r.Session != nil {
			for i, c := range cols {
				cells[i] = c.cell(r)
			}
		} else if cols[0].head == "ID" {
			cells[0] = r.ID // a long one widens the column for every row
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	nameCol := strings.Index(lines[0], "NAME")
	for i, r := range recs {
		if r.Session == nil {
			id := r.ID + "  " // when the ID column was left out
			if cols[0].head == "ID" {
				id = fmt.Sprintf("%-*s", nameCol, r.ID)
			}
			lines[i+1] = id + "DAMAGED: " + sessions.Printable(r.Damaged)
		} else {
			lines[i+1] = strings.TrimRight(lines[i+1], " ")
		}
	}
	return lines
}

// widest is the longest line in terminal cells, damaged reasons aside
// (they are one line of prose that may wrap).
func widest(lines []string) int {
	n := 0
	for _, l := range lines {
		if !strings.Contains(l, "DAMAGED: ") {
			n = max(n, utf8.RuneCountInString(l))
		}
	}
	return n
}

// recordJSON is a runs-table record for --json: every field it has, by
// its filter name (numbers as numbers, missing ones left out), then the
// session's updated time and error.
func recordJSON(r sessions.Record) jsonObj {
	if r.Session == nil {
		return jsonObj{{"id", r.ID}, {"damaged", r.Damaged}}
	}
	var o jsonObj
	for _, f := range sessions.Fields {
		v := r.Get(f.Name)
		switch {
		case v.Missing:
		case f.Kind == sessions.Number:
			o = append(o, jsonField{f.Name, sessions.JSONFloat(v.Num)})
		default:
			o = append(o, jsonField{f.Name, v.Text})
		}
	}
	s := r.Session
	o = append(o, jsonField{"updated", s.Updated.UTC().Format("2006-01-02T15:04:05Z07:00")})
	if s.Error != "" {
		o = append(o, jsonField{"error", s.Error})
	}
	return o
}
