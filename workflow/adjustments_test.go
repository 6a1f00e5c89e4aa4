package workflow_test

import (
	"strings"
	"testing"
	"time"

	"lienthong/calendar"
	"lienthong/server/servertest"
)

// landProcedure is first land registration as the law writes its limits:
// 27 working days in person (the province gives 20), 20 by post, 17
// online; its route fits the shortest.
func landProcedure() map[string]any {
	return map[string]any{
		"code": "9.013978", "name": "Đăng ký đất đai lần đầu (thử)", "field": "Đất đai",
		"legalLimitMinutes": 27 * 480, "limitMinutes": 20 * 480,
		"channels": []string{"DIRECT", "POSTAL", "ONLINE"}, "components": []map[string]any{{"name": "Đơn đăng ký", "mandatory": true}},
		"channelLimits": []map[string]any{
			{"channel": "ONLINE", "legalMinutes": 17 * 480, "limitMinutes": 17 * 480},
			{"channel": "POSTAL", "legalMinutes": 20 * 480, "limitMinutes": 20 * 480},
		},
		"steps": []map[string]any{
			{"position": 1, "role": "LEAD", "allottedMinutes": 9 * 480},
			{"position": 2, "role": "LEAD", "agencyID": nil, "allottedMinutes": 8 * 480},
		},
	}
}

func landInput(name, channel string) map[string]any {
	return map[string]any{
		"procedureCode": "9.013978", "channel": channel,
		"applicant":  map[string]any{"name": name, "idNumber": "045201000888"},
		"components": []map[string]any{{"name": "Đơn đăng ký"}},
	}
}

