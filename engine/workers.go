package engine

import (
	fastgemm "workbench/engine/gemm"
	"workbench/engine/internal/spin"
)

// The shard workers: one goroutine per extra shard, fed phases over a
// channel of plain values so that a step hands work over without
// allocating (a closure sent to a goroutine would escape).

// fuseBlock is how many parameters the fused reduce+update phase handles
// at a time: 32 KiB of each gradient, well inside L1.
const fuseBlock = 4096

// minParallelParams is the model size below which the gradient sum and the
// optimizer step run on one goroutine.
var minParallelParams = 1 << 15

// close stops the shard workers.
func (t *trainer[T]) close() {
	if t.jobs != nil {
		close(t.jobs)
	}
}

func (t *trainer[T]) worker() {
	for {
		j, ok := spin.Recv(t.jobs, t.spin)
		if !ok {
			return
		}
		t.do(j[0], j[1])
		t.done <- struct{}{}
	}
}

// handoffSpin is how many times a waiting side polls its channel before it
// parks, about 90 µs (BenchmarkTrainStep's loop between steps, gather
// included, fits in it). A step hands work over four times (two phases,
// each way); a parked goroutine woken through the OS took long enough on a
// 2-core VM to show as idle time. 784-256-128-10 b128, samples/s: no spin
// ~80.5k, 4000 polls (~23 µs) ~83.5k, 16000 ~85k, 40000 no better, for
// ~2-4% more CPU. Only with a second P to spin on: with GOMAXPROCS 1 the
// spinner would hold the one the other side needs.
const handoffSpin = 16000

// parallel runs phase for its parts (the shards of the step, or the
// parameter ranges of t.parts), part 0 on the calling goroutine. The
// parameter ranges are independent, so any split gives the same bits.
func (t *trainer[T]) parallel(phase int) {
	n := t.parts
	switch phase {
	case phaseShard:
		n = t.nRun
	case phaseLayer0:
		n = trainShards
	}
	for i := 1; i < n; i++ {
		t.jobs <- [2]int{phase, i}
	}
	t.do(phase, 0)
	for i := 1; i < n; i++ {
		spin.Recv(t.done, t.spin)
	}
}

func (t *trainer[T]) do(phase, i int) {
	switch phase {
	case phaseShard:
		t.runShard(t.shards[i])
	case phaseLayer0:
		t.layer0Part(i)
	case phaseReduce:
		w0, w1, lo, hi := t.partRanges(i)
		ss := 0.0
		if w0 < w1 {
			release := t.claim()
			for b, n := w0, t.w0Block(); b < w1; b += n {
				e := min(b+n, w1)
				t.gradW0(b, e)
				ss += sumSquares(t.shards[0].grads[b:e])
			}
			release()
		}
		t.sumSq[i] = ss + t.reduce(lo, hi)
	case phaseUpdate:
		w0, w1, lo, hi := t.partRanges(i)
		t.update(w0, w1)
		t.update(lo, hi)
	case phaseReduceUpd:
		w0, w1, lo, hi := t.partRanges(i)
		if w0 < w1 {
			// Each block of layer 0's gradient goes to the optimizer
			// while it is still in this core's cache.
			release := t.claim()
			for b, n := w0, t.w0Block(); b < w1; b += n {
				e := min(b+n, w1)
				t.gradW0(b, e)
				t.update(b, e)
			}
			release()
		}
		if su, ok := t.opt.(sumUpdater[T]); ok && t.nRun == 2 && t.opts.L1 == 0 && t.opts.L2 == 0 {
			// Two shards and nothing to add to their sum: the optimizer
			// adds them itself, in the same order, so the bits match.
			su.updateSum(t.params, t.shards[0].grads, t.shards[1].grads, lo, hi)
			return
		}
		// Block by block, so the summed gradient is still in L1 when the
		// optimizer reads it.
		for b := lo; b < hi; b += fuseBlock {
			e := min(b+fuseBlock, hi)
			t.reduce(b, e)
			t.update(b, e)
		}
	}
}

// partRanges returns part i's share of the parameters: [w0, w1) of layer
// 0's weights, whose gradient the part computes itself (split0; empty
// otherwise), and [lo, hi) of the rest, whose gradient the shards summed.
// Each part gets an equal share of both kinds, whole rows of layer 0, so
// that the parts end together; the parameters are independent, so any
// split gives the same bits.
func (t *trainer[T]) partRanges(i int) (w0, w1, lo, hi int) {
	n, start := len(t.params), 0
	if t.split0 {
		l := &t.m.layers[0] // its weights come first in params
		w0 = l.wOff + l.in*i/t.parts*l.out
		w1 = l.wOff + l.in*(i+1)/t.parts*l.out
		start = l.wOff + l.in*l.out
	}
	return w0, w1, start + (n-start)*i/t.parts, start + (n-start)*(i+1)/t.parts
}

// claim keeps a part's Gemms on its own goroutine while other parts run.
func (t *trainer[T]) claim() (release func()) {
	if t.parts > 1 {
		return fastgemm.Claim()
	}
	return func() {}
}
