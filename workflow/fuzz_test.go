package workflow_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server/servertest"
)

// transitionMutations are the transition mutations with every argument a
// variable, so the fuzzer controls each one.
var transitionMutations = []string{
	`mutation($id: ID!) { acceptDossier(id: $id) { state } }`,
	`mutation($id: ID!) { forwardDossier(id: $id) { state } }`,
	`mutation($id: ID!, $text: String!) { transferDossier(id: $id, note: $text) { state } }`,
	`mutation($id: ID!, $input: CoordinateInput!) { coordinateDossier(id: $id, input: $input) { state } }`,
	`mutation($id: ID!, $agree: Boolean!, $text: String!) { replyCoordination(id: $id, agree: $agree, opinion: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { sendBackDossier(id: $id, reason: $text) { state } }`,
	`mutation($id: ID!, $text: String!, $items: [String!]!) { requestSupplement(id: $id, reason: $text, items: $items) { state } }`,
	`mutation($id: ID!, $text: String!) { supplementDossier(id: $id, note: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { returnDossier(id: $id, result: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { completeDossier(id: $id, note: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { refuseDossier(id: $id, reason: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { withdrawDossier(id: $id, reason: $text) { state } }`,
	`mutation($id: ID!, $text: String!) { stopDossier(id: $id, reason: $text) { state } }`,
	`mutation($id: ID!, $text: String!, $at: Time!) { apologizeDossier(id: $id, reason: $text, newAppointmentAt: $at) { state } }`,
	`mutation($id: ID!, $raw: ID!) { reassignDossier(id: $id, officerID: $raw) { state } }`,
}

// clientCodes are the codes a refusal of a transition may carry: the
// caller's fault or a lost race, never the server's.
var clientCodes = map[string]bool{
	"BAD_USER_INPUT": true, "FORBIDDEN": true, "NOT_FOUND": true, "CONFLICT": true,
	"GRAPHQL_VALIDATION_FAILED": true, "GRAPHQL_PARSE_FAILED": true,
}

// FuzzTransitionInputs fires the transition mutations with fuzzed
// arguments (ids, reasons, items, agencies, minutes, times, officers) as
// fuzzed demo officers at the demo dossiers. Invariants: no internal error
// or 5xx, every refusal carries a client code, and every dossier's state
// is its last event's target with its version the number of its events.
func FuzzTransitionInputs(f *testing.F) {
	e := servertest.New(f, "sqlite://"+filepath.Join(f.TempDir(), "fuzz.db"), servertest.Seeded)
	ids := e.App.DB.Client.Dossier.Query().IDsX(auth.SystemContext(f.Context()))
	f.Add(uint8(1), uint8(2), uint8(0), "", "", "", false, int64(480), "2026-12-01T08:00:00+07:00")
	f.Add(uint8(3), uint8(10), uint8(1), "12884901890", "Lấy ý kiến", "", true, int64(960), "")
	f.Add(uint8(6), uint8(10), uint8(2), "", "Thiếu giấy tờ", "Giấy xác nhận\nBản sao", false, int64(0), "")
	f.Add(uint8(13), uint8(11), uint8(3), "", "Xin lỗi", "", false, int64(-1), "2026-13-01T08:00:00Z")
	f.Add(uint8(14), uint8(11), uint8(250), "not-an-id", strings.Repeat("x", 5000), "", false, int64(1<<40), "yesterday")
	f.Fuzz(func(t *testing.T, op, who, which uint8, raw, text, items string, agree bool, minutes int64, at string) {
		e := *e
		e.T = t
		id := raw
		if which < 200 {
			id = strconv.Itoa(ids[int(which)%len(ids)])
		}
		vars := map[string]any{
			"id": id, "raw": raw, "text": text, "agree": agree, "at": at,
			"items": strings.Split(items, "\n"),
			"input": map[string]any{"note": text, "agencies": []map[string]any{{"agencyID": raw, "allottedMinutes": minutes}}},
		}
		if minutes == 0 {
			vars["input"] = map[string]any{"note": text} // the route's next group
		}
		officer := demo.Officers[int(who)%len(demo.Officers)]
		r := e.Do(e.Token(officer.Subject, officer.Agency, officer.Roles...), transitionMutations[int(op)%len(transitionMutations)], vars)
		if r.Status >= 500 {
			t.Fatalf("status %d: %s", r.Status, r.Raw)
		}
		for _, err := range r.Errors {
			if code, _ := err.Extensions["code"].(string); !clientCodes[code] {
				t.Fatalf("refused with code %q: %s", code, r.Raw)
			}
		}
		rows, err := e.App.DB.SQL.QueryContext(t.Context(), `SELECT d.code, d.state, d.version,
			(SELECT count(*) FROM dossier_events v WHERE v.dossier_id = d.id),
			(SELECT v.to_state FROM dossier_events v WHERE v.dossier_id = d.id ORDER BY v.seq DESC LIMIT 1)
			FROM dossiers d`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var code, state, last string
			var version, events int
			if err := rows.Scan(&code, &state, &version, &events, &last); err != nil {
				t.Fatal(err)
			}
			if state != last || version != events {
				t.Fatalf("%s: state %s, version %d; %d events, the last to %s", code, state, version, events, last)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	})
}
