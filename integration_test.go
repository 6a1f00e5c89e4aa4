package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/ent/outboxmessage"
	"lienthong/ent/webhookdelivery"
	"lienthong/feed"
	"lienthong/webhook"
	"lienthong/workflow"
)

// webhookTimeout bounds one webhook request in the tests.
const webhookTimeout = 300 * time.Millisecond

// receiver is a webhook endpoint that checks every signature with the
// Standard Webhooks reference library and records what it accepted.
type receiver struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	secrets  map[string]string // path → secret
	got      map[string][]int  // path and dossier code → seqs accepted, in arrival order
	types    map[string][]string
	bodies   []workflow.Message
	failures map[string]int  // "code/seq" → answer 500 this many more times
	stall    map[string]bool // "code/seq" → outwait the client's timeout once
	always   map[string]int  // path → always answer this status
	attempts map[string]int  // "code/seq" → requests seen
	bad      int             // requests with a bad signature
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, secrets: map[string]string{}, got: map[string][]int{}, types: map[string][]string{},
		failures: map[string]int{}, stall: map[string]bool{}, always: map[string]int{}, attempts: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	secret := r.secrets[req.URL.Path]
	r.mu.Unlock()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil || wh.Verify(body, req.Header) != nil {
		r.mu.Lock()
		r.bad++
		r.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var m workflow.Message
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := m.Data.Code + "/" + strconv.Itoa(m.Data.Event.Seq)
	r.mu.Lock()
	r.attempts[key]++
	if st := r.always[req.URL.Path]; st != 0 {
		r.mu.Unlock()
		w.WriteHeader(st)
		return
	}
	if r.stall[key] {
		delete(r.stall, key)
		r.mu.Unlock()
		select {
		case <-time.After(3 * webhookTimeout):
		case <-req.Context().Done():
		}
		return
	}
	if r.failures[key] > 0 {
		r.failures[key]--
		r.mu.Unlock()
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	r.got[req.URL.Path+" "+m.Data.Code] = append(r.got[req.URL.Path+" "+m.Data.Code], m.Data.Event.Seq)
	r.types[req.URL.Path] = append(r.types[req.URL.Path], m.Data.Event.Type)
	r.bodies = append(r.bodies, m)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// drain runs the dispatcher until nothing is due, moving the clock by step
// between rounds, at most rounds times.
func drain(t *testing.T, e *env, svc *webhook.Service, step time.Duration, rounds int) {
	t.Helper()
	for range rounds {
		for {
			n, err := svc.DispatchOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		e.clock.Set(e.clock.Now().Add(step))
	}
}

// TestWebhooks: every event reaches a subscribed receiver signed, in order
// per dossier, after 500 answers and timeouts, and after a dispatcher dies
// holding a delivery; a receiver that never recovers is dead-lettered after
// 24 hours and can be redelivered.
func TestWebhooks(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		rcv := newReceiver(t)
		admin := e.as("admin")
		const create = `mutation($url: String!, $types: [DossierEventType!]) { createWebhook(url: $url, eventTypes: $types) { secret webhook { id url eventTypes paused } } }`
		if r := e.do(e.as("desk.giolinh"), create, map[string]any{"url": rcv.srv.URL + "/all"}); r.code() != "FORBIDDEN" {
			t.Errorf("a desk officer creating a webhook: %s, want FORBIDDEN", r.raw)
		}
		if r := e.do(admin, create, map[string]any{"url": "ftp://example.org/x"}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("an ftp URL: %s, want BAD_USER_INPUT", r.raw)
		}
		all := e.mustDo(admin, create, map[string]any{"url": rcv.srv.URL + "/all"})
		returns := e.mustDo(admin, create, map[string]any{"url": rcv.srv.URL + "/returns", "types": []string{"RETURN"}})
		rcv.secrets["/all"] = str(all, "createWebhook", "secret")
		rcv.secrets["/returns"] = str(returns, "createWebhook", "secret")
		if s := rcv.secrets["/all"]; len(s) < 40 || s[:6] != "whsec_" {
			t.Fatalf("secret = %q, want whsec_ and a base64 key", s)
		}
		if ws := e.mustDo(admin, `{ webhooks { id url } }`, nil); len(get(ws, "webhooks").([]any)) != 2 {
			t.Errorf("webhooks = %v, want 2", ws)
		}

		// A land dossier through its route; the receiver answers 500 twice
		// to the forward (seq 2) and outwaits the first transfer (seq 3).
		e.clock.Set(time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		desk := e.as("desk.giolinh")
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Lê Văn Đất")})
		id, code := str(d, "receiveDossier", "id"), str(d, "receiveDossier", "code")
		rcv.failures[code+"/2"] = 2
		rcv.stall[code+"/3"] = true
		spec := e.as("cv.giolinh")
		env := e.token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.token("cv.thue", "000.00.40.H43", "SPECIALIST")
		// The dispatcher runs between transitions (retries move the clock
		// on by up to three hours).
		for _, f := range []struct {
			token, m string
			at       time.Time
		}{
			{desk, mForward, time.Date(2026, 11, 16, 10, 0, 0, 0, loc)},
			{spec, mTransfer, time.Date(2026, 11, 20, 10, 0, 0, 0, loc)},
			{env, mTransfer, time.Date(2026, 11, 24, 10, 0, 0, 0, loc)},
			{tax, mTransfer, time.Date(2026, 12, 3, 9, 0, 0, 0, loc)},
			{env, mReturn, time.Date(2026, 12, 4, 9, 0, 0, 0, loc)},
		} {
			e.fireAt(f.token, f.m, id, f.at)
			drain(t, e, e.app.hooks, time.Hour, 3)
		}

		if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(rcv.got["/all "+code], want) {
			t.Fatalf("seqs received = %v, want %v in order, each once", rcv.got["/all "+code], want)
		}
		if rcv.bad != 0 || rcv.attempts[code+"/2"] != 3 || rcv.attempts[code+"/3"] != 2 {
			t.Errorf("bad signatures %d; attempts of seq 2 = %d (want 3: two 500s), of seq 3 = %d (want 2: one timeout)", rcv.bad, rcv.attempts[code+"/2"], rcv.attempts[code+"/3"])
		}
		if got := rcv.types["/returns"]; !slices.Equal(got, []string{"RETURN"}) {
			t.Errorf("the RETURN-only webhook got %v", got)
		}
		last := rcv.bodies[len(rcv.bodies)-1]
		if last.Type != "dossier.return" || last.Data.State != "RETURNED" || last.Data.PortalStatus != 9 || last.Data.Event.Actor != "cv.moitruong" ||
			last.Data.Event.Agency != "000.00.17.H43" || len(last.Data.Legs) != 5 || last.Data.Legs[3].Judgement != "LATE" || last.Data.Legs[3].Agency != "000.00.40.H43" {
			t.Errorf("return message = %+v", last)
		}
		dl := e.mustDo(admin, `query($w: ID!) { webhookDeliveries(webhookID: $w, first: 10) { totalCount edges { node { seq state attempts lastStatus eventType dossierCode } } } }`,
			map[string]any{"w": str(all, "createWebhook", "webhook", "id")})
		if n := num(dl, "webhookDeliveries", "totalCount"); n != 6 {
			t.Errorf("deliveries = %d, want 6", n)
		}
		for _, edge := range get(dl, "webhookDeliveries", "edges").([]any) {
			n := get(edge, "node")
			if str(n, "state") != "DELIVERED" || (num(n, "seq") == 2) != (num(n, "attempts") == 3) {
				t.Errorf("delivery %v", n)
			}
		}

		// A dispatcher dies while the receiver holds a delivery: after its
		// lease runs out another instance delivers it, and what followed.
		e.fireAt(desk, `mutation($id: ID!) { completeDossier(id: $id) { state } }`, id, time.Date(2026, 12, 4, 14, 0, 0, 0, loc))
		rcv.stall[code+"/7"] = true
		crashed, crash := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = e.app.hooks.DispatchOnce(crashed)
		}()
		time.Sleep(webhookTimeout / 3)
		crash()
		<-done
		restarted := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true, Client: &http.Client{Timeout: webhookTimeout}, Keys: mustKeys(testWebhookKey)})
		drain(t, e, restarted, 0, 1)
		if len(rcv.got["/all "+code]) != 6 {
			t.Errorf("delivered while another instance held the lease: %v", rcv.got["/all "+code])
		}
		e.clock.Set(e.clock.Now().Add(2 * time.Minute))
		drain(t, e, restarted, 0, 1)
		if want := []int{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(rcv.got["/all "+code], want) {
			t.Errorf("after the restart: seqs %v, want %v", rcv.got["/all "+code], want)
		}

		// A receiver that never recovers: retried with backoff for 24
		// hours, then dead; redelivered once it is back.
		rcv.always["/all"] = http.StatusServiceUnavailable
		b := e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Nguyễn Văn An")})
		bcode := str(b, "receiveDossier", "code")
		drain(t, e, e.app.hooks, 2*time.Hour, 14)
		dead := e.mustDo(admin, `{ webhookDeliveries(state: DEAD, first: 5) { totalCount edges { node { id dossierCode attempts lastStatus lastError } } } }`, nil)
		node := get(dead, "webhookDeliveries", "edges", 0, "node")
		if num(dead, "webhookDeliveries", "totalCount") != 1 || str(node, "dossierCode") != bcode || num(node, "lastStatus") != 503 || num(node, "attempts") < 5 {
			t.Fatalf("dead deliveries = %v, want the birth dossier's receipt after several 503s", dead)
		}
		if a := rcv.attempts[bcode+"/1"]; a != num(node, "attempts") {
			t.Errorf("receiver saw %d attempts, the delivery records %d", a, num(node, "attempts"))
		}
		delete(rcv.always, "/all")
		e.mustDo(admin, `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { state } }`, map[string]any{"id": str(node, "id")})
		drain(t, e, e.app.hooks, 0, 1)
		if !slices.Equal(rcv.got["/all "+bcode], []int{1}) {
			t.Errorf("after redelivery: %v", rcv.got["/all "+bcode])
		}

		// Rotation: requests carry both signatures during the overlap, so
		// a receiver still on the old secret accepts them.
		rot := e.mustDo(admin, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": str(all, "createWebhook", "webhook", "id")})
		if str(rot, "rotateWebhookSecret", "secret") == rcv.secrets["/all"] {
			t.Fatal("rotation kept the secret")
		}
		e.fireAt(desk, mForward, str(b, "receiveDossier", "id"), e.clock.Now())
		drain(t, e, e.app.hooks, 0, 1)
		if rcv.bad != 0 || !slices.Equal(rcv.got["/all "+bcode], []int{1, 2}) {
			t.Errorf("after rotation, with the old secret: bad %d, seqs %v", rcv.bad, rcv.got["/all "+bcode])
		}
	})
}

// TestImportDossiers: the one-stop electronic system pushes a batch; each
// input gets its own answer, a bad one holds up none of the others, and a
// retry creates nothing twice.
func TestImportDossiers(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		motcua := e.as("motcua.system")
		before, err := e.app.db.Client.Dossier.Query().Count(auth.SystemContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		item := func(ext, proc string) map[string]any {
			in := birthInput("Trần Thị Bình")
			in["procedureCode"], in["deskAgencyCode"], in["source"], in["externalCode"] = proc, demo.CommuneA, "MOTCUA", ext
			return in
		}
		noCode := birthInput("Lê Văn Cường")
		noCode["deskAgencyCode"] = demo.CommuneA
		const m = `mutation($in: [ReceiveDossierInput!]!) { importDossiers(inputs: $in) { index status dossier { id code state } error { code detail field message } } }`
		batch := []map[string]any{item("MC-001", "1.001193"), item("MC-002", "9.999999"), noCode, item("MC-001", "1.001193"), item("MC-003", "1.001193")}
		if r := e.do(e.as("desk.giolinh"), m, map[string]any{"in": batch}); r.code() != "FORBIDDEN" {
			t.Errorf("a desk officer importing: %s, want FORBIDDEN", r.raw)
		}
		res := get(e.mustDo(motcua, m, map[string]any{"in": batch}), "importDossiers").([]any)
		want := []struct{ status, code, field string }{
			{"CREATED", "", ""}, {"ERROR", "BAD_USER_INPUT", "inputs[1].procedureCode"}, {"ERROR", "BAD_USER_INPUT", "inputs[2].externalCode"},
			{"EXISTED", "", ""}, {"CREATED", "", ""},
		}
		for i, w := range want {
			if s, c, f := str(res[i], "status"), str(res[i], "error", "code"), str(res[i], "error", "field"); s != w.status || c != w.code || f != w.field || num(res[i], "index") != i {
				t.Errorf("item %d = %v, want %s %s %s", i, res[i], w.status, w.code, w.field)
			}
		}
		if str(res[0], "dossier", "id") != str(res[3], "dossier", "id") || str(res[0], "dossier", "state") != "RECEIVED" {
			t.Errorf("the repeated MC-001 is a different dossier: %v / %v", res[0], res[3])
		}
		// A retry of the whole batch creates nothing; changed content is a conflict.
		again := get(e.mustDo(motcua, m, map[string]any{"in": batch[:1]}), "importDossiers").([]any)
		changed := item("MC-003", "1.001193")
		changed["applicant"] = map[string]any{"name": "Người khác", "idNumber": "045201000124"}
		conflict := get(e.mustDo(motcua, m, map[string]any{"in": []map[string]any{changed}}), "importDossiers").([]any)
		if str(again[0], "status") != "EXISTED" || str(conflict[0], "error", "code") != "CONFLICT" || str(conflict[0], "error", "detail") != "IDEMPOTENCY_MISMATCH" {
			t.Errorf("retry = %v, changed content = %v", again[0], conflict[0])
		}
		n, err := e.app.db.Client.Dossier.Query().Count(auth.SystemContext(t.Context()))
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
		if r := e.do(motcua, m, map[string]any{"in": big}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("501 inputs: %s, want BAD_USER_INPUT", r.raw)
		}

		// A clean batch of 120 is written 50 at a time, in bulk: two desks,
		// online submissions (no desk leg yet) among them, a webhook
		// subscribed. Everything a single intake writes is there.
		rcv := newReceiver(t)
		e.mustDo(e.as("admin"), `mutation($url: String!) { createWebhook(url: $url) { secret } }`, map[string]any{"url": rcv.srv.URL + "/all"})
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
		res = get(e.mustDo(motcua, m, map[string]any{"in": clean}), "importDossiers").([]any)
		states := map[string]int{}
		for i, r := range res {
			if str(r, "status") != "CREATED" {
				t.Fatalf("clean item %d: %v", i, r)
			}
			states[str(r, "dossier", "state")]++
		}
		if states["SUBMITTED"] != 30 || states["RECEIVED"] != 90 {
			t.Errorf("states %v, want 30 SUBMITTED and 90 RECEIVED", states)
		}
		var legs, deliveries int
		if err := e.app.db.SQL.QueryRow(`SELECT count(*) FROM legs l JOIN dossiers d ON d.id = l.dossier_id WHERE d.external_code LIKE 'BULK-%' AND l.role = 'DESK' AND l.agency_id = d.desk_agency_id`).Scan(&legs); err != nil {
			t.Fatal(err)
		}
		if err := e.app.db.SQL.QueryRow(`SELECT count(*) FROM webhook_deliveries`).Scan(&deliveries); err != nil {
			t.Fatal(err)
		}
		if legs != 90 || deliveries != 120 {
			t.Errorf("%d desk legs and %d webhook deliveries, want 90 and 120", legs, deliveries)
		}
		checkHistory(t, e, &acks{})
		checkRollups(t, e)
	})
}

