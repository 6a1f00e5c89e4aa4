package graph_test

import (
	"testing"

	"lienthong/server/servertest"
)

func TestPagination(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		tok := e.As("analyst")
		if r := e.Do(tok, `{ dossiers(first: 101) { totalCount } }`, nil); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("first: 101: code = %q, want BAD_USER_INPUT", r.Code())
		}
		for range 15 {
			e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Trang")})
		}
		d := e.MustDo(tok, `{ dossiers { totalCount edges { cursor } } }`, nil)
		if n := len(servertest.Get(d, "dossiers", "edges").([]any)); n != 20 {
			t.Errorf("default page = %d edges, want 20 (total %d)", n, servertest.Num(d, "dossiers", "totalCount"))
		}
		// A page with agency and procedure fields costs the same number of
		// SQL statements whatever its size (no N+1).
		q := `query($n: Int!) { dossiers(first: $n) { edges { node { code procedure { code name } deskAgency { name } legs { agency { code } } } } } }`
		e.MustDo(tok, q, map[string]any{"n": 1}) // warm the viewer cache
		count := func(n int) int64 {
			before := e.Statements.Load()
			e.MustDo(tok, q, map[string]any{"n": n})
			return e.Statements.Load() - before
		}
		small, large := count(2), count(25)
		if small != large {
			t.Errorf("SQL statements: page of 2 = %d, page of 25 = %d, want equal", small, large)
		}
	})
}
