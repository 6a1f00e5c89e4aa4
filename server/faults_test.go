package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server/servertest"
	"lienthong/webhook"
)

// childEnv, set in a child's environment, makes the test binary run the
// server's main with these arguments instead of the tests: the fault tests
// start real server processes, kill them and restart them.
const childEnv = "LIENTHONG_TEST_CHILD"

// instance is a server process started by a test.
type instance struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	log  string
	done chan struct{}
}

// startInstance runs the server on dbURL with production settings (plus
// extra environment) and waits until it is ready.
func startInstance(t *testing.T, dbURL string, extra ...string) *instance {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logFile, err := os.CreateTemp(t.TempDir(), "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"=serve", "LIENTHONG_DEV=", "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr,
		"AUTH_HS256_SECRET="+servertest.Secret, "WEBHOOK_KEYS="+servertest.WebhookKey,
		"WEBHOOK_ALLOW_NETWORKS="+servertest.WebhookAllowNetworks, "SWEEP_INTERVAL=0", "WEBHOOK_POLL_INTERVAL=0")
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, cmd: cmd, base: "http://" + addr, log: logFile.Name(), done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(in.done)
	}()
	t.Cleanup(in.stop)
	if !in.waitReady(30 * time.Second) {
		in.kill()
		t.Fatalf("the server did not become ready; its log:\n%s", in.logs())
	}
	return in
}

// ready reports whether /readyz answers 200.
func (in *instance) ready() bool {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(in.base + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (in *instance) waitReady(within time.Duration) bool {
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		select {
		case <-in.done:
			return false
		default:
		}
		if in.ready() {
			return true
		}
	}
	return false
}

// kill ends the process with SIGKILL: no shutdown, no flush.
func (in *instance) kill() {
	_ = in.cmd.Process.Kill()
	<-in.done
}

// stop ends the process with SIGTERM, as an orchestrator does.
func (in *instance) stop() {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(20 * time.Second):
		in.kill()
	}
}

func (in *instance) logs() string {
	b, _ := os.ReadFile(in.log)
	return string(b)
}

// drive runs workers that each take birth registrations through receive,
// forward, return and complete, each step on the next of bases in turn,
// until ctx ends. A failed step abandons that dossier (its outcome is
// unknown: the server may have committed it before failing to answer).
func drive(ctx context.Context, e *servertest.Env, bases []string, workers int, a *servertest.Acks) *sync.WaitGroup {
	desk, spec := e.As("desk.giolinh"), e.As("cv.giolinh")
	steps := []struct{ token, query string }{
		{desk, servertest.Forward},
		{spec, servertest.Return},
		{desk, `mutation($id: ID!) { completeDossier(id: $id) { state } }`},
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			turn := w
			next := func() string { turn++; return bases[turn%len(bases)] }
			for n := 0; ctx.Err() == nil; n++ {
				data, err := servertest.Post(next(), desk, servertest.Receive, map[string]any{"in": servertest.BirthInput(fmt.Sprintf("Tải %d-%d", w, n))})
				if err != nil {
					a.Failed.Add(1)
					time.Sleep(20 * time.Millisecond)
					continue
				}
				id, _ := strconv.Atoi(servertest.Str(data, "receiveDossier", "id"))
				a.Add(id, servertest.Str(data, "receiveDossier", "state"))
				for _, s := range steps {
					if ctx.Err() != nil {
						return
					}
					data, err := servertest.Post(next(), s.token, s.query, map[string]any{"id": strconv.Itoa(id)})
					if err != nil {
						a.Failed.Add(1)
						break
					}
					for _, v := range data {
						a.Add(id, servertest.Str(v, "state"))
					}
				}
			}
		})
	}
	return &wg
}

