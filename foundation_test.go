package main

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent/dossiercounter"
)

const receiveMutation = `mutation($in: ReceiveDossierInput!) {
  receiveDossier(input: $in) { id code state receivedAt appointmentAt procedure { version } legs { role dueAt } }
}`

// birthInput is a birth registration handed in at commune A's desk.
func birthInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.001193",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000123"},
		"components": []map[string]any{
			{"name": "Tờ khai đăng ký khai sinh"},
			{"name": "Giấy chứng sinh", "digitized": true},
		},
	}
}

// landInput is a first land-use certificate (20 working days) at commune A.
func landInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.013978",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000999", "address": "Gio Linh"},
		"components": []map[string]any{
			{"name": "Đơn đăng ký đất đai, tài sản gắn liền với đất"},
			{"name": "Giấy tờ về quyền sử dụng đất"},
			{"name": "Mảnh trích đo địa chính"},
		},
	}
}

func TestReceiveDossier(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.giolinh")
		// Monday 16 Nov 2026 09:00: 20 working days → Monday 14 Dec 2026 09:00.
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Nguyễn Văn An")})
		got := get(d, "receiveDossier").(map[string]any)
		if ok, _ := regexp.MatchString(`^000\.20\.01\.H43-261116-\d{4}$`, str(got, "code")); !ok {
			t.Errorf("code = %q, want 000.20.01.H43-261116-NNNN", str(got, "code"))
		}
		if s := str(got, "state"); s != "RECEIVED" {
			t.Errorf("state = %s, want RECEIVED", s)
		}
		if a := str(got, "appointmentAt"); a != "2026-12-14T09:00:00+07:00" {
			t.Errorf("appointmentAt = %s, want 2026-12-14T09:00:00+07:00", a)
		}
		if due := str(got, "legs", 0, "dueAt"); due != "2026-11-17T07:30:00+07:00" {
			t.Errorf("desk leg dueAt = %s, want next working morning 2026-11-17T07:30:00+07:00", due)
		}

		// Birth registration after the 15:00 cut-off counts from the next morning.
		e.clock.Set(time.Date(2026, 11, 20, 15, 30, 0, 0, testNow.Location())) // Friday
		d = e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Trần Thị Bé")})
		if a := str(d, "receiveDossier", "appointmentAt"); a != "2026-11-23T17:00:00+07:00" {
			t.Errorf("after cut-off appointmentAt = %s, want Monday 2026-11-23T17:00:00+07:00", a)
		}

		// Online submissions wait for the desk's acceptance: no clock yet.
		in := birthInput("Lê Văn Online")
		in["channel"] = "ONLINE"
		d = e.mustDo(desk, receiveMutation, map[string]any{"in": in})
		if s := str(d, "receiveDossier", "state"); s != "SUBMITTED" {
			t.Errorf("online state = %s, want SUBMITTED", s)
		}
		if get(d, "receiveDossier", "appointmentAt") != nil {
			t.Errorf("online submission has an appointment before acceptance")
		}
	})
}

func TestReceiveDossierBadInput(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.giolinh")
		missing := birthInput("A")
		missing["components"] = []map[string]any{{"name": "Tờ khai đăng ký khai sinh"}}
		unknown := birthInput("A")
		unknown["procedureCode"] = "9.999999"
		channel := landInput("A")
		channel["channel"] = "ONLINE" // land: DIRECT, ONLINE, POSTAL — use birth at a desk-only procedure instead
		channel = birthInput("A")
		channel["channel"] = "POSTAL"
		badID := birthInput("A")
		badID["applicant"] = map[string]any{"name": "A", "idNumber": "!"}
		for _, tc := range []struct {
			name      string
			in        map[string]any
			wantField string
			wantMsg   string
		}{
			{"missing mandatory component", missing, "input.components", "Giấy chứng sinh"},
			{"unknown procedure", unknown, "input.procedureCode", "9.999999"},
			{"channel not offered", channel, "input.channel", "POSTAL"},
			{"bad id number", badID, "input.applicant.idNumber", "identification"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.queries.Load()
				_ = before
				r := e.do(desk, receiveMutation, map[string]any{"in": tc.in})
				if r.code() != "BAD_USER_INPUT" {
					t.Fatalf("code = %q, want BAD_USER_INPUT (%s)", r.code(), r.raw)
				}
				if f := r.Errors[0].Extensions["field"]; f != tc.wantField {
					t.Errorf("field = %v, want %s", f, tc.wantField)
				}
				if !contains(r.Errors[0].Message, tc.wantMsg) {
					t.Errorf("message = %q, want it to name %q", r.Errors[0].Message, tc.wantMsg)
				}
			})
		}
		// Nothing was written by the refused intakes.
		n := num(e.mustDo(e.as("admin"), `{ dossiers(where: {applicantName: "A"}) { totalCount } }`, nil), "dossiers", "totalCount")
		if n != 0 {
			t.Errorf("refused intakes left %d dossiers", n)
		}
		// A specialist cannot receive.
		r := e.do(e.as("cv.giolinh"), receiveMutation, map[string]any{"in": birthInput("B")})
		if r.code() != "FORBIDDEN" {
			t.Errorf("specialist receive: code = %q, want FORBIDDEN", r.code())
		}
	})
}

