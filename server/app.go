// Package server is the composition root: it opens the database, wires the
// engine, the read rules, the reports, the webhooks, the live feed and the
// printable forms behind one HTTP handler, runs the process's background
// work (sweeper, webhook dispatcher, live feed) and the commands of the
// lienthong binary. It holds no rule.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/feed"
	"lienthong/forms"
	"lienthong/report"
	"lienthong/store"
	"lienthong/webhook"
	"lienthong/workflow"
)

// Options change the wiring for tests and tools; the zero value is
// production's.
type Options struct {
	// Clock replaces the clock. Default: the system clock, or in dev mode
	// a test clock following it (advanceClock moves it).
	Clock calendar.Clock
	// WrapDriver wraps the database driver every statement of the server
	// goes through (the tests count statements).
	WrapDriver func(dialect.Driver) dialect.Driver
	// CheckWrites makes each transition read its dossier back and compare
	// (workflow.Config.CheckWrites).
	CheckWrites bool
	// CacheTTL is workflow.Config.CacheTTL (0: its default).
	CacheTTL time.Duration
	// WebhookTimeout bounds one webhook request (default: webhook's own).
	WebhookTimeout time.Duration
	// WebhookHTTP lets webhooks use plain http outside dev mode (tests'
	// receivers; their loopback address is allowed by the configuration's
	// WebhookAllowNetworks).
	WebhookHTTP bool
	// FeedPoll is how often the live feed reads the outbox (default 250 ms).
	FeedPoll time.Duration
	// SocketRecheck is how often an open websocket's token is verified
	// again (default a minute).
	SocketRecheck time.Duration
	// Logger logs the services' work (default slog.Default()).
	Logger *slog.Logger
}

// App is everything a server process holds.
type App struct {
	Config   Config
	DB       *store.DB // DB.Client and DB.Driver as wrapped by Options.WrapDriver
	Clock    calendar.Clock
	Engine   *workflow.Engine
	Access   *access.Resolver
	Reporter *report.Reporter
	Hooks    *webhook.Service
	Feed     *feed.Broker
	Forms    *forms.Service
	Registry *prometheus.Registry

	socketRecheck time.Duration
}

// Open connects to the configured database, applies pending migrations
// and wires the services.
func Open(ctx context.Context, cfg Config, opts Options) (*App, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if opts.WrapDriver != nil {
		db.Driver = opts.WrapDriver(db.Driver)
		db.Client = ent.NewClient(ent.Driver(db.Driver))
	}
	n, err := store.Migrate(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		slog.Info("migrations applied", "count", n)
	}
	keys, err := webhook.ParseKeys(cfg.WebhookKeys)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("WEBHOOK_KEYS: %w", err)
	}
	allow, err := webhook.ParseNetworks(cfg.WebhookAllowNetworks)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("WEBHOOK_ALLOW_NETWORKS: %w", err)
	}
	if cfg.Dev { // a developer's receiver on their own machine
		allow = append(allow, webhook.Loopback...)
	}
	access.Install(db.Client)
	clock := opts.Clock
	switch {
	case clock != nil:
	case cfg.Dev:
		clock = calendar.NewTestClock(time.Time{})
	default:
		clock = calendar.SystemClock{}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	feedPoll := opts.FeedPoll
	if feedPoll <= 0 {
		feedPoll = 250 * time.Millisecond
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	hooks := webhook.New(db.Client, webhook.Config{
		Clock: clock, AllowHTTP: cfg.Dev || opts.WebhookHTTP, AllowNetworks: allow, Registry: reg, Poll: cfg.WebhookPoll,
		Keys: keys, Timeout: opts.WebhookTimeout, Logger: logger, CacheTTL: opts.CacheTTL,
	})
	engine := workflow.NewEngine(db.Client, workflow.Config{
		Dialect: db.Dialect, Clock: clock, Logger: logger, OnSweep: newSweepMetrics(reg),
		CheckWrites: opts.CheckWrites, CacheTTL: opts.CacheTTL, Fanout: hooks,
	})
	a := &App{
		Config:   cfg,
		DB:       db,
		Clock:    clock,
		Engine:   engine,
		Access:   access.NewResolver(db.Client),
		Reporter: report.New(db.Driver, db.Client, clock),
		Hooks:    hooks,
		Feed:     feed.New(db.Client, feedPoll, logger),
		Forms:    forms.New(db.Client, forms.Config{Clock: clock, TrackingURL: cfg.TrackingURL}),
		Registry: reg,

		socketRecheck: opts.SocketRecheck,
	}
	reg.MustRegister(newCalendarCollector(a))
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// Verifier builds the token verifier the configuration asks for: the
// HS256 secret (generated in dev mode) or the identity provider's JWKS,
// a URL of which is read again every JWKSRefresh.
func (c Config) Verifier(ctx context.Context) (*auth.Verifier, error) {
	if c.JWKS != "" && c.JWKSRefresh < minJWKSRefresh && isURL(c.JWKS) {
		return nil, fmt.Errorf("AUTH_JWKS_REFRESH is %s: want at least %s", c.JWKSRefresh, minJWKSRefresh)
	}
	secret, err := c.Secret()
	if err != nil {
		return nil, err
	}
	return auth.NewVerifier(ctx, auth.Config{
		HS256Secret: secret,
		JWKS:        c.JWKS,
		JWKSRefresh: c.JWKSRefresh,
		Issuer:      c.Issuer,
		Audience:    c.Audience,
	})
}

// isURL reports whether a JWKS setting is an http(s) URL rather than a
// file, as auth tells them apart.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}
