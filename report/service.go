package report

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"lienthong/calendar"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// ServiceIndex is the "progress" group of the Decision 766 indicators for
// a period: counts and the rates made of them.
type ServiceIndex struct {
	Period   Period
	AsOf     time.Time
	AgencyID *int

	// The on-time denominator: dossiers finished with a result in the
	// period, and dossiers still open at its end (judged then).
	Judged int
	OnTime int // finished early or on time, or open and not past due; at most one supplementation round
	Late   int // the rest: late, past due, or supplemented more than once

	Finished          int
	ProcessingMinutes int64

	Received   int // received in the period
	Online     int // of which submitted online
	Digitized  int // of which every component digitised
	WithFee    int // of which under a procedure with a fee
	PaidOnline int // of which paid online
	Complained int // of which the applicant complained about
}

func pct(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(d)
	return &v
}

// OnTimeRate is OnTime ÷ Judged in %.
func (s *ServiceIndex) OnTimeRate() *float64 { return pct(s.OnTime, s.Judged) }

// LateRate is Late ÷ Judged in %.
func (s *ServiceIndex) LateRate() *float64 { return pct(s.Late, s.Judged) }

// OnlineRate is Online ÷ Received in %.
func (s *ServiceIndex) OnlineRate() *float64 { return pct(s.Online, s.Received) }

// OnlinePaymentRate is PaidOnline ÷ WithFee in %.
func (s *ServiceIndex) OnlinePaymentRate() *float64 { return pct(s.PaidOnline, s.WithFee) }

// DigitizationRate is Digitized ÷ Received in %.
func (s *ServiceIndex) DigitizationRate() *float64 { return pct(s.Digitized, s.Received) }

// ComplaintRate is Complained ÷ Received in %.
func (s *ServiceIndex) ComplaintRate() *float64 { return pct(s.Complained, s.Received) }

// AverageProcessingDays is the mean working time from receipt to result.
func (s *ServiceIndex) AverageProcessingDays() *float64 {
	if s.Finished == 0 {
		return nil
	}
	v := float64(s.ProcessingMinutes) / float64(s.Finished) / calendar.MinutesPerWorkingDay
	return &v
}

// Satisfaction is 100 % − (% late + % with complaints), at least 0.
func (s *ServiceIndex) Satisfaction() *float64 {
	late, complained := s.LateRate(), s.ComplaintRate()
	if late == nil && complained == nil {
		return nil
	}
	v := 100.0
	if late != nil {
		v -= *late
	}
	if complained != nil {
		v -= *complained
	}
	v = max(v, 0)
	return &v
}

// ServiceIndex computes the Decision 766 progress figures for the period,
// for one agency (the dossiers it leads) or all.
func (r *Reporter) ServiceIndex(ctx context.Context, period PeriodInput, agencyID *int) (*ServiceIndex, error) {
	ids, p, err := r.prepare(ctx, period, agencyID)
	if err != nil {
		return nil, err
	}
	asOf := r.asOf(p.To)
	q := &query{pg: r.dialect == dialect.Postgres}
	from, to := q.arg(p.From), q.arg(p.To)
	fin := fmt.Sprintf("(d.judgement IS NOT NULL AND d.finished_at >= %s AND d.finished_at < %s)", from, to)
	open := fmt.Sprintf("(d.finished_at IS NULL OR d.finished_at >= %s)", to)
	recv := fmt.Sprintf("d.received_at >= %s", from)
	onTime := fmt.Sprintf("d.supplement_rounds <= 1 AND ((%s AND d.judgement IN ('EARLY', 'ON_TIME')) OR (%s AND d.original_appointment_at >= %s))", fin, open, q.arg(asOf))
	cols := []string{
		sum(fin + " OR " + open),
		sum(onTime),
		sum(fin),
		"COALESCE(SUM(CASE WHEN " + fin + " THEN d.processing_minutes ELSE 0 END), 0)",
		sum(recv),
		sum(recv + " AND d.channel = 'ONLINE'"),
		sum(recv + " AND d.digitized"),
		sum(recv + " AND d.procedure_id IN (SELECT id FROM procedures WHERE fee > 0)"),
		sum(recv + " AND d.paid_online"),
		sum(recv + " AND d.complained"),
	}
	stmt := "SELECT " + strings.Join(cols, ",\n  ") +
		"\nFROM " + q.relevant("dossiers", "received_at", "lead_agency_id", p, ids) + " d"
	rows := &entsql.Rows{}
	if err := r.drv.Query(ctx, stmt, q.args, rows); err != nil {
		return nil, fmt.Errorf("report: service index: %w", err)
	}
	defer rows.Close()
	var n [10]sql.NullInt64
	if rows.Next() {
		if err := rows.Scan(&n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9]); err != nil {
			return nil, fmt.Errorf("report: service index: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report: service index: %w", err)
	}
	s := &ServiceIndex{Period: p, AsOf: asOf, AgencyID: agencyID}
	s.Judged, s.OnTime, s.Finished, s.ProcessingMinutes = int(n[0].Int64), int(n[1].Int64), int(n[2].Int64), n[3].Int64
	s.Late = s.Judged - s.OnTime
	s.Received, s.Online, s.Digitized, s.WithFee, s.PaidOnline, s.Complained = int(n[4].Int64), int(n[5].Int64), int(n[6].Int64), int(n[7].Int64), int(n[8].Int64), int(n[9].Int64)
	return s, nil
}
