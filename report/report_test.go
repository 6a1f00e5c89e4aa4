package report_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lienthong/demo"
	"lienthong/report"
	"lienthong/server/servertest"
)

// reportDataset receives and drives 153 dossiers through November 2026 in
// cohorts whose figures are computed by hand in TestPerformanceReport.
func reportDataset(t *testing.T, e *servertest.Env) {
	t.Helper()
	loc := servertest.Now.Location()
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.Month(11), day, hour, minute, 0, 0, loc)
	}
	deskA, deskB, deskP := e.As("desk.giolinh"), e.As("desk.dongha"), e.As("desk.ttpvhcc")
	cvA, cvB, env, tax := e.As("cv.giolinh"), e.As("cv.dongha"), e.As("cv.moitruong"), e.As("cv.thue")
	receive := func(tok string, in map[string]any, when time.Time) string {
		t.Helper()
		e.Clock.Set(when)
		return servertest.Str(e.MustDo(tok, servertest.Receive, map[string]any{"in": in}), "receiveDossier", "id")
	}
	type step struct {
		tok, m string
		at     time.Time
	}
	cohort := func(n int, tok string, in map[string]any, received time.Time, steps ...step) {
		t.Helper()
		for range n {
			id := receive(tok, in, received)
			for _, s := range steps {
				e.FireAt(s.tok, s.m, id, s.at)
			}
		}
	}
	birth, land, marriage := servertest.BirthInput("Khai Sinh"), servertest.LandInput("Đất Đai"), servertest.MarriageInput("Kết Hôn")
	company := map[string]any{
		"procedureCode": "2.001583", "channel": "DIRECT",
		"applicant": map[string]any{"name": "Công ty Báo Cáo", "idNumber": "3200111222"},
		"components": []map[string]any{
			{"name": "Giấy đề nghị đăng ký doanh nghiệp (Mẫu 02)", "digitized": true}, {"name": "Điều lệ công ty", "digitized": true},
			{"name": "Bản sao giấy tờ pháp lý của chủ sở hữu", "digitized": true},
		},
		"paidOnline": true,
	}
	onlineBirth := servertest.BirthInput("Trực Tuyến")
	onlineBirth["channel"] = "ONLINE"
	// Birth registrations (1 working day) at commune A, received Tue 3 Nov 09:00, due Wed 09:00.
	cohort(40, deskA, birth, at(3, 9, 0), step{deskA, servertest.Forward, at(3, 9, 10)}, step{cvA, servertest.Return, at(3, 15, 0)}) // A: EARLY, 270 min
	cohort(30, deskA, birth, at(3, 9, 0), step{deskA, servertest.Forward, at(3, 9, 10)}, step{cvA, servertest.Return, at(4, 8, 30)}) // B: ON_TIME, 450 min
	cohort(20, deskA, birth, at(3, 9, 0), step{deskA, servertest.Forward, at(3, 9, 10)}, step{cvA, servertest.Return, at(5, 9, 0)})  // C: LATE, 960 min
	// D: marriage registrations at commune B, two supplementation rounds
	// (RESTART), returned Thu 09:00 on time: 960 − 150 − 60 = 750 min.
	cohort(10, deskB, marriage, at(3, 9, 0),
		step{deskB, servertest.Forward, at(3, 9, 5)}, step{cvB, servertest.Request, at(3, 10, 0)}, step{deskB, servertest.Supply, at(3, 14, 0)},
		step{cvB, servertest.Request, at(4, 9, 0)}, step{deskB, servertest.Supply, at(4, 10, 0)}, step{cvB, servertest.Return, at(5, 9, 0)})
	// E: land certificates at commune A, received Mon 2 Nov (due Mon 30 Nov
	// 09:00); Tax overruns its 5 days; returned early on Tue 17 Nov: 5340 min.
	cohort(15, deskA, land, at(2, 9, 0),
		step{deskA, servertest.Forward, at(2, 9, 30)}, step{cvA, servertest.Transfer, at(4, 9, 30)}, step{env, servertest.Transfer, at(5, 10, 0)},
		step{tax, servertest.Transfer, at(16, 10, 0)}, step{env, servertest.Return, at(17, 10, 0)})
	// F: land certificates left at the commune: overdue at the month's end.
	cohort(10, deskA, land, at(2, 9, 0), step{deskA, servertest.Forward, at(2, 9, 30)})
	// G: birth registrations of Mon 30 Nov, due Tue 1 Dec: in progress on time.
	// Submitted online at 08:55 and accepted at 09:00.
	cohort(5, deskA, onlineBirth, at(30, 8, 55), step{deskA, `mutation($id: ID!) { acceptDossier(id: $id) { state } }`, at(30, 9, 0)}, step{deskA, servertest.Forward, at(30, 9, 10)})
	// H: company registrations (lead: Finance, with a fee paid online, every
	// component digitised) refused at the desk.
	cohort(8, deskP, company, at(3, 9, 0), step{deskP, servertest.Refuse, at(3, 10, 0)})
	// I: received Fri 30 Oct, returned Mon 2 Nov 08:00 (due 09:00): finished in November only, 420 min.
	cohort(6, deskA, birth, time.Date(2026, 10, 30, 9, 0, 0, 0, loc), step{deskA, servertest.Forward, time.Date(2026, 10, 30, 9, 10, 0, 0, loc)}, step{cvA, servertest.Return, at(2, 8, 0)})
	// J: received Fri 27 Nov (due Mon 30 Nov 09:00), returned Tue 1 Dec: open and overdue at the month's end.
	cohort(4, deskA, birth, at(27, 9, 0), step{deskA, servertest.Forward, at(27, 9, 10)}, step{cvA, servertest.Return, time.Date(2026, 12, 1, 9, 0, 0, 0, loc)})
	// K: marriage registrations apologized for, returned Thu: LATE against the original appointment, 960 min.
	cohort(3, deskB, marriage, at(3, 9, 0), step{deskB, servertest.Forward, at(3, 9, 5)}, step{e.As("ld.dongha"), servertest.Apology, at(3, 14, 0)}, step{cvB, servertest.Return, at(5, 9, 0)})
	// L: land certificates sent back twice by Environment, open at the commune.
	cohort(2, deskA, land, at(2, 9, 0),
		step{deskA, servertest.Forward, at(2, 9, 30)}, step{cvA, servertest.Transfer, at(4, 9, 30)}, step{env, servertest.SendBack, at(5, 10, 0)},
		step{cvA, servertest.Transfer, at(6, 9, 0)}, step{env, servertest.SendBack, at(9, 9, 0)})
	e.Clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))
}