// TestTrackDossier: an applicant looks their dossier up without a token;
// a wrong ID number answers exactly like an unknown code; no personal data
// is shown; lookups are limited per client address.
func TestTrackDossier(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		loc := testNow.Location()
		desk := e.as("desk.giolinh")
		e.clock.Set(time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": landInput("Lê Văn Đất")})
		id, code := str(d, "receiveDossier", "id"), str(d, "receiveDossier", "code")
		e.fireAt(desk, mForward, id, time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		const q = `query($c: String!, $n: String!) { trackDossier(code: $c, idNumber: $n) {
		  code procedure state portalStatus appointmentAt currentAgencies legs { agency role judgement finishedAt } } }`
		r := e.do("", q, map[string]any{"c": code, "n": "045201000999"})
		if len(r.Errors) > 0 {
			t.Fatal(string(r.raw))
		}
		tr := get(r.Data, "trackDossier")
		if str(tr, "state") != "PROCESSING" || num(tr, "portalStatus") != 4 || str(tr, "appointmentAt") != str(d, "receiveDossier", "appointmentAt") ||
			str(tr, "currentAgencies", 0) != "Ủy ban nhân dân xã Gio Linh" || str(tr, "legs", 0, "judgement") != "EARLY" || len(get(tr, "legs").([]any)) != 2 {
			t.Errorf("tracked = %v", tr)
		}
		if contains(string(r.raw), "Lê Văn Đất") || contains(string(r.raw), "045201000999") {
			t.Errorf("tracking shows personal data: %s", r.raw)
		}
		wrong := e.do("", q, map[string]any{"c": code, "n": "045201000998"})
		unknown := e.do("", q, map[string]any{"c": "000.20.01.H43-261116-9999", "n": "045201000999"})
		if string(wrong.raw) != string(unknown.raw) || get(wrong.Data, "trackDossier") != nil {
			t.Errorf("wrong ID number %s, unknown code %s: want the same null", wrong.raw, unknown.raw)
		}
		limited := 0
		for range 15 {
			if e.do("", q, map[string]any{"c": code, "n": "x"}).code() == "RATE_LIMITED" {
				limited++
			}
		}
		if limited == 0 {
			t.Error("18 lookups in a row from one address were all answered")
		}
	})
}

