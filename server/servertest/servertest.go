// Package servertest is the one whole-stack test harness: the real server
// (server.Open and its handler) on a fresh database — SQLite, and
// PostgreSQL as well when TEST_DATABASE_URL is set — with a test clock, a
// count of the SQL statements sent, a GraphQL client and the checks every
// suite shares (the history's invariants, roll-ups against a rebuild).
// Each environment is its own, so tests using it may run in parallel.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	_ "github.com/jackc/pgx/v5/stdlib" // freshPostgres's admin connection

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/demo"
	"lienthong/server"
	"lienthong/store"
	"lienthong/webhook"
)

// Secret signs the tests' tokens.
const Secret = "test-secret-0123456789-abcdefghijklmnop"

// WebhookKey encrypts webhook secrets in every test environment.
const WebhookKey = "dGVzdC13ZWJob29rLWtleS0zMi1ieXRlcy1sb25nISE="

// TrackingURL is the public tracking address the tests' QR codes hold.
const TrackingURL = "https://dichvucong.quangtri.gov.vn/tra-cuu"

// WebhookTimeout bounds one webhook request in the tests.
const WebhookTimeout = 300 * time.Millisecond

// WebhookAllowNetworks lets webhooks reach the tests' receivers, on
// loopback over plain http (server.Config.WebhookAllowNetworks); the
// server's default refuses every internal address.
const WebhookAllowNetworks = "127.0.0.0/8,::1/128"

// WebhookConfig is the configuration of a webhook service of e's as the
// server's is, for tests that run a dispatcher of their own (another
// instance, another key): the test clock, plain http, loopback allowed,
// WebhookTimeout, the test key.
func (e *Env) WebhookConfig() webhook.Config {
	c := webhook.Config{AllowHTTP: true, AllowNetworks: webhook.Loopback, Timeout: WebhookTimeout, Keys: MustKeys(WebhookKey)}
	if e.Clock != nil {
		c.Clock = e.Clock
	}
	return c
}

// Now is Monday 16 November 2026, 09:00 in Hanoi: the demo's "now" and
// every environment's starting time.
var Now = time.Date(2026, 11, 16, 9, 0, 0, 0, calendar.VietnamLocation())

// Options shape an environment.
type Options struct {
	// Demo seeds the demo province with these options; nil leaves the
	// database empty. Now and Dialect are filled in when zero.
	Demo *demo.Options
	// NoWriteCheck turns off the engine's read-back of every dossier it
	// writes (workflow.Config.CheckWrites), which tests otherwise keep on
	// and which costs one statement per transition.
	NoWriteCheck bool
	// CacheTTL is the engine's workflow.Config.CacheTTL (0: its default).
	CacheTTL time.Duration
	// SystemClock runs the server on the machine's clock, as in
	// production, instead of a test clock at Now (Env.Clock is then nil).
	SystemClock bool
}

// Seeded is the demo province with a dozen dossiers; Empty an empty
// database.
var (
	Seeded = Options{Demo: &demo.Options{Now: Now, Dossiers: 12}}
	Empty  = Options{}
)

// Env is one whole-stack environment.
type Env struct {
	T          testing.TB
	URL        string // the database's
	App        *server.App
	Clock      *calendar.TestClock
	Handler    http.Handler
	Verifier   *auth.Verifier
	Statements *atomic.Int64 // SQL statements sent through the server's driver
	opts       Options
}

// StrictEnv names the variable that, set to 1 (CI sets it), turns every skip for something this
// machine lacks into a failure: CI installs everything and skips nothing.
const StrictEnv = "LIENTHONG_TEST_STRICT"

// Lacking skips a test that needs what this machine lacks, saying what to
// install; under StrictEnv it fails the test instead.
func Lacking(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(StrictEnv) == "1" {
		t.Fatalf("missing on a machine that must have everything: "+format, args...)
	}
	t.Skipf(format, args...)
}

