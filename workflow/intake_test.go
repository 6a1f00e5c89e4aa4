package workflow_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent/dossiercounter"
	"lienthong/server/servertest"
)

func TestReceiveDossier(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		// Monday 16 Nov 2026 09:00: 20 working days → Monday 14 Dec 2026 09:00.
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Nguyễn Văn An")})
		got := servertest.Get(d, "receiveDossier").(map[string]any)
		if ok, _ := regexp.MatchString(`^000\.20\.01\.H43-261116-\d{4}$`, servertest.Str(got, "code")); !ok {
			t.Errorf("code = %q, want 000.20.01.H43-261116-NNNN", servertest.Str(got, "code"))
		}
		if s := servertest.Str(got, "state"); s != "RECEIVED" {
			t.Errorf("state = %s, want RECEIVED", s)
		}
		if a := servertest.Str(got, "appointmentAt"); a != "2026-12-14T09:00:00+07:00" {
			t.Errorf("appointmentAt = %s, want 2026-12-14T09:00:00+07:00", a)
		}
		if due := servertest.Str(got, "legs", 0, "dueAt"); due != "2026-11-17T07:30:00+07:00" {
			t.Errorf("desk leg dueAt = %s, want next working morning 2026-11-17T07:30:00+07:00", due)
		}

		// Birth registration after the 15:00 cut-off counts from the next morning.
		e.Clock.Set(time.Date(2026, 11, 20, 15, 30, 0, 0, servertest.Now.Location())) // Friday
		d = e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Trần Thị Bé")})
		if a := servertest.Str(d, "receiveDossier", "appointmentAt"); a != "2026-11-23T17:00:00+07:00" {
			t.Errorf("after cut-off appointmentAt = %s, want Monday 2026-11-23T17:00:00+07:00", a)
		}

		// Online submissions wait for the desk's acceptance: no clock yet.
		in := servertest.BirthInput("Lê Văn Online")
		in["channel"] = "ONLINE"
		d = e.MustDo(desk, servertest.Receive, map[string]any{"in": in})
		if s := servertest.Str(d, "receiveDossier", "state"); s != "SUBMITTED" {
			t.Errorf("online state = %s, want SUBMITTED", s)
		}
		if servertest.Get(d, "receiveDossier", "appointmentAt") != nil {
			t.Errorf("online submission has an appointment before acceptance")
		}
	})
}

func TestReceiveDossierBadInput(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		missing := servertest.BirthInput("A")
		missing["components"] = []map[string]any{{"name": "Tờ khai đăng ký khai sinh"}}
		unknown := servertest.BirthInput("A")
		unknown["procedureCode"] = "9.999999"
		channel := servertest.LandInput("A")
		channel["channel"] = "ONLINE" // land: DIRECT, ONLINE, POSTAL — use birth at a desk-only procedure instead
		channel = servertest.BirthInput("A")
		channel["channel"] = "POSTAL"
		badID := servertest.BirthInput("A")
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
				before := e.Statements.Load()
				_ = before
				r := e.Do(desk, servertest.Receive, map[string]any{"in": tc.in})
				if r.Code() != "BAD_USER_INPUT" {
					t.Fatalf("code = %q, want BAD_USER_INPUT (%s)", r.Code(), r.Raw)
				}
				if f := r.Errors[0].Extensions["field"]; f != tc.wantField {
					t.Errorf("field = %v, want %s", f, tc.wantField)
				}
				if !strings.Contains(r.Errors[0].Message, tc.wantMsg) {
					t.Errorf("message = %q, want it to name %q", r.Errors[0].Message, tc.wantMsg)
				}
			})
		}
		// Nothing was written by the refused intakes.
		n := servertest.Num(e.MustDo(e.As("admin"), `{ dossiers(where: {applicantName: "A"}) { totalCount } }`, nil), "dossiers", "totalCount")
		if n != 0 {
			t.Errorf("refused intakes left %d dossiers", n)
		}
		// A specialist cannot receive.
		r := e.Do(e.As("cv.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("B")})
		if r.Code() != "FORBIDDEN" {
			t.Errorf("specialist receive: code = %q, want FORBIDDEN", r.Code())
		}
	})
}

