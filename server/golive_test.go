package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"lienthong/server"
	"lienthong/server/servertest"
)

// TestGoingLive runs README "Going live" step by step, as an operator
// would, on an empty database of each kind: migrate, import the example
// directory, configure the identity provider (a JWKS), serve; the first
// ADMIN signs in and a desk officer of an imported commune receives a
// dossier.
func TestGoingLive(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	example := filepath.Join(filepath.Dir(here), "..", "docs", "going-live", "province.yaml")
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := identityProvider(t, key)
	for name, url := range servertest.Databases(t) {
		t.Run(name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			l.Close()
			// The operator's environment (README, Configuration).
			t.Setenv("DATABASE_URL", url(t))
			t.Setenv("LISTEN_ADDR", addr)
			t.Setenv("AUTH_JWKS", jwks)
			t.Setenv("AUTH_ISSUER", "https://sso.quangtri.gov.vn/realms/motcua")
			t.Setenv("AUTH_AUDIENCE", "lienthong")
			t.Setenv("LIENTHONG_DEV", "")
			t.Setenv("AUTH_HS256_SECRET", "")
			t.Setenv("WEBHOOK_KEYS", servertest.WebhookKey)
			run := func(args ...string) string {
				t.Helper()
				var out bytes.Buffer
				cmd := server.Command()
				cmd.Writer, cmd.ErrWriter = &out, &out
				if err := cmd.Run(t.Context(), append([]string{"lienthong"}, args...)); err != nil {
					t.Fatalf("lienthong %s: %v\n%s", strings.Join(args, " "), err, out.String())
				}
				return out.String()
			}
			if out := run("migrate"); !strings.Contains(out, "migrations applied") {
				t.Errorf("migrate: %s", out)
			}
			if out := run("directory", "import", example, "--dry-run"); !strings.Contains(out, "agencies 5 created") {
				t.Errorf("dry run: %s", out)
			}
			if out := run("directory", "import", example); !strings.Contains(out, "agencies 5 created") || !strings.Contains(out, "procedures 2 created") {
				t.Errorf("import: %s", out)
			}
			ctx, stop := context.WithCancel(t.Context())
			served := make(chan error, 1)
			go func() { served <- server.Command().Run(ctx, []string{"lienthong", "serve"}) }()
			defer func() {
				stop()
				if err := <-served; err != nil {
					t.Errorf("serve: %v", err)
				}
			}()
			waitReady(t, "http://"+addr)

			admin := idToken(t, key, "admin.quangtri", "Quản trị hệ thống", "000.00.00.H43", "ADMIN")
			me, err := servertest.Post("http://"+addr, admin, `{ me { officer { name } agency { code } roles } }`, nil)
			if err != nil || servertest.Str(me, "me", "agency", "code") != "000.00.00.H43" || servertest.Str(me, "me", "roles", 0) != "ADMIN" {
				t.Fatalf("first ADMIN sign-in: %v %v", me, err)
			}
			desk := idToken(t, key, "desk.giolinh", "Trần Văn Hùng", "000.20.01.H43", "DESK_OFFICER")
			d, err := servertest.Post("http://"+addr, desk, servertest.Receive, map[string]any{"in": servertest.LandInput("Nguyễn Thị Đi Vào Hoạt Động")})
			if err != nil || !strings.HasPrefix(servertest.Str(d, "receiveDossier", "code"), "000.20.01.H43-") || servertest.Str(d, "receiveDossier", "state") != "RECEIVED" {
				t.Fatalf("the first dossier at a real desk: %v %v", d, err)
			}
		})
	}
}

// identityProvider serves the public half of key as a JWK Set and
// returns its URL.
func identityProvider(t *testing.T, key *rsa.PrivateKey) string {
	t.Helper()
	store := jwkset.NewMemoryStorage()
	j, err := jwkset.NewJWKFromKey(&key.PublicKey, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: "sso-1", ALG: jwkset.AlgRS256, USE: jwkset.UseSig}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.KeyWrite(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	body, err := store.JSONPublic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/realms/motcua/protocol/openid-connect/certs"
}

// idToken is an access token as the identity provider issues it.
func idToken(t *testing.T, key *rsa.PrivateKey, sub, name, agency string, roles ...string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": "https://sso.quangtri.gov.vn/realms/motcua", "aud": "lienthong", "sub": sub, "name": name,
		"agency": agency, "roles": roles, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = "sso-1"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatal("the server did not become ready")
}

// A server takes at most MAX_CONNECTIONS connections at once; the next
// waits to be accepted until one closes.
func TestConnectionBound(t *testing.T) {
	t.Chdir(t.TempDir())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	t.Setenv("DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "c.db"))
	t.Setenv("LISTEN_ADDR", addr)
	t.Setenv("AUTH_HS256_SECRET", servertest.Secret)
	t.Setenv("MAX_CONNECTIONS", "2")
	t.Setenv("LIENTHONG_DEV", "")
	ctx, stop := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- server.Command().Run(ctx, []string{"lienthong", "serve"}) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	waitReady(t, "http://"+addr)
	var held []net.Conn
	for range 2 { // two idle keep-alive connections hold both places
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond) // accepted
	third := make(chan error, 1)
	go func() {
		c := http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		third <- err
	}()
	select {
	case err := <-third:
		t.Fatalf("a third connection was served while two were held (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	held[0].Close()
	if err := <-third; err != nil {
		t.Errorf("the third connection, once a place was free: %v", err)
	}
	held[1].Close()
}
