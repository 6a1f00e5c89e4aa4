package workflow_test

import (
	"strings"
	"testing"

	"lienthong/demo"
	"lienthong/server/servertest"
)

// TestAdvanceClock: an admin moves the dev clock and the sweep runs at
// once; anyone else, and any server on the system clock, is refused.
func TestAdvanceClock(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.dongha")
		id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.MarriageInput("Đồng Hồ")}), "receiveDossier", "id")
		e.MustDo(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, map[string]any{"id": id})
		const advance = `mutation($m: Int!) { advanceClock(minutes: $m) { now sweep { legsOverdue dossiersOverdue dueSoon } } }`
		if r := e.Do(desk, advance, map[string]any{"m": 60}); r.Code() != "FORBIDDEN" {
			t.Errorf("advanceClock by a desk officer: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(e.As("admin"), advance, map[string]any{"m": 0}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("advanceClock(0): %s, want BAD_USER_INPUT", r.Raw)
		}
		// Two days on: the marriage registration (due Tuesday 09:00) is overdue.
		a := e.MustDo(e.As("admin"), advance, map[string]any{"m": 2 * 24 * 60})
		if now := servertest.Str(a, "advanceClock", "now"); now != "2026-11-18T09:00:00+07:00" {
			t.Errorf("now = %s, want 2026-11-18T09:00:00+07:00", now)
		}
		if n := servertest.Num(a, "advanceClock", "sweep", "dossiersOverdue"); n < 1 {
			t.Errorf("the sweep after advancing recorded %d overdue dossiers, want ≥ 1", n)
		}
		if now := servertest.Str(e.MustDo(desk, `{ now }`, nil), "now"); now != "2026-11-18T09:00:00+07:00" {
			t.Errorf("query now = %s", now)
		}
		if o := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue } } }`, map[string]any{"id": id}); servertest.Get(o, "node", "overdue") != true {
			t.Errorf("dossier not overdue after advancing the clock")
		}
	})
	// A server outside dev mode runs on the system clock and refuses.
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Options{Demo: &demo.Options{Now: servertest.Now}, SystemClock: true})
	if r := e.Do(e.As("admin"), `mutation { advanceClock(minutes: 60) { now } }`, nil); r.Code() != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "dev mode") {
		t.Errorf("advanceClock outside dev mode: %s, want FORBIDDEN naming dev mode", r.Raw)
	}
}
