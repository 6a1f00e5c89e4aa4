// Package calendar is the working-day calendar: office sessions, weekly
// days off and dated overrides (holidays, make-up days, swapped Saturdays),
// the working-time arithmetic every deadline is computed with, and the
// clocks time is read from. It imports nothing of ours.
//
// Everything here is a pure function of the Calendar's data and its
// arguments: no database, no clock. A Calendar is immutable once built, so
// one value may be shared by any number of goroutines.
//
// Precision: working time is counted in whole minutes of the calendar's wall
// clock. Every instant passed in is first converted to the calendar's
// location and truncated to the start of its wall-clock minute (10:00:59
// counts as 10:00). Results of Add, NextOpening and NextWorkingDayStart are
// therefore always whole minutes, in Location(). This is what keeps the
// invariants exact: Add(t, 0) == NextOpening(t),
// Between(NextOpening(t), Add(t, m)) == m and
// Between(a, b) + Between(b, c) == Between(a, c) for a <= b <= c.
//
// Sessions are wall-clock minutes after local midnight. In a zone with
// daylight saving time, a transition inside a session is counted on the wall
// clock (a skipped hour counts, a repeated hour counts once); Vietnam has had
// no DST since 1975, and transitions elsewhere happen at night anyway.
package calendar

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// MinutesPerWorkingDay converts working days to working minutes: one working
// day is 8 working hours. Durations are stored in working minutes; AddDays
// uses this factor whatever the calendar's own session lengths are.
const MinutesPerWorkingDay = 480

const (
	minutesPerDay = 24 * 60
	// maxAddMinutes caps a budget so that the arithmetic cannot overflow;
	// 2^40 working minutes is millions of years of working time.
	maxAddMinutes = 1 << 40
)

// Session is one office opening in a day, in minutes after local midnight,
// [Start, End).
type Session struct{ Start, End int }

// Date is a civil date in the calendar's time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns t's civil date in t's own location. Convert first
// (t.In(cal.Location())) for the date as the calendar sees it.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date in the form "2006-01-02". Out-of-range days such as
// 2025-02-30 are rejected.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("workflow: parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// String formats d as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d. An out-of-range date is
// normalised the way time.Date does (2025-02-30 is 2025-03-02).
func (d Date) Weekday() time.Weekday { return weekdayOf(dayNumber(d)) }

// Override marks one date as a day off (holiday, make-up day) or as a working
// day (a swapped Saturday). Name says why, for people reading the calendar.
type Override struct {
	Date    Date
	Working bool
	Name    string
}

// Hours are the office sessions in force from a date on, until the next
// Hours of the calendar: summer and winter hours, or a change of the
// province's working hours. A zero From means from the beginning.
type Hours struct {
	From     Date
	Sessions []Session
}

// Calendar is an immutable working-day calendar. Build it with New or
// NewSchedule, or take DefaultCalendar.
type Calendar struct {
	loc       *time.Location
	hours     []Hours
	weeklyOff []time.Weekday // sorted, unique
	overrides []Override     // sorted by date

	// byDate answers IsWorkingDay for override dates.
	byDate map[Date]bool
	// ovDays/ovWorking are the overrides as sorted day numbers (days since
	// 1970-01-01) for the arithmetic, which walks them with an index instead
	// of hashing a Date per day.
	ovDays    []int64
	ovWorking []bool
	// adj[i] is the working-day correction that overrides[0:i] make to the
	// weekly rule; it lets Between count any span in O(log overrides).
	adj []int64
	// eras are the hours as the arithmetic uses them, eraStart their first
	// days (the first era's is math.MinInt64).
	eras     []era
	eraStart []int64

	off        [7]bool  // indexed by time.Weekday
	weekPrefix [8]int64 // working weekdays among days [0, r) counted from day 0 (a Thursday)
}

