package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"workbench/sessions"
)

// Epoch axes for Curves: absolute epochs, each run's epochs normalised to
// [0, 1] of its length (so a 100-epoch run is not squeezed beside a
// 5,000-epoch one), or epochs on a log scale.
const (
	AxisEpoch    = "epoch"
	AxisRelative = "relative"
	AxisLog      = "log"
)

// CurveOptions chooses what Curves draws.
type CurveOptions struct {
	Metric string  // a name from Session.MetricNames; default "loss"
	Smooth float64 // TensorBoard's smoothing weight in [0, 1); 0 draws the raw curve
	LogY   bool    // log-scaled metric axis
	Axis   string  // AxisEpoch (default), AxisRelative or AxisLog
	// From and To, when To > From, zoom to the epochs in [From, To] (the
	// window the TUI's chart shows); zero draws every epoch.
	From, To float64
}

// palette: eight colours told apart by most colour-blind readers (Tableau
// 10's first eight); with glyphs and dashes per run, curves stay distinct
// in grey too.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
}

var shapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
	draw.PlusGlyph{}, draw.RingGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{},
}

var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(2)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

// MaxRuns is how many runs one curves figure overlays.
const MaxRuns = 8

// Curves draws one metric of each run's history, overlaid: one colour,
// glyph and dash per run, a legend of the runs' names, the best epoch of
// each run ringed. Runs without the metric at any epoch are an error that
// names them.
func Curves(runs []*sessions.Session, opt CurveOptions) (Figure, error) {
	if len(runs) == 0 {
		return Figure{}, fmt.Errorf("no session to plot")
	}
	if len(runs) > MaxRuns {
		return Figure{}, fmt.Errorf("%d sessions given; a figure overlays at most %d", len(runs), MaxRuns)
	}
	if opt.Metric == "" {
		opt.Metric = "loss"
	}
	if opt.Smooth < 0 || opt.Smooth >= 1 || math.IsNaN(opt.Smooth) {
		return Figure{}, fmt.Errorf("smoothing must be in [0, 1), got %v", opt.Smooth)
	}
	if opt.To < opt.From || math.IsNaN(opt.From) || math.IsNaN(opt.To) {
		return Figure{}, fmt.Errorf("epoch range %v–%v is empty", opt.From, opt.To)
	}
	switch opt.Axis {
	case "", AxisEpoch, AxisRelative, AxisLog:
	default:
		return Figure{}, fmt.Errorf("unknown epoch axis %q; choose %s, %s or %s", opt.Axis, AxisEpoch, AxisRelative, AxisLog)
	}
	p := plot.New()
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(28)
	var title string
	for i, s := range runs {
		ser, err := s.SeriesOf(opt.Metric)
		if err != nil {
			return Figure{}, fmt.Errorf("session %s: %w", label(s), err)
		}
		if title == "" {
			title = ser.Name
		}
		pts, best := points(ser, s.BestEpoch, opt)
		if len(pts) == 0 {
			return Figure{}, fmt.Errorf("session %s has no %s to plot (%s)", label(s), ser.Name, why(s, ser.Name, opt.LogY))
		}
		col := palette[i%len(palette)]
		if opt.Smooth > 0 {
			raw, err := plotter.NewLine(pts)
			if err != nil {
				return Figure{}, err
			}
			raw.Color = color.NRGBA{col.R, col.G, col.B, 70} // faint, behind
			raw.Width = vg.Points(1)
			p.Add(raw)
			ys := make([]float64, len(pts))
			for k := range pts {
				ys[k] = pts[k].Y
			}
			for k, y := range sessions.Smooth(ys, opt.Smooth) {
				pts[k].Y = y
			}
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return Figure{}, err
		}
		line.Color, line.Width, line.Dashes = col, vg.Points(1.6), dashes[i%len(dashes)]
		marks, err := plotter.NewScatter(sparse(pts, 12))
		if err != nil {
			return Figure{}, err
		}
		marks.Shape, marks.Color, marks.Radius = shapes[i%len(shapes)], col, vg.Points(3)
		p.Add(line, marks)
		p.Legend.Add(label(s), line, marks)
		if best >= 0 {
			b, err := plotter.NewScatter(plotter.XYs{pts[best]})
			if err == nil {
				b.Shape, b.Color, b.Radius = draw.RingGlyph{}, color.Black, vg.Points(6)
				p.Add(b)
			}
		}
	}
	// The legend sits where the curves are not: at the bottom for a
	// metric that rises as the model learns, at the top for one that falls.
	p.Legend.Top = !higherIsBetter(title)
	p.Title.Text = title + settings(opt)
	p.Y.Label.Text = title
	switch opt.Axis {
	case AxisRelative:
		p.X.Label.Text = "fraction of each run's epochs"
	case AxisLog:
		p.X.Label.Text = "epoch (log scale)"
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	default:
		p.X.Label.Text = "epoch"
	}
	if opt.LogY {
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
		// A flat curve (a constant learning rate) has no range: gonum pads
		// it by ±1, below 0, which a log axis cannot show. Pad by a factor.
		if p.Y.Min == p.Y.Max {
			p.Y.Min, p.Y.Max = p.Y.Min/2, p.Y.Max*2
		}
	}
	p.Add(plotter.NewGrid())
	return Figure{Panels: []*plot.Plot{p}}, nil
}

// points is the series as the chosen axes plot it, leaving out what those
// axes cannot show (NaN, and values ≤ 0 on a log axis); best is the index
// of the best epoch among them, or -1.
func points(ser sessions.Series, bestEpoch int, opt CurveOptions) (plotter.XYs, int) {
	n := len(ser.Epochs)
	pts := make(plotter.XYs, 0, n)
	best := -1
	last := 1.0
	if n > 0 {
		last = ser.Epochs[n-1]
	}
	for i, e := range ser.Epochs {
		y := ser.Y[i]
		if math.IsNaN(y) || math.IsInf(y, 0) || (opt.LogY && y <= 0) {
			continue
		}
		if opt.To > opt.From && (e < opt.From || e > opt.To) {
			continue
		}
		x := e
		if opt.Axis == AxisRelative {
			x = e / last
		}
		if int(e) == bestEpoch {
			best = len(pts)
		}
		pts = append(pts, plotter.XY{X: x, Y: y})
	}
	return pts, best
}

// sparse picks about n evenly spaced points for glyphs, so marks tell runs
// apart without hiding the line.
func sparse(pts plotter.XYs, n int) plotter.XYs {
	step := max(1, len(pts)/n)
	out := make(plotter.XYs, 0, n+1)
	for i := 0; i < len(pts); i += step {
		out = append(out, pts[i])
	}
	return out
}

func higherIsBetter(metric string) bool {
	m := strings.TrimPrefix(metric, "val_")
	return m == "accuracy" || m == "r2"
}

func settings(opt CurveOptions) string {
	s := ""
	if opt.Smooth > 0 {
		s += fmt.Sprintf(", smoothed %.2f", opt.Smooth)
	}
	if opt.LogY {
		s += ", log scale"
	}
	if opt.Axis == AxisRelative {
		s += ", epochs normalised"
	}
	if opt.To > opt.From {
		s += fmt.Sprintf(", epochs %g–%g", opt.From, opt.To)
	}
	return s
}

func why(s *sessions.Session, metric string, logY bool) string {
	switch {
	case len(s.History) == 0:
		return "no epoch trained"
	case logY:
		return "a log scale needs values above 0"
	case len(metric) > 4 && metric[:4] == "val_":
		return "trained without a validation split"
	}
	return "no finite value"
}

// label names a session as lists do: its name, else its id.
func label(s *sessions.Session) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}
