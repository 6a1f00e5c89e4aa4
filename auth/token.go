package auth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
)

// ErrUnauthenticated is wrapped by every error Verify returns, so that the
// HTTP layer and the GraphQL error presenter can match it with errors.Is.
var ErrUnauthenticated = errors.New("auth: unauthenticated")

// ErrRateLimited is returned for a failed authentication from a client
// address that has failed too often lately.
var ErrRateLimited = errors.New("auth: too many failed authentications from this address; try again later")

// Algorithms a JWKS key may sign with. Each key is bound to exactly one of
// them by its type (see algForKey), never by the token header alone.
const (
	algHS256 = "HS256"
	algRS256 = "RS256"
	algES256 = "ES256"
	algEdDSA = "EdDSA"
)

const (
	defaultLeeway = 30 * time.Second
	// minSecretLen follows RFC 7518 §3.2: an HS256 key at least as long as
	// the hash output.
	minSecretLen = 32
	// A secret must not repeat a pattern shorter than minSecretPeriod
	// bytes, and must use at least minSecretDistinct distinct bytes (see
	// checkSecret).
	minSecretPeriod   = 16
	minSecretDistinct = 8
	// minRSABits refuses keys that are too weak to trust.
	minRSABits = 2048
	// maxTokenLen caps the work an unauthenticated caller can cause; real
	// tokens are a few hundred bytes.
	maxTokenLen = 16 << 10
	// maxKIDLen caps a key id taken from the (untrusted) token header.
	maxKIDLen = 256
	// maxJWKSFileLen caps the JWKS file read at start-up.
	maxJWKSFileLen = 1 << 20

	// A client address may fail authentication 20 times at once, then
	// once every 3 seconds: enough for a misconfigured client to see its
	// errors, far too slow to guess anything.
	defaultFailureBurst    = 20
	defaultFailureInterval = 3 * time.Second

	// verifiedTokens bounds the tokens remembered as verified (a few
	// hundred bytes each; only tokens that verified get in), verifiedFor
	// how long each is trusted before it is verified again.
	verifiedTokens = 4096
	verifiedFor    = time.Minute

	jwksHTTPTimeout = 10 * time.Second
	// defaultJWKSRefresh is how often a JWKS URL is read again when
	// Config.JWKSRefresh is 0.
	defaultJWKSRefresh = 5 * time.Minute
	// jwksUnknownKIDWait bounds how long a request with an unknown kid may
	// wait for (and spend on) the rate-limited JWKS refresh.
	jwksUnknownKIDWait = 5 * time.Second
)

// Claims is the payload of an access token.
type Claims struct {
	jwt.RegisteredClaims
	Name   string   `json:"name,omitempty"`
	Agency string   `json:"agency"`
	Roles  []string `json:"roles"`
}

// Config configures a Verifier. At least one of HS256Secret and JWKS is
// required, and so are Issuer and Audience.
type Config struct {
	// HS256Secret verifies tokens without a "kid" header (tokens minted by
	// Sign, e.g. for development and tests). At least 32 bytes, and not
	// obviously weak (see checkSecret).
	HS256Secret []byte
	// JWKS is a file path or an http(s) URL of a JWK Set with RS256, ES256
	// or EdDSA keys (an identity provider's keys). A URL is refreshed in the
	// background; a file is read once.
	JWKS string
	// JWKSRefresh is how often a JWKS URL is read again; 0 means 5
	// minutes. A key withdrawn from the set stops verifying at the next
	// read, and tokens verified with it before at most verifiedFor (a
	// minute) later. A token naming an unknown kid also makes the set be
	// read, at most once every 5 minutes.
	JWKSRefresh time.Duration
	// Issuer and Audience must match the token's "iss" and "aud".
	Issuer   string
	Audience string
	// Leeway is the clock skew allowed on exp, nbf and iat; 0 means 30s.
	Leeway time.Duration
	// Now replaces time.Now, for tests.
	Now func() time.Time
	// FailureBurst failed authentications are answered per client
	// address, then one per FailureInterval; failures beyond that are
	// answered RATE_LIMITED (429) and not logged at Warn. Valid tokens
	// always pass. 0 means 20 and 3s; a negative burst turns the limit off.
	FailureBurst    int
	FailureInterval time.Duration
}

