//go:build !amd64

package engine

func relu(z, out []float64)    { reluGo(z, out) }
func reluBack(z, d []float64)  { reluBackGo(z, d) }
func addTo(dst, src []float64) { addToGo(dst, src) }
