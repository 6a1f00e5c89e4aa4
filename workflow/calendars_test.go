package workflow_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lienthong/calendar"
	"lienthong/server/servertest"
)

func TestWorkingTimeQueries(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	tok := e.As("analyst")
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
		d := e.MustDo(tok, `query($f: Time!, $d: Float!) { workingDeadline(from: $f, workingDays: $d) }`, map[string]any{"f": tc.from, "d": tc.days})
		if got := servertest.Str(d, "workingDeadline"); got != tc.want {
			t.Errorf("workingDeadline(%s, %v) = %s, want %s", tc.from, tc.days, got, tc.want)
		}
	}
	d := e.MustDo(tok, `{ workingMinutesBetween(from: "2025-01-24T07:30:00+07:00", to: "2025-02-04T07:30:00+07:00") }`, nil)
	if got := servertest.Num(d, "workingMinutesBetween"); got != 2*480 {
		t.Errorf("workingMinutesBetween across Tết = %d, want 960", got)
	}
	if r := e.Do(tok, `{ workingDeadline(from: "2025-01-01T00:00:00Z", workingDays: -1) }`, nil); r.Code() != "BAD_USER_INPUT" {
		t.Errorf("negative days: code = %q, want BAD_USER_INPUT", r.Code())
	}
}

// notice2027 is a notice for 2027 as the ministry could issue it: Tết
// Thu 4 – Wed 10 Feb (the provisional rule says Fri 5 – Thu 11), the
// make-up Monday for 1 May, and Wed 1 Sep off in exchange for Sat 28 Aug.
func notice2027() []map[string]any {
	day := func(date string, working bool, name string) map[string]any {
		return map[string]any{"date": date, "working": working, "name": name}
	}
	return []map[string]any{
		day("2027-01-01", false, "Tết Dương lịch"),
		day("2027-02-04", false, "Tết Nguyên đán (28 tháng Chạp)"),
		day("2027-02-05", false, "Tết Nguyên đán (29 tháng Chạp)"),
		day("2027-02-08", false, "Tết Nguyên đán (mùng 3)"),
		day("2027-02-09", false, "Tết Nguyên đán (mùng 4)"),
		day("2027-02-10", false, "Tết Nguyên đán (mùng 5)"),
		day("2027-04-16", false, "Giỗ Tổ Hùng Vương"),
		day("2027-04-30", false, "Ngày Giải phóng miền Nam"),
		day("2027-05-03", false, "Nghỉ bù Ngày Quốc tế Lao động"),
		day("2027-08-28", true, "Làm bù cho thứ Tư 01/9"),
		day("2027-09-01", false, "Nghỉ hoán đổi"),
		day("2027-09-02", false, "Quốc khánh"),
		day("2027-09-03", false, "Quốc khánh (ngày liền kề)"),
	}
}

const (
	setNotice = `mutation($in: CalendarNoticeInput!) { setCalendarNotice(input: $in) { year status workingDays } }`
	yearQuery = `query($y: Int!) { calendarYear(year: $y) { year status workingDays notice { reference issuedOn } days { date working name source provisional } } }`
	deadline  = `query($f: Time!, $d: Float!) { workingDeadline(from: $f, workingDays: $d) }`
)

func yearDay(t *testing.T, y map[string]any, date string) map[string]any {
	t.Helper()
	for _, d := range servertest.Get(y, "calendarYear", "days").([]any) {
		if d := d.(map[string]any); d["date"] == date {
			return d
		}
	}
	t.Fatalf("calendarYear lists no %s", date)
	return nil
}

