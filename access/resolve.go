package access

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/officer"
	"lienthong/problem"
)

// officerCacheTTL bounds how long a token's claims are trusted to match the
// officer record and its agency without looking.
const officerCacheTTL = time.Minute

// officersHeld bounds the claims remembered: more than a province's
// officers signed in at once.
const officersHeld = 4096

// Resolver maps verified token claims to viewers.
type Resolver struct {
	client *ent.Client
	// known remembers the viewer of claims seen within officerCacheTTL,
	// keyed by everything in the claims the viewer depends on.
	known *expirable.LRU[string, *auth.Viewer]
}

// NewResolver returns a resolver over client.
func NewResolver(client *ent.Client) *Resolver {
	return &Resolver{client: client, known: expirable.NewLRU[string, *auth.Viewer](officersHeld, nil, officerCacheTTL)}
}

// Resolve maps verified token claims to a viewer: the agency must exist
// and be active; the officer record is created or refreshed from the
// claims.
func (r *Resolver) Resolve(ctx context.Context, c *auth.Claims) (*auth.Viewer, error) {
	v, err := c.Viewer()
	if err != nil {
		return nil, err
	}
	key := c.Subject + "\x00" + c.Agency + "\x00" + c.Name + "\x00" + fmt.Sprint(v.Roles)
	if known, ok := r.known.Get(key); ok {
		return known, nil
	}
	// The claims are free text from the identity provider: the officer's
	// name prints on forms, and none of them may reach a query unchecked.
	for _, t := range []struct {
		claim, s string
		rule     problem.Text
	}{{"sub", c.Subject, problem.NameText}, {"name", c.Name, problem.NameText}, {"agency", c.Agency, problem.CodeText}} {
		if _, err := t.rule.Check(t.claim, t.s); err != nil {
			return nil, fmt.Errorf("%w: claim %s: %s", auth.ErrUnauthenticated, t.claim, err.Error())
		}
	}
	ctx = auth.SystemContext(ctx)
	ag, err := r.client.Agency.Query().Where(agency.Code(c.Agency)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("%w: unknown agency %q", auth.ErrUnauthenticated, problem.Clip(c.Agency, 64))
	}
	if err != nil {
		return nil, fmt.Errorf("access: resolve viewer: %w", err)
	}
	if !ag.Active {
		return nil, fmt.Errorf("%w: agency %s is inactive", auth.ErrUnauthenticated, ag.Code)
	}
	roles := make([]string, len(v.Roles))
	for i, role := range v.Roles {
		roles[i] = string(role)
	}
	id, err := r.upsertOfficer(ctx, c.Subject, c.Name, ag.ID, roles)
	if err != nil {
		return nil, err
	}
	v.OfficerID, v.AgencyID = id, ag.ID
	r.known.Add(key, v)
	return v, nil
}

// Forget drops every remembered viewer: an agency deactivated or an
// officer changed through this instance applies here at once.
func (r *Resolver) Forget() { r.known.Purge() }

func (r *Resolver) upsertOfficer(ctx context.Context, subject, name string, agencyID int, roles []string) (int, error) {
	o, err := r.client.Officer.Query().Where(officer.Subject(subject)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		id, err := r.client.Officer.Create().
			SetSubject(subject).
			SetName(name).
			SetAgencyID(agencyID).
			SetRoles(roles).
			OnConflictColumns(officer.FieldSubject).
			UpdateNewValues().
			ID(ctx)
		if err != nil {
			return 0, fmt.Errorf("access: create officer: %w", err)
		}
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("access: load officer: %w", err)
	}
	if o.Name != name || o.AgencyID != agencyID || !slices.Equal(o.Roles, roles) {
		if err := r.client.Officer.UpdateOneID(o.ID).SetName(name).SetAgencyID(agencyID).SetRoles(roles).Exec(ctx); err != nil {
			return 0, fmt.Errorf("access: update officer: %w", err)
		}
	}
	return o.ID, nil
}

// Me is the caller with their officer and agency records.
type Me struct {
	Officer *ent.Officer
	Agency  *ent.Agency
	Roles   []auth.Role
}

// Me returns the caller's records.
func (r *Resolver) Me(ctx context.Context) (*Me, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	o, err := r.client.Officer.Query().Where(officer.ID(v.OfficerID)).WithAgency().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("access: load viewer: %w", err)
	}
	return &Me{Officer: o, Agency: o.Edges.Agency, Roles: v.Roles}, nil
}
