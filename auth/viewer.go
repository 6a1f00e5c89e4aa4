package auth

import (
	"context"
	"slices"
	"time"

	"lienthong/problem"
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

	// Expires is when the token that authenticated the viewer expires
	// (Authenticate sets it; a long-lived websocket closes then).
	Expires time.Time
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

// Require returns the authenticated caller, or UNAUTHENTICATED.
func Require(ctx context.Context) (*Viewer, error) {
	v, ok := FromContext(ctx)
	if !ok {
		return nil, problem.New(problem.CodeUnauthenticated, "authentication required")
	}
	return v, nil
}

// RequireRole returns the caller if they hold one of roles, FORBIDDEN
// otherwise (UNAUTHENTICATED for an anonymous caller).
func RequireRole(ctx context.Context, roles ...Role) (*Viewer, error) {
	v, err := Require(ctx)
	if err != nil {
		return nil, err
	}
	if !v.HasRole(roles...) {
		return nil, problem.Forbidden("this needs one of the roles %v", roles)
	}
	return v, nil
}

type systemKey struct{}

// SystemContext marks ctx as the system's own (sweeper, seeding,
// migrations, the engine's internal reads): reads are not scoped to a
// viewer.
func SystemContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey{}, true)
}

// IsSystem reports whether ctx is the system's own (SystemContext).
func IsSystem(ctx context.Context) bool {
	v, _ := ctx.Value(systemKey{}).(bool)
	return v
}
