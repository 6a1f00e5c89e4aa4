package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lienthong/graph"
	"lienthong/server/servertest"
)

// fragmentBomb is a document whose fragment Fn spreads F(n-1) fan times
// over (and F0 asks for leaf on typ): a few hundred bytes that expand to
// fan^n fields.
func fragmentBomb(n, fan int, op, typ, leaf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nfragment F0 on %s { %s }\n", strings.ReplaceAll(op, "$", fmt.Sprint(n)), typ, leaf)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on %s {", i, typ)
		for range fan {
			fmt.Fprintf(&b, " ...F%d", i-1)
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

// mixedBomb doubles at each level through an inline fragment and a spread,
// with aliases beside them.
func mixedBomb(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { ...M%d }\nfragment M0 on Query { a: __typename ... on Query { now } }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment M%d on Query { t%d: __typename ... on Query { ...M%d } ...M%d }\n", i, i, i-1, i-1)
	}
	return b.String()
}

// TestDocumentLimits: documents of a few KB that would expand to billions
// of fields through fragments, or ask for one field thousands of times, are
// refused before gqlgen validates or prices them, each with its code,
// without a token or with one. Before these limits, the 29-level document
// kept the server busy for minutes (TIMEOUT at 30 s).
func TestDocumentLimits(t *testing.T) {
	fields := strings.Repeat(" id", graph.MaxFields+1)
	sameAlias := strings.Repeat(" a: id", graph.MaxRepeats+1)
	var frags strings.Builder
	frags.WriteString("{ now")
	for i := range graph.MaxFragments + 1 {
		fmt.Fprintf(&frags, " ...X%d", i)
	}
	frags.WriteString(" }\n")
	for i := range graph.MaxFragments + 1 {
		fmt.Fprintf(&frags, "fragment X%d on Query { __typename }\n", i)
	}
	var roots strings.Builder
	roots.WriteString("{ ...R }\nfragment R on Query {")
	for i := range graph.MaxRootFields + 1 {
		fmt.Fprintf(&roots, " n%d: now", i)
	}
	roots.WriteString(" }")
	cases := []struct {
		name, query, code string
	}{
		{"29 levels, each spreading the one below twice", fragmentBomb(29, 2, "query { ...F$ }", "Query", "__typename"), graph.CodeTooManyFields},
		{"29 levels, each spreading the one below ten times", fragmentBomb(29, 10, "query { ...F$ }", "Query", "__typename"), graph.CodeTooManyFields},
		{"29 levels through inline fragments, with aliases", mixedBomb(29), graph.CodeTooManyFields},
		{"29 levels of introspection (a validation rule walks them)", fragmentBomb(29, 2, "query { __schema { ...F$ } }", "__Schema", "description"), graph.CodeTooManyFields},
		{"29 levels under a connection", fragmentBomb(29, 2, "query { dossiers { edges { node { ...F$ } } } }", "Dossier", "id"), graph.CodeTooManyFields},
		{"29 levels in a fragment nobody spreads", fragmentBomb(29, 2, "query { now }", "Query", "__typename"), graph.CodeTooManyFields},
		{"a wide flat selection", "{ dossiers { edges { node {" + fields + " } } } }", graph.CodeTooManyFields},
		{"one field asked for again and again (validation compares them pair by pair)", "{ node(id: 1) { ... on Dossier {" + sameAlias + " } } }", graph.CodeRepeatedField},
		{"one field asked for again through fragments", "{ node(id: 1) { ...D ...E } }\nfragment D on Dossier {" + strings.Repeat(" id", graph.MaxRepeats/2) + " }\nfragment E on Dossier {" + strings.Repeat(" id", graph.MaxRepeats/2+1) + " }", graph.CodeRepeatedField},
		{"too many fragments", frags.String(), graph.CodeTooManyFragments},
		{"root fields through a fragment", roots.String(), graph.CodeTooManyRootFields},
	}
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		for _, c := range cases {
			for _, token := range []string{"", desk} {
				if r := e.Do(token, c.query, nil); r.Code() != c.code {
					t.Errorf("%s (%d bytes, token %v): %.300s, want %s", c.name, len(c.query), token != "", r.Raw, c.code)
				}
			}
		}
		// Cycles are validation's to refuse, and are not followed forever.
		cycle := "{ ...A }\nfragment A on Query { now ...B }\nfragment B on Query { __typename ...A }"
		if r := e.Do(desk, cycle, nil); r.Code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("a cycle of fragments: %s", r.Raw)
		}
		// Within the limits, fragments work as before.
		ok := `{ dossiers(first: 2) { edges { node { ...D ... on Dossier { id } } } } }
fragment D on Dossier { id code ...S }
fragment S on Dossier { state id }`
		if r := e.Do(desk, ok, nil); len(r.Errors) > 0 || len(servertest.Get(r.Data, "dossiers", "edges").([]any)) != 2 {
			t.Errorf("fragments within the limits: %s", r.Raw)
		}
	})
}

// post sends a query to a GraphQL handler without a token and returns the
// first error's code and message, and the body.
func post(ctx context.Context, h http.Handler, query string, vars map[string]any) (code, message string, body []byte) {
	raw, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if len(out.Errors) == 0 {
		return "", "", rec.Body.Bytes()
	}
	code, _ = out.Errors[0].Extensions["code"].(string)
	return code, out.Errors[0].Message, rec.Body.Bytes()
}

// BenchmarkRefuseFragmentBomb measures the refusal of the 29-level
// document (about 1 KB, 2^29 fields expanded) through the GraphQL handler:
// JSON decoding, parsing, the document limits and the error's
// presentation. Before the limits the same request took minutes of CPU.
// The variants: ten spreads a level, and one field asked for 11 times.
func BenchmarkRefuseFragmentBomb(b *testing.B) {
	h := graph.NewHandler(graph.NewResolver(graph.Deps{}), graph.Options{Logger: slog.New(slog.DiscardHandler)})
	for _, c := range []struct {
		name, query, code string
	}{
		{"binary-29", fragmentBomb(29, 2, "query { ...F$ }", "Query", "__typename"), graph.CodeTooManyFields},
		{"tenfold-29", fragmentBomb(29, 10, "query { ...F$ }", "Query", "__typename"), graph.CodeTooManyFields},
		{"repeated", "{ node(id: 1) { ... on Dossier {" + strings.Repeat(" a: id", graph.MaxRepeats+1) + " } } }", graph.CodeRepeatedField},
	} {
		b.Run(c.name, func(b *testing.B) {
			if code, _, body := post(b.Context(), h, c.query, nil); code != c.code {
				b.Fatalf("%s", body)
			}
			b.SetBytes(int64(len(c.query)))
			b.ReportAllocs()
			for b.Loop() {
				post(b.Context(), h, c.query, nil)
			}
		})
	}
}
