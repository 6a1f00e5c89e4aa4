package server_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"lienthong/graph"
	"lienthong/server/servertest"
)

// TestConflictingTransitions: 100 goroutines fire conflicting transitions
// at 10 dossiers at once. Every accepted transition appears exactly once
// in its dossier's history, every refused one not at all; each dossier's
// state is its last event's target and its version the number of events;
// no refusal is an internal error.
func TestConflictingTransitions(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk, spec := e.As("desk.giolinh"), e.As("cv.giolinh")
		var ids []string
		for i := range 10 {
			d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput(fmt.Sprintf("Đồng thời %d", i))})
			ids = append(ids, servertest.Str(d, "receiveDossier", "id"))
		}
		muts := []struct{ token, m string }{
			{desk, servertest.Forward}, {desk, servertest.Forward}, {spec, servertest.Request}, {desk, servertest.Supply}, {spec, servertest.Return},
			{desk, `mutation($id: ID!) { completeDossier(id: $id) { state } }`}, {desk, servertest.Refuse},
		}
		var mu sync.Mutex
		accepted := map[string]int{}
		codes := map[string]int{}
		var wg sync.WaitGroup
		for g := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 8))
				id := ids[g%len(ids)]
				for range 3 {
					m := muts[rng.IntN(len(muts))]
					r := e.Do(m.token, m.m, map[string]any{"id": id})
					mu.Lock()
					if len(r.Errors) == 0 {
						accepted[id]++
					} else {
						codes[r.Code()]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for code := range codes {
			// CONFLICT: lost a race; BAD_USER_INPUT: illegal in the state
			// reached; FORBIDDEN: legal there, but another officer's to fire
			// (a supplementation request while the desk still holds it).
			if code != "CONFLICT" && code != "BAD_USER_INPUT" && code != "FORBIDDEN" {
				t.Errorf("refusals by code %v: only CONFLICT, BAD_USER_INPUT and FORBIDDEN expected", codes)
			}
		}
		const q = `query($id: ID!) { node(id: $id) { ... on Dossier { state version events(first: 100) { totalCount edges { node { seq toState } } } } } }`
		total := 0
		for _, id := range ids {
			h := servertest.Get(e.MustDo(desk, q, map[string]any{"id": id}), "node")
			edges := servertest.Get(h, "events", "edges").([]any)
			want := 1 + accepted[id] // the receipt and each accepted transition
			total += accepted[id]
			if servertest.Num(h, "events", "totalCount") != want || servertest.Num(h, "version") != want {
				t.Errorf("dossier %s: %d events, version %d; want %d (1 receipt + %d accepted)", id, servertest.Num(h, "events", "totalCount"), servertest.Num(h, "version"), want, accepted[id])
				continue
			}
			for i, edge := range edges {
				if servertest.Num(edge, "node", "seq") != i+1 {
					t.Errorf("dossier %s: event %d has seq %d", id, i, servertest.Num(edge, "node", "seq"))
				}
			}
			if last := servertest.Str(edges[len(edges)-1], "node", "toState"); last != servertest.Str(h, "state") {
				t.Errorf("dossier %s is %s but its last event went to %s", id, servertest.Str(h, "state"), last)
			}
		}
		if total == 0 || codes["CONFLICT"]+codes["BAD_USER_INPUT"] == 0 {
			t.Errorf("accepted %d, refused %v: the run did not exercise both outcomes", total, codes)
		}
	})
}

// TestOperationShapeLimits: a query nested too deep, with too many aliases
// or too many root fields is refused before anything runs, with a code.
func TestOperationShapeLimits(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		analyst := e.As("analyst")
		deep := "id"
		for range 7 {
			deep = "legs { dossier { " + deep + " } }"
		}
		if r := e.Do(analyst, "{ dossiers(first: 1) { edges { node { "+deep+" } } } }", nil); r.Code() != "QUERY_TOO_DEEP" {
			t.Errorf("a 17-level query: %s, want QUERY_TOO_DEEP", r.Raw)
		}
		ok := "legs { dossier { legs { dossier { id } } } }"
		if r := e.Do(analyst, "{ dossiers(first: 1) { edges { node { "+ok+" } } } }", nil); len(r.Errors) > 0 {
			t.Errorf("an 8-level query: %s", r.Raw)
		}
		aliases := ""
		for i := range graph.MaxAliases + 1 {
			aliases += fmt.Sprintf(" a%d: code", i)
		}
		if r := e.Do(analyst, "{ dossiers(first: 1) { edges { node {"+aliases+" } } } }", nil); r.Code() != "TOO_MANY_ALIASES" {
			t.Errorf("31 aliases: %s, want TOO_MANY_ALIASES", r.Raw)
		}
		roots := ""
		for i := range 21 {
			roots += fmt.Sprintf(" n%d: now", i)
		}
		if r := e.Do(analyst, "{"+roots+" }", nil); r.Code() != "TOO_MANY_ROOT_FIELDS" {
			t.Errorf("21 root fields: %s, want TOO_MANY_ROOT_FIELDS", r.Raw)
		}
		// Fragments are expanded: root fields, aliases and levels through
		// them count as if written in place.
		if r := e.Do(analyst, "{ ...R }\nfragment R on Query {"+roots+" }", nil); r.Code() != "TOO_MANY_ROOT_FIELDS" {
			t.Errorf("21 root fields through a fragment: %s, want TOO_MANY_ROOT_FIELDS", r.Raw)
		}
		if r := e.Do(analyst, "{ dossiers(first: 1) { edges { node { ...A } } } }\nfragment A on Dossier {"+aliases+" }", nil); r.Code() != "TOO_MANY_ALIASES" {
			t.Errorf("31 aliases through a fragment: %s, want TOO_MANY_ALIASES", r.Raw)
		}
		if r := e.Do(analyst, "{ dossiers(first: 1) { edges { node { ...D } } } }\nfragment D on Dossier { "+deep+" }", nil); r.Code() != "QUERY_TOO_DEEP" {
			t.Errorf("17 levels through a fragment: %s, want QUERY_TOO_DEEP", r.Raw)
		}
	})
}

