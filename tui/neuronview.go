package tui

import (
	"fmt"
	"math"
	"strings"
)

// neuronBox draws the neurons of the layer and page shown in a w×h box.
func (p *trainPane) neuronBox(w, h int) string {
	n := p.neurons
	title := fmt.Sprintf("neurons · layer %d/%d (%d %s)", n.layer+1, len(n.hidden), p.units(), n.hidden[n.layer].Activation)
	if pg := p.pages(); pg > 1 {
		title += fmt.Sprintf(" · page %d/%d", n.page+1, pg)
	}
	if len(n.hidden) > 1 || p.pages() > 1 {
		title += " · [ ] page"
	}
	set := p.shownNeurons()
	var body string
	switch {
	case set == nil && p.grid != nil && p.grid.req == p.neuronReq():
		body = p.st.Warn.Render("no neuron maps for this model") // asked for, and they failed
	case set == nil:
		body = p.st.Dim.Render("computing…")
	case isFit(p.ds):
		body = p.neuronCurves(set, w-2, h-2)
	default:
		body = p.st.neuronTiles(set, n.page*n.perPage, n.perPage, n.tw, n.th, w-2)
	}
	return p.st.box(title, body, w, h, false)
}

// shownNeurons is the computed set when it is of the layer and tile size
// on screen (a stale one from another layer would mislabel the tiles).
func (p *trainPane) shownNeurons() *neuronSet {
	if p.grid == nil || p.grid.neurons == nil || p.grid.req != p.neuronReq() {
		return nil
	}
	return p.grid.neurons
}

// neuronScale is how a layer's values map to shades: diverging around 0
// (by ±hi) when the activation can go negative, else sequential over 0..hi.
func neuronScale(set *neuronSet) (hi float64, diverging bool) {
	switch set.act {
	case "tanh":
		return 1, true
	case "sigmoid":
		return 1, false
	}
	diverging = set.act != "relu"
	for _, g := range set.grids {
		for _, v := range g {
			hi = math.Max(hi, math.Abs(v))
		}
	}
	return max(hi, 1e-9), diverging
}

// neuronShades: four strengths of positive (and, diverging, negative)
// activation; near 0 is blank. Without colour, negative shows as dots and
// hashes so the sign still reads.
var (
	posShades = []rune("░▒▓█")
	negShades = []rune(".:=#")
)

// neuronTiles draws neurons [first, first+count) of set as tw×th tiles,
// row by row, in a body w cells wide.
func (st *Styles) neuronTiles(set *neuronSet, first, count, tw, th, w int) string {
	hi, div := neuronScale(set)
	pos, neg := inlineOf(st.Train), inlineOf(st.Val)
	negRunes := posShades
	if !st.Colour {
		negRunes = negShades
	}
	perRow := max(1, (w+1)/(tw+1))
	last := min(len(set.grids), first+count)
	var sb strings.Builder
	for r0 := first; r0 < last; r0 += perRow {
		if r0 > first {
			sb.WriteString("\n\n") // a blank row between rows of tiles
		}
		for y := 0; y < th; y++ {
			if y > 0 {
				sb.WriteByte('\n')
			}
			for k := r0; k < min(r0+perRow, last); k++ {
				if k > r0 {
					sb.WriteByte(' ')
				}
				g := set.grids[k]
				if len(g) < tw*th {
					sb.WriteString(strings.Repeat(" ", tw))
					continue
				}
				shadeRow(&sb, g[y*tw:(y+1)*tw], hi, div, pos, neg, negRunes)
			}
		}
	}
	return sb.String()
}

// shadeRow writes one row of a tile, a styled run per shade sign.
func shadeRow(sb *strings.Builder, vals []float64, hi float64, div bool, pos, neg inline, negRunes []rune) {
	var buf []rune
	cur := 0 // 1 positive, -1 negative, 0 blank
	flush := func() {
		switch {
		case len(buf) == 0:
		case cur > 0:
			pos.wrap(sb, string(buf))
		case cur < 0:
			neg.wrap(sb, string(buf))
		default:
			sb.WriteString(string(buf))
		}
		buf = buf[:0]
	}
	for _, v := range vals {
		q := v / hi
		if !div {
			q = math.Max(q, 0)
		}
		sign, ch := 0, ' '
		if a := math.Abs(q); a >= 0.1 && !math.IsNaN(q) {
			lvl := min(int(a*4), 3)
			sign, ch = 1, posShades[lvl]
			if q < 0 {
				sign, ch = -1, negRunes[lvl]
			}
		}
		if sign != cur {
			flush()
			cur = sign
		}
		buf = append(buf, ch)
	}
	flush()
}

// neuronCurves draws a 1-D regression's hidden neurons as curves over the
// feature's range, one colour each.
func (p *trainPane) neuronCurves(set *neuronSet, w, h int) string {
	if len(set.xs) < 2 {
		return ""
	}
	ss := make([]series, len(set.grids))
	for i, g := range set.grids {
		ss[i] = series{xs: set.xs, ys: g, style: p.st.class(i)}
	}
	return lineChart(chartSpec{w: w, h: h, series: ss, xMin: set.xs[0], xMax: set.xs[len(set.xs)-1],
		yMin: math.NaN(), yMax: math.NaN(), axis: p.st.Axis, xFloat: true})
}
