package tui

import (
	"math"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/sessions"
)

// boundaryGrid is the predicted class and its probability for every cell
// of a w×h map over the first two features' range.
type boundaryGrid struct {
	w, h int
	// fit plots (1-D regression): the model's curve
	fitX, fitY []float64
	cls        []int
	conf       []float64
	bounds     bounds2d
}

type bounds2d struct{ x0, x1, y0, y1 float64 }

// isFit: one feature, one regression target — shown as a fit plot.
func isFit(ds *datasets.Dataset) bool {
	return ds != nil && ds.Task == datasets.Regression && ds.Features() == 1 && ds.Y != nil && ds.Outputs() == 1
}

// fitOf predicts the target along the feature's range (2 points a column).
func fitOf(s *sessions.Session, ds *datasets.Dataset, w, h int) *boundaryGrid {
	n := max(2*w, 2)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < ds.Rows(); i++ {
		lo, hi = math.Min(lo, ds.X.At(i, 0)), math.Max(hi, ds.X.At(i, 0))
	}
	x := mat.NewDense(n, 1, nil)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
		x.Set(i, 0, xs[i])
	}
	p := s.Predict(x)
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = p.At(i, 0)
	}
	return &boundaryGrid{w: w, h: h, fitX: xs, fitY: ys}
}

// fitPoints is a 1-feature dataset's points sorted by x, as the fit plot
// draws them; the train pane keeps it per dataset rather than sort every
// frame.
type fitPoints struct {
	ds     *datasets.Dataset
	xs, ys []float64
}

func sortedByX(ds *datasets.Dataset) fitPoints {
	n := ds.Rows()
	xs, ys := make([]float64, n), make([]float64, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return ds.X.At(idx[a], 0) < ds.X.At(idx[b], 0) })
	for j, i := range idx {
		xs[j], ys[j] = ds.X.At(i, 0), ds.Y.At(i, 0)
	}
	return fitPoints{ds: ds, xs: xs, ys: ys}
}

// fitPlot draws the data as dots and the model's curve (when g is set).
func (st *Styles) fitPlot(pts fitPoints, g *boundaryGrid, w, h int) string {
	xs, ys := pts.xs, pts.ys
	n := len(xs)
	if n == 0 {
		return ""
	}
	ss := []series{{xs: xs, ys: ys, style: st.Val, points: true}}
	if g != nil && len(g.fitX) > 0 {
		ss = append(ss, series{xs: g.fitX, ys: g.fitY, style: st.Train})
	}
	lo, hi := xs[0], xs[n-1]
	return lineChart(chartSpec{w: w, h: h, series: ss, xMin: lo, xMax: hi, yMin: math.NaN(), yMax: math.NaN(), axis: st.Axis, xFloat: true})
}

// dataBounds is the padded range of the first two features.
func dataBounds(ds *datasets.Dataset) bounds2d {
	b := bounds2d{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
	n := ds.Rows()
	for i := 0; i < n; i++ {
		x, y := ds.X.At(i, 0), ds.X.At(i, 1)
		b.x0, b.x1 = math.Min(b.x0, x), math.Max(b.x1, x)
		b.y0, b.y1 = math.Min(b.y0, y), math.Max(b.y1, y)
	}
	px, py := (b.x1-b.x0)*0.05+1e-9, (b.y1-b.y0)*0.05+1e-9
	return bounds2d{b.x0 - px, b.x1 + px, b.y0 - py, b.y1 + py}
}

// cell maps a data point to a map cell (row 0 at the top).
func (b bounds2d) cell(x, y float64, w, h int) (int, int) {
	cx := int((x - b.x0) / (b.x1 - b.x0) * float64(w))
	cy := int((b.y1 - y) / (b.y1 - b.y0) * float64(h))
	return min(max(cx, 0), w-1), min(max(cy, 0), h-1)
}

// computeBoundary asks the snapshot's model for every cell's class; it runs
// as a command, off the UI goroutine, on a model nothing else trains.
func computeBoundary(snap *snapshot, ds *datasets.Dataset, w, h int) tea.Cmd {
	return func() tea.Msg {
		var g *boundaryGrid
		err := safely(func() error {
			g = boundaryOf(snap.sess, ds, w, h)
			return nil
		})
		// A failed map still ends the computation, so the next one may start.
		if err != nil {
			g = nil
		}
		return boundaryMsg{epoch: snap.epoch, grid: g}
	}
}

func boundaryOf(s *sessions.Session, ds *datasets.Dataset, w, h int) *boundaryGrid {
	if isFit(ds) {
		return fitOf(s, ds, w, h)
	}
	if w <= 0 || h <= 0 || ds == nil || ds.Features() != 2 {
		return nil
	}
	b := dataBounds(ds)
	x := mat.NewDense(w*h, 2, nil)
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			x.Set(r*w+c, 0, b.x0+(float64(c)+0.5)/float64(w)*(b.x1-b.x0))
			x.Set(r*w+c, 1, b.y1-(float64(r)+0.5)/float64(h)*(b.y1-b.y0))
		}
	}
	p := s.Predict(x)
	g := &boundaryGrid{w: w, h: h, cls: make([]int, w*h), conf: make([]float64, w*h), bounds: b}
	for i := 0; i < w*h; i++ {
		row := p.RawRowView(i)
		best := floats.MaxIdx(row)
		g.cls[i], g.conf[i] = best, row[best]
	}
	return g
}

// plot2d draws a w×h map: decision regions (when g is set) with the data's
// points on top, coloured and shaped by class.
func (st *Styles) plot2d(ds *datasets.Dataset, g *boundaryGrid, w, h int) string {
	if ds == nil || ds.Features() != 2 || w < 4 || h < 2 {
		return ""
	}
	b := dataBounds(ds)
	if g != nil {
		b = g.bounds
	}
	const empty = -1
	cellCls := make([]int, w*h) // class of a point drawn in the cell
	for i := range cellCls {
		cellCls[i] = empty
	}
	n := ds.Rows()
	for i := 0; i < n; i++ {
		cx, cy := b.cell(ds.X.At(i, 0), ds.X.At(i, 1), w, h)
		cls := 0
		if ds.Y != nil && ds.Task == datasets.Classification {
			cls = int(ds.Y.At(i, 0))
		}
		cellCls[cy*w+cx] = cls
	}
	var sb strings.Builder
	for r := 0; r < h; r++ {
		type run struct {
			style, cls int // style: 0 none, 1 region, 2 point
		}
		cur := run{-1, -1}
		var buf []rune
		flush := func() {
			if len(buf) == 0 {
				return
			}
			switch cur.style {
			case 1:
				sb.WriteString(st.region(cur.cls).Render(string(buf)))
			case 2:
				sb.WriteString(st.class(cur.cls).Render(string(buf)))
			default:
				sb.WriteString(string(buf))
			}
			buf = buf[:0]
		}
		for c := 0; c < w; c++ {
			var next run
			var ch rune
			if pc := cellCls[r*w+c]; pc != empty {
				next, ch = run{2, pc}, classMark(pc)
			} else if g != nil && g.w == w && g.h == h {
				k := g.cls[r*w+c]
				next = run{1, k}
				ch = regionMark(k)
				if g.conf[r*w+c] < 0.6 {
					ch = '·'
				}
			} else {
				next, ch = run{0, 0}, ' '
			}
			if next != cur {
				flush()
				cur = next
			}
			buf = append(buf, ch)
		}
		flush()
		if r < h-1 {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}
