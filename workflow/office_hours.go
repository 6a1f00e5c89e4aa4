package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/officehours"
	"lienthong/ent/predicate"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// maxSessions bounds the sessions of one day.
const maxSessions = 4

// OfficeSession is one opening of a day, "HH:MM" to "HH:MM".
type OfficeSession struct {
	Start string
	End   string
}

// OfficeHoursInput sets the office hours from a date on: the province's
// (no agency) or one agency's own.
type OfficeHoursInput struct {
	AgencyID *int
	From     string
	Sessions []*OfficeSession
}

// OfficeHoursPeriod is one entry of the office hours by date. From is nil
// for the hours the product counts with before the first entry.
type OfficeHoursPeriod struct {
	AgencyID *int
	From     *string
	Sessions []*OfficeSession
}

// SetOfficeHours records office hours in force from a day to come (ADMIN)
// and returns the hours of that scope (the province, or the agency), as
// OfficeHours does. An entry for the same day is replaced.
//
// Only days to come: deadlines already counted stay as counted (the
// appointment is the receipt's promise), and a worked time measured later
// over a day already past must count that day as it was.
func (e *Engine) SetOfficeHours(ctx context.Context, in OfficeHoursInput) ([]*OfficeHoursPeriod, error) {
	v, err := auth.RequireRole(ctx, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	from, err := e.futureDay("input.from", in.From)
	if err != nil {
		return nil, err
	}
	if err := e.checkAgency(ctx, in.AgencyID); err != nil {
		return nil, err
	}
	if err := problem.Count("input.sessions", len(in.Sessions), maxSessions); err != nil {
		return nil, err
	}
	sessions := make([]schematype.Session, len(in.Sessions))
	cs := make([]calendar.Session, len(in.Sessions))
	for i, s := range in.Sessions {
		start, err1 := parseClock(s.Start)
		end, err2 := parseClock(s.End)
		if err1 != nil || err2 != nil {
			return nil, problem.BadInput(fmt.Sprintf("input.sessions[%d]", i), "a session is HH:MM to HH:MM, e.g. 07:30 to 11:30")
		}
		sessions[i], cs[i] = schematype.Session{Start: start, End: end}, calendar.Session{Start: start, End: end}
	}
	if err := calendar.CheckSessions(cs); err != nil {
		return nil, problem.BadInput("input.sessions", "%s", strings.TrimPrefix(err.Error(), "workflow: "))
	}
	err = e.inTx(ctx, func(tx *ent.Tx) error {
		if _, err := tx.OfficeHours.Delete().Where(sameScope(in.AgencyID), officehours.From(from.String())).Exec(ctx); err != nil {
			return fmt.Errorf("workflow: replace office hours: %w", err)
		}
		create := tx.OfficeHours.Create().SetNillableAgencyID(in.AgencyID).SetFrom(from.String()).SetSessions(sessions)
		if v.OfficerID != 0 {
			create.SetEnteredByID(v.OfficerID)
		}
		if err := create.Exec(ctx); err != nil {
			return fmt.Errorf("workflow: save office hours: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.calendars.Invalidate()
	e.log.InfoContext(ctx, "office hours entered", "agency", in.AgencyID, "from", from.String(), "by", v.Subject)
	return e.OfficeHours(ctx, in.AgencyID)
}

// RemoveOfficeHours withdraws an entry not yet in force (ADMIN).
func (e *Engine) RemoveOfficeHours(ctx context.Context, agencyID *int, from string) ([]*OfficeHoursPeriod, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	day, err := e.futureDay("from", from)
	if err != nil {
		return nil, err
	}
	n, err := e.client.OfficeHours.Delete().Where(sameScope(agencyID), officehours.From(day.String())).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: remove office hours: %w", err)
	}
	if n == 0 {
		return nil, problem.NotFound("no office hours from %s to remove", day)
	}
	e.calendars.Invalidate()
	return e.OfficeHours(ctx, agencyID)
}

// OfficeHours lists the office hours by date (any signed-in caller: the
// province's directory): the province's, from the product's default on,
// or, for an agency, its own entries (which replace the province's from
// the first of them on).
func (e *Engine) OfficeHours(ctx context.Context, agencyID *int) ([]*OfficeHoursPeriod, error) {
	if _, err := auth.Require(ctx); err != nil {
		return nil, err
	}
	rows, err := e.client.OfficeHours.Query().Where(sameScope(agencyID)).Order(ent.Asc(officehours.FieldFrom)).All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("workflow: office hours: %w", err)
	}
	var out []*OfficeHoursPeriod
	if agencyID == nil {
		out = append(out, &OfficeHoursPeriod{Sessions: clockSessions(e.calendars.sessions)})
	}
	for _, r := range rows {
		ss := make([]calendar.Session, len(r.Sessions))
		for i, s := range r.Sessions {
			ss[i] = calendar.Session{Start: s.Start, End: s.End}
		}
		out = append(out, &OfficeHoursPeriod{AgencyID: r.AgencyID, From: &r.From, Sessions: clockSessions(ss)})
	}
	return out, nil
}

// futureDay parses a first day of new hours: after today.
func (e *Engine) futureDay(field, s string) (calendar.Date, error) {
	day, err := calendar.ParseDate(s)
	if err != nil {
		return day, problem.BadInput(field, "date must be YYYY-MM-DD, got %q", problem.Clip(s, 16))
	}
	today := calendar.DateOf(e.clock.Now().In(calendar.VietnamLocation()))
	if day.String() <= today.String() {
		return day, problem.BadInput(field, "office hours change from a day to come (after %s): the deadlines of days already begun were counted with the hours then in force", today)
	}
	return day, nil
}

func (e *Engine) checkAgency(ctx context.Context, id *int) error {
	if id == nil {
		return nil
	}
	ok, err := e.client.Agency.Query().Where(agency.ID(*id)).Exist(auth.SystemContext(ctx))
	if err != nil {
		return err
	}
	if !ok {
		return problem.BadInput("input.agencyID", "no agency with id %d", *id)
	}
	return nil
}

func sameScope(agencyID *int) predicate.OfficeHours {
	// A plain predicate: the province's rows have no agency.
	if agencyID == nil {
		return officehours.AgencyIDIsNil()
	}
	return officehours.AgencyID(*agencyID)
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" is the end
// of the day.
func parseClock(s string) (int, error) {
	if s == "24:00" {
		return 24 * 60, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func clockSessions(ss []calendar.Session) []*OfficeSession {
	out := make([]*OfficeSession, len(ss))
	for i, s := range ss {
		out[i] = &OfficeSession{Start: fmt.Sprintf("%02d:%02d", s.Start/60, s.Start%60), End: fmt.Sprintf("%02d:%02d", s.End/60, s.End%60)}
	}
	return out
}
