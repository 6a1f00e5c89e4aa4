// Package report computes the figures analysts rank agencies by: on-time
// and late counts per agency, procedure or field and period, by dossier or
// by agency leg. Every figure is an aggregate over facts the workflow
// engine wrote when it decided them (a dossier's judgement when its result
// reached the desk, a leg's when the agency handed it on), so a report is
// reproducible and each number can be traced to dossiers.
package report

import (
	"time"

	"lienthong/problem"
)

// Period is a half-open interval [From, To).
type Period struct {
	From time.Time
	To   time.Time
}

// PeriodInput names a period: From and To, or a year with at most one of
// quarter, half and month (the quarterly, 6-month and yearly reports).
type PeriodInput struct {
	From    *time.Time
	To      *time.Time
	Year    *int
	Quarter *int
	Half    *int
	Month   *int
}

// maxSpan bounds one report's period.
const maxSpan = 5 * 366 * 24 * time.Hour

// Resolve turns the input into instants; calendar periods start at
// midnight in loc.
func (in PeriodInput) Resolve(loc *time.Location) (Period, error) {
	calendar := in.Year != nil || in.Quarter != nil || in.Half != nil || in.Month != nil
	explicit := in.From != nil || in.To != nil
	switch {
	case calendar && explicit:
		return Period{}, problem.BadInput("period", "give either from and to, or a year (with a quarter, half or month)")
	case explicit:
		if in.From == nil || in.To == nil {
			return Period{}, problem.BadInput("period", "give both from and to")
		}
		p := Period{From: *in.From, To: *in.To}
		if !p.To.After(p.From) {
			return Period{}, problem.BadInput("period.to", "the period must end after it starts")
		}
		if p.To.Sub(p.From) > maxSpan {
			return Period{}, problem.BadInput("period", "a report covers at most five years")
		}
		return p, nil
	case !calendar:
		return Period{}, problem.BadInput("period", "give from and to, or a year")
	}
	if in.Year == nil || *in.Year < 2000 || *in.Year > 2100 {
		return Period{}, problem.BadInput("period.year", "give a year between 2000 and 2100")
	}
	parts := 0
	for _, p := range []*int{in.Quarter, in.Half, in.Month} {
		if p != nil {
			parts++
		}
	}
	if parts > 1 {
		return Period{}, problem.BadInput("period", "give at most one of quarter, half and month")
	}
	first, months := time.January, 12
	switch {
	case in.Quarter != nil:
		if *in.Quarter < 1 || *in.Quarter > 4 {
			return Period{}, problem.BadInput("period.quarter", "a quarter is 1 to 4")
		}
		first, months = time.Month(3*(*in.Quarter-1)+1), 3
	case in.Half != nil:
		if *in.Half < 1 || *in.Half > 2 {
			return Period{}, problem.BadInput("period.half", "a half is 1 or 2")
		}
		first, months = time.Month(6*(*in.Half-1)+1), 6
	case in.Month != nil:
		if *in.Month < 1 || *in.Month > 12 {
			return Period{}, problem.BadInput("period.month", "a month is 1 to 12")
		}
		first, months = time.Month(*in.Month), 1
	}
	from := time.Date(*in.Year, first, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, months, 0)}, nil
}
