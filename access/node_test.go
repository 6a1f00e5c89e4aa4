package access_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent/formrecord"
	"lienthong/ent/migrate"
	"lienthong/graph"
	"lienthong/server/servertest"
)

// nodeCase is one entity of the data model: its GraphQL type, if the
// schema has it, and how the test makes a row of it that one agency (or
// only administrators) may read.
type nodeCase struct {
	typ string // GraphQL type; "" for a table the schema does not reach
	// public rows are the province's directory: every signed-in caller
	// reads them.
	public bool
	// row makes (or finds) a row and returns its id and a token that reads it.
	row func(t *testing.T, e *servertest.Env) (id, reader string)
	// hidden are the callers who must not read the row, besides another
	// agency's officers.
	hidden []string
}

// nodeCases covers every table of the data model, by name.
var nodeCases = map[string]nodeCase{
	"agencies": {typ: "Agency", public: true, row: func(t *testing.T, e *servertest.Env) (string, string) {
		return servertest.Str(e.MustDo(e.As("desk.giolinh"), `{ me { agency { id } } }`, nil), "me", "agency", "id"), e.As("desk.giolinh")
	}},
	"officers": {typ: "Officer", public: true, row: func(t *testing.T, e *servertest.Env) (string, string) {
		return servertest.Str(e.MustDo(e.As("desk.giolinh"), `{ me { officer { id } } }`, nil), "me", "officer", "id"), e.As("desk.giolinh")
	}},
	"calendar_days": {typ: "CalendarDay", public: true, row: func(t *testing.T, e *servertest.Env) (string, string) {
		days := servertest.Get(e.MustDo(e.As("desk.giolinh"), `{ calendarDays(year: 2026) { id } }`, nil), "calendarDays").([]any)
		if len(days) == 0 {
			t.Fatal("no calendar days in 2026")
		}
		return servertest.Str(days[0], "id"), e.As("desk.giolinh")
	}},
	"procedures": {typ: "Procedure", public: true, row: func(t *testing.T, e *servertest.Env) (string, string) {
		return servertest.Str(e.MustDo(e.As("desk.giolinh"), `{ procedureByCode(code: "1.001193") { id } }`, nil), "procedureByCode", "id"), e.As("desk.giolinh")
	}},
	"route_steps": {typ: "RouteStep", public: true, row: func(t *testing.T, e *servertest.Env) (string, string) {
		p := e.MustDo(e.As("desk.giolinh"), `{ procedureByCode(code: "1.001193") { steps { id } } }`, nil)
		return servertest.Str(servertest.Get(p, "procedureByCode", "steps").([]any)[0], "id"), e.As("desk.giolinh")
	}},
	"dossiers": {typ: "Dossier", row: func(t *testing.T, e *servertest.Env) (string, string) {
		return receive(t, e), e.As("desk.giolinh")
	}},
	"legs": {typ: "Leg", row: func(t *testing.T, e *servertest.Env) (string, string) {
		d := e.MustDo(e.As("desk.giolinh"), `query($id: ID!) { node(id: $id) { ... on Dossier { legs { id } } } }`, map[string]any{"id": receive(t, e)})
		return servertest.Str(servertest.Get(d, "node", "legs").([]any)[0], "id"), e.As("desk.giolinh")
	}},
	"dossier_events": {typ: "DossierEvent", row: func(t *testing.T, e *servertest.Env) (string, string) {
		d := e.MustDo(e.As("desk.giolinh"), `query($id: ID!) { node(id: $id) { ... on Dossier { events { edges { node { id } } } } } }`, map[string]any{"id": receive(t, e)})
		return servertest.Str(servertest.Get(d, "node", "events", "edges").([]any)[0], "node", "id"), e.As("desk.giolinh")
	}},
	"form_records": {typ: "FormRecord", row: func(t *testing.T, e *servertest.Env) (string, string) {
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { code } } }`, map[string]any{"id": receive(t, e)})
		code := servertest.Str(d, "node", "code")
		if _, status := e.GetPDF(desk, "/dossiers/"+code+"/forms/receipt.pdf"); status != http.StatusOK {
			t.Fatalf("receipt: %d", status)
		}
		r := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { formRecords { id } } }`, map[string]any{"c": code})
		return servertest.Str(servertest.Get(r, "dossierByCode", "formRecords").([]any)[0], "id"), desk
	}},
	"delegations": {typ: "Delegation", row: func(t *testing.T, e *servertest.Env) (string, string) {
		from := servertest.Str(e.MustDo(e.As("desk.giolinh"), `{ me { officer { id } } }`, nil), "me", "officer", "id")
		to := servertest.Str(e.MustDo(e.As("cv.giolinh"), `{ me { officer { id } } }`, nil), "me", "officer", "id")
		d := e.MustDo(e.As("ld.giolinh"), `mutation($in: DelegationInput!) { createDelegation(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"fromOfficerID": from, "toOfficerID": to, "startsAt": "2026-11-16T08:00:00+07:00", "endsAt": "2026-11-20T17:00:00+07:00",
		}})
		return servertest.Str(d, "createDelegation", "id"), e.As("ld.giolinh")
	}},
	"par_indexes": {typ: "ParIndex", row: func(t *testing.T, e *servertest.Env) (string, string) {
		ag := servertest.Str(e.MustDo(e.As("ld.giolinh"), `{ me { agency { id } } }`, nil), "me", "agency", "id")
		p := e.MustDo(e.As("admin"), `mutation($a: ID!) { setParIndex(agencyID: $a, year: 2026, score: 71.5) { id } }`, map[string]any{"a": ag})
		return servertest.Str(p, "setParIndex", "id"), e.As("ld.giolinh")
	}, hidden: []string{"desk.giolinh", "cv.giolinh", "motcua.system"}},
	"webhooks": {typ: "Webhook", row: func(t *testing.T, e *servertest.Env) (string, string) {
		return webhook(t, e), e.As("admin")
	}, hidden: []string{"desk.giolinh", "ld.giolinh", "analyst", "motcua.system"}},
	"webhook_deliveries": {typ: "WebhookDelivery", row: func(t *testing.T, e *servertest.Env) (string, string) {
		h := webhook(t, e)
		receive(t, e)
		r := e.MustDo(e.As("admin"), `query($h: ID!) { webhookDeliveries(webhookID: $h) { edges { node { id } } } }`, map[string]any{"h": h})
		edges := servertest.Get(r, "webhookDeliveries", "edges").([]any)
		if len(edges) == 0 {
			t.Fatal("no delivery of the dossier received")
		}
		return servertest.Str(edges[0], "node", "id"), e.As("admin")
	}, hidden: []string{"desk.giolinh", "ld.giolinh", "analyst", "motcua.system"}},
	// Tables the GraphQL schema does not reach.
	"calendar_notices":  {},
	"limit_adjustments": {},
	"office_hours":      {},
	"dossier_counters":  {},
	"outbox_messages":   {},
	"rollups":           {},
}

func receive(t *testing.T, e *servertest.Env) string {
	t.Helper()
	return servertest.Str(e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Hồ Sơ Riêng")}), "receiveDossier", "id")
}

func webhook(t *testing.T, e *servertest.Env) string {
	t.Helper()
	h := e.MustDo(e.As("admin"), `mutation { createWebhook(url: "http://127.0.0.1:9/hook?token=s3cret") { webhook { id } } }`, nil)
	return servertest.Str(h, "createWebhook", "webhook", "id")
}

// TestNodeScope walks every table of the data model: each type the
// GraphQL schema reaches through node is either public (the directory)
// or has a read rule, and a row of it that one agency may read answers
// another agency's officer (and the roles listed) through node and nodes
// exactly as an id that does not exist: null and NOT_FOUND.
func TestNodeScope(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var nodeTypes []string
	for _, d := range schema.GetPossibleTypes(schema.Types["Node"]) {
		nodeTypes = append(nodeTypes, d.Name)
	}
	covered := map[string]bool{}
	for _, table := range migrate.Tables {
		c, ok := nodeCases[table.Name]
		switch {
		case !ok:
			t.Errorf("table %s has no case here: decide who reads it (access.Install) and add it", table.Name)
		case c.typ == "" && slices.Contains(nodeTypes, graphName(table.Name)):
			t.Errorf("table %s is said not to be in the GraphQL schema, but type %s implements Node", table.Name, graphName(table.Name))
		case c.typ != "":
			covered[c.typ] = true
		}
	}
	for _, typ := range nodeTypes {
		if !covered[typ] {
			t.Errorf("Node type %s has no case here", typ)
		}
	}
	if t.Failed() {
		return
	}
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		// An officer of commune B with every role an officer may hold.
		other := e.Token("other.communeb", demo.CommuneB, auth.RoleDeskOfficer, auth.RoleSpecialist, auth.RoleAgencyHead)
		agency := servertest.Str(e.MustDo(other, `{ me { agency { id } } }`, nil), "me", "agency", "id")
		for table, c := range nodeCases {
			if c.typ == "" {
				continue
			}
			t.Run(c.typ, func(t *testing.T) {
				id, reader := c.row(t, e)
				if got := servertest.Str(e.MustDo(reader, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id}), "node", "__typename"); got != c.typ {
					t.Fatalf("%s %s read by its reader: __typename %q", table, id, got)
				}
				readers := map[string]string{"another agency's officer": other}
				for _, sub := range c.hidden {
					readers[sub] = e.As(sub)
				}
				for who, tok := range readers {
					one := e.Do(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
					many := e.Do(tok, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{id, agency}})
					list, _ := servertest.Get(many.Data, "nodes").([]any)
					if c.public {
						if servertest.Get(one.Data, "node", "id") != id || len(list) != 2 || list[0] == nil {
							t.Errorf("%s (public) read by %s: node %s, nodes %s", c.typ, who, one.Raw, many.Raw)
						}
						continue
					}
					if servertest.Get(one.Data, "node") != nil || one.Code() != "NOT_FOUND" {
						t.Errorf("node(%s) of a %s as %s: %s, want null and NOT_FOUND", id, c.typ, who, one.Raw)
					}
					if len(list) != 2 || list[0] != nil || servertest.Str(list[1], "id") != agency || many.Code() != "NOT_FOUND" {
						t.Errorf("nodes([%s, agency]) of a %s as %s: %s, want [null, the agency] and NOT_FOUND", id, c.typ, who, many.Raw)
					}
				}
			})
		}
		// A tracking book's record: its agency's officers read it, others do not.
		if _, status := e.GetPDF(e.As("desk.giolinh"), "/agencies/"+demo.CommuneA+"/tracking-book.pdf?from=2026-11-01&to=2026-11-30"); status != http.StatusOK {
			t.Fatalf("tracking book: %d", status)
		}
		book, err := e.App.DB.Client.FormRecord.Query().Where(formrecord.FormEQ(formrecord.FormTrackingBook)).OnlyID(auth.SystemContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		q := `query($id: ID!) { node(id: $id) { id } }`
		if r := e.Do(e.As("cv.giolinh"), q, map[string]any{"id": book}); servertest.Get(r.Data, "node") == nil {
			t.Errorf("commune A's tracking book record, read by commune A: %s", r.Raw)
		}
		if r := e.Do(other, q, map[string]any{"id": book}); servertest.Get(r.Data, "node") != nil || r.Code() != "NOT_FOUND" {
			t.Errorf("commune A's tracking book record, read by commune B: %s", r.Raw)
		}
	})
}

// graphName is the GraphQL type of a table: form_records, FormRecord.
func graphName(table string) string {
	names := map[string]string{"par_indexes": "ParIndex", "webhook_deliveries": "WebhookDelivery", "agencies": "Agency", "dossier_counters": "DossierCounter"}
	if n, ok := names[table]; ok {
		return n
	}
	var b strings.Builder
	for _, part := range strings.Split(strings.TrimSuffix(table, "s"), "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// TestNodesLimit: nodes(ids:) takes at most graph.MaxNodes ids.
func TestNodesLimit(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	ids := make([]string, graph.MaxNodes+1)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
	r := e.Do(e.As("desk.giolinh"), q, map[string]any{"ids": ids})
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "ids" || !strings.Contains(r.Errors[0].Message, "100") {
		t.Errorf("nodes with %d ids: %s, want BAD_USER_INPUT on ids naming the limit", len(ids), r.Raw)
	}
	if r := e.Do(e.As("desk.giolinh"), q, map[string]any{"ids": ids[:graph.MaxNodes]}); r.Code() == "BAD_USER_INPUT" {
		t.Errorf("nodes with %d ids: %s", graph.MaxNodes, r.Raw)
	}
}
