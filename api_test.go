package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	_ "github.com/jackc/pgx/v5/stdlib"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/demo"
	"lienthong/ent"
	"lienthong/feed"
	"lienthong/forms"
	"lienthong/webhook"
	"lienthong/workflow"
)

// testSecret signs the tokens of the whole-stack tests.
const testSecret = "test-secret-0123456789-abcdefghijklmnop"

// testNow is Monday 16 November 2026, 09:00 in Hanoi: the demo's "now".
var testNow = time.Date(2026, 11, 16, 9, 0, 0, 0, calendar.VietnamLocation())

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		// A server process started by a fault test (see startInstance).
		os.Args = append(os.Args[:1], strings.Fields(args)...)
		main()
		return
	}
	flag.Parse()
	if !testing.Verbose() {
		if os.Getenv("TEST_LOG") == "" {
			slog.SetDefault(slog.New(slog.DiscardHandler))
		}
	}
	os.Exit(m.Run())
}

// env is one whole-stack test environment: a fresh database (SQLite, or
// PostgreSQL when TEST_DATABASE_URL is set), the real HTTP handler and a
// test clock.
type env struct {
	t        testing.TB
	app      *app
	clock    *calendar.TestClock
	handler  http.Handler
	queries  *atomic.Int64
	verifier *auth.Verifier
}

// databases lists the databases every whole-stack test runs on.
func databases(t *testing.T) map[string]func(t *testing.T) string {
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string {
			return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
		},
	}
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		dbs["postgres"] = func(t *testing.T) string { return freshPostgres(t, base) }
	}
	return dbs
}

// eachDB runs f once per database, each with its own fresh environment,
// seeded with the demo province and a dozen dossiers when seed is set.
func eachDB(t *testing.T, seed bool, f func(t *testing.T, e *env)) {
	t.Helper()
	var opts *demo.Options
	if seed {
		opts = &demo.Options{Now: testNow, Dossiers: 12}
	}
	eachDBWith(t, opts, f)
}

// eachDBWith is eachDB with the demo options (nil: an empty database).
func eachDBWith(t *testing.T, opts *demo.Options, f func(t *testing.T, e *env)) {
	t.Helper()
	for name, url := range databases(t) {
		t.Run(name, func(t *testing.T) {
			f(t, newEnvWith(t, url(t), opts))
		})
	}
}

var pgSeq atomic.Int64

// freshPostgres creates a throw-away database on the server of base.
func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	name := fmt.Sprintf("lienthong_t_%d_%d", os.Getpid(), pgSeq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}

func newEnv(t *testing.T, dbURL string, seed bool) *env {
	t.Helper()
	if seed {
		return newEnvWith(t, dbURL, &demo.Options{Now: testNow, Dossiers: 12})
	}
	return newEnvWith(t, dbURL, nil)
}

func newEnvWith(t testing.TB, dbURL string, seed *demo.Options) *env {
	t.Helper()
	ctx := context.Background()
	var queries atomic.Int64
	cfg := config{DatabaseURL: dbURL, Issuer: "lienthong", Audience: "lienthong", HS256Secret: testSecret}
	a, err := openApp(ctx, cfg)
	if err != nil {
		t.Fatalf("openApp: %v", err)
	}
	t.Cleanup(func() { a.db.Close() })
	// Count SQL statements from here on, through a counting driver.
	counted := ent.NewClient(ent.Driver(&countingDriver{Driver: a.db.Driver, n: &queries}))
	access.Install(counted)
	clock := calendar.NewTestClock(testNow)
	a.db.Client = counted
	a.clock = clock
	a.access = access.NewResolver(counted)
	a.engine = workflow.NewEngine(counted, workflow.Config{Dialect: a.db.Dialect, Clock: clock, CheckWrites: checkWrites, CacheTTL: cacheTTL})
	a.forms = forms.New(counted, forms.Config{Clock: clock, TrackingURL: testTrackingURL})
	a.feed = feed.New(counted, 20*time.Millisecond, slog.New(slog.DiscardHandler))
	a.hooks = webhook.New(counted, webhook.Config{Clock: clock, AllowHTTP: true, Client: &http.Client{Timeout: webhookTimeout}, Logger: slog.New(slog.DiscardHandler), Keys: mustKeys(testWebhookKey), OnChange: a.engine.ForgetWebhooks})
	if seed != nil {
		opts := *seed
		opts.Dialect = a.db.Dialect
		if err := demo.Seed(ctx, counted, opts); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{HS256Secret: []byte(testSecret), Issuer: "lienthong", Audience: "lienthong"})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, app: a, clock: clock, handler: a.routes(verifier), queries: &queries, verifier: verifier}
}

// testWebhookKey encrypts webhook secrets in every test environment.
const testWebhookKey = "dGVzdC13ZWJob29rLWtleS0zMi1ieXRlcy1sb25nISE="

func mustKeys(list string) *webhook.Keys {
	k, err := webhook.ParseKeys(list)
	if err != nil {
		panic(err)
	}
	return k
}

// countingDriver counts the statements sent to the database.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d *countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, q, args, v)
}

func (d *countingDriver) Exec(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, q, args, v)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: d.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t *countingTx) Query(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	if os.Getenv("TEST_SQL") != "" {
		fmt.Println("Q:", q)
	}
	return t.Tx.Query(ctx, q, args, v)
}

func (t *countingTx) Exec(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	if os.Getenv("TEST_SQL") != "" {
		fmt.Println("E:", q)
	}
	return t.Tx.Exec(ctx, q, args, v)
}

// ExecContext passes ent's raw statements (Tx.ExecContext) through.
func (t *countingTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.n.Add(1)
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("countingTx: %T has no ExecContext", t.Tx)
	}
	return ex.ExecContext(ctx, q, args...)
}

// QueryContext passes ent's raw queries (Tx.QueryContext) through.
func (t *countingTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.n.Add(1)
	qu, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("countingTx: %T has no QueryContext", t.Tx)
	}
	return qu.QueryContext(ctx, q, args...)
}

// token signs a token for a demo officer (by subject) or any claims.
func (e *env) token(sub, agency string, roles ...auth.Role) string {
	e.t.Helper()
	tok, err := auth.Sign([]byte(testSecret), auth.SignInput{
		Issuer: "lienthong", Audience: "lienthong", Subject: sub, Name: sub,
		Agency: agency, Roles: roles, TTL: time.Hour, Now: time.Now(),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// as returns the token of a demo officer.
func (e *env) as(sub string) string {
	e.t.Helper()
	for _, o := range demo.Officers {
		if o.Subject == sub {
			return e.token(o.Subject, o.Agency, o.Roles...)
		}
	}
	e.t.Fatalf("no demo officer %q", sub)
	return ""
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Status int
	Data   map[string]any
	Errors []gqlError
	raw    []byte
}

// code returns the first error's extensions.code, or "".
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a GraphQL request through the real handler.
func (e *env) do(token, query string, vars map[string]any) response {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		e.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return response{Status: rec.Code, Data: out.Data, Errors: out.Errors, raw: rec.Body.Bytes()}
}

// mustDo is do that fails the test on any GraphQL error.
func (e *env) mustDo(token, query string, vars map[string]any) map[string]any {
	e.t.Helper()
	r := e.do(token, query, vars)
	if len(r.Errors) > 0 {
		e.t.Fatalf("unexpected errors: %s", r.raw)
	}
	return r.Data
}

// get walks a decoded JSON value: get(v, "a", "b", 0, "c").
func get(v any, path ...any) any {
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

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func num(v any, path ...any) int {
	f, _ := get(v, path...).(float64)
	return int(f)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
