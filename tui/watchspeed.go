package tui

import (
	"context"
	"fmt"
	"time"
)

// A watch speed slows a run so it can be watched: a 100-epoch iris run
// ends in a fraction of a second. Full speed stays the default. The pace
// is kept between epochs on the training goroutine, through the engine's
// own pause gate (engine.Control), so the engine knows nothing of it.

// watchSpeeds are what w cycles through: 0 full speed, n > 0 at most n
// epochs a second, stepOnly one epoch per n key.
var watchSpeeds = []int{0, 20, 5, 1, stepOnly}

const stepOnly = -1

func speedLabel(pace int) string {
	switch {
	case pace == stepOnly:
		return "step by step"
	case pace > 0:
		return fmt.Sprintf("%d epochs/s", pace)
	}
	return "full speed"
}

// setPace changes the watch speed of this and later runs; leaving step
// mode lets a run held for a step go on.
func (c *runController) setPace(pace int) {
	c.pace = pace
	if r := c.run; r != nil {
		r.pace.Store(int64(pace))
		if pace != stepOnly {
			r.step()
		}
	}
}

// stepOne lets a run held after an epoch train one more.
func (c *runController) stepOne() {
	if r := c.run; r != nil {
		r.step()
	}
}

// step releases the hold of step mode (not a pause the user asked for).
func (r *trainRun) step() {
	if r.held.CompareAndSwap(true, false) {
		r.ctl.Resume()
	}
}

// keepPace runs on the training goroutine after each epoch: in step mode
// it holds the run before the next batch; at n epochs a second it waits
// out the rest of the epoch's 1/n s (ending early if the run is stopped).
func (r *trainRun) keepPace(ctx context.Context) {
	switch pace := r.pace.Load(); {
	case pace == stepOnly:
		if !r.ctl.Paused() {
			r.held.Store(true)
			r.ctl.Pause()
		}
	case pace > 0:
		next := r.lastEpoch.Add(time.Second / time.Duration(pace))
		if d := time.Until(next); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
	}
	r.lastEpoch = time.Now()
}

// pace is the watch speed chosen with w.
func (p *trainPane) pace() int { return watchSpeeds[p.speed] }
