package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/calendarday"
	"lienthong/ent/calendarnotice"
	"lienthong/problem"
)

// CalendarDayInput is one dated override of the weekly pattern.
type CalendarDayInput struct {
	Date    string
	Working bool
	Name    string
}

// CalendarNoticeInput is the government's notice of a year's days off, as
// an administrator enters it.
type CalendarNoticeInput struct {
	Year int
	// Reference is the notice's number and issuer, e.g. "Thông báo số
	// 6150/TB-BNV".
	Reference string
	// IssuedOn is the notice's date, YYYY-MM-DD.
	IssuedOn string
	// Days are the days that differ from the weekly pattern: every weekday
	// off (holidays, make-up and bridge days) and every Saturday or Sunday
	// worked in exchange.
	Days []*CalendarDayInput
}

// CalendarYearStatus says where a year's days come from.
type CalendarYearStatus string

const (
	// YearProvisional is computed from the Labour Code; the Tết days and the
	// day next to 2 September follow the provisional rule of package
	// calendar until the notice is entered.
	YearProvisional CalendarYearStatus = "PROVISIONAL"
	// YearConfirmed has the days of the year's notice.
	YearConfirmed CalendarYearStatus = "CONFIRMED"
)

// CalendarDaySource says why a day differs from the weekly pattern.
type CalendarDaySource string

const (
	// DayStatutory is a public holiday of the Labour Code on its own date.
	DayStatutory CalendarDaySource = "STATUTORY"
	// DayMakeUp is the weekday a holiday that fell on a weekend is taken on
	// (art. 111(3)).
	DayMakeUp CalendarDaySource = "MAKE_UP"
	// DayNotice is what only the notice decides: which days of Tết, the day
	// next to 2 September, a bridge day off and the Saturday worked for it.
	DayNotice CalendarDaySource = "NOTICE"
)

// CalendarYear is one year of the working calendar as a desk officer or an
// analyst reads it.
type CalendarYear struct {
	Year   int
	Status CalendarYearStatus
	// Notice is the year's notice; nil while the year is provisional.
	Notice *ent.CalendarNotice
	// Days are the days that differ from the weekly pattern, by date.
	Days []*CalendarYearDay
	// WorkingDays counts the year's working days.
	WorkingDays int
}

// CalendarYearDay is a day off on a weekday or a working day on a weekly
// day off.
type CalendarYearDay struct {
	Date    string
	Working bool
	Name    string
	Source  CalendarDaySource
	// Provisional marks a day the notice will decide (a Tết day, the day
	// next to 2 September, and the make-up days that follow from them).
	Provisional bool
}

