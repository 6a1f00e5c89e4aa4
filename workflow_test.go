package main

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"lienthong/demo"
	"lienthong/workflow"
)

const dossierFields = `id code state portalStatus sendBacks supplementRounds appointmentAt originalAppointmentAt
  legs { role position judgement dueAt finishedAt agency { code } } currentAgencies { code }`

// fireAt sets the clock to at and runs a one-field mutation on dossier id,
// returning that field.
func (e *env) fireAt(token, mutation, id string, at time.Time) map[string]any {
	e.t.Helper()
	e.clock.Set(at)
	r := e.do(token, mutation, map[string]any{"id": id})
	if len(r.Errors) > 0 {
		e.t.Fatalf("%s: %s", mutation, r.raw)
	}
	for _, v := range r.Data {
		return v.(map[string]any)
	}
	return nil
}

// TestLandRouteDepartmentTaxDepartment walks a land-use certificate through
// its sequential inter-agency route: commune → environment → tax →
// environment, with one late leg charged to the tax office.
func TestLandRouteDepartmentTaxDepartment(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk := e.as("desk.giolinh")
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Lê Văn Đất")})
		id := str(d, "receiveDossier", "id")
		step := func(token, m string, at time.Time, _ map[string]any) map[string]any {
			t.Helper()
			return e.fireAt(token, m, id, at)
		}
		spec := e.as("cv.giolinh")
		env := e.token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.token("cv.thue", "000.00.40.H43", "SPECIALIST")
		step(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, time.Date(2026, 11, 16, 10, 0, 0, 0, loc), nil)
		// Commune (8 days) hands to Environment early.
		step(spec, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 11, 20, 10, 0, 0, 0, loc), nil)
		// Illegal: the commune no longer holds the dossier.
		if r := e.do(spec, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, map[string]any{"id": id}); r.code() != "FORBIDDEN" {
			t.Errorf("transfer by former holder: code = %q, want FORBIDDEN", r.code())
		}
		step(env, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 11, 24, 10, 0, 0, 0, loc), nil)
		// Tax has 5 working days from Tue 24 Nov 10:00 → Tue 1 Dec 10:00; it finishes Thu 3 Dec: late.
		step(tax, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 12, 3, 9, 0, 0, 0, loc), nil)
		final := step(env, `mutation($id: ID!) { returnDossier(id: $id, result: "GCN số AB 123456") { `+dossierFields+` } }`, time.Date(2026, 12, 4, 9, 0, 0, 0, loc), nil)
		if s := str(final, "state"); s != "RETURNED" || num(final, "portalStatus") != 9 {
			t.Errorf("state = %s / %d, want RETURNED / 9", s, num(final, "portalStatus"))
		}
		want := []struct{ role, agency, judgement string }{
			{"DESK", "000.20.01.H43", "EARLY"}, // due next morning, forwarded the same day
			{"LEAD", "000.20.01.H43", "EARLY"},
			{"LEAD", "000.00.17.H43", "EARLY"},
			{"LEAD", "000.00.40.H43", "LATE"},
			{"LEAD", "000.00.17.H43", "EARLY"},
		}
		legs := get(final, "legs").([]any)
		if len(legs) != len(want) {
			t.Fatalf("legs = %d, want %d: %v", len(legs), len(want), legs)
		}
		for i, w := range want {
			if r, a, j := str(legs[i], "role"), str(legs[i], "agency", "code"), str(legs[i], "judgement"); r != w.role || a != w.agency || j != w.judgement {
				t.Errorf("leg %d = %s %s %s, want %s %s %s", i, r, a, j, w.role, w.agency, w.judgement)
			}
		}
		if due := str(legs[3], "dueAt"); due != "2026-12-01T10:00:00+07:00" {
			t.Errorf("tax leg due = %s, want 2026-12-01T10:00:00+07:00", due)
		}
		// Completing is the desk's; an illegal event names state and event.
		r := e.do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ILLEGAL_TRANSITION" || !contains(r.Errors[0].Message, "RETURNED") {
			t.Errorf("forward a returned dossier: %s, want ILLEGAL_TRANSITION naming RETURNED", r.raw)
		}
		done := step(desk, `mutation($id: ID!) { completeDossier(id: $id) { state portalStatus } }`, time.Date(2026, 12, 4, 10, 0, 0, 0, loc), nil)
		if num(done, "portalStatus") != 10 {
			t.Errorf("completed portalStatus = %d, want 10", num(done, "portalStatus"))
		}
		hist := e.mustDo(desk, `query($c: String!) { dossierByCode(code: $c) { events { totalCount edges { node { seq type toState } } } } }`, map[string]any{"c": str(d, "receiveDossier", "code")})
		if n := num(hist, "dossierByCode", "events", "totalCount"); n != 7 {
			t.Errorf("events = %d, want 7 (receive, forward, 3 transfers, return, complete)", n)
		}
	})
}

