package report

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/procedure"
	"lienthong/problem"
	"lienthong/rollup"
)

// GroupBy is what a performance report's rows are.
type GroupBy string

// Groupings.
const (
	ByAgency    GroupBy = "AGENCY"
	ByProcedure GroupBy = "PROCEDURE"
	ByField     GroupBy = "FIELD"
)

// View is what a performance report counts.
type View string

// Views.
const (
	// ByDossier counts dossiers, each at its responsible (lead) agency,
	// judged against its original appointment.
	ByDossier View = "DOSSIER"
	// ByLeg counts agency turns, each judged against its own due time, so
	// lateness is charged to the agency whose leg overran.
	ByLeg View = "LEG"
)

// PerformanceInput asks for one performance report.
type PerformanceInput struct {
	Period    PeriodInput
	GroupBy   GroupBy
	View      View
	AgencyIDs []int
}

// PerformanceRow is one group's figures.
type PerformanceRow struct {
	Key      string // agency code, procedure code or field; "" for the total
	Name     string
	AgencyID *int

	Received          int // dossiers received (legs started) in the period
	Finished          int // results returned (legs handed on) in the period
	Early             int
	OnTime            int
	Late              int
	Cancelled         int // refused, withdrawn or stopped in the period (dossier view)
	InProgressOnTime  int // open at the period's end and not past due
	InProgressOverdue int // open at the period's end and past due
	Supplement2Plus   int // received in the period with 2+ supplementation rounds
	SendBack2Plus     int // received in the period with 2+ send-backs

	ProcessingMinutes int64 // sum over the finished ones
}

// OnTimeRate is the percentage finished early or on time, nil when nothing finished.
func (r *PerformanceRow) OnTimeRate() *float64 {
	if r.Finished == 0 {
		return nil
	}
	v := 100 * float64(r.Early+r.OnTime) / float64(r.Finished)
	return &v
}

// AverageProcessingMinutes is the mean working time of the finished ones.
func (r *PerformanceRow) AverageProcessingMinutes() *float64 {
	if r.Finished == 0 {
		return nil
	}
	v := float64(r.ProcessingMinutes) / float64(r.Finished)
	return &v
}

// AverageProcessingDays is AverageProcessingMinutes in working days.
func (r *PerformanceRow) AverageProcessingDays() *float64 {
	m := r.AverageProcessingMinutes()
	if m == nil {
		return nil
	}
	v := *m / calendar.MinutesPerWorkingDay
	return &v
}

// PerformanceReport is a report's rows and their total.
type PerformanceReport struct {
	Period  Period
	AsOf    time.Time // when unfinished dossiers are judged: the period's end, or now
	GroupBy GroupBy
	View    View
	Rows    []*PerformanceRow
	Total   *PerformanceRow
}

// Reporter runs the reports on the database.
type Reporter struct {
	drv     dialect.Driver
	client  *ent.Client
	clock   calendar.Clock
	loc     *time.Location
	dialect string
	raw     bool // never read the roll-ups
}

// New returns a reporter reading through drv (the same driver as client).
func New(drv dialect.Driver, client *ent.Client, clock calendar.Clock) *Reporter {
	return &Reporter{drv: drv, client: client, clock: clock, loc: calendar.VietnamLocation(), dialect: drv.Dialect()}
}

// prepare checks the caller, narrows the agency and resolves the period,
// as every report begins.
func (r *Reporter) prepare(ctx context.Context, period PeriodInput, agencyID *int) ([]int, Period, error) {
	var ids []int
	if agencyID != nil {
		ids = []int{*agencyID}
	}
	ids, err := scope(ctx, ids)
	if err != nil {
		return nil, Period{}, err
	}
	p, err := period.Resolve(r.loc)
	return ids, p, err
}

// asOf is when unfinished dossiers are judged: the period's end, or now
// if that is earlier.
func (r *Reporter) asOf(end time.Time) time.Time {
	if now := r.clock.Now(); now.Before(end) {
		return now
	}
	return end
}

