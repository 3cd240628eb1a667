//go:build !amd64

package engine

func relu[T float](z, out []T)    { reluGo(z, out) }
func reluBack[T float](z, d []T)  { reluBackGo(z, d) }
func addTo[T float](dst, src []T) { addToGo(dst, src) }

func addPenalties[T float](w, g []T, l1, l2 float64) { addPenaltiesGo(w, g, l1, l2) }
