package calendar

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// fmtHoliday is a Holiday as the tests compare it: date, weekday, source
// and a P for provisional.
func fmtHoliday(h Holiday) string {
	p := ""
	if h.Provisional {
		p = " P"
	}
	return fmt.Sprintf("%s %s %s%s", h.Date.Weekday().String()[:3], h.Date, h.Source, p)
}

func fmtHolidays(hs []Holiday) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmtHoliday(h)
	}
	return out
}

func TestStatutoryHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2027, []string{
			"Fri 2027-01-01 statutory", // 1 Jan on a Friday: off
			// Tết Đinh Mùi is Sat 6 Feb: the eve (29 tháng Chạp) and
			// mùng 1–4, of which Sat 6 and Sun 7 are made up after the
			// block, on Wed 10 and Thu 11.
			"Fri 2027-02-05 statutory P",
			"Mon 2027-02-08 statutory P",
			"Tue 2027-02-09 statutory P",
			"Wed 2027-02-10 make-up P",
			"Thu 2027-02-11 make-up P",
			"Fri 2027-04-16 statutory", // 10/3 Đinh Mùi
			"Fri 2027-04-30 statutory",
			"Mon 2027-05-03 make-up", // 1 May is a Saturday
			"Thu 2027-09-02 statutory",
			"Fri 2027-09-03 statutory P", // Thursday 2 Sep: Friday 3 makes Thu–Sun
		}},
		{2026, []string{
			"Thu 2026-01-01 statutory",
			"Mon 2026-02-16 statutory P", // Tết Bính Ngọ is Tue 17 Feb
			"Tue 2026-02-17 statutory P",
			"Wed 2026-02-18 statutory P",
			"Thu 2026-02-19 statutory P",
			"Fri 2026-02-20 statutory P",
			"Mon 2026-04-27 make-up", // Hùng Kings' day on Sun 26 Apr
			"Thu 2026-04-30 statutory",
			"Fri 2026-05-01 statutory",
			"Tue 2026-09-01 statutory P",
			"Wed 2026-09-02 statutory",
		}},
		{2023, []string{
			"Mon 2023-01-02 make-up", // 1 Jan on a Sunday
			"Mon 2023-01-23 statutory P",
			"Tue 2023-01-24 statutory P",
			"Wed 2023-01-25 statutory P",
			"Thu 2023-01-26 make-up P", // for the eve, Sat 21 Jan
			"Fri 2023-01-27 make-up P", // for mùng 1, Sun 22 Jan
			// Hùng Kings' day on Sat 29 Apr and 30 Apr on a Sunday, then
			// 1 May: made up on Tue 2 and Wed 3 May, as that year's notice
			// did.
			"Mon 2023-05-01 statutory",
			"Tue 2023-05-02 make-up",
			"Wed 2023-05-03 make-up",
			"Fri 2023-09-01 statutory P",
			"Mon 2023-09-04 make-up", // 2 Sep on a Saturday
		}},
		{2020, []string{ // the 2012 code's last year: one day of National Day
			"Wed 2020-01-01 statutory",
			"Fri 2020-01-24 statutory P", // Tết Canh Tý is Sat 25 Jan
			"Mon 2020-01-27 statutory P",
			"Tue 2020-01-28 statutory P",
			"Wed 2020-01-29 make-up P",
			"Thu 2020-01-30 make-up P",
			"Thu 2020-04-02 statutory",
			"Thu 2020-04-30 statutory",
			"Fri 2020-05-01 statutory",
			"Wed 2020-09-02 statutory",
		}},
		{2013, []string{ // Tết 2013 fell under the 1994 code: four days
			"Tue 2013-01-01 statutory",
			"Mon 2013-02-11 statutory P", // Tết Quý Tỵ is Sun 10 Feb, the eve Sat 9
			"Tue 2013-02-12 statutory P",
			"Wed 2013-02-13 make-up P",
			"Thu 2013-02-14 make-up P",
			"Fri 2013-04-19 statutory",
			"Tue 2013-04-30 statutory",
			"Wed 2013-05-01 statutory",
			"Mon 2013-09-02 statutory",
		}},
		{2006, []string{ // before the Hùng Kings' day (Fri 7 Apr 2006) was a holiday
			"Mon 2006-01-02 make-up",
			"Mon 2006-01-30 statutory P", // Tết Bính Tuất is Sun 29 Jan, the eve Sat 28
			"Tue 2006-01-31 statutory P",
			"Wed 2006-02-01 make-up P",
			"Thu 2006-02-02 make-up P",
			"Mon 2006-05-01 statutory",
			"Tue 2006-05-02 make-up", // for Sun 30 Apr: Mon 1 May is a holiday itself
			"Mon 2006-09-04 make-up",
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			got := fmtHolidays(StatutoryHolidays(tt.year))
			if !slices.Equal(got, tt.want) {
				t.Errorf("StatutoryHolidays(%d) =\n\t%s\nwant\n\t%s", tt.year, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestStatutoryHolidaysNames(t *testing.T) {
	tests := []struct {
		in   Date
		want string
	}{
		{date(2027, time.January, 1), "Tết Dương lịch (1/1)"},
		{date(2027, time.February, 5), "Tết Nguyên đán Đinh Mùi (29 tháng Chạp)"},
		{date(2027, time.February, 8), "Tết Nguyên đán Đinh Mùi (mùng 3 tháng Giêng)"},
		{date(2027, time.February, 10), "Nghỉ bù Tết Nguyên đán Đinh Mùi (Thứ Bảy 6/2/2027)"},
		{date(2027, time.February, 11), "Nghỉ bù Tết Nguyên đán Đinh Mùi (Chủ nhật 7/2/2027)"},
		{date(2027, time.April, 16), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
		{date(2027, time.April, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"},
		{date(2027, time.May, 3), "Nghỉ bù Ngày Quốc tế Lao động (Thứ Bảy 1/5/2027)"},
		{date(2027, time.September, 2), "Quốc khánh (2/9)"},
		{date(2027, time.September, 3), "Quốc khánh (ngày liền kề 2/9)"},
		{date(2026, time.April, 27), "Nghỉ bù Giỗ Tổ Hùng Vương (Chủ nhật 26/4/2026)"},
		{date(2014, time.January, 30), "Tết Nguyên đán Giáp Ngọ (30 tháng Chạp)"},
		{date(2029, time.September, 4), "Nghỉ bù Quốc khánh (Chủ nhật 2/9/2029)"},
		{date(1985, time.January, 21), "Tết Nguyên đán Ất Sửu (mùng 1 tháng Giêng)"},
		{date(2007, time.April, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"}, // the first
	}
	for _, tt := range tests {
		var got string
		for _, h := range StatutoryHolidays(tt.in.Year) {
			if h.Date == tt.in {
				got = h.Name
			}
		}
		if got != tt.want {
			t.Errorf("StatutoryHolidays(%d) names %s %q, want %q", tt.in.Year, tt.in, got, tt.want)
		}
	}
}

// TestNationalDayNeighbour runs the provisional rule over each weekday 2 Sep
// can fall on: the neighbour is always a weekday, the one that bridges to
// the weekend when there is one.
func TestNationalDayNeighbour(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2020, []string{"Wed 2020-09-02 statutory"}}, // the 2012 code: one day
		{2021, []string{"Thu 2021-09-02 statutory", "Fri 2021-09-03 statutory P"}},
		{2022, []string{"Thu 2022-09-01 statutory P", "Fri 2022-09-02 statutory"}},
		{2023, []string{"Fri 2023-09-01 statutory P", "Mon 2023-09-04 make-up"}},
		{2024, []string{"Mon 2024-09-02 statutory", "Tue 2024-09-03 statutory P"}},
		{2025, []string{"Mon 2025-09-01 statutory P", "Tue 2025-09-02 statutory"}},
		{2026, []string{"Tue 2026-09-01 statutory P", "Wed 2026-09-02 statutory"}},
		{2029, []string{"Mon 2029-09-03 statutory P", "Tue 2029-09-04 make-up"}},
	}
	for _, tt := range tests {
		var got []string
		for _, h := range StatutoryHolidays(tt.year) {
			if h.Date.Month == time.August || h.Date.Month == time.September {
				got = append(got, fmtHoliday(h))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("StatutoryHolidays(%d) around 2 Sep = %q, want %q", tt.year, got, tt.want)
		}
	}
}

// TestStatutoryHolidaysEveryYear computes 1900–2199: each holiday in force
// gives exactly one weekday off in its year (itself or its make-up day), no
// day is listed twice, and none is a Saturday or Sunday. The whole run also
// makes one valid calendar.
func TestStatutoryHolidaysEveryYear(t *testing.T) {
	var all []Override
	for year := 1900; year <= 2199; year++ {
		hs := StatutoryHolidays(year)
		want := 8 // 1 Jan, 4 days of Tết, 30 Apr, 1 May, 2 Sep (the 1994 code)
		switch {
		case year >= 2021:
			want = 11 // the 2019 code: and a day next to 2 Sep
		case year >= 2014:
			want = 10 // the 2012 code from 1 May 2013: 5 days of Tết
		case year >= 2007:
			want = 9 // and the Hùng Kings' day
		}
		if len(hs) != want {
			t.Errorf("StatutoryHolidays(%d) has %d days, want %d: %q", year, len(hs), want, fmtHolidays(hs))
		}
		provisional := 0
		for i, h := range hs {
			if h.Date.Year != year {
				t.Errorf("StatutoryHolidays(%d) holds %s", year, fmtHoliday(h))
			}
			if w := h.Date.Weekday(); w == time.Saturday || w == time.Sunday {
				t.Errorf("StatutoryHolidays(%d) holds a weekend day: %s", year, fmtHoliday(h))
			}
			if i > 0 && dayNumber(hs[i-1].Date) >= dayNumber(h.Date) {
				t.Errorf("StatutoryHolidays(%d) not sorted or not unique: %s then %s", year, fmtHoliday(hs[i-1]), fmtHoliday(h))
			}
			if h.Source != SourceStatutory && h.Source != SourceMakeUp {
				t.Errorf("StatutoryHolidays(%d): %s has source %q", year, fmtHoliday(h), h.Source)
			}
			if !strings.ContainsFunc(h.Name, func(r rune) bool { return r > unicode.MaxASCII }) {
				t.Errorf("StatutoryHolidays(%d): %s has name %q, want Vietnamese with diacritics", year, fmtHoliday(h), h.Name)
			}
			if h.Source == SourceMakeUp && !strings.HasPrefix(h.Name, "Nghỉ bù ") {
				t.Errorf("StatutoryHolidays(%d): make-up day %s is named %q, want Nghỉ bù …", year, fmtHoliday(h), h.Name)
			}
			if h.Provisional {
				provisional++
			}
			all = append(all, h.Override())
		}
		// Tết's days (or their make-up days) and the day next to 2 Sep.
		wantProvisional := 4
		switch {
		case year >= 2021:
			wantProvisional = 6
		case year >= 2014:
			wantProvisional = 5
		}
		if provisional != wantProvisional {
			t.Errorf("StatutoryHolidays(%d) has %d provisional days, want %d: %q", year, provisional, wantProvisional, fmtHolidays(hs))
		}
	}
	if _, err := New(VietnamLocation(), DefaultSessions(), []time.Weekday{time.Saturday, time.Sunday}, all); err != nil {
		t.Errorf("New with the statutory overrides of 1900–2199: %v", err)
	}
	for _, year := range []int{0, 10000} {
		if got := StatutoryHolidays(year); got != nil {
			t.Errorf("StatutoryHolidays(%d) = %q, want nil", year, fmtHolidays(got))
		}
		if got := StatutoryOverrides(year); got != nil {
			t.Errorf("StatutoryOverrides(%d) = %v, want nil", year, got)
		}
	}
}

// TestStatutoryVersusNotices sets the rules beside the official notices
// built into vietnam.go. In 2025 the notice chose other days of Tết than the
// provisional rule (28 tháng Chạp to mùng 3, where the rule takes 29 tháng
// Chạp to mùng 4 and makes mùng 4, a Saturday, up on Monday) and swapped
// Fri 2 May with Sat 26 Apr, which no rule foresees. In 2026 the notice and
// the rules agree on every day (the day next to 2 Sep in vietnam.go is
// itself assumed).
func TestStatutoryVersusNotices(t *testing.T) {
	tests := []struct {
		year                        int
		both, onlyRules, onlyNotice []string
		worked                      []string // Saturdays the notice makes working days
	}{
		{
			year: 2025,
			both: []string{"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
				"2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02"},
			onlyRules:  []string{"2025-02-03"},
			onlyNotice: []string{"2025-01-27", "2025-05-02"},
			worked:     []string{"2025-04-26"},
		},
		{
			year: 2026,
			both: []string{"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
				"2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"},
		},
	}
	for _, tt := range tests {
		rules := map[string]bool{}
		for _, h := range StatutoryHolidays(tt.year) {
			rules[h.Date.String()] = true
		}
		var both, onlyRules, onlyNotice, worked []string
		for _, o := range VietnamOverrides(tt.year) {
			d := o.Date.String()
			switch {
			case o.Working:
				worked = append(worked, d)
			case rules[d]:
				both = append(both, d)
				delete(rules, d)
			default:
				onlyNotice = append(onlyNotice, d)
			}
		}
		for d := range rules {
			onlyRules = append(onlyRules, d)
		}
		slices.Sort(both)
		slices.Sort(onlyRules)
		slices.Sort(onlyNotice)
		for _, c := range []struct {
			what      string
			got, want []string
		}{
			{"days off in both", both, tt.both},
			{"days off only by the rules", onlyRules, tt.onlyRules},
			{"days off only by the notice", onlyNotice, tt.onlyNotice},
			{"days worked by the notice", worked, tt.worked},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("%d, %s: got %q, want %q", tt.year, c.what, c.got, c.want)
			}
		}
	}
}

// TestStatutoryNewYear2027 is the case the built-in data cannot answer: 1 Jan
// 2027, a Friday, is a holiday, and only the rules know it.
func TestStatutoryNewYear2027(t *testing.T) {
	overrides := append(VietnamOverrides(2026), StatutoryOverrides(2027)...)
	cal, err := New(VietnamLocation(), DefaultSessions(), []time.Weekday{time.Saturday, time.Sunday}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	from := wall(t, "Wed 2026-12-30 16:00")
	if got, want := cal.Add(from, 2*MinutesPerWorkingDay), wall(t, "Mon 2027-01-04 16:00"); !got.Equal(want) {
		t.Errorf("Add(%s, 2 working days) = %s, want %s", fmtWall(from), fmtWall(got), fmtWall(want))
	}
	if cal.IsWorkingDay(date(2027, time.January, 1)) {
		t.Errorf("IsWorkingDay(2027-01-01) = true, want false")
	}
	// DefaultCalendar holds the statutory days of every year without a
	// notice: the same answer.
	if got, want := DefaultCalendar().Add(from, 2*MinutesPerWorkingDay), wall(t, "Mon 2027-01-04 16:00"); !got.Equal(want) {
		t.Errorf("DefaultCalendar().Add(%s, 2 working days) = %s, want %s", fmtWall(from), fmtWall(got), fmtWall(want))
	}
}

func TestHolidayOverride(t *testing.T) {
	tests := []struct {
		in   Holiday
		want Override
	}{
		{Holiday{Date: date(2027, time.January, 1), Name: "Tết Dương lịch (1/1)", Source: SourceStatutory},
			Override{Date: date(2027, time.January, 1), Name: "Tết Dương lịch (1/1)"}},
		{Holiday{Date: date(2027, time.February, 10), Name: "Nghỉ bù Tết", Source: SourceMakeUp, Provisional: true},
			Override{Date: date(2027, time.February, 10), Name: "Nghỉ bù Tết, tạm tính"}},
	}
	for _, tt := range tests {
		if got := tt.in.Override(); got != tt.want {
			t.Errorf("%s.Override() = %+v, want %+v", fmtHoliday(tt.in), got, tt.want)
		}
	}
	ov := StatutoryOverrides(2027)
	hs := StatutoryHolidays(2027)
	if len(ov) != len(hs) {
		t.Fatalf("StatutoryOverrides(2027) has %d overrides, want %d", len(ov), len(hs))
	}
	for i := range ov {
		if ov[i] != hs[i].Override() {
			t.Errorf("StatutoryOverrides(2027)[%d] = %+v, want %+v", i, ov[i], hs[i].Override())
		}
	}
}

// TestVietnamHolidayRules checks the data: the rules in force under the
// 2019 code are the six holidays of art. 112, 11 days in all, and rows of
// one holiday follow each other without overlap.
func TestVietnamHolidayRules(t *testing.T) {
	rules := VietnamHolidayRules()
	inForce := map[string]int{}
	for _, r := range rules {
		if r.Name == "" || r.Law == "" || r.Days < 1 || r.Kind.String() == fmt.Sprintf("RuleKind(%d)", int(r.Kind)) {
			t.Errorf("rule %+v: want a name, a law, a kind and at least one day", r)
		}
		// Each holiday's date in 2026 (1 Jan for Tết: any date of that year
		// is inside the same rows).
		if r.InForce(date(2026, time.January, 1)) {
			inForce[r.Name] += r.Days
		}
	}
	want := map[string]int{
		"Tết Dương lịch": 1, "Tết Nguyên đán": 5, "Giỗ Tổ Hùng Vương": 1,
		"Ngày Giải phóng miền Nam, thống nhất đất nước": 1, "Ngày Quốc tế Lao động": 1, "Quốc khánh": 2,
	}
	if fmt.Sprint(inForce) != fmt.Sprint(want) {
		t.Errorf("rules in force in 2026 = %v, want %v", inForce, want)
	}
	for i, a := range rules {
		for _, b := range rules[i+1:] {
			if a.Name != b.Name {
				continue
			}
			aBeforeB := a.Until != (Date{}) && b.From != (Date{}) && dayNumber(a.Until) <= dayNumber(b.From)
			bBeforeA := b.Until != (Date{}) && a.From != (Date{}) && dayNumber(b.Until) <= dayNumber(a.From)
			if !aBeforeB && !bBeforeA {
				t.Errorf("rules for %s overlap: %+v and %+v", a.Name, a, b)
			}
		}
	}
	rules[0].Name = "changed"
	if VietnamHolidayRules()[0].Name == "changed" {
		t.Errorf("VietnamHolidayRules shares its slice with callers")
	}
	for _, tt := range []struct {
		rule HolidayRule
		in   Date
		want bool
	}{
		{HolidayRule{From: date(2021, time.January, 1)}, date(2020, time.December, 31), false},
		{HolidayRule{From: date(2021, time.January, 1)}, date(2021, time.January, 1), true},
		{HolidayRule{Until: date(2013, time.May, 1)}, date(2013, time.April, 30), true},
		{HolidayRule{Until: date(2013, time.May, 1)}, date(2013, time.May, 1), false},
		{HolidayRule{}, date(1, time.January, 1), true},
	} {
		if got := tt.rule.InForce(tt.in); got != tt.want {
			t.Errorf("HolidayRule{From: %s, Until: %s}.InForce(%s) = %t, want %t", tt.rule.From, tt.rule.Until, tt.in, got, tt.want)
		}
	}
}

// TestHolidaysOfNewRule: a law that adds a holiday is a new row. The rule
// here is made up for the test.
func TestHolidaysOfNewRule(t *testing.T) {
	rules := append(VietnamHolidayRules(),
		HolidayRule{Name: "Ngày thử nghiệm", Kind: RuleSolar, Month: 11, Day: 24, Days: 1, From: date(2027, time.January, 1), Law: "test"},
		// Two days from 30 Dec: the second, 31 Dec 2027, is a Friday; in
		// 2028 30 Dec is a Saturday, made up on Tuesday 2 Jan 2029 after
		// 1 Jan, which is a Monday and a holiday itself.
		HolidayRule{Name: "Ngày cuối năm", Kind: RuleSolar, Month: 12, Day: 30, Days: 2, From: date(2027, time.January, 1), Law: "test"},
		// The same day as 30 Apr: it counts once.
		HolidayRule{Name: "Ngày trùng", Kind: RuleSolar, Month: 4, Day: 30, Days: 1, From: date(2027, time.January, 1), Law: "test"},
	)
	find := func(year int, d Date) (Holiday, bool) {
		for _, h := range holidaysOf(rules, year) {
			if h.Date == d {
				return h, true
			}
		}
		return Holiday{}, false
	}
	if h, ok := find(2026, date(2026, time.November, 24)); ok {
		t.Errorf("a rule from 2027 gives %s in 2026", fmtHoliday(h))
	}
	for _, tt := range []struct {
		in   Date
		want string
	}{
		{date(2027, time.November, 24), "Ngày thử nghiệm (24/11)"},
		{date(2027, time.December, 30), "Ngày cuối năm (30/12)"},
		{date(2027, time.December, 31), "Ngày cuối năm (31/12)"},
		{date(2027, time.April, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4); Ngày trùng (30/4)"},
		{date(2029, time.January, 2), "Nghỉ bù Ngày cuối năm (Thứ Bảy 30/12/2028)"},
		{date(2029, time.January, 3), "Nghỉ bù Ngày cuối năm (Chủ nhật 31/12/2028)"},
	} {
		if h, ok := find(tt.in.Year, tt.in); !ok || h.Name != tt.want {
			t.Errorf("holidaysOf(rules with new rows, %d) gives %s %q, want %q", tt.in.Year, tt.in, h.Name, tt.want)
		}
	}
	if n, want := len(holidaysOf(rules, 2027)), 11+3; n != want {
		t.Errorf("holidaysOf(rules with new rows, 2027) has %d days, want %d", n, want)
	}
}
