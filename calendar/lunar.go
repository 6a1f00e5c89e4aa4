package calendar

// The Vietnamese lunar calendar (âm lịch), computed: Tết and the Hùng Kings'
// day are lunar dates, so the holidays of any year need it.
//
// The rules are Hồ Ngọc Đức's ("Thuật toán tính âm lịch"), those of the
// calendar Vietnam has reckoned on the UTC+7 meridian since 1968:
//   - a month begins on the day (at UTC+7) of a new moon;
//   - the 11th month is the one that holds the winter solstice;
//   - when 13 new moons begin between two 11th months, the first month
//     after the 11th that holds no major solar term (trung khí: the sun's
//     longitude crossing a multiple of 30°) is the leap month and takes the
//     number of the month before it.
//
// The meridian is the whole difference from China's calendar, reckoned at
// UTC+8: a new moon in the first hour of a day in Beijing is still the
// evening before in Hanoi, so the month starts a day earlier in Vietnam.
// That can move Tết by a day (2007: 17 Feb in Vietnam, 18 Feb in China;
// 2030: 2 and 3 Feb), or by a month when the day moves the solstice or a
// major term into another month and with it the leap month (1985: 21 Jan
// in Vietnam, 20 Feb in China).
//
// The astronomy is Đức's too: Jean Meeus' abridged series for the new moon
// and for the sun's apparent longitude, a few minutes from the true instants
// in 1900–2199. Đức's published calendar is computed with them, and so are
// these dates; the tests pin its Tết dates and leap months.
//
// Every year is reckoned at UTC+7, as the product needs for the years it
// counts deadlines in. Calendars printed in Vietnam before 1968 followed
// China's UTC+8 reckoning and may differ from these dates by a day.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

const (
	// lunarOffset is UTC+7 as a fraction of a day.
	lunarOffset = 7.0 / 24
	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588853
	// newMoonEpoch is the Julian date (UT) of new moon number 0,
	// 1900-01-01 13:52 UT; new moon k is about k lunations after it.
	newMoonEpoch = 2415021.076998695
	// julianDayOfEpoch is the Julian day number of 1970-01-01, day 0 of
	// dayNumber; Julian dates start at noon, so midnight UT starting day n
	// is julianDayOfEpoch + n - 0.5.
	julianDayOfEpoch = 2440588

	// The years the lunar calendar is computed for. Past them the series
	// lose their meaning long before float64 does; the range keeps every
	// computation finite and cheap.
	lunarFirstYear = 1
	lunarLastYear  = 9999

	// The lunar years kept in lunarTable, computed once: a little more than
	// the solar years 1900–2199 that the calendar is checked for.
	tableFirstYear = 1899
	tableLastYear  = 2200
)

// LunarDate is a date of the Vietnamese lunar calendar. Year is the solar
// year in which that lunar year's Tết falls (Tết 2026 is 1/1 of lunar year
// 2026, on 17 Feb 2026); Month is 1 (tháng Giêng) to 12 (tháng Chạp); Day is
// 1 to 29 or 30; Leap marks the leap month (tháng nhuận), which follows the
// ordinary month of the same number.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String formats l as "2026-03-10", or "2023-02L-10" in a leap month.
func (l LunarDate) String() string {
	leap := ""
	if l.Leap {
		leap = "L"
	}
	return fmt.Sprintf("%04d-%02d%s-%02d", l.Year, l.Month, leap, l.Day)
}

// ToLunar returns the lunar date of d. An out-of-range solar date is
// normalised first, as time.Date does. The result is the zero LunarDate for
// a date outside the solar years 1–9999.
func ToLunar(d Date) LunarDate {
	day := dayNumber(d)
	t := lunarTable()
	if day < t.months[0].start || day >= t.end {
		y := civilFromDays(day).Year
		if y < lunarFirstYear || y > lunarLastYear {
			return LunarDate{}
		}
		// The months from the 11th month of y-1 to that of y+1 hold every
		// day of y.
		t = buildLunarMonths(y, y+1)
	}
	i := t.monthOf(day)
	m := t.months[i]
	return LunarDate{Year: m.year, Month: m.month, Day: int(day-m.start) + 1, Leap: m.leap}
}