const perfFields = `key name received finished early onTime late cancelled inProgressOnTime inProgressOverdue
  onTimeRate averageProcessingMinutes supplement2Plus sendBack2Plus`

// row is a performance row as the test expects it.
type row struct {
	received, finished, early, onTime, late, cancelled, openOnTime, openOverdue, supp2, sendBack2 int
	minutes                                                                                       int // total processing minutes
}

func checkRow(t *testing.T, label string, got any, want row) {
	t.Helper()
	g := row{
		servertest.Num(got, "received"), servertest.Num(got, "finished"), servertest.Num(got, "early"), servertest.Num(got, "onTime"), servertest.Num(got, "late"),
		servertest.Num(got, "cancelled"), servertest.Num(got, "inProgressOnTime"), servertest.Num(got, "inProgressOverdue"),
		servertest.Num(got, "supplement2Plus"), servertest.Num(got, "sendBack2Plus"), 0,
	}
	if avg, ok := servertest.Get(got, "averageProcessingMinutes").(float64); ok {
		g.minutes = int(avg*float64(g.finished) + 0.5)
	}
	if g != want {
		t.Errorf("%s:\n got %+v\nwant %+v", label, g, want)
	}
	if want.finished > 0 {
		rate, _ := servertest.Get(got, "onTimeRate").(float64)
		if w := 100 * float64(want.early+want.onTime) / float64(want.finished); fmt.Sprintf("%.4f", rate) != fmt.Sprintf("%.4f", w) {
			t.Errorf("%s: onTimeRate = %v, want %.4f", label, rate, w)
		}
	}
}

