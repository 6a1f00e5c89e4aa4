package server_test

import (
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/demo"
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