// era is one Hours: its sessions and what the arithmetic derives from them.
type era struct {
	sessions    []Session
	dayMinutes  int64 // working minutes in one working day
	weekMinutes int64 // working minutes in a week without overrides
	firstStart  int   // Start of the first session
	lastEnd     int   // End of the last session
	// base makes the cumulative working minutes continuous across eras:
	// before minute mod of day, base + workingDays(day)*dayMinutes +
	// minutesInto(mod), workingDays counted from day 0.
	base int64
}

// New validates its arguments and builds a calendar with the same
// sessions every day. loc must not be nil; there must be at least one
// session, each with 0 <= Start < End <= 1440, sorted and non-overlapping
// (touching is allowed); weeklyOff must leave at least one working weekday;
// no two overrides may share a date. The arguments are copied.
func New(loc *time.Location, sessions []Session, weeklyOff []time.Weekday, overrides []Override) (*Calendar, error) {
	return NewSchedule(loc, []Hours{{Sessions: sessions}}, weeklyOff, overrides)
}

// NewSchedule is New with office hours that change by date: hours[0] has a
// zero From (in force from the beginning), each later one a valid date
// after the one before; each one's sessions are checked as New checks
// them. The arguments are copied.
func NewSchedule(loc *time.Location, hours []Hours, weeklyOff []time.Weekday, overrides []Override) (*Calendar, error) {
	if loc == nil {
		return nil, errors.New("workflow: calendar location is nil")
	}
	if len(hours) == 0 || hours[0].From != (Date{}) {
		return nil, errors.New("workflow: calendar needs office hours from the beginning (a first Hours with a zero From)")
	}
	c := &Calendar{
		loc:    loc,
		byDate: make(map[Date]bool, len(overrides)),
	}
	for k, h := range hours {
		if k > 0 {
			if civilFromDays(dayNumber(h.From)) != h.From {
				return nil, fmt.Errorf("workflow: office hours from %d-%02d-%02d: not a valid date", h.From.Year, int(h.From.Month), h.From.Day)
			}
			if k > 1 && dayNumber(h.From) <= dayNumber(hours[k-1].From) {
				return nil, fmt.Errorf("workflow: office hours from %s come after those from %s: sort them by date, one change a day", h.From, hours[k-1].From)
			}
		}
		e, err := newEra(h.Sessions)
		if err != nil {
			if k > 0 {
				return nil, fmt.Errorf("%w (office hours from %s)", err, h.From)
			}
			return nil, err
		}
		c.hours = append(c.hours, Hours{From: h.From, Sessions: slices.Clone(h.Sessions)})
		c.eras = append(c.eras, e)
		c.eraStart = append(c.eraStart, math.MinInt64)
		if k > 0 {
			c.eraStart[k] = dayNumber(h.From)
		}
	}

	for _, w := range weeklyOff {
		if w < time.Sunday || w > time.Saturday {
			return nil, fmt.Errorf("workflow: invalid weekly day off %d", int(w))
		}
		c.off[w] = true
	}
	workdays := int64(0)
	for w := time.Sunday; w <= time.Saturday; w++ {
		if c.off[w] {
			c.weeklyOff = append(c.weeklyOff, w)
		} else {
			workdays++
		}
	}
	if workdays == 0 {
		return nil, errors.New("workflow: weekly days off leave no working weekday")
	}
	for k := range c.eras {
		c.eras[k].weekMinutes = workdays * c.eras[k].dayMinutes
	}
	for r := int64(0); r < 7; r++ {
		c.weekPrefix[r+1] = c.weekPrefix[r]
		if !c.off[weekdayOf(r)] {
			c.weekPrefix[r+1]++
		}
	}

	c.overrides = slices.Clone(overrides)
	for _, o := range c.overrides {
		if civilFromDays(dayNumber(o.Date)) != o.Date {
			return nil, fmt.Errorf("workflow: override %q: %d-%02d-%02d is not a valid date", o.Name, o.Date.Year, int(o.Date.Month), o.Date.Day)
		}
		if _, dup := c.byDate[o.Date]; dup {
			return nil, fmt.Errorf("workflow: duplicate override for %s", o.Date)
		}
		c.byDate[o.Date] = o.Working
	}
	slices.SortFunc(c.overrides, func(a, b Override) int {
		return cmp.Compare(dayNumber(a.Date), dayNumber(b.Date))
	})
	c.ovDays = make([]int64, len(c.overrides))
	c.ovWorking = make([]bool, len(c.overrides))
	c.adj = make([]int64, len(c.overrides)+1)
	for i, o := range c.overrides {
		day := dayNumber(o.Date)
		c.ovDays[i] = day
		c.ovWorking[i] = o.Working
		delta := int64(0)
		switch weekly := !c.off[weekdayOf(day)]; {
		case o.Working && !weekly:
			delta = 1
		case !o.Working && weekly:
			delta = -1
		}
		c.adj[i+1] = c.adj[i] + delta
	}
	// Each era's base continues the count where the one before it stops.
	for k := 1; k < len(c.eras); k++ {
		w := c.workingDaysBefore(c.eraStart[k])
		c.eras[k].base = c.eras[k-1].base + w*(c.eras[k-1].dayMinutes-c.eras[k].dayMinutes)
	}
	return c, nil
}

