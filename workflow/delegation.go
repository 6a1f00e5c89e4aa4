package workflow

import (
	"context"
	"fmt"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/delegation"
	"lienthong/problem"
)

// DelegationInput names an absent officer, their substitute and the period.
type DelegationInput struct {
	FromOfficerID int
	ToOfficerID   int
	StartsAt      time.Time
	EndsAt        time.Time
}

// maxDelegation bounds one delegation; a longer absence is a reassignment
// of roles, not a substitution.
const maxDelegation = 92 * 24 * time.Hour

// CreateDelegation lets a substitute act for an absent officer of the same
// agency for a period. The absent officer, the head of their agency or an
// administrator may create it. While it runs, the substitute may do what
// the absent officer may, and the history records on whose behalf.
func (e *Engine) CreateDelegation(ctx context.Context, in DelegationInput) (*ent.Delegation, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	from, err := e.client.Officer.Get(ctx, in.FromOfficerID)
	if ent.IsNotFound(err) {
		return nil, problem.BadInput("input.fromOfficerID", "no officer with id %d", in.FromOfficerID)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load officer: %w", err)
	}
	if err := mayManage(v, from); err != nil {
		return nil, err
	}
	to, err := e.client.Officer.Get(ctx, in.ToOfficerID)
	if ent.IsNotFound(err) || err == nil && to.AgencyID != from.AgencyID {
		return nil, problem.BadInput("input.toOfficerID", "the substitute must be an officer of the same agency")
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load officer: %w", err)
	}
	if to.ID == from.ID {
		return nil, problem.BadInput("input.toOfficerID", "an officer cannot substitute for themselves")
	}
	switch now := e.clock.Now(); {
	case !in.EndsAt.After(in.StartsAt):
		return nil, problem.BadInput("input.endsAt", "the delegation must end after it starts")
	case !in.EndsAt.After(now):
		return nil, problem.BadInput("input.endsAt", "the delegation would end in the past")
	case in.EndsAt.Sub(in.StartsAt) > maxDelegation:
		return nil, problem.BadInput("input.endsAt", "a delegation lasts at most %d days", int(maxDelegation.Hours()/24))
	}
	d, err := e.client.Delegation.Create().
		SetFromOfficerID(from.ID).
		SetToOfficerID(to.ID).
		SetStartsAt(in.StartsAt).
		SetEndsAt(in.EndsAt).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: create delegation: %w", err)
	}
	e.log.InfoContext(ctx, "delegation", "from", from.Subject, "to", to.Subject, "by", v.Subject)
	return d, nil
}

// EndDelegation ends a delegation now (or leaves it if it has ended).
func (e *Engine) EndDelegation(ctx context.Context, id int) (*ent.Delegation, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	d, err := e.client.Delegation.Query().Where(delegation.ID(id)).WithFromOfficer().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no delegation with id %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load delegation: %w", err)
	}
	if err := mayManage(v, d.Edges.FromOfficer); err != nil && v.OfficerID != d.ToOfficerID {
		return nil, err
	}
	now := e.clock.Now()
	if !d.EndsAt.After(now) {
		return d, nil
	}
	end := now
	if d.StartsAt.After(now) {
		end = d.StartsAt // never started: an empty period
	}
	return e.client.Delegation.UpdateOneID(d.ID).SetEndsAt(end).Save(ctx)
}

// mayManage allows the officer themselves, the head of their agency and an
// administrator to manage an officer's delegations.
func mayManage(v *auth.Viewer, o *ent.Officer) error {
	switch {
	case v.OfficerID == o.ID, v.HasRole(auth.RoleAdmin):
		return nil
	case v.HasRole(auth.RoleAgencyHead) && v.AgencyID == o.AgencyID:
		return nil
	}
	return problem.Forbidden("only the officer, the head of their agency or an administrator may manage their delegations")
}
