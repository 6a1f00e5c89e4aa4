package calendar

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Instants in the tests are written as a user reads them on the wall clock in
// Asia/Ho_Chi_Minh, weekday first; wall checks the weekday so that a wrong
// date in a table fails loudly instead of testing the wrong thing.
const (
	wallLayout    = "Mon 2006-01-02 15:04"
	wallLayoutSec = "Mon 2006-01-02 15:04:05"
)

func wall(tb testing.TB, s string) time.Time {
	tb.Helper()
	layout := wallLayout
	if len(s) == len(wallLayoutSec) {
		layout = wallLayoutSec
	}
	t, err := time.ParseInLocation(layout, s, VietnamLocation())
	if err != nil {
		tb.Fatalf("bad test instant %q: %v", s, err)
	}
	if got := t.Format("Mon"); got != s[:3] {
		tb.Fatalf("bad test instant %q: %s is a %s", s, s[4:14], got)
	}
	return t
}

func fmtWall(t time.Time) string {
	return t.In(VietnamLocation()).Format(wallLayoutSec + " MST")
}

func TestCalendarAdd(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		name    string
		from    string
		minutes int64
		want    string
	}{
		{"one day skips the weekend", "Fri 2025-03-07 10:00", 480, "Mon 2025-03-10 10:00"},
		{"one day from opening ends at closing", "Mon 2025-03-10 07:30", 480, "Mon 2025-03-10 17:00"},
		{"after hours counts from next morning", "Tue 2025-03-04 18:00", 60, "Wed 2025-03-05 08:30"},
		{"before opening counts from opening", "Tue 2025-03-04 06:00", 60, "Tue 2025-03-04 08:30"},
		{"during lunch counts from 13:00", "Tue 2025-03-04 12:00", 60, "Tue 2025-03-04 14:00"},
		{"half day from opening ends at noon closing", "Tue 2025-03-04 07:30", 240, "Tue 2025-03-04 11:30"},
		{"half day from 09:30 spans lunch", "Tue 2025-03-04 09:30", 240, "Tue 2025-03-04 15:00"},
		{"half day from 09:00 spans lunch", "Tue 2025-03-04 09:00", 240, "Tue 2025-03-04 14:30"},
		{"budget ending at 11:30 stays at 11:30", "Tue 2025-03-04 10:30", 60, "Tue 2025-03-04 11:30"},
		{"one minute after 11:30 is 13:01", "Tue 2025-03-04 10:30", 61, "Tue 2025-03-04 13:01"},
		{"Friday after hours to Monday", "Fri 2025-03-07 18:00", 60, "Mon 2025-03-10 08:30"},
		{"weekend start counts from Monday", "Sat 2025-03-08 10:00", 480, "Mon 2025-03-10 17:00"},
		{"20 working days", "Mon 2025-03-03 07:30", 20 * 480, "Fri 2025-03-28 17:00"},
		{"seconds are truncated", "Tue 2025-03-04 10:00:45", 60, "Tue 2025-03-04 11:00:00"},
		{"closing instant counts from next morning", "Tue 2025-03-04 17:00", 30, "Wed 2025-03-05 08:00"},

		{"Tết 2025 one day", "Fri 2025-01-24 10:00", 480, "Mon 2025-02-03 10:00"},
		{"Tết 2025 fifteen days", "Mon 2025-01-20 07:30", 15 * 480, "Fri 2025-02-14 17:00"},
		{"New Year 2025", "Tue 2024-12-31 10:00", 480, "Thu 2025-01-02 10:00"},
		{"Hùng Kings 2025", "Fri 2025-04-04 10:00", 480, "Tue 2025-04-08 10:00"},
		{"swapped Saturday 26 Apr 2025 is worked", "Fri 2025-04-25 16:00", 120, "Sat 2025-04-26 08:30"},
		{"30 Apr, 1 May and swapped 2 May 2025", "Tue 2025-04-29 16:00", 120, "Mon 2025-05-05 08:30"},
		{"30 Apr 2025 one day", "Tue 2025-04-29 10:00", 480, "Mon 2025-05-05 10:00"},
		{"start on a holiday", "Wed 2025-04-30 09:00", 60, "Mon 2025-05-05 08:30"},
		{"National Day 2025", "Fri 2025-08-29 10:00", 480, "Wed 2025-09-03 10:00"},

		{"New Year 2026", "Wed 2025-12-31 10:00", 480, "Fri 2026-01-02 10:00"},
		{"Tết 2026 one day", "Fri 2026-02-13 10:00", 480, "Mon 2026-02-23 10:00"},
		{"Hùng Kings 2026 make-up Monday", "Fri 2026-04-24 10:00", 480, "Tue 2026-04-28 10:00"},
		{"Hùng Kings make-up then 30 Apr/1 May 2026", "Fri 2026-04-24 10:00", 3 * 480, "Mon 2026-05-04 10:00"},
		{"National Day 2026", "Mon 2026-08-31 10:00", 480, "Thu 2026-09-03 10:00"},

		{"zero after hours is the next opening", "Tue 2025-03-04 18:00", 0, "Wed 2025-03-05 07:30"},
		{"zero at closing is the next opening", "Fri 2025-03-07 17:00", 0, "Mon 2025-03-10 07:30"},
		{"zero at lunch is 13:00", "Tue 2025-03-04 12:00", 0, "Tue 2025-03-04 13:00"},
		{"zero inside a session is the start itself", "Tue 2025-03-04 10:17", 0, "Tue 2025-03-04 10:17"},
		{"zero before Tết 2025", "Fri 2025-01-24 17:30", 0, "Mon 2025-02-03 07:30"},
		{"negative is zero", "Tue 2025-03-04 18:00", -100, "Wed 2025-03-05 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, want := wall(t, tt.from), wall(t, tt.want)
			got := cal.Add(from, tt.minutes)
			if !got.Equal(want) {
				t.Errorf("Add(%s, %d) = %s, want %s", tt.from, tt.minutes, fmtWall(got), fmtWall(want))
			}
			if got.Location() != cal.Location() {
				t.Errorf("Add(%s, %d) location = %v, want %v", tt.from, tt.minutes, got.Location(), cal.Location())
			}
		})
	}
}

