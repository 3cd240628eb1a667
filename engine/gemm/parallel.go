package gemm

// Splitting one large product across the worker goroutines: when it is worth
// it, how the blocks are dealt out, and the spinning hand-off to workers.

import (
	"runtime"
	"sync"
	"sync/atomic"

	"workbench/engine/internal/spin"
)

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
func (v *variantOf[T]) parallel(aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, t int) bool {
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
	v.par.start()
	jn := joinPool.Get().(*join)
	var mine job[T]
	for i := range t {
		lo := tiles * i / t * tile
		hi := min(tiles*(i+1)/t*tile, m)
		if splitN {
			hi = min(tiles*(i+1)/t*tile, n)
		}
		j := job[T]{v: v, aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, jn: jn}
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
		v.par.jobs <- j
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
type job[T float] struct {
	v             *variantOf[T]
	aT, bT        bool
	m, n, k       int
	alpha, beta   T
	a, b, c       []T
	lda, ldb, ldc int
	jn            *join
}

// join is how the caller of a parallel Dgemm waits for its blocks: left to
// poll, wg to park on.
type join struct {
	wg   sync.WaitGroup
	left atomic.Int32
}

func (j *job[T]) run() {
	w := j.v.getWorkspace()
	j.v.serial(w, j.aT, j.bT, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc)
	j.v.putWorkspace(w)
}

var joinPool = sync.Pool{New: func() any { return new(join) }}

// workers are the long-lived goroutines that run parallel blocks of one
// element type, so that a Dgemm or Sgemm call spawns nothing. All the
// float64 variants share one set, all the float32 ones another.
type workers[T float] struct {
	jobs chan job[T]
	once sync.Once
}

var (
	workers64 = &workers[float64]{jobs: make(chan job[float64], 16)}
	workers32 = &workers[float32]{jobs: make(chan job[float32], 16)}
)

// start starts the workers on first use.
func (p *workers[T]) start() {
	p.once.Do(func() {
		for range max(runtime.NumCPU(), 2) - 1 {
			go func() {
				for {
					j, ok := recvSpin(p.jobs)
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
func recvSpin[T float](jobs chan job[T]) (job[T], bool) {
	polls := 0
	if runtime.GOMAXPROCS(0) > 1 {
		polls = workerSpin
	}
	return spin.Recv(jobs, polls)
}
