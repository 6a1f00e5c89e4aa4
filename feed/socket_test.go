package feed_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	coderws "github.com/coder/websocket"

	"lienthong/auth"
	"lienthong/server/servertest"
)

// closeCode waits for the socket to close and returns its close code.
func closeCode(t *testing.T, c *servertest.WSClient, within time.Duration) coderws.StatusCode {
	t.Helper()
	for end := time.Now().Add(within); time.Now().Before(end); {
		_, err := c.Read(time.Until(end))
		if err != nil {
			return coderws.CloseStatus(err)
		}
	}
	return -1
}

// A socket lives no longer than its token (closed with 4403, "sign in
// again"), nor than its officer's access: a deactivated agency's sockets
// close within the periodic check.
func TestSocketFollowsItsToken(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	srv := httptest.NewServer(e.Handler)
	defer srv.Close()
	short, err := auth.Sign([]byte(servertest.Secret), auth.SignInput{
		Issuer: "lienthong", Audience: "lienthong", Subject: "cv.giolinh", Name: "cv", Agency: "000.20.01.H43",
		Roles: []auth.Role{auth.RoleSpecialist}, TTL: 2 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := servertest.DialWS(t, srv.URL, short, "")
	if err != nil {
		t.Fatal(err)
	}
	c.Send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `subscription { dossierEvents { seq } }`}})
	if code := closeCode(t, c, 10*time.Second); code != 4403 {
		t.Errorf("a socket whose token expired: close code %d, want 4403", code)
	}

	long, err := servertest.DialWS(t, srv.URL, e.As("desk.dongha"), "")
	if err != nil {
		t.Fatal(err)
	}
	ags := e.MustDo(e.As("admin"), `{ agencies(where: {code: "000.20.02.H43"}) { edges { node { id } } } }`, nil)
	id := servertest.Str(servertest.Get(ags, "agencies", "edges", 0), "node", "id")
	e.MustDo(e.As("admin"), `mutation($id: ID!) { updateAgency(id: $id, input: {active: false}) { active } }`, map[string]any{"id": id})
	if code := closeCode(t, long, 10*time.Second); code != 4403 {
		t.Errorf("a socket of a deactivated agency: close code %d, want 4403", code)
	}
}

// An officer opens at most five sockets on an instance (the sixth is closed
// with 4429), a socket runs at most ten subscriptions (the eleventh is
// refused with RATE_LIMITED), and an event is read once whoever follows it.
func TestSocketLimitsAndOneReadPerEvent(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	go e.App.Feed.Run(t.Context())
	srv := httptest.NewServer(e.Handler)
	defer srv.Close()
	var socks []*servertest.WSClient
	for range 5 {
		c, err := servertest.DialWS(t, srv.URL, e.As("analyst"), "")
		if err != nil {
			t.Fatal(err)
		}
		socks = append(socks, c)
	}
	if _, err := servertest.DialWS(t, srv.URL, e.As("analyst"), ""); coderws.CloseStatus(err) != 4429 {
		t.Errorf("a sixth socket of one officer: %v, want closed with 4429", err)
	}
	const sub = `subscription { dossierEvents { type seq dossier { code state } } }`
	first := socks[0]
	for i := range 11 {
		first.Send(map[string]any{"id": fmt.Sprint(i), "type": "subscribe", "payload": map[string]any{"query": sub}})
	}
	// The refused one answers an error and completes; the ten others wait
	// for events (a read that times out would close the socket).
	m, err := first.Read(5 * time.Second)
	if err != nil || servertest.Str(servertest.Get(m, "payload", "errors", 0), "extensions", "code") != "RATE_LIMITED" {
		t.Fatalf("eleven subscriptions on one socket: %v %v, want one refused with RATE_LIMITED", m, err)
	}
	if done, err := first.Read(5 * time.Second); err != nil || done["type"] != "complete" || done["id"] != m["id"] {
		t.Fatalf("after the refusal: %v %v, want it completed", done, err)
	}
	for i := range 11 { // stop them all
		first.Send(map[string]any{"id": fmt.Sprint(i), "type": "complete"})
	}

	// One follower, then five: the event costs the same statements.
	desk := e.As("desk.giolinh")
	statementsFor := func(followers []*servertest.WSClient) int64 {
		t.Helper()
		for i, c := range followers {
			c.Send(map[string]any{"id": fmt.Sprintf("n%d", i), "type": "subscribe", "payload": map[string]any{"query": sub}})
		}
		time.Sleep(200 * time.Millisecond) // the subscriptions have started
		before := e.Statements.Load()
		e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Theo Dõi")})
		intake := e.Statements.Load() - before
		for _, c := range followers {
			m, err := c.Read(5 * time.Second)
			for err == nil && m["type"] == "complete" { // of the subscriptions stopped before
				m, err = c.Read(5 * time.Second)
			}
			if err != nil || servertest.Str(servertest.Get(m, "payload", "data", "dossierEvents"), "type") != "RECEIVE" {
				t.Fatalf("a follower got %v, %v", m, err)
			}
		}
		time.Sleep(100 * time.Millisecond)
		for i, c := range followers {
			c.Send(map[string]any{"id": fmt.Sprintf("n%d", i), "type": "complete"})
		}
		return e.Statements.Load() - before - intake
	}
	// The feed's idle polls (every 250 ms) land in the window or not: a
	// statement or two either way. One read per follower would be four
	// more at least.
	one, five := statementsFor(socks[1:2]), statementsFor(socks)
	if one == 0 || five-one >= 4 {
		t.Errorf("statements to hand one event to 1 follower: %d, to 5: %d; want the same give or take an idle poll, not one read each", one, five)
	}
}
