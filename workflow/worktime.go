package workflow

import (
	"context"
	"math"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/problem"
)

// maxDeadlineDays bounds workingDeadline queries.
const maxDeadlineDays = 3650

// WorkingDeadline is the earliest instant at which workingDays working days
// counted from from are used up, on the province's calendar or, given an
// agency, on that agency's (its own office hours).
// Public: the calendar is.
func (e *Engine) WorkingDeadline(ctx context.Context, from time.Time, workingDays float64, agencyID *int) (time.Time, error) {
	if math.IsNaN(workingDays) || workingDays < 0 || workingDays > maxDeadlineDays {
		return time.Time{}, problem.BadInput("workingDays", "workingDays must be between 0 and %d", maxDeadlineDays)
	}
	cal, err := e.calendarOf(ctx, agencyID)
	if err != nil {
		return time.Time{}, err
	}
	return cal.AddDays(from, workingDays), nil
}

// WorkingMinutesBetween counts the working minutes in [from, to), on the
// province's calendar or an agency's.
func (e *Engine) WorkingMinutesBetween(ctx context.Context, from, to time.Time, agencyID *int) (int, error) {
	if to.Sub(from) > maxDeadlineDays*2*24*time.Hour {
		return 0, problem.BadInput("to", "the interval is too long")
	}
	cal, err := e.calendarOf(ctx, agencyID)
	if err != nil {
		return 0, err
	}
	return int(cal.Between(from, to)), nil
}

// calendarOf is the province's calendar, or agency's.
func (e *Engine) calendarOf(ctx context.Context, agencyID *int) (*calendar.Calendar, error) {
	set, err := e.calendars.Set(auth.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	if agencyID == nil {
		return set.Province(), nil
	}
	return set.Of(*agencyID), nil
}
