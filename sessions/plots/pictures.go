package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"workbench/datasets"
	"workbench/sessions"
)

// Confusion draws the test split's confusion matrix: true class down,
// predicted across, each cell shaded by the share of its true class and
// labelled with its count.
func Confusion(s *sessions.Session) (Figure, error) {
	if !s.IsClassification() {
		return Figure{}, fmt.Errorf("session %s is a regression; a confusion matrix is for classifiers (try --kind residuals)", label(s))
	}
	if s.Test == nil || len(s.Test.Confusion) == 0 {
		return Figure{}, fmt.Errorf("session %s has no test confusion matrix (trained with --test 0, or not finished)", label(s))
	}
	cm := s.Test.Confusion
	k := len(cm)
	names := s.Data.Classes
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: test confusion matrix (%s)", label(s), s.TestSummary())
	p.X.Label.Text, p.Y.Label.Text = "predicted", "true"
	var labels plotter.XYLabels
	var dark []bool // cells shaded past half: their count is written in white
	for t := range cm {
		total := 0
		for _, c := range cm[t] {
			total += c
		}
		for j, c := range cm[t] {
			share := 0.0
			if total > 0 {
				share = float64(c) / float64(total)
			}
			y := float64(k - 1 - t) // first class at the top
			r, err := plotter.NewPolygon(plotter.XYs{{X: float64(j) - .5, Y: y - .5}, {X: float64(j) + .5, Y: y - .5}, {X: float64(j) + .5, Y: y + .5}, {X: float64(j) - .5, Y: y + .5}})
			if err != nil {
				return Figure{}, err
			}
			r.Color = shade(color.RGBA{31, 119, 180, 255}, share)
			r.LineStyle.Width = vg.Points(0.5)
			r.LineStyle.Color = color.Gray{200}
			p.Add(r)
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(j), Y: y})
			labels.Labels = append(labels.Labels, fmt.Sprint(c))
			dark = append(dark, share > 0.5)
		}
	}
	l, err := plotter.NewLabels(labels)
	if err != nil {
		return Figure{}, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
		l.TextStyle[i].Font.Size = vg.Points(14)
		if dark[i] {
			l.TextStyle[i].Color = color.White
		}
	}
	p.Add(l)
	var xt, yt []plot.Tick
	for i := 0; i < k; i++ {
		n := className(names, i)
		xt = append(xt, plot.Tick{Value: float64(i), Label: n})
		yt = append(yt, plot.Tick{Value: float64(k - 1 - i), Label: n})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -.5, float64(k)-.5, -.5, float64(k)-.5
	side := max(8.5*vg.Inch, vg.Length(k)*vg.Points(40))
	return Figure{Panels: []*plot.Plot{p}, Width: side + vg.Inch, Height: side}, nil
}

