package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lienthong/server"
	"lienthong/server/servertest"
)

// TestMetricsAddr: with METRICS_ADDR set, /metrics is served there only,
// apart from the API (which may face the internet), and the metrics
// listener serves nothing else; without it, the main listener serves
// /metrics as before. An address that cannot be listened on stops serve.
func TestMetricsAddr(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "lt.db"))
	t.Setenv("AUTH_HS256_SECRET", servertest.Secret)
	t.Setenv("AUTH_JWKS", "")
	t.Setenv("LIENTHONG_DEV", "")
	t.Setenv("WEBHOOK_KEYS", servertest.WebhookKey)
	t.Setenv("SWEEP_INTERVAL", "0")
	t.Setenv("WEBHOOK_POLL_INTERVAL", "0")
	get := func(t *testing.T, url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Errorf("GET %s: %v", url, err)
			return 0, ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	serve := func(t *testing.T) {
		t.Helper()
		ctx, stop := context.WithCancel(t.Context())
		served := make(chan error, 1)
		go func() { served <- server.Command().Run(ctx, []string{"lienthong", "serve"}) }()
		t.Cleanup(func() {
			stop()
			if err := <-served; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}

	t.Run("apart", func(t *testing.T) {
		api, metrics := freeAddr(t), freeAddr(t)
		t.Setenv("LISTEN_ADDR", api)
		t.Setenv("METRICS_ADDR", metrics)
		serve(t)
		waitReady(t, "http://"+api)
		if code, _ := get(t, "http://"+api+"/graphql?query=%7B__typename%7D"); code != http.StatusOK {
			t.Errorf("GET /graphql: %d", code)
		}
		if code, body := get(t, "http://"+api+"/metrics"); code != http.StatusNotFound {
			t.Errorf("GET /metrics on the API listener: %d, want 404 with METRICS_ADDR set\n%.200s", code, body)
		}
		code, body := get(t, "http://"+metrics+"/metrics")
		if code != http.StatusOK || !strings.Contains(body, "go_goroutines") || !strings.Contains(body, `lienthong_http_requests_total{code="200",handler="graphql"} 1`) {
			t.Errorf("GET /metrics on METRICS_ADDR: %d, want 200 with the process's and the API's metrics:\n%s", code, body)
		}
		for _, path := range []string{"/graphql", "/healthz", "/readyz", "/", "/debug/pprof/"} {
			if code, _ := get(t, "http://"+metrics+path); code != http.StatusNotFound {
				t.Errorf("GET %s on METRICS_ADDR: %d, want 404", path, code)
			}
		}
	})

	t.Run("together", func(t *testing.T) {
		api := freeAddr(t)
		t.Setenv("LISTEN_ADDR", api)
		t.Setenv("METRICS_ADDR", "")
		serve(t)
		waitReady(t, "http://"+api)
		if code, body := get(t, "http://"+api+"/metrics"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Errorf("GET /metrics without METRICS_ADDR: %d, want 200 with metrics", code)
		}
	})

	t.Run("address taken", func(t *testing.T) {
		taken, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		t.Setenv("LISTEN_ADDR", freeAddr(t))
		t.Setenv("METRICS_ADDR", taken.Addr().String())
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		err = server.Command().Run(ctx, []string{"lienthong", "serve"})
		if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
			t.Errorf("serve with METRICS_ADDR taken: %v, want an error naming METRICS_ADDR", err)
		}
	})
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
