package workflow_test

import (
	"fmt"
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server/servertest"
	"lienthong/workflow"
)

// TestImportDossiers: the one-stop electronic system pushes a batch; each
// input gets its own answer, a bad one holds up none of the others, and a
// retry creates nothing twice.
func TestImportDossiers(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		motcua := e.As("motcua.system")
		before, err := e.App.DB.Client.Dossier.Query().Count(auth.SystemContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		item := func(ext, proc string) map[string]any {
			in := servertest.BirthInput("Trần Thị Bình")
			in["procedureCode"], in["deskAgencyCode"], in["source"], in["externalCode"] = proc, demo.CommuneA, "MOTCUA", ext
			return in
		}
		noCode := servertest.BirthInput("Lê Văn Cường")
		noCode["deskAgencyCode"] = demo.CommuneA
		const m = `mutation($in: [ReceiveDossierInput!]!) { importDossiers(inputs: $in) { index status dossier { id code state } error { code detail field message } } }`
		batch := []map[string]any{item("MC-001", "1.001193"), item("MC-002", "9.999999"), noCode, item("MC-001", "1.001193"), item("MC-003", "1.001193")}
		if r := e.Do(e.As("desk.giolinh"), m, map[string]any{"in": batch}); r.Code() != "FORBIDDEN" {
			t.Errorf("a desk officer importing: %s, want FORBIDDEN", r.Raw)
		}
		res := servertest.Get(e.MustDo(motcua, m, map[string]any{"in": batch}), "importDossiers").([]any)
		want := []struct{ status, code, field string }{
			{"CREATED", "", ""}, {"ERROR", "BAD_USER_INPUT", "inputs[1].procedureCode"}, {"ERROR", "BAD_USER_INPUT", "inputs[2].externalCode"},
			{"EXISTED", "", ""}, {"CREATED", "", ""},
		}
		for i, w := range want {
			if s, c, f := servertest.Str(res[i], "status"), servertest.Str(res[i], "error", "code"), servertest.Str(res[i], "error", "field"); s != w.status || c != w.code || f != w.field || servertest.Num(res[i], "index") != i {
				t.Errorf("item %d = %v, want %s %s %s", i, res[i], w.status, w.code, w.field)
			}
		}
		if servertest.Str(res[0], "dossier", "id") != servertest.Str(res[3], "dossier", "id") || servertest.Str(res[0], "dossier", "state") != "RECEIVED" {
			t.Errorf("the repeated MC-001 is a different dossier: %v / %v", res[0], res[3])
		}
		// A retry of the whole batch creates nothing; changed content is a conflict.
		again := servertest.Get(e.MustDo(motcua, m, map[string]any{"in": batch[:1]}), "importDossiers").([]any)
		changed := item("MC-003", "1.001193")
		changed["applicant"] = map[string]any{"name": "Người khác", "idNumber": "045201000124"}
		conflict := servertest.Get(e.MustDo(motcua, m, map[string]any{"in": []map[string]any{changed}}), "importDossiers").([]any)
		if servertest.Str(again[0], "status") != "EXISTED" || servertest.Str(conflict[0], "error", "code") != "CONFLICT" || servertest.Str(conflict[0], "error", "detail") != "IDEMPOTENCY_MISMATCH" {
			t.Errorf("retry = %v, changed content = %v", again[0], conflict[0])
		}
		n, err := e.App.DB.Client.Dossier.Query().Count(auth.SystemContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		if n != before+2 {
			t.Errorf("dossiers = %d, want the demo's %d and 2 imported", n, before)
		}
		big := make([]map[string]any, workflow.MaxImport+1)
		for i := range big {
			big[i] = item(fmt.Sprintf("BIG-%d", i), "1.001193")
		}
		if r := e.Do(motcua, m, map[string]any{"in": big}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("501 inputs: %s, want BAD_USER_INPUT", r.Raw)
		}

		// A clean batch of 120 is written 50 at a time, in bulk: two desks,
		// online submissions (no desk leg yet) among them, a webhook
		// subscribed. Everything a single intake writes is there.
		rcv := servertest.NewReceiver(t)
		e.MustDo(e.As("admin"), `mutation($url: String!) { createWebhook(url: $url) { secret } }`, map[string]any{"url": rcv.Srv.URL + "/all"})
		clean := make([]map[string]any, 120)
		for i := range clean {
			clean[i] = item(fmt.Sprintf("BULK-%03d", i), "1.001193")
			if i%3 == 0 {
				clean[i]["deskAgencyCode"] = demo.CommuneB
			}
			if i%4 == 0 {
				clean[i]["channel"] = "ONLINE"
			}
		}
		res = servertest.Get(e.MustDo(motcua, m, map[string]any{"in": clean}), "importDossiers").([]any)
		states := map[string]int{}
		for i, r := range res {
			if servertest.Str(r, "status") != "CREATED" {
				t.Fatalf("clean item %d: %v", i, r)
			}
			states[servertest.Str(r, "dossier", "state")]++
		}
		if states["SUBMITTED"] != 30 || states["RECEIVED"] != 90 {
			t.Errorf("states %v, want 30 SUBMITTED and 90 RECEIVED", states)
		}
		var legs, deliveries int
		if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM legs l JOIN dossiers d ON d.id = l.dossier_id WHERE d.external_code LIKE 'BULK-%' AND l.role = 'DESK' AND l.agency_id = d.desk_agency_id`).Scan(&legs); err != nil {
			t.Fatal(err)
		}
		if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM webhook_deliveries`).Scan(&deliveries); err != nil {
			t.Fatal(err)
		}
		if legs != 90 || deliveries != 120 {
			t.Errorf("%d desk legs and %d webhook deliveries, want 90 and 120", legs, deliveries)
		}
		e.CheckHistory(t, &servertest.Acks{})
		e.CheckRollups(t)
	})
}
