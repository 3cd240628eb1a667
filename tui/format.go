package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// fmtF is the one rule for a loss or metric on screen (loss, accuracy, R²,
// MSE, MAE, their val_ forms, chart labels of metrics): four decimals, or
// three significant digits in e-notation below 0.001 and from 100000 up,
// where four decimals would read 0.0000 or run wide. Values in a target's
// own units (a prediction, a true value) are fmtTarget's.
func fmtF(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-3 || a >= 1e5) {
		return fmt.Sprintf("%.2e", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func fmtDur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// fmtTarget writes a value in a regression target's own units: 150380
// rather than 1.5038e+05 (a price is read in whole units), 0.0123 as is.
func fmtTarget(v float64) string {
	if a := math.Abs(v); a >= 1000 && a < 1e15 {
		return fmtInt(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// fmtInt writes 182400 as 182,400.
func fmtInt(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
func fmtLatency(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// wrapRunes cuts s into at most n lines of w cells (a long path stays
// whole where it fits); "" is no lines.
func wrapRunes(s string, w, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 && len(out) < n {
		cut := min(w, len(r))
		if len(out) == n-1 && len(r) > w {
			out = append(out, trunc(string(r), w))
			break
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return out
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
