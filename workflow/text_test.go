package workflow_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"lienthong/demo"
	"lienthong/server/servertest"
)

// long is n Vietnamese letters: 2 or 3 bytes each, so a limit counted in
// bytes would refuse them well before n.
func long(n int) string { return strings.Repeat("ể", n) }

// many is n copies of v.
func many(n int, v any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// textCase is one input given too much or the wrong characters: the
// answer must be BAD_USER_INPUT on field, its message saying want.
type textCase struct {
	name  string
	who   string // a demo officer
	query string
	vars  map[string]any
	field string
	want  string
}

// TestInputLimits gives every free-text and list input of the API more
// than its limit, or characters it refuses, and reads the refusal: the
// field at fault and the limit or the character. Nothing of it is kept.
func TestInputLimits(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		d := e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Giới Hạn")})
		id := servertest.Str(d, "receiveDossier", "id")
		agencies := e.MustDo(e.As("admin"), `{ agencies(first: 100) { edges { node { id } } } }`, nil)
		agencyID := servertest.Str(servertest.Get(agencies, "agencies", "edges").([]any)[0], "node", "id")

		receive := func(edit func(in map[string]any)) map[string]any {
			in := servertest.BirthInput("Giới Hạn")
			edit(in)
			return map[string]any{"in": in}
		}
		applicant := func(k string, v any) func(map[string]any) {
			return func(in map[string]any) { in["applicant"].(map[string]any)[k] = v }
		}
		pushed := func(k string, v any) func(map[string]any) {
			return func(in map[string]any) {
				in["source"], in["externalCode"], in["deskAgencyCode"] = "motcua", "MC-LIMIT", demo.CommuneA
				in[k] = v
			}
		}
		procedure := func(k string, v any) map[string]any {
			in := map[string]any{
				"code": "9.000099", "name": "Thử giới hạn", "field": "Thử", "legalLimitMinutes": 4800, "limitMinutes": 4800,
				"channels": []string{"DIRECT"}, "components": []any{map[string]any{"name": "Đơn"}},
				"steps": []any{map[string]any{"position": 1, "role": "LEAD", "allottedMinutes": 480}},
			}
			in[k] = v
			return map[string]any{"in": in}
		}
		steps := make([]any, 51)
		for i := range steps {
			steps[i] = map[string]any{"position": i + 1, "role": "LEAD", "allottedMinutes": 1}
		}
		days := make([]any, 367)
		for i := range days {
			days[i] = map[string]any{"date": fmt.Sprintf("2027-01-%02d", i%28+1), "working": false}
		}
		ids := make([]any, 1001)
		for i := range ids {
			ids[i] = agencyID
		}
		id1 := func(m map[string]any) map[string]any {
			out := maps.Clone(m)
			out["id"] = id
			return out
		}
		const (
			rcv       = servertest.Receive
			refuse    = `mutation($id: ID!, $r: String!) { refuseDossier(id: $id, reason: $r) { state } }`
			supp      = `mutation($id: ID!, $r: String!, $items: [String!]!) { requestSupplement(id: $id, reason: $r, items: $items) { state } }`
			transfer  = `mutation($id: ID!, $n: String!) { transferDossier(id: $id, note: $n) { state } }`
			reply     = `mutation($id: ID!, $n: String!) { replyCoordination(id: $id, agree: true, opinion: $n) { state } }`
			ret       = `mutation($id: ID!, $n: String!) { returnDossier(id: $id, result: $n) { state } }`
			coord     = `mutation($id: ID!, $in: CoordinateInput!) { coordinateDossier(id: $id, input: $in) { state } }`
			complain  = `mutation($id: ID!, $n: String!) { recordComplaint(id: $id, note: $n) { complained } }`
			mkAgency  = `mutation($in: CreateAgencyInput!) { createAgency(input: $in) { id } }`
			upAgency  = `mutation($id: ID!, $in: UpdateAgencyInput!) { updateAgency(id: $id, input: $in) { id } }`
			mkProc    = `mutation($in: ProcedureInput!) { createProcedure(input: $in) { id } }`
			calendar  = `mutation($days: [CalendarDayInput!]!) { setCalendarDays(year: 2027, days: $days) { id } }`
			mkWebhook = `mutation($url: String!, $types: [DossierEventType!], $ids: [ID!]) { createWebhook(url: $url, eventTypes: $types, agencyIDs: $ids) { secret } }`
			perf      = `query($ids: [ID!]) { performance(period: {year: 2026}, agencyIDs: $ids) { total { received } } }`
		)
		cases := []textCase{
			{"applicant name", "desk.giolinh", rcv, receive(applicant("name", long(256))), "input.applicant.name", "at most 255"},
			{"applicant name over two lines", "desk.giolinh", rcv, receive(applicant("name", "Trần\nVăn")), "input.applicant.name", "no line breaks"},
			{"address printing a fake line", "desk.giolinh", rcv, receive(applicant("address", "Gio Linh\nLệ phí: đã miễn")), "input.applicant.address", "no line breaks"},
			{"address", "desk.giolinh", rcv, receive(applicant("address", long(513))), "input.applicant.address", "at most 512"},
			{"phone with an override", "desk.giolinh", rcv, receive(applicant("phone", "0912\u202e345678")), "input.applicant.phone", "U+202E"},
			{"phone", "desk.giolinh", rcv, receive(applicant("phone", strings.Repeat("9", 33))), "input.applicant.phone", "at most 32"},
			{"e-mail", "desk.giolinh", rcv, receive(applicant("email", strings.Repeat("a", 251)+"@x.vn")), "input.applicant.email", "at most 255"},
			{"components", "desk.giolinh", rcv, receive(func(in map[string]any) { in["components"] = many(101, map[string]any{"name": "Giấy"}) }), "input.components", "at most 100"},
			{"component name", "desk.giolinh", rcv, receive(func(in map[string]any) { in["components"] = []any{map[string]any{"name": long(256)}} }), "input.components[0].name", "at most 255"},
			{"procedure code", "desk.giolinh", rcv, receive(func(in map[string]any) { in["procedureCode"] = long(33) }), "input.procedureCode", "at most 32"},
			{"external code", "motcua.system", rcv, receive(pushed("externalCode", long(129))), "input.externalCode", "at most 128"},
			{"source", "motcua.system", rcv, receive(pushed("source", long(65))), "input.source", "at most 64"},
			{"desk agency code", "motcua.system", rcv, receive(pushed("deskAgencyCode", long(33))), "input.deskAgencyCode", "at most 32"},

			{"reason of 700 KB", "desk.giolinh", refuse, id1(map[string]any{"r": strings.Repeat("x", 700<<10)}), "reason", "at most 2000"},
			{"reason", "desk.giolinh", refuse, id1(map[string]any{"r": long(2001)}), "reason", "at most 2000"},
			{"reason ringing a bell", "desk.giolinh", refuse, id1(map[string]any{"r": "Thiếu\agiấy tờ"}), "reason", "U+0007"},
			{"reason printing a fake line", "desk.giolinh", refuse, id1(map[string]any{"r": "Sai thẩm quyền\nLệ phí: đã miễn"}), "reason", "no line breaks"},
			{"6,000 items", "desk.giolinh", supp, id1(map[string]any{"r": "Thiếu", "items": many(6000, "Giấy")}), "items", "at most 50"},
			{"item", "desk.giolinh", supp, id1(map[string]any{"r": "Thiếu", "items": []any{"Giấy", long(501)}}), "items[1]", "at most 500"},
			{"empty item", "desk.giolinh", supp, id1(map[string]any{"r": "Thiếu", "items": []any{" "}}), "items[0]", "empty"},
			{"item with an isolate", "desk.giolinh", supp, id1(map[string]any{"r": "Thiếu", "items": []any{"Giấy \u2067X\u2069"}}), "items[0]", "U+2067"},
			{"note", "cv.giolinh", transfer, id1(map[string]any{"n": long(2001)}), "note", "at most 2000"},
			{"opinion", "cv.giolinh", reply, id1(map[string]any{"n": long(2001)}), "opinion", "at most 2000"},
			{"result", "cv.giolinh", ret, id1(map[string]any{"n": long(2001)}), "result", "at most 2000"},
			{"coordination note", "cv.giolinh", coord, id1(map[string]any{"in": map[string]any{"note": long(2001)}}), "input.note", "at most 2000"},
			{"agencies consulted", "cv.giolinh", coord, id1(map[string]any{"in": map[string]any{"agencies": many(21, map[string]any{"agencyID": agencyID, "allottedMinutes": 60})}}), "input.agencies", "at most 20"},
			{"complaint", "desk.giolinh", complain, id1(map[string]any{"n": long(2001)}), "note", "at most 2000"},

			{"agency name", "admin", mkAgency, map[string]any{"in": map[string]any{"code": "T.LIMIT", "name": long(256), "level": "DEPARTMENT"}}, "input.name", "at most 255"},
			{"agency kind", "admin", mkAgency, map[string]any{"in": map[string]any{"code": "T.LIMIT", "name": "Phòng", "level": "DEPARTMENT", "kind": "Thuế\n"}}, "input.kind", "lower-case"},
			{"agency renamed with an override", "admin", upAgency, map[string]any{"id": agencyID, "in": map[string]any{"name": "Sở \u202eTài chính"}}, "input.name", "U+202E"},
			{"procedure name", "admin", mkProc, procedure("name", long(501)), "input.name", "at most 500"},
			{"procedure field", "admin", mkProc, procedure("field", long(256)), "input.field", "at most 255"},
			{"procedure components", "admin", mkProc, procedure("components", many(101, map[string]any{"name": "Đơn"})), "input.components", "at most 100"},
			{"procedure component over two lines", "admin", mkProc, procedure("components", []any{map[string]any{"name": "Đơn\nLệ phí"}}), "input.components[0].name", "no line breaks"},
			{"route steps", "admin", mkProc, procedure("steps", steps), "input.steps", "at most 50"},
			{"route step task", "admin", mkProc, procedure("steps", []any{map[string]any{"position": 1, "role": "LEAD", "allottedMinutes": 480, "task": long(501)}}), "input.steps[0].task", "at most 500"},
			{"legal limit", "admin", mkProc, procedure("legalLimitMinutes", 260*480+1), "input.legalLimitMinutes", "124800"},
			{"calendar days", "admin", calendar, map[string]any{"days": days}, "days", "at most 366"},
			{"holiday name", "admin", calendar, map[string]any{"days": []any{map[string]any{"date": "2027-01-01", "working": false, "name": long(256)}}}, "days[0].name", "at most 255"},
			{"webhook URL", "admin", mkWebhook, map[string]any{"url": "https://motcua.example/" + strings.Repeat("a", 2026)}, "url", "at most 2048"},
			{"webhook URL with an override", "admin", mkWebhook, map[string]any{"url": "https://motcua.example/\u202ekooh"}, "url", "U+202E"},
			{"webhook event types", "admin", mkWebhook, map[string]any{"url": "https://motcua.example/h", "types": many(51, "RECEIVE")}, "eventTypes", "at most 50"},
			{"webhook agencies", "admin", mkWebhook, map[string]any{"url": "https://motcua.example/h", "ids": ids}, "agencyIDs", "at most 1000"},
			{"report agencies", "analyst", perf, map[string]any{"ids": ids}, "agencyIDs", "at most 1000"},

			// NUL reached PostgreSQL and failed there (INTERNAL); no string
			// anywhere in an operation may hold one.
			{"NUL in a reason", "desk.giolinh", refuse, id1(map[string]any{"r": "Thiếu\x00"}), "$r", "NUL"},
			{"NUL in a filter", "desk.giolinh", `query($x: String!) { dossiers(where: {applicantNameContains: $x}) { totalCount } }`, map[string]any{"x": "a\x00"}, "$x", "NUL"},
			{"NUL in a nested filter", "desk.giolinh", `query($w: OfficerWhereInput) { agencies { edges { node { officers(where: $w) { totalCount } } } } }`, map[string]any{"w": map[string]any{"nameContains": "\x00"}}, "$w.nameContains", "NUL"},
			{"NUL written in the query", "desk.giolinh", `{ procedureByCode(code: "1.0\u0000") { id } }`, nil, "procedureByCode.code", "NUL"},
		}
		for _, c := range cases {
			r := e.Do(e.As(c.who), c.query, c.vars)
			if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field || !strings.Contains(r.Errors[0].Message, c.want) {
				raw := string(r.Raw)
				t.Errorf("%s: %s, want BAD_USER_INPUT on %s saying %q", c.name, raw[:min(len(raw), 400)], c.field, c.want)
			}
		}
		// An import answers for the item at fault.
		item := servertest.BirthInput(long(256))
		item["source"], item["externalCode"], item["deskAgencyCode"] = "motcua", "MC-LIMIT-2", demo.CommuneA
		res := e.MustDo(e.As("motcua.system"), `mutation($in: [ReceiveDossierInput!]!) { importDossiers(inputs: $in) { status error { code field message } } }`, map[string]any{"in": []any{item}})
		if r := servertest.Get(res, "importDossiers").([]any)[0]; servertest.Str(r, "error", "field") != "inputs[0].applicant.name" || !strings.Contains(servertest.Str(r, "error", "message"), "at most 255") {
			t.Errorf("an imported dossier with a long name: %v", r)
		}
		// The dossier is as received: nothing above was kept.
		ev := e.MustDo(e.As("desk.giolinh"), `query($id: ID!) { node(id: $id) { ... on Dossier { state version } } }`, map[string]any{"id": id})
		if servertest.Str(ev, "node", "state") != "RECEIVED" || servertest.Num(ev, "node", "version") != 1 {
			t.Errorf("after the refused inputs: %v", ev)
		}
	})
}