// newEra checks one day's sessions.
func newEra(sessions []Session) (era, error) {
	if len(sessions) == 0 {
		return era{}, errors.New("workflow: calendar needs at least one office session")
	}
	e := era{sessions: slices.Clone(sessions)}
	for i, s := range sessions {
		if s.Start < 0 || s.End > minutesPerDay || s.Start >= s.End {
			return era{}, fmt.Errorf("workflow: session %d %s is invalid: need 0 <= start < end <= 24:00", i, fmtSession(s))
		}
		if i > 0 && s.Start < sessions[i-1].End {
			return era{}, fmt.Errorf("workflow: session %d %s starts before session %d %s ends: sessions must be sorted and must not overlap",
				i, fmtSession(s), i-1, fmtSession(sessions[i-1]))
		}
		e.dayMinutes += int64(s.End - s.Start)
	}
	e.firstStart = sessions[0].Start
	e.lastEnd = sessions[len(sessions)-1].End
	return e, nil
}

// DefaultSessions returns the common office hours: 07:30–11:30 and
// 13:00–17:00 (8 working hours).
func DefaultSessions() []Session {
	return []Session{{Start: 7*60 + 30, End: 11*60 + 30}, {Start: 13 * 60, End: 17 * 60}}
}

var vietnamLocation = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	// No zoneinfo on the host: Vietnam has been UTC+7 without DST since 1975.
	return time.FixedZone("ICT", 7*3600)
})

// VietnamLocation returns Asia/Ho_Chi_Minh, or a fixed UTC+7 zone named ICT
// when the host has no time zone database. It is loaded once.
func VietnamLocation() *time.Location { return vietnamLocation() }

var defaultCalendar = sync.OnceValue(func() *Calendar {
	notices := map[int][]Override{2025: VietnamOverrides(2025), 2026: VietnamOverrides(2026)}
	c, err := New(VietnamLocation(), DefaultSessions(), []time.Weekday{time.Saturday, time.Sunday}, VietnamYears(notices))
	if err != nil {
		panic(err) // the built-in data is checked by the tests
	}
	return c
})

// DefaultCalendar returns the Vietnamese civil-service calendar: Asia/Ho_Chi_Minh,
// DefaultSessions, Saturday and Sunday off, the official notices of 2025
// and 2026 and the Labour Code's holidays of every other year (see
// VietnamYears). It is built once and shared. Production loads the
// notices from the database (admins enter each year's); this is the
// fixture for tests and seeding.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Sessions returns a copy of the office sessions in force from the
// beginning (the first Hours).
func (c *Calendar) Sessions() []Session { return slices.Clone(c.hours[0].Sessions) }

// SessionsOn returns a copy of the office sessions in force on d.
func (c *Calendar) SessionsOn(d Date) []Session {
	return slices.Clone(c.eras[c.eraOf(dayNumber(d))].sessions)
}

