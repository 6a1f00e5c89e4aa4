// Command lienthong routes administrative-procedure dossiers between
// agencies under the inter-agency one-stop mechanism.
//
//	lienthong [serve]   serve GraphQL (the default)
//	lienthong migrate   apply the database migrations
//	lienthong seed      fill an empty database with the demo province
//	lienthong rollups   recompute the reports' daily roll-ups from the dossiers
//	lienthong token     print a signed token
package main

import (
	"context"
	"errors"
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
	"lienthong/demo"
	"lienthong/store"
	"lienthong/workflow"
)

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, args := "serve", os.Args[1:]
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	cfg := loadConfig()
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, cfg)
	case "migrate":
		err = migrate(ctx, cfg)
	case "seed":
		err = seed(ctx, cfg, args)
	case "token":
		err = token(cfg, args)
	case "rollups":
		err = rollups(ctx, cfg)
	case "help", "-h", "--help":
		fmt.Println("usage: lienthong [serve|migrate|seed|rollups|token] [flags]")
	default:
		err = fmt.Errorf("unknown command %q (serve, migrate, seed, rollups, token)", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lienthong:", err)
		os.Exit(1)
	}
}

func migrate(ctx context.Context, cfg config) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := store.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Printf("%d migrations applied\n", n)
	return nil
}

// rollups recomputes the reports' roll-ups, for a database filled before
// they existed.
func rollups(ctx context.Context, cfg config) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	start := time.Now()
	if err := workflow.RebuildRollups(ctx, db.Client, db.Dialect); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Roll-ups recomputed in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func seed(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dossiers := fs.Int("dossiers", 40, "number of demo dossiers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	start := time.Now()
	progress := func(done int) {
		if done%50000 == 0 || done == *dossiers-14 {
			fmt.Fprintf(os.Stderr, "\r%d dossiers written (%s)", done, time.Since(start).Round(time.Second))
		}
	}
	err = demo.Seed(ctx, a.db.Client, demo.Options{Now: a.clock.Now(), Dossiers: *dossiers, Progress: progress, Dialect: a.db.Dialect})
	if *dossiers > demo.BulkThreshold {
		fmt.Fprintln(os.Stderr)
	}
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		fmt.Fprintln(os.Stderr, "The database holds data already: nothing seeded.")
	case err != nil:
		return err
	default:
		// Fresh statistics for the planner: a table it last saw empty
		// gets plans made for an empty table.
		if _, err := a.db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("seed: analyze: %w", err)
		}
		fmt.Fprintf(os.Stderr, "Seeded the demo province with %d dossiers.\n", *dossiers)
	}
	return printDemoTokens(cfg)
}

// printDemoTokens prints a token for every demo officer and one curl.
func printDemoTokens(cfg config) error {
	secret, err := cfg.secret()
	if err != nil {
		return err
	}
	if secret == nil {
		fmt.Println("Set AUTH_HS256_SECRET (or LIENTHONG_DEV=1) to get demo tokens.")
		return nil
	}
	fmt.Println("Demo tokens (valid 24h):")
	var deskToken string
	for _, o := range demo.Officers {
		tok, err := auth.Sign(secret, auth.SignInput{
			Issuer: cfg.Issuer, Audience: cfg.Audience, Subject: o.Subject, Name: o.Name,
			Agency: o.Agency, Roles: o.Roles, TTL: 24 * time.Hour, Now: time.Now(),
		})
		if err != nil {
			return err
		}
		if o.Subject == "desk.ttpvhcc" {
			deskToken = tok
		}
		fmt.Printf("\n# %s — %s, %s\nexport TOKEN_%s=%s\n", o.Roles[0], o.Name, o.Agency, strings.ToUpper(strings.NewReplacer(".", "_").Replace(o.Subject)), tok)
	}
	fmt.Printf("\nTry it:\n\ncurl -s http://%s/graphql -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' \\\n  -d '{\"query\":\"{ me { officer { name } agency { name } } dossiers(first: 5) { totalCount edges { node { code state appointmentAt } } } }\"}'\n\n", cfg.ListenAddr, deskToken)
	return nil
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

func token(cfg config, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	sub := fs.String("sub", "", "subject (the officer's stable id)")
	name := fs.String("name", "", "display name")
	agency := fs.String("agency", "", "agency code")
	ttl := fs.Duration("ttl", 8*time.Hour, "lifetime")
	var roles rolesFlag
	fs.Var(&roles, "role", "role (repeatable): "+fmt.Sprint(auth.AllRoles))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sub == "" || *agency == "" || len(roles) == 0 {
		return errors.New("token: --sub, --agency and at least one --role are required")
	}
	secret, err := cfg.secret()
	if err != nil {
		return err
	}
	if secret == nil {
		return errors.New("token: AUTH_HS256_SECRET is not set")
	}
	tok, err := auth.Sign(secret, auth.SignInput{
		Issuer: cfg.Issuer, Audience: cfg.Audience, Subject: *sub, Name: *name,
		Agency: *agency, Roles: roles, TTL: *ttl, Now: time.Now(),
	})
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}
