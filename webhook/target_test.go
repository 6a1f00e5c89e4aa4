package webhook_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/ent/webhookdelivery"
	"lienthong/problem"
	"lienthong/server"
	"lienthong/server/servertest"
	"lienthong/webhook"
)

// fakeDNS answers from a table, and any other name with a public address
// (as a resolver that lies, or a wildcard record, would): a name the
// webhook package must not ask about is refused only if it knows better.
type fakeDNS struct {
	mu    sync.Mutex
	names map[string][]netip.Addr
}

var public = netip.MustParseAddr("14.160.0.1") // a public address (VNPT)

func (f *fakeDNS) set(host string, addrs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names[host] = nil
	for _, a := range addrs {
		f.names[host] = append(f.names[host], netip.MustParseAddr(a))
	}
}

func (f *fakeDNS) resolve(_ context.Context, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	addrs, ok := f.names[host]
	switch {
	case !ok:
		return []netip.Addr{public}, nil
	case len(addrs) == 0:
		return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.0.0.53:53", IsNotFound: true}
	}
	return addrs, nil
}

func newDNS() *fakeDNS {
	f := &fakeDNS{names: map[string][]netip.Addr{}}
	f.set("receiver.quangtri.gov.vn", "14.160.0.2", "2001:ee0::2")
	f.set("inside.quangtri.gov.vn", "192.168.1.10")
	f.set("mixed.quangtri.gov.vn", "14.160.0.3", "10.0.0.7")
	f.set("missing.quangtri.gov.vn")
	return f
}

