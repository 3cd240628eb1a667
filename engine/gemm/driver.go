package gemm

import (
	"math"
	"unsafe"
)

// float is the element type of a product: float64 for Dgemm, float32 for
// Sgemm. Every loop below is written once for both.
type float interface{ float32 | float64 }

// microKernel computes C = alpha·Ap·Bp + beta·C for one mr×nr tile of C at c
// (row stride ldc), from kc steps of an A micro-panel (mr values per step,
// steps as apart) and a B micro-panel (nr values per step, steps bs apart).
// Packed panels have as = mr, bs = nr. beta == +0 means C is not read.
type microKernel[T float] func(kc int, a *T, as int, b *T, bs int, c *T, ldc int, alpha, beta T)

// variant is a float64 (Dgemm) kernel; variant32 a float32 (Sgemm) one.
type (
	variant   = variantOf[float64]
	variant32 = variantOf[float32]
)

// variantOf is one micro-kernel with the cache blocking tuned for it.
type variantOf[T float] struct {
	name       string
	mr, nr     int // register tile
	kc, mc, nc int // cache blocks: B block kc×nc, A block mc×kc
	kernel     microKernel[T]
	narrow     []narrowKernel[T]  // for the last, partial panel; ascending nr
	short      [][]microKernel[T] // [rows-1][nr/lanes-1]: kernels for tiles of fewer than mr rows; may be nil
	lanes      int                // elements per vector register: the step of the kernel widths
	asmPack    bool               // pack full panels with the AVX assembly copies
	direct     bool               // read Aᵀ and B in place instead of packing full panels
	supported  func() bool
	free       chan *workspace[T] // idle workspaces; not a sync.Pool, which GC empties
	par        *workers[T]        // the goroutines that run its parallel blocks
}

// narrowKernel is an mr×nr micro-kernel narrower than its variant's own.
type narrowKernel[T float] struct {
	nr     int
	kernel microKernel[T]
}

// edge returns the narrowest kernel covering nw columns, and its width.
func (v *variantOf[T]) edge(nw int) (int, microKernel[T]) {
	for _, k := range v.narrow {
		if nw <= k.nr {
			return k.nr, k.kernel
		}
	}
	return v.nr, v.kernel
}

// workspace is one goroutine's packing buffers, pooled so that a steady
// stream of Dgemm calls allocates nothing.
type workspace[T float] struct {
	ap, bp, tmp []T
}

// getWorkspace takes an idle workspace or makes one. The free list is a
// channel rather than a sync.Pool: the buffers are large (up to ~2 MiB) and a
// pool emptied by every GC would make each collection cost a re-allocation.
func (v *variantOf[T]) getWorkspace() *workspace[T] {
	select {
	case w := <-v.free:
		return w
	default:
	}
	return &workspace[T]{
		ap:  aligned[T](roundUp(v.mc, v.mr) * v.kc),
		bp:  aligned[T](v.kc * roundUp(v.nc, v.nr)),
		tmp: aligned[T](v.mr * v.nr),
	}
}

// putWorkspace keeps w for the next call while the free list has room.
func (v *variantOf[T]) putWorkspace(w *workspace[T]) {
	select {
	case v.free <- w:
	default:
	}
}

// alignedFloats returns n float64s starting on a 64-byte (cache line) boundary.
func alignedFloats(n int) []float64 { return aligned[float64](n) }