// TestCalendarNotice walks 2027 from PROVISIONAL to CONFIRMED: the
// statutory days count deadlines and flag them until the notice is
// entered, an impossible notice is refused, and the notice's days count
// from then on.
func TestCalendarNotice(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		admin := e.As("admin")
		due := func(from string, days float64) string {
			return servertest.Str(e.MustDo(admin, deadline, map[string]any{"f": from, "d": days}), "workingDeadline")
		}
		// Public: no token.
		y := e.MustDo("", yearQuery, map[string]any{"y": 2027})
		if got := servertest.Str(y, "calendarYear", "status"); got != "PROVISIONAL" || servertest.Get(y, "calendarYear", "notice") != nil {
			t.Errorf("2027 before its notice: status %s, notice %v, want PROVISIONAL and none", got, servertest.Get(y, "calendarYear", "notice"))
		}
		if got := servertest.Num(y, "calendarYear", "workingDays"); got != 250 {
			t.Errorf("2027 provisional working days = %d, want 250 (261 weekdays, 11 off)", got)
		}
		for date, want := range map[string]string{"2027-01-01": "STATUTORY false", "2027-02-05": "STATUTORY true", "2027-02-11": "MAKE_UP true", "2027-05-03": "MAKE_UP false"} {
			d := yearDay(t, y, date)
			if got := fmt.Sprintf("%s %v", d["source"], d["provisional"]); got != want {
				t.Errorf("2027 provisional %s: %s, want %s", date, got, want)
			}
		}
		if got := due("2026-12-30T16:00:00+07:00", 2); got != "2027-01-04T16:00:00+07:00" {
			t.Errorf("2 working days from 30 Dec 2026 16:00 = %s, want Mon 2027-01-04 16:00 (1 Jan off)", got)
		}
		if got := due("2027-02-03T16:00:00+07:00", 1); got != "2027-02-04T16:00:00+07:00" {
			t.Errorf("provisional Tết 2027: 1 working day from Wed 3 Feb 16:00 = %s, want Thu 4 Feb 16:00", got)
		}

		// A dossier received on 31 Dec 2026 has its appointment in 2027.
		e.Clock.Set(time.Date(2026, 12, 31, 10, 0, 0, 0, calendar.VietnamLocation()))
		const flags = `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt appointmentProvisional legs { dueAt dueProvisional } } } }`
		id := servertest.Str(e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Nguyễn Năm Mới")}), "receiveDossier", "id")
		before := e.MustDo(admin, flags, map[string]any{"id": id})
		if !strings.HasPrefix(servertest.Str(before, "node", "appointmentAt"), "2027-") || servertest.Get(before, "node", "appointmentProvisional") != true {
			t.Errorf("dossier due in provisional 2027: %v, want an appointment in 2027, provisional", before["node"])
		}
		for _, l := range servertest.Get(before, "node", "legs").([]any) {
			l := l.(map[string]any)
			if want := strings.HasPrefix(l["dueAt"].(string), "2027-"); l["dueProvisional"] != want {
				t.Errorf("leg due %s: dueProvisional %v, want %v", l["dueAt"], l["dueProvisional"], want)
			}
		}

		refused := []struct {
			name, field, says string
			edit              func(in map[string]any)
		}{
			{"no reference", "input.reference", "number", func(in map[string]any) { in["reference"] = " " }},
			{"issued after the year", "input.issuedOn", "2028", func(in map[string]any) { in["issuedOn"] = "2028-01-02" }},
			{"a date of another year", "input.days[0].date", "not in 2027", func(in map[string]any) { in["days"].([]map[string]any)[0]["date"] = "2026-01-01" }},
			{"a holiday on a Saturday", "input.days[0].date", "Saturday", func(in map[string]any) { in["days"].([]map[string]any)[0]["date"] = "2027-01-02" }},
			{"30 April left out", "input.days", "2027-04-30", func(in map[string]any) {
				in["days"] = slices.DeleteFunc(in["days"].([]map[string]any), func(d map[string]any) bool { return d["date"] == "2027-04-30" })
			}},
			{"a day of Tết left out", "input.days", "missing", func(in map[string]any) {
				in["days"] = slices.DeleteFunc(in["days"].([]map[string]any), func(d map[string]any) bool { return d["date"] == "2027-02-10" })
			}},
			{"a Saturday worked for nothing", "input.days", "in exchange", func(in map[string]any) {
				in["days"] = slices.DeleteFunc(in["days"].([]map[string]any), func(d map[string]any) bool { return d["date"] == "2027-09-01" })
			}},
		}
		for _, tc := range refused {
			in := map[string]any{"year": 2027, "reference": "Thông báo số 1/TB-BNV", "issuedOn": "2026-11-20", "days": notice2027()}
			tc.edit(in)
			r := e.Do(admin, setNotice, map[string]any{"in": in})
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field || !strings.Contains(r.Errors[0].Message, tc.says) {
				t.Errorf("%s: %s, want BAD_USER_INPUT on %s saying %q", tc.name, r.Raw, tc.field, tc.says)
			}
		}
		in := map[string]any{"year": 2027, "reference": "Thông báo số 1/TB-BNV", "issuedOn": "2026-11-20", "days": notice2027()}
		if r := e.Do(e.As("analyst"), setNotice, map[string]any{"in": in}); r.Code() != "FORBIDDEN" {
			t.Errorf("analyst setCalendarNotice: code = %q, want FORBIDDEN", r.Code())
		}
		if got := servertest.Str(e.MustDo("", yearQuery, map[string]any{"y": 2027}), "calendarYear", "status"); got != "PROVISIONAL" {
			t.Errorf("2027 after refused notices: %s, want PROVISIONAL", got)
		}

		set := e.MustDo(admin, setNotice, map[string]any{"in": in})
		if got := servertest.Str(set, "setCalendarNotice", "status"); got != "CONFIRMED" {
			t.Errorf("setCalendarNotice: status %s, want CONFIRMED", got)
		}
		y = e.MustDo("", yearQuery, map[string]any{"y": 2027})
		if got := servertest.Str(y, "calendarYear", "notice", "reference") + " " + servertest.Str(y, "calendarYear", "notice", "issuedOn"); got != "Thông báo số 1/TB-BNV 2026-11-20" {
			t.Errorf("2027 notice = %q", got)
		}
		if got := servertest.Num(y, "calendarYear", "workingDays"); got != 250 {
			t.Errorf("2027 confirmed working days = %d, want 250 (the swap changes none)", got)
		}
		for date, want := range map[string]string{"2027-01-01": "STATUTORY false false", "2027-02-04": "NOTICE false false", "2027-05-03": "MAKE_UP false false", "2027-08-28": "NOTICE true false"} {
			d := yearDay(t, y, date)
			if got := fmt.Sprintf("%s %v %v", d["source"], d["working"], d["provisional"]); got != want {
				t.Errorf("2027 confirmed %s: %s, want %s", date, got, want)
			}
		}
		if got := due("2027-02-03T16:00:00+07:00", 1); got != "2027-02-11T16:00:00+07:00" {
			t.Errorf("confirmed Tết 2027: 1 working day from Wed 3 Feb 16:00 = %s, want Thu 11 Feb 16:00", got)
		}
		// Due times already given stay as given (the appointment is the
		// receipt's promise); they no longer hang on a provisional year.
		after := e.MustDo(admin, flags, map[string]any{"id": id})
		if servertest.Get(after, "node", "appointmentProvisional") != false ||
			servertest.Str(after, "node", "appointmentAt") != servertest.Str(before, "node", "appointmentAt") {
			t.Errorf("dossier after the notice: %v, want the same appointment (was %v), no longer provisional", after["node"], before["node"])
		}

		// The deprecated mutation replaces the days and keeps the reference.
		const setDays = `mutation($y: Int!, $d: [CalendarDayInput!]!) { setCalendarDays(year: $y, days: $d) { date working } }`
		e.MustDo(admin, setDays, map[string]any{"y": 2027, "d": notice2027()})
		if got := servertest.Str(e.MustDo("", yearQuery, map[string]any{"y": 2027}), "calendarYear", "notice", "reference"); got != "Thông báo số 1/TB-BNV" {
			t.Errorf("setCalendarDays lost the notice's reference: %q", got)
		}
		// The real notices pass the same checks.
		for _, year := range []int{2025, 2026} {
			var days []map[string]any
			for _, o := range calendar.VietnamOverrides(year) {
				days = append(days, map[string]any{"date": o.Date.String(), "working": o.Working, "name": o.Name})
			}
			e.MustDo(admin, setNotice, map[string]any{"in": map[string]any{"year": year, "reference": "Thông báo của Bộ Nội vụ", "issuedOn": fmt.Sprintf("%d-11-01", year-1), "days": days}})
		}
		if r := e.Do(admin, `{ calendarYear(year: 2200) { status } }`, nil); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("calendarYear(2200): code %q, want BAD_USER_INPUT", r.Code())
		}
	})
}

