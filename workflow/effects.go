package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	"lienthong/problem"
	"lienthong/rollup"
)

// The rules' effects: what each event plans for the dossier (its new
// values, in upd) and for its legs (queued writes, see queue).

func accept(ctx context.Context, t *transition, upd *ent.DossierUpdate) error {
	a := appointmentFrom(t.cal, t.d.Edges.Procedure, dossierLimit(t.d), t.now)
	upd.SetReceivedAt(t.now).SetAppointmentAt(a).SetOriginalAppointmentAt(a)
	t.queue(func(ctx context.Context, tx *ent.Tx) error {
		l, err := openDeskLeg(ctx, tx, t.cal, t.d, t.v, t.now)
		if err == nil {
			t.after = append(t.after, l)
		}
		return err
	})
	return nil
}

func forward(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	return t.moveLead(upd, t.nextLead(0), "the route has no LEAD step")
}

func transfer(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	return t.moveLead(upd, t.nextLead(t.d.CurrentPosition), "no LEAD step follows: return the dossier instead")
}

func sendBack(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	upd.AddSendBacks(1)
	return t.moveLead(upd, t.prevLead(t.d.CurrentPosition), "no earlier LEAD step to send the dossier back to")
}

// reply closes the replying agency's coordination leg with its opinion.
func reply(_ context.Context, t *transition, _ *ent.DossierUpdate) error {
	for _, l := range t.coordinationLegs() {
		if l.AgencyID == t.v.AgencyID {
			t.data["agree"] = *t.in.Agree
			t.closeLeg(l)
			return nil
		}
	}
	return nil
}

// requestSupplement stops the dossier's clocks until the applicant
// supplements (resume).
func requestSupplement(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	t.data["items"] = t.in.Items
	upd.SetPausedAt(t.now).SetResumeState(t.d.State).AddSupplementRounds(1)
	return nil
}

// returnResult closes every leg and judges the dossier against its
// original appointment.
func returnResult(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	upd.SetFinishedAt(t.now)
	if t.d.OriginalAppointmentAt != nil {
		upd.SetJudgement(dossier.Judgement(rollup.Judge(t.cal, t.now, *t.d.OriginalAppointmentAt)))
	}
	if t.d.ReceivedAt != nil {
		upd.SetProcessingMinutes(rollup.Worked(t.cal, *t.d.ReceivedAt, t.now, t.d.PausedMinutes))
	}
	t.closeAll()
	return nil
}

func complete(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	upd.SetCompletedAt(t.now)
	return nil
}

// closeDossier ends a dossier without a result (refused, withdrawn,
// stopped).
func closeDossier(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	upd.SetFinishedAt(t.now)
	t.closeAll()
	return nil
}

func reassign(_ context.Context, t *transition, _ *ent.DossierUpdate) error {
	l := t.heldLeg()
	t.legID = &l.ID
	t.data["toOfficerID"] = t.in.OfficerID
	if l.OfficerID != nil {
		t.data["fromOfficerID"] = *l.OfficerID
	}
	officer := t.in.OfficerID
	t.afterLeg(l).OfficerID = &officer
	t.queue(func(ctx context.Context, tx *ent.Tx) error {
		if err := tx.Leg.Update().Where(leg.ID(l.ID)).SetOfficerID(officer).Exec(ctx); err != nil {
			return fmt.Errorf("workflow: assign leg: %w", err)
		}
		return nil
	})
	return nil
}

func apologize(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	t.data["newAppointmentAt"] = t.in.NewAppointment.Format(time.RFC3339)
	t.data["previousAppointmentAt"] = t.d.AppointmentAt.Format(time.RFC3339)
	// To the microsecond, as PostgreSQL keeps it (and as stamp does).
	upd.SetApologized(true).SetAppointmentAt(t.in.NewAppointment.Truncate(time.Microsecond))
	return nil
}

