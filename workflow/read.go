package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	"lienthong/ent/predicate"
	st "lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// isOpen reports whether a dossier is still being worked on.
func isOpen(s st.DossierState) bool { return slices.Contains(openStates, s) }

// Unfinished reports whether a dossier in state s has no finish time:
// it is submitted or open. A return, refusal, withdrawal or stop sets the
// finish time, and nothing clears it.
func Unfinished(s st.DossierState) bool { return s == st.StateSubmitted || isOpen(s) }

// UnfinishedOnly returns the predicate "not finished" when a dossier
// filter admits unfinished states only (state or stateIn, at its top
// level), and nil otherwise. The predicate changes no result; it lets the
// database find such dossiers through the index of unfinished dossiers,
// since no index names the state (see ent/schema/dossier.go).
func UnfinishedOnly(where *ent.DossierWhereInput) predicate.Dossier {
	if where == nil || where.State == nil && len(where.StateIn) == 0 {
		return nil
	}
	finished := func(s st.DossierState) bool { return !Unfinished(s) }
	if where.State != nil && finished(*where.State) || slices.ContainsFunc(where.StateIn, finished) {
		return nil
	}
	return dossier.FinishedAtIsNil()
}

// clockAt is the instant a dossier's clocks read: now, or the start of a
// supplementation pause (clocks stop while the applicant supplements).
func clockAt(d *ent.Dossier, now time.Time) time.Time {
	if d.PausedAt != nil {
		return *d.PausedAt
	}
	return now
}

// Overdue reports whether an open dossier is past its appointment.
func (e *Engine) Overdue(d *ent.Dossier) bool { return overdueAt(d, e.clock.Now()) }

// overdueAt reports whether an open dossier is past its appointment at now,
// judged on its stopped clock while the applicant supplements.
func overdueAt(d *ent.Dossier, now time.Time) bool {
	return isOpen(d.State) && d.AppointmentAt != nil && clockAt(d, now).After(*d.AppointmentAt)
}

// DueSoon reports whether an open dossier is due within the due-soon window.
func (e *Engine) DueSoon(ctx context.Context, d *ent.Dossier) (bool, error) {
	if !isOpen(d.State) || d.AppointmentAt == nil || e.Overdue(d) {
		return false, nil
	}
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		return false, err
	}
	return cals.Of(d.DeskAgencyID).Between(clockAt(d, e.clock.Now()), *d.AppointmentAt) <= e.dueSoon, nil
}

// LegOverdue reports whether an open leg is past its due time.
func (e *Engine) LegOverdue(l *ent.Leg) bool {
	return l.FinishedAt == nil && e.clock.Now().After(l.DueAt)
}

// CurrentAgencies lists the agencies holding an open leg of d.
func (e *Engine) CurrentAgencies(ctx context.Context, d *ent.Dossier) ([]*ent.Agency, error) {
	return d.QueryLegs().Where(leg.FinishedAtIsNil()).QueryAgency().All(ctx)
}

// AvailableActions lists the events the caller may fire on d now: those
// the state machine allows whose rule lets the caller fire them (who) and
// finds the dossier ready (when), whatever input they will still have to
// give.
func (e *Engine) AvailableActions(ctx context.Context, d *ent.Dossier) ([]string, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		return nil, err
	}
	if d.Edges.Procedure == nil {
		if d.Edges.Procedure, err = e.procedure(ctx, d.ProcedureID); err != nil {
			return nil, err
		}
	}
	open, err := d.QueryLegs().Where(leg.FinishedAtIsNil()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load legs: %w", err)
	}
	t := &transition{db: e.client, v: v, d: d, open: open, cal: cals.Of(d.DeskAgencyID), cals: cals, now: e.clock.Now()}
	machine := machineAt(d.State)
	defer machines.Put(machine)
	out := []string{}
	for _, ev := range clientEvents() {
		r := ruleFor(ev, t)
		if r == nil || !machine.Can(string(r.event)) {
			continue
		}
		t.actingFor = nil // as each rule's who check finds it
		ok, err := t.possible(ctx, r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, string(ev))
		}
	}
	return out, nil
}

// possible runs a rule's who and when checks: false when either refuses,
// an error when one could not decide.
func (t *transition) possible(ctx context.Context, r *rule) (bool, error) {
	for _, c := range []check{r.who, r.when} {
		if c == nil {
			continue
		}
		if err := c(ctx, t); err != nil {
			if _, refused := problem.As(err); refused {
				return false, nil
			}
			return false, err
		}
	}
	return true, nil
}
