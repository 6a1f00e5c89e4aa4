package workflow

import (
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"lienthong/ent"
)

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
