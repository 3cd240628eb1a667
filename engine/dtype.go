package engine

import (
	"fmt"
	"unsafe"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// DType is the type a model's weights are kept and trained in. The zero
// value is Float64, so a Config that does not say (and every session saved
// before float32 existed) keeps the engine's float64 behaviour; callers that
// want float32 by default set it.
type DType int

const (
	// Float64 keeps the weights, the batch buffers and every product in
	// float64 (Dgemm). The gradient checks run in it.
	Float64 DType = iota
	// Float32 keeps them in float32 (Sgemm, twice the lanes per vector,
	// half the memory). Losses and metrics are still summed in float64.
	Float32
)

// DTypes lists the names ParseDType accepts.
var DTypes = []string{"float32", "float64"}

func (d DType) String() string {
	if d == Float32 {
		return "float32"
	}
	return "float64"
}

// ParseDType reads "float32" or "float64" (also "f32", "f64").
func ParseDType(s string) (DType, error) {
	switch s {
	case "float32", "f32":
		return Float32, nil
	case "float64", "f64":
		return Float64, nil
	}
	return Float64, fmt.Errorf("dtype %q unknown; allowed: float32, float64", s)
}

// float is a compute type: every loop of the forward and backward passes,
// the losses and the optimizers is written once for both.
type float interface{ float32 | float64 }

// general is a row-major matrix of T with the fields (and, for float64, the
// layout) of blas64.General, so that the two convert freely.
type general[T float] struct {
	Rows, Cols int
	Data       []T
	Stride     int
}

// is32 reports whether T is float32.
func is32[T float]() bool { return unsafe.Sizeof(T(0)) == 4 }

// as64 and as32 reinterpret g for the BLAS of its type; only call the one
// that matches T.
func as64[T float](g general[T]) blas64.General { return *(*blas64.General)(unsafe.Pointer(&g)) }
func as32[T float](g general[T]) blas32.General {
	return blas32.General{Rows: g.Rows, Cols: g.Cols, Stride: g.Stride, Data: f32s(g.Data)} // its fields are in another order
}

// f64s and f32s reinterpret a slice of T for the per-type assembly loops;
// only call the one that matches T.
func f64s[T float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
func f32s[T float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// convertInto copies src into dst (the same length or longer), converting.
func convertInto[D, S float](dst []D, src []S) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = D(v)
	}
}

// fromRaw is a mat.Dense's raw matrix as a general.
func fromRaw(g blas64.General) general[float64] { return general[float64](g) }

// WithDType returns a copy of m whose weights are kept in d (rounded to
// float32, or widened exactly to float64), for continuing a session in
// another compute type; m itself is left as it is. A copy in m's own type
// is a Clone.
func (m *Model) WithDType(d DType) (*Model, error) {
	if d != Float64 && d != Float32 {
		return nil, fmt.Errorf("dtype %d unknown; want Float32 or Float64", int(d))
	}
	c := m.impl.clone()
	if d == c.cfg.DType {
		return &Model{impl: c}, nil
	}
	if d == Float32 {
		c.params32 = make([]float32, len(c.params))
		convertInto(c.params32, c.params)
		c.params = nil
	} else {
		c.params = c.params64()
		c.params32 = nil
	}
	c.cfg.DType = d
	c.newFreeLists()
	return &Model{impl: c}, nil
}
