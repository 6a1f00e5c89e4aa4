package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof" // served only on PPROF_ADDR
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/feed"
	"lienthong/forms"
	"lienthong/graph"
	"lienthong/report"
	"lienthong/store"
	"lienthong/webhook"
	"lienthong/workflow"
)

// config is the operational contract: every setting comes from the environment.
type config struct {
	DatabaseURL string
	ListenAddr  string
	HS256Secret string
	JWKS        string
	Issuer      string
	Audience    string
	Dev         bool
	CORSOrigins []string
	// SweepEvery is how often the sweeper looks for overdue and due-soon
	// dossiers; 0 turns it off in this instance.
	SweepEvery time.Duration
	// WebhookPoll is how often the webhook dispatcher looks for due
	// deliveries; 0 turns it off in this instance.
	WebhookPoll time.Duration
	// TrackingURL is the public tracking address printed as a QR code on
	// the receipt and the apology.
	TrackingURL string
	// WebhookKeys encrypt webhook secrets at rest (see webhook.ParseKeys).
	WebhookKeys string
}

func loadConfig() config {
	c := config{
		DatabaseURL: getenv("DATABASE_URL", "sqlite://lienthong.db"),
		ListenAddr:  getenv("LISTEN_ADDR", "127.0.0.1:8080"),
		HS256Secret: os.Getenv("AUTH_HS256_SECRET"),
		JWKS:        os.Getenv("AUTH_JWKS"),
		Issuer:      getenv("AUTH_ISSUER", "lienthong"),
		Audience:    getenv("AUTH_AUDIENCE", "lienthong"),
		Dev:         os.Getenv("LIENTHONG_DEV") == "1",
		SweepEvery:  durationEnv("SWEEP_INTERVAL", time.Minute),
		WebhookPoll: durationEnv("WEBHOOK_POLL_INTERVAL", time.Second),
		WebhookKeys: os.Getenv("WEBHOOK_KEYS"),
	}
	c.TrackingURL = getenv("TRACKING_BASE_URL", "http://"+c.ListenAddr+"/tra-cuu")
	for _, o := range strings.Split(os.Getenv("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if c.Dev && len(c.CORSOrigins) == 0 {
		c.CORSOrigins = []string{"http://localhost:*", "http://127.0.0.1:*"}
	}
	return c
}

// originHosts turns CORS origins (scheme://host[:port], with * patterns)
// into the host patterns the websocket origin check takes.
func originHosts(origins []string) []string {
	var out []string
	for _, o := range origins {
		if _, host, ok := strings.Cut(o, "://"); ok {
			out = append(out, host)
		} else {
			out = append(out, o)
		}
	}
	return out
}

// serveGCPercent is the garbage collector's heap growth for serve when
// GOGC is unset: twice Go's default. Almost nothing a request allocates
// (ent's SQL builder, pgx, gqlgen, JSON) lives past it, so at Go's default
// the collector ran often over a small live heap. In the load bench on
// PostgreSQL the server's CPU per transition fell from 0.88 to 0.79 of the
// database backends' (GOGC=400: 0.75, 800: 0.75) for 8 MB more RSS.
const serveGCPercent = 200

// durationEnv reads a non-negative duration, def when unset or invalid.
func durationEnv(key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		slog.Error(key+" is not a duration: using the default", "value", v, "default", def)
		return def
	}
	return d
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// devSecretFile keeps the generated development secret beside the SQLite
// file, so that `seed`, `token` and `serve` agree on it.
const devSecretFile = ".lienthong-dev-secret"

// secret returns the HS256 secret: the configured one, or in dev mode a
// generated one kept in devSecretFile.
func (c config) secret() ([]byte, error) {
	if c.HS256Secret != "" {
		return []byte(c.HS256Secret), nil
	}
	if !c.Dev {
		return nil, nil
	}
	if b, err := os.ReadFile(devSecretFile); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(buf)
	if err := os.WriteFile(devSecretFile, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write dev secret: %w", err)
	}
	abs, _ := filepath.Abs(devSecretFile)
	slog.Warn("dev mode: generated an HS256 secret", "file", abs, "secret", s)
	return []byte(s), nil
}

// app is everything a server process holds.
type app struct {
	cfg    config
	db     *store.DB
	engine *workflow.Engine
	access *access.Resolver
	clock  calendar.Clock
	reg    *prometheus.Registry
	hooks  *webhook.Service
	feed   *feed.Broker
	forms  *forms.Service
}

func openApp(ctx context.Context, cfg config, opts ...ent.Option) (*app, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, opts...)
	if err != nil {
		return nil, err
	}
	n, err := store.Migrate(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		slog.Info("migrations applied", "count", n)
	}
	access.Install(db.Client)
	var clock calendar.Clock = calendar.SystemClock{}
	if cfg.Dev {
		clock = calendar.NewTestClock(time.Time{})
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	engine := workflow.NewEngine(db.Client, workflow.Config{Dialect: db.Dialect, Clock: clock, OnSweep: newSweepMetrics(reg)})
	keys, err := webhook.ParseKeys(cfg.WebhookKeys)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("WEBHOOK_KEYS: %w", err)
	}
	hooks := webhook.New(db.Client, webhook.Config{Clock: clock, AllowHTTP: cfg.Dev, Registry: reg, Poll: cfg.WebhookPoll, Keys: keys, OnChange: engine.ForgetWebhooks})
	live := feed.New(db.Client, 250*time.Millisecond, nil)
	printer := forms.New(db.Client, forms.Config{Clock: clock, TrackingURL: cfg.TrackingURL})
	return &app{cfg: cfg, db: db, engine: engine, access: access.NewResolver(db.Client), clock: clock, reg: reg, hooks: hooks, feed: live, forms: printer}, nil
}

