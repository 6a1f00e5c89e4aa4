package workflow_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lienthong/demo"
	"lienthong/server/servertest"
)

const dossierFields = `id code state portalStatus sendBacks supplementRounds appointmentAt originalAppointmentAt
  legs { role position judgement dueAt finishedAt agency { code } } currentAgencies { code }`

// TestLandRouteDepartmentTaxDepartment walks a land-use certificate through
// its sequential inter-agency route: commune → environment → tax →
// environment, with one late leg charged to the tax office.
func TestLandRouteDepartmentTaxDepartment(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Lê Văn Đất")})
		id := servertest.Str(d, "receiveDossier", "id")
		step := func(token, m string, at time.Time, _ map[string]any) map[string]any {
			t.Helper()
			return e.FireAt(token, m, id, at)
		}
		spec := e.As("cv.giolinh")
		env := e.Token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.Token("cv.thue", "000.00.40.H43", "SPECIALIST")
		step(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, time.Date(2026, 11, 16, 10, 0, 0, 0, loc), nil)
		// Commune (8 days) hands to Environment early.
		step(spec, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 11, 20, 10, 0, 0, 0, loc), nil)
		// Illegal: the commune no longer holds the dossier.
		if r := e.Do(spec, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, map[string]any{"id": id}); r.Code() != "FORBIDDEN" {
			t.Errorf("transfer by former holder: code = %q, want FORBIDDEN", r.Code())
		}
		step(env, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 11, 24, 10, 0, 0, 0, loc), nil)
		// Tax has 5 working days from Tue 24 Nov 10:00 → Tue 1 Dec 10:00; it finishes Thu 3 Dec: late.
		step(tax, `mutation($id: ID!) { transferDossier(id: $id) { state } }`, time.Date(2026, 12, 3, 9, 0, 0, 0, loc), nil)
		final := step(env, `mutation($id: ID!) { returnDossier(id: $id, result: "GCN số AB 123456") { `+dossierFields+` } }`, time.Date(2026, 12, 4, 9, 0, 0, 0, loc), nil)
		if s := servertest.Str(final, "state"); s != "RETURNED" || servertest.Num(final, "portalStatus") != 9 {
			t.Errorf("state = %s / %d, want RETURNED / 9", s, servertest.Num(final, "portalStatus"))
		}
		want := []struct{ role, agency, judgement string }{
			{"DESK", "000.20.01.H43", "EARLY"}, // due next morning, forwarded the same day
			{"LEAD", "000.20.01.H43", "EARLY"},
			{"LEAD", "000.00.17.H43", "EARLY"},
			{"LEAD", "000.00.40.H43", "LATE"},
			{"LEAD", "000.00.17.H43", "EARLY"},
		}
		legs := servertest.Get(final, "legs").([]any)
		if len(legs) != len(want) {
			t.Fatalf("legs = %d, want %d: %v", len(legs), len(want), legs)
		}
		for i, w := range want {
			if r, a, j := servertest.Str(legs[i], "role"), servertest.Str(legs[i], "agency", "code"), servertest.Str(legs[i], "judgement"); r != w.role || a != w.agency || j != w.judgement {
				t.Errorf("leg %d = %s %s %s, want %s %s %s", i, r, a, j, w.role, w.agency, w.judgement)
			}
		}
		if due := servertest.Str(legs[3], "dueAt"); due != "2026-12-01T10:00:00+07:00" {
			t.Errorf("tax leg due = %s, want 2026-12-01T10:00:00+07:00", due)
		}
		// Completing is the desk's; an illegal event names state and event.
		r := e.Do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ILLEGAL_TRANSITION" || !strings.Contains(r.Errors[0].Message, "RETURNED") {
			t.Errorf("forward a returned dossier: %s, want ILLEGAL_TRANSITION naming RETURNED", r.Raw)
		}
		done := step(desk, `mutation($id: ID!) { completeDossier(id: $id) { state portalStatus } }`, time.Date(2026, 12, 4, 10, 0, 0, 0, loc), nil)
		if servertest.Num(done, "portalStatus") != 10 {
			t.Errorf("completed portalStatus = %d, want 10", servertest.Num(done, "portalStatus"))
		}
		hist := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { events { totalCount edges { node { seq type toState } } } } }`, map[string]any{"c": servertest.Str(d, "receiveDossier", "code")})
		if n := servertest.Num(hist, "dossierByCode", "events", "totalCount"); n != 7 {
			t.Errorf("events = %d, want 7 (receive, forward, 3 transfers, return, complete)", n)
		}
	})
}

// TestParallelConsultationAndPauseSupplement runs an investment approval
// with three agencies consulted in parallel and a PAUSE supplementation
// across a weekend.
func TestParallelConsultationAndPauseSupplement(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk := e.As("desk.ttpvhcc")
		in := map[string]any{
			"procedureCode": "1.009645", "channel": "DIRECT",
			"applicant": map[string]any{"name": "Công ty TNHH Đầu Tư", "idNumber": "3200123456"},
			"components": []map[string]any{
				{"name": "Văn bản đề nghị thực hiện dự án đầu tư (Mẫu I.1.1)"}, {"name": "Tài liệu về tư cách pháp lý của nhà đầu tư"},
				{"name": "Tài liệu chứng minh năng lực tài chính"}, {"name": "Đề xuất dự án đầu tư (Mẫu I.1.3)"},
			},
		}
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": in})
		id := servertest.Str(d, "receiveDossier", "id")
		orig := servertest.Str(d, "receiveDossier", "appointmentAt")
		do := func(token, m string, at time.Time) map[string]any {
			t.Helper()
			return e.FireAt(token, m, id, at)
		}
		fin := e.As("cv.taichinh")
		do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		c := do(fin, `mutation($id: ID!) { coordinateDossier(id: $id) { state currentAgencies { code } } }`, time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		if servertest.Str(c, "state") != "COORDINATING" || len(servertest.Get(c, "currentAgencies").([]any)) != 4 {
			t.Fatalf("after coordinate: %v, want COORDINATING held by the lead and 3 consulted agencies", c)
		}
		// Supplement requested Friday 20 Nov 10:00, supplied Tuesday 24 Nov 10:00:
		// 2 working days paused (the weekend does not count) → appointment +2 days.
		e.Clock.Set(time.Date(2026, 11, 20, 10, 0, 0, 0, loc))
		e.MustDo(fin, `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu bản vẽ", items: ["Bản vẽ tổng mặt bằng"]) { state } }`, map[string]any{"id": id})
		s := do(desk, `mutation($id: ID!) { supplementDossier(id: $id) { state supplementRounds appointmentAt } }`, time.Date(2026, 11, 24, 10, 0, 0, 0, loc))
		if servertest.Str(s, "state") != "COORDINATING" || servertest.Num(s, "supplementRounds") != 1 {
			t.Errorf("after supplement: %v, want COORDINATING with 1 round", s)
		}
		o, _ := time.Parse(time.RFC3339, orig)
		got, _ := time.Parse(time.RFC3339, servertest.Str(s, "appointmentAt"))
		cal, _ := e.App.Engine.Calendar(t.Context())
		if !cal.Add(o, 960).Equal(got) {
			t.Errorf("appointment after PAUSE = %s, want original %s + 2 working days", got, o)
		}
		for i, who := range []struct{ sub, agency string }{{"cv.xaydung", "000.00.15.H43"}, {"cv.moitruong", "000.00.17.H43"}, {"cv.congan", "000.00.30.H43"}} {
			e.Clock.Set(time.Date(2026, 11, 25, 9, i, 0, 0, loc))
			r := e.MustDo(e.Token(who.sub, who.agency, "SPECIALIST"), `mutation($id: ID!) { replyCoordination(id: $id, agree: true, opinion: "Đồng ý") { state } }`, map[string]any{"id": id})
			want := "COORDINATING"
			if i == 2 {
				want = "PROCESSING"
			}
			if s := servertest.Str(r, "replyCoordination", "state"); s != want {
				t.Errorf("after reply %d state = %s, want %s", i+1, s, want)
			}
		}
	})
}