// TestWebhookTargets: registration refuses a URL whose host is, or
// resolves to, an internal address, however it is spelt, with
// BAD_USER_INPUT on url and a message naming no resolved address; public
// receivers are accepted; WEBHOOK_ALLOW_NETWORKS lets exactly the networks
// it names through, dev mode loopback too, and a malformed list stops the
// server from starting.
func TestWebhookTargets(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		admin := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		dns := newDNS()
		strict := e.WebhookConfig() // plain http accepted, to test the addresses alone
		strict.AllowNetworks = nil  // production's default
		strict.Resolve = dns.resolve
		svc := webhook.New(e.App.DB.Client, strict)

		refused := []string{
			"http://127.0.0.1/", "http://127.8.9.10:8080/x", "http://[::1]/", "http://0.0.0.0/", "http://[::]/",
			"http://localhost:8080/", "http://LOCALHOST./", "http://app.localhost/",
			"http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/meta-data/",
			"http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/",
			"http://metadata.google.internal/computeMetadata/v1/", "http://metadata.goog/",
			"http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.254/", "http://192.168.1.1/",
			"http://100.100.100.200/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/",
			"http://[fe80::1%25eth0]/", "http://224.0.0.1/",
			"http://0x7f000001/", "http://2130706433/", "http://0177.0.0.1/", "http://127.1/", "http://0x7f.0.0.1/",
			"https://inside.quangtri.gov.vn/hook", "https://mixed.quangtri.gov.vn/hook", "https://missing.quangtri.gov.vn/hook",
		}
		for _, u := range refused {
			_, err := svc.Create(admin, webhook.CreateInput{URL: u})
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Code != problem.CodeBadUserInput || pe.Field != "url" {
				t.Errorf("%s: %v, want BAD_USER_INPUT on url", u, err)
				continue
			}
			if strings.Contains(pe.Message, "192.168.1.10") || strings.Contains(pe.Message, "10.0.0.7") || strings.Contains(pe.Message, "10.0.0.53") {
				t.Errorf("%s: the message %q names what the host resolved to", u, pe.Message)
			}
		}
		for _, u := range []string{"https://14.160.0.1/hook", "https://[2001:ee0::1]/hook", "https://172.32.0.1/", "https://receiver.quangtri.gov.vn/hook", "http://receiver.quangtri.gov.vn:8080/hook"} {
			if _, err := svc.Create(admin, webhook.CreateInput{URL: u}); err != nil {
				t.Errorf("%s: %v, want it accepted", u, err)
			}
		}

		// Through the API, with a clear message.
		r := e.Do(e.As("admin"), `mutation($url: String!) { createWebhook(url: $url) { secret } }`, map[string]any{"url": "https://192.168.1.1/hook"})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "url" || !strings.Contains(r.Errors[0].Message, "internal address") {
			t.Errorf("createWebhook to a private address: %s", r.Raw)
		}

		// The allow-list: exactly its networks.
		allow, err := webhook.ParseNetworks(" 10.20.0.0/16, 192.168.5.7 ,fd00:5::/32")
		if err != nil {
			t.Fatal(err)
		}
		listed := strict
		listed.AllowNetworks = allow
		svc = webhook.New(e.App.DB.Client, listed)
		for u, ok := range map[string]bool{
			"http://10.20.1.2/": true, "http://192.168.5.7/": true, "http://[fd00:5::9]/": true, "http://[::ffff:10.20.0.1]/": true,
			"http://10.21.0.1/": false, "http://192.168.5.8/": false, "http://[fd00:6::9]/": false, "http://127.0.0.1/": false, "http://169.254.169.254/": false,
		} {
			if _, err := svc.Create(admin, webhook.CreateInput{URL: u}); (err == nil) != ok {
				t.Errorf("with %v allowed, %s: %v", allow, u, err)
			}
		}
		for _, bad := range []string{"10.0.0.0/33", "intranet", "::ffff:10.0.0.0/104", "fe80::1%eth0"} {
			if _, err := webhook.ParseNetworks(bad); err == nil {
				t.Errorf("ParseNetworks(%q) accepted", bad)
			}
		}
	})

	// The server's configuration: strict by default, loopback in dev mode,
	// the allow-list from WEBHOOK_ALLOW_NETWORKS, and a malformed one
	// refused at start.
	admin := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
	for _, c := range []struct {
		dev                 bool
		allow               string
		loopback, allowed10 bool
	}{{false, "", false, false}, {true, "", true, false}, {false, "10.20.0.0/16", false, true}} {
		t.Setenv("LIENTHONG_DEV", map[bool]string{true: "1"}[c.dev])
		t.Setenv("WEBHOOK_ALLOW_NETWORKS", c.allow)
		cfg := server.FromEnv()
		cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "config.db")
		a, err := server.Open(t.Context(), cfg, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Hooks.Create(admin, webhook.CreateInput{URL: "https://127.0.0.1:9/hook"})
		if (err == nil) != c.loopback {
			t.Errorf("dev %v, allow %q: https://127.0.0.1:9/hook: %v", c.dev, c.allow, err)
		}
		_, err = a.Hooks.Create(admin, webhook.CreateInput{URL: "https://10.20.0.5/hook"})
		if (err == nil) != c.allowed10 {
			t.Errorf("dev %v, allow %q: https://10.20.0.5/hook: %v", c.dev, c.allow, err)
		}
		a.Close()
	}
	cfg := servertest.Config("sqlite://" + filepath.Join(t.TempDir(), "bad.db"))
	cfg.WebhookAllowNetworks = "10.20.0.0/16,intranet"
	if a, err := server.Open(t.Context(), cfg, server.Options{}); err == nil || !strings.Contains(err.Error(), "WEBHOOK_ALLOW_NETWORKS") {
		t.Errorf("a malformed WEBHOOK_ALLOW_NETWORKS: %v, want the server refusing to start", err)
		if a != nil {
			a.Close()
		}
	}
}

