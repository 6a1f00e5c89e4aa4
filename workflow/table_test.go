package workflow_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"lienthong/demo"
	"lienthong/server/servertest"
)

// mutationSpec is one transition mutation as the table fires it: the
// officer who may fire it on the land route, and its text.
type mutationSpec struct {
	actor string
	query string
}

// landMutations are the transition mutations on a land-use dossier of
// commune A held by the Environment department (route commune →
// Environment → Tax → Environment). requestSupplement's actor depends on
// the holder; the table picks it.
func landMutations(taxID, envOfficerID string) map[string]mutationSpec {
	m := func(actor, call string) mutationSpec {
		return mutationSpec{actor, `mutation($id: ID!) { ` + call + ` { state version } }`}
	}
	return map[string]mutationSpec{
		"accept":            m("desk.giolinh", `acceptDossier(id: $id)`),
		"forward":           m("desk.giolinh", `forwardDossier(id: $id)`),
		"transfer":          m("cv.moitruong", `transferDossier(id: $id, note: "Chuyển cơ quan thuế")`),
		"coordinate":        m("cv.moitruong", `coordinateDossier(id: $id, input: {agencies: [{agencyID: "`+taxID+`", allottedMinutes: 960}]})`),
		"reply":             m("cv.thue", `replyCoordination(id: $id, agree: true, opinion: "Thống nhất")`),
		"sendBack":          m("cv.moitruong", `sendBackDossier(id: $id, reason: "Thiếu xác nhận hiện trạng")`),
		"requestSupplement": m("cv.moitruong", `requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Sơ đồ thửa đất"])`),
		"supplement":        m("desk.giolinh", `supplementDossier(id: $id)`),
		"return":            m("cv.moitruong", `returnDossier(id: $id, result: "Giấy chứng nhận số CS 000123")`),
		"complete":          m("desk.giolinh", `completeDossier(id: $id)`),
		"refuse":            m("desk.giolinh", `refuseDossier(id: $id, reason: "Đất đang tranh chấp")`),
		"withdraw":          m("desk.giolinh", `withdrawDossier(id: $id, reason: "Công dân xin rút hồ sơ")`),
		"stop":              m("ld.giolinh", `stopDossier(id: $id, reason: "Có quyết định thu hồi đất")`),
		"reassign":          m("ld.moitruong", `reassignDossier(id: $id, officerID: "`+envOfficerID+`")`),
	}
}

