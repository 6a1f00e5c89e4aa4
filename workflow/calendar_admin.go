package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/calendarday"
	"lienthong/problem"
)

// CalendarDayInput is one dated override of the weekly pattern.
type CalendarDayInput struct {
	Date    string
	Working bool
	Name    string
}

// SetCalendarDays replaces the overrides of one year (ADMIN): each date
// must fall in the year, appear once, and change something — a day off on
// a usual working day, or a working day on a usual day off.
func (e *Engine) SetCalendarDays(ctx context.Context, year int, days []*CalendarDayInput) ([]*ent.CalendarDay, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, problem.BadInput("year", "year must be between 2000 and 2100")
	}
	cal, err := e.calendars.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := problem.Count("days", len(days), problem.MaxCalendarDay); err != nil {
		return nil, err
	}
	weeklyOff := cal.WeeklyOff()
	seen := map[string]bool{}
	for i, d := range days {
		name, err := problem.NameText.Check(fmt.Sprintf("days[%d].name", i), d.Name)
		if err != nil {
			return nil, err
		}
		d.Name = name
		field := fmt.Sprintf("days[%d].date", i)
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			return nil, problem.BadInput(field, "date must be YYYY-MM-DD, got %q", problem.Clip(d.Date, 16))
		}
		if date.Year != year {
			return nil, problem.BadInput(field, "%s is not in %d", date, year)
		}
		if seen[date.String()] {
			return nil, problem.BadInput(field, "%s listed twice", date)
		}
		seen[date.String()] = true
		usualOff := slices.Contains(weeklyOff, date.Weekday())
		if d.Working && !usualOff {
			return nil, problem.BadInput(field, "%s is a %s, a working day already", date, date.Weekday())
		}
		if !d.Working && usualOff {
			return nil, problem.BadInput(field, "%s is a %s, a day off already: a holiday falling on it gets a make-up day instead", date, date.Weekday())
		}
	}
	prefix := fmt.Sprintf("%04d-", year)
	var out []*ent.CalendarDay
	err = e.inTx(ctx, func(tx *ent.Tx) error {
		if _, err := tx.CalendarDay.Delete().Where(calendarday.DateHasPrefix(prefix)).Exec(ctx); err != nil {
			return fmt.Errorf("workflow: clear calendar %d: %w", year, err)
		}
		creates := make([]*ent.CalendarDayCreate, len(days))
		for i, d := range days {
			date, _ := calendar.ParseDate(d.Date)
			creates[i] = tx.CalendarDay.Create().SetDate(date.String()).SetWorking(d.Working).SetName(d.Name)
		}
		var err error
		out, err = tx.CalendarDay.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return fmt.Errorf("workflow: save calendar %d: %w", year, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.calendars.Invalidate()
	for i := range out {
		out[i] = out[i].Unwrap()
	}
	slices.SortFunc(out, func(a, b *ent.CalendarDay) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// CalendarDays lists the overrides of a year (any authenticated caller).
func (e *Engine) CalendarDays(ctx context.Context, year int) ([]*ent.CalendarDay, error) {
	if _, err := auth.Require(ctx); err != nil {
		return nil, err
	}
	return e.client.CalendarDay.Query().
		Where(calendarday.DateHasPrefix(fmt.Sprintf("%04d-", year))).
		Order(ent.Asc(calendarday.FieldDate)).
		All(ctx)
}
