package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/demo"
	"lienthong/ent"
	"lienthong/ent/leg"
	"lienthong/report"
	"lienthong/workflow"
)

const (
	mForward  = `mutation($id: ID!) { forwardDossier(id: $id) { state } }`
	mTransfer = `mutation($id: ID!) { transferDossier(id: $id) { state } }`
	mSendBack = `mutation($id: ID!) { sendBackDossier(id: $id, reason: "Chưa đủ căn cứ") { state } }`
	mReturn   = `mutation($id: ID!) { returnDossier(id: $id, result: "Kết quả") { state } }`
	mRequest  = `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Giấy xác nhận"]) { state } }`
	mSupply   = `mutation($id: ID!) { supplementDossier(id: $id) { state } }`
	mRefuse   = `mutation($id: ID!) { refuseDossier(id: $id, reason: "Không thuộc thẩm quyền") { state } }`
	mApology  = `mutation($id: ID!) { apologizeDossier(id: $id, reason: "Chờ xác minh", newAppointmentAt: "2026-11-06T09:00:00+07:00") { state } }`
)

// reportDataset receives and drives 153 dossiers through November 2026 in
// cohorts whose figures are computed by hand in TestPerformanceReport.
func reportDataset(t *testing.T, e *env) {
	t.Helper()
	loc := testNow.Location()
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.Month(11), day, hour, minute, 0, 0, loc)
	}
	deskA, deskB, deskP := e.as("desk.giolinh"), e.as("desk.dongha"), e.as("desk.ttpvhcc")
	cvA, cvB, env, tax := e.as("cv.giolinh"), e.as("cv.dongha"), e.as("cv.moitruong"), e.as("cv.thue")
	receive := func(tok string, in map[string]any, when time.Time) string {
		t.Helper()
		e.clock.Set(when)
		return str(e.mustDo(tok, receiveMutation, map[string]any{"in": in}), "receiveDossier", "id")
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
				e.fireAt(s.tok, s.m, id, s.at)
			}
		}
	}
	birth, land, marriage := birthInput("Khai Sinh"), landInput("Đất Đai"), marriageInput("Kết Hôn")
	company := map[string]any{
		"procedureCode": "2.001583", "channel": "DIRECT",
		"applicant": map[string]any{"name": "Công ty Báo Cáo", "idNumber": "3200111222"},
		"components": []map[string]any{
			{"name": "Giấy đề nghị đăng ký doanh nghiệp (Mẫu 02)", "digitized": true}, {"name": "Điều lệ công ty", "digitized": true},
			{"name": "Bản sao giấy tờ pháp lý của chủ sở hữu", "digitized": true},
		},
		"paidOnline": true,
	}
	onlineBirth := birthInput("Trực Tuyến")
	onlineBirth["channel"] = "ONLINE"
	// Birth registrations (1 working day) at commune A, received Tue 3 Nov 09:00, due Wed 09:00.
	cohort(40, deskA, birth, at(3, 9, 0), step{deskA, mForward, at(3, 9, 10)}, step{cvA, mReturn, at(3, 15, 0)}) // A: EARLY, 270 min
	cohort(30, deskA, birth, at(3, 9, 0), step{deskA, mForward, at(3, 9, 10)}, step{cvA, mReturn, at(4, 8, 30)}) // B: ON_TIME, 450 min
	cohort(20, deskA, birth, at(3, 9, 0), step{deskA, mForward, at(3, 9, 10)}, step{cvA, mReturn, at(5, 9, 0)})  // C: LATE, 960 min
	// D: marriage registrations at commune B, two supplementation rounds
	// (RESTART), returned Thu 09:00 on time: 960 − 150 − 60 = 750 min.
	cohort(10, deskB, marriage, at(3, 9, 0),
		step{deskB, mForward, at(3, 9, 5)}, step{cvB, mRequest, at(3, 10, 0)}, step{deskB, mSupply, at(3, 14, 0)},
		step{cvB, mRequest, at(4, 9, 0)}, step{deskB, mSupply, at(4, 10, 0)}, step{cvB, mReturn, at(5, 9, 0)})
	// E: land certificates at commune A, received Mon 2 Nov (due Mon 30 Nov
	// 09:00); Tax overruns its 5 days; returned early on Tue 17 Nov: 5340 min.
	cohort(15, deskA, land, at(2, 9, 0),
		step{deskA, mForward, at(2, 9, 30)}, step{cvA, mTransfer, at(4, 9, 30)}, step{env, mTransfer, at(5, 10, 0)},
		step{tax, mTransfer, at(16, 10, 0)}, step{env, mReturn, at(17, 10, 0)})
	// F: land certificates left at the commune: overdue at the month's end.
	cohort(10, deskA, land, at(2, 9, 0), step{deskA, mForward, at(2, 9, 30)})
	// G: birth registrations of Mon 30 Nov, due Tue 1 Dec: in progress on time.
	// Submitted online at 08:55 and accepted at 09:00.
	cohort(5, deskA, onlineBirth, at(30, 8, 55), step{deskA, `mutation($id: ID!) { acceptDossier(id: $id) { state } }`, at(30, 9, 0)}, step{deskA, mForward, at(30, 9, 10)})
	// H: company registrations (lead: Finance, with a fee paid online, every
	// component digitised) refused at the desk.
	cohort(8, deskP, company, at(3, 9, 0), step{deskP, mRefuse, at(3, 10, 0)})
	// I: received Fri 30 Oct, returned Mon 2 Nov 08:00 (due 09:00): finished in November only, 420 min.
	cohort(6, deskA, birth, time.Date(2026, 10, 30, 9, 0, 0, 0, loc), step{deskA, mForward, time.Date(2026, 10, 30, 9, 10, 0, 0, loc)}, step{cvA, mReturn, at(2, 8, 0)})
	// J: received Fri 27 Nov (due Mon 30 Nov 09:00), returned Tue 1 Dec: open and overdue at the month's end.
	cohort(4, deskA, birth, at(27, 9, 0), step{deskA, mForward, at(27, 9, 10)}, step{cvA, mReturn, time.Date(2026, 12, 1, 9, 0, 0, 0, loc)})
	// K: marriage registrations apologized for, returned Thu: LATE against the original appointment, 960 min.
	cohort(3, deskB, marriage, at(3, 9, 0), step{deskB, mForward, at(3, 9, 5)}, step{e.as("ld.dongha"), mApology, at(3, 14, 0)}, step{cvB, mReturn, at(5, 9, 0)})
	// L: land certificates sent back twice by Environment, open at the commune.
	cohort(2, deskA, land, at(2, 9, 0),
		step{deskA, mForward, at(2, 9, 30)}, step{cvA, mTransfer, at(4, 9, 30)}, step{env, mSendBack, at(5, 10, 0)},
		step{cvA, mTransfer, at(6, 9, 0)}, step{env, mSendBack, at(9, 9, 0)})
	e.clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))
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
		num(got, "received"), num(got, "finished"), num(got, "early"), num(got, "onTime"), num(got, "late"),
		num(got, "cancelled"), num(got, "inProgressOnTime"), num(got, "inProgressOverdue"),
		num(got, "supplement2Plus"), num(got, "sendBack2Plus"), 0,
	}
	if avg, ok := get(got, "averageProcessingMinutes").(float64); ok {
		g.minutes = int(avg*float64(g.finished) + 0.5)
	}
	if g != want {
		t.Errorf("%s:\n got %+v\nwant %+v", label, g, want)
	}
	if want.finished > 0 {
		rate, _ := get(got, "onTimeRate").(float64)
		if w := 100 * float64(want.early+want.onTime) / float64(want.finished); fmt.Sprintf("%.4f", rate) != fmt.Sprintf("%.4f", w) {
			t.Errorf("%s: onTimeRate = %v, want %.4f", label, rate, w)
		}
	}
}

