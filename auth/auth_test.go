package auth

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

const (
	testIssuer   = "https://sso.dichvucong.example.vn"
	testAudience = "lienthong"
)

var (
	testSecret  = []byte("0123456789abcdef0123456789abcdef")
	otherSecret = []byte("fedcba9876543210fedcba9876543210")
	testNow     = time.Date(2025, time.March, 10, 9, 0, 0, 0, time.UTC)
)

func fixedNow() time.Time { return testNow }

// testClaims returns valid claims at testNow; edit modifies them.
func testClaims(edit func(*Claims)) *Claims {
	c := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    testIssuer,
			Subject:   "officer-42",
			Audience:  jwt.ClaimStrings{testAudience},
			IssuedAt:  jwt.NewNumericDate(testNow.Add(-time.Minute)),
			NotBefore: jwt.NewNumericDate(testNow.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour)),
			ID:        "jti-1",
		},
		Name:   "Nguyễn Văn An",
		Agency: "SO-TNMT-HN",
		Roles:  []string{"SPECIALIST", "DESK_OFFICER"},
	}
	if edit != nil {
		edit(c)
	}
	return c
}

// sign signs claims with method and key, setting kid when non-empty.
func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, c jwt.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("SignedString(%s) error = %v", method.Alg(), err)
	}
	return s
}

// unsigned builds a token with the given header, valid claims and a zero
// signature of sigLen bytes.
func unsigned(t *testing.T, header string, sigLen int) string {
	t.Helper()
	claims, err := json.Marshal(testClaims(nil))
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(make([]byte, sigLen))
}

// signRaw signs header and payload exactly as given (JSON that jwt's own
// marshalling would never write) with method and key.
func signRaw(t *testing.T, method jwt.SigningMethod, key any, header, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	sig, err := method.Sign(signing, key)
	if err != nil {
		t.Fatalf("Sign(%s) error = %v", method.Alg(), err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

// rawClaims is a valid payload at testNow, as JSON, with extra members
// (a leading comma included) inserted before the closing brace, and the
// times replaced when given (e.g. `"exp":"9999999999"`).
func rawClaims(times, extra string) string {
	if times == "" {
		times = fmt.Sprintf(`"iat":%d,"nbf":%d,"exp":%d`, testNow.Add(-time.Minute).Unix(), testNow.Add(-time.Minute).Unix(), testNow.Add(time.Hour).Unix())
	}
	return fmt.Sprintf(`{"iss":%q,"sub":"officer-42","aud":[%q],%s,"jti":"jti-1","name":"Nguyễn Văn An","agency":"SO-TNMT-HN","roles":["SPECIALIST","DESK_OFFICER"]%s}`,
		testIssuer, testAudience, times, extra)
}

const hs256Header = `{"alg":"HS256","typ":"JWT"}`

func hs256(t *testing.T, edit func(*Claims)) string {
	return sign(t, jwt.SigningMethodHS256, testSecret, "", testClaims(edit))
}

func newTestVerifier(t *testing.T, cfg Config) *Verifier {
	t.Helper()
	if cfg.Issuer == "" {
		cfg.Issuer = testIssuer
	}
	if cfg.Audience == "" {
		cfg.Audience = testAudience
	}
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	v, err := NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier() error = %v", err)
	}
	return v
}

// checkRejected asserts err is an ErrUnauthenticated naming wantMsg and not
// repeating the token.
func checkRejected(t *testing.T, err error, wantMsg, token string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Verify() error = nil, want %q", wantMsg)
	}
	if !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("Verify() error = %v, want it to wrap ErrUnauthenticated", err)
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Errorf("Verify() error = %q, want it to contain %q", err, wantMsg)
	}
	if !strings.HasPrefix(err.Error(), "auth: ") {
		t.Errorf("Verify() error = %q, want prefix %q", err, "auth: ")
	}
	if token != "" && strings.Contains(err.Error(), token) {
		t.Errorf("Verify() error = %q repeats the token", err)
	}
}

func TestVerifyValidHS256(t *testing.T) {
	v := newTestVerifier(t, Config{HS256Secret: testSecret})
	c, err := v.Verify(hs256(t, nil))
	if err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	got, err := c.Viewer()
	if err != nil {
		t.Fatalf("Viewer() error = %v, want nil", err)
	}
	want := &Viewer{
		Subject:    "officer-42",
		Name:       "Nguyễn Văn An",
		AgencyCode: "SO-TNMT-HN",
		Roles:      []Role{RoleSpecialist, RoleDeskOfficer},
	}
	if got.Subject != want.Subject || got.Name != want.Name || got.AgencyCode != want.AgencyCode ||
		!slices.Equal(got.Roles, want.Roles) || got.OfficerID != 0 || got.AgencyID != 0 {
		t.Errorf("Viewer() = %+v, want %+v", got, want)
	}
	if c.ID != "jti-1" {
		t.Errorf("Verify().ID = %q, want %q", c.ID, "jti-1")
	}
}

// TestVerifiedTokensRemembered checks the memory of verified tokens: a
// token verified once passes again without its signature being checked,
// until verifiedFor has passed or it expires, whichever is sooner; the
// claims handed out are copies.
func TestVerifiedTokensRemembered(t *testing.T) {
	now := testNow
	v := newTestVerifier(t, Config{HS256Secret: testSecret, Now: func() time.Time { return now }})
	token := hs256(t, nil)
	c, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	c.Roles[0] = "ADMIN"
	// The key changes: the remembered token still passes, a new one not.
	v.secret = []byte(strings.Repeat("k", minSecretLen))
	again, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify() of a remembered token error = %v, want nil", err)
	}
	if again.Roles[0] != "SPECIALIST" || again.Subject != "officer-42" {
		t.Errorf("remembered claims = %v %v, want the token's (SPECIALIST, officer-42): a caller's edit leaked in", again.Subject, again.Roles)
	}
	if _, err := v.Verify(hs256(t, func(c *Claims) { c.ID = "jti-2" })); err == nil {
		t.Error("Verify() of a new token signed with the old key: nil error")
	}
	// After verifiedFor the token is verified again, against the new key.
	now = now.Add(verifiedFor)
	checkRejected(t, errOf(v.Verify(token)), "invalid signature", token)

	// A remembered token expires on time (exp plus the leeway).
	now = testNow
	v = newTestVerifier(t, Config{HS256Secret: testSecret, Now: func() time.Time { return now }})
	soon := hs256(t, func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(testNow.Add(10 * time.Second)) })
	if _, err := v.Verify(soon); err != nil {
		t.Fatalf("Verify() error = %v, want nil", err)
	}
	now = testNow.Add(10*time.Second + defaultLeeway - time.Second)
	if _, err := v.Verify(soon); err != nil {
		t.Fatalf("Verify() within the leeway error = %v, want nil", err)
	}
	now = testNow.Add(10*time.Second + defaultLeeway)
	checkRejected(t, errOf(v.Verify(soon)), "token expired", soon)
}

func errOf(_ *Claims, err error) error { return err }

