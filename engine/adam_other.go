//go:build !amd64

package engine

func adamUpdate(p, g, m, v []float64, k *adamConst) { adamGo(p, g, m, v, k) }

func adamSumUpdate(p, g, g2, m, v []float64, k *adamConst) {
	addTo(g[:len(p)], g2)
	adamGo(p, g, m, v, k)
}
