package datasets

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// fitScaler uses the population standard deviation (as scikit-learn's
// StandardScaler does) in two passes, so a constant column has a spread of
// exactly zero and gets Std 1 instead of a division by rounding noise.
func fitScaler(x *mat.Dense) *Scaler {
	if x == nil || x.IsEmpty() {
		return &Scaler{}
	}
	r, c := x.Dims()
	s := &Scaler{Mean: make([]float64, c), Std: make([]float64, c)}
	for i := range r {
		for j, v := range x.RawRowView(i) {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(r)
	}
	for i := range r {
		for j, v := range x.RawRowView(i) {
			d := v - s.Mean[j]
			s.Std[j] += d * d
		}
	}
	for j := range s.Std {
		sd := math.Sqrt(s.Std[j] / float64(r))
		if !(sd > 1e-12*math.Max(1, math.Abs(s.Mean[j]))) { // also catches NaN
			sd = 1
		}
		s.Std[j] = sd
	}
	return s
}

func (s *Scaler) check(x *mat.Dense) {
	if x == nil || x.IsEmpty() {
		return
	}
	if _, c := x.Dims(); c != len(s.Mean) || c != len(s.Std) {
		panic(fmt.Sprintf("datasets: scaler fitted to %d columns applied to %d", len(s.Mean), c))
	}
}

func (s *Scaler) transform(x *mat.Dense) *mat.Dense {
	s.check(x)
	if x == nil || x.IsEmpty() {
		return &mat.Dense{}
	}
	out := mat.DenseCopyOf(x)
	s.transformInPlace(out)
	return out
}

func (s *Scaler) transformInPlace(x *mat.Dense) {
	s.check(x)
	if x == nil || x.IsEmpty() {
		return
	}
	r, _ := x.Dims()
	for i := range r {
		row := x.RawRowView(i)
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / s.Std[j]
		}
	}
}

func (d *Dataset) summary() []FeatureSummary {
	if d == nil {
		return nil
	}
	f := d.features()
	out := make([]FeatureSummary, f)
	for j := range out {
		if j < len(d.FeatureNames) {
			out[j].Name = d.FeatureNames[j]
		}
	}
	n := d.rows()
	if n == 0 {
		return out
	}
	sc := fitScaler(d.X)
	for j := range out {
		out[j].Min, out[j].Max = math.Inf(1), math.Inf(-1)
		out[j].Mean = sc.Mean[j]
	}
	for i := range n {
		for j, v := range d.X.RawRowView(i) {
			out[j].Min = math.Min(out[j].Min, v)
			out[j].Max = math.Max(out[j].Max, v)
			dv := v - sc.Mean[j]
			out[j].Std += dv * dv
		}
	}
	for j := range out {
		// Unlike the scaler, a preview shows the true spread: 0 for a
		// constant column.
		out[j].Std = math.Sqrt(out[j].Std / float64(n))
	}
	return out
}

func (d *Dataset) classCounts() []int {
	if d == nil || d.Task != Classification {
		return nil
	}
	counts := make([]int, len(d.ClassNames))
	for i := range d.rows() {
		c := int(d.Y.At(i, 0))
		if c >= 0 && c < len(counts) {
			counts[c]++
		}
	}
	return counts
}

// Validate checks a scaler for features columns named names (nil names
// them by number): one mean and one std per column, every mean finite and
// every std finite and above zero. A scaler fitted to values so large that
// standardising overflows fails here, naming the column, as does a
// tampered session's.
func (s *Scaler) Validate(names []string) error {
	if len(s.Mean) != len(s.Std) {
		return fmt.Errorf("scaler has %d means but %d stds", len(s.Mean), len(s.Std))
	}
	if names != nil && len(names) != len(s.Mean) {
		return fmt.Errorf("scaler has %d columns, the data %d", len(s.Mean), len(names))
	}
	for j := range s.Mean {
		m, sd := s.Mean[j], s.Std[j]
		if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(sd) || math.IsInf(sd, 0) || sd <= 0 {
			col := fmt.Sprintf("column %d", j+1)
			if names != nil {
				col = fmt.Sprintf("column %d (%q)", j+1, names[j])
			}
			return fmt.Errorf("%s: scaler mean %g, std %g; the std must be finite and above 0, the mean finite", col, m, sd)
		}
	}
	return nil
}
