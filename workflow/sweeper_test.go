package workflow_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"lienthong/demo"
	"lienthong/server/servertest"
	"lienthong/workflow"
)

// TestSweeperRecordsOnce: DUE_SOON once when a dossier comes within a
// working day of its appointment; OVERDUE once per overdue leg and once per
// dossier, however many sweeps run, concurrently or not; a dossier waiting
// for the applicant is not overdue.
func TestSweeperRecordsOnce(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk := e.As("desk.dongha")
		var ids []string
		for i := range 4 {
			id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.MarriageInput(fmt.Sprintf("Quét %d", i))}), "receiveDossier", "id")
			e.FireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
			ids = append(ids, id)
		}
		// The fourth waits for the applicant from Monday 10:00.
		e.Clock.Set(time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		e.MustDo(e.As("cv.dongha"), `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu giấy xác nhận", items: ["Giấy xác nhận tình trạng hôn nhân"]) { state } }`, map[string]any{"id": ids[3]})
		count := func(id, typ string) int {
			t.Helper()
			h := e.MustDo(e.As("admin"), `query($id: ID!, $t: DossierEventType!) { node(id: $id) { ... on Dossier { events(where: {type: $t}) { totalCount } } } }`, map[string]any{"id": id, "t": typ})
			return servertest.Num(h, "node", "events", "totalCount")
		}
		// Monday 14:00: due Tuesday 09:00, within a working day.
		e.Clock.Set(time.Date(2026, 11, 16, 14, 0, 0, 0, loc))
		sweep := func() {
			t.Helper()
			if _, err := e.App.Engine.Sweep(t.Context()); err != nil {
				t.Fatalf("sweep: %v", err)
			}
		}
		sweep()
		sweep()
		for i, id := range ids[:3] {
			if n := count(id, "DUE_SOON"); n != 1 {
				t.Errorf("dossier %d: DUE_SOON events = %d, want 1", i, n)
			}
		}
		if n := count(ids[3], "DUE_SOON"); n != 0 {
			t.Errorf("paused dossier: DUE_SOON events = %d, want 0", n)
		}
		// Tuesday 10:00, read from a clock in UTC (as a server's would be):
		// every running dossier (due 09:00) and its lead leg (due 09:30)
		// are overdue. Four sweepers on two engines race over the same rows.
		e.Clock.Set(time.Date(2026, 11, 17, 10, 0, 0, 0, loc).UTC())
		other := workflow.NewEngine(e.App.DB.Client, workflow.Config{Dialect: e.App.DB.Dialect, Clock: e.Clock})
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for _, eng := range []*workflow.Engine{e.App.Engine, other, e.App.Engine, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := eng.Sweep(t.Context())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent sweep: %v", err)
			}
		}
		sweep()
		for i, id := range ids[:3] {
			if n := count(id, "OVERDUE"); n != 2 {
				t.Errorf("dossier %d: OVERDUE events = %d, want 2 (the lead leg and the dossier)", i, n)
			}
		}
		if n := count(ids[3], "OVERDUE"); n != 0 {
			t.Errorf("paused dossier: OVERDUE events = %d, want 0", n)
		}
		h := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { overdue version legs { role overdue } events(where: {type: OVERDUE}) { edges { node { seq leg { role agency { code } } agency { code } } } } } } }`, map[string]any{"id": ids[0]})
		if servertest.Get(h, "node", "overdue") != true || servertest.Get(h, "node", "legs", 1, "overdue") != true {
			t.Errorf("overdue flags: %v", servertest.Get(h, "node"))
		}
		events := servertest.Get(h, "node", "events", "edges").([]any)
		if servertest.Str(events[0], "node", "leg", "role") != "LEAD" || servertest.Str(events[0], "node", "agency", "code") != demo.CommuneB {
			t.Errorf("first OVERDUE event = %v, want the commune's LEAD leg", events[0])
		}
		if servertest.Get(events[1], "node", "leg") != nil {
			t.Errorf("second OVERDUE event = %v, want the dossier's (no leg)", events[1])
		}
		// The history stays gapless: sequence numbers follow the version.
		seqs := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { version events(first: 100, orderBy: {field: SEQ}) { edges { node { seq } } } } } }`, map[string]any{"id": ids[0]})
		for i, ed := range servertest.Get(seqs, "node", "events", "edges").([]any) {
			if servertest.Num(ed, "node", "seq") != i+1 {
				t.Fatalf("event %d has seq %d", i+1, servertest.Num(ed, "node", "seq"))
			}
		}
	})
}
