package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server"
	"lienthong/server/servertest"
)

func TestTokensRejected(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Seeded)
	good := auth.SignInput{Issuer: "lienthong", Audience: "lienthong", Subject: "x", Agency: demo.CommuneA, Roles: []auth.Role{auth.RoleDeskOfficer}, TTL: time.Hour, Now: time.Now()}
	sign := func(secret string, edit func(*auth.SignInput)) string {
		in := good
		edit(&in)
		tok, err := auth.Sign([]byte(secret), in)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for _, tc := range []struct{ name, token string }{
		{"forged", sign("another-secret-0123456789-abcdefghijkl", func(*auth.SignInput) {})},
		{"expired", sign(servertest.Secret, func(in *auth.SignInput) { in.Now = time.Now().Add(-3 * time.Hour) })},
		{"wrong audience", sign(servertest.Secret, func(in *auth.SignInput) { in.Audience = "portal" })},
		{"wrong issuer", sign(servertest.Secret, func(in *auth.SignInput) { in.Issuer = "evil" })},
		{"alg none", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJsaWVudGhvbmciLCJhdWQiOiJsaWVudGhvbmciLCJzdWIiOiJ4IiwiYWdlbmN5IjoiMDAwLjIwLjAxLkg0MyIsInJvbGVzIjpbIkFETUlOIl0sImV4cCI6NDEwMjQ0NDgwMH0."},
		{"unknown agency", sign(servertest.Secret, func(in *auth.SignInput) { in.Agency = "000.99.99.H99" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Do(tc.token, `{ me { officer { name } } }`, nil)
			if r.Status != 401 || r.Code() != "UNAUTHENTICATED" {
				t.Errorf("status %d code %q, want 401 UNAUTHENTICATED (%s)", r.Status, r.Code(), r.Raw)
			}
		})
	}
	if r := e.Do("", `{ dossiers { totalCount } }`, nil); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous dossiers: code = %q, want UNAUTHENTICATED", r.Code())
	}
}

// AUTH_JWKS_REFRESH (default 5m) sets how often the identity provider's
// JWKS is read again, so that a withdrawn key stops verifying soon.
func TestJWKSRefreshSetting(t *testing.T) {
	t.Setenv("AUTH_JWKS_REFRESH", "")
	if got := server.FromEnv().JWKSRefresh; got != 5*time.Minute {
		t.Errorf("JWKSRefresh unset = %s, want 5m", got)
	}
	t.Setenv("AUTH_JWKS_REFRESH", "90s")
	if got := server.FromEnv().JWKSRefresh; got != 90*time.Second {
		t.Errorf("AUTH_JWKS_REFRESH=90s: JWKSRefresh = %s, want 1m30s", got)
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := identityProvider(t, key)
	var fetches atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		http.Redirect(w, r, jwks, http.StatusFound)
	}))
	t.Cleanup(counting.Close)
	cfg := server.Config{JWKS: counting.URL, Issuer: "lienthong", Audience: "lienthong"}
	for _, d := range []time.Duration{0, 999 * time.Millisecond} {
		cfg.JWKSRefresh = d
		if _, err := cfg.Verifier(t.Context()); err == nil || !strings.Contains(err.Error(), "AUTH_JWKS_REFRESH") {
			t.Errorf("JWKSRefresh %s: Verifier() error = %v, want one naming AUTH_JWKS_REFRESH", d, err)
		}
	}
	if n := fetches.Load(); n != 0 {
		t.Errorf("refused settings fetched the JWKS %d times, want 0", n)
	}
	cfg.JWKSRefresh = time.Second
	if _, err := cfg.Verifier(t.Context()); err != nil {
		t.Fatalf("Verifier() error = %v", err)
	}
	for end := time.Now().Add(5 * time.Second); fetches.Load() < 2; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("JWKS fetched %d times in 5s refreshing every 1s, want 2 or more", fetches.Load())
		}
	}
}
