package gemm

import (
	"math"
	"unsafe"
)

// microKernel computes C = alpha·Ap·Bp + beta·C for one mr×nr tile of C at c
// (row stride ldc), from kc steps of an A micro-panel (mr values per step,
// steps as apart) and a B micro-panel (nr values per step, steps bs apart).
// Packed panels have as = mr, bs = nr. beta == +0 means C is not read.
type microKernel func(kc int, a *float64, as int, b *float64, bs int, c *float64, ldc int, alpha, beta float64)

// variant is one micro-kernel with the cache blocking tuned for it.
type variant struct {
	name       string
	mr, nr     int // register tile
	kc, mc, nc int // cache blocks: B block kc×nc, A block mc×kc
	kernel     microKernel
	narrow     []narrowKernel  // for the last, partial panel; ascending nr
	short      [][]microKernel // [rows-1][nr/lanes-1]: kernels for tiles of fewer than mr rows; may be nil
	lanes      int             // float64s per vector register: the step of the kernel widths
	asmPack    bool            // pack full panels with the AVX assembly copies
	direct     bool            // read Aᵀ and B in place instead of packing full panels
	supported  func() bool
	free       chan *workspace // idle workspaces; not a sync.Pool, which GC empties
}

// narrowKernel is an mr×nr micro-kernel narrower than its variant's own.
type narrowKernel struct {
	nr     int
	kernel microKernel
}

// edge returns the narrowest kernel covering nw columns, and its width.
func (v *variant) edge(nw int) (int, microKernel) {
	for _, k := range v.narrow {
		if nw <= k.nr {
			return k.nr, k.kernel
		}
	}
	return v.nr, v.kernel
}

// workspace is one goroutine's packing buffers, pooled so that a steady
// stream of Dgemm calls allocates nothing.
type workspace struct {
	ap, bp, tmp []float64
}

// getWorkspace takes an idle workspace or makes one. The free list is a
// channel rather than a sync.Pool: the buffers are large (up to ~2 MiB) and a
// pool emptied by every GC would make each collection cost a re-allocation.
func (v *variant) getWorkspace() *workspace {
	select {
	case w := <-v.free:
		return w
	default:
	}
	return &workspace{
		ap:  alignedFloats(roundUp(v.mc, v.mr) * v.kc),
		bp:  alignedFloats(v.kc * roundUp(v.nc, v.nr)),
		tmp: alignedFloats(v.mr * v.nr),
	}
}

// alignedFloats returns n float64s starting on a 64-byte (cache line) boundary.
// putWorkspace keeps w for the next call while the free list has room.
func (v *variant) putWorkspace(w *workspace) {
	select {
	case v.free <- w:
	default:
	}
}

func alignedFloats(n int) []float64 {
	s := make([]float64, n+8)
	off := int(uintptr(unsafe.Pointer(&s[0]))&63) / 8
	if off != 0 {
		off = 8 - off
	}
	return s[off : off+n : off+n]
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// gemm is the fast path of Dgemm; the arguments are already validated and
// m, n, k, alpha are non-zero. It splits the work over up to t goroutines.
func (v *variant) gemm(aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, t int) {
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
func (v *variant) serial(w *workspace, aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
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
		for pc := 0; pc < k; pc += v.kc {
			kc := min(v.kc, k-pc)
			if bFull < nc {
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
				if aFull < mc {
					packA(w.ap[aFull*kc:], aT, a, lda, ic+aFull, pc, mc-aFull, kc, mr, v.asmPack)
				}
				for jr := 0; jr < nc; jr += nr {
					nw := min(nr, nc-jr)
					bPanel, bs, kern, knr := &w.bp[jr*kc], nr, v.kernel, nr
					if jr < bFull {
						bPanel, bs = &b[pc*ldb+jc+jr], ldb
					} else if nw < nr {
						bs, kern, knr = edgeNR, edgeKernel, edgeNR
					}
					for ir := 0; ir < mc; ir += mr {
						mh := min(mr, mc-ir)
						aPanel, as := &w.ap[ir*kc], mr
						if ir < aFull {
							aPanel, as = &a[pc*lda+ic+ir], lda
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
								// gets the bits a full tile would.
								for j, x := range t {
									row[j] = math.FMA(bet, row[j], x)
								}
							}
						}
					}
				}
			}
		}
	}
}
