package workflow_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lienthong/server/servertest"
)

// TestTrackDossier: an applicant looks their dossier up without a token;
// a wrong ID number answers exactly like an unknown code; no personal data
// is shown; lookups are limited per client address.
func TestTrackDossier(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk := e.As("desk.giolinh")
		e.Clock.Set(time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Lê Văn Đất")})
		id, code := servertest.Str(d, "receiveDossier", "id"), servertest.Str(d, "receiveDossier", "code")
		e.FireAt(desk, servertest.Forward, id, time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		const q = `query($c: String!, $n: String!) { trackDossier(code: $c, idNumber: $n) {
		  code procedure state portalStatus appointmentAt currentAgencies legs { agency role judgement finishedAt } } }`
		r := e.Do("", q, map[string]any{"c": code, "n": "045201000999"})
		if len(r.Errors) > 0 {
			t.Fatal(string(r.Raw))
		}
		tr := servertest.Get(r.Data, "trackDossier")
		if servertest.Str(tr, "state") != "PROCESSING" || servertest.Num(tr, "portalStatus") != 4 || servertest.Str(tr, "appointmentAt") != servertest.Str(d, "receiveDossier", "appointmentAt") ||
			servertest.Str(tr, "currentAgencies", 0) != "Ủy ban nhân dân xã Gio Linh" || servertest.Str(tr, "legs", 0, "judgement") != "EARLY" || len(servertest.Get(tr, "legs").([]any)) != 2 {
			t.Errorf("tracked = %v", tr)
		}
		if strings.Contains(string(r.Raw), "Lê Văn Đất") || strings.Contains(string(r.Raw), "045201000999") {
			t.Errorf("tracking shows personal data: %s", r.Raw)
		}
		wrong := e.Do("", q, map[string]any{"c": code, "n": "045201000998"})
		unknown := e.Do("", q, map[string]any{"c": "000.20.01.H43-261116-9999", "n": "045201000999"})
		if string(wrong.Raw) != string(unknown.Raw) || servertest.Get(wrong.Data, "trackDossier") != nil {
			t.Errorf("wrong ID number %s, unknown code %s: want the same null", wrong.Raw, unknown.Raw)
		}
		limited := 0
		for range 15 {
			if e.Do("", q, map[string]any{"c": code, "n": "x"}).Code() == "RATE_LIMITED" {
				limited++
			}
		}
		if limited == 0 {
			t.Error("18 lookups in a row from one address were all answered")
		}
	})
}

// Lookups are limited per IPv6 /64, not per address (a client has as many
// addresses in its /64 as it likes), and per code, whoever asks: guessing
// one dossier's ID number from many addresses runs out too.
func TestTrackDossierLimits(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	const q = `query($c: String!, $n: String!) { trackDossier(code: $c, idNumber: $n) { code } }`
	from := func(addr, code string) string {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"c": code, "n": "045201000000"}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	limited := 0
	for i := range 14 { // one /64, fourteen addresses, fourteen codes
		if strings.Contains(from(fmt.Sprintf("[2001:db8:77:1::%x]:443", i+1), fmt.Sprintf("000.20.01.H43-261116-%04d", 100+i)), "RATE_LIMITED") {
			limited++
		}
	}
	if limited == 0 {
		t.Error("14 lookups from one IPv6 /64 were all answered")
	}
	limited = 0
	for i := range 25 { // one code, twenty-five IPv4 addresses
		if strings.Contains(from(fmt.Sprintf("198.51.100.%d:443", i+1), "000.20.01.H43-261116-0001"), "RATE_LIMITED") {
			limited++
		}
	}
	if limited == 0 {
		t.Error("25 lookups of one code from 25 addresses were all answered")
	}
}
