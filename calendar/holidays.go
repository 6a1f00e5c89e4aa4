package calendar

// The public holidays of the Labour Code (Bộ luật Lao động) as data, and the
// code that turns them into the days off of any year, so that a year whose
// government notice nobody has entered yet still has its holidays.
//
// The data says which holidays are in force when: a law that adds, lengthens
// or ends a holiday is a new row with its dates, not new code. The code
// knows four kinds of holiday (a solar date, a lunar date, the Tết block,
// National Day with its neighbour) and the make-up rule of art. 111(3).
//
// Two things the law leaves to the Prime Minister each year (art. 112(3)):
// which days make up the five days of Tết, and which neighbour of 2 Sep is
// the second day of National Day. Until that year's notice is entered the
// days here follow a provisional rule and say so (Holiday.Provisional):
//   - Tết: the last day of the old lunar year (29 or 30 tháng Chạp) and
//     the first days of the new one, four of them for a block of five
//     (three for the four days of the 1994 code). The notices take one or
//     two days before Tết and three or four after it (2025: two and three,
//     2026: one and four). Both include the eve and mùng 1–3; the rule
//     keeps those and adds mùng 4, the choice of 2026.
//   - National Day: the neighbour that gives the longer break, always a
//     weekday, so that the second day is a day off and not a make-up day:
//     Monday 2 Sep → Tuesday 3 (Sat–Tue); Tuesday → Monday 1 (Sat–Tue);
//     Wednesday → Tuesday 1 (no bridge either way: the eve, the day the
//     2026 data assumes too); Thursday → Friday 3 (Thu–Sun); Friday →
//     Thursday 1 (Thu–Sun); Saturday → Friday 1 (Fri–Mon with 2 Sep made up
//     on Monday 4); Sunday → Monday 3 (Sat–Tue with 2 Sep made up on
//     Tuesday 4). That is: the day after when 2 Sep is a Monday, Thursday
//     or Sunday, the day before otherwise. The decisions for 2021 (Fri 3),
//     2022 (Thu 1), 2024 (Tue 3) and 2025 (Mon 1) agree.
//
// The weekly days off are Saturday and Sunday, the civil-service week of
// DefaultCalendar. The swapped days of the civil-service notices (a Saturday
// worked for a bridge day off) are the notice's own choice and are not
// guessed here.

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"
)

// RuleKind says how a holiday rule's dates are found.
type RuleKind int

const (
	// RuleSolar is a fixed solar date, Month/Day, and the days after it
	// when Days > 1.
	RuleSolar RuleKind = iota + 1
	// RuleLunar is a fixed lunar date, Month/Day of the ordinary (not the
	// leap) month, and the days after it when Days > 1.
	RuleLunar
	// RuleTet is the block of Days days around Tết, 1/1 of the lunar year.
	// The Prime Minister picks the days; until then the provisional rule
	// takes the last day of the old year and Days-1 days of the new.
	RuleTet
	// RuleNationalDay is the solar date Month/Day (2 Sep) and one weekday
	// next to it, which the Prime Minister picks; until then the
	// provisional rule picks the one that gives the longer break.
	RuleNationalDay
)

// String returns the kind's name, e.g. "tet".
func (k RuleKind) String() string {
	switch k {
	case RuleSolar:
		return "solar"
	case RuleLunar:
		return "lunar"
	case RuleTet:
		return "tet"
	case RuleNationalDay:
		return "national-day"
	}
	return fmt.Sprintf("RuleKind(%d)", int(k))
}

// HolidayRule is one public holiday of the law as it stood between two
// dates.
type HolidayRule struct {
	// Name is the holiday's Vietnamese name, e.g. "Giỗ Tổ Hùng Vương".
	Name string
	Kind RuleKind
	// Month and Day: a solar date for RuleSolar and RuleNationalDay, a
	// lunar date for RuleLunar; unused for RuleTet (1/1 lunar).
	Month, Day int
	// Days is the number of days off the rule gives: 2 for
	// RuleNationalDay (the day and its neighbour).
	Days int
	// From and Until bound the rule: it gives a holiday whose date (1/1
	// lunar for Tết) falls on or after From and before Until. A zero Date
	// leaves that side open.
	From, Until Date
	// Law cites the text the rule comes from.
	Law string
}

// InForce reports whether r gives a holiday dated d.
func (r HolidayRule) InForce(d Date) bool {
	day := dayNumber(d)
	if r.From != (Date{}) && day < dayNumber(r.From) {
		return false
	}
	return r.Until == (Date{}) || day < dayNumber(r.Until)
}