// wsClient speaks graphql-transport-ws over a real websocket.
type wsClient struct {
	t    *testing.T
	conn *coderws.Conn
}

func dialGraphQL(t *testing.T, url, token, origin string) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, _, err := coderws.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql", &coderws.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h,
	})
	if err != nil {
		return nil, err
	}
	c := &wsClient{t: t, conn: conn}
	t.Cleanup(func() { conn.CloseNow() })
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	if m, err := c.read(5 * time.Second); err != nil || m["type"] != "connection_ack" {
		return nil, fmt.Errorf("connection_init: %v %v", m, err)
	}
	return c, nil
}

func (c *wsClient) send(m map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(m)
	if err := c.conn.Write(c.t.Context(), coderws.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next message other than a ping.
func (c *wsClient) read(within time.Duration) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(c.t.Context(), within)
	defer cancel()
	for {
		_, b, err := c.conn.Read(ctx)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		if m["type"] == "ping" {
			c.send(map[string]any{"type": "pong"})
			continue
		}
		return m, nil
	}
}

// TestDossierEventsSubscription: a front-end subscribed over a websocket on
// one server instance receives the events recorded through another, scoped
// like queries; a bad token or a foreign origin is refused.
func TestDossierEventsSubscription(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		// Instance B: its own broker and handler on the same database.
		b := *e.app
		b.reg = prometheus.NewRegistry()
		b.feed = feed.New(e.app.db.Client, 20*time.Millisecond, nil)
		go b.feed.Run(t.Context())
		srvB := httptest.NewServer(b.routes(e.verifier))
		t.Cleanup(srvB.Close)
		time.Sleep(100 * time.Millisecond) // the broker has read its starting point

		const sub = `subscription($a: ID) { dossierEvents(agencyID: $a) { type seq dossier { code state } } }`
		communeA, err := dialGraphQL(t, srvB.URL, e.as("cv.giolinh"), "")
		if err != nil {
			t.Fatal(err)
		}
		communeA.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": sub}})
		communeB, err := dialGraphQL(t, srvB.URL, e.as("desk.dongha"), "")
		if err != nil {
			t.Fatal(err)
		}
		communeB.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": sub}})
		time.Sleep(100 * time.Millisecond)

		// Through instance A (the test's handler).
		desk := e.as("desk.giolinh")
		d := e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput("Phạm Thị Duyên")})
		code := str(d, "receiveDossier", "code")
		e.fireAt(desk, mForward, str(d, "receiveDossier", "id"), e.clock.Now().Add(time.Minute))
		for _, want := range []struct {
			typ string
			seq int
		}{{"RECEIVE", 1}, {"FORWARD", 2}} {
			m, err := communeA.read(5 * time.Second)
			if err != nil {
				t.Fatalf("waiting for %s: %v", want.typ, err)
			}
			ev := get(m, "payload", "data", "dossierEvents")
			if m["type"] != "next" || str(ev, "type") != want.typ || num(ev, "seq") != want.seq || str(ev, "dossier", "code") != code {
				t.Errorf("message = %v, want %s seq %d of %s", m, want.typ, want.seq, code)
			}
		}
		// Commune B's desk may not read commune A's dossier: nothing comes.
		if m, err := communeB.read(500 * time.Millisecond); err == nil {
			t.Errorf("commune B received %v", m)
		}

		// A bad token and a foreign origin are refused.
		if _, err := dialGraphQL(t, srvB.URL, "not-a-token", ""); err == nil {
			t.Error("a bad token was accepted")
		}
		if _, err := dialGraphQL(t, srvB.URL, desk, "https://evil.example"); err == nil {
			t.Error("a foreign origin was accepted")
		}
	})
}