func TestDossierCodeDailyResetAndUniqueness(t *testing.T) {
	// Nothing cached: every intake reads the webhook subscriptions in its
	// transaction, the 50 concurrent ones too, with more intakes than
	// pooled connections waiting for the desk's counter.
	cacheTTL = time.Nanosecond
	defer func() { cacheTTL = 0 }()
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.dongha")
		e.clock.Set(time.Date(2026, 11, 23, 8, 0, 0, 0, testNow.Location()))
		first := str(e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Một")}), "receiveDossier", "code")
		second := str(e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Hai")}), "receiveDossier", "code")
		if first != "000.20.02.H43-261123-0001" || second != "000.20.02.H43-261123-0002" {
			t.Errorf("codes = %s, %s, want …-261123-0001 and …-0002", first, second)
		}
		// Midnight in Hanoi (17:00 UTC) starts a new sequence.
		e.clock.Set(time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC))
		next := str(e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Ba")}), "receiveDossier", "code")
		if next != "000.20.02.H43-261124-0001" {
			t.Errorf("next day code = %s, want 000.20.02.H43-261124-0001", next)
		}

		// 50 concurrent receives: 50 distinct codes, numbered 1..50 without repeats.
		e.clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, testNow.Location()))
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			codes = map[string]bool{}
			errs  []string
		)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do(desk, receiveMutation, map[string]any{"in": birthInput(fmt.Sprintf("Song song %d", i))})
				mu.Lock()
				defer mu.Unlock()
				if len(r.Errors) > 0 {
					errs = append(errs, string(r.raw))
					return
				}
				codes[str(r.Data, "receiveDossier", "code")] = true
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("%d concurrent receives failed, first: %s", len(errs), errs[0])
		}
		if len(codes) != 50 {
			t.Errorf("distinct codes = %d, want 50", len(codes))
		}
		for i := 1; i <= 50; i++ {
			if c := fmt.Sprintf("000.20.02.H43-261125-%04d", i); !codes[c] {
				t.Errorf("code %s missing", c)
			}
		}

		// A desk's 10,000th dossier of a day takes a fifth digit.
		sys := auth.SystemContext(t.Context())
		if err := e.app.db.Client.DossierCounter.Update().Where(dossiercounter.Day("261125")).SetLast(9999).Exec(sys); err != nil {
			t.Fatal(err)
		}
		if c := str(e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Mười nghìn")}), "receiveDossier", "code"); c != "000.20.02.H43-261125-10000" {
			t.Errorf("10,000th code = %s, want 000.20.02.H43-261125-10000", c)
		}
	})
}

