//go:build !amd64

package engine

func adamUpdate32(p, g, g2, m, v []float32, k *adamConst) { adamGo32(p, g, g2, m, v, k) }