// scope checks the caller may read reports and narrows agencyIDs: analysts
// and administrators read every agency, an agency head their own.
func scope(ctx context.Context, agencyIDs []int) ([]int, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	if err := problem.Count("agencyIDs", len(agencyIDs), problem.MaxIDs); err != nil {
		return nil, err
	}
	switch {
	case v.HasRole(auth.RoleAnalyst, auth.RoleAdmin):
		return agencyIDs, nil
	case v.HasRole(auth.RoleAgencyHead):
		if len(agencyIDs) > 0 && slices.ContainsFunc(agencyIDs, func(id int) bool { return id != v.AgencyID }) {
			return nil, &problem.Error{Code: problem.CodeForbidden, Message: "an agency head reads the reports of their own agency"}
		}
		return []int{v.AgencyID}, nil
	}
	return nil, &problem.Error{Code: problem.CodeForbidden, Message: "reports are for analysts, administrators and agency heads"}
}

// Performance computes a performance report.
func (r *Reporter) Performance(ctx context.Context, in PerformanceInput) (*PerformanceReport, error) {
	agencyIDs, err := scope(ctx, in.AgencyIDs)
	if err != nil {
		return nil, err
	}
	p, err := in.Period.Resolve(r.loc)
	if err != nil {
		return nil, err
	}
	if in.GroupBy == "" {
		in.GroupBy = ByAgency
	}
	if in.View == "" {
		in.View = ByDossier
	}
	if !slices.Contains([]GroupBy{ByAgency, ByProcedure, ByField}, in.GroupBy) {
		return nil, problem.BadInput("groupBy", "group by AGENCY, PROCEDURE or FIELD")
	}
	if !slices.Contains([]View{ByDossier, ByLeg}, in.View) {
		return nil, problem.BadInput("view", "view DOSSIER or LEG")
	}
	asOf := r.asOf(p.To)
	rep := &PerformanceReport{Period: p, AsOf: asOf, GroupBy: in.GroupBy, View: in.View}
	rep.Rows, err = r.performanceRows(ctx, in, agencyIDs, p, asOf, true)
	if err != nil {
		return nil, err
	}
	// Every figure counts each dossier (or each agency's turn with it) in
	// exactly one row, so the total is the rows' sum.
	rep.Total = sumRows(rep.Rows)
	rep.Total.Key, rep.Total.Name = "", "Tổng cộng"
	if err := r.label(ctx, in.GroupBy, rep.Rows); err != nil {
		return nil, err
	}
	return rep, nil
}

func sumRows(rows []*PerformanceRow) *PerformanceRow {
	t := &PerformanceRow{}
	for _, r := range rows {
		t.Received += r.Received
		t.Finished += r.Finished
		t.Early += r.Early
		t.OnTime += r.OnTime
		t.Late += r.Late
		t.Cancelled += r.Cancelled
		t.InProgressOnTime += r.InProgressOnTime
		t.InProgressOverdue += r.InProgressOverdue
		t.Supplement2Plus += r.Supplement2Plus
		t.SendBack2Plus += r.SendBack2Plus
		t.ProcessingMinutes += r.ProcessingMinutes
	}
	return t
}

// query collects a statement's arguments behind numbered placeholders
// ($n on PostgreSQL, ?n on SQLite), so that a fragment can be used twice.
type query struct {
	pg   bool
	args []any
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	if q.pg {
		return "$" + strconv.Itoa(len(q.args))
	}
	return "?" + strconv.Itoa(len(q.args))
}

// among is " AND col IN (ids)", or nothing for no ids.
func (q *query) among(col string, ids []int) string {
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" AND %s IN (%s)", col, q.ints(ids))
}

// notIndexed prefixes a column whose index the planner should not use for
// the condition: SQLite's unary + does it; PostgreSQL plans well without.
func (q *query) notIndexed() string {
	if q.pg {
		return ""
	}
	return "+"
}

func (q *query) ints(ids []int) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = q.arg(id)
	}
	return strings.Join(ph, ", ")
}