func TestIdempotentIntake(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		sys := e.as("motcua.system")
		in := birthInput("Phạm Thị Idem")
		in["externalCode"], in["source"], in["deskAgencyCode"] = "MC-42", "motcua", demo.CommuneA
		a := e.mustDo(sys, receiveMutation, map[string]any{"in": in})
		b := e.mustDo(sys, receiveMutation, map[string]any{"in": in})
		if str(a, "receiveDossier", "id") != str(b, "receiveDossier", "id") {
			t.Errorf("retry created a second dossier: %s then %s", str(a, "receiveDossier", "code"), str(b, "receiveDossier", "code"))
		}
		in["applicant"] = map[string]any{"name": "Someone Else", "idNumber": "045201000777"}
		r := e.do(sys, receiveMutation, map[string]any{"in": in})
		if r.code() != "CONFLICT" {
			t.Fatalf("different content: code = %q, want CONFLICT (%s)", r.code(), r.raw)
		}
		n := num(e.mustDo(e.as("admin"), `{ dossiers(where: {externalCode: "MC-42"}) { totalCount } }`, nil), "dossiers", "totalCount")
		if n != 1 {
			t.Errorf("dossiers with external code MC-42 = %d, want 1", n)
		}
	})
}

const createProcedure = `mutation($in: ProcedureInput!) { createProcedure(input: $in) { id version } }`

func TestRouteBudgetOverrun(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		in := map[string]any{
			"code": "9.000001", "name": "Thử nghiệm", "field": "Thử", "legalLimitMinutes": 10 * 480, "limitMinutes": 8 * 480,
			"channels": []string{"DIRECT"}, "components": []any{},
			"steps": []map[string]any{
				{"position": 1, "role": "LEAD", "allottedMinutes": 3 * 480},
				{"position": 2, "role": "COORDINATE", "allottedMinutes": 4 * 480, "parallelGroup": 1},
				{"position": 3, "role": "COORDINATE", "allottedMinutes": 5 * 480, "parallelGroup": 1},
				{"position": 4, "role": "LEAD", "allottedMinutes": 1 * 480},
			},
		}
		r := e.do(e.as("admin"), createProcedure, map[string]any{"in": in})
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ROUTE_BUDGET_OVERRUN" {
			t.Fatalf("error = %s, want BAD_USER_INPUT / ROUTE_BUDGET_OVERRUN", r.raw)
		}
		// 3 + max(4, 5) + 1 = 9 days against a limit of 8.
		if msg := r.Errors[0].Message; !contains(msg, "needs 9 working days") || !contains(msg, "over by 1 working days") {
			t.Errorf("message = %q, want the 9-day need and the 1-day overrun", msg)
		}
		in["limitMinutes"] = 9 * 480
		if v := num(e.mustDo(e.as("admin"), createProcedure, map[string]any{"in": in}), "createProcedure", "version"); v != 1 {
			t.Errorf("version = %d, want 1", v)
		}
		// Only ADMIN manages procedures.
		if r := e.do(e.as("ld.taichinh"), createProcedure, map[string]any{"in": in}); r.code() != "FORBIDDEN" {
			t.Errorf("agency head createProcedure: code = %q, want FORBIDDEN", r.code())
		}
	})
}

func TestProcedureRevisionKeepsDossierVersion(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		desk := e.as("desk.giolinh")
		old := e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Cũ")})
		in := map[string]any{
			"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch",
			"legalLimitMinutes": 480, "limitMinutes": 240, "channels": []string{"DIRECT", "ONLINE"},
			"components": []map[string]any{{"name": "Tờ khai đăng ký khai sinh", "mandatory": true}, {"name": "Giấy chứng sinh", "mandatory": true}},
			"steps":      []map[string]any{{"position": 1, "role": "LEAD", "allottedMinutes": 240}},
		}
		rev := e.mustDo(e.as("admin"), `mutation($in: ProcedureInput!) { reviseProcedure(input: $in) { version limitMinutes } }`, map[string]any{"in": in})
		if v := num(rev, "reviseProcedure", "version"); v != 2 {
			t.Fatalf("revised version = %d, want 2", v)
		}
		fresh := e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Mới")})
		if v := num(fresh, "receiveDossier", "procedure", "version"); v != 2 {
			t.Errorf("new dossier procedure version = %d, want 2", v)
		}
		again := e.mustDo(desk, `query($c: String!) { dossierByCode(code: $c) { procedure { version limitMinutes } appointmentAt } }`,
			map[string]any{"c": str(old, "receiveDossier", "code")})
		if v := num(again, "dossierByCode", "procedure", "version"); v != 1 {
			t.Errorf("old dossier procedure version = %d, want 1", v)
		}
		if a := str(again, "dossierByCode", "appointmentAt"); a != str(old, "receiveDossier", "appointmentAt") {
			t.Errorf("old dossier appointment moved: %s → %s", str(old, "receiveDossier", "appointmentAt"), a)
		}
	})
}

