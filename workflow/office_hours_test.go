package workflow_test

import (
	"strings"
	"testing"

	"lienthong/server/servertest"
)

// TestOfficeHours: the province's hours change from a day to come, an
// agency keeps its own, and each counts where it should: a deadline asked
// for the province or the agency, and the coordination leg opened at that
// agency. The clock is Monday 16 November 2026, 09:00.
func TestOfficeHours(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		admin, desk, spec := e.As("admin"), e.As("desk.giolinh"), e.As("cv.giolinh")
		const (
			set      = `mutation($in: OfficeHoursInput!) { setOfficeHours(input: $in) { agencyID from sessions { start end } } }`
			list     = `query($a: ID) { officeHours(agencyID: $a) { agencyID from sessions { start end } } }`
			deadline = `query($a: ID) { workingDeadline(from: "2026-11-16T09:00:00+07:00", workingDays: 2, agencyID: $a) }`
		)
		hours := func(v map[string]any, field string) string {
			var out []string
			for _, p := range servertest.Get(v, field).([]any) {
				p := p.(map[string]any)
				from, _ := p["from"].(string)
				var ss []string
				for _, s := range p["sessions"].([]any) {
					s := s.(map[string]any)
					ss = append(ss, s["start"].(string)+"–"+s["end"].(string))
				}
				out = append(out, from+" "+strings.Join(ss, ","))
			}
			return strings.Join(out, "; ")
		}
		due := func(agency any) string {
			return servertest.Str(e.MustDo(desk, deadline, map[string]any{"a": agency}), "workingDeadline")
		}
		ags := e.MustDo(desk, `{ agencies(where: {code: "000.00.40.H43"}) { edges { node { id } } } }`, nil)
		tax := servertest.Str(servertest.Get(ags, "agencies", "edges").([]any)[0], "node", "id")

		if got := hours(e.MustDo(desk, list, nil), "officeHours"); got != " 07:30–11:30,13:00–17:00" {
			t.Errorf("officeHours before any entry = %q, want the default from the beginning", got)
		}
		summer := []map[string]any{{"start": "07:00", "end": "11:30"}, {"start": "13:30", "end": "17:00"}}
		for _, tc := range []struct {
			name, token, field string
			in                 map[string]any
		}{
			{"from today", admin, "input.from", map[string]any{"from": "2026-11-16", "sessions": summer}},
			{"not a date", admin, "input.from", map[string]any{"from": "18/11/2026", "sessions": summer}},
			{"a session backwards", admin, "input.sessions", map[string]any{"from": "2026-11-18", "sessions": []map[string]any{{"start": "11:30", "end": "07:30"}}}},
			{"overlapping sessions", admin, "input.sessions", map[string]any{"from": "2026-11-18", "sessions": []map[string]any{{"start": "07:30", "end": "12:00"}, {"start": "11:30", "end": "17:00"}}}},
			{"not a time", admin, "input.sessions[0]", map[string]any{"from": "2026-11-18", "sessions": []map[string]any{{"start": "7h30", "end": "11:30"}}}},
			{"no session", admin, "input.sessions", map[string]any{"from": "2026-11-18", "sessions": []map[string]any{}}},
			{"unknown agency", admin, "input.agencyID", map[string]any{"agencyID": "999999", "from": "2026-11-18", "sessions": summer}},
		} {
			if r := e.Do(tc.token, set, map[string]any{"in": tc.in}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
				t.Errorf("%s: %s, want BAD_USER_INPUT on %s", tc.name, r.Raw, tc.field)
			}
		}
		if r := e.Do(e.As("analyst"), set, map[string]any{"in": map[string]any{"from": "2026-11-18", "sessions": summer}}); r.Code() != "FORBIDDEN" {
			t.Errorf("analyst setOfficeHours: %s, want FORBIDDEN", r.Raw)
		}

		// From Wednesday 18 the province opens at 07:00: Monday 09:00–17:00
		// is 390 minutes, Tuesday 480, and the last 90 end at 08:30.
		if got := due(nil); got != "2026-11-18T09:00:00+07:00" {
			t.Errorf("2 working days from Mon 09:00, default hours = %s, want Wed 09:00", got)
		}
		e.MustDo(admin, set, map[string]any{"in": map[string]any{"from": "2026-11-18", "sessions": summer}})
		if got := due(nil); got != "2026-11-18T08:30:00+07:00" {
			t.Errorf("2 working days from Mon 09:00, 07:00 opening from Wed = %s, want Wed 08:30", got)
		}
		// The tax department keeps its own hours from Tuesday 17 (08:00–12:00,
		// 13:00–16:00, 420 minutes): Monday (the province's) 390, Tuesday 420,
		// Wednesday 150 from 08:00.
		own := map[string]any{"agencyID": tax, "from": "2026-11-17", "sessions": []map[string]any{{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "16:00"}}}
		e.MustDo(admin, set, map[string]any{"in": own})
		if got := due(tax); got != "2026-11-18T10:30:00+07:00" {
			t.Errorf("2 working days at the tax department = %s, want Wed 10:30", got)
		}
		if got := hours(e.MustDo(desk, list, map[string]any{"a": tax}), "officeHours"); got != "2026-11-17 08:00–12:00,13:00–16:00" {
			t.Errorf("the tax department's hours = %q", got)
		}
		if got := hours(e.MustDo(desk, list, nil), "officeHours"); got != " 07:30–11:30,13:00–17:00; 2026-11-18 07:00–11:30,13:30–17:00" {
			t.Errorf("the province's hours = %q", got)
		}

		// A land dossier consults the tax department: its leg is due by the
		// department's hours.
		id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Giờ Làm Việc")}), "receiveDossier", "id")
		e.MustDo(desk, servertest.Forward, map[string]any{"id": id})
		const coordinate = `mutation($id: ID!, $a: ID!) { coordinateDossier(id: $id, input: {agencies: [{agencyID: $a, allottedMinutes: 960}]}) { legs { role dueAt agency { code } } } }`
		legs := servertest.Get(e.MustDo(spec, coordinate, map[string]any{"id": id, "a": tax}), "coordinateDossier", "legs").([]any)
		found := false
		for _, l := range legs {
			l := l.(map[string]any)
			if l["role"] == "COORDINATE" {
				found = true
				if l["dueAt"] != "2026-11-18T10:30:00+07:00" {
					t.Errorf("coordination leg at the tax department due %s, want Wed 10:30 (its own hours)", l["dueAt"])
				}
			}
		}
		if !found {
			t.Fatalf("no coordination leg in %v", legs)
		}

		const remove = `mutation($a: ID, $f: String!) { removeOfficeHours(agencyID: $a, from: $f) { from } }`
		e.MustDo(admin, remove, map[string]any{"a": tax, "f": "2026-11-17"})
		if got := due(tax); got != "2026-11-18T08:30:00+07:00" {
			t.Errorf("the tax department after its own hours were withdrawn = %s, want the province's Wed 08:30", got)
		}
		if r := e.Do(admin, remove, map[string]any{"a": tax, "f": "2026-11-17"}); r.Code() != "NOT_FOUND" {
			t.Errorf("withdrawing again: %s, want NOT_FOUND", r.Raw)
		}
	})
}
