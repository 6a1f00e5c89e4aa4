package access_test

import (
	"strings"
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/graph"
	"lienthong/server/servertest"
)

// TestFiltersKeepScope: a where-filter on records another agency's
// officer may read (commune A's officers) must not tell them anything of
// records they may not (commune A's delegations): neither that one exists
// nor when it ends.
func TestFiltersKeepScope(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		// The demo puts commune A's head on leave from 13 to 21 November,
		// 09:00, with the commune's specialist acting for them.
		other := e.Token("other.communeb", demo.CommuneB, auth.RoleDeskOfficer, auth.RoleSpecialist, auth.RoleAgencyHead)
		const officers = `{ agencies(where: {code: "` + demo.CommuneA + `"}) { edges { node { officers { totalCount } } } } }`
		all := servertest.Num(servertest.Get(e.MustDo(other, officers, nil), "agencies", "edges").([]any)[0], "node", "officers", "totalCount")
		for _, c := range []struct {
			filter string
			want   int // what commune B may learn: as if commune A had no delegation
		}{
			{`{hasDelegationsWith: {endsAtGT: "2026-11-21T08:59:00+07:00"}}`, 0},
			{`{hasDelegations: true}`, 0},
			{`{hasSubstitutions: true}`, 0},
			{`{hasDelegations: false}`, all},
			{`{or: [{hasSubstitutionsWith: {startsAtLT: "2026-11-14T00:00:00+07:00"}}, {name: "nobody"}]}`, 0},
		} {
			q := strings.Replace(officers, "officers {", "officers(where: "+c.filter+") {", 1)
			r := e.Do(other, q, nil)
			if len(r.Errors) > 0 {
				continue // no such filter
			}
			if got := servertest.Num(servertest.Get(r.Data, "agencies", "edges").([]any)[0], "node", "officers", "totalCount"); got != c.want {
				t.Errorf("commune B filtering commune A's officers by %s: %d, want %d", c.filter, got, c.want)
			}
		}
		for _, filter := range []string{`{hasOfficersWith: {hasDelegations: true}}`, `{hasOfficersWith: {hasSubstitutionsWith: {endsAtGT: "2026-11-21T08:59:00+07:00"}}}`} {
			r := e.Do(other, `{ agencies(where: `+filter+`) { totalCount } }`, nil)
			if len(r.Errors) == 0 && servertest.Num(r.Data, "agencies", "totalCount") != 0 {
				t.Errorf("commune B filtering agencies by %s: %s, want none", filter, r.Raw)
			}
		}
		// The delegations themselves, through the officers, stay in scope.
		r := e.MustDo(other, `{ agencies(where: {code: "`+demo.CommuneA+`"}) { edges { node { officers { edges { node { delegations { id } substitutions { id } } } } } } } }`, nil)
		for _, o := range servertest.Get(servertest.Get(r, "agencies", "edges").([]any)[0], "node", "officers", "edges").([]any) {
			if len(servertest.Get(o, "node", "delegations").([]any))+len(servertest.Get(o, "node", "substitutions").([]any)) > 0 {
				t.Errorf("commune B reads a delegation of commune A: %v", o)
			}
		}
	})
}

// TestFilterEdgesKeepScope: ent's edge filters (hasXWith, hasX) are plain
// SQL predicates of the query they filter, which the read rules of the
// records they reach do not intercept; and entgql loads an edge's page
// with its where argument before any resolver sees it. So no where input
// of the schema may filter through an edge into records with a read rule
// of their own: only within a family that shares a rule (a dossier, its
// legs and its events), or into the public directory.
func TestFilterEdgesKeepScope(t *testing.T) {
	family := map[string]string{"Dossier": "dossier", "Leg": "dossier", "DossierEvent": "dossier"}
	for _, c := range nodeCases {
		if c.typ != "" && !c.public && family[c.typ] == "" {
			family[c.typ] = c.typ
		}
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	edges := 0
	for name, def := range schema.Types {
		from, ok := strings.CutSuffix(name, "WhereInput")
		if !ok {
			continue
		}
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "has") || !strings.HasSuffix(f.Name, "With") || f.Type.Elem == nil {
				continue
			}
			edges++
			to := strings.TrimSuffix(f.Type.Elem.Name(), "WhereInput")
			if family[to] != "" && family[to] != family[from] {
				t.Errorf("%s.%s filters %s records through an edge, past their read rule: annotate the edge entgql.Skip(entgql.SkipWhereInput)", name, f.Name, to)
			}
		}
	}
	if edges == 0 {
		t.Fatal("no edge filters found in the schema")
	}
}
