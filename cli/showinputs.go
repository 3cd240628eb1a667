package cli

// sessions show, for a table session: the raw columns a prediction takes,
// with each one's type, vocabulary and fill value, and the table flags the
// session was trained with.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"workbench/datasets"
	"workbench/sessions"
)

// showInputs writes nothing for a session whose features are its columns.
func showInputs(w io.Writer, s *sessions.Session) {
	p := s.Preprocess
	if p == nil {
		return
	}
	fmt.Fprintf(w, "\nInput columns (%d, encoded into %d features):\n", len(p.Inputs), p.Outputs())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, in := range p.Inputs {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", sessions.Printable(in.Name), in.Kind, inputDetail(in))
	}
	tw.Flush()
}

// inputDetail is one input's vocabulary size (and first categories) or
// what fills its gaps.
func inputDetail(in datasets.InputColumn) string {
	switch in.Kind {
	case datasets.Categorical:
		cats := make([]string, len(in.Categories))
		for i, c := range in.Categories {
			cats[i] = sessions.Printable(c)
		}
		return fmt.Sprintf("%d categories + unknown: %s", len(in.Categories), sessions.Clip(strings.Join(cats, ", "), 60))
	case datasets.Date:
		if in.Fill == nil {
			return "days since 1970-01-01 and weekday; gaps refused"
		}
		day := time.Unix(int64(*in.Fill*86400), 0).UTC().Format("2006-01-02")
		return "days since 1970-01-01 and weekday; gaps filled with " + day
	}
	if in.Fill == nil {
		return "gaps refused"
	}
	return "gaps filled with " + strconv.FormatFloat(*in.Fill, 'g', 6, 64)
}

// tableFlagsText spells a session's table options as the train flags
// that give them ("" when none differ from the defaults).
func tableFlagsText(t *datasets.TableOptions) string {
	if t == nil {
		return ""
	}
	var parts []string
	list := func(flag string, v []string) {
		if len(v) > 0 {
			parts = append(parts, "--"+flag+" "+strings.Join(v, ","))
		}
	}
	list("features", t.Features)
	list("drop", t.Drop)
	list("categorical", t.Categorical)
	if t.MaxCategories > 0 {
		parts = append(parts, "--max-categories "+strconv.Itoa(t.MaxCategories))
	}
	if t.SkipRows > 0 {
		parts = append(parts, "--skip-rows "+strconv.Itoa(t.SkipRows))
	}
	if t.Impute != datasets.ImputeNone {
		parts = append(parts, "--impute "+string(t.Impute))
	}
	if t.DropDates {
		parts = append(parts, "--drop-dates")
	}
	return sessions.Printable(strings.Join(parts, " "))
}
