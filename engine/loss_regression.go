package engine

import "math"

// huberDelta is where Huber's loss turns from quadratic to linear.
const huberDelta = 1.0

// regressionLoss returns the summed per-row loss, where a row's loss is the
// mean over its targets of (ŷ−y)² (mse) or of Huber's ρ(ŷ−y). If grad has
// rows it receives ∂(mean loss)/∂ŷ for a batch of batchRows rows (out may be
// one shard of it).
func regressionLoss[T, Y float](huber bool, out general[T], y general[Y], grad general[T], batchRows int) float64 {
	sum := 0.0
	scale := 1 / float64(batchRows*out.Cols)
	for i := 0; i < out.Rows; i++ {
		o := out.Data[i*out.Stride : i*out.Stride+out.Cols]
		t := y.Data[i*y.Stride : i*y.Stride+out.Cols]
		var g []T
		if grad.Rows > 0 {
			g = grad.Data[i*grad.Stride : i*grad.Stride+grad.Cols]
		}
		for j, v := range o {
			e := float64(v) - float64(t[j])
			if !huber {
				sum += e * e
				if g != nil {
					g[j] = T(2 * e * scale)
				}
				continue
			}
			if a := math.Abs(e); a <= huberDelta {
				sum += 0.5 * e * e
			} else {
				sum += huberDelta * (a - 0.5*huberDelta)
				e = math.Copysign(huberDelta, e)
			}
			if g != nil {
				g[j] = T(e * scale)
			}
		}
	}
	return sum / float64(out.Cols)
}

// regStats accumulates what R², MSE and MAE need over many batches. The
// sums are in the units the network sees (standardised targets when the
// model has target scaling: near zero mean, so SStot does not lose digits
// to cancellation); std turns them into the target's own units on the way
// out, since an error e in standard units is e·std in the target's.
type regStats struct {
	n                int
	sumY, sumY2, sse []float64 // per target
	sae              float64   // in the target's units
	std              []float64 // per target; nil = identity
}

func newRegStats(t int) regStats {
	return regStats{sumY: make([]float64, t), sumY2: make([]float64, t), sse: make([]float64, t)}
}

// newRegStats is regStats for m's outputs and target scaling.
func (m *model) newRegStats() regStats {
	s := newRegStats(m.cfg.Outputs)
	s.std = m.cfg.TargetStd
	return s
}

func (s *regStats) reset() {
	s.n, s.sae = 0, 0
	clear(s.sumY)
	clear(s.sumY2)
	clear(s.sse)
}

func (s *regStats) add(out, y general[float64]) { regAdd(s, out, y) }

// regAdd is regStats.add for either compute type; it sums in float64.
func regAdd[T, Y float](s *regStats, out general[T], y general[Y]) {
	s.n += out.Rows
	for i := 0; i < out.Rows; i++ {
		o := out.Data[i*out.Stride : i*out.Stride+out.Cols]
		t := y.Data[i*y.Stride : i*y.Stride+out.Cols]
		for j, v := range o {
			e := float64(v) - float64(t[j])
			s.sse[j] += e * e
			if s.std != nil {
				s.sae += math.Abs(e) * s.std[j]
			} else {
				s.sae += math.Abs(e)
			}
			tj := float64(t[j])
			s.sumY[j] += tj
			s.sumY2[j] += tj * tj
		}
	}
}

// merge adds o's sums to s's.
func (s *regStats) merge(o *regStats) {
	s.n += o.n
	s.sae += o.sae
	for j := range s.sse {
		s.sumY[j] += o.sumY[j]
		s.sumY2[j] += o.sumY2[j]
		s.sse[j] += o.sse[j]
	}
}

// w is target j's weight when squared errors go back to the target's units.
func (s *regStats) w(j int) float64 {
	if s.std == nil {
		return 1
	}
	return s.std[j] * s.std[j]
}

// r2 is 1 − SSres/SStot summed over targets (in the target's units); a
// constant target (SStot = 0) gives 0 rather than −Inf.
func (s *regStats) r2() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	var res, tot float64
	for j := range s.sse {
		res += s.w(j) * s.sse[j]
		tot += s.w(j) * (s.sumY2[j] - s.sumY[j]*s.sumY[j]/float64(s.n))
	}
	if tot <= 0 {
		return 0
	}
	return 1 - res/tot
}

func (s *regStats) mse() float64 { return s.sumSSE() / float64(s.n*len(s.sse)) }
func (s *regStats) mae() float64 { return s.sae / float64(s.n*len(s.sse)) }

// sumSSE is the summed squared error in the target's units.
func (s *regStats) sumSSE() float64 {
	t := 0.0
	for j, v := range s.sse {
		t += s.w(j) * v
	}
	return t
}
