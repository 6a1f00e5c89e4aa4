package auth

import (
	"context"
	"slices"
)

// Viewer is the authenticated caller of a request.
type Viewer struct {
	Subject    string // token "sub": the officer's stable id at the identity provider
	Name       string // display name, may be empty
	AgencyCode string // token "agency": the code of the agency the officer acts for
	Roles      []Role

	// OfficerID and AgencyID are the database ids; the server fills them
	// after it has looked up (or created) the officer, Verify leaves them zero.
	OfficerID int
	AgencyID  int
}

// HasRole reports whether the viewer holds any of roles. A nil viewer holds
// none.
func (v *Viewer) HasRole(roles ...Role) bool {
	if v == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(v.Roles, r) {
			return true
		}
	}
	return false
}

type viewerKey struct{}

// NewContext returns a copy of ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the viewer stored in ctx by NewContext; ok is false
// for an anonymous request.
func FromContext(ctx context.Context) (v *Viewer, ok bool) {
	v, ok = ctx.Value(viewerKey{}).(*Viewer)
	return v, ok && v != nil
}
