package tui

import (
	"math"
	"strings"
	"testing"
)

// TestNiceTicks: ticks sit at round numbers, epochs never get a tick
// between two whole epochs, and 0 is exactly 0.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi  float64
		n       int
		minStep float64
		want    string
	}{
		{1, 60, 5, 1, "20 40 60"},
		{1, 3, 6, 1, "1 2 3"}, // not 1 1 1 2 2 2
		{1, 2, 6, 1, "1 2"},
		{0, 1.16, 5, 0, "0 0.5 1.0"},
		{-0.3, 0.3, 6, 0, "-0.3 -0.2 -0.1 0 0.1 0.2 0.3"}, // 0 is "0", not -5.6e-17
		{0.4, 1, 3, 0, "0.4 0.6 0.8 1.0"},
		{1, 5000, 5, 1, "1000 2000 3000 4000 5000"},
		{0, 120000, 4, 1, "0 50k 100k"},
		{0.0001, 0.0005, 4, 0, "0.0001 0.0002 0.0003 0.0004 0.0005"},
		{2e-5, 8e-5, 3, 0, "2e-05 4e-05 6e-05 8e-05"},
		{0.98, 0.99, 4, 0, "0.980 0.985 0.990"},
	} {
		ticks, step := niceTicks(c.lo, c.hi, c.n, c.minStep)
		var got []string
		for _, v := range ticks {
			got = append(got, tickLabel(v, step))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("niceTicks(%v, %v, %d) = %q, want %q", c.lo, c.hi, c.n, g, c.want)
		}
	}
}

// TestXTickLineNoRepeats: a short run on a wide axis labels each epoch at
// most once (the old evenly spaced labels read "1 1 1 2 2 2").
func TestXTickLineNoRepeats(t *testing.T) {
	for _, c := range []struct {
		pw         int
		xmin, xmax float64
		want       []string
	}{
		{60, 1, 3, []string{"1", "2", "3"}},
		{60, 1, 2, []string{"1", "2"}},
		{30, 1, 100, []string{"50", "100"}},
	} {
		got := strings.Fields(xTickLine(c.pw, c.xmin, c.xmax, false))
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("xTickLine(%d, %v, %v) = %q, want %q", c.pw, c.xmin, c.xmax, got, c.want)
		}
	}
}

// TestYTicksLog: a log axis is labelled with the values: at powers of ten
// once two fall on it, else at 1-2-5 values (0.2, 0.5, 1), not at 10^0.2
// steps (0.63); one too narrow for two of those at round values.
func TestYTicksLog(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		ph     int
		want   string
	}{
		{0.001, 1, 20, "1 0.1 0.01 1e-3"},
		{0.04, 0.7, 20, "0.5 0.2 0.1 0.05"},
		{0.21, 0.45, 24, "0.45 0.40 0.35 0.30 0.25"},
	} {
		labels, _ := yTicks(math.Log10(c.lo), math.Log10(c.hi), c.ph, true)
		var got []string
		for _, l := range labels {
			if l != "" {
				got = append(got, l)
			}
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("log ticks %v–%v top to bottom = %q, want %q", c.lo, c.hi, g, c.want)
		}
	}
}

// TestLineChartAxisLabels: a 3-epoch run drawn 60 cells wide labels each
// epoch once, and a loss falling to 0 shows "0" on its y axis.
func TestLineChartAxisLabels(t *testing.T) {
	st := DefaultStyles(asciiRenderer())
	out := lineChart(chartSpec{w: 60, h: 12, series: []series{{ys: []float64{0.9, 0.4, 0}, x0: 1, style: st.Train}},
		xMin: 1, xMax: 3, yMin: math.NaN(), yMax: math.NaN(), axis: st.Axis})
	lines := strings.Split(out, "\n")
	x := strings.Fields(lines[len(lines)-1])
	if strings.Join(x, " ") != "1 2 3" {
		t.Errorf("x labels %q, want each epoch once: 1 2 3", x)
	}
	seen := map[string]bool{}
	for _, l := range lines[:len(lines)-2] {
		lab := strings.TrimSpace(strings.SplitN(l, "│", 2)[0])
		if lab != "" && seen[lab] {
			t.Errorf("y label %q repeated", lab)
		}
		seen[lab] = true
	}
	if !seen["0"] {
		t.Errorf("y axis has no 0 label: %q", out)
	}
}

// TestYTicksLogLargeValues: a log axis of values between 20 and 45 is
// labelled with those values, not as powers of ten.
func TestYTicksLogLargeValues(t *testing.T) {
	labels, _ := yTicks(math.Log10(20), math.Log10(45), 20, true)
	for _, l := range labels {
		if strings.HasPrefix(l, "1e") {
			t.Fatalf("label %q on an axis from 20 to 45", l)
		}
	}
	if !strings.Contains(strings.Join(labels, " "), "20") {
		t.Errorf("labels %q lack 20", labels)
	}
}