// SetCalendarNotice records a year's notice (ADMIN): its days replace the
// year's and the year is CONFIRMED from the next deadline counted on.
//
// A notice must give every weekday off the Labour Code gives (each public
// holiday on a weekday, a make-up day for each on a weekend: 11 a year
// since 2021), and each Saturday or Sunday it makes a working day needs a
// further weekday off in exchange. The public holidays on fixed dates
// (1 Jan, Hùng Kings' day, 30 Apr, 1 May, 2 Sep) must be among its days off
// when they fall on a weekday.
func (e *Engine) SetCalendarNotice(ctx context.Context, in CalendarNoticeInput) (*CalendarYear, error) {
	v, err := auth.RequireRole(ctx, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if in.Year < calendar.FirstYear || in.Year > calendar.LastYear {
		return nil, problem.BadInput("input.year", "year must be between %d and %d", calendar.FirstYear, calendar.LastYear)
	}
	if in.Reference, err = problem.NameText.Check("input.reference", in.Reference); err != nil {
		return nil, err
	}
	if in.Reference == "" {
		return nil, problem.BadInput("input.reference", "the notice's number is required, e.g. Thông báo số 6150/TB-BNV")
	}
	issued, err := calendar.ParseDate(in.IssuedOn)
	if err != nil {
		return nil, problem.BadInput("input.issuedOn", "date must be YYYY-MM-DD, got %q", problem.Clip(in.IssuedOn, 16))
	}
	if issued.Year > in.Year || issued.Year < in.Year-2 {
		return nil, problem.BadInput("input.issuedOn", "a notice for %d is issued in %d or the two years before, not on %s", in.Year, in.Year, issued)
	}
	if err := e.checkNoticeDays(ctx, in.Year, in.Days, "input.days"); err != nil {
		return nil, err
	}
	if err := e.saveNotice(ctx, v, in.Year, in.Reference, issued.String(), in.Days); err != nil {
		return nil, err
	}
	return e.CalendarYear(ctx, in.Year)
}

// SetCalendarDays replaces a year's days (ADMIN), as setCalendarNotice
// does, keeping the notice's reference (none for a year never confirmed).
// Kept for clients written before notices were recorded.
func (e *Engine) SetCalendarDays(ctx context.Context, year int, days []*CalendarDayInput) ([]*ent.CalendarDay, error) {
	v, err := auth.RequireRole(ctx, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if year < calendar.FirstYear || year > calendar.LastYear {
		return nil, problem.BadInput("year", "year must be between %d and %d", calendar.FirstYear, calendar.LastYear)
	}
	if err := e.checkNoticeDays(ctx, year, days, "days"); err != nil {
		return nil, err
	}
	ref, issued := "", ""
	if n, err := e.client.CalendarNotice.Query().Where(calendarnotice.Year(year)).Only(ctx); err == nil {
		ref, issued = n.Reference, n.IssuedOn
	} else if !ent.IsNotFound(err) {
		return nil, err
	}
	if err := e.saveNotice(ctx, v, year, ref, issued, days); err != nil {
		return nil, err
	}
	return e.CalendarDays(ctx, year)
}

// checkNoticeDays checks a year's days, each on its own and together
// against the Labour Code (see SetCalendarNotice).
func (e *Engine) checkNoticeDays(ctx context.Context, year int, days []*CalendarDayInput, field string) error {
	if err := problem.Count(field, len(days), problem.MaxCalendarDay); err != nil {
		return err
	}
	cal, err := e.calendars.Get(ctx)
	if err != nil {
		return err
	}
	weeklyOff := cal.WeeklyOff()
	seen := map[string]bool{}
	off, worked := 0, 0
	for i, d := range days {
		name, err := problem.NameText.Check(fmt.Sprintf("%s[%d].name", field, i), d.Name)
		if err != nil {
			return err
		}
		d.Name = name
		f := fmt.Sprintf("%s[%d].date", field, i)
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			return problem.BadInput(f, "date must be YYYY-MM-DD, got %q", problem.Clip(d.Date, 16))
		}
		d.Date = date.String()
		if date.Year != year {
			return problem.BadInput(f, "%s is not in %d", date, year)
		}
		if seen[d.Date] {
			return problem.BadInput(f, "%s listed twice", date)
		}
		seen[d.Date] = true
		usualOff := slices.Contains(weeklyOff, date.Weekday())
		switch {
		case d.Working && !usualOff:
			return problem.BadInput(f, "%s is a %s, a working day already", date, date.Weekday())
		case !d.Working && usualOff:
			return problem.BadInput(f, "%s is a %s, a day off already: a holiday falling on it gets a make-up day instead", date, date.Weekday())
		case d.Working:
			worked++
		default:
			off++
		}
	}
	law := calendar.StatutoryHolidays(year)
	for _, h := range law {
		if h.Source == calendar.SourceStatutory && !h.Provisional && !offIn(days, h.Date.String()) {
			return problem.BadInput(field, "%s, %s, is a public holiday on a weekday (Labour Code art. 112): the notice must give it off", h.Date, h.Name)
		}
	}
	switch need := len(law); {
	case worked == 0 && off < need:
		return problem.BadInput(field, "the notice gives %d weekdays off, the Labour Code %d (its holidays, and a make-up day for each that falls on a weekend): a holiday or a make-up day is missing", off, need)
	case off-worked < need:
		return problem.BadInput(field, "the notice gives %d weekdays off and makes %d weekly days off working days: the Labour Code's %d days off and one in exchange for each day worked make %d, so a holiday, a make-up day or a day off in exchange is missing", off, worked, need, need+worked)
	}
	return nil
}

func offIn(days []*CalendarDayInput, date string) bool {
	return slices.ContainsFunc(days, func(d *CalendarDayInput) bool { return d.Date == date && !d.Working })
}

// saveNotice replaces year's days and notice in one transaction.
func (e *Engine) saveNotice(ctx context.Context, v *auth.Viewer, year int, ref, issued string, days []*CalendarDayInput) error {
	err := e.inTx(ctx, func(tx *ent.Tx) error {
		if _, err := tx.CalendarDay.Delete().Where(calendarday.DateHasPrefix(fmt.Sprintf("%04d-", year))).Exec(ctx); err != nil {
			return fmt.Errorf("workflow: clear calendar %d: %w", year, err)
		}
		creates := make([]*ent.CalendarDayCreate, len(days))
		for i, d := range days {
			creates[i] = tx.CalendarDay.Create().SetDate(d.Date).SetWorking(d.Working).SetName(d.Name)
		}
		if _, err := tx.CalendarDay.CreateBulk(creates...).Save(ctx); err != nil {
			return fmt.Errorf("workflow: save calendar %d: %w", year, err)
		}
		if _, err := tx.CalendarNotice.Delete().Where(calendarnotice.Year(year)).Exec(ctx); err != nil {
			return fmt.Errorf("workflow: replace notice %d: %w", year, err)
		}
		create := tx.CalendarNotice.Create().SetYear(year).SetReference(ref).SetIssuedOn(issued)
		if v.OfficerID != 0 {
			create.SetEnteredByID(v.OfficerID)
		}
		if err := create.Exec(ctx); err != nil {
			return fmt.Errorf("workflow: save notice %d: %w", year, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.calendars.Invalidate()
	e.log.InfoContext(ctx, "calendar notice entered", "year", year, "days", len(days), "by", v.Subject)
	return nil
}

// CalendarDays lists the days of a confirmed year's notice (any
// authenticated caller); none for a provisional year.
func (e *Engine) CalendarDays(ctx context.Context, year int) ([]*ent.CalendarDay, error) {
	if _, err := auth.Require(ctx); err != nil {
		return nil, err
	}
	return e.client.CalendarDay.Query().
		Where(calendarday.DateHasPrefix(fmt.Sprintf("%04d-", year))).
		Order(ent.Asc(calendarday.FieldDate)).
		All(ctx)
}

// CalendarYear returns year as the working calendar counts it. The
// calendar is public: no role is needed (GET /calendar/{year}.ics serves
// it to anyone).
func (e *Engine) CalendarYear(ctx context.Context, year int) (*CalendarYear, error) {
	if year < calendar.FirstYear || year > calendar.LastYear {
		return nil, problem.BadInput("year", "year must be between %d and %d", calendar.FirstYear, calendar.LastYear)
	}
	sys := auth.SystemContext(ctx)
	set, err := e.calendars.Set(sys)
	if err != nil {
		return nil, err
	}
	cal, confirmed := set.province, set.confirmed
	out := &CalendarYear{Year: year, Status: YearProvisional}
	law := calendar.StatutoryHolidays(year)
	if confirmed[year] {
		out.Status = YearConfirmed
		if out.Notice, err = e.client.CalendarNotice.Query().Where(calendarnotice.Year(year)).Only(sys); err != nil {
			return nil, fmt.Errorf("workflow: notice %d: %w", year, err)
		}
		days, err := e.client.CalendarDay.Query().
			Where(calendarday.DateHasPrefix(fmt.Sprintf("%04d-", year))).
			Order(ent.Asc(calendarday.FieldDate)).
			All(sys)
		if err != nil {
			return nil, fmt.Errorf("workflow: calendar %d: %w", year, err)
		}
		for _, d := range days {
			out.Days = append(out.Days, &CalendarYearDay{Date: d.Date, Working: d.Working, Name: d.Name, Source: noticeSource(law, d)})
		}
	} else {
		for _, h := range law {
			src := DayStatutory
			if h.Source == calendar.SourceMakeUp {
				src = DayMakeUp
			}
			out.Days = append(out.Days, &CalendarYearDay{Date: h.Date.String(), Name: h.Name, Source: src, Provisional: h.Provisional})
		}
	}
	start := time.Date(year, time.January, 1, 12, 0, 0, 0, cal.Location())
	for t := start; t.Year() == year; t = t.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(calendar.DateOf(t)) {
			out.WorkingDays++
		}
	}
	return out, nil
}

// noticeSource tells a notice's day that the law fixes (a holiday on its
// date, or its make-up day) from one the notice chose.
func noticeSource(law []calendar.Holiday, d *ent.CalendarDay) CalendarDaySource {
	if d.Working {
		return DayNotice
	}
	for _, h := range law {
		if h.Date.String() == d.Date && !h.Provisional {
			if h.Source == calendar.SourceMakeUp {
				return DayMakeUp
			}
			return DayStatutory
		}
	}
	return DayNotice
}

// ProvisionalBetween reports whether a deadline counted from from to to
// crosses a PROVISIONAL year: its days off may still change with the
// year's notice. A zero to is never provisional.
func (e *Engine) ProvisionalBetween(ctx context.Context, from, to time.Time) (bool, error) {
	if to.IsZero() {
		return false, nil
	}
	set, err := e.calendars.Set(auth.SystemContext(ctx))
	if err != nil {
		return false, err
	}
	cal, confirmed := set.province, set.confirmed
	first, last := from.In(cal.Location()).Year(), to.In(cal.Location()).Year()
	if from.IsZero() || first > last {
		first = last
	}
	for y := first; y <= last; y++ {
		if !confirmed[y] && y >= calendar.FirstYear && y <= calendar.LastYear {
			return true, nil
		}
	}
	return false, nil
}

// ProvisionalYears returns which of the given years are PROVISIONAL, for
// the start-up log and the metrics.
func (e *Engine) ProvisionalYears(ctx context.Context, years ...int) ([]int, error) {
	set, err := e.calendars.Set(auth.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	var out []int
	for _, y := range years {
		if !set.confirmed[y] {
			out = append(out, y)
		}
	}
	return out, nil
}