// coordinate opens one leg per agency of the route's next COORDINATE
// group (or of the agencies given); the lead's leg keeps running.
func coordinate(ctx context.Context, t *transition, _ *ent.DossierUpdate) error {
	if len(t.in.Agencies) > 0 {
		asked := make([]int, len(t.in.Agencies))
		for i, a := range t.in.Agencies {
			asked[i] = a.AgencyID
		}
		active, err := activeAgencies(auth.SystemContext(ctx), t.db.Agency, asked)
		if err != nil {
			return err
		}
		var ids []int
		for i, a := range t.in.Agencies {
			if limit := t.d.Edges.Procedure.LimitMinutes; a.AllottedMinutes <= 0 || a.AllottedMinutes > limit {
				return problem.BadInput(fmt.Sprintf("input.agencies[%d].allottedMinutes", i), "allotted time must be positive and at most the procedure's limit, %s", fmtMinutes(limit))
			}
			if !active[a.AgencyID] || a.AgencyID == t.v.AgencyID || slices.Contains(ids, a.AgencyID) {
				return problem.BadInput(fmt.Sprintf("input.agencies[%d].agencyID", i), "agency %d cannot be consulted here", a.AgencyID)
			}
			ids = append(ids, a.AgencyID)
			t.openLeg(a.AgencyID, leg.RoleCoordinate, 0, limit{minutes: a.AllottedMinutes})
		}
		t.data["agencyIDs"] = ids
		return nil
	}
	done := slices.DeleteFunc(slices.Clone(t.legs), func(l *ent.Leg) bool { return l.Role != leg.RoleCoordinate })
	var group []*ent.RouteStep
	for _, s := range t.steps() {
		if s.Position <= t.d.CurrentPosition {
			continue
		}
		if s.Role == routestep.RoleLead {
			break
		}
		if slices.ContainsFunc(done, func(l *ent.Leg) bool { return l.Position == s.Position }) {
			continue
		}
		if len(group) > 0 && (s.ParallelGroup == 0 || s.ParallelGroup != group[0].ParallelGroup) {
			break
		}
		group = append(group, s)
	}
	if len(group) == 0 {
		return problem.BadInput("input.agencies", "the route has no coordination step here: name the agencies to consult")
	}
	var ids []int
	for _, s := range group {
		ids = append(ids, t.stepAgency(s))
		t.openLeg(t.stepAgency(s), leg.RoleCoordinate, s.Position, stepLimit(s))
	}
	t.data["agencyIDs"] = ids
	return nil
}

// resume ends a supplementation pause. PAUSE extends the appointment and
// every open leg by the working time paused; RESTART recomputes them from now.
func resume(_ context.Context, t *transition, upd *ent.DossierUpdate) error {
	if t.d.PausedAt == nil {
		return fmt.Errorf("workflow: dossier %s has no pause to end", t.d.Code)
	}
	paused := t.cal.Between(*t.d.PausedAt, t.now)
	t.data["pausedMinutes"] = paused
	upd.ClearPausedAt().ClearResumeState().AddPausedMinutes(int(paused))
	restart := t.d.Edges.Procedure.SupplementPolicy == procedure.SupplementPolicyRestart
	if t.d.AppointmentAt != nil {
		lim := dossierLimit(t.d)
		a := lim.extend(t.cal, *t.d.AppointmentAt, *t.d.PausedAt, t.now)
		if restart {
			a = lim.due(t.cal, t.now)
		}
		upd.SetAppointmentAt(a)
		if !t.d.Apologized {
			upd.SetOriginalAppointmentAt(a)
		}
	}
	for _, l := range t.open {
		// Each leg's pause in its agency's own working time.
		lc := t.calOf(l.AgencyID)
		paused := lc.Between(*t.d.PausedAt, t.now)
		due := legLimit(l).extend(lc, l.DueAt, *t.d.PausedAt, t.now)
		if restart {
			due = legLimit(l).due(lc, t.now)
		}
		a := t.afterLeg(l)
		a.DueAt, a.PausedMinutes = due, a.PausedMinutes+int(paused)
		t.queue(func(ctx context.Context, tx *ent.Tx) error {
			if err := tx.Leg.Update().Where(leg.ID(l.ID)).SetDueAt(due).AddPausedMinutes(int(paused)).Exec(ctx); err != nil {
				return fmt.Errorf("workflow: extend leg: %w", err)
			}
			return nil
		})
	}
	return nil
}

func (t *transition) steps() []*ent.RouteStep {
	steps := slices.Clone(t.d.Edges.Procedure.Edges.Steps)
	slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
	return steps
}

// stepAgency resolves a step's agency: empty means the receiving agency.
func (t *transition) stepAgency(s *ent.RouteStep) int {
	if s.AgencyID == nil {
		return t.d.DeskAgencyID
	}
	return *s.AgencyID
}

