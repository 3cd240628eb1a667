package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Charts are rasterised here into braille cells and rendered as runs of
// equal style. ntcharts' canvas renders every cell through its own
// lipgloss Render call, which at 160×48 costs several milliseconds per
// frame (see BenchmarkNtchartsLineView); runs keep a frame well under the
// 2 ms budget.

// series is one line: ys[i] is the value at x = x0 + i.
type series struct {
	ys     []float64
	xs     []float64 // x of each y; nil = x0, x0+1, …
	points bool      // dots only, no connecting lines
	x0     float64
	style  lipgloss.Style
	dotted bool
}

// chartSpec describes a line chart of w×h cells, axes and labels included.
type chartSpec struct {
	w, h       int
	series     []series
	xMin, xMax float64   // x range shown (extended to fit the data)
	yMin, yMax float64   // NaN = from the data
	markX      float64   // x of the best-epoch marker, 0 = none
	segX       []float64 // x of each continued segment's start, marked ┴ on the axis
	markStyle  lipgloss.Style
	axis       lipgloss.Style
	xFloat     bool // x labels with decimals (not epochs)
	logY       bool // ys are log10 of the values; labels show the values
}

func (s series) x(i int) float64 {
	if s.xs != nil {
		return s.xs[i]
	}
	return s.x0 + float64(i)
}

var brailleBits = [4][2]uint8{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

// lineChart draws the spec as a string of exactly spec.h lines.
func lineChart(c chartSpec) string {
	if c.w < 12 || c.h < 4 {
		return ""
	}
	// A line of more points than the chart has dot columns is drawn from
	// its envelope: 100k epochs cost what a few hundred do.
	c.series = append([]series(nil), c.series...)
	for i, s := range c.series {
		if !s.points && len(s.ys) > 4*c.w {
			ys := s.ys
			s.xs, s.ys = envelope(len(ys), s.x, func(i int) float64 { return ys[i] }, 2*c.w)
			c.series[i] = s
		}
	}
	// y range from the data unless given
	lo, hi := math.Inf(1), math.Inf(-1)
	xmax := c.xMax
	for _, s := range c.series {
		for i, y := range s.ys {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				continue
			}
			lo, hi = math.Min(lo, y), math.Max(hi, y)
			xmax = math.Max(xmax, s.x(i))
		}
	}
	if !math.IsNaN(c.yMin) {
		lo = c.yMin
	}
	if !math.IsNaN(c.yMax) {
		hi = c.yMax
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi-lo < 1e-9 {
		hi, lo = hi+0.5, lo-0.5
	} else if math.IsNaN(c.yMin) || math.IsNaN(c.yMax) {
		pad := (hi - lo) * 0.05
		if math.IsNaN(c.yMin) {
			// padding never takes a non-negative series (a loss) below 0
			lo = math.Max(lo-pad, math.Min(lo, 0))
		}
		if math.IsNaN(c.yMax) {
			hi += pad
		}
	}
	xmin := c.xMin
	if xmax <= xmin {
		xmax = xmin + 1
	}
	ph := c.h - 2
	labels, lw := yTicks(lo, hi, max(ph, 1), c.logY)
	pw := c.w - lw - 1
	if pw < 4 || ph < 2 {
		return ""
	}
	dots := make([]uint8, pw*ph)
	owner := make([]int8, pw*ph)
	for i := range owner {
		owner[i] = -1
	}
	dw, dh := pw*2, ph*4
	toDot := func(x, y float64) (int, int) {
		dx := int(math.Round((x - xmin) / (xmax - xmin) * float64(dw-1)))
		dy := int(math.Round((hi - y) / (hi - lo) * float64(dh-1)))
		return dx, dy
	}
	set := func(dx, dy int, si int8) {
		if dx < 0 || dy < 0 || dx >= dw || dy >= dh {
			return
		}
		i := (dy/4)*pw + dx/2
		dots[i] |= brailleBits[dy%4][dx%2]
		owner[i] = si
	}
	for si, s := range c.series {
		px, py, have := 0, 0, false
		n := 0
		for i, y := range s.ys {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				have = false
				continue
			}
			dx, dy := toDot(s.x(i), math.Max(lo, math.Min(hi, y)))
			if s.points {
				set(dx, dy, int8(si))
				continue
			}
			if !have {
				px, py, have = dx, dy, true
				set(dx, dy, int8(si))
				continue
			}
			line(px, py, dx, dy, func(x, y int) {
				n++
				if !s.dotted || (n/2)%2 == 0 {
					set(x, y, int8(si))
				}
			})
			px, py = dx, dy
		}
	}
	styles := make([]inline, len(c.series))
	for i, s := range c.series {
		styles[i] = inlineOf(s.style)
	}
	axis := inlineOf(c.axis)
	var b strings.Builder
	b.Grow(c.w * c.h * 4)
	row := make([]rune, 0, pw)
	for r := 0; r < ph; r++ {
		label := labels[r]
		axis.wrap(&b, strings.Repeat(" ", lw-len(label))+label+"│")
		cur := int8(-2)
		flush := func() {
			if len(row) == 0 {
				return
			}
			if cur < 0 {
				b.WriteString(string(row))
			} else {
				styles[cur].wrap(&b, string(row))
			}
			row = row[:0]
		}
		for x := 0; x < pw; x++ {
			i := r*pw + x
			o := owner[i]
			if o != cur {
				flush()
				cur = o
			}
			if dots[i] == 0 {
				row = append(row, ' ')
			} else {
				row = append(row, rune(0x2800+int(dots[i])))
			}
		}
		flush()
		b.WriteByte('\n')
	}
	// x axis with the best-epoch marker
	axisLine := []rune(strings.Repeat("─", pw))
	markCol := -1
	if c.markX > 0 && c.markX >= xmin && c.markX <= xmax {
		markCol = int(math.Round((c.markX-xmin)/(xmax-xmin)*float64(dw-1))) / 2
	}
	for _, x := range c.segX {
		if x >= xmin && x <= xmax {
			if col := int(math.Round((x-xmin)/(xmax-xmin)*float64(dw-1))) / 2; col >= 0 && col < pw {
				axisLine[col] = '┴'
			}
		}
	}
	axis.wrap(&b, strings.Repeat(" ", lw)+"└")
	if markCol >= 0 && markCol < pw {
		axis.wrap(&b, string(axisLine[:markCol]))
		b.WriteString(c.markStyle.Render("▲"))
		axis.wrap(&b, string(axisLine[markCol+1:]))
	} else {
		axis.wrap(&b, string(axisLine))
	}
	b.WriteByte('\n')
	// x labels at round epochs (or values)
	axis.wrap(&b, strings.Repeat(" ", lw)+xTickLine(pw, xmin, xmax, c.xFloat))
	return b.String()
}

