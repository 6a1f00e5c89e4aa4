package access_test

import (
	"context"
	"testing"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server/servertest"
)

func TestScoping(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		d := e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Bí mật")})
		id, code := servertest.Str(d, "receiveDossier", "id"), servertest.Str(d, "receiveDossier", "code")
		other := e.As("desk.dongha")
		// Out of scope answers exactly like an id that does not exist.
		hidden := e.Do(other, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
		if servertest.Get(hidden.Data, "node") != nil || hidden.Code() != "NOT_FOUND" {
			t.Errorf("node(id) of another agency's dossier: %s, want null and NOT_FOUND", hidden.Raw)
		}
		missing := e.Do(other, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "12884999999"})
		if missing.Code() != hidden.Code() || missing.Errors[0].Message[:20] != hidden.Errors[0].Message[:20] {
			t.Errorf("hidden and missing ids answer differently: %s vs %s", hidden.Raw, missing.Raw)
		}
		if r := e.MustDo(other, `query($c: String!) { dossierByCode(code: $c) { id } }`, map[string]any{"c": code}); servertest.Get(r, "dossierByCode") != nil {
			t.Errorf("dossierByCode of another agency's dossier is visible")
		}
		list := e.MustDo(other, `{ dossiers(first: 100) { totalCount edges { node { deskAgency { code } } } } }`, nil)
		for _, edge := range servertest.Get(list, "dossiers", "edges").([]any) {
			if c := servertest.Str(edge, "node", "deskAgency", "code"); c != demo.CommuneB {
				t.Errorf("commune B desk sees a dossier of %s", c)
			}
		}
		// The analyst sees them all; the owner sees its own.
		all := servertest.Num(e.MustDo(e.As("analyst"), `{ dossiers { totalCount } }`, nil), "dossiers", "totalCount")
		mine := servertest.Num(e.MustDo(e.As("desk.giolinh"), `{ dossiers { totalCount } }`, nil), "dossiers", "totalCount")
		theirs := servertest.Num(list, "dossiers", "totalCount")
		if all < mine+theirs || mine == 0 {
			t.Errorf("analyst sees %d, commune A %d, commune B %d: want analyst ≥ sum and A > 0", all, mine, theirs)
		}
		if r := e.MustDo(e.As("desk.giolinh"), `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); servertest.Get(r, "node", "id") != id {
			t.Errorf("owner cannot read its dossier by id")
		}
	})
}

// TestScopeRuleInGo checks that workflow.Readable, the scope rule a
// transition applies to the dossier and legs it has read, lets each
// agency's officers read exactly the dossiers the SQL rule on queries
// lets them, over the whole demo dataset.
func TestScopeRuleInGo(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		ctx, db := t.Context(), e.App.DB.Client
		sys := auth.SystemContext(ctx)
		dossiers, err := db.Dossier.Query().WithLegs().All(sys)
		if err != nil {
			t.Fatal(err)
		}
		agencies, err := db.Agency.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		routed := 0
		for _, a := range agencies {
			v := auth.NewContext(ctx, &auth.Viewer{Subject: "scope." + a.Code, AgencyCode: a.Code, AgencyID: a.ID, Roles: []auth.Role{auth.RoleSpecialist}})
			ids, err := db.Dossier.Query().IDs(v)
			if err != nil {
				t.Fatal(err)
			}
			bySQL := map[int]bool{}
			for _, id := range ids {
				bySQL[id] = true
			}
			for _, d := range dossiers {
				ok, err := access.Readable(v, d, d.Edges.Legs)
				if err != nil {
					t.Fatal(err)
				}
				if ok != bySQL[d.ID] {
					t.Errorf("%s reading %s: Readable says %v, the query's scope %v", a.Code, d.Code, ok, bySQL[d.ID])
				}
				if ok && d.DeskAgencyID != a.ID {
					routed++
				}
			}
		}
		if routed == 0 {
			t.Fatal("no agency reads a dossier routed to it from another desk: the demo data does not exercise the rule")
		}
		// Analysts read all; the system reads all.
		analyst := auth.NewContext(ctx, &auth.Viewer{Subject: "scope.analyst", AgencyID: agencies[0].ID, Roles: []auth.Role{auth.RoleAnalyst}})
		for _, c := range []context.Context{analyst, sys} {
			for _, d := range dossiers {
				if ok, err := access.Readable(c, d, nil); !ok || err != nil {
					t.Fatalf("Readable(%s) for an analyst or the system = %v, %v; want true", d.Code, ok, err)
				}
			}
		}
		if _, err := access.Readable(ctx, dossiers[0], nil); err == nil {
			t.Error("Readable without a viewer: no error")
		}
	})
}
