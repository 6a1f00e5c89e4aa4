package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent"
	st "lienthong/ent/schema/schematype"
	"lienthong/workflow"
)

// mutationSpec is one transition mutation as the table fires it: the
// officer who may fire it on the land route, and its text.
type mutationSpec struct {
	actor string
	query string
}

// landMutations are the transition mutations on a land-use dossier of
// commune A held by the Environment department (route commune →
// Environment → Tax → Environment). requestSupplement's actor depends on
// the holder; the table picks it.
func landMutations(taxID, envOfficerID string) map[string]mutationSpec {
	m := func(actor, call string) mutationSpec {
		return mutationSpec{actor, `mutation($id: ID!) { ` + call + ` { state version } }`}
	}
	return map[string]mutationSpec{
		"accept":            m("desk.giolinh", `acceptDossier(id: $id)`),
		"forward":           m("desk.giolinh", `forwardDossier(id: $id)`),
		"transfer":          m("cv.moitruong", `transferDossier(id: $id, note: "Chuyển cơ quan thuế")`),
		"coordinate":        m("cv.moitruong", `coordinateDossier(id: $id, input: {agencies: [{agencyID: "`+taxID+`", allottedMinutes: 960}]})`),
		"reply":             m("cv.thue", `replyCoordination(id: $id, agree: true, opinion: "Thống nhất")`),
		"sendBack":          m("cv.moitruong", `sendBackDossier(id: $id, reason: "Thiếu xác nhận hiện trạng")`),
		"requestSupplement": m("cv.moitruong", `requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Sơ đồ thửa đất"])`),
		"supplement":        m("desk.giolinh", `supplementDossier(id: $id)`),
		"return":            m("cv.moitruong", `returnDossier(id: $id, result: "Giấy chứng nhận số CS 000123")`),
		"complete":          m("desk.giolinh", `completeDossier(id: $id)`),
		"refuse":            m("desk.giolinh", `refuseDossier(id: $id, reason: "Đất đang tranh chấp")`),
		"withdraw":          m("desk.giolinh", `withdrawDossier(id: $id, reason: "Công dân xin rút hồ sơ")`),
		"stop":              m("ld.giolinh", `stopDossier(id: $id, reason: "Có quyết định thu hồi đất")`),
		"reassign":          m("ld.moitruong", `reassignDossier(id: $id, officerID: "`+envOfficerID+`")`),
	}
}

