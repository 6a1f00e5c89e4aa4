package workflow_test

import (
	"testing"

	"lienthong/server/servertest"
)

// TestAgencyParentCycles: no change of parents or children makes an agency
// its own ancestor, and parents and children must exist; moves that keep
// a tree are made.
func TestAgencyParentCycles(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		admin := e.As("admin")
		create := func(code string, parent any) string {
			r := e.MustDo(admin, `mutation($in: CreateAgencyInput!) { createAgency(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"code": code, "name": "Phòng " + code, "level": "DEPARTMENT", "parentID": parent,
			}})
			return servertest.Str(r, "createAgency", "id")
		}
		x := create("T.X", nil)
		y := create("T.Y", x)
		z := create("T.Z", y)
		const update = `mutation($id: ID!, $in: UpdateAgencyInput!) { updateAgency(id: $id, input: $in) { id parent { id } } }`
		for _, c := range []struct {
			name, id string
			in       map[string]any
			field    string
		}{
			{"its own parent", x, map[string]any{"parentID": x}, "input.parentID"},
			{"a grandchild as parent", x, map[string]any{"parentID": z}, "input.parentID"},
			{"a child as parent", y, map[string]any{"parentID": z}, "input.parentID"},
			{"an unknown parent", x, map[string]any{"parentID": "999999"}, "input.parentID"},
			{"the grandparent as child", z, map[string]any{"addChildIDs": []string{x}}, "input.addChildIDs"},
			{"itself as child", z, map[string]any{"addChildIDs": []string{z}}, "input.addChildIDs"},
			{"a parent below a new child", x, map[string]any{"clearParent": true, "addChildIDs": []string{y}, "parentID": z}, "input.parentID"},
		} {
			r := e.Do(admin, update, map[string]any{"id": c.id, "in": c.in})
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
				t.Errorf("%s: %s, want BAD_USER_INPUT on %s", c.name, r.Raw, c.field)
			}
		}
		r := e.Do(admin, `mutation($in: CreateAgencyInput!) { createAgency(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"code": "T.W", "name": "Phòng W", "level": "DEPARTMENT", "parentID": z, "childIDs": []string{x},
		}})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.childIDs" {
			t.Errorf("a new agency below Z adopting X above Z: %s, want BAD_USER_INPUT on input.childIDs", r.Raw)
		}
		// Nothing changed; a move that keeps a tree is made.
		tree := `query($id: ID!) { node(id: $id) { ... on Agency { parent { id } } } }`
		if p := servertest.Get(e.MustDo(admin, tree, map[string]any{"id": x}), "node", "parent"); p != nil {
			t.Errorf("X has a parent after refused changes: %v", p)
		}
		if p := servertest.Str(e.MustDo(admin, update, map[string]any{"id": z, "in": map[string]any{"parentID": x}}), "updateAgency", "parent", "id"); p != x {
			t.Errorf("Z moved under X: parent %s", p)
		}
		e.MustDo(admin, update, map[string]any{"id": y, "in": map[string]any{"clearParent": true, "addChildIDs": []string{x}}})
		if p := servertest.Str(e.MustDo(admin, tree, map[string]any{"id": x}), "node", "parent", "id"); p != y {
			t.Errorf("X adopted by Y (Y's parent cleared first): parent %s, want %s", p, y)
		}
	})
}