// Hours returns a copy of the office hours by date.
func (c *Calendar) Hours() []Hours {
	out := slices.Clone(c.hours)
	for i := range out {
		out[i].Sessions = slices.Clone(out[i].Sessions)
	}
	return out
}

// WeeklyOff returns the weekly days off, sorted from Sunday.
func (c *Calendar) WeeklyOff() []time.Weekday { return slices.Clone(c.weeklyOff) }

// Overrides returns a copy of the dated overrides, sorted by date.
func (c *Calendar) Overrides() []Override { return slices.Clone(c.overrides) }

// IsWorkingDay reports whether d is a working day: an override decides if
// there is one for d, otherwise the weekly days off do.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if w, ok := c.byDate[d]; ok {
		return w
	}
	day := dayNumber(d)
	if nd := civilFromDays(day); nd != d { // out-of-range date: use its normal form
		if w, ok := c.byDate[nd]; ok {
			return w
		}
	}
	return !c.off[weekdayOf(day)]
}

// InOfficeHours reports whether t falls on a working day with
// Start <= minute-of-day <= End for some session: the closing instant (17:00)
// counts as inside, which is where Add lands when a budget ends at closing.
// Like everything here it looks at the minute only: 17:00:30 is 17:00.
func (c *Calendar) InOfficeHours(t time.Time) bool {
	day, mod := c.split(t)
	if c.workingDay(day) {
		for _, s := range c.era(day).sessions {
			if mod < s.Start {
				break
			}
			if mod <= s.End {
				return true
			}
		}
	}
	// Midnight is also the closing instant of a session that ends at 24:00.
	return mod == 0 && c.era(day-1).lastEnd == minutesPerDay && c.workingDay(day-1)
}

// NextOpening returns t itself (truncated to the minute, in Location()) when t
// is inside a session [Start, End) on a working day, otherwise the start of
// the next session on a working day. The closing instant is not inside: at
// 17:00 the next opening is the next working morning.
func (c *Calendar) NextOpening(t time.Time) time.Time {
	day, mod := c.split(t)
	i := c.searchOverride(day)
	if c.workingAt(day, i) {
		for _, s := range c.era(day).sessions {
			if mod < s.End {
				return c.at(day, max(mod, s.Start))
			}
		}
	}
	day, _ = c.nextWorkingDay(day, i)
	return c.at(day, c.era(day).firstStart)
}

// NextWorkingDayStart returns the first session start of the first working
// day strictly after t's date. A procedure with a 15:00 cut-off uses it: a
// dossier filed after the cut-off counts from the next working morning.
func (c *Calendar) NextWorkingDayStart(t time.Time) time.Time {
	day, _ := c.split(t)
	day, _ = c.nextWorkingDay(day, c.searchOverride(day))
	return c.at(day, c.era(day).firstStart)
}

// Add returns the earliest instant at which minutes working minutes, counted
// from from, are used up. Time outside sessions, on weekly days off and on
// override days off does not count; a start outside office hours starts at
// the next opening. A budget that runs out exactly at closing ends at the
// closing instant (480 minutes from Monday 07:30 is Monday 17:00, not Tuesday
// 07:30). Add(t, 0) == NextOpening(t). Negative minutes count as 0; budgets
// above 2^40 minutes are capped. The result is in Location().
func (c *Calendar) Add(from time.Time, minutes int64) time.Time {
	if minutes <= 0 {
		return c.NextOpening(from)
	}
	rem := min(minutes, maxAddMinutes)
	day, mod := c.split(from)
	i := c.searchOverride(day)
	k := c.eraOf(day)
	e := &c.eras[k]
	if c.workingAt(day, i) {
		n := e.minutesInto(mod) + rem
		if n <= e.dayMinutes {
			return c.at(day, e.position(n))
		}
		rem = n - e.dayMinutes
	}
	// rem > 0 working minutes remain to be counted from the start of day+1.
	for {
		if i < len(c.ovDays) && c.ovDays[i] == day {
			i++
		}
		day++
		for k+1 < len(c.eras) && day >= c.eraStart[k+1] {
			k++
			e = &c.eras[k]
		}
		// Skip whole weeks that hold no override and no change of hours:
		// each is worth weekMinutes. Keep at least one minute for the
		// day-by-day walk so the result lands inside its day rather than at
		// the next week's start.
		if rem > e.weekMinutes {
			n := (rem - 1) / e.weekMinutes
			if i < len(c.ovDays) {
				n = min(n, (c.ovDays[i]-day)/7)
			}
			if k+1 < len(c.eras) {
				n = min(n, (c.eraStart[k+1]-day)/7)
			}
			rem -= n * e.weekMinutes
			day += 7 * n
		}
		if c.workingAt(day, i) {
			if rem <= e.dayMinutes {
				return c.at(day, e.position(rem))
			}
			rem -= e.dayMinutes
		}
	}
}

