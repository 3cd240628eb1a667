package gemm

import (
	"os"
	"strconv"
)

// GEMM_KC, GEMM_MC, GEMM_NC and GEMM_PAR override the blocking of every
// kernel in this package's tests and benchmarks, for tuning by hand.
func init() {
	set := func(env string, f func(v *variant, x int)) {
		if x, err := strconv.Atoi(os.Getenv(env)); err == nil && x > 0 {
			for _, v := range variants {
				f(v, x)
			}
		}
	}
	set("GEMM_KC", func(v *variant, x int) { v.kc = x })
	set("GEMM_MC", func(v *variant, x int) { v.mc = x / v.mr * v.mr })
	set("GEMM_NC", func(v *variant, x int) { v.nc = x / v.nr * v.nr })
	if d := os.Getenv("GEMM_DIRECT"); d != "" {
		for _, v := range variants {
			v.direct = d == "1"
		}
	}
	if x, err := strconv.Atoi(os.Getenv("GEMM_PAR")); err == nil {
		parWork = x
	}
}