// Verifier checks access tokens. It is safe for concurrent use.
type Verifier struct {
	secret  []byte         // nil when no HS256 secret is configured
	keys    jwkset.Storage // nil when no JWKS is configured
	methods []string       // algorithms the parser accepts at all
	parser  *jwt.Parser
	// failures limits failed authentications per client address; nil
	// when turned off.
	failures *Limiter
	// verified remembers tokens that passed, so that an officer's stream
	// of requests pays for the signature and the JSON of their token once
	// a verifiedFor rather than once a request (see cached).
	verified *lru.Cache[string, verifiedToken]
	now      func() time.Time
	leeway   time.Duration
}

// verifiedToken is a token's claims as verified, and until when they
// stand without a new verification.
type verifiedToken struct {
	claims Claims
	until  time.Time
}

// NewVerifier builds a Verifier from cfg. When cfg.JWKS is a URL it is fetched
// now (an unreachable URL is an error) and then every cfg.JWKSRefresh, and
// early when a token names an unknown kid (rate limited), until ctx ends.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	switch {
	case len(cfg.HS256Secret) == 0 && cfg.JWKS == "":
		return nil, errors.New("auth: neither an hs256 secret nor a jwks is configured")
	case cfg.Issuer == "":
		return nil, errors.New("auth: issuer is required")
	case cfg.Audience == "":
		return nil, errors.New("auth: audience is required")
	case cfg.Leeway < 0:
		return nil, fmt.Errorf("auth: negative leeway %s", cfg.Leeway)
	case cfg.JWKSRefresh < 0:
		return nil, fmt.Errorf("auth: negative jwks refresh %s", cfg.JWKSRefresh)
	}
	if len(cfg.HS256Secret) > 0 {
		if err := checkSecret(cfg.HS256Secret); err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
	}
	v := &Verifier{now: time.Now}
	if cfg.Now != nil {
		v.now = cfg.Now
	}
	v.verified, _ = lru.New[string, verifiedToken](verifiedTokens)
	if cfg.FailureBurst >= 0 {
		burst, every := cfg.FailureBurst, cfg.FailureInterval
		if burst == 0 {
			burst = defaultFailureBurst
		}
		if every <= 0 {
			every = defaultFailureInterval
		}
		v.failures = NewLimiter(every, burst)
	}
	if len(cfg.HS256Secret) > 0 {
		v.secret = slices.Clone(cfg.HS256Secret)
		v.methods = append(v.methods, algHS256)
	}
	if cfg.JWKS != "" {
		var err error
		if isURL(cfg.JWKS) {
			refresh := cfg.JWKSRefresh
			if refresh == 0 {
				refresh = defaultJWKSRefresh
			}
			v.keys, err = jwksFromURL(ctx, cfg.JWKS, refresh)
		} else {
			v.keys, err = jwksFromFile(ctx, cfg.JWKS)
		}
		if err != nil {
			return nil, err
		}
		v.methods = append(v.methods, algRS256, algES256, algEdDSA)
	}
	leeway := cfg.Leeway
	if leeway == 0 {
		leeway = defaultLeeway
	}
	v.leeway = leeway
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(v.methods),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(leeway),
		jwt.WithStrictDecoding(),
	}
	if cfg.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(cfg.Now))
	}
	v.parser = jwt.NewParser(opts...)
	return v, nil
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func jwksFromURL(ctx context.Context, rawURL string, refresh time.Duration) (jwkset.Storage, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("auth: jwks url is not a valid url")
	}
	shown := u.Redacted()
	// keyfunc starts its refresh goroutine before the first fetch; a child
	// context lets a failed start stop it instead of leaving it to ctx.
	ctx, cancel := context.WithCancel(ctx)
	noErrorOnFirstFetch := false
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{rawURL}, keyfunc.Override{
		Client:                    &http.Client{Transport: publicJWKSTransport{base: http.DefaultTransport}},
		HTTPTimeout:               jwksHTTPTimeout,
		NoErrorReturnFirstHTTPReq: &noErrorOnFirstFetch,
		RateLimitWaitMax:          jwksUnknownKIDWait,
		RefreshInterval:           refresh,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				level := slog.LevelWarn
				if errors.Is(err, errPrivateKeyMaterial) {
					level = slog.LevelError // the identity provider leaks its signing key
				}
				slog.Log(ctx, level, "auth: refresh jwks: the last set stays", slog.String("url", shown), slog.Any("error", err))
			}
		},
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("auth: fetch jwks %s: %w", shown, err)
	}
	// On success the refresh runs until the caller's ctx ends; cancel then
	// only releases the child context.
	context.AfterFunc(ctx, cancel)
	return kf.Storage(), nil
}