func TestScoping(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		d := e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": birthInput("Bí mật")})
		id, code := str(d, "receiveDossier", "id"), str(d, "receiveDossier", "code")
		other := e.as("desk.dongha")
		// Out of scope answers exactly like an id that does not exist.
		hidden := e.do(other, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
		if get(hidden.Data, "node") != nil || hidden.code() != "NOT_FOUND" {
			t.Errorf("node(id) of another agency's dossier: %s, want null and NOT_FOUND", hidden.raw)
		}
		missing := e.do(other, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "12884999999"})
		if missing.code() != hidden.code() || missing.Errors[0].Message[:20] != hidden.Errors[0].Message[:20] {
			t.Errorf("hidden and missing ids answer differently: %s vs %s", hidden.raw, missing.raw)
		}
		if r := e.mustDo(other, `query($c: String!) { dossierByCode(code: $c) { id } }`, map[string]any{"c": code}); get(r, "dossierByCode") != nil {
			t.Errorf("dossierByCode of another agency's dossier is visible")
		}
		list := e.mustDo(other, `{ dossiers(first: 100) { totalCount edges { node { deskAgency { code } } } } }`, nil)
		for _, edge := range get(list, "dossiers", "edges").([]any) {
			if c := str(edge, "node", "deskAgency", "code"); c != demo.CommuneB {
				t.Errorf("commune B desk sees a dossier of %s", c)
			}
		}
		// The analyst sees them all; the owner sees its own.
		all := num(e.mustDo(e.as("analyst"), `{ dossiers { totalCount } }`, nil), "dossiers", "totalCount")
		mine := num(e.mustDo(e.as("desk.giolinh"), `{ dossiers { totalCount } }`, nil), "dossiers", "totalCount")
		theirs := num(list, "dossiers", "totalCount")
		if all < mine+theirs || mine == 0 {
			t.Errorf("analyst sees %d, commune A %d, commune B %d: want analyst ≥ sum and A > 0", all, mine, theirs)
		}
		if r := e.mustDo(e.as("desk.giolinh"), `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); get(r, "node", "id") != id {
			t.Errorf("owner cannot read its dossier by id")
		}
	})
}

// TestScopeRuleInGo checks that workflow.Readable, the scope rule a
// transition applies to the dossier and legs it has read, lets each
// agency's officers read exactly the dossiers the SQL rule on queries
// lets them, over the whole demo dataset.
func TestScopeRuleInGo(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		ctx, db := t.Context(), e.app.db.Client
		sys := auth.SystemContext(ctx)
		dossiers, err := db.Dossier.Query().WithLegs().All(sys)
		if err != nil {
			t.Fatal(err)
		}
		agencies, err := db.Agency.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		routed := 0
		for _, a := range agencies {
			v := auth.NewContext(ctx, &auth.Viewer{Subject: "scope." + a.Code, AgencyCode: a.Code, AgencyID: a.ID, Roles: []auth.Role{auth.RoleSpecialist}})
			ids, err := db.Dossier.Query().IDs(v)
			if err != nil {
				t.Fatal(err)
			}
			bySQL := map[int]bool{}
			for _, id := range ids {
				bySQL[id] = true
			}
			for _, d := range dossiers {
				ok, err := access.Readable(v, d, d.Edges.Legs)
				if err != nil {
					t.Fatal(err)
				}
				if ok != bySQL[d.ID] {
					t.Errorf("%s reading %s: Readable says %v, the query's scope %v", a.Code, d.Code, ok, bySQL[d.ID])
				}
				if ok && d.DeskAgencyID != a.ID {
					routed++
				}
			}
		}
		if routed == 0 {
			t.Fatal("no agency reads a dossier routed to it from another desk: the demo data does not exercise the rule")
		}
		// Analysts read all; the system reads all.
		analyst := auth.NewContext(ctx, &auth.Viewer{Subject: "scope.analyst", AgencyID: agencies[0].ID, Roles: []auth.Role{auth.RoleAnalyst}})
		for _, c := range []context.Context{analyst, sys} {
			for _, d := range dossiers {
				if ok, err := access.Readable(c, d, nil); !ok || err != nil {
					t.Fatalf("Readable(%s) for an analyst or the system = %v, %v; want true", d.Code, ok, err)
				}
			}
		}
		if _, err := access.Readable(ctx, dossiers[0], nil); err == nil {
			t.Error("Readable without a viewer: no error")
		}
	})
}

func TestTokensRejected(t *testing.T) {
	e := newEnv(t, databases(t)["sqlite"](t), true)
	good := auth.SignInput{Issuer: "lienthong", Audience: "lienthong", Subject: "x", Agency: demo.CommuneA, Roles: []auth.Role{auth.RoleDeskOfficer}, TTL: time.Hour, Now: time.Now()}
	sign := func(secret string, edit func(*auth.SignInput)) string {
		in := good
		edit(&in)
		tok, err := auth.Sign([]byte(secret), in)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for _, tc := range []struct{ name, token string }{
		{"forged", sign("another-secret-0123456789-abcdefghijkl", func(*auth.SignInput) {})},
		{"expired", sign(testSecret, func(in *auth.SignInput) { in.Now = time.Now().Add(-3 * time.Hour) })},
		{"wrong audience", sign(testSecret, func(in *auth.SignInput) { in.Audience = "portal" })},
		{"wrong issuer", sign(testSecret, func(in *auth.SignInput) { in.Issuer = "evil" })},
		{"alg none", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJsaWVudGhvbmciLCJhdWQiOiJsaWVudGhvbmciLCJzdWIiOiJ4IiwiYWdlbmN5IjoiMDAwLjIwLjAxLkg0MyIsInJvbGVzIjpbIkFETUlOIl0sImV4cCI6NDEwMjQ0NDgwMH0."},
		{"unknown agency", sign(testSecret, func(in *auth.SignInput) { in.Agency = "000.99.99.H99" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.token, `{ me { officer { name } } }`, nil)
			if r.Status != 401 || r.code() != "UNAUTHENTICATED" {
				t.Errorf("status %d code %q, want 401 UNAUTHENTICATED (%s)", r.Status, r.code(), r.raw)
			}
		})
	}
	if r := e.do("", `{ dossiers { totalCount } }`, nil); r.code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous dossiers: code = %q, want UNAUTHENTICATED", r.code())
	}
}

func TestWorkingTimeQueries(t *testing.T) {
	e := newEnv(t, databases(t)["sqlite"](t), true)
	tok := e.as("analyst")
	for _, tc := range []struct {
		from string
		days float64
		want string
	}{
		// 2025 Tết: Fri 24 Jan + 1 working day skips 25 Jan – 2 Feb.
		{"2025-01-24T10:00:00+07:00", 1, "2025-02-03T10:00:00+07:00"},
		// The swapped Saturday 26 Apr 2025 is worked; 30 Apr – 4 May are off.
		{"2025-04-25T16:00:00+07:00", 0.25, "2025-04-26T08:30:00+07:00"},
		{"2025-04-29T10:00:00+07:00", 1, "2025-05-05T10:00:00+07:00"},
		// After hours and at lunch the clock starts at the next opening.
		{"2026-11-16T18:00:00+07:00", 0.5, "2026-11-17T11:30:00+07:00"},
		{"2026-11-16T12:00:00+07:00", 0.5, "2026-11-16T17:00:00+07:00"},
	} {
		d := e.mustDo(tok, `query($f: Time!, $d: Float!) { workingDeadline(from: $f, workingDays: $d) }`, map[string]any{"f": tc.from, "d": tc.days})
		if got := str(d, "workingDeadline"); got != tc.want {
			t.Errorf("workingDeadline(%s, %v) = %s, want %s", tc.from, tc.days, got, tc.want)
		}
	}
	d := e.mustDo(tok, `{ workingMinutesBetween(from: "2025-01-24T07:30:00+07:00", to: "2025-02-04T07:30:00+07:00") }`, nil)
	if got := num(d, "workingMinutesBetween"); got != 2*480 {
		t.Errorf("workingMinutesBetween across Tết = %d, want 960", got)
	}
	if r := e.do(tok, `{ workingDeadline(from: "2025-01-01T00:00:00Z", workingDays: -1) }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("negative days: code = %q, want BAD_USER_INPUT", r.code())
	}
}

