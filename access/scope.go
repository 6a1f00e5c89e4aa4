// Package access decides who reads what: the viewer resolved from a
// verified token (its agency must exist and be active; the officer record
// follows the claims), and the row-level read rules installed as ent query
// interceptors, so that connections, node(id), nodes(ids) and edges are
// scoped alike. Who may change a dossier is the engine's (workflow).
package access

import (
	"context"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/delegation"
	"lienthong/ent/dossier"
	"lienthong/ent/dossierevent"
	"lienthong/ent/formrecord"
	"lienthong/ent/intercept"
	"lienthong/ent/leg"
	"lienthong/ent/officer"
	"lienthong/ent/parindex"
	"lienthong/ent/predicate"
)

// ReadsAll reports whether the viewer's roles read every dossier.
func ReadsAll(v *auth.Viewer) bool {
	return v.HasRole(auth.RoleAdmin, auth.RoleAnalyst, auth.RoleIntegration)
}

// restricted is the viewer whose reads the dossier rules narrow: nil for
// the system and for the roles that read all (and with an error for an
// anonymous caller).
func restricted(ctx context.Context) (*auth.Viewer, error) {
	if auth.IsSystem(ctx) {
		return nil, nil
	}
	v, err := auth.Require(ctx)
	if err != nil || ReadsAll(v) {
		return nil, err
	}
	return v, nil
}

// DossierScope is the row-level rule for reading dossiers: an officer reads
// a dossier that their agency received or that was routed to it; analysts,
// administrators and the integration clients read all. It returns nil when
// nothing needs filtering.
func DossierScope(ctx context.Context) (predicate.Dossier, error) {
	v, err := restricted(ctx)
	if v == nil {
		return nil, err
	}
	return func(s *entsql.Selector) {
		s.Where(receivedOrRouted(s.C(dossier.FieldDeskAgencyID), s.C(dossier.FieldID), v.AgencyID))
	}, nil
}

// Readable is DossierScope for a dossier and its legs in hand: ctx's
// viewer reads d when the rule lets them (see receivedOrRouted). A
// transition reads the dossier and its legs anyway, so it checks the rule
// here rather than in the dossier's query, whose plan would then depend on
// the planner's view of how many legs the viewer's agency has.
func Readable(ctx context.Context, d *ent.Dossier, legs []*ent.Leg) (bool, error) {
	if auth.IsSystem(ctx) {
		return true, nil
	}
	v, err := auth.Require(ctx)
	if err != nil {
		return false, err
	}
	if ReadsAll(v) || d.DeskAgencyID == v.AgencyID {
		return true, nil
	}
	return slices.ContainsFunc(legs, func(l *ent.Leg) bool { return l.AgencyID == v.AgencyID }), nil
}

// receivedOrRouted is the rule as SQL for the dossier whose desk and id
// columns are given: received at agency's desk, or one of its legs at
// agency. The EXISTS is correlated, so a lookup reads the dossier's own few
// legs (index on dossier_id), never all of a busy agency's.
func receivedOrRouted(deskCol, idCol string, agencyID int) *entsql.Predicate {
	l := entsql.Table(leg.Table).As("scope_l")
	return entsql.Or(
		entsql.EQ(deskCol, agencyID),
		entsql.Exists(entsql.Select(l.C(leg.FieldID)).From(l).Where(entsql.And(
			entsql.ColumnsEQ(l.C(leg.FieldDossierID), idCol),
			entsql.EQ(l.C(leg.FieldAgencyID), agencyID),
		))),
	)
}

// visibleDossier is the rule as SQL for the dossier whose id is in
// column idCol: it exists and the viewer's agency received it or was
// routed it.
func visibleDossier(idCol string, agencyID int) *entsql.Predicate {
	d := entsql.Table(dossier.Table).As("scope_d")
	return entsql.Exists(entsql.Select(d.C(dossier.FieldID)).From(d).Where(entsql.And(
		entsql.ColumnsEQ(d.C(dossier.FieldID), idCol),
		receivedOrRouted(d.C(dossier.FieldDeskAgencyID), d.C(dossier.FieldID), agencyID),
	)))
}

// ofVisibleDossier scopes rows carrying a dossier id column (legs, events)
// to the dossiers the viewer may read.
func ofVisibleDossier(ctx context.Context, dossierIDCol func(*entsql.Selector) string) (func(*entsql.Selector), error) {
	v, err := restricted(ctx)
	if v == nil {
		return nil, err
	}
	return func(s *entsql.Selector) { s.Where(visibleDossier(dossierIDCol(s), v.AgencyID)) }, nil
}