// FromLunar returns the solar date of l. It fails when l does not exist: a
// month outside 1–12, a day outside the month (29 days in a short month), a
// leap month in a year whose leap month is another or that has none, or a
// year outside 1–9999.
func FromLunar(l LunarDate) (Date, error) {
	if l.Year < lunarFirstYear || l.Year > lunarLastYear {
		return Date{}, fmt.Errorf("workflow: lunar date %s: year outside %d–%d", l, lunarFirstYear, lunarLastYear)
	}
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return Date{}, fmt.Errorf("workflow: lunar date %s does not exist", l)
	}
	t := lunarTable()
	if l.Year < tableFirstYear || l.Year >= tableLastYear {
		// Months 1–10 of a lunar year lie before the solstice of its solar
		// year, 11 and 12 after it.
		t = buildLunarMonths(l.Year, l.Year+1)
	}
	i, ok := t.find(l.Year, l.Month, l.Leap)
	if !ok {
		if l.Leap {
			return Date{}, fmt.Errorf("workflow: lunar date %s does not exist: lunar year %d has no leap month %d", l, l.Year, l.Month)
		}
		return Date{}, fmt.Errorf("workflow: lunar date %s is not computed", l) // unreachable within the range
	}
	if n := t.length(i); int64(l.Day) > n {
		return Date{}, fmt.Errorf("workflow: lunar date %s does not exist: the month has %d days", l, n)
	}
	return civilFromDays(t.months[i].start + int64(l.Day) - 1), nil
}

// NewYear returns Tết, 1/1 of lunarYear, as a solar date in that year: the
// first day of the lunar year. It is the zero Date outside 1–9999.
func NewYear(lunarYear int) Date {
	d, err := FromLunar(LunarDate{Year: lunarYear, Month: 1, Day: 1})
	if err != nil {
		return Date{}
	}
	return d
}

// LeapMonth returns the number of the leap month of lunarYear (the leap
// month follows the ordinary month of that number), or 0 when the year has
// none or lies outside 1–9999.
func LeapMonth(lunarYear int) int {
	if lunarYear < lunarFirstYear || lunarYear > lunarLastYear {
		return 0
	}
	t := lunarTable()
	if lunarYear < tableFirstYear || lunarYear >= tableLastYear {
		t = buildLunarMonths(lunarYear, lunarYear+1)
	}
	for _, m := range t.months {
		if m.leap && m.year == lunarYear {
			return m.month
		}
	}
	return 0
}

// lunarMonth is one month of the lunar calendar: the day it starts on and
// its name.
type lunarMonth struct {
	start int64 // dayNumber of its first day
	year  int   // the lunar year
	month int   // 1..12
	leap  bool
}

// lunarMonths is a run of consecutive lunar months, sorted by start; the last
// one ends the day before end.
type lunarMonths struct {
	months []lunarMonth
	end    int64
}

// monthOf returns the index of the month that holds day, which must lie in
// [months[0].start, end).
func (t lunarMonths) monthOf(day int64) int {
	i, found := slices.BinarySearchFunc(t.months, day, func(m lunarMonth, day int64) int { return cmp.Compare(m.start, day) })
	if !found {
		i-- // the last month starting before day
	}
	return i
}

// find returns the index of the month named year/month/leap. Years do not
// decrease along the run, so a year's 12 or 13 months follow the first
// index of that year.
func (t lunarMonths) find(year, month int, leap bool) (int, bool) {
	first, _ := slices.BinarySearchFunc(t.months, year, func(m lunarMonth, year int) int { return cmp.Compare(m.year, year) })
	for i := first; i < len(t.months) && t.months[i].year == year; i++ {
		if m := t.months[i]; m.month == month && m.leap == leap {
			return i, true
		}
	}
	return 0, false
}

// length returns the days in month i: 29 or 30.
func (t lunarMonths) length(i int) int64 {
	next := t.end
	if i+1 < len(t.months) {
		next = t.months[i+1].start
	}
	return next - t.months[i].start
}

// lunarTable holds the months of lunar years 1899–2200 (solar dates from
// December 1898 to December 2200), computed once: every conversion in the
// years the product counts deadlines in is then a search, not astronomy.
var lunarTable = sync.OnceValue(func() lunarMonths {
	return buildLunarMonths(tableFirstYear, tableLastYear)
})

// buildLunarMonths returns the months from the 11th month of solar year
// from-1 to the day before the 11th month of solar year to: the lunar
// calendar's years are built from one winter solstice to the next.
func buildLunarMonths(from, to int) lunarMonths {
	t := lunarMonths{months: make([]lunarMonth, 0, (to-from+1)*13)}
	a := month11(from - 1)
	for y := from; y <= to; y++ {
		b := month11(y)
		t.months = appendSolsticeYear(t.months, y, a, b)
		a = b
	}
	t.end = a
	return t
}

