package engine

import (
	"context"
	"sync"
	"sync/atomic"
)

// control is a pause gate. The flag lets Fit check it per batch without a
// lock; the channel, closed on resume, lets a paused Fit also wait for ctx.
type control struct {
	paused atomic.Bool
	mu     sync.Mutex
	resume chan struct{}
}

func (c *control) pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused.Load() {
		c.resume = make(chan struct{})
		c.paused.Store(true)
	}
}

func (c *control) unpause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused.Load() {
		c.paused.Store(false)
		close(c.resume)
	}
}

// wait blocks while paused; it returns ctx's error if ctx ends first.
func (c *control) wait(ctx context.Context) error {
	if !c.paused.Load() {
		return nil
	}
	c.mu.Lock()
	ch := c.resume
	paused := c.paused.Load()
	c.mu.Unlock()
	if !paused {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