// TestCrashRecovery: a server killed with SIGKILL in the middle of a load
// run loses nothing it acknowledged and leaves nothing half-written: after
// a restart every dossier is consistent, every committed transition has
// its outbound message, codes have no gap, and work goes on.
func TestCrashRecovery(t *testing.T) {
	for name, url := range servertest.Databases(t) {
		t.Run(name, func(t *testing.T) {
			dbURL := url(t)
			e := servertest.New(t, dbURL, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: 12}})
			first := startInstance(t, dbURL)
			var a servertest.Acks
			ctx, cancel := context.WithCancel(t.Context())
			wg := drive(ctx, e, []string{first.base}, 8, &a)
			a.WaitFor(60, 20*time.Second)
			first.kill()
			cancel()
			wg.Wait()
			if a.N() < 60 {
				t.Fatalf("only %d transitions acknowledged before the kill; server log:\n%s", a.N(), first.logs())
			}
			e.CheckHistory(t, &a)

			second := startInstance(t, dbURL)
			before := a.N()
			ctx, cancel = context.WithCancel(t.Context())
			wg = drive(ctx, e, []string{second.base}, 4, &a)
			a.WaitFor(before+20, 20*time.Second)
			cancel()
			wg.Wait()
			if a.N() < before+20 {
				t.Fatalf("after the restart: %d transitions", a.N()-before)
			}
			e.CheckHistory(t, &a)
		})
	}
}

// proxy stands between a server and PostgreSQL; cut drops every
// connection and refuses new ones, as a database restart does.
type proxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: target}
	t.Cleanup(func() { l.Close(); p.cut() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// TestDatabaseOutage: PostgreSQL goes away under load (every connection
// dropped, new ones refused, as in a restart). The server reports not
// ready while it is away and recovers by itself when it is back; nothing
// acknowledged is lost.
func TestDatabaseOutage(t *testing.T) {
	base := servertest.PostgresBase(t)
	dbURL := servertest.FreshPostgres(t, base)
	e := servertest.New(t, dbURL, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: 12}})
	u, _ := url.Parse(dbURL)
	p := newProxy(t, u.Host)
	u.Host = p.l.Addr().String()
	in := startInstance(t, u.String())

	var a servertest.Acks
	ctx, cancel := context.WithCancel(t.Context())
	wg := drive(ctx, e, []string{in.base}, 6, &a)
	a.WaitFor(30, 20*time.Second)
	p.cut()
	sawNotReady := false
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if !in.ready() {
			sawNotReady = true
		}
	}
	if !sawNotReady {
		t.Error("/readyz answered ready while the database was away")
	}
	duringOutage := a.N()
	p.restore()
	if !in.waitReady(30 * time.Second) {
		t.Fatalf("not ready 30 s after the database came back; log:\n%s", in.logs())
	}
	a.WaitFor(duringOutage+30, 20*time.Second)
	cancel()
	wg.Wait()
	if a.N() < duringOutage+30 {
		t.Fatalf("after the database came back: %d transitions", a.N()-duringOutage)
	}
	if a.Failed.Load() == 0 {
		t.Error("no request failed during the outage: was the database really away?")
	}
	e.CheckHistory(t, &a)
}