// aligned returns n values starting on a 64-byte (cache line) boundary.
func aligned[T float](n int) []T {
	size := int(unsafe.Sizeof(T(0)))
	line := 64 / size
	s := make([]T, n+line)
	off := int(uintptr(unsafe.Pointer(&s[0]))&63) / size
	if off != 0 {
		off = line - off
	}
	return s[off : off+n : off+n]
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// gemm is the fast path of Dgemm; the arguments are already validated and
// m, n, k, alpha are non-zero. It splits the work over up to t goroutines.
func (v *variantOf[T]) gemm(aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, t int) {
	// A caller that already runs Dgemms side by side (the engine trains
	// batch shards on every core) gets no extra goroutines: they would only
	// fight over the same cores and caches.
	if busy := inflight.Add(1); t > 1 && busy == 1 && m*n*k >= parWork {
		ok := v.parallel(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, t)
		inflight.Add(-1)
		if ok {
			return
		}
	} else {
		inflight.Add(-1)
	}
	w := v.getWorkspace()
	v.serial(w, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	v.putWorkspace(w)
}

// serial is the GotoBLAS loop nest: for each nc-wide block of B and kc-deep
// slice of k, pack B; for each mc-tall block of A, pack A; then sweep the
// micro-kernel over the tiles. Partial tiles at the right and bottom edges
// run the kernel into a small temporary and copy the valid part out.
func (v *variantOf[T]) serial(w *workspace[T], aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mr, nr := v.mr, v.nr
	tmp := w.tmp
	for jc := 0; jc < n; jc += v.nc {
		nc := min(v.nc, n-jc)
		// Aᵀ and B already hold each k step's mr (nr) values side by side,
		// so with direct set the kernel reads their full panels in place;
		// only a partial edge panel is packed, to pad it with zeros.
		bFull := 0
		if v.direct && !bT {
			bFull = nc / nr * nr
		}
		// The last panel of a block, if partial, goes to the narrowest
		// kernel that covers it.
		edgeNR, edgeKernel := v.edge(nc % nr)
		// A last panel exactly as wide as its narrower kernel is read in
		// place too (n = 256 on AVX-512 is ten 24-wide panels and one of
		// 16): only a panel that needs zero padding is packed.
		bEdgeInPlace := v.direct && !bT && nc%nr == edgeNR
		for pc := 0; pc < k; pc += v.kc {
			kc := min(v.kc, k-pc)
			if bFull < nc && !bEdgeInPlace {
				packB(w.bp[bFull*kc:], bT, b, ldb, pc, jc+bFull, kc, nc-bFull, nr, edgeNR, v.asmPack)
			}
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += v.mc {
				mc := min(v.mc, m-ic)
				aFull := 0
				if v.direct && aT {
					aFull = mc / mr * mr
				}
				// A last panel of fewer than mr rows that a short kernel
				// takes is read in place when its k steps are evenly
				// spaced: always for Aᵀ, and for a single row of A (a
				// 1-row predict multiplies by W with no packing at all).
				edgeInPlace := v.short != nil && mc-aFull < mr && (aT || mc-aFull == 1)
				if aFull < mc && !edgeInPlace {
					packA(w.ap[aFull*kc:], aT, a, lda, ic+aFull, pc, mc-aFull, kc, mr, v.asmPack)
				}
				for jr := 0; jr < nc; jr += nr {
					nw := min(nr, nc-jr)
					bPanel, bs, kern, knr := &w.bp[jr*kc], nr, v.kernel, nr
					switch {
					case jr < bFull:
						bPanel, bs = &b[pc*ldb+jc+jr], ldb
					case bEdgeInPlace:
						bPanel, bs, kern, knr = &b[pc*ldb+jc+jr], ldb, edgeKernel, edgeNR
					case nw < nr:
						bs, kern, knr = edgeNR, edgeKernel, edgeNR
					}
					for ir := 0; ir < mc; ir += mr {
						mh := min(mr, mc-ir)
						aPanel, as := &w.ap[ir*kc], mr
						switch {
						case ir < aFull || edgeInPlace && aT:
							aPanel, as = &a[pc*lda+ic+ir], lda
						case edgeInPlace: // one row of A: its k values are adjacent
							aPanel, as = &a[(ic+ir)*lda+pc], 1
						}
						ci := (ic+ir)*ldc + jc + jr
						tk, rows := kern, mr
						if mh < mr && v.short != nil {
							tk, rows = v.short[mh-1][knr/v.lanes-1], mh
						}
						if rows == mh && nw == knr {
							tk(kc, aPanel, as, bPanel, bs, &c[ci], ldc, alpha, bet)
							continue
						}
						tk(kc, aPanel, as, bPanel, bs, &tmp[0], nr, alpha, 0)
						for i := range mh {
							row := c[ci+i*ldc : ci+i*ldc+nw]
							t := tmp[i*nr : i*nr+nw]
							if bet == 0 {
								copy(row, t)
							} else {
								// One rounding, as the kernels' own
								// write-back does, so that an edge row
								// gets the bits a full tile would (for
								// float32 the float64 FMA rounds twice,
								// which can differ in the last bit; an
								// edge column is an edge column for every
								// m, so a row alone still matches).
								for j, x := range t {
									row[j] = T(math.FMA(float64(bet), float64(row[j]), float64(x)))
								}
							}
						}
					}
				}
			}
		}
	}
}