func jwksFromFile(ctx context.Context, path string) (jwkset.Storage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth: read jwks: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxJWKSFileLen+1))
	if err != nil {
		return nil, fmt.Errorf("auth: read jwks %s: %w", path, err)
	}
	if len(raw) > maxJWKSFileLen {
		return nil, fmt.Errorf("auth: jwks %s is larger than %d bytes", path, maxJWKSFileLen)
	}
	if err := checkPublicJWKS(raw); err != nil {
		return nil, fmt.Errorf("auth: jwks %s: %w", path, err)
	}
	kf, err := keyfunc.NewJWKSetJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("auth: parse jwks %s: %w", path, err)
	}
	keys, err := kf.Storage().KeyReadAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: parse jwks %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("auth: jwks %s holds no keys", path)
	}
	for _, k := range keys {
		// A verifier needs public keys only; secret material here means a
		// signing key was copied to the wrong place.
		if m := k.Marshal(); m.D != "" || m.K != "" {
			return nil, fmt.Errorf("auth: jwks %s: key %q holds private or symmetric key material", path, m.KID)
		}
	}
	return kf.Storage(), nil
}

// errPrivateKeyMaterial is wrapped by the error of a JWK Set refused for
// holding private or symmetric key material.
var errPrivateKeyMaterial = errors.New("private or symmetric key material")

// privateMembers are the JWK members of private or symmetric key material:
// RSA's (RFC 7518 §6.3.2), EC's and OKP's d (§6.2.2, RFC 8037 §2) and a
// symmetric key's k (§6.4.1).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// checkPublicJWKS fails when raw, a JWK Set, holds private or symmetric key
// material. It reads the JSON itself: jwkset parses an RSA key with d but
// without its primes as a public key and forgets d, so a check of what
// jwkset parsed would miss it. Member names are folded as Go's decoder
// (and so jwkset's) matches them: "D" is d.
func checkPublicJWKS(raw []byte) error {
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return fmt.Errorf("not a JWK Set: %w", err)
	}
	for i, key := range set.Keys {
		for name := range key {
			if !slices.Contains(privateMembers, foldKey(name)) {
				continue
			}
			var kid string
			_ = json.Unmarshal(key["kid"], &kid)
			which := fmt.Sprintf("number %d", i+1)
			if kid != "" {
				which = quoteKey(kid)
			}
			return fmt.Errorf("key %s holds %w (%q): a JWKS must hold public keys only", which, errPrivateKeyMaterial, name)
		}
	}
	return nil
}

// publicJWKSTransport reads every JWK Set keyfunc fetches, the first and
// each refresh, and refuses one larger than maxJWKSFileLen or holding
// private or symmetric key material (checkPublicJWKS): at start that is
// NewVerifier's error, later the refresh fails and the last set stays.
type publicJWKSTransport struct {
	base http.RoundTripper
}