// TestTransitionTable fires every transition mutation in every state: a
// legal one moves the dossier to its target with exactly one new event; an
// illegal one is BAD_USER_INPUT / ILLEGAL_TRANSITION naming the state; the
// wrong role is FORBIDDEN and another agency's officer gets NOT_FOUND; a
// refused call writes nothing.
func TestTransitionTable(t *testing.T) {
	// Legal events per state and the state they lead to. APOLOGIZE has its
	// own test (it also depends on the appointment).
	legal := map[string]map[string]string{
		"SUBMITTED": {"accept": "RECEIVED", "refuse": "REFUSED", "withdraw": "WITHDRAWN"},
		"RECEIVED": {"forward": "PROCESSING", "requestSupplement": "SUPPLEMENT_REQUESTED",
			"refuse": "REFUSED", "withdraw": "WITHDRAWN", "stop": "STOPPED"},
		"PROCESSING": {"transfer": "PROCESSING", "coordinate": "COORDINATING", "sendBack": "PROCESSING",
			"requestSupplement": "SUPPLEMENT_REQUESTED", "return": "RETURNED", "refuse": "REFUSED",
			"withdraw": "WITHDRAWN", "stop": "STOPPED", "reassign": "PROCESSING"},
		"COORDINATING": {"reply": "PROCESSING", "requestSupplement": "SUPPLEMENT_REQUESTED", "refuse": "REFUSED",
			"withdraw": "WITHDRAWN", "stop": "STOPPED", "reassign": "COORDINATING"},
		"SUPPLEMENT_REQUESTED": {"supplement": "PROCESSING", "refuse": "REFUSED", "withdraw": "WITHDRAWN",
			"stop": "STOPPED", "reassign": "SUPPLEMENT_REQUESTED"},
		"RETURNED":  {"complete": "COMPLETED"},
		"COMPLETED": {}, "REFUSED": {}, "WITHDRAWN": {}, "STOPPED": {},
	}
	eachDB(t, true, func(t *testing.T, e *env) {
		taxID, err := demo.AgencyID(t.Context(), e.app.db.Client, demo.Tax)
		if err != nil {
			t.Fatal(err)
		}
		envOfficer := str(e.mustDo(e.as("cv.moitruong"), `{ me { officer { id } } }`, nil), "me", "officer", "id")
		muts := landMutations(fmt.Sprint(taxID), envOfficer)
		// build returns a land dossier driven into state.
		build := func(state string) string {
			t.Helper()
			in := landInput("Bảng Trạng Thái")
			if state == "SUBMITTED" {
				in["channel"] = "ONLINE"
			}
			id := str(e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": in}), "receiveDossier", "id")
			fire := func(name string) {
				t.Helper()
				e.mustDo(e.as(muts[name].actor), muts[name].query, map[string]any{"id": id})
			}
			path := map[string][]string{
				"SUBMITTED":            nil,
				"RECEIVED":             nil,
				"PROCESSING":           {"forward", "transfer0"},
				"COORDINATING":         {"forward", "transfer0", "coordinate"},
				"SUPPLEMENT_REQUESTED": {"forward", "transfer0", "requestSupplement"},
				"RETURNED":             {"forward", "transfer0", "return"},
				"COMPLETED":            {"forward", "transfer0", "return", "complete"},
				"REFUSED":              {"refuse"},
				"WITHDRAWN":            {"withdraw"},
				"STOPPED":              {"stop"},
			}[state]
			for _, step := range path {
				if step == "transfer0" {
					// The commune hands the dossier to Environment.
					e.mustDo(e.as("cv.giolinh"), muts["transfer"].query, map[string]any{"id": id})
					continue
				}
				fire(step)
			}
			return id
		}
		snapshot := func(id string) (string, int, int) {
			t.Helper()
			d := e.mustDo(e.as("admin"), `query($id: ID!) { node(id: $id) { ... on Dossier { state version events { totalCount } } } }`, map[string]any{"id": id})
			return str(d, "node", "state"), num(d, "node", "version"), num(d, "node", "events", "totalCount")
		}
		names := slices.Sorted(maps.Keys(muts))
		for _, state := range slices.Sorted(maps.Keys(legal)) {
			// Illegal events: one dossier in the state takes them all.
			id := build(state)
			s0, v0, n0 := snapshot(id)
			if s0 != state {
				t.Fatalf("built a %s dossier, got %s", state, s0)
			}
			for _, name := range names {
				if _, ok := legal[state][name]; ok {
					continue
				}
				// The receiving desk always sees the dossier; the state
				// machine answers before the role rules.
				r := e.do(e.as("desk.giolinh"), muts[name].query, map[string]any{"id": id})
				if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ILLEGAL_TRANSITION" || !contains(r.Errors[0].Message, state) {
					t.Errorf("%s in %s: %s, want BAD_USER_INPUT / ILLEGAL_TRANSITION naming %s", name, state, r.raw, state)
				}
			}
			if s, v, n := snapshot(id); s != s0 || v != v0 || n != n0 {
				t.Errorf("illegal events in %s wrote something: state %s→%s, version %d→%d, events %d→%d", state, s0, s, v0, v, n0, n)
			}
			// Legal events: a fresh dossier each; the wrong callers first.
			for _, name := range slices.Sorted(maps.Keys(legal[state])) {
				id := build(state)
				mut := muts[name]
				if name == "requestSupplement" && state == "RECEIVED" {
					mut.actor = "desk.giolinh"
				}
				_, v0, n0 := snapshot(id)
				if r := e.do(e.as("analyst"), mut.query, map[string]any{"id": id}); r.code() != "FORBIDDEN" {
					t.Errorf("%s in %s by the analyst: %s, want FORBIDDEN", name, state, r.raw)
				}
				if r := e.do(e.as("desk.dongha"), mut.query, map[string]any{"id": id}); r.code() != "NOT_FOUND" {
					t.Errorf("%s in %s by another commune's desk: %s, want NOT_FOUND", name, state, r.raw)
				}
				if _, v, n := snapshot(id); v != v0 || n != n0 {
					t.Errorf("%s in %s: refused callers wrote version %d→%d, events %d→%d", name, state, v0, v, n0, n)
				}
				r := e.do(e.as(mut.actor), mut.query, map[string]any{"id": id})
				if len(r.Errors) > 0 {
					t.Errorf("%s in %s by %s: %s", name, state, mut.actor, r.raw)
					continue
				}
				want := legal[state][name]
				if s, v, n := snapshot(id); s != want || v != v0+1 || n != n0+1 {
					t.Errorf("%s in %s: state %s version %d events %d, want %s, %d, %d", name, state, s, v, n, want, v0+1, n0+1)
				}
			}
		}
	})
}

