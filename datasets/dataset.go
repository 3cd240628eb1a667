package datasets

import "gonum.org/v1/gonum/mat"

// An empty split (fraction 0) holds zero-value matrices: gonum cannot make
// a 0×c Dense, so the counts below fall back to the names.

func (d *Dataset) rows() int {
	if d == nil || d.X == nil || d.X.IsEmpty() {
		return 0
	}
	r, _ := d.X.Dims()
	return r
}

func (d *Dataset) features() int {
	if d == nil {
		return 0
	}
	if d.X == nil || d.X.IsEmpty() {
		return len(d.FeatureNames)
	}
	_, c := d.X.Dims()
	return c
}

func (d *Dataset) outputs() int {
	if d == nil {
		return 0
	}
	if d.Task == Classification {
		return len(d.ClassNames)
	}
	if d.Y == nil || d.Y.IsEmpty() {
		return len(d.TargetNames)
	}
	_, c := d.Y.Dims()
	return c
}

// newDense wraps data as an r×c matrix, or the empty matrix when r is 0.
func newDense(r, c int, data []float64) *mat.Dense {
	if r == 0 || c == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(r, c, data)
}

// withRows returns a copy of d's metadata holding only the given rows.
func (d *Dataset) withRows(idx []int) *Dataset {
	out := *d
	out.FeatureNames = append([]string(nil), d.FeatureNames...)
	out.ClassNames = append([]string(nil), d.ClassNames...)
	out.TargetNames = append([]string(nil), d.TargetNames...)
	fc := d.features()
	oc := 1
	if d.Y != nil && !d.Y.IsEmpty() {
		_, oc = d.Y.Dims()
	}
	x := make([]float64, 0, len(idx)*fc)
	y := make([]float64, 0, len(idx)*oc)
	for _, i := range idx {
		x = append(x, d.X.RawRowView(i)...)
		y = append(y, d.Y.RawRowView(i)...)
	}
	out.X = newDense(len(idx), fc, x)
	out.Y = newDense(len(idx), oc, y)
	return &out
}
