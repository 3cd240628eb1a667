//go:build !amd64

package engine

func adamUpdate(p, g, m, v []float64, k *adamConst) { adamGo(p, g, m, v, k) }
