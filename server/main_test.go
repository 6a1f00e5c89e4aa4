package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"lienthong/server"
	"lienthong/server/servertest"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		// A server process started by a fault test (see startInstance),
		// configured by its environment as in production.
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := server.Serve(ctx, server.FromEnv())
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "lienthong:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	servertest.Main(m)
}