// The public holidays since the Labour Code 1994 took effect (1 Jan 1995).
// Years before 1995 get the 1994 code's list, a simplification: the texts
// before it are not modelled, and no deadline the product counts lies there.
var vietnamHolidayRules = []HolidayRule{
	{Name: "Tết Dương lịch", Kind: RuleSolar, Month: 1, Day: 1, Days: 1,
		Law: "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm a (trước đó BLLĐ 2012 Điều 115, BLLĐ 1994 Điều 73)"},
	{Name: "Tết Nguyên đán", Kind: RuleTet, Days: 4, Until: Date{2013, time.May, 1},
		Law: "Bộ luật Lao động 1994, Điều 73"},
	{Name: "Tết Nguyên đán", Kind: RuleTet, Days: 5, From: Date{2013, time.May, 1},
		Law: "Bộ luật Lao động 2012 (hiệu lực 01/5/2013), Điều 115; Bộ luật Lao động 2019, Điều 112 khoản 1 điểm b"},
	{Name: "Giỗ Tổ Hùng Vương", Kind: RuleLunar, Month: 3, Day: 10, Days: 1, From: Date{2007, time.April, 2},
		Law: "Luật số 84/2007/QH11 ngày 02/4/2007 sửa đổi Điều 73 BLLĐ 1994; Bộ luật Lao động 2019, Điều 112 khoản 1 điểm e"},
	{Name: "Ngày Giải phóng miền Nam, thống nhất đất nước", Kind: RuleSolar, Month: 4, Day: 30, Days: 1,
		Law: "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm c (trước đó BLLĐ 2012 Điều 115, BLLĐ 1994 Điều 73)"},
	{Name: "Ngày Quốc tế Lao động", Kind: RuleSolar, Month: 5, Day: 1, Days: 1,
		Law: "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm d (trước đó BLLĐ 2012 Điều 115, BLLĐ 1994 Điều 73)"},
	{Name: "Quốc khánh", Kind: RuleSolar, Month: 9, Day: 2, Days: 1, Until: Date{2021, time.January, 1},
		Law: "Bộ luật Lao động 1994, Điều 73; Bộ luật Lao động 2012, Điều 115"},
	{Name: "Quốc khánh", Kind: RuleNationalDay, Month: 9, Day: 2, Days: 2, From: Date{2021, time.January, 1},
		Law: "Bộ luật Lao động 2019 (hiệu lực 01/01/2021), Điều 112 khoản 1 điểm đ"},
}

// VietnamHolidayRules returns the public holidays of the Labour Code with
// the dates they were in force: since 2021 those of the 2019 code, art. 112
// (1 Jan; 5 days of Tết; Hùng Kings' day, 10/3 lunar; 30 Apr; 1 May; 2 Sep
// and a day next to it), before that those of the 2012 and 1994 codes. The
// slice is new on every call.
func VietnamHolidayRules() []HolidayRule { return slices.Clone(vietnamHolidayRules) }

// HolidaySource says why a Holiday is a day off.
type HolidaySource string

const (
	// SourceStatutory is a public holiday itself.
	SourceStatutory HolidaySource = "statutory"
	// SourceMakeUp is a make-up day (nghỉ bù): the working day a holiday
	// that fell on a weekly day off is taken on (art. 111(3)).
	SourceMakeUp HolidaySource = "make-up"
)

// Holiday is one weekday off that the law gives.
type Holiday struct {
	Date Date
	// Name is Vietnamese, e.g. "Giỗ Tổ Hùng Vương (10/3 âm lịch)" or
	// "Nghỉ bù Giỗ Tổ Hùng Vương (Chủ nhật 26/4/2026)".
	Name   string
	Source HolidaySource
	// Provisional marks the days the year's notice decides (the Tết block,
	// the neighbour of 2 Sep, and the make-up days that follow from them),
	// here chosen by the provisional rule until the notice is entered.
	Provisional bool
}

// Override returns h as a day off for New. A provisional day's name says
// so ("…, tạm tính"), since the override no longer carries the flag.
func (h Holiday) Override() Override {
	name := h.Name
	if h.Provisional {
		name += ", tạm tính"
	}
	return Override{Date: h.Date, Name: name}
}

