package workflow_test

import (
	"strings"
	"testing"

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

func TestCalendarAdmin(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	admin := e.As("admin")
	const set = `mutation($y: Int!, $d: [CalendarDayInput!]!) { setCalendarDays(year: $y, days: $d) { date working } }`
	r := e.Do(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2027-01-02", "working": false}}})
	if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "Saturday") {
		t.Errorf("day off on a Saturday: %s, want BAD_USER_INPUT naming Saturday", r.Raw)
	}
	r = e.Do(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2026-01-05", "working": false}}})
	if r.Code() != "BAD_USER_INPUT" {
		t.Errorf("date outside the year: code = %q, want BAD_USER_INPUT", r.Code())
	}
	e.MustDo(admin, set, map[string]any{"y": 2027, "d": []map[string]any{{"date": "2027-01-01", "working": false, "name": "Tết Dương lịch"}}})
	d := e.MustDo(admin, `{ workingDeadline(from: "2026-12-31T16:00:00+07:00", workingDays: 0.25) }`, nil)
	if got := servertest.Str(d, "workingDeadline"); got != "2027-01-04T08:30:00+07:00" {
		t.Errorf("deadline over New Year 2027 = %s, want 2027-01-04T08:30:00+07:00", got)
	}
	if r := e.Do(e.As("analyst"), set, map[string]any{"y": 2027, "d": []map[string]any{}}); r.Code() != "FORBIDDEN" {
		t.Errorf("analyst setCalendarDays: code = %q, want FORBIDDEN", r.Code())
	}
}
