package calendar

import (
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

// TestNewYear checks Tết against the dates Vietnam kept. Where China's
// calendar (UTC+8) differs, its date is in the comment: a Chinese-calendar
// library would fail those rows.
func TestNewYear(t *testing.T) {
	tests := []struct {
		year int
		want Date
	}{
		{1900, date(1900, time.January, 31)},
		{1968, date(1968, time.January, 29)}, // Tết Mậu Thân: the North kept the 29th, the South (UTC+8) the 30th
		{1975, date(1975, time.February, 11)},
		{1985, date(1985, time.January, 21)}, // China: 20 Feb; Vietnam's leap month came in 1985, China's in 1984
		{1990, date(1990, time.January, 27)},
		{2000, date(2000, time.February, 5)},
		{2001, date(2001, time.January, 24)},
		{2004, date(2004, time.January, 22)},
		{2005, date(2005, time.February, 9)},
		{2006, date(2006, time.January, 29)},
		{2007, date(2007, time.February, 17)}, // China: 18 Feb (new moon at 23:14 UTC+7, 00:14 UTC+8)
		{2008, date(2008, time.February, 7)},
		{2010, date(2010, time.February, 14)},
		{2012, date(2012, time.January, 23)},
		{2015, date(2015, time.February, 19)},
		{2017, date(2017, time.January, 28)},
		{2019, date(2019, time.February, 5)},
		{2020, date(2020, time.January, 25)},
		{2021, date(2021, time.February, 12)},
		{2022, date(2022, time.February, 1)},
		{2023, date(2023, time.January, 22)},
		{2024, date(2024, time.February, 10)},
		{2025, date(2025, time.January, 29)},
		{2026, date(2026, time.February, 17)},
		{2027, date(2027, time.February, 6)},
		{2028, date(2028, time.January, 26)},
		// China: 3 Feb. The new moon is at 16:07 UT on 2 Feb 2030: 23:07 in
		// Hanoi, 00:07 on the 3rd in Beijing.
		{2030, date(2030, time.February, 2)},
		{2033, date(2033, time.January, 31)},
		{2050, date(2050, time.January, 23)},
		{2100, date(2100, time.February, 9)},
		{2199, date(2199, time.January, 27)},
	}
	for _, tt := range tests {
		if got := NewYear(tt.year); got != tt.want {
			t.Errorf("NewYear(%d) = %s, want %s", tt.year, got, tt.want)
		}
		if got, want := ToLunar(tt.want), (LunarDate{Year: tt.year, Month: 1, Day: 1}); got != want {
			t.Errorf("ToLunar(%s) = %s, want %s", tt.want, got, want)
		}
	}
}

func TestLeapMonth(t *testing.T) {
	tests := []struct{ year, want int }{
		{1984, 0}, // China's leap month was the 10th of 1984
		{1985, 2},
		{2001, 4},
		{2004, 2},
		{2006, 7},
		{2009, 5},
		{2012, 4},
		{2014, 9},
		{2017, 6},
		{2020, 4},
		{2023, 2},
		{2024, 0},
		{2025, 6},
		{2026, 0},
		{2028, 5},
		{2031, 3},
		{2033, 11}, // a leap 11th month, the rarest kind
		{0, 0},
		{10000, 0},
	}
	for _, tt := range tests {
		if got := LeapMonth(tt.year); got != tt.want {
			t.Errorf("LeapMonth(%d) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestToLunar(t *testing.T) {
	tests := []struct {
		in   Date
		want LunarDate
	}{
		{date(2025, time.April, 7), LunarDate{2025, 3, 10, false}},    // Giỗ Tổ Hùng Vương 2025
		{date(2026, time.April, 26), LunarDate{2026, 3, 10, false}},   // Giỗ Tổ Hùng Vương 2026
		{date(2023, time.April, 29), LunarDate{2023, 3, 10, false}},   // after the leap 2nd month
		{date(2023, time.March, 22), LunarDate{2023, 2, 1, true}},     // 1st of the leap 2nd month
		{date(2020, time.May, 23), LunarDate{2020, 4, 1, true}},       // 1st of the leap 4th month
		{date(2033, time.December, 22), LunarDate{2033, 11, 1, true}}, // leap 11th month
		{date(2034, time.January, 20), LunarDate{2033, 12, 1, false}}, // the 12th month after it
		{date(2025, time.October, 6), LunarDate{2025, 8, 15, false}},  // Tết Trung thu 2025
		{date(2025, time.January, 28), LunarDate{2024, 12, 29, false}},
		{date(2026, time.February, 16), LunarDate{2025, 12, 29, false}},
		{date(2027, time.February, 5), LunarDate{2026, 12, 29, false}},
		// Đức's own converter answers "day 0 of the 4th month" here: the
		// new moon is 2 minutes after midnight of the 8th.
		{date(2054, time.May, 7), LunarDate{2054, 3, 30, false}},
		{date(1900, time.January, 1), LunarDate{1899, 12, 1, false}},
		{date(2199, time.December, 31), LunarDate{2199, 11, 14, false}},
		{date(2025, time.February, 29), LunarDate{2025, 2, 2, false}}, // normalised to 1 Mar
		// Outside the table, computed on demand.
		{date(1800, time.January, 24), LunarDate{1799, 12, 30, false}},
		{date(1800, time.January, 25), LunarDate{1800, 1, 1, false}},
		{date(1850, time.June, 15), LunarDate{1850, 5, 6, false}},
		{date(2250, time.January, 1), LunarDate{2249, 11, 28, false}},
		{date(0, time.December, 31), LunarDate{}},
		{date(10000, time.January, 1), LunarDate{}},
	}
	for _, tt := range tests {
		if got := ToLunar(tt.in); got != tt.want {
			t.Errorf("ToLunar(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFromLunar(t *testing.T) {
	tests := []struct {
		in   LunarDate
		want Date
	}{
		{LunarDate{2025, 3, 10, false}, date(2025, time.April, 7)},
		{LunarDate{2026, 3, 10, false}, date(2026, time.April, 26)},
		{LunarDate{2023, 2, 1, true}, date(2023, time.March, 22)},
		{LunarDate{2023, 3, 10, false}, date(2023, time.April, 29)},
		{LunarDate{2033, 11, 1, true}, date(2033, time.December, 22)},
		{LunarDate{2199, 12, 1, false}, lunarMonthStart(t, 2199, 12)}, // ends past the table
		{LunarDate{2200, 1, 1, false}, NewYear(2200)},
		{LunarDate{1, 1, 1, false}, NewYear(1)},
		{LunarDate{9999, 12, 1, false}, lunarMonthStart(t, 9999, 12)},
	}
	for _, tt := range tests {
		got, err := FromLunar(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("FromLunar(%s) = %s, %v, want %s", tt.in, got, err, tt.want)
		}
	}
}

// lunarMonthStart finds the first day of lunar month year/month by walking
// solar days with ToLunar, independently of FromLunar.
func lunarMonthStart(tb testing.TB, year, month int) Date {
	tb.Helper()
	for day := dayNumber(date(year, time.January, 1)); day < dayNumber(date(year+2, time.January, 1)); day++ {
		if l := ToLunar(civilFromDays(day)); l == (LunarDate{Year: year, Month: month, Day: 1}) {
			return civilFromDays(day)
		}
	}
	tb.Fatalf("no day of %d or %d is 1/%d/%d", year, year+1, month, year)
	return Date{}
}

func TestFromLunarErrors(t *testing.T) {
	tests := []struct {
		in   LunarDate
		want string
	}{
		{LunarDate{2024, 2, 1, true}, "has no leap month 2"},      // 2024 has none
		{LunarDate{2025, 2, 1, true}, "has no leap month 2"},      // 2025's is the 6th
		{LunarDate{2024, 12, 30, false}, "the month has 29 days"}, // Tết 2025 follows 29 tháng Chạp
		{LunarDate{2025, 13, 1, false}, "does not exist"},
		{LunarDate{2025, 0, 1, false}, "does not exist"},
		{LunarDate{2025, 1, 0, false}, "does not exist"},
		{LunarDate{2025, 1, 31, false}, "does not exist"},
		{LunarDate{0, 1, 1, false}, "year outside"},
		{LunarDate{10000, 1, 1, false}, "year outside"},
	}
	for _, tt := range tests {
		got, err := FromLunar(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), "workflow: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("FromLunar(%s) = %s, %v, want a workflow: error saying %q", tt.in, got, err, tt.want)
		}
	}
	if got := NewYear(0); got != (Date{}) {
		t.Errorf("NewYear(0) = %s, want the zero Date", got)
	}
}

func TestLunarDateString(t *testing.T) {
	for _, tt := range []struct {
		in   LunarDate
		want string
	}{
		{LunarDate{2026, 3, 10, false}, "2026-03-10"},
		{LunarDate{2023, 2, 1, true}, "2023-02L-01"},
	} {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLunarRoundTrip walks every day of 1900–2199: ToLunar and FromLunar
// are inverse, and the lunar date moves on by one day, or to the 1st of the
// next month after the 29th or 30th, and to a new year only at 1/1.
func TestLunarRoundTrip(t *testing.T) {
	first, last := dayNumber(date(1900, time.January, 1)), dayNumber(date(2199, time.December, 31))
	prev := ToLunar(civilFromDays(first - 1))
	for day := first; day <= last; day++ {
		d := civilFromDays(day)
		l := ToLunar(d)
		back, err := FromLunar(l)
		if err != nil || back != d {
			t.Fatalf("FromLunar(ToLunar(%s) = %s) = %s, %v, want %s", d, l, back, err, d)
		}
		switch {
		case l.Year == prev.Year && l.Month == prev.Month && l.Leap == prev.Leap && l.Day == prev.Day+1:
		case l.Day == 1 && (prev.Day == 29 || prev.Day == 30):
			newYear := l.Year == prev.Year+1 && l.Month == 1 && !l.Leap && (prev.Month == 12)
			leap := l.Year == prev.Year && l.Month == prev.Month && l.Leap && !prev.Leap
			next := l.Year == prev.Year && l.Month == prev.Month+1 && !l.Leap
			if !newYear && !leap && !next {
				t.Fatalf("ToLunar(%s) = %s after %s, want the next month", d, l, prev)
			}
		default:
			t.Fatalf("ToLunar(%s) = %s after %s, want the next day", d, l, prev)
		}
		prev = l
	}
}

// TestLunarYearsShape checks every lunar year the package computes, 1–9999:
// 12 months, or 13 with exactly one leap month, each of 29 or 30 days, in
// order. The series are only astronomy near our era, but no year may come
// out malformed.
func TestLunarYearsShape(t *testing.T) {
	months := buildLunarMonths(lunarFirstYear, lunarLastYear+1)
	for i, m := range months.months {
		if n := months.length(i); n != 29 && n != 30 {
			t.Fatalf("lunar month %d/%d (leap %t) from %s has %d days, want 29 or 30", m.month, m.year, m.leap, civilFromDays(m.start), n)
		}
	}
	count := map[int]int{}
	leaps := map[int]int{}
	for _, m := range months.months {
		count[m.year]++
		if m.leap {
			leaps[m.year]++
		}
	}
	for y := lunarFirstYear; y <= lunarLastYear; y++ {
		if n, l := count[y], leaps[y]; (n != 12 || l != 0) && (n != 13 || l != 1) {
			t.Errorf("lunar year %d has %d months, %d of them leap; want 12, or 13 with one leap month", y, n, l)
		}
	}
}