func rowByKey(t *testing.T, rep any, key string) any {
	t.Helper()
	for _, r := range servertest.Get(rep, "rows").([]any) {
		if servertest.Str(r, "key") == key {
			return r
		}
	}
	t.Fatalf("no row %q in %v", key, servertest.Get(rep, "rows"))
	return nil
}

// TestPerformanceReport asserts every figure of November 2026 against
// hand-computed expectations, by dossier and by leg, on both databases.
func TestPerformanceReport(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: -1}}, func(t *testing.T, e *servertest.Env) {
		reportDataset(t, e)
		e.CheckRollups(t)
		analyst := e.As("analyst")
		q := `query($p: PeriodInput!, $g: ReportGroupBy!, $v: ReportView!) { performance(period: $p, groupBy: $g, view: $v) {
		  period { from to } asOf rows { ` + perfFields + ` } total { ` + perfFields + ` } } }`
		nov := map[string]any{"year": 2026, "month": 11}
		rep := servertest.Get(e.MustDo(analyst, q, map[string]any{"p": nov, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		if servertest.Str(rep, "period", "from") != "2026-11-01T00:00:00+07:00" || servertest.Str(rep, "period", "to") != "2026-12-01T00:00:00+07:00" || servertest.Str(rep, "asOf") != "2026-12-01T00:00:00+07:00" {
			t.Errorf("period = %v, asOf %s", servertest.Get(rep, "period"), servertest.Str(rep, "asOf"))
		}
		// Commune A leads the birth and land dossiers: A–C, E–G, I, J, L.
		checkRow(t, "commune A by dossier", rowByKey(t, rep, demo.CommuneA), row{
			received: 40 + 30 + 20 + 15 + 10 + 5 + 4 + 2, finished: 40 + 30 + 20 + 15 + 6,
			early: 40 + 15, onTime: 30 + 6, late: 20, openOnTime: 5, openOverdue: 10 + 2 + 4, sendBack2: 2,
			minutes: 40*270 + 30*450 + 20*960 + 15*5340 + 6*420,
		})
		checkRow(t, "commune B by dossier", rowByKey(t, rep, demo.CommuneB), row{
			received: 13, finished: 13, onTime: 10, late: 3, supp2: 10, minutes: 10*750 + 3*960,
		})
		checkRow(t, "Finance by dossier", rowByKey(t, rep, demo.Finance), row{received: 8, cancelled: 8})
		if n := len(servertest.Get(rep, "rows").([]any)); n != 3 {
			t.Errorf("rows = %d, want 3 (communes A, B and Finance): Tax leads no dossier", n)
		}
		checkRow(t, "total by dossier", servertest.Get(rep, "total"), row{
			received: 147, finished: 124, early: 55, onTime: 46, late: 23, cancelled: 8, openOnTime: 5, openOverdue: 16,
			supp2: 10, sendBack2: 2, minutes: 126120 + 10380,
		})
		// By leg, Tax carries the lateness of the E cohort: 5 days due
		// Thu 12 Nov 10:00, handed on Mon 16 Nov 10:00, 3360 working minutes.
		legs := servertest.Get(e.MustDo(analyst, q, map[string]any{"p": nov, "g": "AGENCY", "v": "LEG"}), "performance")
		checkRow(t, "Tax by leg", rowByKey(t, legs, demo.Tax), row{received: 15, finished: 15, late: 15, minutes: 15 * 3360})
		env := rowByKey(t, legs, demo.Environment)
		if servertest.Num(env, "received") != 34 || servertest.Num(env, "finished") != 34 || servertest.Num(env, "early") != 34 || servertest.Num(env, "sendBack2Plus") != 2 {
			t.Errorf("Environment by leg = %v, want 34 legs received and finished early, 2 dossiers sent back twice", env)
		}
		// By procedure and by field.
		procs := servertest.Get(e.MustDo(analyst, q, map[string]any{"p": nov, "g": "PROCEDURE", "v": "DOSSIER"}), "performance")
		land := rowByKey(t, procs, "1.013978")
		if servertest.Num(land, "received") != 27 || servertest.Num(land, "finished") != 15 || servertest.Num(land, "early") != 15 || servertest.Num(land, "inProgressOverdue") != 12 || servertest.Str(land, "name") == "" {
			t.Errorf("land procedure = %v", land)
		}
		fields := servertest.Get(e.MustDo(analyst, q, map[string]any{"p": nov, "g": "FIELD", "v": "DOSSIER"}), "performance")
		if civil := rowByKey(t, fields, "Hộ tịch"); servertest.Num(civil, "received") != 99+13 || servertest.Num(civil, "late") != 23 {
			t.Errorf("civil status field = %v, want 112 received and 23 late", civil)
		}
		// The fourth quarter adds October's six receipts and J's four late
		// returns of 1 December; it is judged now (1 Dec 10:00), when G's
		// five (due 09:00) are overdue too.
		q4 := servertest.Get(e.MustDo(analyst, q, map[string]any{"p": map[string]any{"year": 2026, "quarter": 4}, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		checkRow(t, "Q4 total", servertest.Get(q4, "total"), row{
			received: 153, finished: 128, early: 55, onTime: 46, late: 27, cancelled: 8, openOverdue: 12 + 5,
			supp2: 10, sendBack2: 2, minutes: 126120 + 10380 + 4*960,
		})
		if servertest.Str(q4, "asOf") != "2026-12-01T10:00:00+07:00" {
			t.Errorf("Q4 asOf = %s, want now", servertest.Str(q4, "asOf"))
		}
		// The trend over the fourth quarter: October holds cohort I's six
		// receipts, November the month above, December J's four returns.
		trend := servertest.Get(e.MustDo(analyst, `{ performanceTrend(period: {year: 2026, quarter: 4}, interval: MONTH) { period { from } figures { received finished late } } }`, nil), "performanceTrend").([]any)
		if len(trend) != 3 || servertest.Str(trend[1], "period", "from") != "2026-11-01T00:00:00+07:00" {
			t.Fatalf("trend = %v, want 3 months", trend)
		}
		for i, w := range [][3]int{{6, 0, 0}, {147, 124, 23}, {0, 4, 4}} {
			if g := [3]int{servertest.Num(trend[i], "figures", "received"), servertest.Num(trend[i], "figures", "finished"), servertest.Num(trend[i], "figures", "late")}; g != w {
				t.Errorf("trend month %d = %v, want received/finished/late %v", i+10, g, w)
			}
		}
		// The lists behind the counts.
		lists := e.MustDo(analyst, `query($p: PeriodInput!) {
		  returnedDossiers(period: $p) { totalCount edges { node { sendBacks leadAgency { code } } } }
		  repeatedSupplements(period: $p, minRounds: 2) { totalCount edges { node { supplementRounds } } }
		  once: repeatedSupplements(period: $p, minRounds: 1) { totalCount } }`, map[string]any{"p": nov})
		if n := servertest.Num(lists, "returnedDossiers", "totalCount"); n != 2 || servertest.Num(lists, "returnedDossiers", "edges", 0, "node", "sendBacks") != 2 ||
			servertest.Str(lists, "returnedDossiers", "edges", 0, "node", "leadAgency", "code") != demo.CommuneA {
			t.Errorf("returnedDossiers = %v, want the two land dossiers of cohort L", servertest.Get(lists, "returnedDossiers"))
		}
		if n := servertest.Num(lists, "repeatedSupplements", "totalCount"); n != 10 || servertest.Num(lists, "once", "totalCount") != 10 {
			t.Errorf("repeatedSupplements = %d (1+ rounds: %d), want 10 and 10", n, servertest.Num(lists, "once", "totalCount"))
		}
		// Scope: a head reads their own agency; other roles are refused.
		head := servertest.Get(e.MustDo(e.As("ld.giolinh"), q, map[string]any{"p": nov, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		if rows := servertest.Get(head, "rows").([]any); len(rows) != 1 || servertest.Str(rows[0], "key") != demo.CommuneA {
			t.Errorf("commune A head sees rows %v, want their agency only", rows)
		}
		taxID, _ := demo.AgencyID(t.Context(), e.App.DB.Client, demo.Tax)
		other := `query($p: PeriodInput!, $a: [ID!]) { performance(period: $p, agencyIDs: $a) { total { received } } }`
		if r := e.Do(e.As("ld.giolinh"), other, map[string]any{"p": nov, "a": []string{fmt.Sprint(taxID)}}); r.Code() != "FORBIDDEN" {
			t.Errorf("a head asking for another agency: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(e.As("desk.giolinh"), other, map[string]any{"p": nov}); r.Code() != "FORBIDDEN" {
			t.Errorf("a desk officer asking for a report: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(analyst, other, map[string]any{"p": map[string]any{"year": 2026, "from": "2026-01-01T00:00:00Z"}}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("year and from together: %s, want BAD_USER_INPUT", r.Raw)
		}
	})
}

// TestPerformanceCSV: the export gives the GraphQL figures as UTF-8 CSV
// with a byte-order mark, Vietnamese or English headers, behind the same
// authentication and roles.
func TestPerformanceCSV(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: -1}}, func(t *testing.T, e *servertest.Env) {
		reportDataset(t, e)
		get := func(token, query string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, "/export/performance.csv?"+query, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			return rec
		}
		rec := get(e.As("analyst"), "year=2026&month=11&groupBy=AGENCY&view=DOSSIER")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %s", rec.Code, rec.Body.String())
		}
		body := rec.Body.String()
		if !strings.HasPrefix(body, "\uFEFF") {
			t.Errorf("no byte-order mark")
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if records[0][0] != "Mã" || records[0][10] != "Tỷ lệ đúng hạn (%)" {
			t.Errorf("Vietnamese header = %v", records[0])
		}
		var communeA []string
		for _, r := range records {
			if r[0] == demo.CommuneA {
				communeA = r
			}
		}
		// Received 126, finished 111 (55 early, 36 on time, 20 late): 81.98 %.
		if communeA == nil || communeA[2] != "126" || communeA[3] != "111" || communeA[6] != "20" || communeA[10] != "81.98" {
			t.Errorf("commune A record = %v", communeA)
		}
		if last := records[len(records)-1]; last[1] != "Tổng cộng" || last[2] != "147" {
			t.Errorf("total record = %v", last)
		}
		if en := get(e.As("analyst"), "year=2026&month=11&lang=en"); !strings.Contains(en.Body.String(), "on-time rate (%)") {
			t.Errorf("English header missing: %s", en.Body.String())
		}
		// The lists and the ratings export the same way.
		readCSV := func(path string) [][]string {
			t.Helper()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+e.As("analyst"))
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}
		returned := readCSV("/export/returned-dossiers.csv?year=2026&month=11&lang=en")
		if len(returned) != 3 || returned[0][0] != "code" || returned[1][2] != demo.CommuneA || returned[1][5] != "2" || returned[1][3] != "02/11/2026 09:00" {
			t.Errorf("returned-dossiers.csv = %v, want a header and cohort L's two dossiers", returned)
		}
		if supp := readCSV("/export/repeated-supplements.csv?year=2026&month=11"); len(supp) != 11 || supp[1][6] != "2" {
			t.Errorf("repeated-supplements.csv has %d records, want a header and D's ten", len(supp))
		}
		if none := readCSV("/export/head-rating.csv?year=2026"); len(none) != 1+5 || none[0][7] != "Xếp loại" || none[3][5] != "15" {
			t.Errorf("head-rating.csv without PAR scores = %v, want a header and the five agencies with legs handed on (Tax 15 late)", none)
		}
		for _, c := range []struct {
			token, query string
			status       int
		}{
			{"", "year=2026", http.StatusUnauthorized},
			{e.As("desk.giolinh"), "year=2026", http.StatusForbidden},
			{e.As("analyst"), "year=2026&from=2026-01-01T00:00:00Z", http.StatusBadRequest},
			{e.As("analyst"), "year=2026&lang=fr", http.StatusBadRequest},
		} {
			if r := get(c.token, c.query); r.Code != c.status {
				t.Errorf("export %q: %d %s, want %d", c.query, r.Code, r.Body.String(), c.status)
			}
		}
	})
}

// TestHeadRating: PAR scores entered by an analyst and the late rate of
// each agency's own legs in 2026 rate the heads, with the rule in words.
func TestHeadRating(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: -1}}, func(t *testing.T, e *servertest.Env) {
		reportDataset(t, e)
		analyst := e.As("analyst")
		const set = `mutation($a: ID!, $s: Float!) { setParIndex(agencyID: $a, year: 2026, score: $s) { score } }`
		id := func(code string) string {
			n, err := demo.AgencyID(t.Context(), e.App.DB.Client, code)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(n)
		}
		if r := e.Do(e.As("ld.giolinh"), set, map[string]any{"a": id(demo.CommuneA), "s": 99}); r.Code() != "FORBIDDEN" {
			t.Errorf("a head entering their own PAR score: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(analyst, set, map[string]any{"a": id(demo.CommuneA), "s": 101}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("PAR 101: %s, want BAD_USER_INPUT", r.Raw)
		}
		e.MustDo(analyst, set, map[string]any{"a": id(demo.CommuneA), "s": 50}) // corrected below
		for code, score := range map[string]float64{demo.CommuneA: 92, demo.CommuneB: 70, demo.Environment: 93, demo.Tax: 95, demo.ServiceDesk: 82, demo.Finance: 60} {
			e.MustDo(analyst, set, map[string]any{"a": id(code), "s": score})
		}
		got := e.MustDo(analyst, `{ headRating(year: 2026) { agency { code } parScore finished late lateRate rating reason } }`, nil)
		want := map[string]struct {
			finished, late int
			rating, reason string
		}{
			// 132 desk legs and 119 lead legs handed on; C's 20 and J's 4 late.
			demo.CommuneA:    {251, 24, "COMPLETE", "PAR 92.0 but late rate 9.6 % ≥ 5 %"},
			demo.CommuneB:    {26, 3, "COMPLETE", "PAR 70.0 in 65–80"},
			demo.Environment: {34, 0, "EXCELLENT", "PAR 93.0 ≥ 90 and late rate 0.0 % < 5 %"},
			demo.Tax:         {15, 15, "COMPLETE", "PAR 95.0 but late rate 100.0 % ≥ 5 %"},
			demo.ServiceDesk: {8, 0, "GOOD", "PAR 82.0 in 80–90 and late rate 0.0 % < 5 %"},
			demo.Finance:     {0, 0, "INCOMPLETE", "PAR 60.0 < 65"},
		}
		rows := servertest.Get(got, "headRating").([]any)
		if len(rows) != len(want) {
			t.Errorf("ratings = %d rows, want %d: %v", len(rows), len(want), rows)
		}
		for _, r := range rows {
			w, ok := want[servertest.Str(r, "agency", "code")]
			if !ok || servertest.Num(r, "finished") != w.finished || servertest.Num(r, "late") != w.late || servertest.Str(r, "rating") != w.rating || servertest.Str(r, "reason") != w.reason {
				t.Errorf("rating %v, want %+v", r, w)
			}
		}
		own := servertest.Get(e.MustDo(e.As("ld.giolinh"), `{ headRating(year: 2026) { agency { code } rating } }`, nil), "headRating").([]any)
		if len(own) != 1 || servertest.Str(own[0], "agency", "code") != demo.CommuneA {
			t.Errorf("commune A head sees %v, want their own rating only", own)
		}
	})
}

// TestServiceIndex: the Decision 766 progress figures of November 2026,
// computed by hand from the cohorts, with three complaints recorded.
func TestServiceIndex(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: -1}}, func(t *testing.T, e *servertest.Env) {
		reportDataset(t, e)
		late := e.MustDo(e.As("analyst"), `{ dossiers(first: 3, where: {hasLegsWith: {judgement: LATE}, applicantName: "Khai Sinh", receivedAtLT: "2026-11-04T00:00:00+07:00"}) { edges { node { id } } } }`, nil)
		const complain = `mutation($id: ID!, $n: String!) { recordComplaint(id: $id, note: $n) { complained } }`
		for _, ed := range servertest.Get(late, "dossiers", "edges").([]any) {
			id := servertest.Str(ed, "node", "id")
			if r := e.Do(e.As("desk.dongha"), complain, map[string]any{"id": id, "n": "Trả kết quả chậm"}); r.Code() != "NOT_FOUND" {
				t.Errorf("complaint by another desk: %s, want NOT_FOUND", r.Raw)
			}
			if r := e.Do(e.As("desk.giolinh"), complain, map[string]any{"id": id, "n": " "}); r.Code() != "BAD_USER_INPUT" {
				t.Errorf("complaint without a note: %s, want BAD_USER_INPUT", r.Raw)
			}
			if c := e.MustDo(e.As("desk.giolinh"), complain, map[string]any{"id": id, "n": "Trả kết quả chậm"}); servertest.Get(c, "recordComplaint", "complained") != true {
				t.Errorf("complaint not recorded: %v", c)
			}
		}
		si := servertest.Get(e.MustDo(e.As("analyst"), `{ serviceIndex(period: {year: 2026, month: 11}) {
		  judged onTime late onTimeRate finished averageProcessingDays received online onlineRate digitized digitizationRate
		  withFee paidOnline onlinePaymentRate complained complaintRate satisfaction } }`, nil), "serviceIndex")
		// 124 finished with a result + 21 open at the month's end (F, G, J, L).
		// On time: 55 early + 46 on time − D's 10 (two supplementation
		// rounds) + G's 5 open and not yet due = 96.
		want := map[string]int{"judged": 145, "onTime": 96, "late": 49, "finished": 124, "received": 147, "online": 5,
			"digitized": 8, "withFee": 8, "paidOnline": 8, "complained": 3}
		for k, w := range want {
			if g := servertest.Num(si, k); g != w {
				t.Errorf("%s = %d, want %d", k, g, w)
			}
		}
		rates := map[string]float64{
			"onTimeRate": 100 * 96.0 / 145, "onlineRate": 100 * 5.0 / 147, "digitizationRate": 100 * 8.0 / 147,
			"onlinePaymentRate": 100, "complaintRate": 100 * 3.0 / 147,
			"satisfaction":          100 - (100*49.0/145 + 100*3.0/147),
			"averageProcessingDays": 136500.0 / 124 / 480,
		}
		for k, w := range rates {
			if g, _ := servertest.Get(si, k).(float64); fmt.Sprintf("%.6f", g) != fmt.Sprintf("%.6f", w) {
				t.Errorf("%s = %v, want %.6f", k, servertest.Get(si, k), w)
			}
		}
	})
}

// A cell that a spreadsheet would run as a formula is written as text.
func TestCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\",\"y\")": "'=HYPERLINK(\"http://x\",\"y\")",
		"+cmd|' /C calc'!A0":             "'+cmd|' /C calc'!A0",
		"@SUM(A1)":                       "'@SUM(A1)",
		"-2+3":                           "'-2+3",
		"\t=1":                           "'\t=1",
		"-12.5":                          "-12.5",
		"Hộ tịch":                        "Hộ tịch",
		"":                               "",
	} {
		if got := report.Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}
