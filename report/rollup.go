package report

import (
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"lienthong/rollup"
)

// WithoutRollups returns a reporter that reads the dossiers and legs
// themselves for every period (the tests and benchmarks compare the two).
func (r *Reporter) WithoutRollups() *Reporter {
	c := *r
	c.raw = true
	return &c
}

// useRollups reports whether p can be read from the daily roll-ups: it
// starts and ends at midnight in Asia/Ho_Chi_Minh, as every calendar
// period does.
func (r *Reporter) useRollups(p Period) bool {
	return !r.raw && midnight(p.From.In(r.loc)) && midnight(p.To.In(r.loc))
}

func midnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// rollupSQL builds the statements that read a performance report from the
// roll-ups (see rollup.Rows): the period's days for what happened in
// the period, and what was still running at asOf:
//   - when asOf is the period's end (a past period), from the roll-ups of
//     every day before it: received − closed is what was open, and due −
//     settled what was open and past due;
//   - when asOf is now, inside the period, from the open dossiers (legs),
//     which are few.
func (r *Reporter) rollupSQL(in PerformanceInput, agencyIDs []int, p Period, asOf time.Time, grouped bool) []statement {
	view := rollup.View(in.View)
	key := groupKey(in.GroupBy, "r.agency_id", grouped)
	from := func(q *query) string {
		var b strings.Builder
		b.WriteString("FROM rollups r")
		if in.GroupBy != ByAgency {
			b.WriteString(" JOIN procedures p ON p.id = r.procedure_id")
		}
		fmt.Fprintf(&b, "\nWHERE r.kind = %s", q.arg(string(view)))
		b.WriteString(q.among("r.agency_id", agencyIDs))
		return b.String()
	}
	group := ""
	if grouped {
		group = "\nGROUP BY " + key
	}
	pg := r.dialect == dialect.Postgres

	q := &query{pg: pg}
	cols := make([]string, len(periodFigures))
	into := make([]setter, len(periodFigures))
	for i, f := range periodFigures {
		cols[i], into[i] = "SUM(r."+f.col.Name()+")", f.set
	}
	period := statement{
		sql: "SELECT " + key + ", " + strings.Join(cols, ", ") + "\n" + from(q) +
			fmt.Sprintf(" AND r.day >= %s AND r.day < %s", q.arg(rollup.Day(p.From)), q.arg(rollup.Day(p.To))) + group,
		into: into,
	}
	period.args = q.args

	q = &query{pg: pg}
	var running statement
	if asOf.Equal(p.To) {
		running = statement{
			sql: "SELECT " + key + ", " + rollup.OpenOnTimeRollupSQL + ", " + rollup.OpenOverdueRollupSQL + "\n" + from(q) +
				fmt.Sprintf(" AND r.day < %s", q.arg(rollup.Day(p.To))) + group,
			into: []setter{setOpenOnTime, setOverdue},
		}
	} else {
		running = r.openSQL(q, in, agencyIDs, p, asOf, grouped)
	}
	running.args = q.args
	return []statement{period, running}
}

// openSQL counts the dossiers (legs) received before the period's end and
// not finished by it, on time or past due at asOf.
func (r *Reporter) openSQL(q *query, in PerformanceInput, agencyIDs []int, p Period, asOf time.Time, grouped bool) statement {
	table, start, agencyCol, alias := "dossiers", "received_at", "lead_agency_id", "d"
	if in.View == ByLeg {
		table, start, agencyCol, alias = "legs", "started_at", "agency_id", "l"
	}
	_, due := rollup.OpenSQL(rollup.View(in.View), "") // the rows read are open at the end
	to := q.arg(p.To)
	filter := q.among(agencyCol, agencyIDs)
	plus := q.notIndexed() // the finish index is the selective one
	var b strings.Builder
	fmt.Fprintf(&b, "FROM (SELECT * FROM %[1]s WHERE finished_at IS NULL AND %[2]s%[3]s < %[4]s%[5]s"+
		"\n  UNION ALL SELECT * FROM %[1]s WHERE finished_at >= %[4]s AND %[2]s%[3]s < %[4]s%[5]s) %[6]s",
		table, plus, start, to, filter, alias)
	if in.GroupBy != ByAgency {
		if in.View == ByLeg {
			b.WriteString(" JOIN dossiers d ON d.id = l.dossier_id")
		}
		b.WriteString(" JOIN procedures p ON p.id = d.procedure_id")
	}
	key := groupKey(in.GroupBy, alias+"."+agencyCol, grouped)
	at := q.arg(asOf)
	stmt := fmt.Sprintf("SELECT %s, %s, %s\n%s", key,
		sum(due+" >= "+at), sum(due+" < "+at), b.String())
	if grouped {
		stmt += "\nGROUP BY " + key
	}
	return statement{sql: stmt, into: []setter{setOpenOnTime, setOverdue}}
}
