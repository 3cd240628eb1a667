package datasets

import (
	"math"
	"math/big"
	"math/bits"
	"sync"
	"sync/atomic"
)

// The Eisel–Lemire algorithm (Daniel Lemire, "Number Parsing at a Gigabyte
// per Second", 2021; Nigel Tao's write-up at
// https://nigeltao.github.io/blog/2020/eisel-lemire.html), as Go's own
// strconv runs it: mant·10^exp10 is one 64×128-bit multiplication by a
// truncated power of ten, and the rounding is exact unless the product
// falls so near a halfway point that the truncation could matter, when it
// answers false (about one number in a few billion) and ParseFloat decides.
// Serving profiles showed JSON numbers of 17 significant digits (Python's
// repr, Go's shortest formatting) as the request's main cost: their
// mantissas exceed 2^53, so Clinger's fast path never applies to them.

const (
	pow10Min = -348
	pow10Max = 347
)

// pow10Tab[e-pow10Min] is 10^e scaled by a power of two into [2^127,
// 2^128) and rounded down, as {high, low} 64-bit words: the table of
// strconv's eisel_lemire.go, computed on first use (about 0.4 ms, which
// every CLI start would otherwise pay) rather than kept as 700 lines of
// constants. TestPow10Table checks entries against the published values.
var (
	pow10Ptr  atomic.Pointer[[pow10Max - pow10Min + 1][2]uint64]
	pow10Once sync.Once
)

// pow10Tab returns the table, computing it once (small enough to inline:
// the first use goes through initPow10Tab).
func pow10Tab() *[pow10Max - pow10Min + 1][2]uint64 {
	if t := pow10Ptr.Load(); t != nil {
		return t
	}
	return initPow10Tab()
}

func initPow10Tab() *[pow10Max - pow10Min + 1][2]uint64 {
	pow10Once.Do(func() { pow10Ptr.Store(makePow10Tab()) })
	return pow10Ptr.Load()
}

func makePow10Tab() *[pow10Max - pow10Min + 1][2]uint64 {
	var tab [pow10Max - pow10Min + 1][2]uint64
	mask := new(big.Int).SetUint64(math.MaxUint64)
	put := func(e int, v *big.Int) { // v in [2^127, 2^128)
		lo := new(big.Int).And(v, mask)
		hi := new(big.Int).Rsh(v, 64)
		tab[e-pow10Min] = [2]uint64{hi.Uint64(), lo.Uint64()}
	}
	ten := big.NewInt(10)
	p := big.NewInt(1) // 10^e for e = 0, 1, ...
	v := new(big.Int)
	for e := 0; e <= pow10Max; e++ {
		if n := p.BitLen(); n <= 128 {
			v.Lsh(p, uint(128-n))
		} else {
			v.Rsh(p, uint(n-128))
		}
		put(e, v)
		p.Mul(p, ten)
	}
	// 10^-e: floor(2^(127+len(10^e)) / 10^e), which lies in (2^127, 2^128)
	// because 10^e (e ≥ 1) is no power of two.
	p.SetInt64(10)
	one := big.NewInt(1)
	for e := 1; e <= -pow10Min; e++ {
		v.Lsh(one, uint(127+p.BitLen()))
		v.Quo(v, p)
		put(-e, v)
		p.Mul(p, ten)
	}
	return &tab
}

// eiselLemire is mant·10^exp10 correctly rounded, or ok false when the
// algorithm cannot decide (then the caller asks strconv). mant != 0.
func eiselLemire(mant uint64, exp10 int, neg bool) (float64, bool) {
	if exp10 < pow10Min || exp10 > pow10Max {
		return 0, false
	}
	pow := &pow10Tab()[exp10-pow10Min]
	clz := bits.LeadingZeros64(mant)
	mant <<= uint(clz)
	retExp2 := uint64(217706*exp10>>16+64+1023) - uint64(clz)

	xHi, xLo := bits.Mul64(mant, pow[0])
	// Wider approximation: the low word of the power matters only when
	// the product's low 9 bits of xHi are all ones.
	if xHi&0x1FF == 0x1FF && xLo+mant < mant {
		yHi, yLo := bits.Mul64(mant, pow[1])
		mergedHi, mergedLo := xHi, xLo+yHi
		if mergedLo < xLo {
			mergedHi++
		}
		if mergedHi&0x1FF == 0x1FF && mergedLo+1 == 0 && yLo+mant < mant {
			return 0, false
		}
		xHi, xLo = mergedHi, mergedLo
	}
	// Shift to 54 bits.
	msb := xHi >> 63
	retMant := xHi >> (msb + 9)
	retExp2 -= 1 ^ msb
	// Halfway ambiguity.
	if xLo == 0 && xHi&0x1FF == 0 && retMant&3 == 1 {
		return 0, false
	}
	// From 54 to 53 bits, rounding half to even.
	retMant += retMant & 1
	retMant >>= 1
	if retMant>>53 > 0 {
		retMant >>= 1
		retExp2++
	}
	// Subnormal (retExp2 ≤ 0, wrapped) or overflow: strconv's job.
	if retExp2-1 >= 0x7FF-1 {
		return 0, false
	}
	b := retExp2<<52 | retMant&(1<<52-1)
	if neg {
		b |= 1 << 63
	}
	return math.Float64frombits(b), true
}
