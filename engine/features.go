package engine

import "fmt"

// denseFeatures is X as Features, so that the trainer and evaluation read
// every data set through one interface.
type denseFeatures struct{ g general[float64] }

func (d *denseFeatures) Dims() (int, int) { return d.g.Rows, d.g.Cols }

func (d *denseFeatures) Row64(dst []float64, i, c0, c1 int) {
	copy(dst, d.g.Data[i*d.g.Stride+c0:i*d.g.Stride+c1])
}

func (d *denseFeatures) Row32(dst []float32, i, c0, c1 int) {
	convertInto(dst, d.g.Data[i*d.g.Stride+c0:i*d.g.Stride+c1])
}

// features returns d's feature rows (nil when it has none) and how many.
func (d Data) features() (Features, int) {
	if d.Rows != nil {
		r, _ := d.Rows.Dims()
		return d.Rows, r
	}
	if d.X == nil || d.X.IsEmpty() {
		return nil, 0
	}
	return &denseFeatures{fromRaw(d.X.RawMatrix())}, d.X.RawMatrix().Rows
}

// rowTo copies columns [c0, c1) of row i of f into dst, in T.
func rowTo[T float](f Features, dst []T, i, c0, c1 int) {
	if is32[T]() {
		f.Row32(f32s(dst), i, c0, c1)
		return
	}
	f.Row64(f64s(dst), i, c0, c1)
}

// checkFeatures checks f's shape and that every value is finite.
func checkFeatures(name string, f Features, inputs int) error {
	r, c := f.Dims()
	if c != inputs {
		return fmt.Errorf("%s: X has %d columns, the model takes %d inputs", name, c, inputs)
	}
	if df, ok := f.(*denseFeatures); ok {
		for i := 0; i < r; i++ {
			if err := finiteRow(name, i, df.g.Data[i*df.g.Stride:i*df.g.Stride+c]); err != nil {
				return err
			}
		}
		return nil
	}
	row := make([]float64, c)
	for i := 0; i < r; i++ {
		f.Row64(row, i, 0, c)
		if err := finiteRow(name, i, row); err != nil {
			return err
		}
	}
	return nil
}

func finiteRow(name string, i int, row []float64) error {
	for j, v := range row {
		if !finite(v) {
			return fmt.Errorf("%s: X row %d column %d is %v; features must be finite", name, i, j, v)
		}
	}
	return nil
}
