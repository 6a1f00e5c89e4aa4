package store

import (
	"sync"
	"time"
)

// Fresh keeps values read from the database for a short while, for reads
// that every intake or transition would otherwise repeat. What this
// process changes it forgets at once (Forget); what another instance
// changes shows here within its ttl.
type Fresh[K comparable, V any] struct {
	mu   sync.Mutex
	ttl  time.Duration
	vals map[K]freshValue[V]
	gen  uint64 // moved by Forget: a read begun before it is not kept
}

type freshValue[V any] struct {
	v    V
	read time.Time
}

// NewFresh returns a cache keeping values for ttl.
func NewFresh[K comparable, V any](ttl time.Duration) *Fresh[K, V] {
	return &Fresh[K, V]{ttl: ttl, vals: map[K]freshValue[V]{}}
}

// Get returns k's value if read within ttl, or loads and keeps it. Errors
// are not kept.
func (c *Fresh[K, V]) Get(k K, load func() (V, error)) (V, error) {
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

// Forget drops every value, and any read under way.
func (c *Fresh[K, V]) Forget() {
	c.mu.Lock()
	c.gen++
	clear(c.vals)
	c.mu.Unlock()
}
