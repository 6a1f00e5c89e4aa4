package workflow

import (
	"context"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/delegation"
	"lienthong/ent/dossier"
	"lienthong/ent/dossierevent"
	"lienthong/ent/intercept"
	"lienthong/ent/leg"
	"lienthong/ent/officer"
	"lienthong/ent/predicate"
)

type systemKey struct{}

// SystemContext marks ctx as the system's own (sweeper, seeding,
// migrations): reads are not scoped to a viewer.
func SystemContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey{}, true)
}

func isSystem(ctx context.Context) bool {
	v, _ := ctx.Value(systemKey{}).(bool)
	return v
}

// ReadsAll reports whether the viewer's roles read every dossier.
func ReadsAll(v *auth.Viewer) bool {
	return v.HasRole(auth.RoleAdmin, auth.RoleAnalyst, auth.RoleIntegration)
}

// DossierScope is the row-level rule for reading dossiers: an officer reads
// a dossier that their agency received or that was routed to it; analysts,
// administrators and the integration clients read all. It returns nil when
// nothing needs filtering.
func DossierScope(ctx context.Context) (predicate.Dossier, error) {
	if isSystem(ctx) {
		return nil, nil
	}
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, newError(CodeUnauthenticated, "authentication required")
	}
	if ReadsAll(v) {
		return nil, nil
	}
	return dossier.Or(
		dossier.DeskAgencyID(v.AgencyID),
		dossier.HasLegsWith(leg.AgencyID(v.AgencyID)),
	), nil
}

// Scope installs the row-level rules as query interceptors, so that every
// read — connections, node(id), nodes(ids), edges — is scoped the same way.
func Scope(client *ent.Client) {
	client.Dossier.Intercept(intercept.TraverseDossier(func(ctx context.Context, q *ent.DossierQuery) error {
		p, err := DossierScope(ctx)
		if p != nil {
			q.Where(p)
		}
		return err
	}))
	client.Leg.Intercept(intercept.TraverseLeg(func(ctx context.Context, q *ent.LegQuery) error {
		p, err := DossierScope(ctx)
		if p != nil {
			q.Where(leg.HasDossierWith(p))
		}
		return err
	}))
	client.Delegation.Intercept(intercept.TraverseDelegation(func(ctx context.Context, q *ent.DelegationQuery) error {
		p, err := delegationScope(ctx)
		if p != nil {
			q.Where(p)
		}
		return err
	}))
	client.DossierEvent.Intercept(intercept.TraverseDossierEvent(func(ctx context.Context, q *ent.DossierEventQuery) error {
		p, err := DossierScope(ctx)
		if p != nil {
			q.Where(dossierevent.HasDossierWith(p))
		}
		return err
	}))
}

// delegationScope lets officers read the delegations of their own agency;
// administrators read all.
func delegationScope(ctx context.Context) (predicate.Delegation, error) {
	if isSystem(ctx) {
		return nil, nil
	}
	v, ok := auth.FromContext(ctx)
	if !ok {
		return nil, newError(CodeUnauthenticated, "authentication required")
	}
	if v.HasRole(auth.RoleAdmin) {
		return nil, nil
	}
	return delegation.HasFromOfficerWith(officer.AgencyID(v.AgencyID)), nil
}

func agencyActive(id int) []predicate.Agency {
	return []predicate.Agency{agency.ID(id), agency.Active(true)}
}
