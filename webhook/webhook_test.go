package webhook_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"lienthong/auth"
	"lienthong/ent/outboxmessage"
	"lienthong/ent/webhookdelivery"
	"lienthong/server/servertest"
	"lienthong/webhook"
)

// drain runs the dispatcher until nothing is due, moving the clock by step
// between rounds, at most rounds times.
func drain(t *testing.T, e *servertest.Env, svc *webhook.Service, step time.Duration, rounds int) {
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
		e.Clock.Set(e.Clock.Now().Add(step))
	}
}

// TestWebhooks: every event reaches a subscribed receiver signed, in order
// per dossier, after 500 answers and timeouts, and after a dispatcher dies
// holding a delivery; a receiver that never recovers is dead-lettered after
// 24 hours and can be redelivered.
func TestWebhooks(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		rcv := servertest.NewReceiver(t)
		admin := e.As("admin")
		const create = `mutation($url: String!, $types: [DossierEventType!]) { createWebhook(url: $url, eventTypes: $types) { secret webhook { id url eventTypes paused } } }`
		if r := e.Do(e.As("desk.giolinh"), create, map[string]any{"url": rcv.Srv.URL + "/all"}); r.Code() != "FORBIDDEN" {
			t.Errorf("a desk officer creating a webhook: %s, want FORBIDDEN", r.Raw)
		}
		if r := e.Do(admin, create, map[string]any{"url": "ftp://example.org/x"}); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("an ftp URL: %s, want BAD_USER_INPUT", r.Raw)
		}
		all := e.MustDo(admin, create, map[string]any{"url": rcv.Srv.URL + "/all"})
		returns := e.MustDo(admin, create, map[string]any{"url": rcv.Srv.URL + "/returns", "types": []string{"RETURN"}})
		rcv.Secrets["/all"] = servertest.Str(all, "createWebhook", "secret")
		rcv.Secrets["/returns"] = servertest.Str(returns, "createWebhook", "secret")
		if s := rcv.Secrets["/all"]; len(s) < 40 || s[:6] != "whsec_" {
			t.Fatalf("secret = %q, want whsec_ and a base64 key", s)
		}
		if ws := e.MustDo(admin, `{ webhooks { id url } }`, nil); len(servertest.Get(ws, "webhooks").([]any)) != 2 {
			t.Errorf("webhooks = %v, want 2", ws)
		}

		// A land dossier through its route; the receiver answers 500 twice
		// to the forward (seq 2) and outwaits the first transfer (seq 3).
		e.Clock.Set(time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Lê Văn Đất")})
		id, code := servertest.Str(d, "receiveDossier", "id"), servertest.Str(d, "receiveDossier", "code")
		rcv.Failures[code+"/2"] = 2
		rcv.Stall[code+"/3"] = true
		spec := e.As("cv.giolinh")
		env := e.Token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.Token("cv.thue", "000.00.40.H43", "SPECIALIST")
		// The dispatcher runs between transitions (retries move the clock
		// on by up to three hours).
		for _, f := range []struct {
			token, m string
			at       time.Time
		}{
			{desk, servertest.Forward, time.Date(2026, 11, 16, 10, 0, 0, 0, loc)},
			{spec, servertest.Transfer, time.Date(2026, 11, 20, 10, 0, 0, 0, loc)},
			{env, servertest.Transfer, time.Date(2026, 11, 24, 10, 0, 0, 0, loc)},
			{tax, servertest.Transfer, time.Date(2026, 12, 3, 9, 0, 0, 0, loc)},
			{env, servertest.Return, time.Date(2026, 12, 4, 9, 0, 0, 0, loc)},
		} {
			e.FireAt(f.token, f.m, id, f.at)
			drain(t, e, e.App.Hooks, time.Hour, 3)
		}

		if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(rcv.Got["/all "+code], want) {
			t.Fatalf("seqs received = %v, want %v in order, each once", rcv.Got["/all "+code], want)
		}
		if rcv.Bad != 0 || rcv.Attempts[code+"/2"] != 3 || rcv.Attempts[code+"/3"] != 2 {
			t.Errorf("bad signatures %d; attempts of seq 2 = %d (want 3: two 500s), of seq 3 = %d (want 2: one timeout)", rcv.Bad, rcv.Attempts[code+"/2"], rcv.Attempts[code+"/3"])
		}
		if got := rcv.Types["/returns"]; !slices.Equal(got, []string{"RETURN"}) {
			t.Errorf("the RETURN-only webhook got %v", got)
		}
		last := rcv.Bodies[len(rcv.Bodies)-1]
		if last.Type != "dossier.return" || last.Data.State != "RETURNED" || last.Data.PortalStatus != 9 || last.Data.Event.Actor != "cv.moitruong" ||
			last.Data.Event.Agency != "000.00.17.H43" || len(last.Data.Legs) != 5 || last.Data.Legs[3].Judgement != "LATE" || last.Data.Legs[3].Agency != "000.00.40.H43" {
			t.Errorf("return message = %+v", last)
		}
		dl := e.MustDo(admin, `query($w: ID!) { webhookDeliveries(webhookID: $w, first: 10) { totalCount edges { node { seq state attempts lastStatus eventType dossierCode } } } }`,
			map[string]any{"w": servertest.Str(all, "createWebhook", "webhook", "id")})
		if n := servertest.Num(dl, "webhookDeliveries", "totalCount"); n != 6 {
			t.Errorf("deliveries = %d, want 6", n)
		}
		for _, edge := range servertest.Get(dl, "webhookDeliveries", "edges").([]any) {
			n := servertest.Get(edge, "node")
			if servertest.Str(n, "state") != "DELIVERED" || (servertest.Num(n, "seq") == 2) != (servertest.Num(n, "attempts") == 3) {
				t.Errorf("delivery %v", n)
			}
		}

		// A dispatcher dies while the receiver holds a delivery: after its
		// lease runs out another instance delivers it, and what followed.
		e.FireAt(desk, `mutation($id: ID!) { completeDossier(id: $id) { state } }`, id, time.Date(2026, 12, 4, 14, 0, 0, 0, loc))
		rcv.Stall[code+"/7"] = true
		crashed, crash := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = e.App.Hooks.DispatchOnce(crashed)
		}()
		time.Sleep(servertest.WebhookTimeout / 3)
		crash()
		<-done
		restarted := webhook.New(e.App.DB.Client, e.WebhookConfig())
		drain(t, e, restarted, 0, 1)
		if len(rcv.Got["/all "+code]) != 6 {
			t.Errorf("delivered while another instance held the lease: %v", rcv.Got["/all "+code])
		}
		e.Clock.Set(e.Clock.Now().Add(2 * time.Minute))
		drain(t, e, restarted, 0, 1)
		if want := []int{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(rcv.Got["/all "+code], want) {
			t.Errorf("after the restart: seqs %v, want %v", rcv.Got["/all "+code], want)
		}

		// A receiver that never recovers: retried with backoff for 24
		// hours, then dead; redelivered once it is back.
		rcv.Always["/all"] = http.StatusServiceUnavailable
		b := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Nguyễn Văn An")})
		bcode := servertest.Str(b, "receiveDossier", "code")
		drain(t, e, e.App.Hooks, 2*time.Hour, 14)
		dead := e.MustDo(admin, `{ webhookDeliveries(state: DEAD, first: 5) { totalCount edges { node { id dossierCode attempts lastStatus lastError } } } }`, nil)
		node := servertest.Get(dead, "webhookDeliveries", "edges", 0, "node")
		if servertest.Num(dead, "webhookDeliveries", "totalCount") != 1 || servertest.Str(node, "dossierCode") != bcode || servertest.Num(node, "lastStatus") != 503 || servertest.Num(node, "attempts") < 5 {
			t.Fatalf("dead deliveries = %v, want the birth dossier's receipt after several 503s", dead)
		}
		if a := rcv.Attempts[bcode+"/1"]; a != servertest.Num(node, "attempts") {
			t.Errorf("receiver saw %d attempts, the delivery records %d", a, servertest.Num(node, "attempts"))
		}
		delete(rcv.Always, "/all")
		e.MustDo(admin, `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { state } }`, map[string]any{"id": servertest.Str(node, "id")})
		drain(t, e, e.App.Hooks, 0, 1)
		if !slices.Equal(rcv.Got["/all "+bcode], []int{1}) {
			t.Errorf("after redelivery: %v", rcv.Got["/all "+bcode])
		}

		// Rotation: requests carry both signatures during the overlap, so
		// a receiver still on the old secret accepts them.
		rot := e.MustDo(admin, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, map[string]any{"id": servertest.Str(all, "createWebhook", "webhook", "id")})
		if servertest.Str(rot, "rotateWebhookSecret", "secret") == rcv.Secrets["/all"] {
			t.Fatal("rotation kept the secret")
		}
		e.FireAt(desk, servertest.Forward, servertest.Str(b, "receiveDossier", "id"), e.Clock.Now())
		drain(t, e, e.App.Hooks, 0, 1)
		if rcv.Bad != 0 || !slices.Equal(rcv.Got["/all "+bcode], []int{1, 2}) {
			t.Errorf("after rotation, with the old secret: bad %d, seqs %v", rcv.Bad, rcv.Got["/all "+bcode])
		}
	})
}

