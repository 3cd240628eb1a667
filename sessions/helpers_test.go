package sessions

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func openStore(t testing.TB) *Store {
	t.Helper()
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func prepare(t testing.TB, p Plan) *Prepared {
	t.Helper()
	if p.DataRef == "" {
		p.DataRef = "iris"
	}
	if p.Layers == "" {
		p.Layers = "8:relu"
	}
	if p.Hyper.Epochs == 0 {
		p.Hyper.Epochs = 3
	}
	pr, err := Prepare(p)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// trained saves a small trained iris session and returns it.
func trained(t testing.TB, st *Store, name string, epochs int) *Session {
	t.Helper()
	pr := prepare(t, Plan{Name: name, Hyper: Hyper{Epochs: epochs, Seed: 1}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sameBits reports whether two matrices hold bit-identical values.
func sameBits(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		return false
	}
	for i := range ar {
		for j := range ac {
			if math.Float64bits(a.At(i, j)) != math.Float64bits(b.At(i, j)) {
				return false
			}
		}
	}
	return true
}