// appendSolsticeYear appends the months that begin on or after a, the 11th
// month of solar year y-1, and before b, the 11th month of y. The first two
// (three with a leap 11th or 12th month) end lunar year y-1; the rest are
// months 1 to 10 of lunar year y.
func appendSolsticeYear(months []lunarMonth, y int, a, b int64) []lunarMonth {
	k := newMoonIndex(a)
	n := int(math.Round(float64(b-a) / synodicMonth)) // 12 or 13
	starts := make([]int64, n+1)
	for i := range n {
		starts[i] = newMoonDay(k + i)
	}
	starts[n] = b
	// With 13 months the leap month is the first after the 11th that holds
	// no major term: the term in force at its first midnight is still in
	// force at the next month's. One exists, since 12 major terms fall
	// from one solstice to the next and the first is in the 11th month.
	leap := 0
	if n == 13 {
		for i := 1; i < n; i++ {
			if majorTerm(starts[i]) == majorTerm(starts[i+1]) {
				leap = i
				break
			}
		}
	}
	for i := range n {
		m := 11 + i // counting on from the 11th month
		if leap > 0 && i >= leap {
			m-- // the leap month and those after it take one number less
		}
		year := y - 1
		if m > 12 {
			m -= 12
			year = y
		}
		months = append(months, lunarMonth{start: starts[i], year: year, month: m, leap: leap > 0 && i == leap})
	}
	return months
}

// month11 returns the first day of the lunar month that holds the winter
// solstice of solar year y: the new moon next before 31 December, or the
// one before it when the solstice has already passed at the first midnight
// of that month (the sun's longitude past 270°, term 9).
func month11(y int) int64 {
	dec31 := dayNumber(Date{Year: y, Month: time.December, Day: 31})
	k := int(math.Floor((float64(dec31+julianDayOfEpoch) - newMoonEpoch) / synodicMonth))
	day := newMoonDay(k)
	if majorTerm(day) >= 9 {
		day = newMoonDay(k - 1)
	}
	return day
}

// newMoonIndex returns the number k of the new moon that falls on day.
func newMoonIndex(day int64) int {
	return int(math.Round((float64(day+julianDayOfEpoch) - newMoonEpoch) / synodicMonth))
}

// newMoonDay returns the day (at UTC+7) of new moon k.
func newMoonDay(k int) int64 {
	return int64(math.Floor(newMoon(k)+0.5+lunarOffset)) - julianDayOfEpoch
}

// majorTerm returns the major solar term in force at the first midnight
// (UTC+7) of day: the sun's apparent longitude in whole 30° steps from the
// March equinox, 0 to 11 (9 from the winter solstice on).
func majorTerm(day int64) int {
	jd := float64(day+julianDayOfEpoch) - 0.5 - lunarOffset
	return int(sunLongitude(jd) / 30)
}

// newMoon returns the Julian date (UT) of new moon k, counted from the new
// moon of 1 January 1900: Meeus' mean lunation with the main periodic terms
// and his ΔT correction, as Đức gives them.
func newMoon(k int) float64 {
	kf := float64(k)
	T := kf / 1236.85 // Julian centuries from 1900 January 0.5
	T2, T3 := T*T, T*T*T
	jd := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd += 0.00033 * sinDeg(166.56+132.87*T-0.009173*T2)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3   // the sun's mean anomaly
	Mm := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3 // the moon's mean anomaly
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3   // the moon's argument of latitude
	c := (0.1734-0.000393*T)*sinDeg(M) + 0.0021*sinDeg(2*M) -
		0.4068*sinDeg(Mm) + 0.0161*sinDeg(2*Mm) - 0.0004*sinDeg(3*Mm) +
		0.0104*sinDeg(2*F) - 0.0051*sinDeg(M+Mm) - 0.0074*sinDeg(M-Mm) +
		0.0004*sinDeg(2*F+M) - 0.0004*sinDeg(2*F-M) - 0.0006*sinDeg(2*F+Mm) +
		0.0010*sinDeg(2*F-Mm) + 0.0005*sinDeg(2*Mm+M)
	var deltaT float64
	if T < -11 {
		deltaT = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltaT = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd + c - deltaT
}

// sunLongitude returns the sun's apparent longitude in degrees, [0, 360), at
// Julian date jd: the mean longitude, the equation of the centre, and the
// corrections for nutation and aberration. (Đức's programs come with and
// without the last line; the two give the same calendar for 1900–2199.)
func sunLongitude(jd float64) float64 {
	T := (jd - 2451545.0) / 36525 // Julian centuries from J2000.0
	T2 := T * T
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2 // mean anomaly
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2                  // mean longitude
	C := (1.914600-0.004817*T-0.000014*T2)*sinDeg(M) +
		(0.019993-0.000101*T)*sinDeg(2*M) + 0.000290*sinDeg(3*M)
	omega := 125.04 - 1934.136*T
	L := L0 + C - 0.00569 - 0.00478*sinDeg(omega)
	L = math.Mod(L, 360)
	if L < 0 {
		L += 360
	}
	return L
}

func sinDeg(deg float64) float64 { return math.Sin(deg * math.Pi / 180) }