// marriageInput is a marriage registration (1 working day, RESTART) at
// commune B's desk.
func marriageInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.000894",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000777"},
		"components":    []map[string]any{{"name": "Tờ khai đăng ký kết hôn"}, {"name": "Giấy tờ tùy thân của hai bên"}},
	}
}

// TestRestartSupplementAcrossWeekend: a household-business registration
// (3 working days, RESTART policy) asked for supplements on Friday and
// completed on Monday starts every clock again from Monday.
func TestRestartSupplementAcrossWeekend(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk := e.as("desk.giolinh")
		e.clock.Set(time.Date(2026, 11, 19, 9, 0, 0, 0, loc)) // Thursday
		in := map[string]any{
			"procedureCode": "1.001612", "channel": "DIRECT",
			"applicant":  map[string]any{"name": "Hộ kinh doanh Minh Phát", "idNumber": "045201000555"},
			"components": []map[string]any{{"name": "Giấy đề nghị đăng ký hộ kinh doanh"}},
		}
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": in})
		id := str(d, "receiveDossier", "id")
		if a := str(d, "receiveDossier", "appointmentAt"); a != "2026-11-24T09:00:00+07:00" {
			t.Fatalf("appointment = %s, want Tuesday 24 Nov 09:00 (3 working days over the weekend)", a)
		}
		e.fireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 19, 10, 0, 0, 0, loc))
		e.clock.Set(time.Date(2026, 11, 20, 14, 0, 0, 0, loc)) // Friday
		e.mustDo(e.as("cv.giolinh"), `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu văn bản ủy quyền", items: ["Văn bản ủy quyền của các thành viên hộ gia đình"]) { state } }`, map[string]any{"id": id})
		// Overdue and due-soon are judged on the stopped clock.
		e.clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, loc))
		if o := e.mustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue } } }`, map[string]any{"id": id}); get(o, "node", "overdue") != false {
			t.Errorf("a dossier waiting for the applicant is overdue")
		}
		s := e.fireAt(desk, `mutation($id: ID!) { supplementDossier(id: $id, note: "Đã nộp đủ") { state supplementRounds appointmentAt originalAppointmentAt pausedMinutes legs { role dueAt finishedAt pausedMinutes } } }`, id, time.Date(2026, 11, 23, 10, 0, 0, 0, loc))
		if str(s, "state") != "PROCESSING" || num(s, "supplementRounds") != 1 {
			t.Errorf("after supplement: %s round %d, want PROCESSING round 1", str(s, "state"), num(s, "supplementRounds"))
		}
		// RESTART: the full 3 days from Monday 10:00 → Thursday 10:00; the
		// lead's 2 days → Wednesday 10:00. Friday 14:00–17:00 and Monday
		// 07:30–10:00 were paused: 330 working minutes.
		if a := str(s, "appointmentAt"); a != "2026-11-26T10:00:00+07:00" {
			t.Errorf("appointment after RESTART = %s, want 2026-11-26T10:00:00+07:00", a)
		}
		if a := str(s, "originalAppointmentAt"); a != "2026-11-26T10:00:00+07:00" {
			t.Errorf("original appointment after RESTART = %s, want the restarted one", a)
		}
		if p := num(s, "pausedMinutes"); p != 330 {
			t.Errorf("paused = %d working minutes, want 330", p)
		}
		legs := get(s, "legs").([]any)
		lead := legs[len(legs)-1]
		if str(lead, "role") != "LEAD" || str(lead, "dueAt") != "2026-11-25T10:00:00+07:00" || num(lead, "pausedMinutes") != 330 {
			t.Errorf("lead leg = %v, want due 2026-11-25T10:00:00+07:00 with 330 minutes paused", lead)
		}
	})
}

// TestApologyOnce: the head of the holding agency apologizes once, only
// when the dossier is overdue or due within a working day; the original
// appointment is kept for the statistics.
func TestApologyOnce(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk, head := e.as("desk.dongha"), e.as("ld.dongha")
		const apologize = `mutation($id: ID!, $r: String!, $at: Time!) { apologizeDossier(id: $id, reason: $r, newAppointmentAt: $at) { appointmentAt originalAppointmentAt apologized } }`
		// A land dossier due in 20 working days is too early to apologize for.
		land := landInput("Sớm")
		far := str(e.mustDo(desk, receiveMutation, map[string]any{"in": land}), "receiveDossier", "id")
		e.mustDo(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": far})
		if r := e.do(head, apologize, map[string]any{"id": far, "r": "Chậm", "at": "2027-01-29T09:00:00+07:00"}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("apology 20 days ahead: %s, want BAD_USER_INPUT", r.raw)
		}
		// A marriage registration is due Tuesday 09:00.
		id := str(e.mustDo(desk, receiveMutation, map[string]any{"in": marriageInput("Xin Lỗi")}), "receiveDossier", "id")
		e.fireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
		e.clock.Set(time.Date(2026, 11, 16, 14, 0, 0, 0, loc))
		newAt := "2026-11-18T09:00:00+07:00"
		for _, c := range []struct {
			who, reason, at, code string
		}{
			{e.as("cv.dongha"), "Chậm xác minh", newAt, "FORBIDDEN"},               // a specialist
			{head, "", newAt, "BAD_USER_INPUT"},                                    // no reason
			{head, "Chậm xác minh", "2026-11-17T08:00:00+07:00", "BAD_USER_INPUT"}, // before the appointment
		} {
			if r := e.do(c.who, apologize, map[string]any{"id": id, "r": c.reason, "at": c.at}); r.code() != c.code {
				t.Errorf("apology %+v: %s, want %s", c, r.raw, c.code)
			}
		}
		// Sent with a tenth of a microsecond: kept to the microsecond, as
		// the database keeps it, in the answer and in every later read.
		a := e.mustDo(head, apologize, map[string]any{"id": id, "r": "Chờ xác minh tình trạng hôn nhân", "at": "2026-11-18T09:00:00.0000001+07:00"})
		if got := get(a, "apologizeDossier"); str(got, "appointmentAt") != newAt || str(got, "originalAppointmentAt") != "2026-11-17T09:00:00+07:00" || get(got, "apologized") != true {
			t.Errorf("after apology: %v, want appointment %s, original 2026-11-17T09:00:00+07:00", got, newAt)
		}
		if r := e.do(head, apologize, map[string]any{"id": id, "r": "Lần hai", "at": "2026-11-20T09:00:00+07:00"}); r.code() != "CONFLICT" {
			t.Errorf("second apology: %s, want CONFLICT", r.raw)
		}
		h := e.mustDo(head, `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt events(where: {type: APOLOGIZE}) { totalCount edges { node { reason data } } } } } }`, map[string]any{"id": id})
		if n := num(h, "node", "events", "totalCount"); n != 1 || str(h, "node", "appointmentAt") != newAt {
			t.Errorf("APOLOGIZE events = %d (appointment %s), want 1 and %s", n, str(h, "node", "appointmentAt"), newAt)
		}
		if prev := str(get(h, "node", "events", "edges", 0, "node", "data"), "previousAppointmentAt"); prev != "2026-11-17T02:00:00Z" && prev != "2026-11-17T09:00:00+07:00" {
			t.Errorf("event data previousAppointmentAt = %q", prev)
		}
	})
}

// TestSweeperRecordsOnce: DUE_SOON once when a dossier comes within a
// working day of its appointment; OVERDUE once per overdue leg and once per
// dossier, however many sweeps run, concurrently or not; a dossier waiting
// for the applicant is not overdue.
func TestSweeperRecordsOnce(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk := e.as("desk.dongha")
		var ids []string
		for i := range 4 {
			id := str(e.mustDo(desk, receiveMutation, map[string]any{"in": marriageInput(fmt.Sprintf("Quét %d", i))}), "receiveDossier", "id")
			e.fireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
			ids = append(ids, id)
		}
		// The fourth waits for the applicant from Monday 10:00.
		e.clock.Set(time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		e.mustDo(e.as("cv.dongha"), `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu giấy xác nhận", items: ["Giấy xác nhận tình trạng hôn nhân"]) { state } }`, map[string]any{"id": ids[3]})
		count := func(id, typ string) int {
			t.Helper()
			h := e.mustDo(e.as("admin"), `query($id: ID!, $t: DossierEventType!) { node(id: $id) { ... on Dossier { events(where: {type: $t}) { totalCount } } } }`, map[string]any{"id": id, "t": typ})
			return num(h, "node", "events", "totalCount")
		}
		// Monday 14:00: due Tuesday 09:00, within a working day.
		e.clock.Set(time.Date(2026, 11, 16, 14, 0, 0, 0, loc))
		sweep := func() {
			t.Helper()
			if _, err := e.app.engine.Sweep(t.Context()); err != nil {
				t.Fatalf("sweep: %v", err)
			}
		}
		sweep()
		sweep()
		for i, id := range ids[:3] {
			if n := count(id, "DUE_SOON"); n != 1 {
				t.Errorf("dossier %d: DUE_SOON events = %d, want 1", i, n)
			}
		}
		if n := count(ids[3], "DUE_SOON"); n != 0 {
			t.Errorf("paused dossier: DUE_SOON events = %d, want 0", n)
		}
		// Tuesday 10:00, read from a clock in UTC (as a server's would be):
		// every running dossier (due 09:00) and its lead leg (due 09:30)
		// are overdue. Four sweepers on two engines race over the same rows.
		e.clock.Set(time.Date(2026, 11, 17, 10, 0, 0, 0, loc).UTC())
		other := workflow.NewEngine(e.app.db.Client, workflow.Config{Dialect: e.app.db.Dialect, Clock: e.clock})
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for _, eng := range []*workflow.Engine{e.app.engine, other, e.app.engine, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := eng.Sweep(t.Context())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent sweep: %v", err)
			}
		}
		sweep()
		for i, id := range ids[:3] {
			if n := count(id, "OVERDUE"); n != 2 {
				t.Errorf("dossier %d: OVERDUE events = %d, want 2 (the lead leg and the dossier)", i, n)
			}
		}
		if n := count(ids[3], "OVERDUE"); n != 0 {
			t.Errorf("paused dossier: OVERDUE events = %d, want 0", n)
		}
		h := e.mustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue version legs { role overdue } events(where: {type: OVERDUE}) { edges { node { seq leg { role agency { code } } agency { code } } } } } } }`, map[string]any{"id": ids[0]})
		if get(h, "node", "overdue") != true || get(h, "node", "legs", 1, "overdue") != true {
			t.Errorf("overdue flags: %v", get(h, "node"))
		}
		events := get(h, "node", "events", "edges").([]any)
		if str(events[0], "node", "leg", "role") != "LEAD" || str(events[0], "node", "agency", "code") != demo.CommuneB {
			t.Errorf("first OVERDUE event = %v, want the commune's LEAD leg", events[0])
		}
		if get(events[1], "node", "leg") != nil {
			t.Errorf("second OVERDUE event = %v, want the dossier's (no leg)", events[1])
		}
		// The history stays gapless: sequence numbers follow the version.
		seqs := e.mustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { version events(first: 100, orderBy: {field: SEQ}) { edges { node { seq } } } } } }`, map[string]any{"id": ids[0]})
		for i, ed := range get(seqs, "node", "events", "edges").([]any) {
			if num(ed, "node", "seq") != i+1 {
				t.Fatalf("event %d has seq %d", i+1, num(ed, "node", "seq"))
			}
		}
	})
}