func TestPagination(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		tok := e.as("analyst")
		if r := e.do(tok, `{ dossiers(first: 101) { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
			t.Errorf("first: 101: code = %q, want BAD_USER_INPUT", r.code())
		}
		for range 15 {
			e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": birthInput("Trang")})
		}
		d := e.mustDo(tok, `{ dossiers { totalCount edges { cursor } } }`, nil)
		if n := len(get(d, "dossiers", "edges").([]any)); n != 20 {
			t.Errorf("default page = %d edges, want 20 (total %d)", n, num(d, "dossiers", "totalCount"))
		}
		// A page with agency and procedure fields costs the same number of
		// SQL statements whatever its size (no N+1).
		q := `query($n: Int!) { dossiers(first: $n) { edges { node { code procedure { code name } deskAgency { name } legs { agency { code } } } } } }`
		e.mustDo(tok, q, map[string]any{"n": 1}) // warm the viewer cache
		count := func(n int) int64 {
			before := e.queries.Load()
			e.mustDo(tok, q, map[string]any{"n": n})
			return e.queries.Load() - before
		}
		small, large := count(2), count(25)
		if small != large {
			t.Errorf("SQL statements: page of 2 = %d, page of 25 = %d, want equal", small, large)
		}
	})
}

func TestCalendarAdmin(t *testing.T) {
	e := newEnv(t, databases(t)["sqlite"](t), true)
	admin := e.as("admin")
	const set = `mutation($y: Int!, $d: [CalendarDayInput!]!) { setCalendarDays(year: $y, days: $d) { date working } }`
	r := e.do(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2027-01-02", "working": false}}})
	if r.code() != "BAD_USER_INPUT" || !contains(r.Errors[0].Message, "Saturday") {
		t.Errorf("day off on a Saturday: %s, want BAD_USER_INPUT naming Saturday", r.raw)
	}
	r = e.do(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2026-01-05", "working": false}}})
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("date outside the year: code = %q, want BAD_USER_INPUT", r.code())
	}
	e.mustDo(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2027-01-01", "working": false, "name": "Tết Dương lịch"}}})
	d := e.mustDo(admin, `{ workingDeadline(from: "2026-12-31T16:00:00+07:00", workingDays: 0.25) }`, nil)
	if got := str(d, "workingDeadline"); got != "2027-01-04T08:30:00+07:00" {
		t.Errorf("deadline over New Year 2027 = %s, want 2027-01-04T08:30:00+07:00", got)
	}
	if r := e.do(e.as("analyst"), set, map[string]any{"y": 2027, "d": []map[string]any{}}); r.code() != "FORBIDDEN" {
		t.Errorf("analyst setCalendarDays: code = %q, want FORBIDDEN", r.code())
	}
}

// TestInactiveDeskRefusesIntake: a desk agency made inactive receives
// nothing from that moment, though the engine keeps what it read of desks
// for a second (workflow.Config.CacheTTL); made active again, it receives.
func TestInactiveDeskRefusesIntake(t *testing.T) {
	e := newEnv(t, databases(t)["sqlite"](t), true)
	desk, admin := e.as("desk.giolinh"), e.as("admin")
	e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Trước")}) // the engine reads the desk
	ags := e.mustDo(admin, `{ agencies(where: {code: "000.20.01.H43"}) { edges { node { id } } } }`, nil)
	id := str(get(ags, "agencies", "edges").([]any)[0], "node", "id")
	const update = `mutation($id: ID!, $active: Boolean!) { updateAgency(id: $id, input: {active: $active}) { active } }`
	e.mustDo(admin, update, map[string]any{"id": id, "active": false})
	if r := e.do(desk, receiveMutation, map[string]any{"in": birthInput("Khi đóng")}); r.code() != "FORBIDDEN" {
		t.Errorf("intake at an inactive desk: %s, want FORBIDDEN", r.raw)
	}
	e.mustDo(admin, update, map[string]any{"id": id, "active": true})
	if r := e.do(desk, receiveMutation, map[string]any{"in": birthInput("Mở lại")}); len(r.Errors) > 0 {
		t.Errorf("intake at the desk made active again: %s", r.raw)
	}
}