// StatutoryHolidays returns the weekdays off that the Labour Code gives in
// year under VietnamHolidayRules, sorted by date: each public holiday that
// falls on a weekday, and for each that falls on a Saturday or Sunday its
// make-up day, the next weekday that is not itself a holiday or a make-up
// day (after the whole block, for a day of Tết). Holidays on weekends are
// not listed: they are days off already.
//
// The Tết block and the neighbour of 2 Sep come from the provisional rule
// (see Holiday.Provisional); a year's official notice replaces them, and adds
// the swapped days that no rule foresees. It returns nil for a year outside
// 1–9999, where the lunar calendar is not computed.
func StatutoryHolidays(year int) []Holiday {
	if year < lunarFirstYear || year > lunarLastYear {
		return nil
	}
	return holidaysOf(vietnamHolidayRules, year)
}

// StatutoryOverrides returns StatutoryHolidays(year) as overrides for New.
func StatutoryOverrides(year int) []Override {
	hs := StatutoryHolidays(year)
	if hs == nil {
		return nil
	}
	ov := make([]Override, len(hs))
	for i, h := range hs {
		ov[i] = h.Override()
	}
	return ov
}

// occurrence is one day a rule makes a holiday, before make-up days.
type occurrence struct {
	day  int64  // dayNumber
	name string // the day's name, e.g. "Tết Nguyên đán Đinh Mùi (mùng 1 tháng Giêng)"
	// holiday names the holiday in a make-up day's name, e.g.
	// "Tết Nguyên đán Đinh Mùi".
	holiday     string
	provisional bool
}

// holidaysOf returns the weekdays off that rules give in year.
func holidaysOf(rules []HolidayRule, year int) []Holiday {
	// The years either side take part too: a make-up day may cross New
	// Year, and must not land on a holiday of the next year.
	var occ []occurrence
	for y := year - 1; y <= year+1; y++ {
		for _, r := range rules {
			occ = r.occurrences(y, occ)
		}
	}
	slices.SortStableFunc(occ, func(a, b occurrence) int { return cmp.Compare(a.day, b.day) })
	// Two holidays on one date: the law says nothing, and under these rules
	// it does not happen from 2007, when the Hùng Kings' day became a
	// holiday, to 2199. The day counts once, named for both, and is certain
	// when either holiday is.
	merged := occ[:0]
	for _, o := range occ {
		if n := len(merged); n > 0 && merged[n-1].day == o.day {
			m := &merged[n-1]
			m.name += "; " + o.name
			m.holiday += "; " + o.holiday
			m.provisional = m.provisional && o.provisional
			continue
		}
		merged = append(merged, o)
	}
	occ = merged

	taken := make(map[int64]bool, len(occ))
	for _, o := range occ {
		taken[o.day] = true
	}
	var out []Holiday
	for _, o := range occ {
		if !weekend(o.day) {
			out = append(out, Holiday{Date: civilFromDays(o.day), Name: o.name, Source: SourceStatutory, Provisional: o.provisional})
			continue
		}
		// Art. 111(3): made up on the next working day, one that is not a
		// holiday itself nor already another holiday's make-up day. For a
		// day of Tết that is after the whole block, whose days are all
		// holidays.
		day := o.day + 1
		for weekend(day) || taken[day] {
			day++
		}
		taken[day] = true
		name := fmt.Sprintf("Nghỉ bù %s (%s %s)", o.holiday, weekdayVI[weekdayOf(o.day)], fmtDayVI(o.day))
		out = append(out, Holiday{Date: civilFromDays(day), Name: name, Source: SourceMakeUp, Provisional: o.provisional})
	}
	out = slices.DeleteFunc(out, func(h Holiday) bool { return h.Date.Year != year })
	slices.SortFunc(out, func(a, b Holiday) int { return cmp.Compare(dayNumber(a.Date), dayNumber(b.Date)) })
	return out
}