func (t *transition) nextLead(after int) *ent.RouteStep {
	for _, s := range t.steps() {
		if s.Position > after && s.Role == routestep.RoleLead {
			return s
		}
	}
	return nil
}

func (t *transition) prevLead(before int) *ent.RouteStep {
	steps := t.steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Position < before && steps[i].Role == routestep.RoleLead {
			return steps[i]
		}
	}
	return nil
}

// moveLead closes the lead (or desk) leg and opens one at step.
func (t *transition) moveLead(upd *ent.DossierUpdate, step *ent.RouteStep, missing string) error {
	if step == nil {
		return problem.BadInput("id", "%s", missing)
	}
	if l := t.leadLeg(); l != nil {
		t.closeLeg(l)
	}
	upd.SetCurrentPosition(step.Position)
	t.data["toAgencyID"] = t.stepAgency(step)
	t.data["position"] = step.Position
	t.openLeg(t.stepAgency(step), leg.RoleLead, step.Position, stepLimit(step))
	return nil
}

func (t *transition) closeAll() {
	for _, l := range t.open {
		t.closeLeg(l)
	}
}

// closeLeg finishes a leg now and judges it against its own due time.
func (t *transition) closeLeg(l *ent.Leg) {
	end := t.now
	if t.d.PausedAt != nil {
		end = *t.d.PausedAt // the leg's clock stopped with the dossier's
	}
	a := t.afterLeg(l)
	lc := t.calOf(l.AgencyID)
	now, judgement, minutes := t.now, rollup.Judge(lc, t.now, l.DueAt), rollup.Worked(lc, l.StartedAt, end, l.PausedMinutes)
	a.FinishedAt, a.Judgement, a.WorkedMinutes = &now, judgement, &minutes
	answered := t.in.Agree != nil && l.Role == leg.RoleCoordinate
	if answered {
		agree, opinion := *t.in.Agree, t.in.Note
		a.Agree, a.Opinion = &agree, &opinion
	}
	t.queue(func(ctx context.Context, tx *ent.Tx) error {
		// Update (not UpdateOne): nothing to read back.
		u := tx.Leg.Update().Where(leg.ID(l.ID)).
			SetFinishedAt(now).
			SetJudgement(judgement).
			SetWorkedMinutes(minutes)
		if answered {
			u.SetAgree(*a.Agree).SetOpinion(*a.Opinion)
		}
		if err := u.Exec(ctx); err != nil {
			return fmt.Errorf("workflow: close leg: %w", err)
		}
		return nil
	})
}

// afterLeg is leg l as the transition leaves it.
func (t *transition) afterLeg(l *ent.Leg) *ent.Leg {
	for _, a := range t.after {
		if a.ID == l.ID {
			return a
		}
	}
	// Not reached: t.after starts as a copy of every leg read.
	c := *l
	t.after = append(t.after, &c)
	return &c
}

// calOf is the calendar agency counts its legs by (CalendarSet.Of).
func (t *transition) calOf(agency int) *calendar.Calendar {
	if t.cals == nil {
		return t.cal
	}
	return t.cals.Of(agency)
}

// openLeg opens a leg at agencyID allotted lim from now, due by the
// agency's calendar. A leg allotted days records, as its minutes, the
// working time its period holds.
func (t *transition) openLeg(agencyID int, role leg.Role, position int, lim limit) {
	cal := t.calOf(agencyID)
	due, minutes := lim.due(cal, t.now), lim.minutes
	if lim.days > 0 {
		minutes = int(cal.Between(t.now, due))
	}
	t.queue(func(ctx context.Context, tx *ent.Tx) error {
		l, err := tx.Leg.Create().
			SetDossierID(t.d.ID).
			SetAgencyID(agencyID).
			SetRole(role).
			SetPosition(position).
			SetStartedAt(t.now).
			SetAllottedMinutes(minutes).
			SetAllottedDays(lim.days).
			SetDueAt(due).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("workflow: open leg: %w", err)
		}
		t.after = append(t.after, l)
		return nil
	})
}

// queue queues a write to the dossier's legs. The queue runs once the
// versioned update of the dossier has won: the dossier's row lock orders
// concurrent transitions, so a loser touches no leg, even one a winner
// has just finished (the database refuses to change a finished leg).
func (t *transition) queue(f func(context.Context, *ent.Tx) error) {
	t.writes = append(t.writes, f)
}