// Install installs the row-level rules as query interceptors, so that every
// read — connections, node(id), nodes(ids), edges — is scoped the same way.
// Every entity the GraphQL schema reaches has its rule here or is public
// (TestNodeScope walks them all): agencies, officers, procedures and their
// route steps, and the calendar are the province's directory, read by
// every signed-in caller.
func Install(client *ent.Client) {
	client.Dossier.Intercept(intercept.TraverseDossier(scoped(DossierScope, (*ent.DossierQuery).Where)))
	client.Leg.Intercept(intercept.TraverseLeg(scoped(legScope, (*ent.LegQuery).Where)))
	client.Delegation.Intercept(intercept.TraverseDelegation(scoped(delegationScope, (*ent.DelegationQuery).Where)))
	client.DossierEvent.Intercept(intercept.TraverseDossierEvent(scoped(eventScope, (*ent.DossierEventQuery).Where)))
	client.FormRecord.Intercept(intercept.TraverseFormRecord(scoped(formRecordScope, (*ent.FormRecordQuery).Where)))
	client.ParIndex.Intercept(intercept.TraverseParIndex(scoped(parIndexScope, (*ent.ParIndexQuery).Where)))
	client.Webhook.Intercept(intercept.TraverseWebhook(scoped(adminOnly[predicate.Webhook], (*ent.WebhookQuery).Where)))
	client.WebhookDelivery.Intercept(intercept.TraverseWebhookDelivery(scoped(adminOnly[predicate.WebhookDelivery], (*ent.WebhookDeliveryQuery).Where)))
}

func legScope(ctx context.Context) (predicate.Leg, error) {
	return ofVisibleDossier(ctx, func(s *entsql.Selector) string { return s.C(leg.FieldDossierID) })
}

func eventScope(ctx context.Context) (predicate.DossierEvent, error) {
	return ofVisibleDossier(ctx, func(s *entsql.Selector) string { return s.C(dossierevent.FieldDossierID) })
}

// formRecordScope: the record of a dossier's form follows the dossier's
// scope; the record of a tracking book is read by the officers of the
// agency whose book it is (and by those who read all).
func formRecordScope(ctx context.Context) (predicate.FormRecord, error) {
	v, err := restricted(ctx)
	if v == nil {
		return nil, err
	}
	return func(s *entsql.Selector) {
		s.Where(entsql.Or(
			entsql.And(entsql.NotNull(s.C(formrecord.FieldDossierID)), visibleDossier(s.C(formrecord.FieldDossierID), v.AgencyID)),
			entsql.And(entsql.IsNull(s.C(formrecord.FieldDossierID)), entsql.EQ(s.C(formrecord.FieldAgencyID), v.AgencyID)),
		))
	}, nil
}

// parIndexScope reads as the reports do: analysts and administrators read
// every agency's PAR score, an agency head their own agency's, others none.
func parIndexScope(ctx context.Context) (predicate.ParIndex, error) {
	if auth.IsSystem(ctx) {
		return nil, nil
	}
	v, err := auth.Require(ctx)
	switch {
	case err != nil:
		return nil, err
	case v.HasRole(auth.RoleAnalyst, auth.RoleAdmin):
		return nil, nil
	case v.HasRole(auth.RoleAgencyHead):
		return parindex.AgencyID(v.AgencyID), nil
	}
	return func(s *entsql.Selector) { s.Where(entsql.False()) }, nil
}

// adminOnly: webhooks and their deliveries (URLs that may carry a token in
// their query string, other agencies' dossier codes and receivers' errors)
// are read by administrators only.
func adminOnly[P ~func(*entsql.Selector)](ctx context.Context) (P, error) {
	if auth.IsSystem(ctx) {
		return nil, nil
	}
	v, err := auth.Require(ctx)
	if err != nil || v.HasRole(auth.RoleAdmin) {
		return nil, err
	}
	return func(s *entsql.Selector) { s.Where(entsql.False()) }, nil
}

// scoped is an interceptor that narrows a query of any entity by its rule;
// a rule giving no predicate reads all.
func scoped[Q any, P ~func(*entsql.Selector)](rule func(context.Context) (P, error), where func(Q, ...P) Q) func(context.Context, Q) error {
	return func(ctx context.Context, q Q) error {
		p, err := rule(ctx)
		if p != nil {
			where(q, p)
		}
		return err
	}
}

// delegationScope lets officers read the delegations of their own agency;
// administrators read all.
func delegationScope(ctx context.Context) (predicate.Delegation, error) {
	if auth.IsSystem(ctx) {
		return nil, nil
	}
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	if v.HasRole(auth.RoleAdmin) {
		return nil, nil
	}
	return delegation.HasFromOfficerWith(officer.AgencyID(v.AgencyID)), nil
}
