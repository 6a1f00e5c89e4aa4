package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"

	"lienthong/auth"
	"lienthong/graph"
	"lienthong/store"
	"lienthong/workflow"
)

// Handler is the HTTP surface: GraphQL behind authentication, CORS, body and
// time limits; health, readiness and, unless Config.MetricsAddr serves them
// apart (see MetricsHandler), metrics.
func (a *App) Handler(verifier *auth.Verifier) http.Handler {
	cfg := a.Config
	metrics := newHTTPMetrics(a.Registry)
	reporter := a.Reporter
	gql := graph.NewHandler(graph.NewResolver(graph.Deps{Client: a.DB.Client, Engine: a.Engine, Access: a.Access, Reporter: reporter, Hooks: a.Hooks, Feed: a.Feed, Forms: a.Forms}), graph.Options{
		Dev: cfg.Dev,
		Websocket: &graph.Websocket{
			OriginPatterns: originHosts(cfg.CORSOrigins),
			Authenticate: func(ctx context.Context, token string) (*auth.Viewer, error) {
				return auth.Authenticate(ctx, verifier, a.Access.Resolve, token)
			},
			Recheck: a.socketRecheck,
		},
	})
	// Subscriptions upgrade to a websocket: no body limit or request
	// timeout, and authentication in connection_init.
	ws := graph.Sockets(auth.WithClientAddr(gql))
	var api http.Handler = gql
	authn := auth.Middleware(verifier, a.Access.Resolve, slog.Default())
	api = authn(api)
	api = auth.WithClientAddr(api)
	api = graph.Timeout(30 * time.Second)(api)
	api = http.MaxBytesHandler(api, 1<<20)
	api = crossOrigin(cfg.CORSOrigins, http.MethodPost)(api)

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
	export = crossOrigin(cfg.CORSOrigins)(withDeadline(time.Minute, export))
	mux.Handle("GET /export/{name}", metrics.wrap("export", export))
	a.Forms.Routes(mux, func(h http.Handler) http.Handler {
		h = crossOrigin(cfg.CORSOrigins)(withDeadline(time.Minute, authn(h)))
		return metrics.wrap("forms", h)
	}, slog.Default())
	mux.Handle("GET /calendar/{file}", metrics.wrap("calendar", crossOrigin(cfg.CORSOrigins)(withDeadline(10*time.Second, a.calendarICS()))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.DB.SQL.PingContext(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		if pending, err := store.Pending(ctx, a.DB); err != nil || pending {
			http.Error(w, "migrations pending", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	if cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", a.MetricsHandler())
	}
	if cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("lienthong", "/graphql"))
	}

	return mux
}

// MetricsHandler serves the process's metrics as Prometheus scrapes them:
// on the main listener, or alone on Config.MetricsAddr.
func (a *App) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{})
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

// crossOrigin lets the browser origins given call with a bearer token
// (GET, and the methods given); with none, no cross-origin call at all
// (rs/cors would take an empty list for every origin).
func crossOrigin(origins []string, methods ...string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		return func(h http.Handler) http.Handler { return h }
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: append([]string{http.MethodGet, http.MethodOptions}, methods...),
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		MaxAge:         600,
	}).Handler
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
