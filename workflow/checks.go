package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/delegation"
	"lienthong/ent/leg"
	st "lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// The rules' checks: who may fire an event (role and agency), when it is
// possible for the dossier, and what input it needs.

// processors are the roles that work a dossier at an agency.
var processors = []auth.Role{auth.RoleSpecialist, auth.RoleAgencyHead}

// atDesk: the receiving desk's officers with roles.
func atDesk(roles ...auth.Role) check {
	return func(ctx context.Context, t *transition) error {
		return t.at(ctx, []int{t.d.DeskAgencyID}, roles...)
	}
}

// atLead: the lead agency's officers (the desk's before forwarding).
func atLead(roles ...auth.Role) check {
	return func(ctx context.Context, t *transition) error {
		var lead []int
		if l := t.leadLeg(); l != nil {
			lead = []int{l.AgencyID}
		}
		return t.at(ctx, lead, roles...)
	}
}

// atConsulted: the officers of an agency consulted now.
func atConsulted(roles ...auth.Role) check {
	return func(ctx context.Context, t *transition) error {
		var coord []int
		for _, l := range t.coordinationLegs() {
			coord = append(coord, l.AgencyID)
		}
		return t.at(ctx, coord, roles...)
	}
}

// atHolder: the officers of an agency holding an open leg.
func atHolder(roles ...auth.Role) check {
	return func(ctx context.Context, t *transition) error {
		return t.at(ctx, t.holders(), roles...)
	}
}

// atDeskOrHolder: the officers of the desk or of an agency holding an
// open leg.
func atDeskOrHolder(roles ...auth.Role) check {
	return func(ctx context.Context, t *transition) error {
		return t.at(ctx, append([]int{t.d.DeskAgencyID}, t.holders()...), roles...)
	}
}

// deskOrHoldingHead: the desk's officers, or the head of the desk or of
// an agency holding an open leg.
func deskOrHoldingHead(ctx context.Context, t *transition) error {
	if t.v.HasRole(auth.RoleDeskOfficer) && t.v.AgencyID == t.d.DeskAgencyID {
		return nil
	}
	return atDeskOrHolder(auth.RoleAgencyHead)(ctx, t)
}

// supplier: the desk that receives the supplements, or the one-stop
// electronic system that took them online.
func supplier(ctx context.Context, t *transition) error {
	if t.v.HasRole(auth.RoleIntegration) {
		return nil
	}
	return atDesk(auth.RoleDeskOfficer)(ctx, t)
}

// othersConsulted picks REPLY: other agencies are still consulted.
func othersConsulted(t *transition) bool { return len(t.coordinationLegs()) > 1 }

// lastConsulted picks REPLY_LAST: the last consulted agency answers.
func lastConsulted(t *transition) bool { return !othersConsulted(t) }

// resumes picks the supplementation's end that resumes state s (any state
// but RECEIVED and COORDINATING resumes processing).
func resumes(s st.DossierState) func(t *transition) bool {
	return func(t *transition) bool {
		if t.d.ResumeState == nil {
			return false
		}
		switch r := *t.d.ResumeState; r {
		case st.StateReceived, st.StateCoordinating:
			return r == s
		}
		return s == st.StateProcessing
	}
}

func reason(_ context.Context, t *transition) error {
	if t.in.Reason == "" {
		return problem.BadInput("reason", "a written reason is required")
	}
	return nil
}

func opinion(_ context.Context, t *transition) error {
	if t.in.Agree == nil || t.in.Note == "" {
		return problem.BadInput("opinion", "a coordination reply needs agree and a written opinion")
	}
	return nil
}

func items(_ context.Context, t *transition) error {
	if len(t.in.Items) == 0 {
		return problem.BadInput("items", "list the documents the applicant must supplement")
	}
	return nil
}

// apologyDue: the apology and new appointment is given once, for a
// dossier overdue or due within one working day.
func apologyDue(_ context.Context, t *transition) error {
	if t.d.Apologized {
		return problem.Conflict("", "dossier %s has had its apology and new appointment already: it may be given once", t.d.Code)
	}
	if t.d.AppointmentAt != nil && t.cal.Between(t.now, *t.d.AppointmentAt) > calendar.MinutesPerWorkingDay {
		return problem.BadInput("id", "an apology is for a dossier that is overdue or due within one working day")
	}
	return nil
}

// minApologyWindow is how far from now a new appointment may be set at
// least, whatever the procedure's limit: the time a verification takes
// (a one-day procedure apologized for still gets a week).
const minApologyWindow = 5 * calendar.MinutesPerWorkingDay

// newAppointment: after the current appointment and after now, and no
// later than the procedure's limit again from now (at least
// minApologyWindow), in working time.
func newAppointment(_ context.Context, t *transition) error {
	if t.d.AppointmentAt == nil || t.in.NewAppointment == nil || !t.in.NewAppointment.After(*t.d.AppointmentAt) {
		return problem.BadInput("newAppointmentAt", "the new appointment must be after the current one")
	}
	if !t.in.NewAppointment.After(t.now) {
		return problem.BadInput("newAppointmentAt", "the new appointment must be in the future")
	}
	window := max(t.d.Edges.Procedure.LimitMinutes, minApologyWindow)
	if latest := t.cal.Add(t.now, int64(window)); t.in.NewAppointment.After(latest) {
		return problem.BadInput("newAppointmentAt", "the new appointment must be within %s from now (the procedure's limit, at least 5 working days): at the latest %s",
			fmtMinutes(window), latest.In(t.cal.Location()).Format(time.RFC3339))
	}
	return nil
}