func TestVerifyHS256Rejections(t *testing.T) {
	v := newTestVerifier(t, Config{HS256Secret: testSecret})
	tests := []struct {
		name    string
		token   func(t *testing.T) string
		wantMsg string // "" means the token is accepted
	}{
		{
			name: "exp within leeway",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-10 * time.Second)) })
			},
		},
		{
			name:    "forged signature",
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, otherSecret, "", testClaims(nil)) },
			wantMsg: "auth: invalid signature",
		},
		{
			name: "alg none",
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "", testClaims(nil))
			},
			wantMsg: `auth: signing algorithm "none" not allowed`,
		},
		{
			name:    "HS512 with the right secret",
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS512, testSecret, "", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "HS512" not allowed`,
		},
		{
			name:    "HS256 with a kid",
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, testSecret, "k1", testClaims(nil)) },
			wantMsg: "not allowed with a key id",
		},
		{
			name:    "malformed",
			token:   func(*testing.T) string { return "not.a-token" },
			wantMsg: "auth: malformed token",
		},
		{
			name:    "empty",
			token:   func(*testing.T) string { return "" },
			wantMsg: "auth: empty token",
		},
		{
			name:    "too large",
			token:   func(*testing.T) string { return strings.Repeat("a", maxTokenLen+1) },
			wantMsg: "auth: token too large",
		},
		{
			name: "expired",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-time.Minute)) })
			},
			wantMsg: "auth: token expired",
		},
		{
			name: "nbf in the future",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.NotBefore = jwt.NewNumericDate(testNow.Add(time.Minute)) })
			},
			wantMsg: "auth: token not valid yet",
		},
		{
			name: "iat in the future",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.IssuedAt = jwt.NewNumericDate(testNow.Add(time.Minute)) })
			},
			wantMsg: "auth: token issued in the future",
		},
		{
			name:    "missing exp",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.ExpiresAt = nil }) },
			wantMsg: "auth: token has no expiry",
		},
		{
			name:    "wrong issuer",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Issuer = "https://evil.example" }) },
			wantMsg: "auth: wrong issuer",
		},
		{
			name:    "missing issuer",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Issuer = "" }) },
			wantMsg: "auth: token has no issuer",
		},
		{
			name: "wrong audience",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.Audience = jwt.ClaimStrings{"other-service"} })
			},
			wantMsg: "auth: wrong audience",
		},
		{
			name:    "missing audience",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Audience = nil }) },
			wantMsg: "auth: token has no audience",
		},
		{
			name:    "missing subject",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Subject = "" }) },
			wantMsg: "auth: token has no subject",
		},
		{
			name:    "missing agency",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Agency = "" }) },
			wantMsg: "auth: token has no agency",
		},
		{
			name: "unknown role",
			token: func(t *testing.T) string {
				return hs256(t, func(c *Claims) { c.Roles = []string{"SPECIALIST", "SUPERUSER"} })
			},
			wantMsg: `auth: unknown role "SUPERUSER"`,
		},
		{
			name:    "lower-case role",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Roles = []string{"admin"} }) },
			wantMsg: `auth: unknown role "admin"`,
		},
		{
			name:    "empty roles",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Roles = []string{} }) },
			wantMsg: "auth: token has no roles",
		},
		{
			name:    "missing roles",
			token:   func(t *testing.T) string { return hs256(t, func(c *Claims) { c.Roles = nil }) },
			wantMsg: "auth: token has no roles",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token(t)
			c, err := v.Verify(token)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Verify() error = %v, want nil", err)
				}
				if c.Subject != "officer-42" {
					t.Errorf("Verify().Subject = %q, want %q", c.Subject, "officer-42")
				}
				return
			}
			if c != nil {
				t.Errorf("Verify() claims = %+v, want nil", c)
			}
			checkRejected(t, err, tt.wantMsg, token)
		})
	}
}

// TestVerifyTimeClaimsAreNumbers: exp, nbf and iat are NumericDates (RFC
// 7519 §2), JSON numbers. jwt's NumericDate also reads a string holding a
// number, so "exp":"9999999999" passed as a token valid for centuries.
// Go matches claim names case-insensitively, so "Exp" is exp too.
func TestVerifyTimeClaimsAreNumbers(t *testing.T) {
	v := newTestVerifier(t, Config{HS256Secret: testSecret})
	iat, exp := testNow.Add(-time.Minute).Unix(), testNow.Add(time.Hour).Unix()
	tests := []struct {
		name    string
		times   string
		wantMsg string // "" means accepted
	}{
		{name: "numbers", times: fmt.Sprintf(`"iat":%d,"nbf":%d,"exp":%d`, iat, iat, exp)},
		{name: "fractions and exponents are numbers", times: fmt.Sprintf(`"iat":%d.5,"exp":%de0`, iat, exp)},
		{name: "exp a string", times: fmt.Sprintf(`"iat":%d,"exp":"9999999999"`, iat), wantMsg: `auth: time claim "exp" is not a number`},
		{name: "exp a string of the right time", times: fmt.Sprintf(`"iat":%d,"exp":"%d"`, iat, exp), wantMsg: `auth: time claim "exp" is not a number`},
		{name: "nbf a string", times: fmt.Sprintf(`"iat":%d,"nbf":"0","exp":%d`, iat, exp), wantMsg: `auth: time claim "nbf" is not a number`},
		{name: "iat a string", times: fmt.Sprintf(`"iat":"%d","exp":%d`, iat, exp), wantMsg: `auth: time claim "iat" is not a number`},
		{name: "Exp a string", times: fmt.Sprintf(`"iat":%d,"Exp":"9999999999"`, iat), wantMsg: `auth: time claim "exp" is not a number`},
		{name: "exp null", times: fmt.Sprintf(`"iat":%d,"exp":null`, iat), wantMsg: `auth: time claim "exp" is not a number`},
		{name: "nbf null", times: fmt.Sprintf(`"iat":%d,"nbf":null,"exp":%d`, iat, exp), wantMsg: `auth: time claim "nbf" is not a number`},
		{name: "exp true", times: fmt.Sprintf(`"iat":%d,"exp":true`, iat), wantMsg: `auth: time claim "exp" is not a number`},
		{name: "exp an array", times: fmt.Sprintf(`"iat":%d,"exp":[%d]`, iat, exp), wantMsg: `auth: time claim "exp" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := signRaw(t, jwt.SigningMethodHS256, testSecret, hs256Header, rawClaims(tt.times, ""))
			c, err := v.Verify(token)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Verify() error = %v, want nil", err)
				}
				if c.ExpiresAt == nil || c.ExpiresAt.Unix() != exp {
					t.Errorf("Verify().ExpiresAt = %v, want %d", c.ExpiresAt, exp)
				}
				return
			}
			if c != nil {
				t.Errorf("Verify() claims = %+v, want nil", c)
			}
			checkRejected(t, err, tt.wantMsg, token)
		})
	}
}