func TestDossierCodeDailyResetAndUniqueness(t *testing.T) {
	// Nothing cached: every intake reads the webhook subscriptions in its
	// transaction, the 50 concurrent ones too, with more intakes than
	// pooled connections waiting for the desk's counter.
	uncached := servertest.Seeded
	uncached.CacheTTL = time.Nanosecond
	servertest.Each(t, uncached, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.dongha")
		e.Clock.Set(time.Date(2026, 11, 23, 8, 0, 0, 0, servertest.Now.Location()))
		first := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Một")}), "receiveDossier", "code")
		second := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Hai")}), "receiveDossier", "code")
		if first != "000.20.02.H43-261123-0001" || second != "000.20.02.H43-261123-0002" {
			t.Errorf("codes = %s, %s, want …-261123-0001 and …-0002", first, second)
		}
		// Midnight in Hanoi (17:00 UTC) starts a new sequence.
		e.Clock.Set(time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC))
		next := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Ba")}), "receiveDossier", "code")
		if next != "000.20.02.H43-261124-0001" {
			t.Errorf("next day code = %s, want 000.20.02.H43-261124-0001", next)
		}

		// 50 concurrent receives: 50 distinct codes, numbered 1..50 without repeats.
		e.Clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, servertest.Now.Location()))
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
				r := e.Do(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput(fmt.Sprintf("Song song %d", i))})
				mu.Lock()
				defer mu.Unlock()
				if len(r.Errors) > 0 {
					errs = append(errs, string(r.Raw))
					return
				}
				codes[servertest.Str(r.Data, "receiveDossier", "code")] = true
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
		if err := e.App.DB.Client.DossierCounter.Update().Where(dossiercounter.Day("261125")).SetLast(9999).Exec(sys); err != nil {
			t.Fatal(err)
		}
		if c := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Mười nghìn")}), "receiveDossier", "code"); c != "000.20.02.H43-261125-10000" {
			t.Errorf("10,000th code = %s, want 000.20.02.H43-261125-10000", c)
		}
	})
}

func TestIdempotentIntake(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		sys := e.As("motcua.system")
		in := servertest.BirthInput("Phạm Thị Idem")
		in["externalCode"], in["source"], in["deskAgencyCode"] = "MC-42", "motcua", demo.CommuneA
		a := e.MustDo(sys, servertest.Receive, map[string]any{"in": in})
		b := e.MustDo(sys, servertest.Receive, map[string]any{"in": in})
		if servertest.Str(a, "receiveDossier", "id") != servertest.Str(b, "receiveDossier", "id") {
			t.Errorf("retry created a second dossier: %s then %s", servertest.Str(a, "receiveDossier", "code"), servertest.Str(b, "receiveDossier", "code"))
		}
		in["applicant"] = map[string]any{"name": "Someone Else", "idNumber": "045201000777"}
		r := e.Do(sys, servertest.Receive, map[string]any{"in": in})
		if r.Code() != "CONFLICT" {
			t.Fatalf("different content: code = %q, want CONFLICT (%s)", r.Code(), r.Raw)
		}
		n := servertest.Num(e.MustDo(e.As("admin"), `{ dossiers(where: {externalCode: "MC-42"}) { totalCount } }`, nil), "dossiers", "totalCount")
		if n != 1 {
			t.Errorf("dossiers with external code MC-42 = %d, want 1", n)
		}
	})
}

