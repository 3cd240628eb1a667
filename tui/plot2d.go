package tui

import (
	"math"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
)

// boundaryGrid is what the map pane draws over the data, computed by
// package sessions: a 2-D classifier's decision map, or a 1-D regression's
// fitted curve (fitX, fitY).
type boundaryGrid struct {
	w, h       int
	fitX, fitY []float64
	*sessions.Grid
	req     neuronReq             // the neurons asked for with it
	neurons *neuronSet            // nil when none were asked for or they failed
	pred    map[pointsShown][]int // the model's class of each point, by the points shown
}

// isFit: one feature, one regression target — shown as a fit plot.
func isFit(ds *datasets.Dataset) bool {
	return ds != nil && ds.Task == datasets.Regression && ds.Features() == 1 && ds.Y != nil && ds.Outputs() == 1
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

// computeBoundary asks the snapshot's model for every cell's class; it runs
// as a command, off the UI goroutine, on a model nothing else trains.
func computeBoundary(snap *snapshot, ds *datasets.Dataset, split sessions.SplitInfo, w, h int, req neuronReq) tea.Cmd {
	return func() tea.Msg {
		var g *boundaryGrid
		err := safely(func() (err error) {
			g, err = boundaryOf(snap.sess, ds, w, h)
			if err == nil {
				g.req, g.neurons = req, neuronsOf(snap.sess, ds, req)
				g.pred = pointClasses(snap.sess, ds, split)
			}
			return err
		})
		// A failed map still ends the computation, so the next one may start.
		if err != nil {
			g = nil
		}
		return boundaryMsg{epoch: snap.epoch, grid: g}
	}
}

// pointClasses is the model's class for each point the map can show (all
// of ds, its train split, its test split, split as mapPoints splits them),
// so a point is marked misclassified by its own prediction, not by its
// cell's.
func pointClasses(s *sessions.Session, ds *datasets.Dataset, split sessions.SplitInfo) map[pointsShown][]int {
	if ds == nil || ds.Features() != 2 || ds.Task != datasets.Classification {
		return nil
	}
	out := map[pointsShown][]int{pointsAll: s.PredictClasses(ds.X)}
	if split != (sessions.SplitInfo{}) {
		if sp, err := ds.Split(split.Val, split.Test, split.Seed); err == nil {
			if sp.Train != nil && sp.Train.Rows() > 0 {
				out[pointsTrain] = s.PredictClasses(sp.Train.X)
			}
			if sp.Test != nil && sp.Test.Rows() > 0 {
				out[pointsTest] = s.PredictClasses(sp.Test.X)
			}
		}
	}
	return out
}

func boundaryOf(s *sessions.Session, ds *datasets.Dataset, w, h int) (*boundaryGrid, error) {
	if isFit(ds) {
		xs, ys, err := s.FitCurve(ds, 2*w) // 2 points a column
		if err != nil {
			return nil, err
		}
		return &boundaryGrid{w: w, h: h, fitX: xs, fitY: ys}, nil
	}
	g, err := s.DecisionGrid(ds, w, h)
	if err != nil {
		return nil, err
	}
	return &boundaryGrid{w: w, h: h, Grid: g}, nil
}

// plot2d draws a w×h map: decision regions (when g is set) with the data's
// points on top, coloured and shaped by class.
// pts are the points drawn (ds itself, or one of its splits; nil draws
// none); a point the model gets wrong (pred[i], the model's class for
// pts' row i; without it, the class the map gives its cell) is drawn ✗ in
// its own class's colour.
func (st *Styles) plot2d(ds, pts *datasets.Dataset, g *boundaryGrid, pred []int, w, h int) string {
	if ds == nil || ds.Features() != 2 || w < 4 || h < 2 {
		return ""
	}
	haveGrid := g != nil && g.Grid != nil && g.W == w && g.H == h
	b := sessions.PlaneBounds(ds)
	if g != nil && g.Grid != nil {
		b = g.Bounds
	}
	const empty = -1
	cellCls := make([]int, w*h) // class of a point drawn in the cell
	for i := range cellCls {
		cellCls[i] = empty
	}
	wrong := make([]bool, w*h)
	n := 0
	if pts != nil && pts.Features() == 2 {
		n = pts.Rows()
	}
	for i := 0; i < n; i++ {
		cx, cy := b.Cell(pts.X.At(i, 0), pts.X.At(i, 1), w, h)
		cls := 0
		if pts.Y != nil && pts.Task == datasets.Classification {
			cls = int(pts.Y.At(i, 0))
		}
		c := cy*w + cx
		cellCls[c] = cls
		if pred != nil && i < len(pred) {
			// The point's own prediction; a cell that holds a point the
			// model gets wrong keeps its cross when later points land there.
			wrong[c] = wrong[c] || pred[i] != cls
		} else {
			wrong[c] = haveGrid && g.Class[c] != cls
		}
	}
	// Each class's two styles, resolved once: a Render call per run cost
	// milliseconds a frame on a 90×46 map.
	regions, classes := map[int]inline{}, map[int]inline{}
	styleOf := func(m map[int]inline, k int, of func(int) lipgloss.Style) inline {
		in, ok := m[k]
		if !ok {
			in = inlineOf(of(k))
			m[k] = in
		}
		return in
	}
	var sb strings.Builder
	sb.Grow(w * h * 4)
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
				styleOf(regions, cur.cls, st.region).wrap(&sb, string(buf))
			case 2:
				styleOf(classes, cur.cls, st.class).wrap(&sb, string(buf))
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
				if wrong[r*w+c] {
					ch = '✗'
				}
			} else if haveGrid {
				k := g.Class[r*w+c]
				next = run{1, k}
				ch = regionMark(k)
				if g.Conf[r*w+c] < 0.6 {
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