// PostgresBase is TEST_DATABASE_URL, the server tests make their
// PostgreSQL databases on; the test is skipped (failed under StrictEnv)
// without it.
func PostgresBase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		Lacking(t, "needs PostgreSQL: set TEST_DATABASE_URL (README, Two commands)")
	}
	return base
}

// Databases lists the databases every whole-stack test runs on, each as a
// function returning the URL of a fresh one: SQLite, and PostgreSQL when
// TEST_DATABASE_URL is set (required under StrictEnv).
func Databases(t *testing.T) map[string]func(t *testing.T) string {
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string {
			return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
		},
	}
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		dbs["postgres"] = func(t *testing.T) string { return FreshPostgres(t, base) }
	} else if os.Getenv(StrictEnv) == "1" {
		t.Fatal("TEST_DATABASE_URL is not set: the PostgreSQL half cannot run")
	}
	return dbs
}

// Each runs f once per database, each with a fresh environment.
func Each(t *testing.T, opts Options, f func(t *testing.T, e *Env)) {
	t.Helper()
	for name, url := range Databases(t) {
		t.Run(name, func(t *testing.T) {
			f(t, New(t, url(t), opts))
		})
	}
}

var pgSeq atomic.Int64

// FreshPostgres creates a throw-away database on the server of base and
// returns its URL; it is dropped when the test ends.
func FreshPostgres(t testing.TB, base string) string {
	t.Helper()
	name := fmt.Sprintf("lienthong_t_%d_%d", os.Getpid(), pgSeq.Add(1))
	u, err := store.PostgresDatabase(context.Background(), base, name, true)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() { _ = store.DropPostgresDatabase(context.Background(), base, name) })
	return u
}

// Config is the server configuration of a test environment on dbURL.
func Config(dbURL string) server.Config {
	return server.Config{
		DatabaseURL: dbURL, Issuer: "lienthong", Audience: "lienthong", HS256Secret: Secret,
		TrackingURL: TrackingURL, WebhookKeys: WebhookKey,
		// The tests' receivers listen on loopback: production refuses it.
		WebhookAllowNetworks: WebhookAllowNetworks,
	}
}

