package workflow_test

import (
	"testing"

	"lienthong/auth"
	"lienthong/ent"
	st "lienthong/ent/schema/schematype"
	"lienthong/server/servertest"
	"lienthong/workflow"
)

// TestStateFilterThroughUnfinished: a list filtered on unfinished states
// goes through the index of unfinished dossiers (workflow.UnfinishedOnly);
// it must list exactly the dossiers in those states, and the finish time
// must be set exactly on the finished states.
func TestStateFilterThroughUnfinished(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		sys := auth.SystemContext(t.Context())
		all := e.App.DB.Client.Dossier.Query().AllX(sys)
		byState := map[string]int{}
		for _, d := range all {
			byState[string(d.State)]++
			if workflow.Unfinished(d.State) != (d.FinishedAt == nil) {
				t.Errorf("dossier %s is %s with finish time %v", d.Code, d.State, d.FinishedAt)
			}
		}
		tok := e.As("analyst") // reads every dossier
		unfinished := 0
		for _, s := range []string{"SUBMITTED", "RECEIVED", "PROCESSING", "COORDINATING", "SUPPLEMENT_REQUESTED", "RETURNED", "COMPLETED"} {
			n := servertest.Num(e.MustDo(tok, `query($s: DossierState!) { dossiers(where: {state: $s}) { totalCount } }`, map[string]any{"s": s}), "dossiers", "totalCount")
			if n != byState[s] || n == 0 {
				t.Errorf("dossiers(where: {state: %s}) counts %d; the table holds %d", s, n, byState[s])
			}
			if workflow.Unfinished(st.DossierState(s)) {
				unfinished += n
			}
		}
		q := `{ dossiers(where: {stateIn: [SUBMITTED, RECEIVED, PROCESSING, COORDINATING, SUPPLEMENT_REQUESTED]}) { totalCount } }`
		if n := servertest.Num(e.MustDo(tok, q, nil), "dossiers", "totalCount"); n != unfinished {
			t.Errorf("unfinished states together count %d, want %d", n, unfinished)
		}
		q = `{ dossiers(where: {stateIn: [PROCESSING, RETURNED]}) { totalCount } }`
		if n, want := servertest.Num(e.MustDo(tok, q, nil), "dossiers", "totalCount"), byState["PROCESSING"]+byState["RETURNED"]; n != want {
			t.Errorf("PROCESSING and RETURNED together count %d, want %d", n, want)
		}
	})
	processing, returned := st.StateProcessing, st.StateReturned
	for _, c := range []struct {
		where *ent.DossierWhereInput
		adds  bool
	}{
		{nil, false},
		{&ent.DossierWhereInput{}, false},
		{&ent.DossierWhereInput{State: &processing}, true},
		{&ent.DossierWhereInput{State: &returned}, false},
		{&ent.DossierWhereInput{StateIn: []st.DossierState{st.StateSubmitted, st.StateCoordinating}}, true},
		{&ent.DossierWhereInput{StateIn: []st.DossierState{st.StateProcessing, st.StateCompleted}}, false},
		{&ent.DossierWhereInput{State: &processing, StateIn: []st.DossierState{st.StateWithdrawn}}, false},
	} {
		if got := workflow.UnfinishedOnly(c.where) != nil; got != c.adds {
			t.Errorf("UnfinishedOnly(%+v) adds a predicate: %v, want %v", c.where, got, c.adds)
		}
	}
}
