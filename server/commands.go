package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/rollup"
	"lienthong/store"
)

// Migrate applies pending migrations and says how many.
func Migrate(ctx context.Context, cfg Config, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := store.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d migrations applied\n", n)
	return nil
}

// Rollups recomputes the reports' roll-ups, for a database filled before
// they existed.
func Rollups(ctx context.Context, cfg Config, log io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	start := time.Now()
	if err := rollup.Rebuild(ctx, db.Client, db.Dialect); err != nil {
		return err
	}
	fmt.Fprintf(log, "Roll-ups recomputed in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// CheckRollups compares the reports' roll-ups with the dossiers' history
// and lists where they differ; an error when they do.
func CheckRollups(ctx context.Context, cfg Config, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	diffs, err := rollup.Check(ctx, db.Client)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(out, d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d roll-up rows differ from the history: lienthong rollups rebuilds them", len(diffs))
	}
	fmt.Fprintln(out, "roll-ups agree with the history")
	return nil
}

// Seed fills an empty database with the demo province and that many
// dossiers, then prints a token for every demo officer to out (progress
// goes to log).
func Seed(ctx context.Context, cfg Config, dossiers int, out, log io.Writer) error {
	a, err := Open(ctx, cfg, Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	progress := func(done int) {
		if done%50000 == 0 || done == dossiers-14 {
			fmt.Fprintf(log, "\r%d dossiers written (%s)", done, time.Since(start).Round(time.Second))
		}
	}
	err = demo.Seed(ctx, a.DB.Client, demo.Options{Now: a.Clock.Now(), Dossiers: dossiers, Progress: progress, Dialect: a.DB.Dialect})
	if dossiers > demo.BulkThreshold {
		fmt.Fprintln(log)
	}
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		fmt.Fprintln(log, "The database holds data already: nothing seeded.")
	case err != nil:
		return err
	default:
		// Fresh statistics for the planner: a table it last saw empty
		// gets plans made for an empty table.
		if _, err := a.DB.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("seed: analyze: %w", err)
		}
		fmt.Fprintf(log, "Seeded the demo province with %d dossiers.\n", dossiers)
	}
	return printDemoTokens(cfg, out)
}

// printDemoTokens prints a token for every demo officer and one curl.
func printDemoTokens(cfg Config, out io.Writer) error {
	secret, err := cfg.Secret()
	if err != nil {
		return err
	}
	if secret == nil {
		fmt.Fprintln(out, "Set AUTH_HS256_SECRET (or LIENTHONG_DEV=1) to get demo tokens.")
		return nil
	}
	fmt.Fprintln(out, "Demo tokens (valid 24h):")
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
		fmt.Fprintf(out, "\n# %s — %s, %s\nexport TOKEN_%s=%s\n", o.Roles[0], o.Name, o.Agency, strings.ToUpper(strings.NewReplacer(".", "_").Replace(o.Subject)), tok)
	}
	fmt.Fprintf(out, "\nTry it:\n\ncurl -s http://%s/graphql -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' \\\n  -d '{\"query\":\"{ me { officer { name } agency { name } } dossiers(first: 5) { totalCount edges { node { code state appointmentAt } } } }\"}'\n\n", cfg.ListenAddr, deskToken)
	return nil
}

// TokenInput is what a signed token says.
type TokenInput struct {
	Subject, Name, Agency string
	Roles                 []auth.Role
	TTL                   time.Duration
}

// Token signs a token with the configured HS256 secret.
func Token(cfg Config, in TokenInput) (string, error) {
	if in.Subject == "" || in.Agency == "" || len(in.Roles) == 0 {
		return "", errors.New("token: --sub, --agency and at least one --role are required")
	}
	secret, err := cfg.Secret()
	if err != nil {
		return "", err
	}
	if secret == nil {
		return "", errors.New("token: AUTH_HS256_SECRET is not set")
	}
	return auth.Sign(secret, auth.SignInput{
		Issuer: cfg.Issuer, Audience: cfg.Audience, Subject: in.Subject, Name: in.Name,
		Agency: in.Agency, Roles: in.Roles, TTL: in.TTL, Now: time.Now(),
	})
}
