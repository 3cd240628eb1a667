package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// chartKeys are the chart controls of the Train pane and the compare view.
type chartKeys struct {
	Smooth, LogY, ZoomIn, ZoomOut, PanLeft, PanRight, Train, Val, LR key.Binding
}

func newChartKeys() chartKeys {
	return chartKeys{
		Smooth:   k("s", "smoothing", "s"),
		LogY:     k("L", "log-scale y", "L"),
		ZoomIn:   k("+", "zoom in", "+", "="),
		ZoomOut:  k("-", "zoom out", "-", "_"),
		PanLeft:  k("<", "pan earlier", "<", ","),
		PanRight: k(">", "pan later", ">", "."),
		Train:    k("T", "show/hide train", "T"),
		Val:      k("V", "show/hide val", "V"),
		LR:       k("l", "learning rate", "l"),
	}
}

// help is the keys in two help columns: what is drawn, and where.
func (k chartKeys) help() [][]key.Binding {
	return [][]key.Binding{{k.Smooth, k.LogY, k.Train, k.Val, k.LR}, {k.ZoomIn, k.ZoomOut, k.PanLeft, k.PanRight}}
}

// smoothSteps are the smoothing weights s cycles through: TensorBoard's
// slider from 0 to 0.99 in the steps that change the picture.
var smoothSteps = []float64{0, 0.6, 0.8, 0.9, 0.95, 0.99}

// maxZoom halves the epoch window at most this many times.
const maxZoom = 10

// chartCtl is how the curves are shown: what the chart keys set.
type chartCtl struct {
	smooth    int     // index into smoothSteps
	logY      bool    // loss on a log10 axis
	zoom      int     // the window is the run's epochs / 2^zoom
	pan       float64 // where the window sits: 0 first epochs … 1 latest
	hideTrain bool
	hideVal   bool
	lr        bool // the learning rate drawn on the loss chart
}

func newChartCtl() chartCtl { return chartCtl{pan: 1} }

func (c chartCtl) weight() float64 { return smoothSteps[c.smooth%len(smoothSteps)] }

// update applies a chart key; false if msg is none of them.
func (c *chartCtl) update(msg tea.KeyMsg, k chartKeys) bool {
	switch {
	case key.Matches(msg, k.Smooth):
		c.smooth = (c.smooth + 1) % len(smoothSteps)
	case key.Matches(msg, k.LogY):
		c.logY = !c.logY
	case key.Matches(msg, k.ZoomIn):
		c.zoom = min(c.zoom+1, maxZoom)
	case key.Matches(msg, k.ZoomOut):
		c.zoom = max(c.zoom-1, 0)
		if c.zoom == 0 {
			c.pan = 1
		}
	case key.Matches(msg, k.PanLeft):
		c.pan = math.Max(0, c.pan-c.panStep())
	case key.Matches(msg, k.PanRight):
		c.pan = math.Min(1, c.pan+c.panStep())
	case key.Matches(msg, k.Train):
		c.hideTrain = !c.hideTrain
	case key.Matches(msg, k.Val):
		c.hideVal = !c.hideVal
	case key.Matches(msg, k.LR):
		c.lr = !c.lr
	default:
		return false
	}
	return true
}

// panStep moves the window by a quarter of its width, as a fraction of
// the room it has to move in (the run less the window).
func (c chartCtl) panStep() float64 {
	f := math.Pow(2, -float64(c.zoom))
	if f >= 1 {
		return 1
	}
	return f / 4 / (1 - f)
}

// window is the epoch range shown of a run spanning [first, last].
func (c chartCtl) window(first, last float64) (float64, float64) {
	span := last - first
	if c.zoom == 0 || span <= 0 {
		return first, last
	}
	w := math.Max(span*math.Pow(2, -float64(c.zoom)), math.Min(span, 4))
	from := first + (span-w)*c.pan
	return from, from + w
}

// title says what differs from the plain chart: "" when nothing does.
func (c chartCtl) title(first, last float64) string {
	var parts []string
	if w := c.weight(); w > 0 {
		parts = append(parts, fmt.Sprintf("smooth %.2g", w))
	}
	if c.logY {
		parts = append(parts, "log y")
	}
	if c.zoom > 0 && last > first {
		a, b := c.window(first, last)
		parts = append(parts, fmt.Sprintf("epochs %d–%d", int(math.Round(a)), int(math.Round(b))))
	}
	switch {
	case c.hideTrain && c.hideVal:
		parts = append(parts, "train, val hidden")
	case c.hideTrain:
		parts = append(parts, "train hidden")
	case c.hideVal:
		parts = append(parts, "val hidden")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " · ")
}

// clip is the part of the points (xs ascending) inside [from, to].
func clip(xs, ys []float64, from, to float64) ([]float64, []float64) {
	i := 0
	for i < len(xs) && xs[i] < from {
		i++
	}
	j := i
	for j < len(xs) && xs[j] <= to {
		j++
	}
	return xs[i:j], ys[i:j]
}

// log10s is ys on a log axis: values at or below 0 have no place there
// and break the line.
func log10s(ys []float64) []float64 {
	out := make([]float64, len(ys))
	for i, y := range ys {
		if y > 0 {
			out[i] = math.Log10(y)
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

// rescale maps ys linearly from their own range onto [lo, hi] (top end
// for a constant series), so a learning rate can share the loss axis.
func rescale(ys []float64, lo, hi float64) (out []float64, min, max float64) {
	min, max = math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		if finite(y) {
			min, max = math.Min(min, y), math.Max(max, y)
		}
	}
	out = make([]float64, len(ys))
	for i, y := range ys {
		switch {
		case !finite(y):
			out[i] = math.NaN()
		case max-min < 1e-300:
			out[i] = hi
		default:
			out[i] = lo + (y-min)/(max-min)*(hi-lo)
		}
	}
	return out, min, max
}