// xLabels is the line under an x axis pw cells wide: ticks evenly spaced
// labels from xmin to xmax, the last flush right, any that would touch
// its neighbour left out.
func xLabels(pw, ticks int, xmin, xmax float64, label func(float64) string) string {
	xl := []rune(strings.Repeat(" ", pw+1))
	next, prev := 0, ""
	for t := 0; t < ticks; t++ {
		s := label(xmin + (xmax-xmin)*float64(t)/float64(ticks-1))
		if s == prev {
			continue // a label once: "1 1 2" says less than "1 2"
		}
		col := int(math.Round(float64(t) / float64(ticks-1) * float64(pw-1)))
		if t == ticks-1 {
			col = pw - len(s) + 1
		}
		if col < next || col+len(s) > len(xl) {
			continue
		}
		copy(xl[col:], []rune(s))
		next, prev = col+len(s)+1, s
	}
	return string(xl)
}

// line calls plot for every dot of a Bresenham line from (x0,y0) to (x1,y1),
// excluding the start.
func line(x0, y0, x1, y1 int, plot func(x, y int)) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	err := dx + dy
	for x0 != x1 || y0 != y1 {
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
		plot(x0, y0)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fmtAxis keeps axis labels short.
func fmtAxis(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a >= 1000:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	case a >= 10:
		return fmt.Sprintf("%.0f", v)
	case a >= 0.01:
		return fmt.Sprintf("%.2f", v)
	}
	return strconv.FormatFloat(v, 'e', 0, 64)
}

// sparkline draws values (oldest first) in w cells.
func sparkline(vals []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	hi := 0.0
	for _, v := range vals {
		hi = math.Max(hi, v)
	}
	bars := []rune("▁▂▃▄▅▆▇█")
	out := make([]rune, 0, w)
	for i := 0; i < w-len(vals); i++ {
		out = append(out, ' ')
	}
	for _, v := range vals {
		if hi <= 0 || v <= 0 {
			out = append(out, ' ')
			continue
		}
		out = append(out, bars[min(len(bars)-1, int(v/hi*float64(len(bars)-1)+0.5))])
	}
	return string(out)
}

// bar is a horizontal bar of frac×w cells.
func bar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	frac = math.Max(0, math.Min(1, frac))
	full := int(math.Round(frac * float64(w)))
	return strings.Repeat("█", full) + strings.Repeat("░", w-full)
}

// envelope downsamples the n points (x(i), y(i)) to at most two a bucket,
// buckets of equal count: each bucket's lowest and highest finite y in the
// order they came, so peaks and dips still show. A bucket with no finite y
// gives a NaN, which breaks the line as the gap it is.
func envelope(n int, x, y func(i int) float64, buckets int) (xs, ys []float64) {
	buckets = max(1, min(buckets, n))
	xs, ys = make([]float64, 0, 2*buckets), make([]float64, 0, 2*buckets)
	for b := range buckets {
		from, to := b*n/buckets, (b+1)*n/buckets
		lo, hi := -1, -1
		var loV, hiV float64
		for i := from; i < to; i++ {
			v := y(i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if lo < 0 || v < loV {
				lo, loV = i, v
			}
			if hi < 0 || v > hiV {
				hi, hiV = i, v
			}
		}
		switch {
		case lo < 0:
			xs, ys = append(xs, x(from)), append(ys, math.NaN())
		case lo == hi:
			xs, ys = append(xs, x(lo)), append(ys, loV)
		case lo < hi:
			xs, ys = append(xs, x(lo), x(hi)), append(ys, loV, hiV)
		default:
			xs, ys = append(xs, x(hi), x(lo)), append(ys, hiV, loV)
		}
	}
	return xs, ys
}
