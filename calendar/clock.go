package calendar

import (
	"sync"
	"time"
)

// Clock is the one source of time for the engine, the sweeper and intake.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the machine's clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// TestClock is a clock that can be moved forward, for demos and tests
// (like a payment provider's test clocks). It starts at a fixed instant or
// follows the machine's clock plus an offset.
type TestClock struct {
	mu     sync.Mutex
	fixed  time.Time // zero: follow the machine's clock
	offset time.Duration
}

// NewTestClock returns a clock stopped at t, or following the machine's
// clock when t is zero.
func NewTestClock(t time.Time) *TestClock { return &TestClock{fixed: t} }

// Now returns the clock's time.
func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed.IsZero() {
		return time.Now().Add(c.offset)
	}
	return c.fixed.Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *TestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// Set moves a stopped clock to t.
func (c *TestClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.offset = t, 0
}