// TestInputLimitsAccept: the limits count characters, not bytes (a
// Vietnamese name of 255 letters is 500-odd bytes), and a note, an
// opinion or a result may run over several lines.
func TestInputLimitsAccept(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		name := strings.Repeat("Ánh ", 63) + "Ánh" // 255 letters and spaces, 381 bytes
		in := servertest.BirthInput(name)
		in["applicant"].(map[string]any)["address"] = long(512)
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": in})
		id := servertest.Str(d, "receiveDossier", "id")
		got := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { applicantName applicantAddress } } }`, map[string]any{"id": id})
		if servertest.Str(got, "node", "applicantName") != name || servertest.Str(got, "node", "applicantAddress") != long(512) {
			t.Errorf("a name of 255 and an address of 512 Vietnamese letters were not kept as given")
		}
		e.MustDo(desk, servertest.Forward, map[string]any{"id": id})
		r := e.MustDo(e.As("cv.giolinh"), `mutation($id: ID!, $n: String!) { returnDossier(id: $id, result: $n) { state } }`, map[string]any{"id": id, "n": "Trích lục khai sinh số 12/2026\r\nBản sao: 02"})
		if servertest.Str(r, "returnDossier", "state") != "RETURNED" {
			t.Fatalf("return: %v", r)
		}
		ev := e.MustDo(desk, `query($id: ID!) { node(id: $id) { ... on Dossier { events(last: 1) { edges { node { note } } } } } }`, map[string]any{"id": id})
		if note := servertest.Str(servertest.Get(ev, "node", "events", "edges").([]any)[0], "node", "note"); note != "Trích lục khai sinh số 12/2026\nBản sao: 02" {
			t.Errorf("result kept as %q, want its two lines", note)
		}
	})
}