// TestInactiveDeskRefusesIntake: a desk agency made inactive receives
// nothing from that moment, though the engine keeps what it read of desks
// for a second (workflow.Config.CacheTTL); made active again, it receives.
func TestInactiveDeskRefusesIntake(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	desk, admin := e.As("desk.giolinh"), e.As("admin")
	e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Trước")}) // the engine reads the desk
	ags := e.MustDo(admin, `{ agencies(where: {code: "000.20.01.H43"}) { edges { node { id } } } }`, nil)
	id := servertest.Str(servertest.Get(ags, "agencies", "edges").([]any)[0], "node", "id")
	const update = `mutation($id: ID!, $active: Boolean!) { updateAgency(id: $id, input: {active: $active}) { active } }`
	e.MustDo(admin, update, map[string]any{"id": id, "active": false})
	// Its officers are refused at once on the instance that deactivated it
	// (no minute of grace from the remembered viewer); an integration
	// client naming the desk is refused the intake.
	if r := e.Do(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Khi đóng")}); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("an officer of the deactivated agency: %s, want UNAUTHENTICATED", r.Raw)
	}
	in := servertest.BirthInput("Khi đóng")
	in["deskAgencyCode"], in["source"], in["externalCode"] = "000.20.01.H43", "motcua", "MC-CLOSED-1"
	if r := e.Do(e.As("motcua.system"), servertest.Receive, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.deskAgencyCode" {
		t.Errorf("intake at an inactive desk: %s, want BAD_USER_INPUT on input.deskAgencyCode", r.Raw)
	}
	e.MustDo(admin, update, map[string]any{"id": id, "active": true})
	if r := e.Do(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Mở lại")}); len(r.Errors) > 0 {
		t.Errorf("intake at the desk made active again: %s", r.Raw)
	}
}

// TestCodeDayInVietnam: a dossier received at 23:30 UTC is received at
// 06:30 the next morning in Vietnam, and its code carries that day.
func TestCodeDayInVietnam(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	e.Clock.Set(time.Date(2026, 11, 16, 23, 30, 0, 0, time.UTC))
	code := servertest.Str(e.MustDo(e.As("desk.dongha"), servertest.Receive, map[string]any{"in": servertest.MarriageInput("Nửa Đêm")}), "receiveDossier", "code")
	if want := demo.CommuneB + "-261117-"; !strings.HasPrefix(code, want) {
		t.Errorf("code = %s, want prefix %s", code, want)
	}
}

// TestIntakeKeysReserved: a desk officer cannot take the national
// portal's code for a dossier (the portal's own intake of it would then
// fail naming another desk's dossier); the portal's intake goes through.
func TestIntakeKeysReserved(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		squat := servertest.BirthInput("Chiếm Mã")
		squat["source"], squat["externalCode"] = "dvc-quoc-gia", "PORTAL-778"
		for name, in := range map[string]map[string]any{
			"source and code": squat,
			"code alone":      {"procedureCode": "1.001193", "channel": "DIRECT", "applicant": squat["applicant"], "components": squat["components"], "externalCode": "PORTAL-778"},
			"source alone":    {"procedureCode": "1.001193", "channel": "DIRECT", "applicant": squat["applicant"], "components": squat["components"], "source": "dvc-quoc-gia"},
		} {
			if r := e.Do(e.As("desk.dongha"), servertest.Receive, map[string]any{"in": in}); r.Code() != "FORBIDDEN" || r.Errors[0].Extensions["field"] != "input.source" {
				t.Errorf("a desk officer giving %s: %s, want FORBIDDEN on input.source", name, r.Raw)
			}
		}
		portal := servertest.BirthInput("Nguyễn Văn Cổng")
		portal["source"], portal["externalCode"], portal["deskAgencyCode"] = "dvc-quoc-gia", "PORTAL-778", demo.CommuneA
		const m = `mutation($in: [ReceiveDossierInput!]!) { importDossiers(inputs: $in) { status error { code message } } }`
		res := servertest.Get(e.MustDo(e.As("motcua.system"), m, map[string]any{"in": []any{portal}}), "importDossiers").([]any)
		if servertest.Str(res[0], "status") != "CREATED" {
			t.Errorf("the portal's own intake of PORTAL-778: %v, want CREATED", res[0])
		}
		if n := servertest.Num(e.MustDo(e.As("admin"), `{ dossiers(where: {externalCode: "PORTAL-778"}) { totalCount } }`, nil), "dossiers", "totalCount"); n != 1 {
			t.Errorf("dossiers with external code PORTAL-778: %d, want 1", n)
		}
	})
}