// TestConcurrentTransitions fires 20 conflicting transitions at one
// dossier: exactly one wins, the others get CONFLICT (or find the
// transition no longer legal) and the history stays consistent.
func TestConcurrentTransitions(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Đua")})
		id := servertest.Str(d, "receiveDossier", "id")
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
				r := e.Do(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case len(r.Errors) == 0:
					wins++
				case r.Code() == "CONFLICT" || r.Code() == "BAD_USER_INPUT":
				default:
					bad = append(bad, string(r.Raw))
				}
			}()
		}
		wg.Wait()
		if wins != 1 || len(bad) > 0 {
			t.Fatalf("wins = %d (want 1), unexpected errors %v", wins, bad)
		}
		h := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { state version legs { role } events { edges { node { seq type toState } } } } }`, map[string]any{"c": servertest.Str(d, "receiveDossier", "code")})
		events := servertest.Get(h, "dossierByCode", "events", "edges").([]any)
		if len(events) != 2 || servertest.Str(events[1], "node", "type") != "FORWARD" {
			t.Errorf("history = %v, want RECEIVE then one FORWARD", events)
		}
		if last := servertest.Str(events[len(events)-1], "node", "toState"); last != servertest.Str(h, "dossierByCode", "state") {
			t.Errorf("state %s differs from the last event's target %s", servertest.Str(h, "dossierByCode", "state"), last)
		}
		if n := len(servertest.Get(h, "dossierByCode", "legs").([]any)); n != 2 {
			t.Errorf("legs = %d, want 2 (desk, lead)", n)
		}
	})
}

// TestHeldDossierChangedElsewhere: an instance plans a transition on the
// dossier as it last wrote it; when another instance has moved the dossier
// on since, the event is planned again on the database's row. It is never
// refused for the old state, nor written over the new one.
func TestHeldDossierChangedElsewhere(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		b := e.Instance(t) // its own engine, which holds no dossier yet
		srvB := httptest.NewServer(b.Handler)
		t.Cleanup(srvB.Close)
		desk, commune := e.As("desk.giolinh"), e.As("cv.giolinh")
		dept := e.Token("cv.moitruong", demo.Environment, "SPECIALIST")
		tax := e.Token("cv.thue", demo.Tax, "SPECIALIST")
		const fields = `{ state version currentAgencies { code } }`
		onA := func(token, call, id string) map[string]any {
			t.Helper()
			d := e.MustDo(token, `mutation($id: ID!) { `+call+` `+fields+` }`, map[string]any{"id": id})
			for _, v := range d {
				return v.(map[string]any)
			}
			return nil
		}
		onB := func(token, call, id string) {
			t.Helper()
			if _, err := servertest.Post(srvB.URL, token, `mutation($id: ID!) { `+call+` `+fields+` }`, map[string]any{"id": id}); err != nil {
				t.Fatalf("%s through instance B: %v", call, err)
			}
		}
		id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Lê Văn Hai Nơi")}), "receiveDossier", "id")
		onA(desk, "forwardDossier(id: $id)", id) // A holds version 2, led by the commune
		onB(commune, "transferDossier(id: $id)", id)
		// A's dossier says the commune leads: the department's transfer is
		// planned again on the row, which says the department leads.
		d := onA(dept, "transferDossier(id: $id)", id)
		if servertest.Str(d, "state") != "PROCESSING" || servertest.Num(d, "version") != 4 || servertest.Str(d, "currentAgencies", 0, "code") != demo.Tax {
			t.Fatalf("department's transfer through A = %v, want PROCESSING, version 4, at the tax office", d)
		}
		onB(tax, "transferDossier(id: $id)", id)
		onB(dept, `returnDossier(id: $id, result: "GCN số 77")`, id)
		// A's dossier says PROCESSING, where completing is illegal; the
		// row says RETURNED.
		d = onA(desk, "completeDossier(id: $id)", id)
		if servertest.Str(d, "state") != "COMPLETED" || servertest.Num(d, "version") != 7 {
			t.Fatalf("complete through A = %v, want COMPLETED, version 7", d)
		}
		h := e.MustDo(e.As("admin"), `query($id: ID!) { node(id: $id) { ... on Dossier { events { edges { node { seq type } } } } } }`, map[string]any{"id": id})
		var got []string
		for _, edge := range servertest.Get(h, "node", "events", "edges").([]any) {
			got = append(got, fmt.Sprintf("%d %s", servertest.Num(edge, "node", "seq"), servertest.Str(edge, "node", "type")))
		}
		want := []string{"1 RECEIVE", "2 FORWARD", "3 TRANSFER", "4 TRANSFER", "5 TRANSFER", "6 RETURN", "7 COMPLETE"}
		if !slices.Equal(got, want) {
			t.Errorf("history = %v, want %v", got, want)
		}
	})
}

// TestRestartSupplementAcrossWeekend: a household-business registration
// (3 working days, RESTART policy) asked for supplements on Friday and
// completed on Monday starts every clock again from Monday.
func TestRestartSupplementAcrossWeekend(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk := e.As("desk.giolinh")
		e.Clock.Set(time.Date(2026, 11, 19, 9, 0, 0, 0, loc)) // Thursday
		in := map[string]any{
			"procedureCode": "1.001612", "channel": "DIRECT",
			"applicant":  map[string]any{"name": "Hộ kinh doanh Minh Phát", "idNumber": "045201000555"},
			"components": []map[string]any{{"name": "Giấy đề nghị đăng ký hộ kinh doanh"}},
		}
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": in})
		id := servertest.Str(d, "receiveDossier", "id")
		if a := servertest.Str(d, "receiveDossier", "appointmentAt"); a != "2026-11-24T09:00:00+07:00" {
			t.Fatalf("appointment = %s, want Tuesday 24 Nov 09:00 (3 working days over the weekend)", a)
		}
		e.FireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 19, 10, 0, 0, 0, loc))
		e.Clock.Set(time.Date(2026, 11, 20, 14, 0, 0, 0, loc)) // Friday
		e.MustDo(e.As("cv.giolinh"), `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu văn bản ủy quyền", items: ["Văn bản ủy quyền của các thành viên hộ gia đình"]) { state } }`, map[string]any{"id": id})
		// Overdue and due-soon are judged on the stopped clock.
		e.Clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, loc))
		if o := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue } } }`, map[string]any{"id": id}); servertest.Get(o, "node", "overdue") != false {
			t.Errorf("a dossier waiting for the applicant is overdue")
		}
		s := e.FireAt(desk, `mutation($id: ID!) { supplementDossier(id: $id, note: "Đã nộp đủ") { state supplementRounds appointmentAt originalAppointmentAt pausedMinutes legs { role dueAt finishedAt pausedMinutes } } }`, id, time.Date(2026, 11, 23, 10, 0, 0, 0, loc))
		if servertest.Str(s, "state") != "PROCESSING" || servertest.Num(s, "supplementRounds") != 1 {
			t.Errorf("after supplement: %s round %d, want PROCESSING round 1", servertest.Str(s, "state"), servertest.Num(s, "supplementRounds"))
		}
		// RESTART: the full 3 days from Monday 10:00 → Thursday 10:00; the
		// lead's 2 days → Wednesday 10:00. Friday 14:00–17:00 and Monday
		// 07:30–10:00 were paused: 330 working minutes.
		if a := servertest.Str(s, "appointmentAt"); a != "2026-11-26T10:00:00+07:00" {
			t.Errorf("appointment after RESTART = %s, want 2026-11-26T10:00:00+07:00", a)
		}
		if a := servertest.Str(s, "originalAppointmentAt"); a != "2026-11-26T10:00:00+07:00" {
			t.Errorf("original appointment after RESTART = %s, want the restarted one", a)
		}
		if p := servertest.Num(s, "pausedMinutes"); p != 330 {
			t.Errorf("paused = %d working minutes, want 330", p)
		}
		legs := servertest.Get(s, "legs").([]any)
		lead := legs[len(legs)-1]
		if servertest.Str(lead, "role") != "LEAD" || servertest.Str(lead, "dueAt") != "2026-11-25T10:00:00+07:00" || servertest.Num(lead, "pausedMinutes") != 330 {
			t.Errorf("lead leg = %v, want due 2026-11-25T10:00:00+07:00 with 330 minutes paused", lead)
		}
	})
}

// TestApologyOnce: the head of the holding agency apologizes once, only
// when the dossier is overdue or due within a working day; the original
// appointment is kept for the statistics.
func TestApologyOnce(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk, head := e.As("desk.dongha"), e.As("ld.dongha")
		const apologize = `mutation($id: ID!, $r: String!, $at: Time!) { apologizeDossier(id: $id, reason: $r, newAppointmentAt: $at) { appointmentAt originalAppointmentAt apologized } }`
		// A land dossier due in 20 working days is too early to apologize for.
		land := servertest.LandInput("Sớm")
		far := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": land}), "receiveDossier", "id")
		e.MustDo(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": far})
		if r := e.Do(head, apologize, map[string]any{"id": far, "r": "Chậm", "at": "2027-01-29T09:00:00+07:00"}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("apology 20 days ahead: %s, want BAD_USER_INPUT", r.Raw)
		}
		offers := func(id, action string) bool {
			a := servertest.Get(e.MustDo(head, `query($id: ID!) { node(id: $id) { ... on Dossier { availableActions } } }`, map[string]any{"id": id}), "node", "availableActions")
			return slices.Contains(a.([]any), any(action))
		}
		if offers(far, "APOLOGIZE") {
			t.Errorf("availableActions offers an apology 20 working days ahead")
		}
		// A marriage registration is due Tuesday 09:00.
		id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.MarriageInput("Xin Lỗi")}), "receiveDossier", "id")
		e.FireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
		e.Clock.Set(time.Date(2026, 11, 16, 14, 0, 0, 0, loc))
		newAt := "2026-11-18T09:00:00+07:00"
		for _, c := range []struct {
			who, reason, at, code string
		}{
			{e.As("cv.dongha"), "Chậm xác minh", newAt, "FORBIDDEN"},               // a specialist
			{head, "", newAt, "BAD_USER_INPUT"},                                    // no reason
			{head, "Chậm xác minh", "2026-11-17T08:00:00+07:00", "BAD_USER_INPUT"}, // before the appointment
		} {
			if r := e.Do(c.who, apologize, map[string]any{"id": id, "r": c.reason, "at": c.at}); r.Code() != c.code {
				t.Errorf("apology %+v: %s, want %s", c, r.Raw, c.code)
			}
		}
		// Sent with a tenth of a microsecond: kept to the microsecond, as
		// the database keeps it, in the answer and in every later read.
		if !offers(id, "APOLOGIZE") {
			t.Errorf("availableActions does not offer the apology of a dossier due tomorrow")
		}
		a := e.MustDo(head, apologize, map[string]any{"id": id, "r": "Chờ xác minh tình trạng hôn nhân", "at": "2026-11-18T09:00:00.0000001+07:00"})
		if got := servertest.Get(a, "apologizeDossier"); servertest.Str(got, "appointmentAt") != newAt || servertest.Str(got, "originalAppointmentAt") != "2026-11-17T09:00:00+07:00" || servertest.Get(got, "apologized") != true {
			t.Errorf("after apology: %v, want appointment %s, original 2026-11-17T09:00:00+07:00", got, newAt)
		}
		if r := e.Do(head, apologize, map[string]any{"id": id, "r": "Lần hai", "at": "2026-11-20T09:00:00+07:00"}); r.Code() != "CONFLICT" {
			t.Errorf("second apology: %s, want CONFLICT", r.Raw)
		}
		if offers(id, "APOLOGIZE") {
			t.Errorf("availableActions offers a second apology")
		}
		h := e.MustDo(head, `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt events(where: {type: APOLOGIZE}) { totalCount edges { node { reason data } } } } } }`, map[string]any{"id": id})
		if n := servertest.Num(h, "node", "events", "totalCount"); n != 1 || servertest.Str(h, "node", "appointmentAt") != newAt {
			t.Errorf("APOLOGIZE events = %d (appointment %s), want 1 and %s", n, servertest.Str(h, "node", "appointmentAt"), newAt)
		}
		if prev := servertest.Str(servertest.Get(h, "node", "events", "edges", 0, "node", "data"), "previousAppointmentAt"); prev != "2026-11-17T02:00:00Z" && prev != "2026-11-17T09:00:00+07:00" {
			t.Errorf("event data previousAppointmentAt = %q", prev)
		}
	})
}