// TestVerifyCritRefused: a "crit" header lists extensions the recipient
// must understand or refuse the token (RFC 7515 §4.1.11). We understand
// none, so any "crit" refuses, whatever it lists, on either path.
func TestVerifyCritRefused(t *testing.T) {
	k := genKeys(t)
	v := newTestVerifier(t, Config{HS256Secret: testSecret, JWKS: writeJWKS(t, jwksJSON(t, jwk{kid: "rsa-1", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey}))})
	const want = `auth: token header has "crit"`
	tests := []struct {
		name    string
		token   func(t *testing.T) string
		wantMsg string // "" means accepted
	}{
		{
			name: "no crit",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, hs256Header, rawClaims("", ""))
			},
		},
		{
			name: "unknown extension",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","typ":"JWT","crit":["http://example.invalid/ext"],"http://example.invalid/ext":true}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "b64, which jwt does not implement",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","b64":false,"crit":["b64"]}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "a registered claim name",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","crit":["exp"]}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "empty list",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","crit":[]}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "not a list",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","crit":"b64"}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "null",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodHS256, testSecret, `{"alg":"HS256","crit":null}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
		{
			name: "RS256 with a kid",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodRS256, k.rsa, `{"alg":"RS256","kid":"rsa-1","crit":["urn:example:policy"],"urn:example:policy":"x"}`, rawClaims("", ""))
			},
			wantMsg: want,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token(t)
			c, err := v.Verify(token)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Verify() error = %v, want nil", err)
				}
				return
			}
			if c != nil {
				t.Errorf("Verify() claims = %+v, want nil", c)
			}
			checkRejected(t, err, tt.wantMsg, token)
		})
	}
}

// TestVerifyDuplicateKeysRefused: JSON with a key twice means what the
// parser that reads it says; Go's keeps the last, others the first, so an
// identity provider and we could read different roles or agencies from one
// signed token. Go also fills a claim from any case of its name, so at the
// top of the payload "ROLES" is a second "roles". Deeper (a claim we do not
// read, like Keycloak's resource_access) names are compared exactly.
func TestVerifyDuplicateKeysRefused(t *testing.T) {
	k := genKeys(t)
	v := newTestVerifier(t, Config{HS256Secret: testSecret, JWKS: writeJWKS(t, jwksJSON(t, jwk{kid: "rsa-1", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey}))})
	hs := func(header, extra string) func(t *testing.T) string {
		return func(t *testing.T) string {
			return signRaw(t, jwt.SigningMethodHS256, testSecret, header, rawClaims("", extra))
		}
	}
	tests := []struct {
		name    string
		token   func(t *testing.T) string
		wantMsg string // "" means accepted
	}{
		{name: "same name in different objects", token: hs(hs256Header, `,"a":{"roles":1},"b":{"roles":1,"x":[{"roles":2}]}`)},
		{name: "nested names differing in case", token: hs(hs256Header, `,"resource_access":{"Portal":{"roles":["x"]},"portal":{"roles":["y"]}}`)},
		{name: "roles twice", token: hs(hs256Header, `,"roles":["ADMIN"]`), wantMsg: `auth: duplicate key "roles" in the token payload`},
		{name: "agency twice", token: hs(hs256Header, `,"agency":"UBND-Q1"`), wantMsg: `auth: duplicate key "agency" in the token payload`},
		{name: "sub twice", token: hs(hs256Header, `,"sub":"admin"`), wantMsg: `auth: duplicate key "sub" in the token payload`},
		{name: "exp twice", token: hs(hs256Header, `,"exp":9999999999`), wantMsg: `auth: duplicate key "exp" in the token payload`},
		{name: "ROLES beside roles", token: hs(hs256Header, `,"ROLES":["ADMIN"]`), wantMsg: `auth: duplicate key "ROLES" in the token payload`},
		{name: "Agency beside agency", token: hs(hs256Header, `,"Agency":"UBND-Q1"`), wantMsg: `auth: duplicate key "Agency" in the token payload`},
		{name: "roles escaped", token: hs(hs256Header, `,"rol\u0065s":["ADMIN"]`), wantMsg: `auth: duplicate key "roles" in the token payload`},
		{name: "nested twice", token: hs(hs256Header, `,"realm_access":{"roles":["a"],"roles":["b"]}`), wantMsg: `auth: duplicate key "roles" in the token payload`},
		{name: "in an array", token: hs(hs256Header, `,"x":[1,{"a":1,"a":2}]`), wantMsg: `auth: duplicate key "a" in the token payload`},
		{name: "typ twice in the header", token: hs(`{"alg":"HS256","typ":"JWT","typ":"JWT"}`, ""), wantMsg: `auth: duplicate key "typ" in the token header`},
		{name: "alg twice in the header", token: hs(`{"alg":"none","alg":"HS256"}`, ""), wantMsg: `auth: duplicate key "alg" in the token header`},
		{
			name: "kid twice in the header",
			token: func(t *testing.T) string {
				return signRaw(t, jwt.SigningMethodRS256, k.rsa, `{"alg":"RS256","kid":"other","kid":"rsa-1"}`, rawClaims("", ""))
			},
			wantMsg: `auth: duplicate key "kid" in the token header`,
		},
		{
			name:    "a long name is cut in the message",
			token:   hs(hs256Header, fmt.Sprintf(`,"%[1]s":1,"%[1]s":2`, strings.Repeat("n", 1000))),
			wantMsg: fmt.Sprintf(`auth: duplicate key "%s…" in the token payload`, strings.Repeat("n", 64)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token(t)
			c, err := v.Verify(token)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Verify() error = %v, want nil", err)
				}
				return
			}
			if c != nil {
				t.Errorf("Verify() claims = %+v, want nil", c)
			}
			checkRejected(t, err, tt.wantMsg, token)
		})
	}
}

// testKeys are the identity provider's signing keys.
type testKeys struct {
	rsa      *rsa.PrivateKey
	ec       *ecdsa.PrivateKey
	ed       ed25519.PrivateKey
	otherEC  *ecdsa.PrivateKey
	rsaPEM   []byte // the RSA public key as PEM, the classic HMAC-confusion secret
	weakRSA  *rsa.PrivateKey
	p384     *ecdsa.PrivateKey
	newerRSA *rsa.PrivateKey
}

var (
	keysOnce sync.Once
	keys     testKeys
)

func genKeys(t *testing.T) testKeys {
	t.Helper()
	keysOnce.Do(func() {
		must := func(err error) {
			if err != nil {
				panic(err)
			}
		}
		var err error
		keys.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
		must(err)
		keys.newerRSA, err = rsa.GenerateKey(rand.Reader, 2048)
		must(err)
		keys.weakRSA, err = rsa.GenerateKey(rand.Reader, 1024)
		must(err)
		keys.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(err)
		keys.otherEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(err)
		keys.p384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		must(err)
		_, keys.ed, err = ed25519.GenerateKey(rand.Reader)
		must(err)
		der, err := x509.MarshalPKIXPublicKey(&keys.rsa.PublicKey)
		must(err)
		keys.rsaPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	})
	return keys
}

type jwk struct {
	kid string
	alg jwkset.ALG
	key any // a public key
}

// jwksJSON builds a public JWK Set with jwkset's own marshalling.
func jwksJSON(t *testing.T, ks ...jwk) []byte {
	t.Helper()
	store := jwkset.NewMemoryStorage()
	for _, k := range ks {
		j, err := jwkset.NewJWKFromKey(k.key, jwkset.JWKOptions{
			Metadata: jwkset.JWKMetadataOptions{KID: k.kid, ALG: k.alg, USE: jwkset.UseSig},
		})
		if err != nil {
			t.Fatalf("NewJWKFromKey(%s) error = %v", k.kid, err)
		}
		if err := store.KeyWrite(t.Context(), j); err != nil {
			t.Fatalf("KeyWrite(%s) error = %v", k.kid, err)
		}
	}
	raw, err := store.JSONPublic(t.Context())
	if err != nil {
		t.Fatalf("JSONPublic() error = %v", err)
	}
	return raw
}