// TestTwoInstances: two servers share one PostgreSQL under load, every
// mutation alternating between them. Dossier codes stay unique and
// gapless; both sweepers run but each overdue leg is recorded once; each
// outbound event reaches the webhook (at least once, with a stable id to
// deduplicate by); and a subscriber on either instance sees every event.
func TestTwoInstances(t *testing.T) {
	base := servertest.PostgresBase(t)
	dbURL := servertest.FreshPostgres(t, base)
	e := servertest.New(t, dbURL, servertest.Options{Demo: &demo.Options{Now: servertest.Now, Dossiers: 12}})

	// A webhook receiver that checks signatures and counts by webhook-id.
	var mu sync.Mutex
	received := map[string]int{}
	var badSignatures int
	var secret string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil || wh.Verify(body, r.Header) != nil {
			badSignatures++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		received[r.Header.Get("webhook-id")]++
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rcv.Close)
	admin := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
	h, err := e.App.Hooks.Create(admin, webhook.CreateInput{URL: rcv.URL + "/events"})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	secret = h.Secret
	mu.Unlock()

	// The demo's open legs fell due days ago by the servers' clock: both
	// sweepers find them.
	extra := []string{"SWEEP_INTERVAL=150ms", "WEBHOOK_POLL_INTERVAL=100ms"}
	one, two := startInstance(t, dbURL, extra...), startInstance(t, dbURL, extra...)

	type seen struct {
		mu   sync.Mutex
		keys map[string]bool
	}
	subscribe := func(in *instance) *seen {
		s := &seen{keys: map[string]bool{}}
		c, err := servertest.DialWS(t, in.base, e.As("analyst"), "")
		if err != nil {
			t.Fatal(err)
		}
		c.Send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
			"query": `subscription { dossierEvents { seq dossier { code } } }`}})
		go func() {
			for {
				m, err := c.Read(time.Minute)
				if err != nil {
					return
				}
				ev := servertest.Get(m, "payload", "data", "dossierEvents")
				s.mu.Lock()
				s.keys[servertest.Str(ev, "dossier", "code")+"/"+strconv.Itoa(servertest.Num(ev, "seq"))] = true
				s.mu.Unlock()
			}
		}()
		return s
	}
	subs := []*seen{subscribe(one), subscribe(two)}
	time.Sleep(500 * time.Millisecond)
	var since int
	if err := e.App.DB.SQL.QueryRow(`SELECT coalesce(max(id), 0) FROM outbox_messages`).Scan(&since); err != nil {
		t.Fatal(err)
	}

	var a servertest.Acks
	ctx, cancel := context.WithCancel(t.Context())
	wg := drive(ctx, e, []string{one.base, two.base}, 8, &a)
	a.WaitFor(150, 30*time.Second)
	cancel()
	wg.Wait()
	if a.N() < 150 {
		t.Fatalf("only %d transitions through two instances", a.N())
	}
	e.CheckHistory(t, &a)

	// Every delivery done, each message received.
	var pending, deliveries int
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM webhook_deliveries WHERE state <> 'DELIVERED'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
	}
	if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM webhook_deliveries`).Scan(&deliveries); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	distinct, duplicates := len(received), 0
	for _, n := range received {
		duplicates += n - 1
	}
	mu.Unlock()
	if pending != 0 || distinct != deliveries || badSignatures != 0 {
		t.Errorf("webhook: %d deliveries, %d not delivered, %d distinct messages received, %d bad signatures", deliveries, pending, distinct, badSignatures)
	}

	// The sweepers of both instances: each overdue leg recorded once.
	var overdue, twice int
	if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM dossier_events WHERE type = 'OVERDUE'`).Scan(&overdue); err != nil {
		t.Fatal(err)
	}
	if err := e.App.DB.SQL.QueryRow(`SELECT count(*) FROM (SELECT dossier_id, leg_id FROM dossier_events WHERE type = 'OVERDUE' GROUP BY dossier_id, leg_id HAVING count(*) > 1) d`).Scan(&twice); err != nil {
		t.Fatal(err)
	}
	if overdue == 0 || twice != 0 {
		t.Errorf("OVERDUE events: %d, recorded more than once for %d legs", overdue, twice)
	}

	// Both subscribers saw every event since they subscribed.
	rows, err := e.App.DB.SQL.Query(`SELECT d.code, o.seq FROM outbox_messages o JOIN dossiers d ON d.id = o.dossier_id WHERE o.id > $1`, since)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		var code string
		var seq int
		if err := rows.Scan(&code, &seq); err != nil {
			t.Fatal(err)
		}
		want = append(want, code+"/"+strconv.Itoa(seq))
	}
	rows.Close()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		missing := 0
		for _, s := range subs {
			s.mu.Lock()
			for _, k := range want {
				if !s.keys[k] {
					missing++
				}
			}
			s.mu.Unlock()
		}
		if missing == 0 {
			break
		}
	}
	for i, s := range subs {
		s.mu.Lock()
		var missing []string
		for _, k := range want {
			if !s.keys[k] {
				missing = append(missing, k)
			}
		}
		s.mu.Unlock()
		if len(missing) > 0 {
			t.Errorf("subscriber on instance %d missed %d of %d events, e.g. %v", i+1, len(missing), len(want), missing[:min(5, len(missing))])
		}
	}
	t.Logf("%d transitions, %d events to subscribers, %d webhook messages (%d duplicates), %d OVERDUE", a.N(), len(want), distinct, duplicates, overdue)
}
