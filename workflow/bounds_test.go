package workflow_test

import (
	"testing"
	"time"

	"lienthong/server/servertest"
)

// TestNewAppointmentBounds: an apology's new appointment is after the
// current one and after now, and within the procedure's limit again from
// now, at least 5 working days: not the year 9999.
func TestNewAppointmentBounds(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk, head := e.As("desk.dongha"), e.As("ld.dongha")
		const apologize = `mutation($id: ID!, $at: Time!) { apologizeDossier(id: $id, reason: "Chờ xác minh", newAppointmentAt: $at) { appointmentAt } }`
		// Marriage registrations (1 working day) received Monday 09:00, due Tuesday 09:00.
		receive := func(name string) string {
			id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.MarriageInput(name)}), "receiveDossier", "id")
			e.FireAt(desk, servertest.Forward, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
			return id
		}
		a, b := receive("Hẹn Xa"), receive("Hẹn Lùi")
		e.Clock.Set(time.Date(2026, 11, 16, 14, 0, 0, 0, loc))
		// 5 working days from Monday 14:00 end on the next Monday at 14:00.
		for _, at := range []string{"9999-12-31T23:59:59Z", "2027-11-16T14:00:00+07:00", "2026-11-23T14:01:00+07:00"} {
			if r := e.Do(head, apologize, map[string]any{"id": a, "at": at}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "newAppointmentAt" {
				t.Errorf("new appointment %s: %s, want BAD_USER_INPUT on newAppointmentAt", at, r.Raw)
			}
		}
		e.MustDo(head, apologize, map[string]any{"id": a, "at": "2026-11-23T14:00:00+07:00"})
		// Overdue since Tuesday 09:00: a new appointment at 09:30 is in the past at 10:00.
		e.Clock.Set(time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		if r := e.Do(head, apologize, map[string]any{"id": b, "at": "2026-11-17T09:30:00+07:00"}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("a new appointment in the past: %s, want BAD_USER_INPUT", r.Raw)
		}
	})
}

// TestCoordinationBounds: the time allotted to a consulted agency is
// positive and at most the procedure's limit (it was accepted up to
// 600,000,000 minutes, and 2,147,483,647 failed inside).
func TestCoordinationBounds(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk, spec := e.As("desk.giolinh"), e.As("cv.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Phối Hợp")})
		id := servertest.Str(d, "receiveDossier", "id")
		e.MustDo(desk, servertest.Forward, map[string]any{"id": id})
		limit := servertest.Num(e.MustDo(desk, `{ procedureByCode(code: "1.013978") { limitMinutes } }`, nil), "procedureByCode", "limitMinutes")
		ags := e.MustDo(desk, `{ agencies(where: {code: "000.00.40.H43"}) { edges { node { id } } } }`, nil)
		tax := servertest.Str(servertest.Get(ags, "agencies", "edges").([]any)[0], "node", "id")
		const coordinate = `mutation($id: ID!, $a: ID!, $m: Int!) { coordinateDossier(id: $id, input: {agencies: [{agencyID: $a, allottedMinutes: $m}]}) { state } }`
		for _, m := range []int{600000000, 2147483647, limit + 1, 0, -480} {
			r := e.Do(spec, coordinate, map[string]any{"id": id, "a": tax, "m": m})
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.agencies[0].allottedMinutes" {
				t.Errorf("allotted %d minutes: %s, want BAD_USER_INPUT on input.agencies[0].allottedMinutes", m, r.Raw)
			}
		}
		if r := e.Do(spec, coordinate, map[string]any{"id": id, "a": tax, "m": limit}); servertest.Str(r.Data, "coordinateDossier", "state") != "COORDINATING" {
			t.Errorf("allotted the procedure's limit (%d minutes): %s", limit, r.Raw)
		}
	})
}
