package workflow_test

import (
	"strings"
	"testing"
	"time"

	"lienthong/calendar"
	"lienthong/server/servertest"
)

// daysProcedure is the judicial record certificate as the law writes its
// limit: 10 ngày, days as the Civil Code counts them, its route in working
// days at the desk's own agency and a consultation of 3 ngày.
func daysProcedure() map[string]any {
	return map[string]any{
		"code": "9.000333", "name": "Cấp Phiếu lý lịch tư pháp (thử)", "field": "Lý lịch tư pháp",
		"limitUnit": "DAYS", "legalLimitDays": 10, "limitDays": 10, "supplementPolicy": "PAUSE",
		"channels": []string{"DIRECT"}, "components": []map[string]any{{"name": "Tờ khai", "mandatory": true}},
		"steps": []map[string]any{
			{"position": 1, "role": "LEAD", "allottedMinutes": 2 * 480},
			{"position": 2, "role": "COORDINATE", "allottedDays": 3},
			{"position": 3, "role": "LEAD", "allottedMinutes": 480},
		},
	}
}

func daysInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "9.000333", "channel": "DIRECT",
		"applicant":  map[string]any{"name": name, "idNumber": "045201000999"},
		"components": []map[string]any{{"name": "Tờ khai"}},
	}
}

// TestLimitInDays: a limit of 10 ngày ends as the Civil Code ends it, by
// hand: received Thursday 24 December 2026, day 10 is Sunday 3 January
// 2027, so the appointment is Monday 4 January at closing — four days
// before the Friday 8 January that 10 working days would give. A last day
// in Tết moves to the first working day after it; a Saturday intake counts
// from Monday; a pause moves the appointment by the days paused; a turn
// allotted days is due by its days.
func TestLimitInDays(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := calendar.VietnamLocation()
		desk := e.As("desk.giolinh")
		p := e.MustDo(e.As("admin"), `mutation($in: ProcedureInput!) { createProcedure(input: $in) { limitUnit limitDays legalLimitDays limitMinutes } }`, map[string]any{"in": daysProcedure()})
		if got := servertest.Str(p, "createProcedure", "limitUnit") + " " + servertest.Str(p, "createProcedure", "limitDays"); servertest.Num(p, "createProcedure", "limitDays") != 10 || servertest.Num(p, "createProcedure", "limitMinutes") != 10*480 {
			t.Errorf("procedure in days: %v (%s), want 10 days and 4800 minutes as many working days", p["createProcedure"], got)
		}
		receiveAt := func(at time.Time, name string) map[string]any {
			t.Helper()
			e.Clock.Set(at)
			return e.MustDo(desk, servertest.Receive, map[string]any{"in": daysInput(name)})["receiveDossier"].(map[string]any)
		}
		for _, tc := range []struct {
			name string
			at   time.Time
			want string
		}{
			{"judicial record", time.Date(2026, 12, 24, 10, 0, 0, 0, loc), "2027-01-04T17:00:00+07:00"},
			{"last day in Tết", time.Date(2027, 1, 27, 9, 0, 0, 0, loc), "2027-02-12T17:00:00+07:00"},
			{"received on a Saturday", time.Date(2026, 11, 21, 8, 0, 0, 0, loc), "2026-12-03T17:00:00+07:00"},
		} {
			d := receiveAt(tc.at, "Lý Lịch "+tc.name)
			if got := d["appointmentAt"]; got != tc.want {
				t.Errorf("%s: appointment %s, want %s", tc.name, got, tc.want)
			}
		}

		// A turn allotted 3 ngày: the consultation opened Tuesday 17
		// November at 10:00 is due with Friday 20's closing.
		d := receiveAt(time.Date(2026, 11, 16, 9, 0, 0, 0, loc), "Lý Lịch Phối Hợp")
		id := d["id"].(string)
		e.FireAt(desk, servertest.Forward, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
		e.Clock.Set(time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		co := e.MustDo(e.As("cv.giolinh"), `mutation($id: ID!) { coordinateDossier(id: $id, input: {}) { legs { role dueAt allottedDays allottedMinutes } } }`, map[string]any{"id": id})
		var coordinated bool
		for _, l := range servertest.Get(co, "coordinateDossier", "legs").([]any) {
			if l := l.(map[string]any); l["role"] == "COORDINATE" {
				coordinated = true
				// Tue 10:00–17:00 is 330 working minutes (lunch 11:30–13:00),
				// Wed to Fri 3 × 480.
				if l["dueAt"] != "2026-11-20T17:00:00+07:00" || servertest.Num(l, "allottedDays") != 3 || servertest.Num(l, "allottedMinutes") != 330+3*480 {
					t.Errorf("consultation allotted 3 days: %v, want due Fri 20 Nov 17:00, 3 days, 1770 working minutes", l)
				}
			}
		}
		if !coordinated {
			t.Fatalf("no consultation opened: %v", co)
		}

		// A pause from Wednesday 18 to Friday 20 (two days) moves the
		// appointment of Thursday 26 to Saturday 28, a day off: Monday 30.
		p2 := receiveAt(time.Date(2026, 11, 16, 9, 0, 0, 0, loc), "Lý Lịch Bổ Sung")
		if p2["appointmentAt"] != "2026-11-26T17:00:00+07:00" {
			t.Fatalf("appointment %s, want Thu 26 Nov 17:00", p2["appointmentAt"])
		}
		pid := p2["id"].(string)
		e.FireAt(desk, servertest.Request, pid, time.Date(2026, 11, 18, 10, 0, 0, 0, loc))
		e.FireAt(desk, servertest.Supply, pid, time.Date(2026, 11, 20, 9, 0, 0, 0, loc))
		after := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt } } }`, map[string]any{"id": pid})
		if got := servertest.Str(after, "node", "appointmentAt"); got != "2026-11-30T17:00:00+07:00" {
			t.Errorf("appointment after a two-day pause = %s, want Mon 30 Nov 17:00", got)
		}
	})
}

// TestLimitUnitsRefused: days belong to a limit in days, a limit in days
// is whole, and a route in days must fit its days.
func TestLimitUnitsRefused(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	admin := e.As("admin")
	for _, tc := range []struct {
		name, field, says string
		edit              func(in map[string]any)
	}{
		{"days for working days", "input.limitDays", "limitUnit DAYS", func(in map[string]any) {
			in["limitUnit"] = "WORKING_DAYS"
			in["legalLimitMinutes"], in["limitMinutes"] = 4800, 4800
			in["legalLimitDays"] = 0
		}},
		{"half a day", "input.legalLimitDays", "whole number", func(in map[string]any) {
			in["legalLimitDays"], in["limitDays"], in["legalLimitMinutes"], in["limitMinutes"] = 0, 0, 10*480+240, 4800
		}},
		{"over the law", "input.limitDays", "legal limit", func(in map[string]any) { in["limitDays"] = 11 }},
		{"route over its days", "input.steps", "needs 12 days but the limit is 10 days", func(in map[string]any) {
			in["steps"] = []map[string]any{{"position": 1, "role": "LEAD", "allottedMinutes": 6 * 480}, {"position": 2, "role": "COORDINATE", "allottedDays": 4}}
		}},
	} {
		in := daysProcedure()
		tc.edit(in)
		r := e.Do(admin, createProcedure, map[string]any{"in": in})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field || !strings.Contains(r.Errors[0].Message, tc.says) {
			t.Errorf("%s: %s, want BAD_USER_INPUT on %s saying %q", tc.name, r.Raw, tc.field, tc.says)
		}
	}
}
