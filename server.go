// Command lienthong routes administrative-procedure dossiers between
// agencies under the inter-agency one-stop mechanism. This file only runs
// the command line; the server package does the work (lienthong --help
// lists the commands).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on machines without a zoneinfo database

	"lienthong/server"
)

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "lienthong:", err)
		os.Exit(1)
	}
}

// run runs the command the arguments name until it ends or the process is
// told to stop.
func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Command().Run(ctx, os.Args)
}
