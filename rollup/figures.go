// Package rollup defines what the reports count, once: the judgement of a
// dossier or an agency's turn (early, on time, late), the working time it
// took, and each figure's counting rule — in Go, for the daily roll-up rows
// every transition keeps in its own transaction, and beside it in SQL, for
// reports over periods that are not whole days. The engine, the reports
// and the demo's bulk generator all count through here, so they cannot
// drift apart (the tests compare roll-ups with a rebuild and reports read
// from roll-ups with reports read from the rows).
package rollup

import (
	"time"

	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	entrollup "lienthong/ent/rollup"
)

// Judge is the judgement of a dossier or turn finished at finished against
// due: LATE after due, EARLY on an earlier day than due, ON_TIME otherwise.
func Judge(cal *calendar.Calendar, finished, due time.Time) leg.Judgement {
	switch {
	case finished.After(due):
		return leg.JudgementLate
	case calendar.DateOf(finished.In(cal.Location())) != calendar.DateOf(due.In(cal.Location())):
		return leg.JudgementEarly
	}
	return leg.JudgementOnTime
}

// Worked is the working time from start to end, less the working minutes
// the clock stood still while the applicant supplemented: a dossier's
// processing time, or a turn's.
func Worked(cal *calendar.Calendar, start, end time.Time, paused int) int {
	return int(max(cal.Between(start, end)-int64(paused), 0))
}

// Column is one counter of a roll-up row.
type Column int

// The counters, in the roll-up table's order (see ent/schema/rollup.go for
// what each counts).
const (
	Received Column = iota
	Finished
	Early
	OnTime
	Late
	Cancelled
	Minutes
	Opened
	Closed
	Due
	Settled
	Supplement2
	SendBack2
	numColumns
)

// Figures are the counters of one roll-up row.
type Figures [numColumns]int64

// columnNames are the counters as the roll-up table names them.
var columnNames = [numColumns]string{
	entrollup.FieldReceived, entrollup.FieldFinished, entrollup.FieldEarly, entrollup.FieldOnTime, entrollup.FieldLate,
	entrollup.FieldCancelled, entrollup.FieldMinutes, entrollup.FieldOpened, entrollup.FieldClosed, entrollup.FieldDue,
	entrollup.FieldSettled, entrollup.FieldSupplement2, entrollup.FieldSendBack2,
}

// Name is the column's name in the roll-up table.
func (c Column) Name() string { return columnNames[c] }

// A flow is a figure counted on the day of one instant: a dossier (at its
// lead agency) or a turn (at its agency) adds its value to the row of that
// day. A dossier counts once it is received (Rows.Add; in SQL, the
// reports select dossiers by their receipt), a turn from its start. Each
// rule is written twice, side by side: in Go, returning the instant (zero:
// not counted) and the value; in SQL, as the instant, the
// condition and the value over the dossier d (and, for a turn, the leg l).
// A flow without SQL is kept for the roll-ups' own bookkeeping of what is
// still open (see Open).
type flow struct {
	col Column

	dossier func(d *ent.Dossier) (time.Time, int64)
	dSQL    sqlRule

	leg  func(d *ent.Dossier, l *ent.Leg, firstTurn bool) (time.Time, int64)
	lSQL sqlRule
}

// sqlRule is a flow in SQL: counted when at falls in the period and cond
// holds, with value.
type sqlRule struct{ at, cond, value string }