func (t publicJWKSTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSFileLen+1))
	if err != nil {
		return nil, fmt.Errorf("auth: read jwks: %w", err)
	}
	if len(raw) > maxJWKSFileLen {
		return nil, fmt.Errorf("auth: jwks is larger than %d bytes", maxJWKSFileLen)
	}
	if err := checkPublicJWKS(raw); err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	resp.ContentLength = int64(len(raw))
	return resp, nil
}

// Verify checks token and returns its claims. It is VerifyContext with a
// background context.
func (v *Verifier) Verify(token string) (*Claims, error) {
	return v.VerifyContext(context.Background(), token)
}

// VerifyContext checks token's JSON (checkStrict), signature, algorithm,
// issuer, audience, times and the service's own claims (sub, agency, roles)
// and returns its claims.
// ctx bounds the JWKS refresh an unknown kid may trigger. Every error wraps
// ErrUnauthenticated and its message never repeats the token.
func (v *Verifier) VerifyContext(ctx context.Context, token string) (*Claims, error) {
	if token == "" {
		return nil, unauthenticated("auth: empty token", nil)
	}
	if len(token) > maxTokenLen {
		return nil, unauthenticated("auth: token too large", nil)
	}
	if c, ok := v.cached(token); ok {
		return c, nil
	}
	if err := checkStrict(token); err != nil {
		return nil, err
	}
	c := &Claims{}
	t, err := v.parser.ParseWithClaims(token, c, v.keyfunc(ctx))
	if err != nil {
		return nil, v.explain(err, t, c)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	v.remember(token, c)
	return c, nil
}

// cached returns a copy of the claims of token if it verified lately and
// has not expired since.
func (v *Verifier) cached(token string) (*Claims, bool) {
	e, ok := v.verified.Get(token)
	if !ok {
		return nil, false
	}
	if !v.now().Before(e.until) {
		v.verified.Remove(token)
		return nil, false
	}
	c := e.claims
	c.Audience, c.Roles = slices.Clone(c.Audience), slices.Clone(c.Roles)
	return &c, true
}

// remember keeps the claims of a token that verified until it expires
// (with the leeway, as the parser allows) or for verifiedFor, whichever is
// sooner: a key withdrawn from the JWKS stops its tokens at most
// verifiedFor after the set is read again.
func (v *Verifier) remember(token string, c *Claims) {
	until := v.now().Add(verifiedFor)
	if exp := c.ExpiresAt.Add(v.leeway); exp.Before(until) {
		until = exp
	}
	e := verifiedToken{claims: *c, until: until}
	e.claims.Audience, e.claims.Roles = slices.Clone(c.Audience), slices.Clone(c.Roles)
	v.verified.Add(token, e)
}

// keyfunc picks the key for t. Everything in t.Header is attacker-controlled:
// the header only selects among keys we hold, and each key accepts the single
// algorithm its type allows.
func (v *Verifier) keyfunc(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		alg := t.Method.Alg()
		rawKID, hasKID := t.Header[jwkset.HeaderKID]
		if !hasKID {
			if v.secret == nil {
				return nil, unauthenticated("auth: token has no key id", nil)
			}
			if alg != algHS256 {
				return nil, unauthenticated(fmt.Sprintf("auth: signing algorithm %q needs a key id", alg), nil)
			}
			return v.secret, nil
		}
		if alg == algHS256 {
			// A kid selects a JWKS key; letting it pick the HS256 path
			// would reopen the public-key-as-HMAC-secret confusion.
			return nil, unauthenticated(`auth: signing algorithm "HS256" not allowed with a key id`, nil)
		}
		kid, ok := rawKID.(string)
		if !ok || kid == "" || len(kid) > maxKIDLen {
			return nil, unauthenticated("auth: invalid key id", nil)
		}
		if v.keys == nil {
			return nil, unauthenticated("auth: unknown key id", nil)
		}
		jwk, err := v.keys.KeyRead(ctx, kid)
		if err != nil {
			return nil, unauthenticated("auth: unknown key id", err)
		}
		m := jwk.Marshal()
		if m.USE != "" && m.USE != jwkset.UseSig {
			return nil, unauthenticated("auth: key is not a signing key", nil)
		}
		if len(m.KEYOPS) > 0 && !slices.Contains(m.KEYOPS, jwkset.KeyOpsVerify) {
			return nil, unauthenticated("auth: key is not a verification key", nil)
		}
		key := jwk.Key()
		if pk, ok := key.(interface{ Public() crypto.PublicKey }); ok {
			key = pk.Public()
		}
		want := algForKey(key)
		if want == "" || (m.ALG != "" && string(m.ALG) != want) {
			return nil, unauthenticated("auth: unsupported key type", nil)
		}
		if alg != want {
			return nil, unauthenticated(fmt.Sprintf("auth: signing algorithm %q does not match the key", alg), nil)
		}
		return key, nil
	}
}