func rowByKey(t *testing.T, rep any, key string) any {
	t.Helper()
	for _, r := range get(rep, "rows").([]any) {
		if str(r, "key") == key {
			return r
		}
	}
	t.Fatalf("no row %q in %v", key, get(rep, "rows"))
	return nil
}

// TestPerformanceReport asserts every figure of November 2026 against
// hand-computed expectations, by dossier and by leg, on both databases.
func TestPerformanceReport(t *testing.T) {
	eachDBWith(t, &demo.Options{Now: testNow, Dossiers: -1}, func(t *testing.T, e *env) {
		reportDataset(t, e)
		checkRollups(t, e)
		analyst := e.as("analyst")
		q := `query($p: PeriodInput!, $g: ReportGroupBy!, $v: ReportView!) { performance(period: $p, groupBy: $g, view: $v) {
		  period { from to } asOf rows { ` + perfFields + ` } total { ` + perfFields + ` } } }`
		nov := map[string]any{"year": 2026, "month": 11}
		rep := get(e.mustDo(analyst, q, map[string]any{"p": nov, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		if str(rep, "period", "from") != "2026-11-01T00:00:00+07:00" || str(rep, "period", "to") != "2026-12-01T00:00:00+07:00" || str(rep, "asOf") != "2026-12-01T00:00:00+07:00" {
			t.Errorf("period = %v, asOf %s", get(rep, "period"), str(rep, "asOf"))
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
		if n := len(get(rep, "rows").([]any)); n != 3 {
			t.Errorf("rows = %d, want 3 (communes A, B and Finance): Tax leads no dossier", n)
		}
		checkRow(t, "total by dossier", get(rep, "total"), row{
			received: 147, finished: 124, early: 55, onTime: 46, late: 23, cancelled: 8, openOnTime: 5, openOverdue: 16,
			supp2: 10, sendBack2: 2, minutes: 126120 + 10380,
		})
		// By leg, Tax carries the lateness of the E cohort: 5 days due
		// Thu 12 Nov 10:00, handed on Mon 16 Nov 10:00, 3360 working minutes.
		legs := get(e.mustDo(analyst, q, map[string]any{"p": nov, "g": "AGENCY", "v": "LEG"}), "performance")
		checkRow(t, "Tax by leg", rowByKey(t, legs, demo.Tax), row{received: 15, finished: 15, late: 15, minutes: 15 * 3360})
		env := rowByKey(t, legs, demo.Environment)
		if num(env, "received") != 34 || num(env, "finished") != 34 || num(env, "early") != 34 || num(env, "sendBack2Plus") != 2 {
			t.Errorf("Environment by leg = %v, want 34 legs received and finished early, 2 dossiers sent back twice", env)
		}
		// By procedure and by field.
		procs := get(e.mustDo(analyst, q, map[string]any{"p": nov, "g": "PROCEDURE", "v": "DOSSIER"}), "performance")
		land := rowByKey(t, procs, "1.013978")
		if num(land, "received") != 27 || num(land, "finished") != 15 || num(land, "early") != 15 || num(land, "inProgressOverdue") != 12 || str(land, "name") == "" {
			t.Errorf("land procedure = %v", land)
		}
		fields := get(e.mustDo(analyst, q, map[string]any{"p": nov, "g": "FIELD", "v": "DOSSIER"}), "performance")
		if civil := rowByKey(t, fields, "Hộ tịch"); num(civil, "received") != 99+13 || num(civil, "late") != 23 {
			t.Errorf("civil status field = %v, want 112 received and 23 late", civil)
		}
		// The fourth quarter adds October's six receipts and J's four late
		// returns of 1 December; it is judged now (1 Dec 10:00), when G's
		// five (due 09:00) are overdue too.
		q4 := get(e.mustDo(analyst, q, map[string]any{"p": map[string]any{"year": 2026, "quarter": 4}, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		checkRow(t, "Q4 total", get(q4, "total"), row{
			received: 153, finished: 128, early: 55, onTime: 46, late: 27, cancelled: 8, openOverdue: 12 + 5,
			supp2: 10, sendBack2: 2, minutes: 126120 + 10380 + 4*960,
		})
		if str(q4, "asOf") != "2026-12-01T10:00:00+07:00" {
			t.Errorf("Q4 asOf = %s, want now", str(q4, "asOf"))
		}
		// The trend over the fourth quarter: October holds cohort I's six
		// receipts, November the month above, December J's four returns.
		trend := get(e.mustDo(analyst, `{ performanceTrend(period: {year: 2026, quarter: 4}, interval: MONTH) { period { from } figures { received finished late } } }`, nil), "performanceTrend").([]any)
		if len(trend) != 3 || str(trend[1], "period", "from") != "2026-11-01T00:00:00+07:00" {
			t.Fatalf("trend = %v, want 3 months", trend)
		}
		for i, w := range [][3]int{{6, 0, 0}, {147, 124, 23}, {0, 4, 4}} {
			if g := [3]int{num(trend[i], "figures", "received"), num(trend[i], "figures", "finished"), num(trend[i], "figures", "late")}; g != w {
				t.Errorf("trend month %d = %v, want received/finished/late %v", i+10, g, w)
			}
		}
		// The lists behind the counts.
		lists := e.mustDo(analyst, `query($p: PeriodInput!) {
		  returnedDossiers(period: $p) { totalCount edges { node { sendBacks leadAgency { code } } } }
		  repeatedSupplements(period: $p, minRounds: 2) { totalCount edges { node { supplementRounds } } }
		  once: repeatedSupplements(period: $p, minRounds: 1) { totalCount } }`, map[string]any{"p": nov})
		if n := num(lists, "returnedDossiers", "totalCount"); n != 2 || num(lists, "returnedDossiers", "edges", 0, "node", "sendBacks") != 2 ||
			str(lists, "returnedDossiers", "edges", 0, "node", "leadAgency", "code") != demo.CommuneA {
			t.Errorf("returnedDossiers = %v, want the two land dossiers of cohort L", get(lists, "returnedDossiers"))
		}
		if n := num(lists, "repeatedSupplements", "totalCount"); n != 10 || num(lists, "once", "totalCount") != 10 {
			t.Errorf("repeatedSupplements = %d (1+ rounds: %d), want 10 and 10", n, num(lists, "once", "totalCount"))
		}
		// Scope: a head reads their own agency; other roles are refused.
		head := get(e.mustDo(e.as("ld.giolinh"), q, map[string]any{"p": nov, "g": "AGENCY", "v": "DOSSIER"}), "performance")
		if rows := get(head, "rows").([]any); len(rows) != 1 || str(rows[0], "key") != demo.CommuneA {
			t.Errorf("commune A head sees rows %v, want their agency only", rows)
		}
		taxID, _ := demo.AgencyID(t.Context(), e.app.db.Client, demo.Tax)
		other := `query($p: PeriodInput!, $a: [ID!]) { performance(period: $p, agencyIDs: $a) { total { received } } }`
		if r := e.do(e.as("ld.giolinh"), other, map[string]any{"p": nov, "a": []string{fmt.Sprint(taxID)}}); r.code() != "FORBIDDEN" {
			t.Errorf("a head asking for another agency: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(e.as("desk.giolinh"), other, map[string]any{"p": nov}); r.code() != "FORBIDDEN" {
			t.Errorf("a desk officer asking for a report: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(analyst, other, map[string]any{"p": map[string]any{"year": 2026, "from": "2026-01-01T00:00:00Z"}}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("year and from together: %s, want BAD_USER_INPUT", r.raw)
		}
	})
}

// TestPerformanceCSV: the export gives the GraphQL figures as UTF-8 CSV
// with a byte-order mark, Vietnamese or English headers, behind the same
// authentication and roles.
func TestPerformanceCSV(t *testing.T) {
	eachDBWith(t, &demo.Options{Now: testNow, Dossiers: -1}, func(t *testing.T, e *env) {
		reportDataset(t, e)
		get := func(token, query string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, "/export/performance.csv?"+query, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			return rec
		}
		rec := get(e.as("analyst"), "year=2026&month=11&groupBy=AGENCY&view=DOSSIER")
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
		if en := get(e.as("analyst"), "year=2026&month=11&lang=en"); !strings.Contains(en.Body.String(), "on-time rate (%)") {
			t.Errorf("English header missing: %s", en.Body.String())
		}
		// The lists and the ratings export the same way.
		readCSV := func(path string) [][]string {
			t.Helper()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Authorization", "Bearer "+e.as("analyst"))
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
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
			{e.as("desk.giolinh"), "year=2026", http.StatusForbidden},
			{e.as("analyst"), "year=2026&from=2026-01-01T00:00:00Z", http.StatusBadRequest},
			{e.as("analyst"), "year=2026&lang=fr", http.StatusBadRequest},
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
	eachDBWith(t, &demo.Options{Now: testNow, Dossiers: -1}, func(t *testing.T, e *env) {
		reportDataset(t, e)
		analyst := e.as("analyst")
		const set = `mutation($a: ID!, $s: Float!) { setParIndex(agencyID: $a, year: 2026, score: $s) { score } }`
		id := func(code string) string {
			n, err := demo.AgencyID(t.Context(), e.app.db.Client, code)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(n)
		}
		if r := e.do(e.as("ld.giolinh"), set, map[string]any{"a": id(demo.CommuneA), "s": 99}); r.code() != "FORBIDDEN" {
			t.Errorf("a head entering their own PAR score: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(analyst, set, map[string]any{"a": id(demo.CommuneA), "s": 101}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("PAR 101: %s, want BAD_USER_INPUT", r.raw)
		}
		e.mustDo(analyst, set, map[string]any{"a": id(demo.CommuneA), "s": 50}) // corrected below
		for code, score := range map[string]float64{demo.CommuneA: 92, demo.CommuneB: 70, demo.Environment: 93, demo.Tax: 95, demo.ServiceDesk: 82, demo.Finance: 60} {
			e.mustDo(analyst, set, map[string]any{"a": id(code), "s": score})
		}
		got := e.mustDo(analyst, `{ headRating(year: 2026) { agency { code } parScore finished late lateRate rating reason } }`, nil)
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
		rows := get(got, "headRating").([]any)
		if len(rows) != len(want) {
			t.Errorf("ratings = %d rows, want %d: %v", len(rows), len(want), rows)
		}
		for _, r := range rows {
			w, ok := want[str(r, "agency", "code")]
			if !ok || num(r, "finished") != w.finished || num(r, "late") != w.late || str(r, "rating") != w.rating || str(r, "reason") != w.reason {
				t.Errorf("rating %v, want %+v", r, w)
			}
		}
		own := get(e.mustDo(e.as("ld.giolinh"), `{ headRating(year: 2026) { agency { code } rating } }`, nil), "headRating").([]any)
		if len(own) != 1 || str(own[0], "agency", "code") != demo.CommuneA {
			t.Errorf("commune A head sees %v, want their own rating only", own)
		}
	})
}

// TestServiceIndex: the Decision 766 progress figures of November 2026,
// computed by hand from the cohorts, with three complaints recorded.
func TestServiceIndex(t *testing.T) {
	eachDBWith(t, &demo.Options{Now: testNow, Dossiers: -1}, func(t *testing.T, e *env) {
		reportDataset(t, e)
		late := e.mustDo(e.as("analyst"), `{ dossiers(first: 3, where: {hasLegsWith: {judgement: LATE}, applicantName: "Khai Sinh", receivedAtLT: "2026-11-04T00:00:00+07:00"}) { edges { node { id } } } }`, nil)
		const complain = `mutation($id: ID!, $n: String!) { recordComplaint(id: $id, note: $n) { complained } }`
		for _, ed := range get(late, "dossiers", "edges").([]any) {
			id := str(ed, "node", "id")
			if r := e.do(e.as("desk.dongha"), complain, map[string]any{"id": id, "n": "Trả kết quả chậm"}); r.code() != "NOT_FOUND" {
				t.Errorf("complaint by another desk: %s, want NOT_FOUND", r.raw)
			}
			if r := e.do(e.as("desk.giolinh"), complain, map[string]any{"id": id, "n": " "}); r.code() != "BAD_USER_INPUT" {
				t.Errorf("complaint without a note: %s, want BAD_USER_INPUT", r.raw)
			}
			if c := e.mustDo(e.as("desk.giolinh"), complain, map[string]any{"id": id, "n": "Trả kết quả chậm"}); get(c, "recordComplaint", "complained") != true {
				t.Errorf("complaint not recorded: %v", c)
			}
		}
		si := get(e.mustDo(e.as("analyst"), `{ serviceIndex(period: {year: 2026, month: 11}) {
		  judged onTime late onTimeRate finished averageProcessingDays received online onlineRate digitized digitizationRate
		  withFee paidOnline onlinePaymentRate complained complaintRate satisfaction } }`, nil), "serviceIndex")
		// 124 finished with a result + 21 open at the month's end (F, G, J, L).
		// On time: 55 early + 46 on time − D's 10 (two supplementation
		// rounds) + G's 5 open and not yet due = 96.
		want := map[string]int{"judged": 145, "onTime": 96, "late": 49, "finished": 124, "received": 147, "online": 5,
			"digitized": 8, "withFee": 8, "paidOnline": 8, "complained": 3}
		for k, w := range want {
			if g := num(si, k); g != w {
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
			if g, _ := get(si, k).(float64); fmt.Sprintf("%.6f", g) != fmt.Sprintf("%.6f", w) {
				t.Errorf("%s = %v, want %.6f", k, get(si, k), w)
			}
		}
	})
}

// TestBulkSeed: the bulk generator behind `seed --dossiers N` writes
// dossiers whose history is consistent (each state is its last event's
// target, versions count the events, closed legs are judged) and the
// reports count them all.
func TestBulkSeed(t *testing.T) {
	const n = demo.BulkThreshold + 500
	eachDBWith(t, &demo.Options{Now: testNow, Dossiers: n}, func(t *testing.T, e *env) {
		ctx := auth.SystemContext(t.Context())
		ds, err := e.app.db.Client.Dossier.Query().WithEvents().WithLegs().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != n {
			t.Fatalf("dossiers = %d, want %d", len(ds), n)
		}
		bad := 0
		for _, d := range ds {
			evs := d.Edges.Events
			slices.SortFunc(evs, func(a, b *ent.DossierEvent) int { return a.Seq - b.Seq })
			ok := len(evs) == d.Version && evs[len(evs)-1].ToState == d.State
			for i, ev := range evs {
				ok = ok && ev.Seq == i+1 && (i == 0 || !ev.At.Before(evs[i-1].At))
			}
			for _, l := range d.Edges.Legs {
				ok = ok && (l.FinishedAt == nil) == (l.Judgement == leg.JudgementPending)
			}
			ok = ok && (d.Judgement != nil) == (d.State == "RETURNED" || d.State == "COMPLETED")
			if !ok && bad < 3 {
				t.Errorf("inconsistent dossier %s: state %s version %d events %d", d.Code, d.State, d.Version, len(evs))
			}
			if !ok {
				bad++
			}
		}
		if bad > 0 {
			t.Fatalf("%d inconsistent dossiers", bad)
		}
		checkRollups(t, e)
		rep := e.mustDo(e.as("analyst"), `{ performance(period: {from: "2025-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { total { received finished early onTime late } } }`, nil)
		total := get(rep, "performance", "total")
		if got := num(total, "received"); got != n-1 { // the story left SUBMITTED has no receipt
			t.Errorf("received = %d, want %d", got, n-1)
		}
		if num(total, "finished") != num(total, "early")+num(total, "onTime")+num(total, "late") || num(total, "late") == 0 {
			t.Errorf("finished figures do not add up: %v", total)
		}
	})
}

// checkRollups asserts that the roll-ups kept so far (by the engine's
// transitions, or the bulk generator) equal a rebuild from the dossiers and
// legs, and that reports read from them equal reports read from the
// dossiers and legs, for past and running periods, every view and grouping.
func checkRollups(t *testing.T, e *env) {
	t.Helper()
	ctx := auth.SystemContext(t.Context())
	read := func() []string {
		rows, err := e.app.db.Client.Rollup.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			f := [...]int64{r.Received, r.Finished, r.Early, r.OnTime, r.Late, r.Cancelled, r.Minutes, r.Opened, r.Closed, r.Due, r.Settled, r.Supplement2, r.SendBack2}
			if f != [len(f)]int64{} {
				out = append(out, fmt.Sprintf("%s %d a%d p%d s%d %v", r.Kind, r.Day, r.AgencyID, r.ProcedureID, r.Shard, f))
			}
		}
		slices.Sort(out)
		return out
	}
	kept := read()
	if err := workflow.RebuildRollups(ctx, e.app.db.Client, e.app.db.Dialect); err != nil {
		t.Fatal(err)
	}
	rebuilt := read()
	if len(kept) == 0 || !slices.Equal(kept, rebuilt) {
		for i := range max(len(kept), len(rebuilt)) {
			if i >= len(kept) || i >= len(rebuilt) || kept[i] != rebuilt[i] {
				t.Fatalf("roll-ups kept (%d rows) differ from a rebuild (%d rows) at row %d:\n kept    %v\n rebuilt %v",
					len(kept), len(rebuilt), i, kept[min(i, len(kept)-1)], rebuilt[min(i, len(rebuilt)-1)])
			}
		}
	}
	analyst := auth.NewContext(t.Context(), &auth.Viewer{Subject: "analyst", Roles: []auth.Role{auth.RoleAnalyst}})
	fast := report.New(e.app.db.Driver, e.app.db.Client, e.clock)
	slow := fast.WithoutRollups()
	y, q4, m10, m11, m12 := 2026, 4, 10, 11, 12
	from, to := time.Date(2026, 11, 10, 0, 0, 0, 0, calendar.VietnamLocation()), time.Date(2026, 11, 20, 0, 0, 0, 0, calendar.VietnamLocation())
	periods := map[string]report.PeriodInput{
		"October": {Year: &y, Month: &m10}, "November": {Year: &y, Month: &m11}, "December": {Year: &y, Month: &m12},
		"Q4": {Year: &y, Quarter: &q4}, "2026": {Year: &y}, "10–20 November": {From: &from, To: &to},
	}
	counted := 0
	for name, p := range periods {
		for _, view := range []report.View{report.ByDossier, report.ByLeg} {
			for _, by := range []report.GroupBy{report.ByAgency, report.ByProcedure, report.ByField} {
				in := report.PerformanceInput{Period: p, View: view, GroupBy: by}
				a, err := fast.Performance(analyst, in)
				if err != nil {
					t.Fatal(err)
				}
				b, err := slow.Performance(analyst, in)
				if err != nil {
					t.Fatal(err)
				}
				if fa, fb := figures(a), figures(b); fa != fb {
					t.Errorf("%s by %s, %s view: from roll-ups\n %s\nfrom dossiers\n %s", name, by, view, fa, fb)
				}
				counted += a.Total.Received
			}
		}
	}
	if counted == 0 {
		t.Error("nothing counted in any period")
	}
}

func figures(rep *report.PerformanceReport) string {
	var b strings.Builder
	for _, r := range append(rep.Rows, rep.Total) {
		c := *r
		c.AgencyID = nil
		fmt.Fprintf(&b, "%+v\n", c)
	}
	return b.String()
}