// DueInDays returns the end of a period of days counted from from as the
// Civil Code counts one (art. 147–148) and the one-stop office keeps it:
// the event is taken when the office next opens (a dossier received after
// closing time, or on a day off, counts as received at the next opening);
// the period starts on the day after; it ends with the office's closing on
// its last day or, when that day is not a working day, on the next working
// day (EndOfWorkingDay). The closing, not midnight: the applicant collects
// the result in office hours, so that is the latest the appointment can
// mean, the same moment a working-day limit that runs out at closing
// time ends. Days below 1 count as 1.
func (c *Calendar) DueInDays(from time.Time, days int) time.Time {
	day, _ := c.split(c.NextOpening(from))
	return c.endOfWorkingDay(day + int64(max(days, 1)))
}

// EndOfWorkingDay returns the office's closing on d when d is a working day,
// else on the next working day after it.
func (c *Calendar) EndOfWorkingDay(d Date) time.Time { return c.endOfWorkingDay(dayNumber(d)) }

func (c *Calendar) endOfWorkingDay(day int64) time.Time {
	if i := c.searchOverride(day); !c.workingAt(day, i) {
		day, _ = c.nextWorkingDay(day, i)
	}
	return c.at(day, c.era(day).lastEnd)
}

// Between returns the working minutes in [from, to), or 0 when to <= from.
// Both ends are truncated to their minute first.
func (c *Calendar) Between(from, to time.Time) int64 {
	if !to.After(from) {
		return 0
	}
	d := c.cumulative(c.split(to)) - c.cumulative(c.split(from))
	return max(d, 0) // only a DST fall-back inside a session can make this negative
}

// AddDays is Add(from, round(days*MinutesPerWorkingDay)): 0.5 is half a
// working day (240 minutes). Negative and NaN counts are 0.
func (c *Calendar) AddDays(from time.Time, days float64) time.Time {
	m := math.Round(days * MinutesPerWorkingDay)
	switch {
	case !(m > 0): // zero, negative or NaN
		return c.Add(from, 0)
	case m >= maxAddMinutes:
		return c.Add(from, maxAddMinutes)
	}
	return c.Add(from, int64(m))
}

// split converts t to its day number and wall-clock minute of day in the
// calendar's location, dropping seconds.
func (c *Calendar) split(t time.Time) (day int64, mod int) {
	_, offset := t.In(c.loc).Zone()
	sec := t.Unix() + int64(offset) // Unix floors, so sub-second parts truncate too
	day = floorDiv(sec, 86400)
	return day, int((sec - day*86400) / 60)
}

// at is the instant of minute mod (0..1440) of day in the calendar's location.
func (c *Calendar) at(day int64, mod int) time.Time {
	d := civilFromDays(day)
	return time.Date(d.Year, d.Month, d.Day, 0, mod, 0, 0, c.loc)
}

// searchOverride returns the index of the first override on or after day.
func (c *Calendar) searchOverride(day int64) int {
	i, _ := slices.BinarySearch(c.ovDays, day)
	return i
}

