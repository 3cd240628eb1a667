package engine

import (
	"context"
	"sync"
	"sync/atomic"
)

// Control pauses and resumes a running Fit. The zero value is ready to use.
//
// It is a pause gate: the flag lets Fit check it per batch without a lock;
// the channel, closed on resume, lets a paused Fit also wait for ctx.
type Control struct {
	paused atomic.Bool
	mu     sync.Mutex
	resume chan struct{}
}

// Pause makes Fit wait before its next batch.
func (c *Control) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused.Load() {
		c.resume = make(chan struct{})
		c.paused.Store(true)
	}
}

// Resume lets a paused Fit go on.
func (c *Control) Resume() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused.Load() {
		c.paused.Store(false)
		close(c.resume)
	}
}

// Paused reports whether Fit is held.
func (c *Control) Paused() bool { return c.paused.Load() }

// wait blocks while paused; it returns ctx's error if ctx ends first.
func (c *Control) wait(ctx context.Context) error {
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