func writeJWKS(t *testing.T, raw []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// withMembers adds members (raw JSON values) to every key of a JWK Set.
func withMembers(t *testing.T, set []byte, members map[string]string) []byte {
	t.Helper()
	var s struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(set, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Keys {
		for name, v := range members {
			k[name] = json.RawMessage(v)
		}
	}
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// privateJWKS is a JWK Set holding key with its private half, as jwkset
// writes it.
func privateJWKS(t *testing.T, kid string, key any) []byte {
	t.Helper()
	store := jwkset.NewMemoryStorage()
	j, err := jwkset.NewJWKFromKey(key, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid}, Marshal: jwkset.JWKMarshalOptions{Private: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.KeyWrite(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	raw, err := store.JSONPrivate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestVerifyJWKSFile(t *testing.T) {
	k := genKeys(t)
	path := writeJWKS(t, jwksJSON(t,
		jwk{kid: "rsa-1", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey},
		jwk{kid: "ec-1", alg: jwkset.AlgES256, key: &k.ec.PublicKey},
		jwk{kid: "ed-1", key: k.ed.Public()}, // jwkset sets alg EdDSA itself
		jwk{kid: "rsa-noalg", key: &k.rsa.PublicKey},
		jwk{kid: "rsa-weak", key: &k.weakRSA.PublicKey},
		jwk{kid: "ec-p384", key: &k.p384.PublicKey},
	))
	jwksOnly := newTestVerifier(t, Config{JWKS: path})
	both := newTestVerifier(t, Config{JWKS: path, HS256Secret: testSecret})
	secretOnly := newTestVerifier(t, Config{HS256Secret: testSecret})

	tests := []struct {
		name    string
		v       *Verifier
		token   func(t *testing.T) string
		wantMsg string // "" means accepted
	}{
		{
			name:  "RS256",
			v:     jwksOnly,
			token: func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", testClaims(nil)) },
		},
		{
			name:  "RS256 key without alg",
			v:     jwksOnly,
			token: func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-noalg", testClaims(nil)) },
		},
		{
			name:  "ES256",
			v:     jwksOnly,
			token: func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, k.ec, "ec-1", testClaims(nil)) },
		},
		{
			name:  "EdDSA",
			v:     jwksOnly,
			token: func(t *testing.T) string { return sign(t, jwt.SigningMethodEdDSA, k.ed, "ed-1", testClaims(nil)) },
		},
		{
			name:  "RS256 with secret also configured",
			v:     both,
			token: func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", testClaims(nil)) },
		},
		{
			name:  "HS256 without kid with both configured",
			v:     both,
			token: func(t *testing.T) string { return hs256(t, nil) },
		},
		{
			name:    "key confusion: HS256 with the RSA PEM, kid, JWKS only",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, k.rsaPEM, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "HS256" not allowed`,
		},
		{
			name:    "key confusion: HS256 with the RSA PEM, no kid, JWKS only",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, k.rsaPEM, "", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "HS256" not allowed`,
		},
		{
			name:    "key confusion: HS256 with the RSA PEM, kid, both configured",
			v:       both,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, k.rsaPEM, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "HS256" not allowed with a key id`,
		},
		{
			name:    "key confusion: HS256 with the RSA PEM, no kid, both configured",
			v:       both,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, k.rsaPEM, "", testClaims(nil)) },
			wantMsg: "auth: invalid signature",
		},
		{
			name:    "unknown kid",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-2", testClaims(nil)) },
			wantMsg: "auth: unknown key id",
		},
		{
			name:    "kid with secret only",
			v:       secretOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "RS256" not allowed`,
		},
		{
			name:    "no kid",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "", testClaims(nil)) },
			wantMsg: "auth: token has no key id",
		},
		{
			name:    "RS256 without kid with both configured",
			v:       both,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, k.rsa, "", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "RS256" needs a key id`,
		},
		{
			name: "non-string kid",
			v:    jwksOnly,
			token: func(t *testing.T) string {
				tok := jwt.NewWithClaims(jwt.SigningMethodRS256, testClaims(nil))
				tok.Header["kid"] = 7
				s, err := tok.SignedString(k.rsa)
				if err != nil {
					t.Fatal(err)
				}
				return s
			},
			wantMsg: "auth: invalid key id",
		},
		{
			name:    "alg of another key: ES256 header on the RSA kid",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, k.ec, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "ES256" does not match the key`,
		},
		{
			name:    "alg not the key's own: ES256 on a key without alg",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, k.ec, "rsa-noalg", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "ES256" does not match the key`,
		},
		{
			name:    "RS512 not allowed",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodRS512, k.rsa, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "RS512" not allowed`,
		},
		{
			name:    "PS256 not allowed",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodPS256, k.rsa, "rsa-1", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "PS256" not allowed`,
		},
		{
			name: "weak RSA key",
			v:    jwksOnly,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, k.weakRSA, "rsa-weak", testClaims(nil))
			},
			wantMsg: "auth: unsupported key type",
		},
		{
			name: "ES256 header on a P-384 key",
			v:    jwksOnly,
			// jwt refuses to sign this, and the key is rejected before the
			// signature is looked at, so a zero signature will do.
			token:   func(t *testing.T) string { return unsigned(t, `{"alg":"ES256","kid":"ec-p384","typ":"JWT"}`, 64) },
			wantMsg: "auth: unsupported key type",
		},
		{
			name:    "ES384 on a P-384 key",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodES384, k.p384, "ec-p384", testClaims(nil)) },
			wantMsg: `auth: signing algorithm "ES384" not allowed`,
		},
		{
			name:    "ES256 signed by another key",
			v:       jwksOnly,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, k.otherEC, "ec-1", testClaims(nil)) },
			wantMsg: "auth: invalid signature",
		},
		{
			name: "RS256 expired",
			v:    jwksOnly,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, k.rsa, "rsa-1", testClaims(func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(testNow.Add(-time.Hour)) }))
			},
			wantMsg: "auth: token expired",
		},
		{
			name: "EdDSA unknown role",
			v:    jwksOnly,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodEdDSA, k.ed, "ed-1", testClaims(func(c *Claims) { c.Roles = []string{"ROOT"} }))
			},
			wantMsg: `auth: unknown role "ROOT"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token(t)
			c, err := tt.v.Verify(token)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Verify() error = %v, want nil", err)
				}
				if c.Subject != "officer-42" || c.Agency != "SO-TNMT-HN" {
					t.Errorf("Verify() = sub %q agency %q, want %q %q", c.Subject, c.Agency, "officer-42", "SO-TNMT-HN")
				}
				return
			}
			checkRejected(t, err, tt.wantMsg, token)
		})
	}
}