// workingAt reports whether day is a working day, given i = searchOverride(day).
func (c *Calendar) workingAt(day int64, i int) bool {
	if i < len(c.ovDays) && c.ovDays[i] == day {
		return c.ovWorking[i]
	}
	return !c.off[weekdayOf(day)]
}

func (c *Calendar) workingDay(day int64) bool { return c.workingAt(day, c.searchOverride(day)) }

// nextWorkingDay returns the first working day strictly after day, and the
// override index for it; i must be searchOverride(day). It terminates because
// the weekly rule has a working weekday and overrides are finite.
func (c *Calendar) nextWorkingDay(day int64, i int) (int64, int) {
	for {
		if i < len(c.ovDays) && c.ovDays[i] == day {
			i++
		}
		day++
		if c.workingAt(day, i) {
			return day, i
		}
	}
}

// eraOf returns the index of the hours in force on day.
func (c *Calendar) eraOf(day int64) int {
	if len(c.eraStart) == 1 {
		return 0
	}
	k, found := slices.BinarySearch(c.eraStart, day)
	if !found {
		k--
	}
	return k
}

func (c *Calendar) era(day int64) *era { return &c.eras[c.eraOf(day)] }

// minutesInto returns the working minutes of a working day before minute mod.
func (e *era) minutesInto(mod int) int64 {
	n := 0
	for _, s := range e.sessions {
		if mod <= s.Start {
			break
		}
		n += min(mod, s.End) - s.Start
	}
	return int64(n)
}

// position returns the earliest minute of a working day by which k working
// minutes (0 < k <= dayMinutes) of that day are used up.
func (e *era) position(k int64) int {
	for _, s := range e.sessions {
		if n := int64(s.End - s.Start); k > n {
			k -= n
		} else {
			return s.Start + int(k)
		}
	}
	return e.lastEnd // unreachable for k <= dayMinutes
}

// workingDaysBefore returns the working days from day 0 (1970-01-01) to
// day, not counting day; negative before day 0.
func (c *Calendar) workingDaysBefore(day int64) int64 {
	return c.workingDaysBeforeAt(day, c.searchOverride(day))
}

// workingDaysBeforeAt is workingDaysBefore given i = searchOverride(day).
func (c *Calendar) workingDaysBeforeAt(day int64, i int) int64 {
	weeks := floorDiv(day, 7)
	return weeks*c.weekPrefix[7] + c.weekPrefix[day-weeks*7] + c.adj[i]
}

// cumulative returns the working minutes from the start of day 0 (1970-01-01)
// to minute mod of day; negative before it. Differences of it are Between.
func (c *Calendar) cumulative(day int64, mod int) int64 {
	e, i := c.era(day), c.searchOverride(day)
	n := e.base + c.workingDaysBeforeAt(day, i)*e.dayMinutes
	if c.workingAt(day, i) {
		n += e.minutesInto(mod)
	}
	return n
}

// dayNumber returns the days from 1970-01-01 to d in the proleptic Gregorian
// calendar, normalising an out-of-range month or day as time.Date does.
func dayNumber(d Date) int64 {
	m0 := int64(d.Month) - 1
	y := int64(d.Year) + floorDiv(m0, 12)
	m := m0 - floorDiv(m0, 12)*12 + 1 // 1..12
	// Howard Hinnant's days_from_civil, with the year starting in March.
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of dayNumber.
func civilFromDays(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{Year: int(y), Month: time.Month(m), Day: int(d)}
}

// weekdayOf returns the weekday of a day number; day 0 was a Thursday.
func weekdayOf(day int64) time.Weekday {
	return time.Weekday((day%7 + 7 + 4) % 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func fmtSession(s Session) string {
	return "[" + fmtMinute(s.Start) + ", " + fmtMinute(s.End) + ")"
}

func fmtMinute(m int) string {
	if m < 0 || m > minutesPerDay {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// CheckSessions checks one day's sessions as New does.
func CheckSessions(sessions []Session) error {
	_, err := newEra(sessions)
	return err
}
