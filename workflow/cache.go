package workflow

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"lienthong/ent"
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

// dossierCache holds the dossiers this process wrote last, as written, so
// that the next transition on one plans on it instead of reading it
// first. It needs no expiry: every change to a dossier or its legs moves
// the dossier's version, and a transition writes only if the version is
// still the one it planned on (Engine.fireOnce). A dossier changed
// elsewhere is only a wasted plan here.
type dossierCache struct {
	mu sync.Mutex
	c  *lru.Cache[int, *ent.Dossier]
}

// dossiersHeld bounds the dossiers held: about a day's hand-overs at a
// busy provincial centre, a few megabytes.
const dossiersHeld = 8192

func newDossierCache() *dossierCache {
	c, _ := lru.New[int, *ent.Dossier](dossiersHeld)
	return &dossierCache{c: c}
}

// get returns a copy of the dossier held for id, without its edges.
func (c *dossierCache) get(id int) (*ent.Dossier, bool) {
	c.mu.Lock()
	d, ok := c.c.Get(id)
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	cp := *d
	return &cp, true
}

// put holds a copy of d as written, unless a later version is held.
func (c *dossierCache) put(d *ent.Dossier) {
	cp := *d
	cp.Edges = ent.DossierEdges{}
	c.mu.Lock()
	defer c.mu.Unlock()
	if held, ok := c.c.Peek(d.ID); ok && held.Version > d.Version {
		return
	}
	c.c.Add(d.ID, &cp)
}

// forget drops the dossier held for id.
func (c *dossierCache) forget(id int) {
	c.mu.Lock()
	c.c.Remove(id)
	c.mu.Unlock()
}
