package server_test

import (
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"lienthong/server/servertest"
)

// TestStatementsPerTransition counts the SQL statements each mutation of a
// land dossier's route sends, caches warm. Every statement is a round trip
// to PostgreSQL, and on SQLite a turn of work inside the write lock: a
// change that adds one to every transition shows here, not as a timing.
func TestStatementsPerTransition(t *testing.T) {
	// Without the tests' read-back of each transition's dossier, and with
	// the engine's caches kept warm for the whole test.
	warm := servertest.Seeded
	warm.NoWriteCheck, warm.CacheTTL = true, time.Hour
	servertest.Each(t, warm, func(t *testing.T, e *servertest.Env) {
		desk, spec := e.As("desk.giolinh"), e.As("cv.giolinh")
		dept := e.Token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.Token("cv.thue", "000.00.40.H43", "SPECIALIST")
		type step struct {
			name, token, mutation string
		}
		steps := []step{
			{"forwardDossier", desk, `forwardDossier(id: $id)`},
			{"requestSupplement", spec, `requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Bản sao"])`},
			{"supplementDossier", desk, `supplementDossier(id: $id)`},
			{"transferDossier", spec, `transferDossier(id: $id)`},
			{"transferDossier", dept, `transferDossier(id: $id)`},
			{"transferDossier", tax, `transferDossier(id: $id)`},
			{"returnDossier", dept, `returnDossier(id: $id, result: "GCN")`},
			{"completeDossier", desk, `completeDossier(id: $id)`},
		}
		route := func() map[string]int64 {
			t.Helper()
			got := map[string]int64{}
			before := e.Statements.Load()
			id := servertest.Str(e.MustDo(desk, `mutation($in: ReceiveDossierInput!) { receiveDossier(input: $in) { id } }`,
				map[string]any{"in": servertest.LandInput("Trần Thị Đếm")}), "receiveDossier", "id")
			got["receiveDossier"] = e.Statements.Load() - before
			for _, s := range steps {
				before := e.Statements.Load()
				e.MustDo(s.token, `mutation($id: ID!) { `+s.mutation+` { id state } }`, map[string]any{"id": id})
				got[s.name] = max(got[s.name], e.Statements.Load()-before)
			}
			return got
		}
		route() // warms the caches of viewers, procedures and agency codes
		got := route()
		// One read to plan (the legs; the dossier as the engine wrote it
		// last, the one after intake read too), then in the transaction:
		// the versioned dossier update, the legs' writes, the event, the
		// roll-ups and the outbound message. Intake writes the dossier, its
		// desk leg, roll-ups, event, number (one upsert), code and message.
		// The webhook subscriptions, the desk and the procedure's current
		// version are cached (workflow.Config.CacheTTL).
		want := map[string]int64{
			"receiveDossier":    7, // 6 on PostgreSQL: one statement numbers and writes the code
			"forwardDossier":    8, // reads the dossier; closes the desk leg, opens the lead's
			"requestSupplement": 4, // no leg moves
			"supplementDossier": 5, // extends the open leg
			"transferDossier":   7,
			"returnDossier":     6, // closes the lead leg
			"completeDossier":   4,
		}
		if e.App.DB.Dialect == dialect.Postgres {
			want["receiveDossier"] = 6
		}
		for name, n := range want {
			if got[name] != n {
				t.Errorf("%s: %d statements, want %d", name, got[name], n)
			}
		}
		// With a webhook subscribed, each event's delivery is queued in its
		// transaction: one statement more, whatever the number of webhooks
		// (the outbox fans out in one insert).
		for _, path := range []string{"/a", "/b"} {
			e.MustDo(e.As("admin"), `mutation($u: String!) { createWebhook(url: $u) { secret } }`, map[string]any{"u": "http://127.0.0.1:9" + path})
		}
		route() // reads the subscriptions again
		got = route()
		for name, n := range want {
			if got[name] != n+1 {
				t.Errorf("with webhooks, %s: %d statements, want %d", name, got[name], n+1)
			}
		}
	})
}
