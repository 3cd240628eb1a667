package datasets

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// TestPow10Table: the computed table holds the published values (Go's
// internal/strconv pow10tab.go, the Eisel–Lemire reference table).
func TestPow10Table(t *testing.T) {
	for _, c := range []struct {
		e      int
		hi, lo uint64
	}{
		{-348, 0xfa8fd5a0081c0288, 0x1732c869cd60e453},
		{-200, 0xc3f490aa77bd60fc, 0xbedbfc4411068a9c},
		{-17, 0xb877aa3236a4b449, 0x09befeb9fad487c2},
		{-5, 0xa7c5ac471b478423, 0x0fcf80dc33721d53},
		{-1, 0xcccccccccccccccc, 0xcccccccccccccccc},
		{0, 0x8000000000000000, 0},
		{1, 0xa000000000000000, 0},
		{22, 0x878678326eac9000, 0},
		{23, 0xa968163f0a57b400, 0},
		{200, 0xa738c6bebb12d16c, 0xb428f8ac016561db},
		{347, 0xd13eb46469447567, 0x4b7195f2d2d1a9fb},
	} {
		if got := pow10Tab()[c.e-pow10Min]; got != [2]uint64{c.hi, c.lo} {
			t.Errorf("10^%d: got {%#x, %#x}, want {%#x, %#x}", c.e, got[0], got[1], c.hi, c.lo)
		}
	}
	start := time.Now()
	makePow10Tab()
	t.Logf("computing the table took %v", time.Since(start))
}

// TestFromDecimal: 17- to 19-digit mantissas at every exponent the table
// covers agree with ParseFloat to the bit, halfway cases included.
func TestFromDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	taken := 0
	check := func(m uint64, e int) {
		t.Helper()
		s := strconv.FormatUint(m, 10) + "e" + strconv.Itoa(e)
		got, ok := FromDecimal(m, e, false)
		if !ok {
			return
		}
		taken++
		want, _ := strconv.ParseFloat(s, 64)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: got %v (%x), ParseFloat %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
		if g, _ := FromDecimal(m, e, true); math.Float64bits(g) != math.Float64bits(-want) {
			t.Fatalf("-%s: got %v, want %v", s, g, -want)
		}
	}
	for e := pow10Min; e <= pow10Max; e++ {
		for range 50 {
			check(r.Uint64N(1e19-1)+1, e)
			check(r.Uint64N(1<<53)+1, e)
		}
	}
	// Halfway between two float64s: 2^53+1 times a power of two, written
	// out exactly, must round to even.
	for _, m := range []uint64{1<<53 + 1, 1<<53 + 3, 1<<54 + 2, 1<<54 + 6, 9007199254740993, 18014398509481985} {
		check(m, 0)
	}
	if taken < 30000 {
		t.Errorf("Eisel–Lemire answered only %d times", taken)
	}
}
