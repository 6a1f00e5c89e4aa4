package workflow_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"lienthong/server/servertest"
)

// TestReassignAndDelegation: the head of the holding agency assigns the
// dossier to one specialist; a colleague may act on it only as that
// specialist's delegate, and the history says on whose behalf.
func TestReassignAndDelegation(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk, head, cv, cv2 := e.As("desk.ttpvhcc"), e.As("ld.taichinh"), e.As("cv.taichinh"), e.As("cv2.taichinh")
		officerID := func(tok string) string {
			return servertest.Str(e.MustDo(tok, `{ me { officer { id } } }`, nil), "me", "officer", "id")
		}
		cvID, cv2ID, taxID := officerID(cv), officerID(cv2), officerID(e.As("cv.thue"))
		in := map[string]any{
			"procedureCode": "2.001583", "channel": "DIRECT",
			"applicant": map[string]any{"name": "Công ty TNHH Sao Mai", "idNumber": "3200999888"},
			"components": []map[string]any{
				{"name": "Giấy đề nghị đăng ký doanh nghiệp (Mẫu 02)"}, {"name": "Điều lệ công ty"}, {"name": "Bản sao giấy tờ pháp lý của chủ sở hữu"},
			},
		}
		id := servertest.Str(e.MustDo(desk, servertest.Receive, map[string]any{"in": in}), "receiveDossier", "id")
		e.FireAt(desk, `mutation($id: ID!) { forwardDossier(id: $id) { state } }`, id, time.Date(2026, 11, 16, 9, 30, 0, 0, loc))
		const reassign = `mutation($id: ID!, $o: ID!) { reassignDossier(id: $id, officerID: $o) { legs { role officer { subject } } } }`
		if r := e.Do(cv, reassign, map[string]any{"id": id, "o": cv2ID}); r.Code() != "FORBIDDEN" {
			t.Errorf("reassign by a specialist: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(head, reassign, map[string]any{"id": id, "o": taxID}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "officerID" {
			t.Errorf("reassign to another agency's officer: %s, want BAD_USER_INPUT on officerID", r.Raw)
		}
		r := e.MustDo(head, reassign, map[string]any{"id": id, "o": cv2ID})
		if s := servertest.Str(r, "reassignDossier", "legs", 1, "officer", "subject"); s != "cv2.taichinh" {
			t.Errorf("lead leg officer = %q, want cv2.taichinh", s)
		}
		actions := func(tok string) []any {
			return servertest.Get(e.MustDo(tok, `query($id: ID!) { node(id: $id) { ... on Dossier { availableActions } } }`, map[string]any{"id": id}), "node", "availableActions").([]any)
		}
		if a := actions(cv); slices.Contains(a, any("RETURN")) {
			t.Errorf("a colleague can return an assigned dossier: actions %v", a)
		}
		const ret = `mutation($id: ID!) { returnDossier(id: $id, result: "GCN đăng ký doanh nghiệp số 3200999888") { state } }`
		if r := e.Do(cv, ret, map[string]any{"id": id}); r.Code() != "FORBIDDEN" {
			t.Errorf("return by a colleague: %s, want FORBIDDEN", r.Raw)
		}
		// The assignee goes on leave; only they, their head or an admin may delegate.
		const delegate = `mutation($in: DelegationInput!) { createDelegation(input: $in) { id startsAt endsAt fromOfficer { subject } toOfficer { subject } } }`
		dIn := map[string]any{"fromOfficerID": cv2ID, "toOfficerID": cvID, "startsAt": "2026-11-16T07:00:00+07:00", "endsAt": "2026-11-20T17:00:00+07:00"}
		if r := e.Do(e.As("cv.thue"), delegate, map[string]any{"in": dIn}); r.Code() != "FORBIDDEN" {
			t.Errorf("delegation by an outsider: %s, want FORBIDDEN", r.Raw)
		}
		bad := maps.Clone(dIn)
		bad["toOfficerID"] = taxID
		if r := e.Do(cv2, delegate, map[string]any{"in": bad}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("delegation to another agency: %s, want BAD_USER_INPUT", r.Raw)
		}
		bad = maps.Clone(dIn)
		bad["endsAt"] = "2026-11-15T17:00:00+07:00"
		if r := e.Do(cv2, delegate, map[string]any{"in": bad}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("delegation ending before it starts: %s, want BAD_USER_INPUT", r.Raw)
		}
		del := e.MustDo(cv2, delegate, map[string]any{"in": dIn})
		if servertest.Str(del, "createDelegation", "toOfficer", "subject") != "cv.taichinh" {
			t.Errorf("delegation = %v", del)
		}
		if r := e.Do(e.As("cv.thue"), `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": servertest.Str(del, "createDelegation", "id")}); r.Code() != "NOT_FOUND" {
			t.Errorf("another agency reads the delegation: %s, want NOT_FOUND", r.Raw)
		}
		if a := actions(cv); !slices.Contains(a, any("RETURN")) {
			t.Errorf("the delegate cannot return: actions %v", a)
		}
		e.FireAt(cv, ret, id, time.Date(2026, 11, 17, 10, 0, 0, 0, loc))
		h := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { events(where: {typeIn: [REASSIGN, RETURN]}) { edges { node { type actor { subject } actingFor { subject } leg { role } } } } } } }`, map[string]any{"id": id})
		ev := servertest.Get(h, "node", "events", "edges").([]any)
		if len(ev) != 2 || servertest.Str(ev[0], "node", "actor", "subject") != "ld.taichinh" || servertest.Str(ev[0], "node", "leg", "role") != "LEAD" {
			t.Fatalf("REASSIGN event = %v", ev)
		}
		if servertest.Str(ev[1], "node", "actor", "subject") != "cv.taichinh" || servertest.Str(ev[1], "node", "actingFor", "subject") != "cv2.taichinh" {
			t.Errorf("RETURN event = %v, want actor cv.taichinh acting for cv2.taichinh", ev[1])
		}
		// Ending the delegation ends it now.
		end := e.MustDo(cv2, `mutation($id: ID!) { endDelegation(id: $id) { endsAt } }`, map[string]any{"id": servertest.Str(del, "createDelegation", "id")})
		if got := servertest.Str(end, "endDelegation", "endsAt"); got != "2026-11-17T10:00:00+07:00" {
			t.Errorf("ended delegation endsAt = %s, want the clock's now", got)
		}
		// A delegation also lends a role: the demo's commune A head is on
		// leave and their specialist stops a dossier on their behalf.
		gl := servertest.Str(e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Thay Mặt")}), "receiveDossier", "id")
		stop := e.MustDo(e.As("cv.giolinh"), `mutation($id: ID!) { stopDossier(id: $id, reason: "Trùng hồ sơ đã đăng ký") { state events(where: {type: STOP}) { edges { node { actingFor { subject } } } } } }`, map[string]any{"id": gl})
		if servertest.Str(stop, "stopDossier", "state") != "STOPPED" || servertest.Str(stop, "stopDossier", "events", "edges", 0, "node", "actingFor", "subject") != "ld.giolinh" {
			t.Errorf("stop by the head's substitute: %v", stop)
		}
	})
}