// TestWebhookSecretsAtRest: with WEBHOOK_KEYS set, the database holds no
// webhook secret in clear. Reseal encrypts secrets stored before a key was
// set and moves them to a new first key; a dispatcher holding only the new
// key then signs with the current and the previous secret.
func TestWebhookSecretsAtRest(t *testing.T) {
	eachDB(t, true, func(t *testing.T, e *env) {
		const newKey = "bmV3LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchISE="
		db := e.app.db.SQL
		var srvURL string
		stored := func(path string) (secret, previous string) {
			t.Helper()
			var prev sql.NullString
			if err := db.QueryRow("SELECT secret, previous_secret FROM webhooks WHERE url = '"+srvURL+path+"'").Scan(&secret, &prev); err != nil {
				t.Fatal(err)
			}
			return secret, prev.String
		}
		var mu sync.Mutex
		var got []*http.Request
		var bodies [][]byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			got, bodies = append(got, r), append(bodies, body)
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)
		srvURL = srv.URL

		// Through the API: sealed.
		admin := e.as("admin")
		made := e.mustDo(admin, `mutation($url: String!) { createWebhook(url: $url) { secret } }`, map[string]any{"url": srv.URL + "/sealed"})
		secret := str(made, "createWebhook", "secret")
		if s, _ := stored("/sealed"); !strings.HasPrefix(s, "sealed1.") || strings.Contains(s, strings.TrimPrefix(secret, "whsec_")) {
			t.Errorf("stored secret %q: want it sealed", s)
		}

		// Made before any key was set: in clear, until Reseal.
		ctx := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		clear := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true})
		h, err := clear.Create(ctx, webhook.CreateInput{URL: srv.URL + "/old"})
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := stored("/old"); s != h.Secret {
			t.Fatalf("without keys: stored %q, want the secret in clear", s)
		}
		old := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true, Keys: mustKeys(testWebhookKey)})
		if n, err := old.Reseal(ctx); err != nil || n != 1 {
			t.Fatalf("Reseal with the first key = %d, %v; want the one clear secret", n, err)
		}
		first, _ := stored("/old")
		if !strings.HasPrefix(first, "sealed1.") {
			t.Fatalf("after Reseal: stored %q", first)
		}
		rotated, err := old.RotateSecret(ctx, h.Webhook.ID)
		if err != nil {
			t.Fatal(err)
		}

		// A new key put first: Reseal moves both secrets of both webhooks to it.
		both := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true, Keys: mustKeys(newKey + "," + testWebhookKey)})
		if n, err := both.Reseal(ctx); err != nil || n != 2 {
			t.Fatalf("Reseal with a new first key = %d, %v; want 2", n, err)
		}
		if n, err := both.Reseal(ctx); err != nil || n != 0 {
			t.Fatalf("second Reseal = %d, %v; want nothing to do", n, err)
		}
		s, prev := stored("/old")
		prefix := strings.SplitN(s, ".", 3)[1]
		if !strings.HasPrefix(prev, "sealed1."+prefix+".") || strings.HasPrefix(first, "sealed1."+prefix+".") {
			t.Fatalf("after the new key: secret %q, previous %q, first sealing %q", s, prev, first)
		}

		// Only the new key left: deliveries are signed with both secrets.
		e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": birthInput("Khoá mới")})
		fresh := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true, Keys: mustKeys(newKey), Client: &http.Client{Timeout: webhookTimeout}})
		drain(t, e, fresh, 0, 1)
		mu.Lock()
		defer mu.Unlock()
		var paths []string
		for i, r := range got {
			paths = append(paths, r.URL.Path)
			if r.URL.Path != "/old" {
				continue
			}
			for _, sec := range []string{h.Secret, rotated.Secret} {
				wh, err := standardwebhooks.NewWebhook(sec)
				if err != nil || wh.Verify(bodies[i], r.Header) != nil {
					t.Errorf("delivery to /old does not verify with %s…: %v", sec[:10], err)
				}
			}
		}
		slices.Sort(paths)
		if !slices.Equal(paths, []string{"/old", "/sealed"}) {
			t.Errorf("deliveries to %v, want /old and /sealed", paths)
		}

		// A dispatcher without the key cannot sign: the delivery fails and
		// is retried rather than sent unsigned.
		e.mustDo(e.as("desk.giolinh"), receiveMutation, map[string]any{"in": birthInput("Không khoá")})
		before := len(got)
		mu.Unlock()
		_, _ = clear.DispatchOnce(t.Context())
		mu.Lock()
		if len(got) != before {
			t.Errorf("a dispatcher without the key sent %d deliveries", len(got)-before)
		}
	})
}

