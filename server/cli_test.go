package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"lienthong/server"
	"lienthong/server/servertest"
)

// Every command answers -h and --help with its usage and flags, and
// touches nothing: no database file appears, no secret is written.
func TestCommandHelpTouchesNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("DATABASE_URL", "")
	t.Setenv("LIENTHONG_DEV", "1")
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"serve", "--help"}, {"migrate", "-h"}, {"seed", "--help"}, {"rollups", "--help"}, {"rollups", "--check", "--help"}, {"token", "--help"},
		{"directory", "--help"}, {"directory", "import", "--help"}, {"directory", "export", "-h"},
		{"backup", "--help"}, {"restore", "-h"},
	} {
		var out bytes.Buffer
		cmd := server.Command()
		cmd.Writer, cmd.ErrWriter = &out, &out
		if err := cmd.Run(context.Background(), append([]string{"lienthong"}, args...)); err != nil {
			t.Errorf("lienthong %v: %v", args, err)
		}
		if !strings.Contains(out.String(), "USAGE:") {
			t.Errorf("lienthong %v printed no usage:\n%s", args, out.String())
		}
		if files, _ := os.ReadDir("."); len(files) > 0 {
			t.Fatalf("lienthong %v left %s behind", args, files[0].Name())
		}
	}
}

// Without CORS_ORIGINS a production server lets no other origin call it
// (rs/cors would have taken an empty list for every origin); with them,
// only those.
func TestCrossOrigin(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Empty)
	preflight := func(h http.Handler, origin string) string {
		req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Header().Get("Access-Control-Allow-Origin")
	}
	if got := preflight(e.Handler, "https://evil.example"); got != "" {
		t.Errorf("no CORS_ORIGINS: Access-Control-Allow-Origin = %q, want none", got)
	}
	cfg := servertest.Config(e.URL)
	cfg.CORSOrigins = []string{"https://motcua.quangtri.gov.vn"}
	app, err := server.Open(t.Context(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	h := app.Handler(e.Verifier)
	if got := preflight(h, "https://motcua.quangtri.gov.vn"); got != "https://motcua.quangtri.gov.vn" {
		t.Errorf("an allowed origin: %q", got)
	}
	if got := preflight(h, "https://evil.example"); got != "" {
		t.Errorf("another origin: %q, want none", got)
	}
}
