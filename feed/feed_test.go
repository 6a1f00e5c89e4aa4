package feed_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"lienthong/server/servertest"
)

// TestDossierEventsSubscription: a front-end subscribed over a websocket on
// one server instance receives the events recorded through another, scoped
// like queries; a bad token or a foreign origin is refused.
func TestDossierEventsSubscription(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		// Instance B: its own broker and handler on the same database.
		b := e.Instance(t)
		go b.App.Feed.Run(t.Context())
		srvB := httptest.NewServer(b.Handler)
		t.Cleanup(srvB.Close)
		time.Sleep(100 * time.Millisecond) // the broker has read its starting point

		const sub = `subscription($a: ID) { dossierEvents(agencyID: $a) { type seq dossier { code state } } }`
		communeA, err := servertest.DialWS(t, srvB.URL, e.As("cv.giolinh"), "")
		if err != nil {
			t.Fatal(err)
		}
		communeA.Send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": sub}})
		communeB, err := servertest.DialWS(t, srvB.URL, e.As("desk.dongha"), "")
		if err != nil {
			t.Fatal(err)
		}
		communeB.Send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": sub}})
		time.Sleep(100 * time.Millisecond)

		// Through instance A (the test's handler).
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Phạm Thị Duyên")})
		code := servertest.Str(d, "receiveDossier", "code")
		e.FireAt(desk, servertest.Forward, servertest.Str(d, "receiveDossier", "id"), e.Clock.Now().Add(time.Minute))
		for _, want := range []struct {
			typ string
			seq int
		}{{"RECEIVE", 1}, {"FORWARD", 2}} {
			m, err := communeA.Read(5 * time.Second)
			if err != nil {
				t.Fatalf("waiting for %s: %v", want.typ, err)
			}
			ev := servertest.Get(m, "payload", "data", "dossierEvents")
			if m["type"] != "next" || servertest.Str(ev, "type") != want.typ || servertest.Num(ev, "seq") != want.seq || servertest.Str(ev, "dossier", "code") != code {
				t.Errorf("message = %v, want %s seq %d of %s", m, want.typ, want.seq, code)
			}
		}
		// Commune B's desk may not read commune A's dossier: nothing comes.
		if m, err := communeB.Read(500 * time.Millisecond); err == nil {
			t.Errorf("commune B received %v", m)
		}

		// A bad token and a foreign origin are refused.
		if _, err := servertest.DialWS(t, srvB.URL, "not-a-token", ""); err == nil {
			t.Error("a bad token was accepted")
		}
		if _, err := servertest.DialWS(t, srvB.URL, desk, "https://evil.example"); err == nil {
			t.Error("a foreign origin was accepted")
		}
	})
}
