package workflow_test

import (
	"strings"
	"testing"

	"lienthong/server/servertest"
)

const createProcedure = `mutation($in: ProcedureInput!) { createProcedure(input: $in) { id version } }`

func TestRouteBudgetOverrun(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		in := map[string]any{
			"code": "9.000001", "name": "Thử nghiệm", "field": "Thử", "legalLimitMinutes": 10 * 480, "limitMinutes": 8 * 480,
			"channels": []string{"DIRECT"}, "components": []any{},
			"steps": []map[string]any{
				{"position": 1, "role": "LEAD", "allottedMinutes": 3 * 480},
				{"position": 2, "role": "COORDINATE", "allottedMinutes": 4 * 480, "parallelGroup": 1},
				{"position": 3, "role": "COORDINATE", "allottedMinutes": 5 * 480, "parallelGroup": 1},
				{"position": 4, "role": "LEAD", "allottedMinutes": 1 * 480},
			},
		}
		r := e.Do(e.As("admin"), createProcedure, map[string]any{"in": in})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["detail"] != "ROUTE_BUDGET_OVERRUN" {
			t.Fatalf("error = %s, want BAD_USER_INPUT / ROUTE_BUDGET_OVERRUN", r.Raw)
		}
		// 3 + max(4, 5) + 1 = 9 days against a limit of 8.
		if msg := r.Errors[0].Message; !strings.Contains(msg, "needs 9 working days") || !strings.Contains(msg, "over by 1 working days") {
			t.Errorf("message = %q, want the 9-day need and the 1-day overrun", msg)
		}
		in["limitMinutes"] = 9 * 480
		if v := servertest.Num(e.MustDo(e.As("admin"), createProcedure, map[string]any{"in": in}), "createProcedure", "version"); v != 1 {
			t.Errorf("version = %d, want 1", v)
		}
		// Only ADMIN manages procedures.
		if r := e.Do(e.As("ld.taichinh"), createProcedure, map[string]any{"in": in}); r.Code() != "FORBIDDEN" {
			t.Errorf("agency head createProcedure: code = %q, want FORBIDDEN", r.Code())
		}
	})
}

func TestProcedureRevisionKeepsDossierVersion(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		old := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Cũ")})
		in := map[string]any{
			"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch",
			"legalLimitMinutes": 480, "limitMinutes": 240, "channels": []string{"DIRECT", "ONLINE"},
			"components": []map[string]any{{"name": "Tờ khai đăng ký khai sinh", "mandatory": true}, {"name": "Giấy chứng sinh", "mandatory": true}},
			"steps":      []map[string]any{{"position": 1, "role": "LEAD", "allottedMinutes": 240}},
		}
		rev := e.MustDo(e.As("admin"), `mutation($in: ProcedureInput!) { reviseProcedure(input: $in) { version limitMinutes } }`, map[string]any{"in": in})
		if v := servertest.Num(rev, "reviseProcedure", "version"); v != 2 {
			t.Fatalf("revised version = %d, want 2", v)
		}
		fresh := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Mới")})
		if v := servertest.Num(fresh, "receiveDossier", "procedure", "version"); v != 2 {
			t.Errorf("new dossier procedure version = %d, want 2", v)
		}
		again := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { procedure { version limitMinutes } appointmentAt } }`,
			map[string]any{"c": servertest.Str(old, "receiveDossier", "code")})
		if v := servertest.Num(again, "dossierByCode", "procedure", "version"); v != 1 {
			t.Errorf("old dossier procedure version = %d, want 1", v)
		}
		if a := servertest.Str(again, "dossierByCode", "appointmentAt"); a != servertest.Str(old, "receiveDossier", "appointmentAt") {
			t.Errorf("old dossier appointment moved: %s → %s", servertest.Str(old, "receiveDossier", "appointmentAt"), a)
		}
	})
}