// performanceRows computes the figures, per group or (grouped false) as
// one total row: from the daily roll-ups when the period is whole days,
// from the dossiers and legs otherwise. Groups with nothing to count are
// left out; rows come in key order.
func (r *Reporter) performanceRows(ctx context.Context, in PerformanceInput, agencyIDs []int, p Period, asOf time.Time, grouped bool) ([]*PerformanceRow, error) {
	rows := map[string]*PerformanceRow{}
	var stmts []statement
	if r.useRollups(p) {
		stmts = r.rollupSQL(in, agencyIDs, p, asOf, grouped)
	} else {
		stmts = []statement{r.performanceSQL(in, agencyIDs, p, asOf, grouped)}
	}
	for _, st := range stmts {
		if err := r.collect(ctx, st, rows); err != nil {
			return nil, err
		}
	}
	out := make([]*PerformanceRow, 0, len(rows))
	for _, row := range rows {
		if *row != (PerformanceRow{Key: row.Key}) {
			out = append(out, row)
		}
	}
	slices.SortFunc(out, func(a, b *PerformanceRow) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// statement is one aggregate query: its rows are a group key followed by
// one column per setter.
type statement struct {
	sql  string
	args []any
	into []setter
}

// setter adds a column's value to a row's figure.
type setter func(*PerformanceRow, int64)

// The figures as statements fill them.
var (
	setReceived   setter = func(r *PerformanceRow, v int64) { r.Received += int(v) }
	setFinished   setter = func(r *PerformanceRow, v int64) { r.Finished += int(v) }
	setEarly      setter = func(r *PerformanceRow, v int64) { r.Early += int(v) }
	setOnTime     setter = func(r *PerformanceRow, v int64) { r.OnTime += int(v) }
	setLate       setter = func(r *PerformanceRow, v int64) { r.Late += int(v) }
	setCancelled  setter = func(r *PerformanceRow, v int64) { r.Cancelled += int(v) }
	setOpenOnTime setter = func(r *PerformanceRow, v int64) { r.InProgressOnTime += int(v) }
	setOverdue    setter = func(r *PerformanceRow, v int64) { r.InProgressOverdue += int(v) }
	setSupp2      setter = func(r *PerformanceRow, v int64) { r.Supplement2Plus += int(v) }
	setSendBack2  setter = func(r *PerformanceRow, v int64) { r.SendBack2Plus += int(v) }
	setMinutes    setter = func(r *PerformanceRow, v int64) { r.ProcessingMinutes += v }
)

// collect runs st and adds its columns to the rows of their group.
func (r *Reporter) collect(ctx context.Context, st statement, rows map[string]*PerformanceRow) error {
	rs := &entsql.Rows{}
	if err := r.drv.Query(ctx, st.sql, st.args, rs); err != nil {
		return fmt.Errorf("report: performance: %w", err)
	}
	defer rs.Close()
	vals := make([]sql.NullInt64, len(st.into))
	dest := make([]any, len(st.into)+1)
	var k sql.NullString
	dest[0] = &k
	for i := range vals {
		dest[i+1] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return fmt.Errorf("report: performance: %w", err)
		}
		row := rows[k.String]
		if row == nil {
			row = &PerformanceRow{Key: k.String}
			rows[k.String] = row
		}
		for i, set := range st.into {
			set(row, vals[i].Int64)
		}
	}
	return rs.Err()
}

// Explain returns the database's plan for a performance report's grouped
// statement (for docs/reporting-plans.md and the benchmarks).
func (r *Reporter) Explain(ctx context.Context, in PerformanceInput) (string, error) {
	p, err := in.Period.Resolve(r.loc)
	if err != nil {
		return "", err
	}
	st := r.performanceSQL(in, in.AgencyIDs, p, p.To, true)
	if r.useRollups(p) {
		st = r.rollupSQL(in, in.AgencyIDs, p, p.To, true)[0]
	}
	stmt, args := st.sql, st.args
	prefix := "EXPLAIN QUERY PLAN "
	if r.dialect == dialect.Postgres {
		prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
	}
	rows := &entsql.Rows{}
	if err := r.drv.Query(ctx, prefix+stmt, args, rows); err != nil {
		return "", fmt.Errorf("report: explain: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		// SQLite: id, parent, notused, detail; PostgreSQL: one line.
		fmt.Fprintf(&b, "%v\n", vals[len(vals)-1])
	}
	return b.String(), rows.Err()
}

// periodFigures are the figures counted in a period, with where each goes
// in a row; their rules are rollup's.
var periodFigures = []struct {
	col rollup.Column
	set setter
}{
	{rollup.Received, setReceived}, {rollup.Finished, setFinished}, {rollup.Early, setEarly},
	{rollup.OnTime, setOnTime}, {rollup.Late, setLate}, {rollup.Cancelled, setCancelled},
	{rollup.Supplement2, setSupp2}, {rollup.SendBack2, setSendBack2}, {rollup.Minutes, setMinutes},
}

// performanceSQL builds the aggregate over the dossiers or legs themselves,
// each figure by its SQL rule (rollup.PeriodSQL, rollup.OpenSQL).
func (r *Reporter) performanceSQL(in PerformanceInput, agencyIDs []int, p Period, asOf time.Time, grouped bool) statement {
	q := &query{pg: r.dialect == dialect.Postgres}
	view := rollup.View(in.View)
	from, to := q.arg(p.From), q.arg(p.To)
	var cols []string
	var into []setter
	for _, f := range periodFigures {
		if expr := rollup.PeriodSQL(view, f.col, from, to); expr != "" {
			cols = append(cols, expr)
			into = append(into, f.set)
		}
	}
	open, due := rollup.OpenSQL(view, to)
	at := q.arg(asOf)
	cols = append(cols, sum(open+" AND "+due+" >= "+at), sum(open+" AND "+due+" < "+at))
	into = append(into, setOpenOnTime, setOverdue)

	// The fact table: dossiers, or legs with their dossier.
	var b strings.Builder
	agencyKey := "l.agency_id"
	if in.View == ByDossier {
		agencyKey = "d.lead_agency_id"
		fmt.Fprintf(&b, "FROM %s d", q.relevant("dossiers", "received_at", "lead_agency_id", p, agencyIDs))
	} else {
		fmt.Fprintf(&b, "FROM %s l JOIN dossiers d ON d.id = l.dossier_id", q.relevant("legs", "started_at", "agency_id", p, agencyIDs))
	}
	key := groupKey(in.GroupBy, agencyKey, grouped)
	if in.GroupBy != ByAgency {
		b.WriteString(" JOIN procedures p ON p.id = d.procedure_id")
	}
	stmt := "SELECT " + key + ",\n  " + strings.Join(cols, ",\n  ") + "\n" + b.String()
	if grouped {
		stmt += "\nGROUP BY " + key
	}
	return statement{sql: stmt, args: q.args, into: into}
}

// groupKey is the SQL a report's rows are grouped by: the agency column
// given, the procedure's code or field (of the procedure p joined), or
// NULL for one total row.
func groupKey(by GroupBy, agencyCol string, grouped bool) string {
	switch {
	case !grouped:
		return "NULL"
	case by == ByProcedure:
		return "p.code"
	case by == ByField:
		return "p.field"
	}
	return agencyCol
}

// relevant selects the rows of table (dossiers or legs) that matter to
// period p: started in it, or started before it and finished in or after
// it, or still open. Three disjoint index ranges (start, finish, open)
// joined with UNION ALL, so that a month reads a month's rows and the
// rows still running, not the whole history.
func (q *query) relevant(table, start, agencyCol string, p Period, agencyIDs []int) string {
	from, to := q.arg(p.From), q.arg(p.To)
	filter := q.among(agencyCol, agencyIDs)
	// In the later branches the finish index is the selective one.
	plus := q.notIndexed()
	return fmt.Sprintf("(SELECT * FROM %[1]s WHERE %[2]s >= %[3]s AND %[2]s < %[4]s%[5]s"+
		"\n  UNION ALL SELECT * FROM %[1]s WHERE finished_at >= %[3]s AND %[6]s%[2]s < %[3]s%[5]s"+
		"\n  UNION ALL SELECT * FROM %[1]s WHERE finished_at IS NULL AND %[6]s%[2]s < %[3]s%[5]s)",
		table, start, from, to, filter, plus)
}

func sum(cond string) string {
	return "COALESCE(SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END), 0)"
}

// label names the rows: agency code and name, procedure name, field.
func (r *Reporter) label(ctx context.Context, by GroupBy, rows []*PerformanceRow) error {
	ctx = auth.SystemContext(ctx)
	switch by {
	case ByAgency:
		ags, err := r.agencies(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			id, err := strconv.Atoi(row.Key)
			if a, ok := ags[id]; err == nil && ok {
				row.AgencyID = &a.ID
				row.Key, row.Name = a.Code, a.Name
			}
		}
		slices.SortFunc(rows, func(a, b *PerformanceRow) int { return strings.Compare(a.Key, b.Key) })
	case ByProcedure:
		var codes []string
		for _, row := range rows {
			codes = append(codes, row.Key)
		}
		procs, err := r.client.Procedure.Query().Where(procedure.CodeIn(codes...), procedure.Current(true)).All(ctx)
		if err != nil {
			return fmt.Errorf("report: procedures: %w", err)
		}
		for _, row := range rows {
			for _, p := range procs {
				if p.Code == row.Key {
					row.Name = p.Name
				}
			}
		}
	case ByField:
		for _, row := range rows {
			row.Name = row.Key
		}
	}
	return nil
}

// Listing is which dossiers a list report names.
type Listing string

// Listings.
const (
	ListSendBacks   Listing = "SEND_BACKS"
	ListSupplements Listing = "SUPPLEMENTS"
)

// Dossiers returns the dossiers received in the period (at the caller's
// agency, or agencyID) sent back, or asked for supplements, at least min
// times, in the order they were received.
func (r *Reporter) Dossiers(ctx context.Context, list Listing, min int, period PeriodInput, agencyID *int) (*ent.DossierQuery, error) {
	ids, p, err := r.prepare(ctx, period, agencyID)
	if err != nil {
		return nil, err
	}
	if min < 1 {
		return nil, problem.BadInput("min", "the threshold is at least 1")
	}
	q := r.client.Dossier.Query().Where(dossier.ReceivedAtGTE(p.From), dossier.ReceivedAtLT(p.To))
	if len(ids) > 0 {
		q.Where(dossier.LeadAgencyIDIn(ids...))
	}
	switch list {
	case ListSendBacks:
		q.Where(dossier.SendBacksGTE(min))
	case ListSupplements:
		q.Where(dossier.SupplementRoundsGTE(min))
	}
	return q, nil
}

// Interval is the step of a trend.
type Interval string

// Intervals.
const (
	Monthly   Interval = "MONTH"
	Quarterly Interval = "QUARTER"
)

// TrendPoint is one interval's figures.
type TrendPoint struct {
	Period Period
	AsOf   time.Time
	Row    *PerformanceRow
}

// maxTrendPoints bounds one trend.
const maxTrendPoints = 120

// Trend computes the performance totals interval by interval over the
// period (for charts), for one agency or all the caller may read.
func (r *Reporter) Trend(ctx context.Context, period PeriodInput, interval Interval, view View, agencyID *int) ([]*TrendPoint, error) {
	ids, p, err := r.prepare(ctx, period, agencyID)
	if err != nil {
		return nil, err
	}
	months := 1
	switch interval {
	case Monthly:
	case Quarterly:
		months = 3
	default:
		return nil, problem.BadInput("interval", "interval is MONTH or QUARTER")
	}
	if view == "" {
		view = ByDossier
	}
	if !slices.Contains([]View{ByDossier, ByLeg}, view) {
		return nil, problem.BadInput("view", "view DOSSIER or LEG")
	}
	// Intervals are calendar months (or quarters) in local time; the first
	// and last are cut to the period.
	from := p.From.In(r.loc)
	start := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, r.loc)
	if months == 3 {
		start = time.Date(from.Year(), time.Month(3*((int(from.Month())-1)/3)+1), 1, 0, 0, 0, 0, r.loc)
	}
	var out []*TrendPoint
	for s := start; s.Before(p.To); s = s.AddDate(0, months, 0) {
		if len(out) == maxTrendPoints {
			return nil, problem.BadInput("period", "a trend has at most %d points: choose a shorter period or QUARTER", maxTrendPoints)
		}
		iv := Period{From: s, To: s.AddDate(0, months, 0)}
		if iv.From.Before(p.From) {
			iv.From = p.From
		}
		if iv.To.After(p.To) {
			iv.To = p.To
		}
		asOf := r.asOf(iv.To)
		rows, err := r.performanceRows(ctx, PerformanceInput{GroupBy: ByAgency, View: view}, ids, iv, asOf, false)
		if err != nil {
			return nil, err
		}
		row := &PerformanceRow{}
		if len(rows) == 1 {
			row = rows[0]
		}
		out = append(out, &TrendPoint{Period: iv, AsOf: asOf, Row: row})
	}
	return out, nil
}