// shade mixes c with white: share 0 is white, 1 is c.
func shade(c color.RGBA, share float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(255 - (255-float64(v))*share) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// mapCells is the decision map's resolution in cells across.
const mapCells = 240

// Boundary draws a 2-feature classifier's decision map over ds: each
// region in its class's colour, paler where the model is less sure, and
// every point on top in its class's colour and glyph, a misclassified one
// crossed out.
func Boundary(s *sessions.Session, ds *datasets.Dataset) (Figure, error) {
	w := mapCells
	h := max(1, int(float64(w)*float64(DefaultHeight)/float64(DefaultWidth)))
	g, err := s.DecisionGrid(ds, w, h)
	if err != nil {
		return Figure{}, fmt.Errorf("session %s: %w", label(s), err)
	}
	b := g.Bounds
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			i := r*w + c
			// Confidence 1/K (a guess) is white, 1 is the class's pale tint.
			k := float64(max(len(ds.ClassNames), 2))
			sure := math.Max(0, (g.Conf[i]-1/k)/(1-1/k))
			img.Set(c, r, shade(palette[g.Class[i]%len(palette)], 0.15+0.35*sure))
		}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: decision map (%s)", label(s), s.TestSummary())
	p.X.Label.Text, p.Y.Label.Text = featureName(ds, 0), featureName(ds, 1)
	p.Add(plotter.NewImage(img, b.X0, b.Y0, b.X1, b.Y1))
	pred := s.Predict(ds.X)
	byClass := make([]plotter.XYs, len(ds.ClassNames))
	var wrong plotter.XYs
	for i := 0; i < ds.Rows(); i++ {
		t := int(ds.Y.At(i, 0))
		if t < 0 || t >= len(byClass) {
			continue
		}
		xy := plotter.XY{X: ds.X.At(i, 0), Y: ds.X.At(i, 1)}
		byClass[t] = append(byClass[t], xy)
		if argmax(pred.RawRowView(i)) != t {
			wrong = append(wrong, xy)
		}
	}
	for k, pts := range byClass {
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return Figure{}, err
		}
		sc.Shape, sc.Color, sc.Radius = shapes[k%len(shapes)], palette[k%len(palette)], vg.Points(2.5)
		p.Add(sc)
		p.Legend.Add(className(ds.ClassNames, k), sc)
	}
	if len(wrong) > 0 {
		sc, err := plotter.NewScatter(wrong)
		if err != nil {
			return Figure{}, err
		}
		sc.Shape, sc.Color, sc.Radius = draw.CrossGlyph{}, color.Black, vg.Points(4)
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("misclassified (%d)", len(wrong)), sc)
	}
	p.Legend.Top = true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = b.X0, b.X1, b.Y0, b.Y1
	return Figure{Panels: []*plot.Plot{p}}, nil
}

// Residuals draws a regression's test split twice: predicted against
// actual (with the y = x line a perfect model sits on) and the residual
// (actual − predicted) against the prediction.
func Residuals(s *sessions.Session, pairs sessions.Pairs) (Figure, error) {
	n := len(pairs.Actual)
	if n == 0 {
		return Figure{}, fmt.Errorf("session %s has no test rows to plot", label(s))
	}
	pa, res := make(plotter.XYs, n), make(plotter.XYs, n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		a, p := pairs.Actual[i], pairs.Predicted[i]
		pa[i] = plotter.XY{X: a, Y: p}
		res[i] = plotter.XY{X: p, Y: a - p}
		lo, hi = math.Min(lo, math.Min(a, p)), math.Max(hi, math.Max(a, p))
	}
	left := plot.New()
	left.Title.Text = fmt.Sprintf("%s: predicted vs actual (test, %s)", label(s), s.TestSummary())
	left.X.Label.Text, left.Y.Label.Text = "actual "+targetName(s), "predicted"
	diag, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return Figure{}, err
	}
	diag.Color, diag.Dashes = color.Gray{120}, []vg.Length{vg.Points(4), vg.Points(3)}
	sc, err := plotter.NewScatter(pa)
	if err != nil {
		return Figure{}, err
	}
	sc.Color, sc.Radius = palette[0], vg.Points(2)
	left.Add(plotter.NewGrid(), diag, sc)

	right := plot.New()
	right.Title.Text = "residuals"
	right.X.Label.Text, right.Y.Label.Text = "predicted", "actual − predicted"
	zero, err := plotter.NewLine(plotter.XYs{{X: lo, Y: 0}, {X: hi, Y: 0}})
	if err != nil {
		return Figure{}, err
	}
	zero.Color, zero.Dashes = color.Gray{120}, []vg.Length{vg.Points(4), vg.Points(3)}
	rs, err := plotter.NewScatter(res)
	if err != nil {
		return Figure{}, err
	}
	rs.Color, rs.Radius = palette[1], vg.Points(2)
	right.Add(plotter.NewGrid(), zero, rs)
	return Figure{Panels: []*plot.Plot{left, right}, Width: 12 * vg.Inch}, nil
}

func argmax(row []float64) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

func className(names []string, i int) string {
	if i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprint(i)
}

func featureName(ds *datasets.Dataset, i int) string {
	if i < len(ds.FeatureNames) && ds.FeatureNames[i] != "" {
		return ds.FeatureNames[i]
	}
	return fmt.Sprintf("feature %d", i)
}

func targetName(s *sessions.Session) string {
	if s.Data.Target != "" {
		return "(" + s.Data.Target + ")"
	}
	return ""
}
