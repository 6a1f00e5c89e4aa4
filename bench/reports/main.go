// Command reports times the reporting queries on a database of a year of
// dossiers (default one million), against a baseline measured in the same
// run on the same database: a plain COUNT over the same year of dossiers.
//
//	go run ./bench/reports [-dossiers 1000000] [-runs 9] [-db sqlite://bench/data/reports.db]
//
// The database is generated once (lienthong seed's bulk generator) and
// reused by later runs. With TEST_DATABASE_URL set, it runs on PostgreSQL
// too, in a database of its own on that server.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/demo"
	"lienthong/report"
	"lienthong/rollup"
	"lienthong/store"
)

// now is the instant the generated year ends at, fixed so that runs compare.
var now = time.Date(2026, 11, 16, 9, 0, 0, 0, calendar.VietnamLocation())

func main() {
	dossiers := flag.Int("dossiers", 1_000_000, "dossiers in the generated year")
	runs := flag.Int("runs", 9, "runs per query (the median is reported)")
	sqlite := flag.String("db", "sqlite://bench/data/reports.db", "SQLite database (generated when empty)")
	plans := flag.Bool("plans", false, "print the query plans")
	only := flag.String("only", "", "run only the queries whose name matches this regular expression (the baseline always runs)")
	flag.Parse()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	ctx := context.Background()
	targets := []string{*sqlite}
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		u, err := store.PostgresDatabase(context.Background(), base, fmt.Sprintf("lienthong_bench_reports_%d", *dossiers), false)
		if err != nil {
			fail(err)
		}
		targets = append(targets, u)
	}
	for _, t := range targets {
		if err := bench(ctx, t, *dossiers, *runs, *plans, regexp.MustCompile(*only)); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench/reports:", err)
	os.Exit(1)
}

func bench(ctx context.Context, dbURL string, n, runs int, plans bool, only *regexp.Regexp) error {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	access.Install(db.Client)
	count, err := db.Client.Dossier.Query().Count(auth.SystemContext(ctx))
	if err != nil {
		return err
	}
	if count == 0 {
		start := time.Now()
		err := demo.Seed(ctx, db.Client, demo.Options{Now: now, Dossiers: n, Dialect: db.Dialect, Progress: func(done int) {
			if done%100_000 == 0 {
				fmt.Fprintf(os.Stderr, "%s: %d dossiers generated (%s)\n", db.Dialect, done, time.Since(start).Round(time.Second))
			}
		}})
		if err != nil {
			return err
		}
		if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
		count = n
		fmt.Fprintf(os.Stderr, "%s: generated %d dossiers in %s\n", db.Dialect, n, time.Since(start).Round(time.Second))
	}
	if n, err := db.Client.Rollup.Query().Count(ctx); err != nil {
		return err
	} else if n == 0 {
		// A database generated before the roll-ups existed.
		start := time.Now()
		if err := rollup.Rebuild(ctx, db.Client, db.Dialect); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%s: roll-ups rebuilt in %s\n", db.Dialect, time.Since(start).Round(time.Millisecond))
	}
	r := report.New(db.Driver, db.Client, calendar.NewTestClock(now))
	raw := r.WithoutRollups()
	as := auth.NewContext(ctx, &auth.Viewer{Subject: "bench", Roles: []auth.Role{auth.RoleAnalyst}})
	year, month, current := 2026, 10, 11
	yearP := report.PeriodInput{Year: &year}
	monthP := report.PeriodInput{Year: &year, Month: &month}
	currentP := report.PeriodInput{Year: &year, Month: &current}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.VietnamLocation())
	to := from.AddDate(1, 0, 0)
	ph := "?"
	if db.Dialect == "postgres" {
		ph = "$"
	}
	baselineSQL := "SELECT COUNT(*), COALESCE(SUM(d.processing_minutes), 0) FROM dossiers d WHERE d.received_at >= " + ph + "1 AND d.received_at < " + ph + "2"
	cases := []struct {
		name string
		fn   func() error
	}{
		{"baseline: COUNT and SUM over the year's dossiers", func() error {
			rows := &entsql.Rows{}
			if err := db.Driver.Query(ctx, baselineSQL, []any{from, to}, rows); err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
			}
			return rows.Err()
		}},
		{"performance year, by agency, DOSSIER", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: yearP, GroupBy: report.ByAgency, View: report.ByDossier})
			return err
		}},
		{"performance year, by agency, LEG", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: yearP, GroupBy: report.ByAgency, View: report.ByLeg})
			return err
		}},
		{"performance year, by procedure, DOSSIER", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: yearP, GroupBy: report.ByProcedure, View: report.ByDossier})
			return err
		}},
		{"performance month, by agency, DOSSIER", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: monthP, GroupBy: report.ByAgency, View: report.ByDossier})
			return err
		}},
		{"performance month, by agency, LEG", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: monthP, GroupBy: report.ByAgency, View: report.ByLeg})
			return err
		}},
		{"performance current month, by agency, DOSSIER", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: currentP, GroupBy: report.ByAgency, View: report.ByDossier})
			return err
		}},
		{"performance current month, by agency, LEG", func() error {
			_, err := r.Performance(as, report.PerformanceInput{Period: currentP, GroupBy: report.ByAgency, View: report.ByLeg})
			return err
		}},
		{"without roll-ups: year, by agency, DOSSIER", func() error {
			_, err := raw.Performance(as, report.PerformanceInput{Period: yearP, GroupBy: report.ByAgency, View: report.ByDossier})
			return err
		}},
		{"without roll-ups: year, by agency, LEG", func() error {
			_, err := raw.Performance(as, report.PerformanceInput{Period: yearP, GroupBy: report.ByAgency, View: report.ByLeg})
			return err
		}},
		{"without roll-ups: month, by agency, DOSSIER", func() error {
			_, err := raw.Performance(as, report.PerformanceInput{Period: monthP, GroupBy: report.ByAgency, View: report.ByDossier})
			return err
		}},
		{"serviceIndex year", func() error {
			_, err := r.ServiceIndex(as, yearP, nil)
			return err
		}},
		{"headRating year", func() error {
			_, err := r.HeadRatings(as, year)
			return err
		}},
	}
	fmt.Printf("\n%s, %d dossiers, median of %d runs\n", db.Dialect, count, runs)
	fmt.Printf("%-50s %12s %10s\n", "query", "median", "× baseline")
	var base time.Duration
	for i, c := range cases {
		if i > 0 && !only.MatchString(c.name) {
			continue
		}
		var times []time.Duration
		for range runs {
			start := time.Now()
			if err := c.fn(); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		med := times[len(times)/2]
		if i == 0 {
			base = med
		}
		fmt.Printf("%-50s %12s %10.2f\n", c.name, med.Round(10*time.Microsecond), float64(med)/float64(base))
	}
	if plans {
		for _, v := range []report.View{report.ByDossier, report.ByLeg} {
			plan, err := r.Explain(as, report.PerformanceInput{Period: monthP, GroupBy: report.ByAgency, View: v})
			if err != nil {
				return err
			}
			fmt.Printf("\nplan, month by agency, %s (%s):\n%s", v, db.Dialect, indent(plan))
		}
	}
	return nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}