// TestTransitionTable fires every transition mutation in every state: a
// legal one moves the dossier to its target with exactly one new event; an
// illegal one is BAD_USER_INPUT / ILLEGAL_TRANSITION naming the state; the
// wrong role is FORBIDDEN and another agency's officer gets NOT_FOUND; a
// refused call writes nothing.
func TestTransitionTable(t *testing.T) {
	// Legal events per state and the state they lead to. APOLOGIZE has its
	// own test (it also depends on the appointment).
	legal := map[string]map[string]string{
		"SUBMITTED": {"accept": "RECEIVED", "refuse": "REFUSED", "withdraw": "WITHDRAWN"},
		"RECEIVED": {"forward": "PROCESSING", "requestSupplement": "SUPPLEMENT_REQUESTED",
			"refuse": "REFUSED", "withdraw": "WITHDRAWN", "stop": "STOPPED"},
		"PROCESSING": {"transfer": "PROCESSING", "coordinate": "COORDINATING", "sendBack": "PROCESSING",
			"requestSupplement": "SUPPLEMENT_REQUESTED", "return": "RETURNED", "refuse": "REFUSED",
			"withdraw": "WITHDRAWN", "stop": "STOPPED", "reassign": "PROCESSING"},
		"COORDINATING": {"reply": "PROCESSING", "requestSupplement": "SUPPLEMENT_REQUESTED", "refuse": "REFUSED",
			"withdraw": "WITHDRAWN", "stop": "STOPPED", "reassign": "COORDINATING"},
		"SUPPLEMENT_REQUESTED": {"supplement": "PROCESSING", "refuse": "REFUSED", "withdraw": "WITHDRAWN",
			"stop": "STOPPED", "reassign": "SUPPLEMENT_REQUESTED"},
		"RETURNED":  {"complete": "COMPLETED"},
		"COMPLETED": {}, "REFUSED": {}, "WITHDRAWN": {}, "STOPPED": {},
	}
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		taxID, err := demo.AgencyID(t.Context(), e.App.DB.Client, demo.Tax)
		if err != nil {
			t.Fatal(err)
		}
		envOfficer := servertest.Str(e.MustDo(e.As("cv.moitruong"), `{ me { officer { id } } }`, nil), "me", "officer", "id")
		muts := landMutations(fmt.Sprint(taxID), envOfficer)
		// build returns a land dossier driven into state.
		build := func(state string) string {
			t.Helper()
			in := servertest.LandInput("Bảng Trạng Thái")
			if state == "SUBMITTED" {
				in["channel"] = "ONLINE"
			}
			id := servertest.Str(e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": in}), "receiveDossier", "id")
			fire := func(name string) {
				t.Helper()
				e.MustDo(e.As(muts[name].actor), muts[name].query, map[string]any{"id": id})
			}
			path := map[string][]string{
				"SUBMITTED":            nil,
				"RECEIVED":             nil,
				"PROCESSING":           {"forward", "transfer0"},
				"COORDINATING":         {"forward", "transfer0", "coordinate"},
				"SUPPLEMENT_REQUESTED": {"forward", "transfer0", "requestSupplement"},
				"RETURNED":             {"forward", "transfer0", "return"},
				"COMPLETED":            {"forward", "transfer0", "return", "complete"},
				"REFUSED":              {"refuse"},
				"WITHDRAWN":            {"withdraw"},
				"STOPPED":              {"stop"},
			}[state]
			for _, step := range path {
				if step == "transfer0" {
					// The commune hands the dossier to Environment.
					e.MustDo(e.As("cv.giolinh"), muts["transfer"].query, map[string]any{"id": id})
					continue
				}
				fire(step)
			}
			return id
		}
		snapshot := func(id string) (string, int, int) {
			t.Helper()
			d := e.MustDo(e.As("admin"), `query($id: ID!) { node(id: $id) { ... on Dossier { state version events { totalCount } } } }`, map[string]any{"id": id})
			return servertest.Str(d, "node", "state"), servertest.Num(d, "node", "version"), servertest.Num(d, "node", "events", "totalCount")
		}
		names := slices.Sorted(maps.Keys(muts))
		for _, state := range slices.Sorted(maps.Keys(legal)) {
			// Illegal events: one dossier in the state takes them all.
			id := build(state)
			s0, v0, n0 := snapshot(id)
			if s0 != state {
				t.Fatalf("built a %s dossier, got %s", state, s0)
			}
			for _, name := range names {
				if _, ok := legal[state][name]; ok {
					continue
				}
				// The receiving desk always sees the dossier; the state
				// machine answers before the role rules.
				r := e.Do(e.As("desk.giolinh"), muts[name].query, map[string]any{"id": id})
				if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ILLEGAL_TRANSITION" || !strings.Contains(r.Errors[0].Message, state) {
					t.Errorf("%s in %s: %s, want BAD_USER_INPUT / ILLEGAL_TRANSITION naming %s", name, state, r.Raw, state)
				}
			}
			if s, v, n := snapshot(id); s != s0 || v != v0 || n != n0 {
				t.Errorf("illegal events in %s wrote something: state %s→%s, version %d→%d, events %d→%d", state, s0, s, v0, v, n0, n)
			}
			// Legal events: a fresh dossier each; the wrong callers first.
			for _, name := range slices.Sorted(maps.Keys(legal[state])) {
				id := build(state)
				mut := muts[name]
				if name == "requestSupplement" && state == "RECEIVED" {
					mut.actor = "desk.giolinh"
				}
				_, v0, n0 := snapshot(id)
				if r := e.Do(e.As("analyst"), mut.query, map[string]any{"id": id}); r.Code() != "FORBIDDEN" {
					t.Errorf("%s in %s by the analyst: %s, want FORBIDDEN", name, state, r.Raw)
				}
				if r := e.Do(e.As("desk.dongha"), mut.query, map[string]any{"id": id}); r.Code() != "NOT_FOUND" {
					t.Errorf("%s in %s by another commune's desk: %s, want NOT_FOUND", name, state, r.Raw)
				}
				if _, v, n := snapshot(id); v != v0 || n != n0 {
					t.Errorf("%s in %s: refused callers wrote version %d→%d, events %d→%d", name, state, v0, v, n0, n)
				}
				r := e.Do(e.As(mut.actor), mut.query, map[string]any{"id": id})
				if len(r.Errors) > 0 {
					t.Errorf("%s in %s by %s: %s", name, state, mut.actor, r.Raw)
					continue
				}
				want := legal[state][name]
				if s, v, n := snapshot(id); s != want || v != v0+1 || n != n0+1 {
					t.Errorf("%s in %s: state %s version %d events %d, want %s, %d, %d", name, state, s, v, n, want, v0+1, n0+1)
				}
			}
		}
	})
}