// TestReassignAndDelegation: the head of the holding agency assigns the
// dossier to one specialist; a colleague may act on it only as that
// specialist's delegate, and the history says on whose behalf.
func TestReassignAndDelegation(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk, head, cv, cv2 := e.as("desk.ttpvhcc"), e.as("ld.taichinh"), e.as("cv.taichinh"), e.as("cv2.taichinh")
		officerID := func(tok string) string {
			return str(e.mustDo(tok, `{ me { officer { id } } }`, nil), "me", "officer", "id")
		}
		cvID, cv2ID, taxID := officerID(cv), officerID(cv2), officerID(e.as("cv.thue"))
		in := map[string]any{
			"procedureCode": "2.001583", "channel": "DIRECT",
			"applicant": map[string]any{"name": "Công ty TNHH Sao Mai", "idNumber": "3200999888"},
			"components": []map[string]any{
				{"name": "Giấy đề nghị đăng ký doanh nghiệp (Mẫu 02)"}, {"name": "Điều lệ công ty"}, {"name": "Bản sao giấy tờ pháp lý của chủ sở hữu"},
			},
		}
		id := str(e.mustDo(desk, receiveMutation, map[string]any{"in": in}), "receiveDossier", "id")
		e.fireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
		const reassign = `mutation($id: ID!, $o: ID!) { reassignDossier(id: $id, officerID: $o) { legs { role officer { subject } } } }`
		if r := e.do(cv, reassign, map[string]any{"id": id, "o": cv2ID}); r.code() != "FORBIDDEN" {
			t.Errorf("reassign by a specialist: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(head, reassign, map[string]any{"id": id, "o": taxID}); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "officerID" {
			t.Errorf("reassign to another agency's officer: %s, want BAD_USER_INPUT on officerID", r.raw)
		}
		r := e.mustDo(head, reassign, map[string]any{"id": id, "o": cv2ID})
		if s := str(r, "reassignDossier", "legs", 1, "officer", "subject"); s != "cv2.taichinh" {
			t.Errorf("lead leg officer = %q, want cv2.taichinh", s)
		}
		actions := func(tok string) []any {
			return get(e.mustDo(tok, `query($id: ID!) { node(id: $id) { ... on Dossier { availableActions } } }`, map[string]any{"id": id}), "node", "availableActions").([]any)
		}
		if a := actions(cv); slices.Contains(a, any("RETURN")) {
			t.Errorf("a colleague can return an assigned dossier: actions %v", a)
		}
		const ret = `mutation($id: ID!) { returnDossier(id: $id, result: "GCN đăng ký doanh nghiệp số 3200999888") { state } }`
		if r := e.do(cv, ret, map[string]any{"id": id}); r.code() != "FORBIDDEN" {
			t.Errorf("return by a colleague: %s, want FORBIDDEN", r.raw)
		}
		// The assignee goes on leave; only they, their head or an admin may delegate.
		const delegate = `mutation($in: DelegationInput!) { createDelegation(input: $in) { id startsAt endsAt fromOfficer { subject } toOfficer { subject } } }`
		dIn := map[string]any{"fromOfficerID": cv2ID, "toOfficerID": cvID, "startsAt": "2026-11-16T07:00:00+07:00", "endsAt": "2026-11-20T17:00:00+07:00"}
		if r := e.do(e.as("cv.thue"), delegate, map[string]any{"in": dIn}); r.code() != "FORBIDDEN" {
			t.Errorf("delegation by an outsider: %s, want FORBIDDEN", r.raw)
		}
		bad := maps.Clone(dIn)
		bad["toOfficerID"] = taxID
		if r := e.do(cv2, delegate, map[string]any{"in": bad}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("delegation to another agency: %s, want BAD_USER_INPUT", r.raw)
		}
		bad = maps.Clone(dIn)
		bad["endsAt"] = "2026-11-15T17:00:00+07:00"
		if r := e.do(cv2, delegate, map[string]any{"in": bad}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("delegation ending before it starts: %s, want BAD_USER_INPUT", r.raw)
		}
		del := e.mustDo(cv2, delegate, map[string]any{"in": dIn})
		if str(del, "createDelegation", "toOfficer", "subject") != "cv.taichinh" {
			t.Errorf("delegation = %v", del)
		}
		if r := e.do(e.as("cv.thue"), `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": str(del, "createDelegation", "id")}); r.code() != "NOT_FOUND" {
			t.Errorf("another agency reads the delegation: %s, want NOT_FOUND", r.raw)
		}
		if a := actions(cv); !slices.Contains(a, any("RETURN")) {
			t.Errorf("the delegate cannot return: actions %v", a)
		}
		e.fireAt(cv, ret, id, time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		h := e.mustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { events(where: {typeIn: [REASSIGN, RETURN]}) { edges { node { type actor { subject } actingFor { subject } leg { role } } } } } } }`, map[string]any{"id": id})
		ev := get(h, "node", "events", "edges").([]any)
		if len(ev) != 2 || str(ev[0], "node", "actor", "subject") != "ld.taichinh" || str(ev[0], "node", "leg", "role") != "LEAD" {
			t.Fatalf("REASSIGN event = %v", ev)
		}
		if str(ev[1], "node", "actor", "subject") != "cv.taichinh" || str(ev[1], "node", "actingFor", "subject") != "cv2.taichinh" {
			t.Errorf("RETURN event = %v, want actor cv.taichinh acting for cv2.taichinh", ev[1])
		}
		// Ending the delegation ends it now.
		end := e.mustDo(cv2, `mutation($id: ID!) { endDelegation(id: $id) { endsAt } }`, map[string]any{"id": str(del, "createDelegation", "id")})
		if got := str(end, "endDelegation", "endsAt"); got != "2026-11-17T10:00:00+07:00" {
			t.Errorf("ended delegation endsAt = %s, want the clock's now", got)
		}
		// A delegation also lends a role: the demo's commune A head is on
		// leave and their specialist stops a dossier on their behalf.
		gl := str(e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": birthInput("Thay Mặt")}), "receiveDossier", "id")
		stop := e.mustDo(e.as("cv.giolinh"), `mutation($id: ID!) { stopDossier(id: $id, reason: "Trùng hồ sơ đã đăng ký") { state events(where: {type: STOP}) { edges { node { actingFor { subject } } } } } }`, map[string]any{"id": gl})
		if str(stop, "stopDossier", "state") != "STOPPED" || str(stop, "stopDossier", "events", "edges", 0, "node", "actingFor", "subject") != "ld.giolinh" {
			t.Errorf("stop by the head's substitute: %v", stop)
		}
	})
}