// TestWebhookSecretsAtRest: with WEBHOOK_KEYS set, the database holds no
// webhook secret in clear. Reseal encrypts secrets stored before a key was
// set and moves them to a new first key; a dispatcher holding only the new
// key then signs with the current and the previous secret.
func TestWebhookSecretsAtRest(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		const newKey = "bmV3LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchISE="
		db := e.App.DB.SQL
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
		admin := e.As("admin")
		made := e.MustDo(admin, `mutation($url: String!) { createWebhook(url: $url) { secret } }`, map[string]any{"url": srv.URL + "/sealed"})
		secret := servertest.Str(made, "createWebhook", "secret")
		if s, _ := stored("/sealed"); !strings.HasPrefix(s, "sealed1.") || strings.Contains(s, strings.TrimPrefix(secret, "whsec_")) {
			t.Errorf("stored secret %q: want it sealed", s)
		}

		// Made before any key was set: in clear, until Reseal.
		ctx := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		cfg := e.WebhookConfig()
		cfg.Keys = nil
		clear := webhook.New(e.App.DB.Client, cfg)
		h, err := clear.Create(ctx, webhook.CreateInput{URL: srv.URL + "/old"})
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := stored("/old"); s != h.Secret {
			t.Fatalf("without keys: stored %q, want the secret in clear", s)
		}
		old := webhook.New(e.App.DB.Client, e.WebhookConfig())
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
		cfg.Keys = servertest.MustKeys(newKey + "," + servertest.WebhookKey)
		both := webhook.New(e.App.DB.Client, cfg)
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
		e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Khoá mới")})
		cfg.Keys = servertest.MustKeys(newKey)
		fresh := webhook.New(e.App.DB.Client, cfg)
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
		e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.BirthInput("Không khoá")})
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
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		ctx := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		elsewhere := webhook.New(e.App.DB.Client, e.WebhookConfig())
		desk := e.As("desk.giolinh")
		receive := func(name string) (int, string) {
			t.Helper()
			d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput(name)})
			id, err := strconv.Atoi(servertest.Str(d, "receiveDossier", "id"))
			if err != nil {
				t.Fatal(err)
			}
			return id, servertest.Str(d, "receiveDossier", "code")
		}
		deliveries := func(code string) int {
			t.Helper()
			n, err := e.App.DB.Client.WebhookDelivery.Query().Where(webhookdelivery.DossierCode(code)).Count(auth.SystemContext(t.Context()))
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
		msgs, err := e.App.DB.Client.OutboxMessage.Query().Where(outboxmessage.DossierID(id)).Count(auth.SystemContext(t.Context()))
		if err != nil || msgs != 1 {
			t.Errorf("outbound messages of %s = %d, %v; want 1", code, msgs, err)
		}
	})
}