func serve(ctx context.Context, cfg config) error {
	if os.Getenv("GOGC") == "" { // the operator's choice stands
		debug.SetGCPercent(serveGCPercent)
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	secret, err := cfg.secret()
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{
		HS256Secret: secret,
		JWKS:        cfg.JWKS,
		Issuer:      cfg.Issuer,
		Audience:    cfg.Audience,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           a.routes(verifier),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	n, err := a.hooks.Reseal(ctx)
	if err != nil {
		return err
	}
	switch {
	case n > 0:
		slog.Info("webhook secrets resealed", "count", n)
	case !a.hooks.Sealing() && !cfg.Dev:
		slog.Warn("WEBHOOK_KEYS is not set: webhook secrets are stored in clear")
	}
	if cfg.SweepEvery > 0 {
		go a.engine.RunSweeper(ctx, cfg.SweepEvery)
	}
	if cfg.WebhookPoll > 0 {
		go a.hooks.Run(ctx)
	}
	if addr := os.Getenv("PPROF_ADDR"); addr != "" {
		// Profiling on a separate, local listener only when asked for.
		go func() {
			slog.Info("pprof", "addr", addr)
			err := http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/debug/pprof/") {
					http.DefaultServeMux.ServeHTTP(w, r)
					return
				}
				http.NotFound(w, r)
			}))
			slog.Error("pprof", "err", err)
		}()
	}
	go a.feed.Run(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("serving", "addr", "http://"+cfg.ListenAddr, "graphql", "/graphql", "dev", cfg.Dev)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// routes is the HTTP surface: GraphQL behind authentication, CORS, body and
// time limits; health, readiness and metrics.
func (a *app) routes(verifier *auth.Verifier) http.Handler {
	cfg := a.cfg
	metrics := newHTTPMetrics(a.reg)

	reporter := report.New(a.db.Driver, a.db.Client, a.clock)
	gql := graph.NewHandler(graph.NewResolver(graph.Deps{Client: a.db.Client, Engine: a.engine, Access: a.access, Reporter: reporter, Hooks: a.hooks, Feed: a.feed, Forms: a.forms}), graph.Options{
		Dev: cfg.Dev,
		Websocket: &graph.Websocket{
			OriginPatterns: originHosts(cfg.CORSOrigins),
			Authenticate: func(ctx context.Context, token string) (*auth.Viewer, error) {
				return auth.Authenticate(ctx, verifier, a.access.Resolve, token)
			},
		},
	})
	// Subscriptions upgrade to a websocket: no body limit or request
	// timeout, and authentication in connection_init.
	ws := auth.WithClientAddr(gql)
	var api http.Handler = gql
	authn := auth.Middleware(verifier, a.access.Resolve, slog.Default())
	api = authn(api)
	api = auth.WithClientAddr(api)
	api = graph.Timeout(30 * time.Second)(api)
	api = http.MaxBytesHandler(api, 1<<20)
	api = cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		MaxAge:         600,
	}).Handler(api)

	mux := http.NewServeMux()
	api = metrics.wrap("graphql", api)
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			ws.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
	export := authn(reporter.Export(slog.Default()))
	export = cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodOptions},
		AllowedHeaders: []string{"Authorization"},
		MaxAge:         600,
	}).Handler(withDeadline(time.Minute, export))
	mux.Handle("GET /export/{name}", metrics.wrap("export", export))
	a.forms.Routes(mux, func(h http.Handler) http.Handler {
		h = cors.New(cors.Options{
			AllowedOrigins: cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodOptions},
			AllowedHeaders: []string{"Authorization"},
			MaxAge:         600,
		}).Handler(withDeadline(time.Minute, authn(h)))
		return metrics.wrap("forms", h)
	}, slog.Default())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.db.SQL.PingContext(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		if pending, err := store.Pending(ctx, a.db); err != nil || pending {
			http.Error(w, "migrations pending", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}))
	if cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("lienthong", "/graphql"))
	}

	return mux
}

// httpMetrics counts requests and their latency per handler.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lienthong_http_requests_total",
			Help: "HTTP requests by handler and status code.",
		}, []string{"handler", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lienthong_http_request_duration_seconds",
			Help:    "HTTP request latency by handler.",
			Buckets: prometheus.DefBuckets,
		}, []string{"handler"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *httpMetrics) wrap(name string, h http.Handler) http.Handler {
	return promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(prometheus.Labels{"handler": name}),
		promhttp.InstrumentHandlerDuration(m.duration.MustCurryWith(prometheus.Labels{"handler": name}), h))
}

// newSweepMetrics counts the events the sweeper records and its failures.
func newSweepMetrics(reg prometheus.Registerer) func(workflow.SweepResult, error) {
	recorded := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lienthong_sweeper_events_total",
		Help: "Events the sweeper appended, by kind.",
	}, []string{"kind"})
	failures := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "lienthong_sweeper_failures_total",
		Help: "Sweeps that stopped on an error.",
	})
	reg.MustRegister(recorded, failures)
	return func(r workflow.SweepResult, err error) {
		recorded.WithLabelValues("leg_overdue").Add(float64(r.LegsOverdue))
		recorded.WithLabelValues("dossier_overdue").Add(float64(r.DossiersOverdue))
		recorded.WithLabelValues("due_soon").Add(float64(r.DueSoon))
		if err != nil {
			failures.Inc()
		}
	}
}

// withDeadline bounds a streamed response's work by a context deadline
// (http.TimeoutHandler would buffer the whole body).
func withDeadline(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