// New opens the server on dbURL with a test clock at Now, seeded as opts
// says.
func New(t testing.TB, dbURL string, opts Options) *Env {
	t.Helper()
	var clock *calendar.TestClock
	if !opts.SystemClock {
		clock = calendar.NewTestClock(Now)
	}
	e := open(t, dbURL, opts, clock)
	if opts.Demo != nil {
		d := *opts.Demo
		if d.Now.IsZero() {
			d.Now = Now
		}
		d.Dialect = e.App.DB.Dialect
		if err := demo.Seed(context.Background(), e.App.DB.Client, d); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	return e
}

// Instance is a second server instance on e's database, with its own
// connections, engine, caches, live feed and handler, on e's clock (run
// its feed with e.App.Feed.Run to stream events).
func (e *Env) Instance(t testing.TB) *Env {
	t.Helper()
	return open(t, e.URL, e.opts, e.Clock)
}

func open(t testing.TB, dbURL string, opts Options, clock *calendar.TestClock) *Env {
	t.Helper()
	ctx := context.Background()
	var statements atomic.Int64
	var c calendar.Clock = calendar.SystemClock{}
	if clock != nil {
		c = clock
	}
	a, err := server.Open(ctx, Config(dbURL), server.Options{
		Clock:          c,
		WrapDriver:     func(d dialect.Driver) dialect.Driver { return &countingDriver{Driver: d, n: &statements} },
		CheckWrites:    !opts.NoWriteCheck,
		CacheTTL:       opts.CacheTTL,
		WebhookTimeout: WebhookTimeout,
		WebhookHTTP:    true,
		FeedPoll:       20 * time.Millisecond,
		SocketRecheck:  200 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	verifier, err := Config(dbURL).Verifier(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, URL: dbURL, App: a, Clock: clock, Handler: a.Handler(verifier), Verifier: verifier, Statements: &statements, opts: opts}
}

// Token signs a token for any claims.
func (e *Env) Token(sub, agency string, roles ...auth.Role) string {
	e.T.Helper()
	tok, err := auth.Sign([]byte(Secret), auth.SignInput{
		Issuer: "lienthong", Audience: "lienthong", Subject: sub, Name: sub,
		Agency: agency, Roles: roles, TTL: time.Hour, Now: time.Now(),
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// As returns the token of a demo officer, by subject.
func (e *Env) As(sub string) string {
	e.T.Helper()
	for _, o := range demo.Officers {
		if o.Subject == sub {
			return e.Token(o.Subject, o.Agency, o.Roles...)
		}
	}
	e.T.Fatalf("no demo officer %q", sub)
	return ""
}

// GQLError is one GraphQL error.
type GQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is a GraphQL response.
type Response struct {
	Status int
	Data   map[string]any
	Errors []GQLError
	Raw    []byte
}

// Code returns the first error's extensions.code, or "".
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Do posts a GraphQL request through the real handler.
func (e *Env) Do(token, query string, vars map[string]any) Response {
	e.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []GQLError     `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		e.T.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return Response{Status: rec.Code, Data: out.Data, Errors: out.Errors, Raw: rec.Body.Bytes()}
}

// MustDo is Do that fails the test on any GraphQL error.
func (e *Env) MustDo(token, query string, vars map[string]any) map[string]any {
	e.T.Helper()
	r := e.Do(token, query, vars)
	if len(r.Errors) > 0 {
		e.T.Fatalf("unexpected errors: %s", r.Raw)
	}
	return r.Data
}

// FireAt sets the clock to at and runs a one-field mutation on dossier id,
// returning that field.
func (e *Env) FireAt(token, mutation, id string, at time.Time) map[string]any {
	e.T.Helper()
	e.Clock.Set(at)
	r := e.Do(token, mutation, map[string]any{"id": id})
	if len(r.Errors) > 0 {
		e.T.Fatalf("%s: %s", mutation, r.Raw)
	}
	for _, v := range r.Data {
		return v.(map[string]any)
	}
	return nil
}

// Get walks a decoded JSON value: Get(v, "a", "b", 0, "c").
func Get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// Str is Get of a string ("" otherwise).
func Str(v any, path ...any) string {
	s, _ := Get(v, path...).(string)
	return s
}

// Num is Get of a number, as an int (0 otherwise).
func Num(v any, path ...any) int {
	f, _ := Get(v, path...).(float64)
	return int(f)
}

// Post sends one GraphQL request and returns its data, or an error with
// the refusal's code (or the transport's error).
func Post(base, token, query string, vars map[string]any) (map[string]any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	c := http.Client{Timeout: 15 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []GQLError     `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("%v: %s", out.Errors[0].Extensions["code"], out.Errors[0].Message)
	}
	return out.Data, nil
}

// MustKeys parses webhook secret keys (webhook.ParseKeys) or panics.
func MustKeys(list string) *webhook.Keys {
	k, err := webhook.ParseKeys(list)
	if err != nil {
		panic(err)
	}
	return k
}

// GetPDF fetches a form as token and returns it (failing on anything but
// a PDF), or the status for an expected refusal.
func (e *Env) GetPDF(token, path string) ([]byte, int) {
	e.T.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK && rec.Header().Get("Content-Type") != "application/pdf" {
		e.T.Fatalf("GET %s: content type %q", path, rec.Header().Get("Content-Type"))
	}
	return rec.Body.Bytes(), rec.Code
}

// Main runs a package's tests with the server's logs silenced, unless the
// run is verbose or TEST_LOG is set, then runs after (closing what the
// package's tests share) and exits with the tests' status.
func Main(m *testing.M, after ...func() error) {
	flag.Parse()
	if !testing.Verbose() && os.Getenv("TEST_LOG") == "" {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	code := m.Run()
	for _, f := range after {
		if err := f(); err != nil {
			fmt.Fprintln(os.Stderr, "servertest: after the tests:", err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}
