package engine

// adamUpdate32 is adamGo32 over p, eight lanes at a time where the CPU has
// AVX2 and FMA (adam32_amd64.s), the tail in Go.
func adamUpdate32(p, g, g2, m, v []float32, k *adamConst) { adamGo32(p, g, g2, m, v, k) }
