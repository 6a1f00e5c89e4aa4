package demo_test

import (
	"slices"
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent"
	"lienthong/ent/leg"
	"lienthong/server/servertest"
)

// TestDemoCoversEveryState: the demo dataset shows a dossier in every
// state, with late legs, an apology, supplementation, a send-back, a
// reassignment and the sweeper's events.
func TestDemoCoversEveryState(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		tok := e.As("analyst")
		for _, s := range []string{"SUBMITTED", "RECEIVED", "PROCESSING", "COORDINATING", "SUPPLEMENT_REQUESTED", "RETURNED", "COMPLETED", "REFUSED", "WITHDRAWN", "STOPPED"} {
			if n := servertest.Num(e.MustDo(tok, `query($s: DossierState!) { dossiers(where: {state: $s}) { totalCount } }`, map[string]any{"s": s}), "dossiers", "totalCount"); n == 0 {
				t.Errorf("no demo dossier is %s", s)
			}
		}
		for _, typ := range []string{"APOLOGIZE", "SEND_BACK", "REQUEST_SUPPLEMENT", "REASSIGN", "COORDINATE", "REPLY", "OVERDUE"} {
			q := `query($t: DossierEventType!) { dossiers(where: {hasEventsWith: {type: $t}}) { totalCount } }`
			if n := servertest.Num(e.MustDo(tok, q, map[string]any{"t": typ}), "dossiers", "totalCount"); n == 0 {
				t.Errorf("no demo dossier has a %s event", typ)
			}
		}
		if n := servertest.Num(e.MustDo(tok, `{ dossiers(where: {hasLegsWith: {judgement: LATE}}) { totalCount } }`, nil), "dossiers", "totalCount"); n == 0 {
			t.Errorf("no demo dossier has a late leg")
		}
	})
}

// TestBulkSeed: the bulk generator behind `seed --dossiers N` writes
// dossiers whose history is consistent (each state is its last event's
// target, versions count the events, closed legs are judged) and the
// reports count them all.
func TestBulkSeed(t *testing.T) {
	const n = demo.BulkThreshold + 500
	servertest.Each(t, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: n}}, func(t *testing.T, e *servertest.Env) {
		ctx := auth.SystemContext(t.Context())
		ds, err := e.App.DB.Client.Dossier.Query().WithEvents().WithLegs().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != n {
			t.Fatalf("dossiers = %d, want %d", len(ds), n)
		}
		bad := 0
		for _, d := range ds {
			evs := d.Edges.Events
			slices.SortFunc(evs, func(a, b *ent.DossierEvent) int { return a.Seq - b.Seq })
			ok := len(evs) == d.Version && evs[len(evs)-1].ToState == d.State
			for i, ev := range evs {
				ok = ok && ev.Seq == i+1 && (i == 0 || !ev.At.Before(evs[i-1].At))
			}
			for _, l := range d.Edges.Legs {
				ok = ok && (l.FinishedAt == nil) == (l.Judgement == leg.JudgementPending)
			}
			ok = ok && (d.Judgement != nil) == (d.State == "RETURNED" || d.State == "COMPLETED")
			if !ok && bad < 3 {
				t.Errorf("inconsistent dossier %s: state %s version %d events %d", d.Code, d.State, d.Version, len(evs))
			}
			if !ok {
				bad++
			}
		}
		if bad > 0 {
			t.Fatalf("%d inconsistent dossiers", bad)
		}
		e.CheckRollups(t)
		rep := e.MustDo(e.As("analyst"), `{ performance(period: {from: "2025-01-01T00:00:00+07:00", to: "2027-01-01T00:00:00+07:00"}) { total { received finished early onTime late } } }`, nil)
		total := servertest.Get(rep, "performance", "total")
		if got := servertest.Num(total, "received"); got != n-1 { // the story left SUBMITTED has no receipt
			t.Errorf("received = %d, want %d", got, n-1)
		}
		if servertest.Num(total, "finished") != servertest.Num(total, "early")+servertest.Num(total, "onTime")+servertest.Num(total, "late") || servertest.Num(total, "late") == 0 {
			t.Errorf("finished figures do not add up: %v", total)
		}
	})
}