func TestCalendarAddOtherLocation(t *testing.T) {
	cal := DefaultCalendar()
	from := time.Date(2025, time.March, 4, 3, 0, 0, 0, time.UTC) // 10:00 in Hanoi
	got := cal.Add(from, 60)
	want := wall(t, "Tue 2025-03-04 11:00")
	if !got.Equal(want) || got.Location() != cal.Location() {
		t.Errorf("Add(%s, 60) = %s, want %s", from, got, fmtWall(want))
	}
}

func TestCalendarAddDays(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		from string
		days float64
		want string
	}{
		{"Tue 2025-03-04 07:30", 0.5, "Tue 2025-03-04 11:30"},
		{"Tue 2025-03-04 07:30", 1.5, "Wed 2025-03-05 11:30"},
		{"Fri 2025-01-24 10:00", 1, "Mon 2025-02-03 10:00"},
		{"Mon 2025-03-03 07:30", 20, "Fri 2025-03-28 17:00"},
		{"Tue 2025-03-04 07:30", 1.0 / 480, "Tue 2025-03-04 07:31"},
		{"Tue 2025-03-04 18:00", 0, "Wed 2025-03-05 07:30"},
		{"Tue 2025-03-04 18:00", -2, "Wed 2025-03-05 07:30"},
		{"Tue 2025-03-04 18:00", math.NaN(), "Wed 2025-03-05 07:30"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s+%gd", tt.from, tt.days), func(t *testing.T) {
			got := cal.AddDays(wall(t, tt.from), tt.days)
			if want := wall(t, tt.want); !got.Equal(want) {
				t.Errorf("AddDays(%s, %g) = %s, want %s", tt.from, tt.days, fmtWall(got), fmtWall(want))
			}
		})
	}
	if got := cal.AddDays(wall(t, "Tue 2025-03-04 07:30"), math.Inf(1)); got.Year() < 1_000_000 {
		t.Errorf("AddDays(+Inf) = %s, want far in the future", got)
	}
}

func TestCalendarBetween(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		name     string
		from, to string
		want     int64
	}{
		{"across Tết 2025", "Fri 2025-01-24 10:00", "Mon 2025-02-03 10:00", 480},
		{"across a weekend", "Fri 2025-03-07 16:00", "Mon 2025-03-10 08:30", 120},
		{"across lunch", "Tue 2025-03-04 11:00", "Tue 2025-03-04 13:30", 60},
		{"one full day", "Mon 2025-03-10 07:30", "Mon 2025-03-10 17:00", 480},
		{"midnight to midnight", "Mon 2025-03-10 00:00", "Tue 2025-03-11 00:00", 480},
		{"into the swapped Saturday", "Fri 2025-04-25 16:00", "Sat 2025-04-26 08:30", 120},
		{"over 30 Apr – 2 May 2025", "Tue 2025-04-29 16:00", "Mon 2025-05-05 08:30", 120},
		{"Hùng Kings 2026 make-up day", "Fri 2026-04-24 17:00", "Tue 2026-04-28 07:30", 0},
		{"all of 2025: 250 working days", "Wed 2025-01-01 00:00", "Thu 2026-01-01 00:00", 250 * 480},
		{"all of 2026: 250 working days", "Thu 2026-01-01 00:00", "Fri 2027-01-01 00:00", 250 * 480},
		// No notice: the Labour Code's 11 weekdays off (provisional Tết
		// 9–15 Feb with two make-up days) leave 251 of the 262 weekdays.
		{"all of 2024: statutory, 251 working days", "Mon 2024-01-01 00:00", "Wed 2025-01-01 00:00", 251 * 480},
		{"seconds are truncated", "Tue 2025-03-04 10:00:59", "Tue 2025-03-04 10:01:00", 1},
		{"within one minute", "Tue 2025-03-04 10:00:01", "Tue 2025-03-04 10:00:59", 0},
		{"equal", "Tue 2025-03-04 10:00", "Tue 2025-03-04 10:00", 0},
		{"reversed", "Tue 2025-03-04 16:00", "Tue 2025-03-04 10:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.Between(wall(t, tt.from), wall(t, tt.to)); got != tt.want {
				t.Errorf("Between(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCalendarNextOpening(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct{ in, want string }{
		{"Tue 2025-03-04 07:29", "Tue 2025-03-04 07:30"},
		{"Tue 2025-03-04 07:30", "Tue 2025-03-04 07:30"},
		{"Tue 2025-03-04 10:00:30", "Tue 2025-03-04 10:00:00"},
		{"Tue 2025-03-04 11:30", "Tue 2025-03-04 13:00"},
		{"Tue 2025-03-04 16:59", "Tue 2025-03-04 16:59"},
		{"Tue 2025-03-04 17:00", "Wed 2025-03-05 07:30"},
		{"Fri 2025-03-07 23:59", "Mon 2025-03-10 07:30"},
		{"Sun 2025-03-09 10:00", "Mon 2025-03-10 07:30"},
		{"Fri 2025-04-25 17:30", "Sat 2025-04-26 07:30"},
		{"Sun 2026-04-26 09:00", "Tue 2026-04-28 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := cal.NextOpening(wall(t, tt.in))
			if want := wall(t, tt.want); !got.Equal(want) {
				t.Errorf("NextOpening(%s) = %s, want %s", tt.in, fmtWall(got), fmtWall(want))
			}
		})
	}
}