// TestLimitsByChannelAndPlace: a dossier gets its channel's limit, 10 more
// working days at a mountainous commune while the rule is in force, and
// keeps what it got. By hand, from Monday 16 November 2026 09:00 (no
// holiday before 1 January): 20 working days in person end Monday 14
// December 09:00, 30 at the mountainous commune Monday 28 December; 17
// online from the acceptance at 10:00 end Wednesday 9 December 10:00.
func TestLimitsByChannelAndPlace(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := calendar.VietnamLocation()
		admin := e.As("admin")
		e.MustDo(admin, createProcedure, map[string]any{"in": landProcedure()})
		gio := servertest.Str(servertest.Get(e.MustDo(admin, `{ agencies(where: {code: "000.20.01.H43"}) { edges { node { id } } } }`, nil), "agencies", "edges").([]any)[0], "node", "id")
		e.MustDo(admin, `mutation($id: ID!) { updateAgency(id: $id, input: {areaKinds: [MOUNTAINOUS]}) { areaKinds } }`, map[string]any{"id": gio})
		const create = `mutation($in: LimitAdjustmentInput!) { createLimitAdjustment(input: $in) { id days } }`
		rule := e.MustDo(admin, create, map[string]any{"in": map[string]any{
			"procedureCodes": []string{"9.013978"}, "areaKinds": []string{"MOUNTAINOUS", "ISLAND", "REMOTE"}, "days": 10,
			"reference": "Nghị định 101/2024/NĐ-CP, Điều 22", "validFrom": "2024-08-01",
		}})
		ruleID := servertest.Str(rule, "createLimitAdjustment", "id")

		const fields = `id appointmentAt limitMinutes limitAdjustments { days areaKind agency reference }`
		receive := func(desk, name, channel string) map[string]any {
			t.Helper()
			return e.MustDo(e.As(desk), `mutation($in: ReceiveDossierInput!) { receiveDossier(input: $in) { `+fields+` } }`, map[string]any{"in": landInput(name, channel)})["receiveDossier"].(map[string]any)
		}
		e.Clock.Set(time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		lowland := receive("desk.dongha", "Đất Đồng Bằng", "DIRECT")
		if lowland["appointmentAt"] != "2026-12-14T09:00:00+07:00" || servertest.Num(lowland, "limitMinutes") != 20*480 || len(lowland["limitAdjustments"].([]any)) != 0 {
			t.Errorf("in person at a lowland ward: %v, want 20 working days, due Mon 14 Dec 09:00", lowland)
		}
		mountain := receive("desk.giolinh", "Đất Miền Núi", "DIRECT")
		adj := servertest.Get(mountain, "limitAdjustments", 0)
		if mountain["appointmentAt"] != "2026-12-28T09:00:00+07:00" || servertest.Num(mountain, "limitMinutes") != 30*480 ||
			servertest.Num(adj, "days") != 10 || servertest.Str(adj, "areaKind") != "MOUNTAINOUS" || servertest.Str(adj, "agency") != "000.20.01.H43" {
			t.Errorf("in person at a mountainous commune: %v, want 30 working days with the adjustment recorded, due Mon 28 Dec 09:00", mountain)
		}
		online := receive("desk.dongha", "Đất Trực Tuyến", "ONLINE")
		e.FireAt(e.As("desk.dongha"), `mutation($id: ID!) { acceptDossier(id: $id) { state } }`, online["id"].(string), time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		got := e.MustDo(admin, `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt limitMinutes } } }`, map[string]any{"id": online["id"]})
		if servertest.Str(got, "node", "appointmentAt") != "2026-12-09T10:00:00+07:00" || servertest.Num(got, "node", "limitMinutes") != 17*480 {
			t.Errorf("online, accepted Mon 10:00: %v, want 17 working days, due Wed 9 Dec 10:00", got["node"])
		}

		// The rule ends: a dossier received after keeps no adjustment,
		// one received before keeps its.
		e.MustDo(admin, `mutation($id: ID!) { endLimitAdjustment(id: $id, until: "2026-11-17") { validUntil } }`, map[string]any{"id": ruleID})
		e.Clock.Set(time.Date(2026, 11, 17, 9, 0, 0, 0, loc))
		after := receive("desk.giolinh", "Đất Sau Khi Hết Hiệu Lực", "DIRECT")
		if servertest.Num(after, "limitMinutes") != 20*480 || len(after["limitAdjustments"].([]any)) != 0 {
			t.Errorf("after the rule ended: %v, want 20 working days", after)
		}
		again := e.MustDo(admin, `query($id: ID!) { node(id: $id) { ... on Dossier { appointmentAt limitMinutes } } }`, map[string]any{"id": mountain["id"]})
		if servertest.Str(again, "node", "appointmentAt") != "2026-12-28T09:00:00+07:00" {
			t.Errorf("the mountain dossier after the rule ended: %v, want its appointment kept", again["node"])
		}
		rules := e.MustDo(e.As("analyst"), `{ limitAdjustments { reference validFrom validUntil } }`, nil)
		if servertest.Str(rules, "limitAdjustments", 0, "validUntil") != "2026-11-17" {
			t.Errorf("limitAdjustments = %v", rules)
		}

		// Refused: a channel the procedure is not offered on, a route over
		// the shortest channel limit, a rule without its reference.
		in := landProcedure()
		in["code"] = "9.013979"
		in["channels"] = []string{"DIRECT", "POSTAL"}
		if r := e.Do(admin, createProcedure, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.channelLimits[0].channel" {
			t.Errorf("a limit for a channel not offered: %s", r.Raw)
		}
		in = landProcedure()
		in["code"] = "9.013980"
		in["steps"] = []map[string]any{{"position": 1, "role": "LEAD", "allottedMinutes": 18 * 480}}
		if r := e.Do(admin, createProcedure, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "the limit (ONLINE) is 17 working days") {
			t.Errorf("a route over the online limit: %s", r.Raw)
		}
		if r := e.Do(admin, create, map[string]any{"in": map[string]any{"procedureCodes": []string{"9.013978"}, "areaKinds": []string{"ISLAND"}, "days": 5, "reference": "", "validFrom": "2026-01-01"}}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.reference" {
			t.Errorf("a rule without its reference: %s", r.Raw)
		}
		if r := e.Do(e.As("desk.giolinh"), create, map[string]any{"in": map[string]any{"procedureCodes": []string{"9.013978"}, "areaKinds": []string{"ISLAND"}, "days": 5, "reference": "x", "validFrom": "2026-01-01"}}); r.Code() != "FORBIDDEN" {
			t.Errorf("a desk officer creating a rule: %s", r.Raw)
		}
	})
}