// assignableLeg: the desk works as a team, its legs are not assigned.
func assignableLeg(_ context.Context, t *transition) error {
	if l := t.heldLeg(); l == nil || l.Role == leg.RoleDesk {
		return problem.BadInput("id", "the desk works as a team: its legs are not assigned")
	}
	return nil
}

// assignee: the officer works for the agency holding the leg, with a role
// that can process it, and does not hold it already.
func assignee(ctx context.Context, t *transition) error {
	if t.in.OfficerID == 0 {
		return problem.BadInput("officerID", "name the officer to assign")
	}
	l := t.heldLeg()
	o, err := t.db.Officer.Get(ctx, t.in.OfficerID)
	if ent.IsNotFound(err) || err == nil && o.AgencyID != l.AgencyID {
		return problem.BadInput("officerID", "officer %d does not work for the agency holding the dossier", t.in.OfficerID)
	}
	if err != nil {
		return fmt.Errorf("workflow: load officer: %w", err)
	}
	if !slices.ContainsFunc(officerRoles(o), func(r auth.Role) bool { return slices.Contains(processors, r) }) {
		return problem.BadInput("officerID", "%s cannot process the dossier: it needs one of the roles %v", o.Name, processors)
	}
	if l.OfficerID != nil && *l.OfficerID == o.ID {
		return problem.BadInput("officerID", "the dossier is assigned to %s already", o.Name)
	}
	return nil
}

// leadLeg is the open LEAD leg, or the open DESK leg before forwarding.
func (t *transition) leadLeg() *ent.Leg {
	for _, l := range t.open {
		if l.Role == leg.RoleLead || l.Role == leg.RoleDesk {
			return l
		}
	}
	return nil
}

func (t *transition) coordinationLegs() []*ent.Leg {
	var out []*ent.Leg
	for _, l := range t.open {
		if l.Role == leg.RoleCoordinate {
			out = append(out, l)
		}
	}
	return out
}

// holders are the agencies holding an open leg.
func (t *transition) holders() []int {
	var out []int
	for _, l := range t.open {
		out = append(out, l.AgencyID)
	}
	return out
}

// heldLeg is the open leg of the agency the viewer acts for.
func (t *transition) heldLeg() *ent.Leg {
	agencyID := t.v.AgencyID
	if t.actingFor != nil {
		for _, p := range t.principals {
			if p.ID == *t.actingFor {
				agencyID = p.AgencyID
			}
		}
	}
	for _, l := range t.open {
		if l.AgencyID == agencyID {
			return l
		}
	}
	return nil
}

// at requires the viewer, or an officer who delegated to the viewer, to
// hold one of roles at one of agencies. A leg assigned to an officer is
// acted on by that officer, their delegate or the agency head.
func (t *transition) at(ctx context.Context, agencies []int, roles ...auth.Role) error {
	self := t.allowed(t.v.OfficerID, t.v.AgencyID, t.v.Roles, agencies, roles)
	if self == nil {
		return nil
	}
	principals, err := t.delegators(ctx)
	if err != nil {
		return err
	}
	for _, p := range principals {
		if t.allowed(p.ID, p.AgencyID, officerRoles(p), agencies, roles) == nil {
			t.actingFor = &p.ID
			return nil
		}
	}
	return self
}

func (t *transition) allowed(officerID, agencyID int, have []auth.Role, agencies []int, roles []auth.Role) error {
	if !slices.ContainsFunc(have, func(r auth.Role) bool { return slices.Contains(roles, r) }) {
		return problem.Forbidden("this needs one of the roles %v", roles)
	}
	if !slices.Contains(agencies, agencyID) {
		return problem.Forbidden("dossier %s is not held by your agency", t.d.Code)
	}
	if slices.Contains(have, auth.RoleAgencyHead) {
		return nil
	}
	for _, l := range t.open {
		if l.AgencyID == agencyID && l.Role != leg.RoleDesk && l.OfficerID != nil && *l.OfficerID != officerID {
			return problem.Forbidden("dossier %s is assigned to another officer of your agency", t.d.Code)
		}
	}
	return nil
}

// delegators are the officers whose delegation to the viewer is running now.
func (t *transition) delegators(ctx context.Context) ([]*ent.Officer, error) {
	if t.principals != nil {
		return t.principals, nil
	}
	ps, err := t.db.Delegation.Query().
		Where(delegation.ToOfficerID(t.v.OfficerID), delegation.StartsAtLTE(t.now), delegation.EndsAtGT(t.now)).
		QueryFromOfficer().
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load delegations: %w", err)
	}
	t.principals = ps
	if ps == nil {
		t.principals = []*ent.Officer{}
	}
	return t.principals, nil
}

func officerRoles(o *ent.Officer) []auth.Role {
	out := make([]auth.Role, len(o.Roles))
	for i, r := range o.Roles {
		out[i] = auth.Role(r)
	}
	return out
}
