package graph_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"lienthong/graph"
)

// TestIntrospectionOutsideDev: outside dev mode introspection is refused
// with its own code, before anything runs, and nothing is logged above
// Info. Before, each introspection query answered INTERNAL and logged an
// ERROR: a log flood for the asking. In dev mode the full query of GraphiQL
// answers, within the document limits.
func TestIntrospectionOutsideDev(t *testing.T) {
	logs := &records{}
	prod := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Logger: slog.New(logs)})
	for _, q := range []string{
		introspection.Query,
		`{ __schema { queryType { name } } }`,
		`{ __type(name: "Dossier") { fields { name } } }`,
		"{ ...I }\nfragment I on Query { __schema { types { name } } }",
		"query A { __typename }\nquery B { __schema { types { name } } }",
	} {
		if code, _, body := post(context.Background(), prod, q, nil); code != graph.CodeIntrospectionDisabled {
			t.Errorf("%.60q: %s", q, body)
		}
	}
	if code, _, body := post(context.Background(), prod, `{ __typename }`, nil); code != "" || !strings.Contains(string(body), `"__typename":"Query"`) {
		t.Errorf("__typename: %s", body)
	}
	if l := logs.above(slog.LevelInfo); len(l) > 0 {
		t.Errorf("logged above Info: %q", l)
	}
	dev := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Dev: true, Logger: slog.New(logs)})
	if code, _, body := post(context.Background(), dev, introspection.Query, nil); code != "" || !strings.Contains(string(body), `"queryType":{"name":"Query"}`) {
		t.Errorf("introspection in dev mode: %.300s", body)
	}
}

// TestNoSuggestionsOutsideDev: outside dev mode no validation error names
// what the schema has instead ("Did you mean first?"): fields, arguments,
// enum values, input fields, types. Before, arguments, enum values, input
// fields and types were suggested in production too.
func TestNoSuggestionsOutsideDev(t *testing.T) {
	prod := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Logger: slog.New(slog.DiscardHandler)})
	dev := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Dev: true, Logger: slog.New(slog.DiscardHandler)})
	for _, q := range []string{
		`{ dossiers(frist: 1) { totalCount } }`,
		`{ dosiers { totalCount } }`,
		`{ dossiers }`,
		`{ performance(period: {year: 2026}, groupBy: AGENCYY) { asOf } }`,
		`{ performance(period: {years: 2026}) { asOf } }`,
		"{ dossiers { edges { node { ...D } } } }\nfragment D on Dosier { id }",
	} {
		code, msg, body := post(context.Background(), prod, q, nil)
		if code != "GRAPHQL_VALIDATION_FAILED" || strings.Contains(string(body), "Did you mean") {
			t.Errorf("%s: %s", q, body)
		}
		if _, dmsg, _ := post(context.Background(), dev, q, nil); !strings.Contains(dmsg, "Did you mean") {
			t.Errorf("%s in dev mode: %s, want a suggestion (%s in production)", q, dmsg, msg)
		}
	}
}

// records keeps what a handler logs.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

// above returns the messages logged above level.
func (r *records) above(level slog.Level) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.list {
		if rec.Level > level {
			out = append(out, rec.Level.String()+" "+rec.Message)
		}
	}
	return out
}
