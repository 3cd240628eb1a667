package tui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// runMarks tell compared runs apart without colour: a run is drawn with
// its glyph, never a braille dot, so NO_COLOR still shows whose curve is
// whose.
var runMarks = []rune("●▲■◆○△□◇")

// maxCompare is how many runs a comparison overlays: one glyph each.
const maxCompare = 8

func runMark(i int) rune { return runMarks[i%len(runMarks)] }

// xScale is how a comparison lays out epochs: a 100-epoch run beside a
// 5,000-epoch one is a sliver on an absolute axis.
type xScale int

const (
	xAbsolute   xScale = iota // epoch number
	xNormalised               // each run's epochs over its own length, 0 to 1
	xLog                      // log10 of the epoch number
)

func (s xScale) String() string {
	switch s {
	case xNormalised:
		return "normalised"
	case xLog:
		return "log"
	}
	return "absolute"
}

// runCurve is one run's values at epochs 1…len(ys).
type runCurve struct {
	ys    []float64
	mark  rune
	style lipgloss.Style
}

// x is where epoch i (0-based) of a curve of n epochs sits on scale s.
func (s xScale) x(i, n int) float64 {
	e := float64(i + 1)
	switch s {
	case xNormalised:
		if n <= 1 {
			return 1
		}
		return float64(i) / float64(n-1)
	case xLog:
		return math.Log10(e)
	}
	return e
}

// label is the axis text at position v of scale s: epochs for absolute
// and log (10^v), a fraction of each run for normalised.
func (s xScale) label(v float64) string {
	switch s {
	case xNormalised:
		return strconv.Itoa(int(math.Round(v*100))) + "%"
	case xLog:
		return strconv.Itoa(int(math.Round(math.Pow(10, v))))
	}
	return strconv.Itoa(int(math.Round(v)))
}

// markChart draws the curves in w×h cells, axes included, each as its
// glyph once per column it crosses. Later curves draw over earlier ones.
// With logY the ys are log10 of the values and the axis is labelled with
// the values.
func markChart(curves []runCurve, s xScale, win [2]float64, w, h int, axis lipgloss.Style, logY bool) string {
	if w < 12 || h < 4 {
		return fitBlock("", max(w, 0), max(h, 0))
	}
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for i, y := range c.ys {
			if finite(y) {
				x := s.x(i, len(c.ys))
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	// The zoom window: the part [win[0], win[1]] of the x extent (the
	// whole of it is [0, 1]); the y range is that of what it shows.
	if span := xmax - xmin; span > 0 && (win[0] > 0 || win[1] < 1) && win[1] > win[0] {
		xmin, xmax = xmin+win[0]*span, xmin+win[1]*span
	}
	inWindow := func(x float64) bool { return x >= xmin-1e-9 && x <= xmax+1e-9 }
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for i, y := range c.ys {
			if finite(y) && inWindow(s.x(i, len(c.ys))) {
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi, xmin, xmax = 0, 1, 0, 1
	}
	if hi-lo < 1e-12 {
		lo, hi = lo-0.5, hi+0.5
	}
	if xmax <= xmin {
		xmax = xmin + 1
	}
	ph := h - 2
	labels, lw := yTicks(lo, hi, ph, logY)
	pw := w - lw - 1
	grid := make([]rune, pw*ph)
	owner := make([]int, pw*ph)
	for i := range grid {
		grid[i], owner[i] = ' ', -1
	}
	col := func(x float64) int { return int(math.Round((x - xmin) / (xmax - xmin) * float64(pw-1))) }
	row := func(y float64) int { return int(math.Round((hi - y) / (hi - lo) * float64(ph-1))) }
	for ci, c := range curves {
		n := len(c.ys)
		// Each column the curve spans gets one glyph: the mean of its
		// points there, or the line between neighbours where it has none.
		sum, cnt := make([]float64, pw), make([]int, pw)
		first, last := pw, -1
		for i, y := range c.ys {
			if !finite(y) || !inWindow(s.x(i, n)) {
				continue
			}
			k := col(s.x(i, n))
			sum[k] += y
			cnt[k]++
			first, last = min(first, k), max(last, k)
		}
		prev := -1
		for k := first; k <= last; k++ {
			if cnt[k] == 0 {
				continue
			}
			if prev >= 0 {
				a, b := sum[prev]/float64(cnt[prev]), sum[k]/float64(cnt[k])
				for j := prev + 1; j < k; j++ {
					t := float64(j-prev) / float64(k-prev)
					put(grid, owner, pw, j, row(a+(b-a)*t), c.mark, ci)
				}
			}
			put(grid, owner, pw, k, row(sum[k]/float64(cnt[k])), c.mark, ci)
			prev = k
		}
	}
	styles := make([]inline, len(curves))
	for i, c := range curves {
		styles[i] = inlineOf(c.style)
	}
	ax := inlineOf(axis)
	var b strings.Builder
	for r := 0; r < ph; r++ {
		label := labels[r]
		ax.wrap(&b, strings.Repeat(" ", lw-len(label))+label+"│")
		for x := 0; x < pw; x++ {
			i := r*pw + x
			if owner[i] < 0 {
				b.WriteRune(' ')
				continue
			}
			styles[owner[i]].wrap(&b, string(grid[i]))
		}
		b.WriteByte('\n')
	}
	ax.wrap(&b, strings.Repeat(" ", lw)+"└"+strings.Repeat("─", pw))
	b.WriteByte('\n')
	if s == xAbsolute {
		ax.wrap(&b, strings.Repeat(" ", lw)+xTickLine(pw, xmin, xmax, false))
	} else {
		ax.wrap(&b, strings.Repeat(" ", lw)+xLabels(pw, max(2, min(6, pw/10)), xmin, xmax, s.label))
	}
	return b.String()
}

func put(grid []rune, owner []int, pw, x, y int, r rune, who int) {
	if x < 0 || x >= pw || y < 0 || y*pw+x >= len(grid) {
		return
	}
	grid[y*pw+x], owner[y*pw+x] = r, who
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