func TestCalendarNextWorkingDayStart(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct{ in, want string }{
		{"Tue 2025-03-04 15:30", "Wed 2025-03-05 07:30"}, // after a 15:00 cut-off
		{"Tue 2025-03-04 06:00", "Wed 2025-03-05 07:30"}, // strictly after the date
		{"Fri 2025-03-07 15:30", "Mon 2025-03-10 07:30"},
		{"Fri 2025-01-24 15:30", "Mon 2025-02-03 07:30"},
		{"Fri 2025-04-25 15:30", "Sat 2025-04-26 07:30"},
		{"Tue 2025-04-29 15:30", "Mon 2025-05-05 07:30"},
		{"Fri 2026-04-24 15:30", "Tue 2026-04-28 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := cal.NextWorkingDayStart(wall(t, tt.in))
			if want := wall(t, tt.want); !got.Equal(want) {
				t.Errorf("NextWorkingDayStart(%s) = %s, want %s", tt.in, fmtWall(got), fmtWall(want))
			}
		})
	}
}

func TestCalendarInOfficeHours(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		in   string
		want bool
	}{
		{"Tue 2025-03-04 07:29", false},
		{"Tue 2025-03-04 07:30", true},
		{"Tue 2025-03-04 11:30", true}, // closing instant
		{"Tue 2025-03-04 11:31", false},
		{"Tue 2025-03-04 12:00", false},
		{"Tue 2025-03-04 13:00", true},
		{"Tue 2025-03-04 17:00", true},
		{"Tue 2025-03-04 17:01", false},
		{"Sat 2025-03-08 10:00", false},
		{"Sat 2025-04-26 10:00", true}, // swapped Saturday
		{"Wed 2025-04-30 10:00", false},
		{"Fri 2025-05-02 10:00", false},
		{"Mon 2026-04-27 10:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cal.InOfficeHours(wall(t, tt.in)); got != tt.want {
				t.Errorf("InOfficeHours(%s) = %t, want %t", tt.in, got, tt.want)
			}
		})
	}
}

func TestCalendarIsWorkingDay(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		date string
		want bool
	}{
		{"2025-03-10", true},  // ordinary Monday
		{"2025-03-08", false}, // ordinary Saturday
		{"2025-03-09", false}, // ordinary Sunday
		{"2025-01-01", false}, // Tết Dương lịch
		{"2025-01-29", false}, // Tết Nguyên đán
		{"2025-04-07", false}, // Giỗ Tổ Hùng Vương
		{"2025-04-26", true},  // swapped Saturday, worked
		{"2025-05-02", false}, // swapped Friday, off
		{"2025-09-01", false},
		{"2025-09-02", false},
		{"2025-09-03", true},
		{"2026-02-16", false},
		{"2026-02-23", true},
		{"2026-04-27", false}, // Hùng Kings make-up Monday
		{"2026-09-01", false},
		{"2027-01-01", false}, // no notice for 2027: the Labour Code's holiday, computed
		{"2027-01-04", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d, err := ParseDate(tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if got := cal.IsWorkingDay(d); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %t, want %t", tt.date, got, tt.want)
			}
		})
	}
	// An out-of-range date is normalised: 2025-04-31 is 2025-05-01.
	if got := cal.IsWorkingDay(Date{2025, time.April, 31}); got {
		t.Errorf("IsWorkingDay(2025-04-31) = %t, want false (it is 1 May)", got)
	}
}

