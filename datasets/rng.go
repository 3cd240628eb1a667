package datasets

import (
	"math"
	"math/bits"
)

// rng is a small xoshiro256** generator seeded through splitmix64. The
// package carries its own generator instead of math/rand so that a reference
// such as "spiral?seed=7" (and a split seed stored in a session) yields the
// same numbers on every Go release and platform: math/rand/v2 does not
// promise that its distributions stay fixed.
type rng struct{ s [4]uint64 }

func newRNG(seed int64) *rng {
	r := &rng{}
	x := uint64(seed)
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	return r
}

func (r *rng) uint64() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// float64 is uniform in [0, 1).
func (r *rng) float64() float64 { return float64(r.uint64()>>11) * 0x1p-53 }

// norm is a standard normal variate (Box–Muller; the second value is
// discarded so that the stream never depends on call history).
func (r *rng) norm() float64 {
	u1 := 1 - r.float64() // (0, 1]: log is finite
	u2 := r.float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// intn is uniform in [0, n) without modulo bias (Lemire's method).
func (r *rng) intn(n int) int {
	bound := uint64(n)
	hi, lo := bits.Mul64(r.uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(r.uint64(), bound)
		}
	}
	return int(hi)
}

func (r *rng) shuffle(idx []int) {
	for i := len(idx) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
}
