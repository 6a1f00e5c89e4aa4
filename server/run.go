package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only on Config.PprofAddr
	"os"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/net/netutil"
)

// serveGCPercent is the garbage collector's heap growth for serve when
// GOGC is unset: twice Go's default. Almost nothing a request allocates
// (ent's SQL builder, pgx, gqlgen, JSON) lives past it, so at Go's default
// the collector ran often over a small live heap. In the load bench on
// PostgreSQL the server's CPU per transition fell from 0.88 to 0.79 of the
// database backends' (GOGC=400: 0.75, 800: 0.75) for 8 MB more RSS.
const serveGCPercent = 200

// Serve runs the server until ctx ends: migrations, the GraphQL API, the
// sweeper, the webhook dispatcher and the live feed; then it shuts down
// gracefully.
func Serve(ctx context.Context, cfg Config) error {
	if os.Getenv("GOGC") == "" { // the operator's choice stands
		debug.SetGCPercent(serveGCPercent)
	}
	a, err := Open(ctx, cfg, Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	a.logCalendar(ctx)
	verifier, err := cfg.Verifier(ctx)
	if err != nil {
		return err
	}
	n, err := a.Hooks.Reseal(ctx)
	if err != nil {
		return err
	}
	switch {
	case n > 0:
		slog.Info("webhook secrets resealed", "count", n)
	case !a.Hooks.Sealing() && !cfg.Dev:
		slog.Warn("WEBHOOK_KEYS is not set: webhook secrets are stored in clear")
	}
	return a.Run(ctx, a.Handler(verifier))
}

// Run serves h on the configured address, and the metrics on
// Config.MetricsAddr when set, and runs the background work until ctx ends.
func (a *App) Run(ctx context.Context, h http.Handler) error {
	cfg := a.Config
	if cfg.MetricsAddr != "" {
		// Listening comes first: an address that cannot be listened on
		// stops serve rather than leave it unscraped.
		stop, err := a.serveMetrics(cfg.MetricsAddr)
		if err != nil {
			return err
		}
		// On any return, after the API's graceful shutdown below: scrapes
		// go on while requests drain.
		defer stop()
	}
	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if cfg.SweepEvery > 0 {
		go a.Engine.RunSweeper(ctx, cfg.SweepEvery)
	}
	if cfg.WebhookPoll > 0 {
		go a.Hooks.Run(ctx)
	}
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr)
	}
	go a.Feed.Run(ctx)
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	if cfg.MaxConnections > 0 { // sockets and slow clients cannot take every file descriptor
		ln = netutil.LimitListener(ln, cfg.MaxConnections)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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

// serveMetrics serves the metrics, and nothing else, on addr until stop.
func (a *App) serveMetrics(addr string) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.MetricsHandler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	go func() {
		if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			slog.Error("metrics", "addr", addr, "err", err)
		}
	}()
	slog.Info("metrics", "addr", "http://"+addr+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// servePprof serves the profiler on a separate, local listener.
func servePprof(addr string) {
	slog.Info("pprof", "addr", addr)
	err := http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/debug/pprof/") {
			http.DefaultServeMux.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	slog.Error("pprof", "err", err)
}