// TestCalendarFreshDatabase: a database no seed has touched has the 2025
// and 2026 notices (shipped by a migration) and the Labour Code's days of
// every other year.
func TestCalendarFreshDatabase(t *testing.T) {
	servertest.Each(t, servertest.Empty, func(t *testing.T, e *servertest.Env) {
		// Public, as on a server no province has gone live on yet.
		for _, tc := range []struct {
			from string
			days float64
			want string
		}{
			{"2025-01-23T09:00:00+07:00", 5, "2025-02-06T09:00:00+07:00"}, // Tết 2025, the notice's days
			{"2026-12-30T16:00:00+07:00", 2, "2027-01-04T16:00:00+07:00"}, // 1 Jan 2027, the law's
		} {
			got := servertest.Str(e.MustDo("", deadline, map[string]any{"f": tc.from, "d": tc.days}), "workingDeadline")
			if got != tc.want {
				t.Errorf("fresh database: %v working days from %s = %s, want %s", tc.days, tc.from, got, tc.want)
			}
		}
		for _, year := range []int{2025, 2026} {
			y := e.MustDo("", yearQuery, map[string]any{"y": year})
			if got := servertest.Str(y, "calendarYear", "status"); got != "CONFIRMED" {
				t.Errorf("fresh database: %d is %s, want CONFIRMED", year, got)
			}
			var got []string
			for _, d := range servertest.Get(y, "calendarYear", "days").([]any) {
				d := d.(map[string]any)
				got = append(got, fmt.Sprintf("%s %v %s", d["date"], d["working"], d["name"]))
			}
			var want []string
			for _, o := range calendar.VietnamOverrides(year) {
				want = append(want, fmt.Sprintf("%s %v %s", o.Date, o.Working, o.Name))
			}
			if !slices.Equal(got, want) {
				t.Errorf("fresh database: %d's days\n got %q\nwant %q", year, got, want)
			}
		}
	})
}
