package workflow

import (
	"sync"
	"time"
)

// fresh keeps values read from the database for a short while, for reads
// that every intake or transition would otherwise repeat. What this
// process changes it forgets at once (forget); what another instance
// changes shows here within ttl.
type fresh[K comparable, V any] struct {
	mu   sync.Mutex
	ttl  time.Duration
	vals map[K]freshValue[V]
	gen  uint64 // moved by forget: a read begun before it is not kept
}

type freshValue[V any] struct {
	v    V
	read time.Time
}

func newFresh[K comparable, V any](ttl time.Duration) *fresh[K, V] {
	return &fresh[K, V]{ttl: ttl, vals: map[K]freshValue[V]{}}
}

// get returns k's value if read within ttl, or loads and keeps it. Errors
// are not kept.
func (c *fresh[K, V]) get(k K, load func() (V, error)) (V, error) {
	c.mu.Lock()
	if f, ok := c.vals[k]; ok && time.Since(f.read) < c.ttl {
		c.mu.Unlock()
		return f.v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	read := time.Now()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.vals[k] = freshValue[V]{v: v, read: read}
	}
	c.mu.Unlock()
	return v, nil
}

// forget drops every value, and any read under way.
func (c *fresh[K, V]) forget() {
	c.mu.Lock()
	c.gen++
	clear(c.vals)
	c.mu.Unlock()
}