// TestParallelConsultationAndPauseSupplement runs an investment approval
// with three agencies consulted in parallel and a PAUSE supplementation
// across a weekend.
func TestParallelConsultationAndPauseSupplement(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk := e.as("desk.ttpvhcc")
		in := map[string]any{
			"procedureCode": "1.009645", "channel": "DIRECT",
			"applicant": map[string]any{"name": "Công ty TNHH Đầu Tư", "idNumber": "3200123456"},
			"components": []map[string]any{
				{"name": "Văn bản đề nghị thực hiện dự án đầu tư (Mẫu I.1.1)"}, {"name": "Tài liệu về tư cách pháp lý của nhà đầu tư"},
				{"name": "Tài liệu chứng minh năng lực tài chính"}, {"name": "Đề xuất dự án đầu tư (Mẫu I.1.3)"},
			},
		}
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": in})
		id := str(d, "receiveDossier", "id")
		orig := str(d, "receiveDossier", "appointmentAt")
		do := func(token, m string, at time.Time) map[string]any {
			t.Helper()
			return e.fireAt(token, m, id, at)
		}
		fin := e.as("cv.taichinh")
		do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		c := do(fin, `mutation($id: ID!) { coordinateDossier(id: $id) { state currentAgencies { code } } }`, time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		if str(c, "state") != "COORDINATING" || len(get(c, "currentAgencies").([]any)) != 4 {
			t.Fatalf("after coordinate: %v, want COORDINATING held by the lead and 3 consulted agencies", c)
		}
		// Supplement requested Friday 20 Nov 10:00, supplied Tuesday 24 Nov 10:00:
		// 2 working days paused (the weekend does not count) → appointment +2 days.
		e.clock.Set(time.Date(2026, 11, 20, 10, 0, 0, 0, loc))
		e.mustDo(fin, `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu bản vẽ", items: ["Bản vẽ tổng mặt bằng"]) { state } }`, map[string]any{"id": id})
		s := do(desk, `mutation($id: ID!) { supplementDossier(id: $id) { state supplementRounds appointmentAt } }`, time.Date(2026, 11, 24, 10, 0, 0, 0, loc))
		if str(s, "state") != "COORDINATING" || num(s, "supplementRounds") != 1 {
			t.Errorf("after supplement: %v, want COORDINATING with 1 round", s)
		}
		o, _ := time.Parse(time.RFC3339, orig)
		got, _ := time.Parse(time.RFC3339, str(s, "appointmentAt"))
		cal, _ := e.app.engine.Calendar(t.Context())
		if !cal.Add(o, 960).Equal(got) {
			t.Errorf("appointment after PAUSE = %s, want original %s + 2 working days", got, o)
		}
		for i, who := range []struct{ sub, agency string }{{"cv.xaydung", "000.00.15.H43"}, {"cv.moitruong", "000.00.17.H43"}, {"cv.congan", "000.00.30.H43"}} {
			e.clock.Set(time.Date(2026, 11, 25, 9, i, 0, 0, loc))
			r := e.mustDo(e.token(who.sub, who.agency, "SPECIALIST"), `mutation($id: ID!) { replyCoordination(id: $id, agree: true, opinion: "Đồng ý") { state } }`, map[string]any{"id": id})
			want := "COORDINATING"
			if i == 2 {
				want = "PROCESSING"
			}
			if s := str(r, "replyCoordination", "state"); s != want {
				t.Errorf("after reply %d state = %s, want %s", i+1, s, want)
			}
		}
	})
}