// TestHistoryGuard: the database itself refuses rewriting history, even to
// a session that bypasses the API: events, outbox messages and form records
// take no UPDATE, DELETE or TRUNCATE; a finished leg is frozen, an open
// leg's start, agency and allotment too, and no leg is deleted. What the
// engine does to an open leg (extend its due time) still works.
func TestHistoryGuard(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Lịch sử")})
		e.MustDo(desk, servertest.Forward, map[string]any{"id": servertest.Str(d, "receiveDossier", "id")})
		if _, status := e.GetPDF(desk, "/dossiers/"+servertest.Str(d, "receiveDossier", "code")+"/forms/receipt.pdf"); status != 200 {
			t.Fatalf("receipt: status %d", status)
		}
		db := e.App.DB.SQL
		count := func(q string) int {
			t.Helper()
			var n int
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		for _, table := range []string{"dossier_events", "outbox_messages", "form_records", "legs"} {
			if count("SELECT count(*) FROM "+table) == 0 {
				t.Fatalf("%s is empty: nothing to guard", table)
			}
		}
		if count("SELECT count(*) FROM legs WHERE finished_at IS NOT NULL") == 0 || count("SELECT count(*) FROM legs WHERE finished_at IS NULL") == 0 {
			t.Fatal("want both finished and open legs")
		}
		refused := []string{
			"UPDATE dossier_events SET type = 'CANCEL'",
			"DELETE FROM dossier_events",
			"UPDATE outbox_messages SET type = 'CANCEL'",
			"DELETE FROM outbox_messages",
			"UPDATE form_records SET form = 'RECEIPT'",
			"DELETE FROM form_records",
			"UPDATE legs SET judgement = 'EARLY' WHERE finished_at IS NOT NULL",
			"UPDATE legs SET worked_minutes = 0 WHERE finished_at IS NOT NULL",
			"UPDATE legs SET started_at = due_at WHERE finished_at IS NULL",
			"UPDATE legs SET allotted_minutes = allotted_minutes + 480 WHERE finished_at IS NULL",
			"DELETE FROM legs",
			// What the reports trust of a dossier, once set.
			"UPDATE dossiers SET judgement = 'LATE' WHERE judgement IS NOT NULL",
			"UPDATE dossiers SET finished_at = received_at WHERE finished_at IS NOT NULL",
			"UPDATE dossiers SET processing_minutes = 0 WHERE processing_minutes IS NOT NULL",
			"UPDATE dossiers SET received_at = NULL WHERE received_at IS NOT NULL",
			"UPDATE dossiers SET code = code || 'X'",
		}
		if e.App.DB.Dialect == "postgres" {
			refused = append(refused, "TRUNCATE dossier_events CASCADE", "TRUNCATE legs CASCADE", "TRUNCATE outbox_messages CASCADE", "TRUNCATE form_records")
		}
		before := count("SELECT count(*) FROM dossier_events") + count("SELECT count(*) FROM legs") + count("SELECT count(*) FROM outbox_messages")
		for _, q := range refused {
			_, err := db.Exec(q)
			if err == nil {
				t.Errorf("%s: accepted", q)
				continue
			}
			if !strings.Contains(err.Error(), "history") {
				t.Errorf("%s: refused for another reason: %v", q, err)
			}
		}
		if after := count("SELECT count(*) FROM dossier_events") + count("SELECT count(*) FROM legs") + count("SELECT count(*) FROM outbox_messages"); after != before {
			t.Errorf("history rows: %d before, %d after", before, after)
		}
		if _, err := db.Exec("UPDATE legs SET due_at = due_at, paused_minutes = paused_minutes + 0 WHERE finished_at IS NULL"); err != nil {
			t.Errorf("extending an open leg: %v", err)
		}
	})
}