// TestWebhookConnections: the dispatcher checks the address it connects
// to, so a host that resolved to a public address at registration and to
// loopback since (DNS rebinding), or a webhook stored before these checks,
// reaches nothing; a redirect is not followed but recorded as a failed
// attempt with its status and retried; and lastError, which every
// administrator reads, names no address.
func TestWebhookConnections(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		admin := auth.NewContext(t.Context(), &auth.Viewer{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
		sys := auth.SystemContext(t.Context())
		rcv := servertest.NewReceiver(t)
		_, port, _ := net.SplitHostPort(rcv.Srv.Listener.Addr().String())
		dns := newDNS()
		strict := e.WebhookConfig()
		strict.AllowNetworks = nil
		strict.Resolve = dns.resolve
		dispatcher := webhook.New(e.App.DB.Client, strict)

		// Public at registration, loopback, where the receiver listens,
		// since; and one stored by an instance that allowed loopback.
		rebound, err := dispatcher.Create(admin, webhook.CreateInput{URL: "http://rebind.quangtri.gov.vn:" + port + "/rebind"})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := e.App.Hooks.Create(admin, webhook.CreateInput{URL: rcv.Srv.URL + "/stored"})
		if err != nil {
			t.Fatal(err)
		}
		rcv.Mu.Lock()
		rcv.Secrets["/rebind"], rcv.Secrets["/stored"] = rebound.Secret, stored.Secret
		rcv.Mu.Unlock()
		dns.set("rebind.quangtri.gov.vn", "127.0.0.1")
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Đổi địa chỉ")})
		if n, err := dispatcher.DispatchOnce(t.Context()); err != nil || n != 2 {
			t.Fatalf("DispatchOnce = %d, %v; want the two deliveries attempted", n, err)
		}
		rcv.Mu.Lock()
		if len(rcv.Attempts) != 0 || rcv.Bad != 0 {
			t.Errorf("the receiver on loopback got %v (and %d refused)", rcv.Attempts, rcv.Bad)
		}
		rcv.Mu.Unlock()
		lastError := func(webhookID int) (string, *int, webhookdelivery.State, int) {
			t.Helper()
			del, err := e.App.DB.Client.WebhookDelivery.Query().Where(webhookdelivery.WebhookID(webhookID)).Only(sys)
			if err != nil {
				t.Fatal(err)
			}
			return del.LastError, del.LastStatus, del.State, del.Attempts
		}
		for _, h := range []*webhook.Secret{rebound, stored} {
			msg, status, state, attempts := lastError(h.Webhook.ID)
			if msg != "address not allowed" || status != nil || state != webhookdelivery.StatePending || attempts != 1 {
				t.Errorf("delivery to %s: lastError %q, status %v, %s after %d attempts; want a failed attempt, \"address not allowed\"", h.Webhook.URL, msg, status, state, attempts)
			}
		}
		for _, h := range []*webhook.Secret{rebound, stored} {
			if err := e.App.Hooks.Delete(admin, h.Webhook.ID); err != nil {
				t.Fatal(err)
			}
		}

		// The finding: an endpoint answering 307 to plain http on another
		// port. The target would accept the request; it never sees it.
		var redirected sync.Mutex
		redirects := 0
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			redirected.Lock()
			redirects++
			redirected.Unlock()
			http.Redirect(w, r, rcv.Srv.URL+"/target", http.StatusTemporaryRedirect)
		}))
		t.Cleanup(redirector.Close)
		redirect, err := e.App.Hooks.Create(admin, webhook.CreateInput{URL: redirector.URL + "/hook"})
		if err != nil {
			t.Fatal(err)
		}
		rcv.Mu.Lock()
		rcv.Secrets["/target"] = redirect.Secret
		rcv.Mu.Unlock()
		// And a receiver that is down: the error says so, not where.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + l.Addr().String() + "/down"
		l.Close()
		down, err := e.App.Hooks.Create(admin, webhook.CreateInput{URL: closed})
		if err != nil {
			t.Fatal(err)
		}
		e.FireAt(desk, servertest.Forward, servertest.Str(d, "receiveDossier", "id"), e.Clock.Now())
		drain(t, e, e.App.Hooks, 0, 1)
		msg, status, state, attempts := lastError(redirect.Webhook.ID)
		if status == nil || *status != http.StatusTemporaryRedirect || state != webhookdelivery.StatePending || attempts != 1 || !strings.Contains(msg, "redirects are not followed") {
			t.Errorf("a 307: lastError %q, status %v, %s after %d attempts; want a failed attempt with status 307", msg, status, state, attempts)
		}
		if msg, _, _, _ := lastError(down.Webhook.ID); msg != "connection refused" {
			t.Errorf("a receiver that is down: lastError %q, want \"connection refused\"", msg)
		}
		// Retried like any failure, never followed.
		e.Clock.Set(e.Clock.Now().Add(time.Hour))
		drain(t, e, e.App.Hooks, 0, 1)
		redirected.Lock()
		n := redirects
		redirected.Unlock()
		rcv.Mu.Lock()
		target := len(rcv.Attempts)
		rcv.Mu.Unlock()
		if n != 2 || target != 0 {
			t.Errorf("the redirecting endpoint got %d requests (want 2: the attempt and its retry), its target %d (want none)", n, target)
		}
		// What administrators read, through the API.
		dl := e.MustDo(e.As("admin"), `{ webhookDeliveries(first: 10) { edges { node { lastError lastStatus } } } }`, nil)
		for _, edge := range servertest.Get(dl, "webhookDeliveries", "edges").([]any) {
			if m := servertest.Str(servertest.Get(edge, "node"), "lastError"); strings.Contains(m, "127.0.0.1") || strings.Contains(m, "dial") {
				t.Errorf("lastError %q names an address", m)
			}
		}
	})
}