// algForKey returns the one algorithm key may verify, or "" when the key is
// of a type or size the service does not accept.
func algForKey(key any) string {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() >= minRSABits {
			return algRS256
		}
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return algES256
		}
	case ed25519.PublicKey:
		return algEdDSA
	}
	return ""
}

// explain turns a jwt parse error into one ErrUnauthenticated error whose
// message names the first thing wrong.
func (v *Verifier) explain(err error, t *jwt.Token, c *Claims) error {
	var ae *authError
	if errors.As(err, &ae) {
		return ae
	}
	msg := "auth: invalid token"
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		msg = "auth: malformed token"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		msg = "auth: invalid signature"
		if t != nil && t.Method != nil && !slices.Contains(v.methods, t.Method.Alg()) {
			msg = fmt.Sprintf("auth: signing algorithm %q not allowed", t.Method.Alg())
		}
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		msg = "auth: unsupported signing algorithm"
	// Below, the signature has been verified, so the claims can be read.
	case errors.Is(err, jwt.ErrTokenExpired):
		msg = "auth: token expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		msg = "auth: token not valid yet"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		msg = "auth: token issued in the future"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case c.ExpiresAt == nil:
			msg = "auth: token has no expiry"
		case c.Issuer == "":
			msg = "auth: token has no issuer"
		case len(c.Audience) == 0 || c.Audience[0] == "":
			msg = "auth: token has no audience"
		default:
			msg = "auth: token misses a required claim"
		}
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		msg = "auth: wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		msg = "auth: wrong audience"
	}
	return unauthenticated(msg, err)
}

// validate checks the claims the service itself relies on.
func (c *Claims) validate() error {
	_, err := c.roles()
	return err
}

