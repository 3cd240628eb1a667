package gemm

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"workbench/engine/internal/spin"
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

// inflight counts the Dgemm calls running now.
var inflight atomic.Int32

// parWork is the m·n·k from which a second goroutine pays for itself: about
// 70 µs of one core's work, well above the cost of waking a parked worker
// on a busy machine. On a loaded 2-core VM, splitting 128×128×128 gained
// nothing (BenchmarkDgemm/mid_*).
var parWork = 4 << 20

// parallel splits C into t blocks of whole micro-tiles, along whichever of
// m or n gives the cheapest slowest block (compute plus the packing that
// every block repeats), and runs them at once. It reports false when the
// shape has too few tiles to split.
func (v *variant) parallel(aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, t int) bool {
	tilesM := (m + v.mr - 1) / v.mr
	tilesN := (n + v.nr - 1) / v.nr
	// Cost in units of one packed element; a core does ~16 FMAs in that time.
	// A block split along n repacks all of A, one along m all of B, except
	// what the kernels read in place (Aᵀ, B).
	packA, packB := m*k, k*n
	if v.direct && aT {
		packA = 0
	}
	if v.direct && !bT {
		packB = 0
	}
	costN := (ceilDiv(tilesN, t)*v.nr*tilesM*v.mr*k)/16 + packA + packB/t
	costM := (ceilDiv(tilesM, t)*v.mr*tilesN*v.nr*k)/16 + packB + packA/t
	splitN := costN <= costM
	if splitN && tilesN < 2 || !splitN && tilesM < 2 {
		splitN = !splitN
		if splitN && tilesN < 2 || !splitN && tilesM < 2 {
			return false
		}
	}
	tiles, tile := tilesM, v.mr
	if splitN {
		tiles, tile = tilesN, v.nr
	}
	t = min(t, tiles)
	startWorkers()
	jn := joinPool.Get().(*join)
	var mine job
	for i := range t {
		lo := tiles * i / t * tile
		hi := min(tiles*(i+1)/t*tile, m)
		if splitN {
			hi = min(tiles*(i+1)/t*tile, n)
		}
		j := job{v: v, aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, jn: jn}
		if splitN {
			j.n = hi - lo
			j.c = c[lo:]
			if bT {
				j.b = b[lo*ldb:]
			} else {
				j.b = b[lo:]
			}
		} else {
			j.m = hi - lo
			j.c = c[lo*ldc:]
			if aT {
				j.a = a[lo:]
			} else {
				j.a = a[lo*lda:]
			}
		}
		if i == 0 {
			mine = j
			continue
		}
		// Only the one caller in flight (see gemm) hands out blocks, so
		// the workers are free or about to be: queue rather than run here.
		jn.left.Add(1)
		jn.wg.Add(1)
		jobs <- j
	}
	mine.run()
	// The other blocks started about when this one did, so they end about
	// now: poll before parking, as a wake-up through the OS costs tens of
	// microseconds on a VM.
	for i := 0; i < joinSpin && jn.left.Load() > 0; i++ {
		if i%256 == 255 {
			runtime.Gosched()
		}
	}
	jn.wg.Wait()
	joinPool.Put(jn)
	return true
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// job is one block of a parallel Dgemm, sent by value so nothing escapes.
type job struct {
	v             *variant
	aT, bT        bool
	m, n, k       int
	alpha, beta   float64
	a, b, c       []float64
	lda, ldb, ldc int
	jn            *join
}

// join is how the caller of a parallel Dgemm waits for its blocks: left to
// poll, wg to park on.
type join struct {
	wg   sync.WaitGroup
	left atomic.Int32
}

func (j *job) run() {
	w := j.v.getWorkspace()
	j.v.serial(w, j.aT, j.bT, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc)
	j.v.putWorkspace(w)
}

var (
	jobs        = make(chan job, 16)
	workersOnce sync.Once
	joinPool    = sync.Pool{New: func() any { return new(join) }}
)

// startWorkers starts the long-lived goroutines that run parallel blocks, so
// that a Dgemm call spawns nothing.
func startWorkers() {
	workersOnce.Do(func() {
		for range max(runtime.NumCPU(), 2) - 1 {
			go func() {
				for {
					j, ok := recvSpin()
					if !ok {
						return
					}
					j.run()
					j.jn.left.Add(-1)
					j.jn.wg.Done()
				}
			}()
		}
	})
}

// workerSpin and joinSpin are how many times a worker polls for its next
// block (~7 ns a poll), and the caller for the other blocks' end (~1 ns),
// before parking; both yield to other goroutines every 256 polls. A
// parked goroutine woken through the OS took tens of microseconds on a
// 2-core VM: BenchmarkDgemm 128×784×256 on 2 threads went from ~107 to ~137
// GFLOP/s with these polls (dX 94 → 118).
var workerSpin, joinSpin = 15000, 100000

// recvSpin takes the next parallel block, polling before it parks: layer
// after layer of a forward pass sends blocks a few microseconds apart.
func recvSpin() (job, bool) {
	polls := 0
	if runtime.GOMAXPROCS(0) > 1 {
		polls = workerSpin
	}
	return spin.Recv(jobs, polls)
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

// packA copies op(A)[i0:i0+mc, p0:p0+kc] into micro-panels of mr rows: panel
// r holds, for each p, the mr values of column p, zero-padded past mc.
func packA(dst []float64, aT bool, a []float64, lda, i0, p0, mc, kc, mr int, fast bool) {
	for ir := 0; ir < mc; ir += mr {
		mh := min(mr, mc-ir)
		panel := dst[ir*kc : ir*kc+kc*mr]
		if aT { // element (p, i) at a[(p0+p)·lda + i0+ir+i]
			fillPanel(panel, a[p0*lda+i0+ir:], lda, false, kc, mh, mr, fast)
		} else { // element (p, i) at a[(i0+ir+i)·lda + p0+p]
			fillPanel(panel, a[(i0+ir)*lda+p0:], lda, true, kc, mh, mr, fast)
		}
	}
}

// packB copies op(B)[p0:p0+kc, j0:j0+nc] into micro-panels of nr columns:
// panel q holds, for each p, the nr values of row p. A last, partial panel
// is laid out enr wide (the narrower kernel that takes it), zero-padded.
func packB(dst []float64, bT bool, b []float64, ldb, p0, j0, kc, nc, nr, enr int, fast bool) {
	for jr := 0; jr < nc; jr += nr {
		nw, dw := nr, nr
		if nc-jr < nr {
			nw, dw = nc-jr, enr
		}
		panel := dst[jr*kc : jr*kc+kc*dw]
		if bT { // element (p, j) at b[(j0+jr+j)·ldb + p0+p]
			fillPanel(panel, b[(j0+jr)*ldb+p0:], ldb, true, kc, nw, dw, fast)
		} else { // element (p, j) at b[(p0+p)·ldb + j0+jr+j]
			fillPanel(panel, b[p0*ldb+j0+jr:], ldb, false, kc, nw, dw, fast)
		}
	}
}

// fillPanel writes dst[p·dw + j] for p < kc, j < dw: the source element
// (p, j) for j < w, zero beyond. The source holds (p, j) at src[p·ld + j],
// or at src[j·ld + p] when cols is set. fast uses the AVX copies.
func fillPanel(dst, src []float64, ld int, cols bool, kc, w, dw int, fast bool) {
	if w < dw {
		clear(dst[:kc*dw])
	}
	if !cols {
		if fast {
			packCopy(&dst[0], &src[0], ld, kc, w, dw)
			return
		}
		for p := range kc {
			copy(dst[p*dw:p*dw+w], src[p*ld:p*ld+w])
		}
		return
	}
	w4, k4 := 0, 0
	if fast && w >= 4 && kc >= 4 {
		w4, k4 = w&^3, kc&^3
		transposeBlock(dst, src, ld, k4, w4, dw)
	}
	for j := range w {
		from := 0
		if j < w4 {
			from = k4 // the 4×4 blocks did the rest of this row
		}
		row := src[j*ld : j*ld+kc]
		for p := from; p < kc; p++ {
			dst[p*dw+j] = row[p]
		}
	}
}

// transposeBlock is packTrans for w and kc multiples of 4: the 8×8 AVX-512
// transposes where the CPU has them (BenchmarkPack), 4×4 ones for the rest.
func transposeBlock(dst, src []float64, ld, kc, w, dw int) {
	w8, k8 := w&^7, kc&^7
	if !hasAVX512 || w8 == 0 || k8 == 0 {
		packTrans(&dst[0], &src[0], ld, kc, w, dw)
		return
	}
	packTrans8(&dst[0], &src[0], ld, k8, w8, dw)
	if k8 < kc { // the last 4 values of the first w8 rows
		packTrans(&dst[k8*dw], &src[k8], ld, kc-k8, w8, dw)
	}
	if w8 < w { // the last 4 rows, every value
		packTrans(&dst[w8], &src[w8*ld], ld, kc, w-w8, dw)
	}
}