func one(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// judged tells whether a dossier or turn ended with judgement j.
func judged(j *dossier.Judgement, want dossier.Judgement) bool { return j != nil && *j == want }

// firstTurnSQL: the leg l is its dossier's first turn at l's agency (the
// leg view counts a dossier's rounds once per agency).
const firstTurnSQL = "NOT EXISTS (SELECT 1 FROM legs f WHERE f.dossier_id = l.dossier_id AND f.agency_id = l.agency_id" +
	" AND (f.started_at < l.started_at OR f.started_at = l.started_at AND f.id < l.id))"

var flows = []flow{
	{col: Received,
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.ReceivedAt), 1 },
		dSQL:    sqlRule{"d.received_at", "TRUE", "1"},
		leg:     func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) { return l.StartedAt, 1 },
		lSQL:    sqlRule{"l.started_at", "TRUE", "1"}},
	{col: Finished, // with a result: a judgement
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.FinishedAt), one(d.Judgement != nil) },
		dSQL:    sqlRule{"d.finished_at", "d.judgement IS NOT NULL", "1"},
		leg:     func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) { return at(l.FinishedAt), 1 },
		lSQL:    sqlRule{"l.finished_at", "TRUE", "1"}},
	{col: Early,
		dossier: func(d *ent.Dossier) (time.Time, int64) {
			return at(d.FinishedAt), one(judged(d.Judgement, dossier.JudgementEarly))
		},
		dSQL: sqlRule{"d.finished_at", "d.judgement = 'EARLY'", "1"},
		leg: func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) {
			return at(l.FinishedAt), one(l.Judgement == leg.JudgementEarly)
		},
		lSQL: sqlRule{"l.finished_at", "l.judgement = 'EARLY'", "1"}},
	{col: OnTime,
		dossier: func(d *ent.Dossier) (time.Time, int64) {
			return at(d.FinishedAt), one(judged(d.Judgement, dossier.JudgementOnTime))
		},
		dSQL: sqlRule{"d.finished_at", "d.judgement = 'ON_TIME'", "1"},
		leg: func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) {
			return at(l.FinishedAt), one(l.Judgement == leg.JudgementOnTime)
		},
		lSQL: sqlRule{"l.finished_at", "l.judgement = 'ON_TIME'", "1"}},
	{col: Late,
		dossier: func(d *ent.Dossier) (time.Time, int64) {
			return at(d.FinishedAt), one(judged(d.Judgement, dossier.JudgementLate))
		},
		dSQL: sqlRule{"d.finished_at", "d.judgement = 'LATE'", "1"},
		leg: func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) {
			return at(l.FinishedAt), one(l.Judgement == leg.JudgementLate)
		},
		lSQL: sqlRule{"l.finished_at", "l.judgement = 'LATE'", "1"}},
	{col: Cancelled, // refused, withdrawn or stopped: finished without a judgement; a turn always hands on
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.FinishedAt), one(d.Judgement == nil) },
		dSQL:    sqlRule{"d.finished_at", "d.judgement IS NULL", "1"}},
	{col: Minutes, // working time of those with a result
		dossier: func(d *ent.Dossier) (time.Time, int64) {
			if d.Judgement == nil || d.ProcessingMinutes == nil {
				return time.Time{}, 0
			}
			return at(d.FinishedAt), int64(*d.ProcessingMinutes)
		},
		dSQL: sqlRule{"d.finished_at", "d.judgement IS NOT NULL", "d.processing_minutes"},
		leg: func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) {
			if l.WorkedMinutes == nil {
				return time.Time{}, 0
			}
			return at(l.FinishedAt), int64(*l.WorkedMinutes)
		},
		lSQL: sqlRule{"l.finished_at", "TRUE", "l.worked_minutes"}},
	{col: Supplement2, // on the day of receipt, or of the first turn at the agency
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.ReceivedAt), one(d.SupplementRounds >= 2) },
		dSQL:    sqlRule{"d.received_at", "d.supplement_rounds >= 2", "1"},
		leg: func(d *ent.Dossier, l *ent.Leg, first bool) (time.Time, int64) {
			return l.StartedAt, one(first && d.SupplementRounds >= 2)
		},
		lSQL: sqlRule{"l.started_at", "d.supplement_rounds >= 2 AND " + firstTurnSQL, "1"}},
	{col: SendBack2,
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.ReceivedAt), one(d.SendBacks >= 2) },
		dSQL:    sqlRule{"d.received_at", "d.send_backs >= 2", "1"},
		leg: func(d *ent.Dossier, l *ent.Leg, first bool) (time.Time, int64) {
			return l.StartedAt, one(first && d.SendBacks >= 2)
		},
		lSQL: sqlRule{"l.started_at", "d.send_backs >= 2 AND " + firstTurnSQL, "1"}},

	// What is open, kept as four flows so that a past period's open count
	// is a sum over the days before its end (see Open).
	{col: Opened, // received with a due time
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.ReceivedAt), one(d.OriginalAppointmentAt != nil) },
		leg:     func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) { return l.StartedAt, 1 }},
	{col: Closed,
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.FinishedAt), one(d.OriginalAppointmentAt != nil) },
		leg:     func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) { return at(l.FinishedAt), 1 }},
	{col: Due,
		dossier: func(d *ent.Dossier) (time.Time, int64) { return at(d.OriginalAppointmentAt), 1 },
		leg:     func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) { return l.DueAt, 1 }},
	{col: Settled, // closed, on the later of its due time and its close
		dossier: func(d *ent.Dossier) (time.Time, int64) {
			if d.FinishedAt == nil || d.OriginalAppointmentAt == nil {
				return time.Time{}, 0
			}
			return later(*d.OriginalAppointmentAt, *d.FinishedAt), 1
		},
		leg: func(_ *ent.Dossier, l *ent.Leg, _ bool) (time.Time, int64) {
			if l.FinishedAt == nil {
				return time.Time{}, 0
			}
			return later(l.DueAt, *l.FinishedAt), 1
		}},
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// at is the instant t points to; the zero time (not counted) for nil.
func at(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// View is what a report counts: dossiers at their lead agency, or turns at
// their agency.
type View = entrollup.Kind

// The views.
const (
	ByDossier = entrollup.KindDossier
	ByLeg     = entrollup.KindLeg
)

// PeriodSQL is the SQL of column's figure for rows of view whose instant
// falls in [from, to) (placeholders), over d (and l): a sum, or "" when
// the figure has no meaning in that view (a turn is never cancelled) or is
// the roll-ups' own (opened, closed, due, settled).
func PeriodSQL(view View, col Column, from, to string) string {
	for _, f := range flows {
		if f.col != col {
			continue
		}
		r := f.dSQL
		if view == ByLeg {
			r = f.lSQL
		}
		if r.at == "" {
			return ""
		}
		cond := r.at + " >= " + from + " AND " + r.at + " < " + to
		if r.cond != "TRUE" {
			cond += " AND " + r.cond
		}
		return "COALESCE(SUM(CASE WHEN " + cond + " THEN " + r.value + " ELSE 0 END), 0)"
	}
	return ""
}

// Open is how the reports count what is still open at a period's end to
// and judge it at asOf (on time: due at or after asOf; overdue: before).
// From the rows (any asOf): started before to and not finished by it.
// From the roll-ups (asOf = to): over every day before to, opened − closed
// is what was open, and due − settled what was open and past due, so on
// time is opened − closed − due + settled.
const (
	OpenOnTimeRollupSQL  = "SUM(r.opened - r.closed - r.due + r.settled)"
	OpenOverdueRollupSQL = "SUM(r.due - r.settled)"
)

// OpenSQL is the SQL condition "open at to" over the rows of view (d or l),
// and the due time it is judged by.
func OpenSQL(view View, to string) (open, due string) {
	if view == ByLeg {
		return "(l.finished_at IS NULL OR l.finished_at >= " + to + ")", "l.due_at"
	}
	return "(d.finished_at IS NULL OR d.finished_at >= " + to + ")", "d.original_appointment_at"
}