// occurrences appends the days r makes holidays in year y, when r is in
// force for them.
func (r HolidayRule) occurrences(y int, occ []occurrence) []occurrence {
	switch r.Kind {
	case RuleSolar:
		first := dayNumber(Date{Year: y, Month: time.Month(r.Month), Day: r.Day})
		if !r.InForce(civilFromDays(first)) {
			return occ
		}
		for i := range int64(r.Days) {
			occ = append(occ, occurrence{day: first + i, name: fmt.Sprintf("%s (%s)", r.Name, fmtDayMonth(first+i)), holiday: r.Name})
		}
	case RuleLunar:
		d, err := FromLunar(LunarDate{Year: y, Month: r.Month, Day: r.Day})
		if err != nil || !r.InForce(d) {
			return occ // a 30th in a 29-day month has no holiday that year
		}
		first := dayNumber(d)
		for i := range int64(r.Days) {
			occ = append(occ, occurrence{day: first + i, name: fmt.Sprintf("%s (%d/%d âm lịch)", r.Name, r.Day, r.Month), holiday: r.Name})
		}
	case RuleTet:
		tet := NewYear(y)
		if tet == (Date{}) || !r.InForce(tet) {
			return occ
		}
		holiday := r.Name + " " + yearNameVI(y)
		first := dayNumber(tet) - 1 // the provisional rule: the eve and Days-1 days of the new year
		for day := first; day < first+int64(r.Days); day++ {
			name := fmt.Sprintf("%s (%s)", holiday, lunarDayVI(ToLunar(civilFromDays(day))))
			occ = append(occ, occurrence{day: day, name: name, holiday: holiday, provisional: true})
		}
	case RuleNationalDay:
		day := dayNumber(Date{Year: y, Month: time.Month(r.Month), Day: r.Day})
		if !r.InForce(civilFromDays(day)) {
			return occ
		}
		dm := fmtDayMonth(day)
		occ = append(occ, occurrence{day: day, name: fmt.Sprintf("%s (%s)", r.Name, dm), holiday: r.Name})
		next := day - 1
		switch weekdayOf(day) {
		case time.Monday, time.Thursday, time.Sunday:
			next = day + 1
		}
		occ = append(occ, occurrence{day: next, name: fmt.Sprintf("%s (ngày liền kề %s)", r.Name, dm), holiday: r.Name, provisional: true})
	}
	return occ
}

func weekend(day int64) bool {
	w := weekdayOf(day)
	return w == time.Saturday || w == time.Sunday
}

var weekdayVI = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// fmtDayMonth formats a day as Vietnamese write a date in a holiday's name,
// "2/9".
func fmtDayMonth(day int64) string {
	d := civilFromDays(day)
	return fmt.Sprintf("%d/%d", d.Day, int(d.Month))
}

// fmtDayVI formats a day as "26/4/2026".
func fmtDayVI(day int64) string {
	return fmt.Sprintf("%s/%d", fmtDayMonth(day), civilFromDays(day).Year)
}

// yearNameVI returns the sexagenary name of lunar year y, e.g. "Bính Ngọ"
// for 2026: Tết is named for it.
func yearNameVI(y int) string {
	stems := [10]string{"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"}
	branches := [12]string{"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"}
	// 4 CE was Giáp Tý, the first of a cycle.
	return stems[((y-4)%10+10)%10] + " " + branches[((y-4)%12+12)%12]
}

// lunarDayVI names a lunar day as a Tết notice does: "mùng 1 tháng Giêng",
// "29 tháng Chạp".
func lunarDayVI(l LunarDate) string {
	day := fmt.Sprint(l.Day)
	if l.Day <= 10 {
		day = "mùng " + day
	}
	month := fmt.Sprint(l.Month)
	switch l.Month {
	case 1:
		month = "Giêng"
	case 12:
		month = "Chạp"
	}
	if l.Leap {
		month += " nhuận"
	}
	return day + " tháng " + month
}

// The years whose holidays Vietnam computes: the working calendar holds
// their days off; a deadline past LastYear is counted without holidays.
const (
	FirstYear = 1900
	LastYear  = 2199
)

// VietnamYears returns the days off and worked of every year from FirstYear
// to LastYear: for a year in notices (CONFIRMED), the notice's days; for
// every other year (PROVISIONAL), StatutoryOverrides. The statutory days
// are computed once per process.
func VietnamYears(notices map[int][]Override) []Override {
	law := statutoryYears()
	var out []Override
	for y := FirstYear; y <= LastYear; y++ {
		if days, ok := notices[y]; ok {
			out = append(out, days...)
		} else {
			out = append(out, law[y-FirstYear]...)
		}
	}
	for y, days := range notices {
		if y < FirstYear || y > LastYear {
			out = append(out, days...)
		}
	}
	return out
}

var statutoryYears = sync.OnceValue(func() [][]Override {
	out := make([][]Override, LastYear-FirstYear+1)
	for y := FirstYear; y <= LastYear; y++ {
		out[y-FirstYear] = StatutoryOverrides(y)
	}
	return out
})