// TestConcurrentTransitions fires 20 conflicting transitions at one
// dossier: exactly one wins, the others get CONFLICT (or find the
// transition no longer legal) and the history stays consistent.
func TestConcurrentTransitions(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.giolinh")
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Đua")})
		id := str(d, "receiveDossier", "id")
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
			bad  []string
		)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case len(r.Errors) == 0:
					wins++
				case r.code() == "CONFLICT" || r.code() == "BAD_USER_INPUT":
				default:
					bad = append(bad, string(r.raw))
				}
			}()
		}
		wg.Wait()
		if wins != 1 || len(bad) > 0 {
			t.Fatalf("wins = %d (want 1), unexpected errors %v", wins, bad)
		}
		h := e.mustDo(desk, `query($c: String!) { dossierByCode(code: $c) { state version legs { role } events { edges { node { seq type toState } } } } }`, map[string]any{"c": str(d, "receiveDossier", "code")})
		events := get(h, "dossierByCode", "events", "edges").([]any)
		if len(events) != 2 || str(events[1], "node", "type") != "FORWARD" {
			t.Errorf("history = %v, want RECEIVE then one FORWARD", events)
		}
		if last := str(events[len(events)-1], "node", "toState"); last != str(h, "dossierByCode", "state") {
			t.Errorf("state %s differs from the last event's target %s", str(h, "dossierByCode", "state"), last)
		}
		if n := len(get(h, "dossierByCode", "legs").([]any)); n != 2 {
			t.Errorf("legs = %d, want 2 (desk, lead)", n)
		}
	})
}

// TestHeldDossierChangedElsewhere: an instance plans a transition on the
// dossier as it last wrote it; when another instance has moved the dossier
// on since, the event is planned again on the database's row. It is never
// refused for the old state, nor written over the new one.
func TestHeldDossierChangedElsewhere(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		b := *e.app
		b.reg = prometheus.NewRegistry()
		b.engine = workflow.NewEngine(e.app.db.Client, workflow.Config{Dialect: e.app.db.Dialect, Clock: e.clock, CheckWrites: true})
		srvB := httptest.NewServer(b.routes(e.verifier))
		t.Cleanup(srvB.Close)
		desk, commune := e.as("desk.giolinh"), e.as("cv.giolinh")
		dept := e.token("cv.moitruong", demo.Environment, "SPECIALIST")
		tax := e.token("cv.thue", demo.Tax, "SPECIALIST")
		const fields = `{ state version currentAgencies { code } }`
		onA := func(token, call, id string) map[string]any {
			t.Helper()
			d := e.mustDo(token, `mutation($id: ID!) { `+call+` `+fields+` }`, map[string]any{"id": id})
			for _, v := range d {
				return v.(map[string]any)
			}
			return nil
		}
		onB := func(token, call, id string) {
			t.Helper()
			if _, err := post(srvB.URL, token, `mutation($id: ID!) { `+call+` `+fields+` }`, map[string]any{"id": id}); err != nil {
				t.Fatalf("%s through instance B: %v", call, err)
			}
		}
		id := str(e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Lê Văn Hai Nơi")}), "receiveDossier", "id")
		onA(desk, "forwardDossier(id: $id)", id) // A holds version 2, led by the commune
		onB(commune, "transferDossier(id: $id)", id)
		// A's dossier says the commune leads: the department's transfer is
		// planned again on the row, which says the department leads.
		d := onA(dept, "transferDossier(id: $id)", id)
		if str(d, "state") != "PROCESSING" || num(d, "version") != 4 || str(d, "currentAgencies", 0, "code") != demo.Tax {
			t.Fatalf("department's transfer through A = %v, want PROCESSING, version 4, at the tax office", d)
		}
		onB(tax, "transferDossier(id: $id)", id)
		onB(dept, `returnDossier(id: $id, result: "GCN số 77")`, id)
		// A's dossier says PROCESSING, where completing is illegal; the
		// row says RETURNED.
		d = onA(desk, "completeDossier(id: $id)", id)
		if str(d, "state") != "COMPLETED" || num(d, "version") != 7 {
			t.Fatalf("complete through A = %v, want COMPLETED, version 7", d)
		}
		h := e.mustDo(e.as("admin"), `query($id: ID!) { node(id: $id) { ... on Dossier { events { edges { node { seq type } } } } } }`, map[string]any{"id": id})
		var got []string
		for _, edge := range get(h, "node", "events", "edges").([]any) {
			got = append(got, fmt.Sprintf("%d %s", num(edge, "node", "seq"), str(edge, "node", "type")))
		}
		want := []string{"1 RECEIVE", "2 FORWARD", "3 TRANSFER", "4 TRANSFER", "5 TRANSFER", "6 RETURN", "7 COMPLETE"}
		if !slices.Equal(got, want) {
			t.Errorf("history = %v, want %v", got, want)
		}
	})
}
