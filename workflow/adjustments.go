package workflow

import (
	"context"
	"fmt"
	"slices"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// LimitAdjustmentInput is a rule of law lengthening limits by place.
type LimitAdjustmentInput struct {
	ProcedureCodes []string
	AreaKinds      []schematype.AreaKind
	Days           int
	Reference      string
	ValidFrom      string
	ValidUntil     *string
}

// CreateLimitAdjustment records a rule that lengthens the limits of some
// procedures where the dossier is received or routed through an agency of
// some area kinds (ADMIN). Dossiers already received keep the limit they
// were given.
func (e *Engine) CreateLimitAdjustment(ctx context.Context, in LimitAdjustmentInput) (*ent.LimitAdjustment, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	var err error
	if in.Reference, err = problem.NameText.Check("input.reference", in.Reference); err != nil {
		return nil, err
	}
	switch {
	case in.Reference == "":
		return nil, problem.BadInput("input.reference", "the legal reference is required")
	case len(in.ProcedureCodes) == 0:
		return nil, problem.BadInput("input.procedureCodes", "name the procedures it lengthens")
	case len(in.AreaKinds) == 0:
		return nil, problem.BadInput("input.areaKinds", "name the kinds of area it applies in")
	case in.Days <= 0 || in.Days > MaxLimitDays:
		return nil, problem.BadInput("input.days", "days must be between 1 and %d", MaxLimitDays)
	}
	if err := problem.Count("input.procedureCodes", len(in.ProcedureCodes), problem.MaxIDs); err != nil {
		return nil, err
	}
	for i, c := range in.ProcedureCodes {
		if in.ProcedureCodes[i], err = problem.CodeText.Check(fmt.Sprintf("input.procedureCodes[%d]", i), c); err != nil {
			return nil, err
		}
	}
	from, err := calendar.ParseDate(in.ValidFrom)
	if err != nil {
		return nil, problem.BadInput("input.validFrom", "date must be YYYY-MM-DD, got %q", problem.Clip(in.ValidFrom, 16))
	}
	create := e.client.LimitAdjustment.Create().
		SetProcedureCodes(slices.Compact(slices.Sorted(slices.Values(in.ProcedureCodes)))).
		SetAreaKinds(slices.Compact(slices.Sorted(slices.Values(in.AreaKinds)))).
		SetDays(in.Days).SetReference(in.Reference).SetValidFrom(from.String())
	if in.ValidUntil != nil && *in.ValidUntil != "" {
		until, err := calendar.ParseDate(*in.ValidUntil)
		if err != nil || until.String() <= from.String() {
			return nil, problem.BadInput("input.validUntil", "validUntil is a date after validFrom, YYYY-MM-DD")
		}
		create.SetValidUntil(until.String())
	}
	a, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: create limit adjustment: %w", err)
	}
	e.adjustments.Forget()
	return a, nil
}

// EndLimitAdjustment ends a rule on a day to come, when the law that gave
// it is repealed (ADMIN).
func (e *Engine) EndLimitAdjustment(ctx context.Context, id int, until string) (*ent.LimitAdjustment, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	day, err := e.futureDay("until", until)
	if err != nil {
		return nil, err
	}
	a, err := e.client.LimitAdjustment.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no limit adjustment with id %d", id)
	} else if err != nil {
		return nil, err
	}
	if day.String() <= a.ValidFrom {
		return nil, problem.BadInput("until", "the rule is in force from %s: it ends after that", a.ValidFrom)
	}
	if a, err = a.Update().SetValidUntil(day.String()).Save(ctx); err != nil {
		return nil, fmt.Errorf("workflow: end limit adjustment: %w", err)
	}
	e.adjustments.Forget()
	return a, nil
}

// LimitAdjustments lists the rules (any signed-in caller: they are law).
func (e *Engine) LimitAdjustments(ctx context.Context) ([]*ent.LimitAdjustment, error) {
	if _, err := auth.Require(ctx); err != nil {
		return nil, err
	}
	return e.allAdjustments(ctx)
}

func (e *Engine) allAdjustments(ctx context.Context) ([]*ent.LimitAdjustment, error) {
	return e.adjustments.Get(0, func() ([]*ent.LimitAdjustment, error) {
		return e.client.LimitAdjustment.Query().Order(ent.Asc("id")).All(auth.SystemContext(ctx))
	})
}

// appliedLimit is the limit a dossier of p gets when received on day: its
// channel's, lengthened by the largest rule in force for its procedure
// where it is received or, by its route, routed through.
func (e *Engine) appliedLimit(ctx context.Context, p *intake, day calendar.Date) (limit, []schematype.Adjustment, error) {
	proc := p.proc
	lim := channelLimit(proc, p.in.Channel)
	rules, err := e.allAdjustments(ctx)
	if err != nil {
		return lim, nil, err
	}
	var best *schematype.Adjustment
	var places []*ent.Agency
	for _, r := range rules {
		if !slices.Contains(r.ProcedureCodes, proc.Code) || day.String() < r.ValidFrom || r.ValidUntil != "" && day.String() >= r.ValidUntil {
			continue
		}
		if places == nil {
			if places, err = e.places(ctx, p); err != nil {
				return lim, nil, err
			}
		}
		for _, a := range places {
			for _, k := range a.AreaKinds {
				if slices.Contains(r.AreaKinds, k) && (best == nil || r.Days > best.Days) {
					best = &schematype.Adjustment{Reference: r.Reference, Days: r.Days, AreaKind: k, Agency: a.Code}
				}
			}
		}
	}
	if best == nil {
		return lim, nil, nil
	}
	if lim.days > 0 {
		lim.days += best.Days
		lim.minutes = lim.days * calendar.MinutesPerWorkingDay
	} else {
		lim.minutes += best.Days * calendar.MinutesPerWorkingDay
	}
	return lim, []schematype.Adjustment{*best}, nil
}

// places are the agencies a dossier of p is received at or routed through
// by its route (the steps that name their agency).
func (e *Engine) places(ctx context.Context, p *intake) ([]*ent.Agency, error) {
	out := []*ent.Agency{p.desk}
	for _, s := range p.proc.Edges.Steps {
		if s.AgencyID == nil || *s.AgencyID == p.desk.ID {
			continue
		}
		a, err := e.agencyByID.Get(*s.AgencyID, func() (*ent.Agency, error) {
			return e.client.Agency.Get(auth.SystemContext(ctx), *s.AgencyID)
		})
		if err != nil {
			return nil, fmt.Errorf("workflow: agency of step %d: %w", s.Position, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// channelLimit is the limit of a dossier of p that came by channel.
func channelLimit(p *ent.Procedure, channel schematype.Channel) limit {
	lim := procLimit(p)
	for _, c := range p.ChannelLimits {
		if c.Channel == channel {
			lim.minutes = c.LimitMinutes
			if lim.days > 0 {
				lim.days = c.LimitDays
			}
		}
	}
	return lim
}

// dossierLimit is the limit d was given at intake, or, for a dossier
// received before limits were recorded, its procedure's.
func dossierLimit(d *ent.Dossier) limit {
	if d.LimitMinutes > 0 {
		return limit{minutes: d.LimitMinutes, days: d.LimitDays}
	}
	return procLimit(d.Edges.Procedure)
}