// TestAdvanceClock: an admin moves the dev clock and the sweep runs at
// once; anyone else, and any server on the system clock, is refused.
func TestAdvanceClock(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.dongha")
		id := str(e.mustDo(desk, receiveMutation, map[string]any{"in": marriageInput("Đồng Hồ")}), "receiveDossier", "id")
		e.mustDo(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
		const advance = `mutation($m: Int!) { advanceClock(minutes: $m) { now sweep { legsOverdue dossiersOverdue dueSoon } } }`
		if r := e.do(desk, advance, map[string]any{"m": 60}); r.code() != "FORBIDDEN" {
			t.Errorf("advanceClock by a desk officer: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(e.as("admin"), advance, map[string]any{"m": 0}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("advanceClock(0): %s, want BAD_USER_INPUT", r.raw)
		}
		// Two days on: the marriage registration (due Tuesday 09:00) is overdue.
		a := e.mustDo(e.as("admin"), advance, map[string]any{"m": 2 * 24 * 60})
		if now := str(a, "advanceClock", "now"); now != "2026-11-18T09:00:00+07:00" {
			t.Errorf("now = %s, want 2026-11-18T09:00:00+07:00", now)
		}
		if n := num(a, "advanceClock", "sweep", "dossiersOverdue"); n < 1 {
			t.Errorf("the sweep after advancing recorded %d overdue dossiers, want ≥ 1", n)
		}
		if now := str(e.mustDo(desk, `{ now }`, nil), "now"); now != "2026-11-18T09:00:00+07:00" {
			t.Errorf("query now = %s", now)
		}
		if o := e.mustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue } } }`, map[string]any{"id": id}); get(o, "node", "overdue") != true {
			t.Errorf("dossier not overdue after advancing the clock")
		}
	})
	// A server outside dev mode runs on the system clock and refuses.
	ctx := t.Context()
	prod, err := openApp(ctx, config{DatabaseURL: "sqlite://" + filepath.Join(t.TempDir(), "prod.db"), Issuer: "lienthong", Audience: "lienthong", HS256Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer prod.db.Close()
	if err := demo.Seed(ctx, prod.db.Client, demo.Options{Now: testNow, Dialect: prod.db.Dialect}); err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{HS256Secret: []byte(testSecret), Issuer: "lienthong", Audience: "lienthong"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, app: prod, handler: prod.routes(verifier)}
	if r := e.do(e.as("admin"), `mutation { advanceClock(minutes: 60) { now } }`, nil); r.code() != "FORBIDDEN" || !contains(r.Errors[0].Message, "dev mode") {
		t.Errorf("advanceClock outside dev mode: %s, want FORBIDDEN naming dev mode", r.raw)
	}
}

// TestDemoCoversEveryState: the demo dataset shows a dossier in every
// state, with late legs, an apology, supplementation, a send-back, a
// reassignment and the sweeper's events.
func TestDemoCoversEveryState(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		tok := e.as("analyst")
		for _, s := range []string{"SUBMITTED", "RECEIVED", "PROCESSING", "COORDINATING", "SUPPLEMENT_REQUESTED", "RETURNED", "COMPLETED", "REFUSED", "WITHDRAWN", "STOPPED"} {
			if n := num(e.mustDo(tok, `query($s: DossierState!) { dossiers(where: {state: $s}) { totalCount } }`, map[string]any{"s": s}), "dossiers", "totalCount"); n == 0 {
				t.Errorf("no demo dossier is %s", s)
			}
		}
		for _, typ := range []string{"APOLOGIZE", "SEND_BACK", "REQUEST_SUPPLEMENT", "REASSIGN", "COORDINATE", "REPLY", "OVERDUE"} {
			q := `query($t: DossierEventType!) { dossiers(where: {hasEventsWith: {type: $t}}) { totalCount } }`
			if n := num(e.mustDo(tok, q, map[string]any{"t": typ}), "dossiers", "totalCount"); n == 0 {
				t.Errorf("no demo dossier has a %s event", typ)
			}
		}
		if n := num(e.mustDo(tok, `{ dossiers(where: {hasLegsWith: {judgement: LATE}}) { totalCount } }`, nil), "dossiers", "totalCount"); n == 0 {
			t.Errorf("no demo dossier has a late leg")
		}
	})
}

// TestStateFilterThroughUnfinished: a list filtered on unfinished states
// goes through the index of unfinished dossiers (workflow.UnfinishedOnly);
// it must list exactly the dossiers in those states, and the finish time
// must be set exactly on the finished states.
func TestStateFilterThroughUnfinished(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		sys := auth.SystemContext(t.Context())
		all := e.app.db.Client.Dossier.Query().AllX(sys)
		byState := map[string]int{}
		for _, d := range all {
			byState[string(d.State)]++
			if workflow.Unfinished(d.State) != (d.FinishedAt == nil) {
				t.Errorf("dossier %s is %s with finish time %v", d.Code, d.State, d.FinishedAt)
			}
		}
		tok := e.as("analyst") // reads every dossier
		unfinished := 0
		for _, s := range []string{"SUBMITTED", "RECEIVED", "PROCESSING", "COORDINATING", "SUPPLEMENT_REQUESTED", "RETURNED", "COMPLETED"} {
			n := num(e.mustDo(tok, `query($s: DossierState!) { dossiers(where: {state: $s}) { totalCount } }`, map[string]any{"s": s}), "dossiers", "totalCount")
			if n != byState[s] || n == 0 {
				t.Errorf("dossiers(where: {state: %s}) counts %d; the table holds %d", s, n, byState[s])
			}
			if workflow.Unfinished(st.DossierState(s)) {
				unfinished += n
			}
		}
		q := `{ dossiers(where: {stateIn: [SUBMITTED, RECEIVED, PROCESSING, COORDINATING, SUPPLEMENT_REQUESTED]}) { totalCount } }`
		if n := num(e.mustDo(tok, q, nil), "dossiers", "totalCount"); n != unfinished {
			t.Errorf("unfinished states together count %d, want %d", n, unfinished)
		}
		q = `{ dossiers(where: {stateIn: [PROCESSING, RETURNED]}) { totalCount } }`
		if n, want := num(e.mustDo(tok, q, nil), "dossiers", "totalCount"), byState["PROCESSING"]+byState["RETURNED"]; n != want {
			t.Errorf("PROCESSING and RETURNED together count %d, want %d", n, want)
		}
	})
	processing, returned := st.StateProcessing, st.StateReturned
	for _, c := range []struct {
		where *ent.DossierWhereInput
		adds  bool
	}{
		{nil, false},
		{&ent.DossierWhereInput{}, false},
		{&ent.DossierWhereInput{State: &processing}, true},
		{&ent.DossierWhereInput{State: &returned}, false},
		{&ent.DossierWhereInput{StateIn: []st.DossierState{st.StateSubmitted, st.StateCoordinating}}, true},
		{&ent.DossierWhereInput{StateIn: []st.DossierState{st.StateProcessing, st.StateCompleted}}, false},
		{&ent.DossierWhereInput{State: &processing, StateIn: []st.DossierState{st.StateWithdrawn}}, false},
	} {
		if got := workflow.UnfinishedOnly(c.where) != nil; got != c.adds {
			t.Errorf("UnfinishedOnly(%+v) adds a predicate: %v, want %v", c.where, got, c.adds)
		}
	}
}

// TestCodeDayInVietnam: a dossier received at 23:30 UTC is received at
// 06:30 the next morning in Vietnam, and its code carries that day.
func TestCodeDayInVietnam(t *testing.T) {
	e := newEnv(t, databases(t)["sqlite"](t), true)
	e.clock.Set(time.Date(2026, 11, 16, 23, 30, 0, 0, time.UTC))
	code := str(e.mustDo(e.as("desk.dongha"), receiveMutation, map[string]any{"in": marriageInput("Nửa Đêm")}), "receiveDossier", "code")
	if want := demo.CommuneB + "-261117-"; !strings.HasPrefix(code, want) {
		t.Errorf("code = %s, want prefix %s", code, want)
	}
}
