//go:build !amd64

package engine

func relu(z, out []float64)    { reluGo(z, out) }
func reluBack(z, d []float64)  { reluBackGo(z, d) }
func addTo(dst, src []float64) { addToGo(dst, src) }

func addPenalties(w, g []float64, l1, l2 float64) { addPenaltiesGo(w, g, l1, l2) }