// roles checks sub, agency and roles and returns the roles, de-duplicated.
func (c *Claims) roles() ([]Role, error) {
	switch {
	case strings.TrimSpace(c.Subject) == "":
		return nil, unauthenticated("auth: token has no subject", nil)
	case strings.TrimSpace(c.Agency) == "":
		return nil, unauthenticated("auth: token has no agency", nil)
	case len(c.Roles) == 0:
		return nil, unauthenticated("auth: token has no roles", nil)
	}
	roles := make([]Role, 0, len(c.Roles))
	for _, s := range c.Roles {
		r, err := ParseRole(s)
		if err != nil {
			return nil, unauthenticated(err.Error(), err)
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

// Viewer converts verified claims into a Viewer (without database ids).
func (c *Claims) Viewer() (*Viewer, error) {
	if c == nil {
		return nil, unauthenticated("auth: no claims", nil)
	}
	roles, err := c.roles()
	if err != nil {
		return nil, err
	}
	return &Viewer{
		Subject:    c.Subject,
		Name:       c.Name,
		AgencyCode: c.Agency,
		Roles:      roles,
	}, nil
}

// checkSecret refuses an HS256 secret that is shorter than minSecretLen or
// obviously weak: a pattern shorter than minSecretPeriod repeated ("aaaa…",
// "secretsecret…"), or fewer than minSecretDistinct distinct bytes. It is
// a floor, not a measure of strength: a good secret is random, e.g.
// `openssl rand -base64 32` or `-hex 32` (a hex secret has at most 16
// distinct bytes, so the floor asks for 8).
func checkSecret(secret []byte) error {
	if len(secret) < minSecretLen {
		return fmt.Errorf("hs256 secret is %d bytes, want at least %d", len(secret), minSecretLen)
	}
	for p := 1; p < minSecretPeriod; p++ {
		if repeats(secret, p) {
			unit := "bytes"
			if p == 1 {
				unit = "byte"
			}
			return fmt.Errorf("hs256 secret repeats a pattern of %d %s, want none shorter than %d bytes: generate one with `openssl rand -base64 32`", p, unit, minSecretPeriod)
		}
	}
	var seen [256]bool
	distinct := 0
	for _, b := range secret {
		if !seen[b] {
			seen[b] = true
			distinct++
		}
	}
	if distinct < minSecretDistinct {
		return fmt.Errorf("hs256 secret has %d distinct bytes, want at least %d: generate one with `openssl rand -base64 32`", distinct, minSecretDistinct)
	}
	return nil
}

// repeats reports whether s is its first p bytes repeated (the last time
// perhaps cut short).
func repeats(s []byte, p int) bool {
	for i := p; i < len(s); i++ {
		if s[i] != s[i-p] {
			return false
		}
	}
	return true
}

// SignInput describes a token for Sign.
type SignInput struct {
	Issuer   string
	Audience string
	Subject  string
	Name     string
	Agency   string
	Roles    []Role
	TTL      time.Duration
	Now      time.Time // zero means time.Now()
}

// Sign mints an HS256 token (no kid) that a Verifier configured with the
// same secret, issuer and audience accepts. It is meant for development,
// tests and internal tooling; production officers get tokens from the
// identity provider.
func Sign(secret []byte, in SignInput) (string, error) {
	if err := checkSecret(secret); err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	switch {
	case in.Issuer == "":
		return "", errors.New("auth: sign: issuer is required")
	case in.Audience == "":
		return "", errors.New("auth: sign: audience is required")
	case in.Subject == "":
		return "", errors.New("auth: sign: subject is required")
	case in.Agency == "":
		return "", errors.New("auth: sign: agency is required")
	case len(in.Roles) == 0:
		return "", errors.New("auth: sign: at least one role is required")
	case in.TTL <= 0:
		return "", fmt.Errorf("auth: sign: ttl %s is not positive", in.TTL)
	}
	roles := make([]string, len(in.Roles))
	for i, r := range in.Roles {
		if _, err := ParseRole(string(r)); err != nil {
			return "", fmt.Errorf("auth: sign: %w", err)
		}
		roles[i] = string(r)
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.Truncate(time.Second) // NumericDate has second precision
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", fmt.Errorf("auth: sign: token id: %w", err)
	}
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    in.Issuer,
			Subject:   in.Subject,
			Audience:  jwt.ClaimStrings{in.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(in.TTL)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        base64.RawURLEncoding.EncodeToString(jti[:]),
		},
		Name:   in.Name,
		Agency: in.Agency,
		Roles:  roles,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	return s, nil
}

// authError is an ErrUnauthenticated with a message safe to show the caller
// and, for logs and errors.Is, the underlying cause.
type authError struct {
	msg   string
	cause error
}

func unauthenticated(msg string, cause error) *authError {
	return &authError{msg: msg, cause: cause}
}

func (e *authError) Error() string { return e.msg }

func (e *authError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrUnauthenticated}
	}
	return []error{ErrUnauthenticated, e.cause}
}
