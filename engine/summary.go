package engine

import (
	"fmt"
	"strings"
)

// Summary lists the layers, their output shapes and parameter counts.
func (m *Model) Summary() []SummaryRow {
	rows := make([]SummaryRow, 0, len(m.impl.layers))
	for _, l := range m.impl.layers {
		r := SummaryRow{Output: fmt.Sprintf("(-, %d)", l.out)}
		if l.kind == kindDropout {
			r.Layer = "dropout " + fmt.Sprint(l.rate)
		} else {
			r.Layer = "dense (" + m.impl.activationName(l) + ")"
			r.Params = l.in*l.out + l.out
		}
		rows = append(rows, r)
	}
	return rows
}

// SummaryTable renders Summary as a plain-text table with a total line.
func (m *Model) SummaryTable() string {
	rows := m.Summary()
	head := SummaryRow{Layer: "Layer", Output: "Output shape"}
	w1, w2 := len(head.Layer), len(head.Output)
	for _, r := range rows {
		w1, w2 = max(w1, len(r.Layer)), max(w2, len(r.Output))
	}
	var b strings.Builder
	line := strings.Repeat("─", w1+w2+16) + "\n"
	fmt.Fprintf(&b, "%-*s  %-*s  %12s\n", w1, head.Layer, w2, head.Output, "Params")
	b.WriteString(line)
	fmt.Fprintf(&b, "%-*s  %-*s  %12s\n", w1, "input", w2, fmt.Sprintf("(-, %d)", m.impl.cfg.Inputs), "0")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s  %-*s  %12d\n", w1, r.Layer, w2, r.Output, r.Params)
	}
	b.WriteString(line)
	fmt.Fprintf(&b, "Total params: %d (%s)\n", m.ParamCount(), humanBytes(m.bytesPerParam()*m.ParamCount()))
	return b.String()
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// bytesPerParam is the size of one weight in the model's DType.
func (m *Model) bytesPerParam() int {
	if m.impl.cfg.DType == Float32 {
		return 4
	}
	return 8
}
