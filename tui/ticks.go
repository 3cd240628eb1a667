package tui

import (
	"math"
	"strconv"
	"strings"
)

// Axis ticks sit at round numbers (1, 2 or 5 times a power of ten), are
// each labelled once, and show 0 as "0": labels like "1 1 1 2 2 2" or
// "-1e-17" came from labelling evenly spaced positions, not round values.

// niceStep is the round step (1, 2 or 5 × 10^k) that puts at most n ticks
// over a span.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// niceTicks are the multiples of a round step within [lo, hi], at most n+1
// of them. minStep floors the step (1 for epochs: no tick between two).
func niceTicks(lo, hi float64, n int, minStep float64) (ticks []float64, step float64) {
	if hi < lo {
		lo, hi = hi, lo
	}
	step = math.Max(niceStep(hi-lo, n), minStep)
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 || i > 1000 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0 // no -0 and no 1e-17 for zero
		}
		ticks = append(ticks, v)
	}
	return ticks, step
}

// tickLabel writes v to as many decimals as step needs, so neighbouring
// ticks never read the same; thousands and millions get k and M.
func tickLabel(v, step float64) string {
	if v == 0 {
		return "0"
	}
	a := math.Max(math.Abs(v), step)
	suffix, div := "", 1.0
	switch {
	case a >= 1e6 && step >= 1e5:
		suffix, div = "M", 1e6
	case a >= 1e4 && step >= 100:
		suffix, div = "k", 1e3
	case step < 1e-3:
		return strconv.FormatFloat(v, 'g', max(1, sigDigits(v, step)), 64)
	}
	d := decimals(step / div)
	return strconv.FormatFloat(v/div, 'f', d, 64) + suffix
}

// decimals is how many digits after the point a multiple of step needs.
func decimals(step float64) int {
	for d := 0; d < 8; d++ {
		s := step * math.Pow(10, float64(d))
		if math.Abs(s-math.Round(s)) < 1e-6*math.Max(1, s) {
			return d
		}
	}
	return 8
}

// sigDigits is how many significant digits tell v from v±step.
func sigDigits(v, step float64) int {
	return int(math.Floor(math.Log10(math.Abs(v)))-math.Floor(math.Log10(step))) + 1
}

// logTickLabel labels a tick of a log10 axis with the value it stands for.
func logTickLabel(v, step float64) string {
	if step >= 1 && v == math.Round(v) {
		switch {
		case v >= 0 && v <= 3:
			return strconv.Itoa(int(math.Pow(10, v)))
		case v < 0 && v >= -2:
			return strconv.FormatFloat(math.Pow(10, v), 'f', int(-v), 64)
		}
		return "1e" + strconv.Itoa(int(v))
	}
	return strconv.FormatFloat(math.Pow(10, v), 'g', 2, 64)
}

// yTicks places labelled ticks on the ph rows of a y axis from lo (bottom)
// to hi (top): label[r] is row r's text, "" for none. No two ticks share
// a row; at most one every other row so the axis stays legible.
func yTicks(lo, hi float64, ph int, logY bool) (labels []string, width int) {
	labels = make([]string, ph)
	n := max(1, min(6, ph/2))
	var ticks, at []float64 // tick values and where they sit on the axis
	var step float64
	decades := logY && math.Floor(hi)-math.Ceil(lo) >= 1
	switch {
	case decades:
		// whole decades once two fall on the axis
		at, step = niceTicks(lo, hi, n, 1)
		ticks = at
	case logY:
		// under a decade: 1, 2 and 5 times powers of ten (evenly spread on
		// a log axis), else round values; each placed at its logarithm
		for k := math.Floor(lo) - 1; k <= math.Ceil(hi); k++ {
			for _, m := range []float64{1, 2, 5} {
				if v := m * math.Pow(10, k); math.Log10(v) >= lo-1e-9 && math.Log10(v) <= hi+1e-9 {
					ticks = append(ticks, v)
				}
			}
		}
		if len(ticks) < 2 {
			ticks, step = niceTicks(math.Pow(10, lo), math.Pow(10, hi), n, 0)
		}
		for _, t := range ticks {
			at = append(at, math.Log10(t))
		}
	default:
		ticks, step = niceTicks(lo, hi, n, 0)
		at = ticks
	}
	last := -2
	for i := len(ticks) - 1; i >= 0; i-- { // top down
		r := int(math.Round((hi - at[i]) / (hi - lo) * float64(ph-1)))
		if r < 0 || r >= ph || r-last < 2 || math.IsNaN(at[i]) {
			continue
		}
		switch {
		case decades:
			labels[r] = logTickLabel(ticks[i], step)
		case step == 0: // 1-2-5 ticks: each its own precision
			labels[r] = tickLabel(ticks[i], ticks[i])
		default:
			labels[r] = tickLabel(ticks[i], step)
		}
		width = max(width, len(labels[r]))
		last = r
	}
	return labels, width
}

// xTickLine is the line under an x axis pw cells wide from xmin to xmax:
// labels at round values (whole epochs unless float), each centred on its
// column, any that would touch its neighbour left out.
func xTickLine(pw int, xmin, xmax float64, float bool) string {
	minStep := 1.0
	if float {
		minStep = 0
	}
	ticks, step := niceTicks(xmin, xmax, max(1, min(6, pw/8)), minStep)
	xl := []rune(strings.Repeat(" ", pw+1))
	next := 0
	for _, t := range ticks {
		s := tickLabel(t, step)
		col := int(math.Round((t-xmin)/(xmax-xmin)*float64(pw-1))) - len(s)/2
		col = max(col, 0)
		if col+len(s) > len(xl) {
			col = len(xl) - len(s)
		}
		if col < next {
			continue
		}
		copy(xl[col:], []rune(s))
		next = col + len(s) + 1
	}
	return string(xl)
}
