package workflow

import (
	"time"

	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/procedure"
)

// limit is a time limit as the law writes it: working time (working days
// or hours, in working minutes), or days (ngày), counted as the Civil Code
// counts a period in days (art. 147–148, calendar.DueInDays). A limit in
// days keeps its working-minute equivalent in minutes (as many working
// days), for what compares limits in working time.
type limit struct {
	minutes int
	days    int // > 0: the limit is in days
}

// procLimit is the province's limit of p.
func procLimit(p *ent.Procedure) limit {
	if p.LimitUnit == procedure.LimitUnitDays && p.LimitDays > 0 {
		return limit{minutes: p.LimitMinutes, days: p.LimitDays}
	}
	return limit{minutes: p.LimitMinutes}
}

// stepLimit is the time allotted to a route step.
func stepLimit(s *ent.RouteStep) limit {
	return limit{minutes: s.AllottedMinutes, days: s.AllottedDays}
}

// legLimit is the time allotted to a leg.
func legLimit(l *ent.Leg) limit { return limit{minutes: l.AllottedMinutes, days: l.AllottedDays} }

// due is when a period of l starting at from ends on cal.
func (l limit) due(cal *calendar.Calendar, from time.Time) time.Time {
	if l.days > 0 {
		return cal.DueInDays(from, l.days)
	}
	return cal.Add(from, int64(l.minutes))
}

// extend moves due by a pause from pausedAt to now: by the working time
// paused, or, for a limit in days, by the days paused (calendar days from
// the pause's date to the resumption's), the end again a working day's
// closing.
func (l limit) extend(cal *calendar.Calendar, due, pausedAt, now time.Time) time.Time {
	if l.days == 0 {
		return cal.Add(due, cal.Between(pausedAt, now))
	}
	loc := cal.Location()
	days := daysBetween(pausedAt.In(loc), now.In(loc))
	return cal.EndOfWorkingDay(calendar.DateOf(due.In(loc).AddDate(0, 0, days)))
}

// daysBetween counts the calendar days from a's date to b's.
func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