func TestNewValidation(t *testing.T) {
	loc := VietnamLocation()
	weekend := []time.Weekday{time.Saturday, time.Sunday}
	d := func(s string) Date {
		dt, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return dt
	}
	tests := []struct {
		name      string
		loc       *time.Location
		sessions  []Session
		weeklyOff []time.Weekday
		overrides []Override
		wantErr   string // substring; "" means valid
	}{
		{"default is valid", loc, DefaultSessions(), weekend, VietnamOverrides(2025), ""},
		{"touching sessions are valid", loc, []Session{{0, 60}, {60, 120}}, nil, nil, ""},
		{"whole day session is valid", loc, []Session{{0, 1440}}, weekend, nil, ""},
		{"nil location", nil, DefaultSessions(), weekend, nil, "location is nil"},
		{"no sessions", loc, nil, weekend, nil, "at least one office session"},
		{"negative start", loc, []Session{{-1, 60}}, weekend, nil, "session 0 [-1 min, 01:00) is invalid"},
		{"end after midnight", loc, []Session{{450, 1441}}, weekend, nil, "session 0 [07:30, 1441 min) is invalid"},
		{"empty session", loc, []Session{{450, 450}}, weekend, nil, "is invalid"},
		{"reversed session", loc, []Session{{690, 450}}, weekend, nil, "is invalid"},
		{"unsorted sessions", loc, []Session{{780, 1020}, {450, 690}}, weekend, nil, "session 1 [07:30, 11:30) starts before session 0 [13:00, 17:00) ends"},
		{"overlapping sessions", loc, []Session{{450, 800}, {780, 1020}}, weekend, nil, "must not overlap"},
		{"every weekday off", loc, DefaultSessions(), []time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil, "no working weekday"},
		{"invalid weekday", loc, DefaultSessions(), []time.Weekday{7}, nil, "invalid weekly day off 7"},
		{"duplicate override", loc, DefaultSessions(), weekend, []Override{
			{Date: d("2025-05-02"), Name: "a"}, {Date: d("2025-05-02"), Working: true, Name: "b"},
		}, "duplicate override for 2025-05-02"},
		{"invalid override date", loc, DefaultSessions(), weekend, []Override{
			{Date: Date{2025, time.February, 30}, Name: "x"},
		}, `override "x": 2025-02-30 is not a valid date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := New(tt.loc, tt.sessions, tt.weeklyOff, tt.overrides)
			if tt.wantErr == "" {
				if err != nil || cal == nil {
					t.Fatalf("New() = %v, %v, want a calendar", cal, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New() error = nil, want %q", tt.wantErr)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "workflow: ") || !strings.Contains(msg, tt.wantErr) {
				t.Errorf("New() error = %q, want prefix %q containing %q", msg, "workflow: ", tt.wantErr)
			}
			if rest := strings.TrimPrefix(msg, "workflow: "); rest != "" && strings.ToLower(rest[:1]) != rest[:1] {
				t.Errorf("New() error = %q, want lower case", msg)
			}
		})
	}
}

func TestCalendarCopiesAndAccessors(t *testing.T) {
	sessions := DefaultSessions()
	weekend := []time.Weekday{time.Sunday, time.Saturday, time.Sunday}
	overrides := []Override{
		{Date: Date{2025, time.May, 2}, Name: "later"},
		{Date: Date{2025, time.April, 26}, Working: true, Name: "earlier"},
	}
	cal, err := New(VietnamLocation(), sessions, weekend, overrides)
	if err != nil {
		t.Fatal(err)
	}
	sessions[0].Start = 0
	overrides[0].Working = true
	if got := cal.Sessions(); got[0].Start != 450 || len(got) != 2 {
		t.Errorf("Sessions() = %v, want the original 07:30–11:30, 13:00–17:00", got)
	}
	if got := cal.WeeklyOff(); len(got) != 2 || got[0] != time.Sunday || got[1] != time.Saturday {
		t.Errorf("WeeklyOff() = %v, want [Sunday Saturday]", got)
	}
	got := cal.Overrides()
	if len(got) != 2 || got[0].Name != "earlier" || got[1].Name != "later" || got[1].Working {
		t.Errorf("Overrides() = %v, want earlier (26 Apr, working) then later (2 May, off)", got)
	}
	got[0].Working = false
	if !cal.IsWorkingDay(Date{2025, time.April, 26}) {
		t.Errorf("IsWorkingDay(2025-04-26) = false after mutating Overrides() result, want true")
	}
}

func TestDefaultCalendar(t *testing.T) {
	cal := DefaultCalendar()
	if cal != DefaultCalendar() {
		t.Errorf("DefaultCalendar() returns a new calendar each call, want one shared value")
	}
	if got := cal.Location(); got != VietnamLocation() {
		t.Errorf("Location() = %v, want %v", got, VietnamLocation())
	}
	if got := fmt.Sprint(cal.Sessions()); got != "[{450 690} {780 1020}]" {
		t.Errorf("Sessions() = %s, want [{450 690} {780 1020}]", got)
	}
	if got := fmt.Sprint(cal.WeeklyOff()); got != "[Sunday Saturday]" {
		t.Errorf("WeeklyOff() = %s, want [Sunday Saturday]", got)
	}
	ov := cal.Overrides()
	var notices []Override
	for _, o := range ov {
		if o.Date.Year == 2025 || o.Date.Year == 2026 {
			notices = append(notices, o)
		}
	}
	if want := append(VietnamOverrides(2025), VietnamOverrides(2026)...); !slices.Equal(notices, want) {
		t.Errorf("Overrides() of 2025–2026 = %v, want the notices %v", notices, want)
	}
	if n := len(ov) - len(notices); n < 11*(LastYear-FirstYear-1)*8/10 {
		t.Errorf("len(Overrides()) outside 2025–2026 = %d, want the statutory days of every year %d–%d", n, FirstYear, LastYear)
	}
	for i := 1; i < len(ov); i++ {
		if dayNumber(ov[i-1].Date) >= dayNumber(ov[i].Date) {
			t.Errorf("Overrides() not sorted: %s before %s", ov[i-1].Date, ov[i].Date)
		}
	}
	// Same results with the fixed-zone fallback used when tzdata is missing.
	fixed, err := New(time.FixedZone("ICT", 7*3600), DefaultSessions(), cal.WeeklyOff(), ov)
	if err != nil {
		t.Fatal(err)
	}
	from := wall(t, "Fri 2025-01-24 10:00")
	if got, want := fixed.Add(from, 480), cal.Add(from, 480); !got.Equal(want) {
		t.Errorf("fixed-zone Add(%s, 480) = %s, want %s", fmtWall(from), fmtWall(got), fmtWall(want))
	}
}

func TestVietnamOverrides(t *testing.T) {
	tests := []struct {
		year            int
		off, working    int
		offWeekdaysOnly bool
	}{
		{2025, 12, 1, true},
		{2026, 11, 0, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			ov := VietnamOverrides(tt.year)
			var off, working int
			for _, o := range ov {
				if o.Date.Year != tt.year {
					t.Errorf("VietnamOverrides(%d) holds %s", tt.year, o.Date)
				}
				if !strings.ContainsFunc(o.Name, func(r rune) bool { return r > unicode.MaxASCII }) {
					t.Errorf("override %s has name %q, want a Vietnamese name with diacritics", o.Date, o.Name)
				}
				wd := o.Date.Weekday()
				weekend := wd == time.Saturday || wd == time.Sunday
				if o.Working {
					working++
					if !weekend {
						t.Errorf("override %s (%s) marks a %s as working: it already is", o.Date, o.Name, wd)
					}
				} else {
					off++
					if weekend {
						t.Errorf("override %s (%s) marks a %s off: it already is", o.Date, o.Name, wd)
					}
				}
			}
			if off != tt.off || working != tt.working {
				t.Errorf("VietnamOverrides(%d): %d off, %d working, want %d off, %d working", tt.year, off, working, tt.off, tt.working)
			}
			ov[0].Working = !ov[0].Working
			if again := VietnamOverrides(tt.year); again[0].Working == ov[0].Working {
				t.Errorf("VietnamOverrides(%d) shares its slice with callers", tt.year)
			}
		})
	}
	for _, year := range []int{2024, 2027} {
		if got := VietnamOverrides(year); got != nil {
			t.Errorf("VietnamOverrides(%d) = %v, want nil", year, got)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2025-04-26")
	if err != nil || d != (Date{2025, time.April, 26}) {
		t.Errorf("ParseDate(2025-04-26) = %v, %v, want 2025-04-26", d, err)
	}
	if got := d.String(); got != "2025-04-26" {
		t.Errorf("String() = %q, want 2025-04-26", got)
	}
	if got := d.Weekday(); got != time.Saturday {
		t.Errorf("Weekday(2025-04-26) = %s, want Saturday", got)
	}
	for _, bad := range []string{"", "2025-02-30", "2025-4-26", "26/04/2025", "2025-04-26T00:00"} {
		if _, err := ParseDate(bad); err == nil || !strings.HasPrefix(err.Error(), "workflow: ") {
			t.Errorf("ParseDate(%q) error = %v, want a workflow: error", bad, err)
		}
	}
	// 23:30 UTC on 31 Dec is already 1 Jan in Hanoi: DateOf uses t's location.
	u := time.Date(2025, time.December, 31, 23, 30, 0, 0, time.UTC)
	if got := DateOf(u); got != (Date{2025, time.December, 31}) {
		t.Errorf("DateOf(%s) = %s, want 2025-12-31", u, got)
	}
	if got := DateOf(u.In(VietnamLocation())); got != (Date{2026, time.January, 1}) {
		t.Errorf("DateOf(%s) = %s, want 2026-01-01", u.In(VietnamLocation()), got)
	}
}

// TestDayNumber checks the civil-date arithmetic against the time package for
// every day from 1600 to 2400.
func TestDayNumber(t *testing.T) {
	start := time.Date(1600, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 800*366; i++ {
		tm := start.AddDate(0, 0, i)
		want := tm.Unix() / 86400
		d := DateOf(tm)
		if got := dayNumber(d); got != want {
			t.Fatalf("dayNumber(%s) = %d, want %d", d, got, want)
		}
		if got := civilFromDays(want); got != d {
			t.Fatalf("civilFromDays(%d) = %s, want %s", want, got, d)
		}
		if got := d.Weekday(); got != tm.Weekday() {
			t.Fatalf("Weekday(%s) = %s, want %s", d, got, tm.Weekday())
		}
	}
	// Out-of-range months and days normalise like time.Date.
	for _, d := range []Date{{2025, 13, 1}, {2025, 0, 31}, {2024, time.February, 30}, {2025, time.March, 0}, {2025, -14, 45}} {
		want := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if got := dayNumber(d); got != want {
			t.Errorf("dayNumber(%v) = %d, want %d", d, got, want)
		}
	}
}

// midnightCalendar has sessions touching both midnights, Wednesday off, a
// Saturday worked and a holiday, to exercise the day boundaries.
// seasonalCalendar has summer hours (07:00–11:30, 13:30–17:00, 8 hours)
// from 1 April and shorter winter hours (07:30–11:30, 13:00–16:30, 7½
// hours, so that a change of day length is tested too) from 1 October,
// every year 2000–2100, and the holidays of every year.
var seasonal = sync.OnceValues(func() (*Calendar, error) {
	hours := []Hours{{Sessions: DefaultSessions()}}
	summer := []Session{{7 * 60, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	winter := []Session{{7*60 + 30, 11*60 + 30}, {13 * 60, 16*60 + 30}}
	for y := 2000; y <= 2100; y++ {
		hours = append(hours, Hours{From: Date{y, time.April, 1}, Sessions: summer}, Hours{From: Date{y, time.October, 1}, Sessions: winter})
	}
	notices := map[int][]Override{2025: VietnamOverrides(2025), 2026: VietnamOverrides(2026)}
	return NewSchedule(VietnamLocation(), hours, []time.Weekday{time.Saturday, time.Sunday}, VietnamYears(notices))
})

func seasonalCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	cal, err := seasonal()
	if err != nil {
		tb.Fatal(err)
	}
	return cal
}

func midnightCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	cal, err := New(VietnamLocation(),
		[]Session{{0, 60}, {480, 720}, {1380, 1440}},
		[]time.Weekday{time.Wednesday, time.Sunday},
		[]Override{
			{Date: Date{2025, time.March, 8}, Name: "Saturday off"},
			{Date: Date{2025, time.March, 12}, Working: true, Name: "Wednesday worked"},
			{Date: Date{2025, time.March, 14}, Name: "Friday off"},
		})
	if err != nil {
		tb.Fatal(err)
	}
	return cal
}

func TestCalendarMidnightSessions(t *testing.T) {
	cal := midnightCalendar(t)
	tests := []struct {
		from    string
		minutes int64
		want    string
	}{
		{"Mon 2025-03-03 23:00", 60, "Tue 2025-03-04 00:00"},      // closing at 24:00
		{"Mon 2025-03-03 23:00", 61, "Tue 2025-03-04 00:01"},      // straight into the next day
		{"Tue 2025-03-04 23:30", 60, "Thu 2025-03-06 00:30"},      // Wednesday off
		{"Fri 2025-03-07 23:30", 30, "Sat 2025-03-08 00:00"},      // ends at 24:00 before a day off
		{"Fri 2025-03-07 23:30", 31, "Mon 2025-03-10 00:01"},      // Sat off by override, Sun weekly
		{"Tue 2025-03-11 23:30", 31, "Wed 2025-03-12 00:01"},      // Wednesday worked
		{"Thu 2025-03-13 23:00", 120, "Sat 2025-03-15 01:00"},     // Friday off
		{"Thu 2025-03-13 12:00", 0, "Thu 2025-03-13 23:00"},       // next opening the same evening
		{"Tue 2025-03-04 00:00", 7 * 360, "Fri 2025-03-14 00:00"}, // 7 days of 360 minutes end at Thu 24:00
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			got := cal.Add(wall(t, tt.from), tt.minutes)
			if want := wall(t, tt.want); !got.Equal(want) {
				t.Errorf("Add(%s, %d) = %s, want %s", tt.from, tt.minutes, fmtWall(got), fmtWall(want))
			}
			if !cal.InOfficeHours(got) {
				t.Errorf("InOfficeHours(Add(%s, %d) = %s) = false, want true", tt.from, tt.minutes, fmtWall(got))
			}
		})
	}
}

// TestCalendarDSTZone checks that a zone with daylight saving time works when
// its transitions fall outside office hours, as they do in practice.
func TestCalendarDSTZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	cal, err := New(ny, DefaultSessions(), []time.Weekday{time.Saturday, time.Sunday}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Clocks went forward at 02:00 on Sun 9 Mar 2025.
	from := time.Date(2025, time.March, 7, 16, 0, 0, 0, ny)
	want := time.Date(2025, time.March, 10, 8, 30, 0, 0, ny)
	if got := cal.Add(from, 120); !got.Equal(want) {
		t.Errorf("Add(%s, 120) = %s, want %s", from, got, want)
	}
	if got := cal.Between(from, want); got != 120 {
		t.Errorf("Between(%s, %s) = %d, want 120", from, want, got)
	}
}

// refAdd is a minute-by-minute reference for Add that uses only the time
// package and the calendar's public data.
func refAdd(cal *Calendar, from time.Time, minutes int64) time.Time {
	loc := cal.Location()
	overrides := map[Date]bool{}
	for _, o := range cal.Overrides() {
		overrides[o.Date] = o.Working
	}
	off := map[time.Weekday]bool{}
	for _, w := range cal.WeeklyOff() {
		off[w] = true
	}
	byDate := map[Date][]Session{}
	sessionsOn := func(d Date) []Session {
		if s, ok := byDate[d]; ok {
			return s
		}
		byDate[d] = cal.SessionsOn(d)
		return byDate[d]
	}
	working := func(t time.Time) bool {
		if w, ok := overrides[DateOf(t)]; ok {
			return w
		}
		return !off[t.Weekday()]
	}
	f := from.In(loc)
	t := time.Date(f.Year(), f.Month(), f.Day(), f.Hour(), f.Minute(), 0, 0, loc)
	minutes = max(minutes, 0)
	for {
		if !working(t) {
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
			continue
		}
		m := t.Hour()*60 + t.Minute()
		inside := false
		for _, s := range sessionsOn(DateOf(t)) {
			inside = inside || s.Start <= m && m < s.End
		}
		if inside {
			if minutes == 0 {
				return t
			}
			minutes--
			if minutes == 0 {
				return t.Add(time.Minute)
			}
		}
		t = t.Add(time.Minute)
	}
}

func TestCalendarAddMatchesReference(t *testing.T) {
	calendars := map[string]*Calendar{"default": DefaultCalendar(), "midnight": midnightCalendar(t), "seasonal": seasonalCalendar(t)}
	starts := []string{
		"Fri 2025-01-24 10:00", "Fri 2025-04-25 16:00", "Tue 2025-04-29 11:29", "Sun 2026-04-26 06:00",
		"Mon 2025-03-03 23:59", "Tue 2025-03-11 12:00", "Wed 2025-12-31 17:00", "Fri 2026-02-13 00:00",
	}
	budgets := []int64{0, 1, 59, 60, 61, 240, 241, 479, 480, 481, 960, 1500}
	for name, cal := range calendars {
		for _, s := range starts {
			for _, m := range budgets {
				from := wall(t, s)
				got, want := cal.Add(from, m), refAdd(cal, from, m)
				if !got.Equal(want) {
					t.Errorf("%s: Add(%s, %d) = %s, want %s", name, s, m, fmtWall(got), fmtWall(want))
				}
			}
		}
	}
}

func TestCalendarNoAllocs(t *testing.T) {
	cal := DefaultCalendar()
	from, to := wall(t, "Fri 2025-01-24 10:00"), wall(t, "Fri 2025-05-30 10:00")
	var sink time.Time
	var n int64
	allocs := testing.AllocsPerRun(100, func() {
		sink = cal.Add(from, 20*MinutesPerWorkingDay)
		sink = cal.NextOpening(sink)
		n += cal.Between(from, to)
		_ = cal.InOfficeHours(sink)
	})
	if allocs != 0 {
		t.Errorf("Add/NextOpening/Between/InOfficeHours allocate %.1f times per call, want 0", allocs)
	}
}

// Fuzz inputs are clamped to 2000–2100 and 0–200000 minutes (about 417
// working days) so every execution is fast.
var (
	fuzzLo = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	fuzzHi = time.Date(2101, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
)

func clampUnix(sec int64) time.Time {
	span := fuzzHi - fuzzLo
	return time.Unix(fuzzLo+(sec%span+span)%span, 0)
}

func clampMinutes(m int64) int64 { return (m%200001 + 200001) % 200001 }

func FuzzCalendarAdd(f *testing.F) {
	for _, seed := range []struct {
		unix, minutes int64
	}{
		{wall(f, "Fri 2025-01-24 10:00").Unix(), 480},
		{wall(f, "Fri 2025-04-25 16:00").Unix(), 120},
		{wall(f, "Tue 2025-03-04 18:00").Unix(), 0},
		{wall(f, "Sun 2026-04-26 12:00").Unix() + 59, 9600},
	} {
		f.Add(seed.unix, seed.minutes)
	}
	calendars := []*Calendar{DefaultCalendar(), midnightCalendar(f), seasonalCalendar(f)}
	f.Fuzz(func(t *testing.T, unix, minutes int64) {
		from := clampUnix(unix)
		m := clampMinutes(minutes)
		for _, cal := range calendars {
			got := cal.Add(from, m)
			if got.Location() != cal.Location() {
				t.Fatalf("Add(%s, %d) location = %v, want %v", from, m, got.Location(), cal.Location())
			}
			if !cal.InOfficeHours(got) {
				t.Fatalf("InOfficeHours(Add(%s, %d) = %s) = false, want true", from, m, got)
			}
			if got.Second() != 0 || got.Nanosecond() != 0 {
				t.Fatalf("Add(%s, %d) = %s, want a whole minute", from, m, got)
			}
			open := cal.NextOpening(from)
			if m == 0 && got != open {
				t.Fatalf("Add(%s, 0) = %s, want NextOpening = %s", from, got, open)
			}
			if open.Before(from.Truncate(time.Minute)) {
				t.Fatalf("NextOpening(%s) = %s, want not before the start", from, open)
			}
			if n := cal.Between(open, got); n != m {
				t.Fatalf("Between(NextOpening(%s), Add(%s, %d) = %s) = %d, want %d", from, from, m, got, n, m)
			}
			k := 1 + m%977
			if later := cal.Add(from, m+k); later.Before(got) || later.Equal(got) {
				t.Fatalf("Add(%s, %d) = %s, want after Add(%s, %d) = %s", from, m+k, later, from, m, got)
			}
			days := int(m%400) + 1
			end := cal.DueInDays(from, days)
			if !cal.InOfficeHours(end) || !end.After(from) {
				t.Fatalf("DueInDays(%s, %d) = %s: want a working day's closing after the start", from, days, end)
			}
			if next := cal.DueInDays(from, days+1); next.Before(end) {
				t.Fatalf("DueInDays(%s, %d) = %s before DueInDays(…, %d) = %s", from, days+1, next, days, end)
			}
			if m <= 720 {
				if want := refAdd(cal, from, m); !got.Equal(want) {
					t.Fatalf("Add(%s, %d) = %s, want %s (minute-by-minute reference)", from, m, got, want)
				}
			}
		}
	})
}

func FuzzCalendarBetween(f *testing.F) {
	for _, seed := range [][3]string{
		{"Fri 2025-01-24 10:00", "Wed 2025-01-29 12:00", "Mon 2025-02-03 10:00"},
		{"Fri 2025-04-25 16:00", "Sat 2025-04-26 08:30", "Mon 2025-05-05 08:30"},
		{"Tue 2025-03-04 10:00:59", "Tue 2025-03-04 10:01:00", "Tue 2025-03-04 10:01:30"},
	} {
		f.Add(wall(f, seed[0]).Unix(), wall(f, seed[1]).Unix(), wall(f, seed[2]).Unix())
	}
	calendars := []*Calendar{DefaultCalendar(), midnightCalendar(f), seasonalCalendar(f)}
	f.Fuzz(func(t *testing.T, ua, ub, uc int64) {
		a, b, c := clampUnix(ua), clampUnix(ub), clampUnix(uc)
		// Keep spans within about a year so the fuzzer spends its time near
		// the boundaries rather than on century-long spans.
		const year = 366 * 24 * time.Hour
		b = a.Add(time.Duration(int64(b.Sub(a)) % int64(year)))
		c = a.Add(time.Duration(int64(c.Sub(a)) % int64(year)))
		if b.Before(a) {
			a, b = b, a
		}
		if c.Before(b) {
			b, c = c, b
		}
		if b.Before(a) {
			a, b = b, a
		}
		for _, cal := range calendars {
			ab, bc, ac := cal.Between(a, b), cal.Between(b, c), cal.Between(a, c)
			if ab < 0 || bc < 0 {
				t.Fatalf("Between(%s, %s) = %d, Between(%s, %s) = %d, want >= 0", a, b, ab, b, c, bc)
			}
			if ab+bc != ac {
				t.Fatalf("Between(a, b) + Between(b, c) = %d + %d, want Between(a, c) = %d (a=%s b=%s c=%s)", ab, bc, ac, a, b, c)
			}
			if ba := cal.Between(b, a); ba != 0 && b.After(a) {
				t.Fatalf("Between(%s, %s) = %d, want 0 for a reversed span", b, a, ba)
			}
			if elapsed := int64(c.Sub(a) / time.Minute); ac > elapsed+1 {
				t.Fatalf("Between(%s, %s) = %d, more than the %d minutes elapsed", a, c, ac, elapsed)
			}
			if end := cal.Add(a, ac); ac > 0 && end.After(c) {
				t.Fatalf("Add(%s, Between(%s, %s) = %d) = %s, want not after %s", a, a, c, ac, end, c)
			}
		}
	})
}

// TestOfficeHoursByDate counts across changes of office hours, by hand:
// winter hours (07:30–11:30, 13:00–16:30) until 31 March 2027, summer hours
// from 1 April (07:00–11:30, 13:30–17:00), winter hours again from
// 1 October.
func TestOfficeHoursByDate(t *testing.T) {
	cal := seasonalCalendar(t)
	for _, tc := range []struct {
		from    string
		minutes int64
		want    string
	}{
		// Wed 31 Mar (winter): 15:00–16:30 is 90; Thu 1 Apr (summer)
		// 07:00–11:30 is 270, then 120 from 13:30.
		{"Wed 2027-03-31 15:00", 480, "Thu 2027-04-01 15:30"},
		// Thu 30 Sep (summer) 16:00–17:00 is 60; Fri 1 Oct (winter) is 450:
		// 510 end at its closing, 16:30, and one more minute is Monday's.
		{"Thu 2027-09-30 16:00", 510, "Fri 2027-10-01 16:30"},
		{"Thu 2027-09-30 16:00", 511, "Mon 2027-10-04 07:31"},
		// Before the summer opening, the clock starts at 07:00, not 07:30.
		{"Thu 2027-04-01 06:00", 30, "Thu 2027-04-01 07:30"},
		{"Wed 2027-03-31 06:00", 30, "Wed 2027-03-31 08:00"},
	} {
		from := wall(t, tc.from)
		got := cal.Add(from, tc.minutes)
		if want := wall(t, tc.want); !got.Equal(want) {
			t.Errorf("Add(%s, %d) = %s, want %s", tc.from, tc.minutes, fmtWall(got), tc.want)
		}
		if n := cal.Between(cal.NextOpening(from), got); n != tc.minutes {
			t.Errorf("Between(%s, Add(%s, %d)) = %d, want %d", tc.from, tc.from, tc.minutes, n, tc.minutes)
		}
	}
	for _, tc := range []struct {
		at     string
		inside bool
	}{
		{"Wed 2027-03-31 13:15", true},  // winter: the afternoon opens at 13:00
		{"Thu 2027-04-01 13:15", false}, // summer: lunch until 13:30
		{"Fri 2027-10-01 16:45", false}, // winter closes at 16:30
		{"Thu 2027-09-30 16:45", true},
	} {
		if got := cal.InOfficeHours(wall(t, tc.at)); got != tc.inside {
			t.Errorf("InOfficeHours(%s) = %t, want %t", tc.at, got, tc.inside)
		}
	}
	if got := fmt.Sprint(cal.SessionsOn(Date{2027, time.April, 1})); got != "[{420 690} {810 1020}]" {
		t.Errorf("SessionsOn(2027-04-01) = %s, want the summer hours", got)
	}

	bad := []struct {
		name  string
		hours []Hours
		want  string
	}{
		{"none", nil, "from the beginning"},
		{"first dated", []Hours{{From: Date{2027, time.April, 1}, Sessions: DefaultSessions()}}, "from the beginning"},
		{"unsorted", []Hours{{Sessions: DefaultSessions()}, {From: Date{2027, time.October, 1}, Sessions: DefaultSessions()}, {From: Date{2027, time.April, 1}, Sessions: DefaultSessions()}}, "sort them"},
		{"bad session later", []Hours{{Sessions: DefaultSessions()}, {From: Date{2027, time.April, 1}, Sessions: []Session{{600, 500}}}}, "2027-04-01"},
		{"bad date", []Hours{{Sessions: DefaultSessions()}, {From: Date{2027, time.February, 30}, Sessions: DefaultSessions()}}, "not a valid date"},
	}
	for _, tc := range bad {
		if _, err := NewSchedule(VietnamLocation(), tc.hours, []time.Weekday{time.Sunday}, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewSchedule(%s): %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

// TestDueInDays counts periods in days as the Civil Code does (art.
// 147–148), by hand, over the calendar of every year.
func TestDueInDays(t *testing.T) {
	cal := DefaultCalendar()
	for _, tc := range []struct {
		name, from string
		days       int
		want       string
	}{
		// The judicial record certificate, 10 days: day 10 is Sunday 3 Jan
		// 2027, so the period ends with Monday's closing (1 Jan is off too).
		{"judicial record", "Thu 2026-12-24 10:00", 10, "Mon 2027-01-04 17:00"},
		{"after closing: received the next morning", "Thu 2026-12-24 18:00", 10, "Mon 2027-01-04 17:00"},
		// Day 10 is Saturday 6 Feb 2027, the first day of Tết: the days off
		// run to Thursday 11 (provisional), so Friday 12 closes it.
		{"last day in Tết", "Wed 2027-01-27 09:00", 10, "Fri 2027-02-12 17:00"},
		// Received at a Saturday-morning desk: counted from Monday's opening.
		{"received on a Saturday", "Sat 2026-11-21 08:00", 10, "Thu 2026-12-03 17:00"},
		{"a working last day", "Mon 2026-11-16 09:00", 10, "Thu 2026-11-26 17:00"},
		{"one day", "Mon 2026-11-16 16:59", 1, "Tue 2026-11-17 17:00"},
		{"at least one day", "Mon 2026-11-16 09:00", 0, "Tue 2026-11-17 17:00"},
	} {
		if got := cal.DueInDays(wall(t, tc.from), tc.days); !got.Equal(wall(t, tc.want)) {
			t.Errorf("%s: DueInDays(%s, %d) = %s, want %s", tc.name, tc.from, tc.days, fmtWall(got), tc.want)
		}
	}
	// A session to midnight ends the day at 24:00, the Civil Code's end.
	late, err := New(VietnamLocation(), []Session{{8 * 60, 24 * 60}}, []time.Weekday{time.Sunday}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := late.DueInDays(wall(t, "Mon 2026-11-16 09:00"), 2), wall(t, "Thu 2026-11-19 00:00"); !got.Equal(want) {
		t.Errorf("DueInDays with a session to 24:00 = %s, want %s", fmtWall(got), fmtWall(want))
	}
	if got, want := cal.EndOfWorkingDay(Date{2027, time.January, 1}), wall(t, "Mon 2027-01-04 17:00"); !got.Equal(want) {
		t.Errorf("EndOfWorkingDay(New Year's Day 2027) = %s, want %s", fmtWall(got), fmtWall(want))
	}
}

func BenchmarkCalendarAdd(b *testing.B) {
	cal := DefaultCalendar()
	// Starts spread over 2025–2026, every 7 h 13 min, so holidays and
	// weekends are hit in proportion.
	starts := make([]time.Time, 1024)
	for i := range starts {
		starts[i] = wall(b, "Wed 2025-01-01 00:00").Add(time.Duration(i) * (7*time.Hour + 13*time.Minute))
	}
	b.ReportAllocs()
	var sink time.Time
	i := 0
	for b.Loop() {
		sink = cal.Add(starts[i&1023], 20*MinutesPerWorkingDay)
		i++
	}
	_ = sink
}

func BenchmarkCalendarBetween(b *testing.B) {
	cal := DefaultCalendar()
	from := wall(b, "Fri 2025-01-24 10:00")
	to := wall(b, "Thu 2026-12-31 16:00")
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		n += cal.Between(from, to)
	}
	_ = n
}

// BenchmarkVietnamCalendar builds the working calendar as an instance
// does when its cached one expires: two notices and the statutory days of
// every other year 1900–2199.
func BenchmarkVietnamCalendar(b *testing.B) {
	notices := map[int][]Override{2025: VietnamOverrides(2025), 2026: VietnamOverrides(2026)}
	weekend := []time.Weekday{time.Saturday, time.Sunday}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(VietnamLocation(), DefaultSessions(), weekend, VietnamYears(notices)); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleCalendar_Add() {
	cal := DefaultCalendar()
	// Received on the Friday before Tết 2025, due in one working day.
	received := time.Date(2025, time.January, 24, 10, 0, 0, 0, cal.Location())
	fmt.Println(cal.Add(received, MinutesPerWorkingDay).Format("Mon 2006-01-02 15:04"))
	// Output: Mon 2025-02-03 10:00
}
