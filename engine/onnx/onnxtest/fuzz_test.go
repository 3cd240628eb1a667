package onnxtest

import (
	"math/rand/v2"
	"testing"

	"workbench/engine"
	"workbench/engine/onnx"
)

func digitsSized(rng *rand.Rand) onnx.Export {
	return onnx.Export{
		Layers: []engine.DenseParams{RandomLayer(rng, 64, 32, "gelu"), RandomLayer(rng, 32, 16, "relu"), RandomLayer(rng, 16, 10, "softmax")},
		Mean:   make([]float64, 64),
		Std:    onesN(64),
	}
}

func onesN(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// FuzzRead: whatever the bytes, Read returns a model or an error, never
// panics (go test runs the seeds; go test -fuzz FuzzRead explores).
func FuzzRead(f *testing.F) {
	rng := rand.New(rand.NewPCG(13, 14))
	b, err := onnx.Encode(digitsSized(rng))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Read(data)
		if err == nil {
			if verr := e.Validate(); verr != nil {
				t.Fatalf("Read returned an export that does not validate: %v", verr)
			}
		}
	})
}