func TestNewVerifierConfig(t *testing.T) {
	k := genKeys(t)
	good := writeJWKS(t, jwksJSON(t, jwk{kid: "rsa-1", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey}))

	// A JWKS holding a private key: jwkset marshals private material on request.
	privStore := jwkset.NewMemoryStorage()
	j, err := jwkset.NewJWKFromKey(k.rsa, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: "rsa-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := privStore.KeyWrite(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	privRaw, err := privStore.JSONPrivate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	private := writeJWKS(t, privRaw)
	// The private exponent alone (no p, q, dp, dq, qi): jwkset reads such
	// a key as a public key and forgets d, so a check of what it parsed
	// misses it; so do keys of other types with d, a symmetric key, and
	// a private member in another case (Go's decoder reads "D" as d).
	public := jwksJSON(t, jwk{kid: "rsa-1", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey})
	dOnly := withMembers(t, public, map[string]string{"d": `"` + base64.RawURLEncoding.EncodeToString(k.rsa.D.Bytes()) + `"`})
	primesOnly := withMembers(t, public, map[string]string{"p": `"AQAB"`, "q": `"AQAB"`})
	upperD := withMembers(t, public, map[string]string{"D": `"AQAB"`})
	ecPrivate := privateJWKS(t, "ec-1", k.ec)
	edPrivate := privateJWKS(t, "ed-1", k.ed)
	symmetric := []byte(`{"keys":[{"kty":"oct","kid":"hs-1","alg":"HS256","k":"` + base64.RawURLEncoding.EncodeToString(testSecret) + `"}]}`)
	jwksURL := func(body []byte) string { return newJWKSServer(t, body).URL + "/jwks.json" }
	empty := writeJWKS(t, []byte(`{"keys":[]}`))
	garbage := writeJWKS(t, []byte(`{"keys":[{"kty":"RSA","n":"!!"}]}`))
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "secret", cfg: Config{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience}},
		{name: "jwks file", cfg: Config{JWKS: good, Issuer: testIssuer, Audience: testAudience}},
		{name: "nothing", cfg: Config{Issuer: testIssuer, Audience: testAudience}, wantErr: "neither an hs256 secret nor a jwks"},
		{name: "short secret", cfg: Config{HS256Secret: []byte("secret"), Issuer: testIssuer, Audience: testAudience}, wantErr: "at least 32"},
		{name: "no issuer", cfg: Config{HS256Secret: testSecret, Audience: testAudience}, wantErr: "issuer is required"},
		{name: "no audience", cfg: Config{HS256Secret: testSecret, Issuer: testIssuer}, wantErr: "audience is required"},
		{name: "negative leeway", cfg: Config{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Leeway: -time.Second}, wantErr: "negative leeway"},
		{name: "negative jwks refresh", cfg: Config{JWKS: good, Issuer: testIssuer, Audience: testAudience, JWKSRefresh: -time.Second}, wantErr: "negative jwks refresh"},
		{name: "missing file", cfg: Config{JWKS: filepath.Join(t.TempDir(), "nope.json"), Issuer: testIssuer, Audience: testAudience}, wantErr: "read jwks"},
		{name: "private key file", cfg: Config{JWKS: private, Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "RSA n, e, d file", cfg: Config{JWKS: writeJWKS(t, dOnly), Issuer: testIssuer, Audience: testAudience}, wantErr: `key "rsa-1" holds private or symmetric key material ("d"): a JWKS must hold public keys only`},
		{name: "RSA primes file", cfg: Config{JWKS: writeJWKS(t, primesOnly), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "RSA D file", cfg: Config{JWKS: writeJWKS(t, upperD), Issuer: testIssuer, Audience: testAudience}, wantErr: `private or symmetric key material ("D")`},
		{name: "EC private file", cfg: Config{JWKS: writeJWKS(t, ecPrivate), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "Ed25519 private file", cfg: Config{JWKS: writeJWKS(t, edPrivate), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "symmetric key file", cfg: Config{JWKS: writeJWKS(t, symmetric), Issuer: testIssuer, Audience: testAudience}, wantErr: `private or symmetric key material ("k")`},
		{name: "jwks url", cfg: Config{JWKS: jwksURL(public), Issuer: testIssuer, Audience: testAudience}},
		{name: "private key url", cfg: Config{JWKS: jwksURL(privRaw), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "RSA n, e, d url", cfg: Config{JWKS: jwksURL(dOnly), Issuer: testIssuer, Audience: testAudience}, wantErr: `key "rsa-1" holds private or symmetric key material ("d"): a JWKS must hold public keys only`},
		{name: "EC private url", cfg: Config{JWKS: jwksURL(ecPrivate), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "symmetric key url", cfg: Config{JWKS: jwksURL(symmetric), Issuer: testIssuer, Audience: testAudience}, wantErr: "private or symmetric key material"},
		{name: "oversized url", cfg: Config{JWKS: jwksURL(withMembers(t, public, map[string]string{"x-pad": `"` + strings.Repeat("a", maxJWKSFileLen) + `"`})), Issuer: testIssuer, Audience: testAudience}, wantErr: "larger than"},
		{name: "empty file", cfg: Config{JWKS: empty, Issuer: testIssuer, Audience: testAudience}, wantErr: "holds no keys"},
		{name: "invalid file", cfg: Config{JWKS: garbage, Issuer: testIssuer, Audience: testAudience}, wantErr: "parse jwks"},
		{name: "unreachable url", cfg: Config{JWKS: down.URL + "/jwks.json", Issuer: testIssuer, Audience: testAudience}, wantErr: "fetch jwks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(t.Context(), tt.cfg)
			if tt.wantErr == "" {
				if err != nil || v == nil {
					t.Fatalf("NewVerifier() = %v, %v, want a verifier", v, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewVerifier() error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestWeakSecrets: beyond 32 bytes, an HS256 secret must not be a short
// pattern repeated (fewer than 16 bytes) nor use fewer than 8 distinct
// bytes. Both NewVerifier and Sign refuse it. A hex secret (16 symbols)
// passes: 64 random hex digits hold 8 distinct ones all but never, 16
// only three times in four, so "16 distinct" would refuse good secrets.
func TestWeakSecrets(t *testing.T) {
	hexSecret := make([]byte, 32)
	if _, err := rand.Read(hexSecret); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		secret  string
		wantErr string // "" means accepted
	}{
		{name: "the tests' own", secret: string(testSecret)},
		{name: "hex of 32 random bytes", secret: fmt.Sprintf("%x", hexSecret)},
		{name: "base64 of 32 random bytes", secret: base64.StdEncoding.EncodeToString(hexSecret)},
		{name: "a passphrase", secret: "correct horse battery staple lienthong"},
		{name: "all a", secret: strings.Repeat("a", 32), wantErr: "repeats a pattern of 1 byte"},
		{name: "all a, longer", secret: strings.Repeat("a", 64), wantErr: "repeats a pattern of 1 byte"},
		{name: "all zero bytes", secret: strings.Repeat("\x00", 32), wantErr: "repeats a pattern of 1 byte"},
		{name: "ab repeated", secret: strings.Repeat("ab", 16), wantErr: "repeats a pattern of 2 bytes"},
		{name: "a word repeated, cut", secret: strings.Repeat("secret", 6), wantErr: "repeats a pattern of 6 bytes"},
		{name: "15 bytes repeated", secret: strings.Repeat("0123456789abcde", 3), wantErr: "repeats a pattern of 15 bytes"},
		{name: "one different byte", secret: strings.Repeat("a", 31) + "b", wantErr: "has 2 distinct bytes, want at least 8"},
		{name: "runs of 4", secret: "aaaaaaaabbbbbbbbccccccccdddddddd", wantErr: "has 4 distinct bytes, want at least 8"},
		{name: "short and weak", secret: "aaaa", wantErr: "at least 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(t.Context(), Config{HS256Secret: []byte(tt.secret), Issuer: testIssuer, Audience: testAudience})
			_, signErr := Sign([]byte(tt.secret), SignInput{Issuer: testIssuer, Audience: testAudience, Subject: "s", Agency: "A", Roles: []Role{RoleAnalyst}, TTL: time.Minute})
			if tt.wantErr == "" {
				if err != nil || signErr != nil {
					t.Errorf("NewVerifier() error = %v, Sign() error = %v, want nil", err, signErr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "auth: hs256 secret ") {
				t.Errorf("NewVerifier() error = %v, want it to contain %q", err, tt.wantErr)
			}
			if signErr == nil || !strings.Contains(signErr.Error(), tt.wantErr) {
				t.Errorf("Sign() error = %v, want it to contain %q", signErr, tt.wantErr)
			}
			if err != nil && len(tt.secret) >= 8 && strings.Contains(err.Error(), tt.secret[:8]) {
				t.Errorf("NewVerifier() error = %v repeats the secret", err)
			}
		})
	}
}

// jwksServer serves a JWK Set that the test can replace, like an identity
// provider rotating keys.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	body    []byte
	fetches atomic.Int32
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	s := &jwksServer{body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		b := s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(body []byte) {
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

func TestVerifyJWKSURLRotation(t *testing.T) {
	k := genKeys(t)
	oldKey := jwk{kid: "2024", alg: jwkset.AlgRS256, key: &k.rsa.PublicKey}
	newKey := jwk{kid: "2025", alg: jwkset.AlgRS256, key: &k.newerRSA.PublicKey}
	oldToken := sign(t, jwt.SigningMethodRS256, k.rsa, "2024", testClaims(nil))
	newToken := sign(t, jwt.SigningMethodRS256, k.newerRSA, "2025", testClaims(nil))
	// The new key's kid on a token signed by the old key must not pass.
	swapped := sign(t, jwt.SigningMethodRS256, k.rsa, "2025", testClaims(nil))

	t.Run("both keys published", func(t *testing.T) {
		srv := newJWKSServer(t, jwksJSON(t, oldKey, newKey))
		v := newTestVerifier(t, Config{JWKS: srv.URL + "/jwks.json"})
		for name, tok := range map[string]string{"old": oldToken, "new": newToken} {
			if _, err := v.Verify(tok); err != nil {
				t.Errorf("Verify(%s key token) error = %v, want nil", name, err)
			}
		}
		_, err := v.Verify(swapped)
		checkRejected(t, err, "auth: invalid signature", swapped)
	})

	t.Run("new key published after start", func(t *testing.T) {
		srv := newJWKSServer(t, jwksJSON(t, oldKey))
		v := newTestVerifier(t, Config{JWKS: srv.URL + "/jwks.json"})
		if _, err := v.Verify(oldToken); err != nil {
			t.Fatalf("Verify(old key token) error = %v, want nil", err)
		}
		before := srv.fetches.Load()

		srv.set(jwksJSON(t, oldKey, newKey))
		if _, err := v.Verify(newToken); err != nil {
			t.Fatalf("Verify(new key token) error = %v, want nil (an unknown kid refreshes the set)", err)
		}
		if got := srv.fetches.Load(); got <= before {
			t.Errorf("JWKS fetches = %d, want more than %d", got, before)
		}
		if _, err := v.Verify(oldToken); err != nil {
			t.Errorf("Verify(old key token) after rotation error = %v, want nil", err)
		}

		// Refreshes for unknown kids are rate limited: a flood of made-up
		// kids neither hammers the identity provider nor stalls requests.
		fetches := srv.fetches.Load()
		start := time.Now()
		bogus := sign(t, jwt.SigningMethodRS256, k.rsa, "made-up", testClaims(nil))
		for range 5 {
			_, err := v.Verify(bogus)
			checkRejected(t, err, "auth: unknown key id", bogus)
		}
		if got := srv.fetches.Load(); got != fetches {
			t.Errorf("JWKS fetches after unknown kids = %d, want %d", got, fetches)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("rejecting unknown kids took %s, want well under the refresh wait", d)
		}
	})

	t.Run("key withdrawn", func(t *testing.T) {
		srv := newJWKSServer(t, jwksJSON(t, oldKey, newKey))
		now := testNow
		v := newTestVerifier(t, Config{JWKS: srv.URL + "/jwks.json", JWKSRefresh: 100 * time.Millisecond, Now: func() time.Time { return now }})
		if _, err := v.Verify(oldToken); err != nil {
			t.Fatalf("Verify(old key token) error = %v, want nil", err)
		}
		// The identity provider withdraws the old key: at the next
		// scheduled refresh, new tokens signed with it stop verifying.
		srv.set(jwksJSON(t, newKey))
		withdrawn := time.Now()
		for i := 0; ; i++ {
			fresh := sign(t, jwt.SigningMethodRS256, k.rsa, "2024", testClaims(func(c *Claims) { c.ID = fmt.Sprintf("fresh-%d", i) }))
			_, err := v.Verify(fresh)
			if err != nil {
				checkRejected(t, err, "auth: unknown key id", fresh)
				break
			}
			if time.Since(withdrawn) > 5*time.Second {
				t.Fatal("a new token signed with the withdrawn key still verifies 5s after the set was changed, refreshing every 100ms")
			}
			time.Sleep(20 * time.Millisecond)
		}
		// A token verified before is remembered, at most verifiedFor.
		if _, err := v.Verify(oldToken); err != nil {
			t.Errorf("Verify(remembered old key token) error = %v, want nil until verifiedFor has passed", err)
		}
		now = now.Add(verifiedFor)
		_, err := v.Verify(oldToken)
		checkRejected(t, err, "auth: unknown key id", oldToken)
		if _, err := v.Verify(newToken); err != nil {
			t.Errorf("Verify(new key token) error = %v, want nil", err)
		}
	})

	t.Run("private key material published after start", func(t *testing.T) {
		srv := newJWKSServer(t, jwksJSON(t, oldKey))
		v := newTestVerifier(t, Config{JWKS: srv.URL + "/jwks.json"})
		// The identity provider publishes the new key with its private
		// exponent: the refresh the unknown kid triggers refuses the set
		// and keeps the last one.
		srv.set(withMembers(t, jwksJSON(t, oldKey, newKey), map[string]string{"d": `"AQAB"`}))
		_, err := v.Verify(newToken)
		checkRejected(t, err, "auth: unknown key id", newToken)
		if got := srv.fetches.Load(); got != 2 {
			t.Errorf("JWKS fetches = %d, want 2 (start, unknown kid)", got)
		}
		if _, err := v.Verify(oldToken); err != nil {
			t.Errorf("Verify(old key token) after a refused set error = %v, want nil", err)
		}
	})
}

func TestSign(t *testing.T) {
	in := SignInput{
		Issuer:   testIssuer,
		Audience: testAudience,
		Subject:  "officer-7",
		Name:     "Trần Thị Bình",
		Agency:   "UBND-Q1",
		Roles:    []Role{RoleAgencyHead, RoleAnalyst},
		TTL:      15 * time.Minute,
		Now:      testNow,
	}
	v := newTestVerifier(t, Config{HS256Secret: testSecret})
	tok, err := Sign(testSecret, in)
	if err != nil {
		t.Fatalf("Sign() error = %v", err)
	}
	c, err := v.Verify(tok)
	if err != nil {
		t.Fatalf("Verify(Sign()) error = %v, want nil", err)
	}
	if c.Subject != in.Subject || c.Name != in.Name || c.Agency != in.Agency || c.Issuer != in.Issuer ||
		!slices.Equal(c.Audience, jwt.ClaimStrings{in.Audience}) || !slices.Equal(c.Roles, []string{"AGENCY_HEAD", "ANALYST"}) {
		t.Errorf("Verify(Sign()) = %+v, want the input's fields", c)
	}
	if !c.IssuedAt.Equal(testNow) || !c.NotBefore.Equal(testNow) || !c.ExpiresAt.Equal(testNow.Add(in.TTL)) {
		t.Errorf("Verify(Sign()) iat, nbf, exp = %v, %v, %v, want %v, %v, %v",
			c.IssuedAt, c.NotBefore, c.ExpiresAt, testNow, testNow, testNow.Add(in.TTL))
	}
	tok2, err := Sign(testSecret, in)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := v.Verify(tok2)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == "" || c.ID == c2.ID {
		t.Errorf("Sign() jti = %q then %q, want distinct non-empty ids", c.ID, c2.ID)
	}
	if _, err := newTestVerifier(t, Config{HS256Secret: otherSecret}).Verify(tok); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("Verify(other secret) error = %v, want ErrUnauthenticated", err)
	}

	bad := []struct {
		name    string
		secret  []byte
		edit    func(*SignInput)
		wantErr string
	}{
		{name: "short secret", secret: []byte("short"), wantErr: "at least 32"},
		{name: "no subject", edit: func(in *SignInput) { in.Subject = "" }, wantErr: "subject is required"},
		{name: "no agency", edit: func(in *SignInput) { in.Agency = "" }, wantErr: "agency is required"},
		{name: "no roles", edit: func(in *SignInput) { in.Roles = nil }, wantErr: "at least one role"},
		{name: "unknown role", edit: func(in *SignInput) { in.Roles = []Role{"GOD"} }, wantErr: `unknown role "GOD"`},
		{name: "no ttl", edit: func(in *SignInput) { in.TTL = 0 }, wantErr: "ttl"},
		{name: "no issuer", edit: func(in *SignInput) { in.Issuer = "" }, wantErr: "issuer is required"},
		{name: "no audience", edit: func(in *SignInput) { in.Audience = "" }, wantErr: "audience is required"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := in
			if tt.edit != nil {
				tt.edit(&in)
			}
			secret := testSecret
			if tt.secret != nil {
				secret = tt.secret
			}
			if _, err := Sign(secret, in); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Sign() error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range AllRoles {
		got, err := ParseRole(string(r))
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v, want %q, nil", r, got, err, r)
		}
	}
	for _, s := range []string{"", "admin", "Admin", " ADMIN", "ROOT"} {
		if got, err := ParseRole(s); err == nil || !strings.HasPrefix(err.Error(), "auth: unknown role") {
			t.Errorf("ParseRole(%q) = %q, %v, want an unknown role error", s, got, err)
		}
	}
	if len(AllRoles) != 6 {
		t.Errorf("len(AllRoles) = %d, want 6", len(AllRoles))
	}
}

func TestViewerContext(t *testing.T) {
	if v, ok := FromContext(context.Background()); ok || v != nil {
		t.Errorf("FromContext(empty) = %v, %v, want nil, false", v, ok)
	}
	if _, ok := FromContext(NewContext(context.Background(), nil)); ok {
		t.Errorf("FromContext(nil viewer) ok = true, want false")
	}
	want := &Viewer{Subject: "s", AgencyCode: "A", Roles: []Role{RoleAnalyst}}
	got, ok := FromContext(NewContext(context.Background(), want))
	if !ok || got != want {
		t.Errorf("FromContext() = %v, %v, want %v, true", got, ok, want)
	}

	tests := []struct {
		roles []Role
		want  bool
	}{
		{roles: []Role{RoleAnalyst}, want: true},
		{roles: []Role{RoleAdmin, RoleAnalyst}, want: true},
		{roles: []Role{RoleAdmin}, want: false},
		{roles: nil, want: false},
	}
	for _, tt := range tests {
		if got := want.HasRole(tt.roles...); got != tt.want {
			t.Errorf("HasRole(%v) = %v, want %v", tt.roles, got, tt.want)
		}
	}
	var none *Viewer
	if none.HasRole(RoleAdmin) {
		t.Errorf("(*Viewer)(nil).HasRole(ADMIN) = true, want false")
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		want   string
		wantOK bool
	}{
		{header: "Bearer abc.def.ghi", want: "abc.def.ghi", wantOK: true},
		{header: "bearer abc", want: "abc", wantOK: true},
		{header: "BEARER abc", want: "abc", wantOK: true},
		{header: "Bearer  abc ", want: "abc", wantOK: true},
		{header: "Basic dXNlcjpwYXNz"},
		{header: "Bearer"},
		{header: "Bearer "},
		{header: "Bearerabc"},
		{header: ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/query", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			got, ok := BearerToken(r)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("BearerToken(%q) = %q, %v, want %q, %v", tt.header, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	v := newTestVerifier(t, Config{HS256Secret: testSecret})
	good := hs256(t, nil)
	forged := sign(t, jwt.SigningMethodHS256, otherSecret, "", testClaims(nil))
	disabled := hs256(t, func(c *Claims) { c.Subject = "disabled-officer" })
	broken := hs256(t, func(c *Claims) { c.Subject = "db-down" })

	resolve := func(ctx context.Context, c *Claims) (*Viewer, error) {
		switch c.Subject {
		case "disabled-officer":
			return nil, fmt.Errorf("%w: officer is disabled", ErrUnauthenticated)
		case "db-down":
			return nil, errors.New("ent: connection refused")
		}
		viewer, err := c.Viewer()
		if err != nil {
			return nil, err
		}
		viewer.OfficerID, viewer.AgencyID = 7, 3
		return viewer, nil
	}

	tests := []struct {
		name       string
		header     string
		resolve    func(context.Context, *Claims) (*Viewer, error)
		wantStatus int
		wantMsg    string // error message in the body
		wantCode   string
		wantViewer *Viewer // nil: next sees no viewer
	}{
		{name: "no header", resolve: resolve, wantStatus: http.StatusOK},
		{
			name: "good token", header: "Bearer " + good, resolve: resolve, wantStatus: http.StatusOK,
			wantViewer: &Viewer{Subject: "officer-42", Name: "Nguyễn Văn An", AgencyCode: "SO-TNMT-HN",
				Roles: []Role{RoleSpecialist, RoleDeskOfficer}, OfficerID: 7, AgencyID: 3},
		},
		{
			name: "good token, nil resolve", header: "bearer " + good, wantStatus: http.StatusOK,
			wantViewer: &Viewer{Subject: "officer-42", Name: "Nguyễn Văn An", AgencyCode: "SO-TNMT-HN",
				Roles: []Role{RoleSpecialist, RoleDeskOfficer}},
		},
		{
			name: "forged token", header: "Bearer " + forged, resolve: resolve,
			wantStatus: http.StatusUnauthorized, wantMsg: "auth: invalid signature", wantCode: "UNAUTHENTICATED",
		},
		{
			name: "not a bearer header", header: "Basic dXNlcjpwYXNz", resolve: resolve,
			wantStatus: http.StatusUnauthorized, wantMsg: "auth: authorization header is not a bearer token", wantCode: "UNAUTHENTICATED",
		},
		{
			name: "resolve rejects", header: "Bearer " + disabled, resolve: resolve,
			wantStatus: http.StatusUnauthorized, wantMsg: "auth: unauthenticated: officer is disabled", wantCode: "UNAUTHENTICATED",
		},
		{
			name: "resolve fails", header: "Bearer " + broken, resolve: resolve,
			wantStatus: http.StatusInternalServerError, wantMsg: "internal error", wantCode: "INTERNAL",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, nil))
			var (
				called    bool
				gotViewer *Viewer
				gotOK     bool
			)
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				gotViewer, gotOK = FromContext(r.Context())
				w.WriteHeader(http.StatusOK)
			})
			h := Middleware(v, tt.resolve, logger)(next)
			r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{ viewer { name } }"}`))
			r.RemoteAddr = "203.0.113.9:4711"
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantStatus == http.StatusOK {
				if !called {
					t.Fatal("next handler not called")
				}
				if tt.wantViewer == nil {
					if gotOK {
						t.Errorf("FromContext() = %+v, true, want no viewer", gotViewer)
					}
					return
				}
				if !gotOK || gotViewer.Subject != tt.wantViewer.Subject || gotViewer.Name != tt.wantViewer.Name ||
					gotViewer.AgencyCode != tt.wantViewer.AgencyCode || !slices.Equal(gotViewer.Roles, tt.wantViewer.Roles) ||
					gotViewer.OfficerID != tt.wantViewer.OfficerID || gotViewer.AgencyID != tt.wantViewer.AgencyID {
					t.Errorf("FromContext() = %+v, %v, want %+v, true", gotViewer, gotOK, tt.wantViewer)
				}
				return
			}

			if called {
				t.Error("next handler called for a rejected request")
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var body struct {
				Errors []struct {
					Message    string `json:"message"`
					Extensions struct {
						Code string `json:"code"`
					} `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", w.Body, err)
			}
			if len(body.Errors) != 1 || body.Errors[0].Message != tt.wantMsg || body.Errors[0].Extensions.Code != tt.wantCode {
				t.Errorf("body = %s, want one error %q with code %q", w.Body, tt.wantMsg, tt.wantCode)
			}
			if strings.Contains(logs.String(), "ent: connection refused") != (tt.wantStatus == http.StatusInternalServerError) {
				t.Errorf("log = %s, want the internal cause logged only for a 500", logs.String())
			}
			if strings.Contains(w.Body.String(), "connection refused") {
				t.Errorf("body = %s leaks the internal error", w.Body)
			}
			if tt.wantStatus != http.StatusUnauthorized {
				return
			}
			if got, want := w.Header().Get("WWW-Authenticate"), `Bearer error="invalid_token"`; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
			var entry map[string]any
			if err := json.Unmarshal(logs.Bytes(), &entry); err != nil {
				t.Fatalf("log %q is not one JSON line: %v", logs.String(), err)
			}
			if entry["level"] != "WARN" || entry["remote_addr"] != "203.0.113.9:4711" || entry["reason"] != tt.wantMsg {
				t.Errorf("log = %v, want level WARN, remote_addr and reason %q", entry, tt.wantMsg)
			}
			if token, _ := strings.CutPrefix(tt.header, "Bearer "); strings.Contains(logs.String(), token) {
				t.Errorf("log = %s, repeats the token", logs.String())
			}
		})
	}
}

// TestFailureLimit: an address that fails authentication more than the
// burst gets 429 RATE_LIMITED for its further failures, while a good token
// from it, other addresses and anonymous requests pass; the websocket path
// counts against the same address.
func TestFailureLimit(t *testing.T) {
	v := newTestVerifier(t, Config{HS256Secret: testSecret, FailureBurst: 3, FailureInterval: time.Hour})
	good := hs256(t, nil)
	forged := sign(t, jwt.SigningMethodHS256, otherSecret, "", testClaims(nil))
	var logs bytes.Buffer
	h := Middleware(v, nil, slog.New(slog.NewJSONHandler(&logs, nil)))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	send := func(addr, header string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`))
		r.RemoteAddr = addr + ":4711"
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	const attacker, other = "198.51.100.7", "198.51.100.8"
	for i := range 3 {
		if w := send(attacker, "Bearer "+forged); w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i+1, w.Code)
		}
	}
	if w := send(attacker, ""); w.Code != http.StatusOK {
		t.Errorf("anonymous request from a limited address: status %d, want 200", w.Code)
	}
	for range 2 {
		w := send(attacker, "Bearer "+forged)
		if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), `"code":"RATE_LIMITED"`) {
			t.Errorf("after 3 failures: status %d body %s, want 429 RATE_LIMITED", w.Code, w.Body)
		}
		if got := w.Header().Get("Retry-After"); got != "3600" {
			t.Errorf("Retry-After = %q, want 3600", got)
		}
	}
	if w := send(attacker, "Bearer "+good); w.Code != http.StatusOK {
		t.Errorf("good token from the limited address: status %d, want 200", w.Code)
	}
	if n := strings.Count(logs.String(), `"level":"WARN"`); n != 3 {
		t.Errorf("%d failures logged at WARN, want the first 3 only: %s", n, logs.String())
	}
	if w := send(other, "Bearer "+good); w.Code != http.StatusOK {
		t.Errorf("good token from another address: status %d, want 200", w.Code)
	}

	// The websocket's connection_init counts too.
	ctx := context.WithValue(context.Background(), addrKey{}, other)
	for range 3 {
		if _, err := Authenticate(ctx, v, nil, forged); !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("forged token: %v", err)
		}
	}
	if _, err := Authenticate(ctx, v, nil, forged); !errors.Is(err, ErrRateLimited) {
		t.Errorf("a fourth failure on the websocket path: %v, want ErrRateLimited", err)
	}
	if _, err := Authenticate(ctx, v, nil, good); err != nil {
		t.Errorf("good token after 3 failures on the websocket path: %v", err)
	}

	// A negative burst turns the limit off.
	off := newTestVerifier(t, Config{HS256Secret: testSecret, FailureBurst: -1})
	for i := range 50 {
		if _, err := Authenticate(ctx, off, nil, forged); errors.Is(err, ErrRateLimited) {
			t.Fatalf("limit off: failure %d rate limited", i+1)
		}
	}
	if _, err := Authenticate(ctx, off, nil, good); err != nil {
		t.Errorf("limit off: good token: %v", err)
	}
}
