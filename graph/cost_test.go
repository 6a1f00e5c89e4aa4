package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"lienthong/graph"
	"lienthong/server/servertest"
)

// TestComplexityPrices reads the price of queries from the refusal of a
// handler whose limit is 1 ("operation has complexity N, …"): page sizes
// multiply what is selected under a connection, nodes(ids) the number of
// ids, and reports cost two points a day of their period. Before the price
// list, first: 100 cost what first: 1 did, and a five-year report 3.
func TestComplexityPrices(t *testing.T) {
	h := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{ComplexityLimit: 1, Logger: slog.New(slog.DiscardHandler)})
	cases := []struct {
		query string
		vars  map[string]any
		cost  int
	}{
		{`{ dossiers(first: 1) { totalCount } }`, nil, 2},
		{`{ dossiers(first: 100) { totalCount } }`, nil, 101},
		{`{ dossiers { totalCount } }`, nil, 1 + graph.DefaultPageSize},
		{`{ dossiers(last: 5) { totalCount } }`, nil, 6},
		{`{ dossiers(first: 3, last: 7) { totalCount } }`, nil, 8},
		{`{ dossiers(first: 1000) { totalCount } }`, nil, 1 + graph.MaxPageSize}, // refused when it runs
		{`query($n: Int) { dossiers(first: $n) { totalCount } }`, map[string]any{"n": 50}, 51},
		{`query($n: Int) { dossiers(first: $n) { totalCount } }`, nil, 1 + graph.DefaultPageSize},
		{`query($n: Int = 7) { dossiers(first: $n) { totalCount } }`, nil, 8},
		// 1 + 10 × (edges 1 + node 1 + officers (1 + 10 × totalCount 1))
		{`{ agencies(first: 10) { edges { node { officers(first: 10) { totalCount } } } } }`, nil, 131},
		{`{ agencies(first: 10) { edges { node { ...O } } } } fragment O on Agency { officers(first: 10) { totalCount } }`, nil, 131},
		{`{ agencies(first: 10) { edges { node { ... on Agency { officers(first: 10) { totalCount } } } } } }`, nil, 131},
		{`{ a: agencies(first: 10) { edges { node { ...O } } } b: agencies(first: 10) { edges { node { ...O } } } } fragment O on Agency { officers(first: 10) { totalCount } }`, nil, 262},
		{`{ node(id: 1) { ... on Agency { officers(first: 10) { totalCount } } } }`, nil, 12},
		{`{ node(id: 1) { ... on Dossier { events(first: 30) { edges { node { seq } } } } } }`, nil, 1 + 1 + 30*3},
		{`{ nodes(ids: [1, 2, 3]) { id } }`, nil, 4},
		// 1 + (total 1 + late 1) + 2 a day
		{`{ performance(period: {year: 2026}) { total { late } } }`, nil, 3 + 2*365},
		{`{ performance(period: {year: 2026, month: 11}) { total { late } } }`, nil, 3 + 2*30},
		{`{ performance(period: {year: 2024, quarter: 1}) { total { late } } }`, nil, 3 + 2*91},
		{`query($p: PeriodInput!) { performance(period: $p) { total { late } } }`, map[string]any{"p": map[string]any{"year": 2026, "half": 2}}, 3 + 2*184},
		{`{ performance(period: {from: "2022-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { total { late } } }`, nil, 3 + 2*1826},
		{`{ performance(period: {from: "2026-11-01T08:00:00+07:00", to: "2026-11-02T09:00:00+07:00"}) { total { late } } }`, nil, 3 + 2*2},
		{`{ performanceTrend(period: {year: 2025}) { figures { late } } }`, nil, 3 + 2*365},
		{`{ serviceIndex(period: {year: 2024}) { late } }`, nil, 2 + 2*366},
		{`{ headRating(year: 2024) { rating } }`, nil, 2 + 2*366},
		{`{ performance(period: {year: 1900}) { total { late } } }`, nil, 3}, // refused when it runs
		{`{ a: __typename b: __typename }`, nil, 2},
	}
	for _, c := range cases {
		code, msg, body := post(context.Background(), h, c.query, c.vars)
		want := fmt.Sprintf("operation has complexity %d,", c.cost)
		if code != graph.CodeComplexity || !strings.HasPrefix(msg, want) {
			t.Errorf("%s %v: %s, want %s…", c.query, c.vars, body, want)
		}
	}
}

// TestComplexityLimit: queries that multiply pages or report periods are
// refused before they run, the same queries with small pages are not. Before
// the price list, 30 aliases of this nest of officers took 21.5 s and 22 MB
// as a desk officer, and 20 aliased five-year reports 35 s of CPU.
func TestComplexityLimit(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk, analyst := e.As("desk.giolinh"), e.As("analyst")
		nest := `{ agencies(first: $n) { edges { node { officers(first: $n) { edges { node { agency { officers(first: $n) { totalCount } } } } } } } } }`
		if r := e.Do(desk, strings.ReplaceAll(nest, "$n", "100"), nil); r.Code() != graph.CodeComplexity {
			t.Errorf("pages of 100 in pages of 100: %.300s", r.Raw)
		}
		if r := e.Do(desk, strings.ReplaceAll(nest, "$n", "3"), nil); len(r.Errors) > 0 {
			t.Errorf("pages of 3 in pages of 3: %.300s", r.Raw)
		}
		if r := e.Do(desk, strings.ReplaceAll(nest, "(first: $n)", ""), nil); r.Code() != graph.CodeComplexity {
			t.Errorf("default pages in default pages in default pages: %.300s", r.Raw)
		}
		fiveYears := `r$: performance(period: {from: "2022-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { total { received late onTimeRate } }`
		var reports strings.Builder
		for i := range 20 {
			reports.WriteString(strings.ReplaceAll(fiveYears, "$", fmt.Sprint(i)) + " ")
		}
		if r := e.Do(analyst, "{ "+reports.String()+"}", nil); r.Code() != graph.CodeComplexity {
			t.Errorf("20 five-year reports: %.300s", r.Raw)
		}
		if r := e.Do(analyst, "{ "+strings.ReplaceAll(fiveYears, "$", "0")+" }", nil); len(r.Errors) > 0 {
			t.Errorf("one five-year report: %.300s", r.Raw)
		}
		years := ""
		for y := 2021; y <= 2026; y++ {
			years += fmt.Sprintf(` y%d: performance(period: {year: %d}) { total { received late onTimeRate } }`, y, y)
		}
		if r := e.Do(analyst, "{"+years+" }", nil); len(r.Errors) > 0 {
			t.Errorf("six yearly reports: %.300s", r.Raw)
		}
		if r := e.Do(analyst, `{ a: serviceIndex(period: {from: "2022-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { late }
			b: serviceIndex(period: {from: "2022-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { late } }`, nil); r.Code() != graph.CodeComplexity {
			t.Errorf("two five-year indices: %.300s", r.Raw)
		}
	})
}

// TestComplexityStopsWithTheRequest: a request whose context has ended is
// not priced to the end nor run; it answers TIMEOUT.
func TestComplexityStopsWithTheRequest(t *testing.T) {
	h := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code, _, body := post(ctx, h, `{ dossiers(first: 1) { totalCount } }`, nil); code != "TIMEOUT" {
		t.Errorf("a request whose context ended: %s", body)
	}
}
