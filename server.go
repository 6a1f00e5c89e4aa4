// Command lienthong routes administrative-procedure dossiers between
// agencies under the inter-agency one-stop mechanism. This file only reads
// the command line; the server package does the work.
//
//	lienthong [serve]   serve GraphQL (the default)
//	lienthong migrate   apply the database migrations
//	lienthong seed      fill an empty database with the demo province
//	lienthong rollups   recompute the reports' daily roll-ups from the dossiers
//	lienthong token     print a signed token
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on machines without a zoneinfo database

	"lienthong/auth"
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
	cmd, args := "serve", os.Args[1:]
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	cfg := server.FromEnv()
	var err error
	switch cmd {
	case "serve":
		err = server.Serve(ctx, cfg)
	case "migrate":
		err = server.Migrate(ctx, cfg, os.Stdout)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		dossiers := fs.Int("dossiers", 40, "number of demo dossiers")
		if err = fs.Parse(args); err == nil {
			err = server.Seed(ctx, cfg, *dossiers, os.Stdout, os.Stderr)
		}
	case "token":
		err = token(cfg, args)
	case "rollups":
		err = server.Rollups(ctx, cfg, os.Stderr)
	case "help", "-h", "--help":
		fmt.Println("usage: lienthong [serve|migrate|seed|rollups|token] [flags]")
	default:
		err = fmt.Errorf("unknown command %q (serve, migrate, seed, rollups, token)", cmd)
	}
	return err
}

type rolesFlag []auth.Role

func (r *rolesFlag) String() string { return fmt.Sprint(*r) }
func (r *rolesFlag) Set(s string) error {
	role, err := auth.ParseRole(s)
	if err != nil {
		return err
	}
	*r = append(*r, role)
	return nil
}

func token(cfg server.Config, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	var in server.TokenInput
	fs.StringVar(&in.Subject, "sub", "", "subject (the officer's stable id)")
	fs.StringVar(&in.Name, "name", "", "display name")
	fs.StringVar(&in.Agency, "agency", "", "agency code")
	fs.DurationVar(&in.TTL, "ttl", 8*time.Hour, "lifetime")
	fs.Var((*rolesFlag)(&in.Roles), "role", "role (repeatable): "+fmt.Sprint(auth.AllRoles))
	if err := fs.Parse(args); err != nil {
		return err
	}
	tok, err := server.Token(cfg, in)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}