// TestWebhookChangedElsewhere: a webhook created through another instance
// (a webhook service that does not tell this engine) gets the events
// recorded here once workflow.Config.CacheTTL has passed; one deleted
// there while this engine still holds it costs a transition nothing.
func TestWebhookChangedElsewhere(t *testing.T) {
	// The default CacheTTL, one second: long enough that the deletion
	// below always falls within it.
	eachDB(t, true, func(t *testing.T, e *env) {
		ctx := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		elsewhere := webhook.New(e.app.db.Client, webhook.Config{Clock: e.clock, AllowHTTP: true, Keys: mustKeys(testWebhookKey)})
		desk := e.as("desk.giolinh")
		receive := func(name string) (int, string) {
			t.Helper()
			d := e.mustDo(desk, receiveMutation, map[string]any{"in": birthInput(name)})
			id, err := strconv.Atoi(str(d, "receiveDossier", "id"))
			if err != nil {
				t.Fatal(err)
			}
			return id, str(d, "receiveDossier", "code")
		}
		deliveries := func(code string) int {
			t.Helper()
			n, err := e.app.db.Client.WebhookDelivery.Query().Where(webhookdelivery.DossierCode(code)).Count(auth.SystemContext(t.Context()))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		receive("Trước") // the engine reads the subscriptions: none
		h, err := elsewhere.Create(ctx, webhook.CreateInput{URL: "http://127.0.0.1:9/elsewhere"})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second + 100*time.Millisecond)
		_, code := receive("Sau")
		if n := deliveries(code); n != 1 {
			t.Fatalf("a dossier received once CacheTTL had passed since the webhook was made elsewhere: %d deliveries, want 1", n)
		}
		// Deleted elsewhere; this engine still publishes to it until
		// CacheTTL has passed: the refused delivery makes the transaction
		// run again on a fresh read.
		if err := elsewhere.Delete(ctx, h.Webhook.ID); err != nil {
			t.Fatal(err)
		}
		id, code := receive("Sau khi xoá")
		if n := deliveries(code); n != 0 {
			t.Errorf("after the webhook was deleted: %d deliveries, want 0", n)
		}
		msgs, err := e.app.db.Client.OutboxMessage.Query().Where(outboxmessage.DossierID(id)).Count(auth.SystemContext(t.Context()))
		if err != nil || msgs != 1 {
			t.Errorf("outbound messages of %s = %d, %v; want 1", code, msgs, err)
		}
	})
}
