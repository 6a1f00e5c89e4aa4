package server

import (
	"context"
	"fmt"
	"time"

	"github.com/urfave/cli/v3"

	"lienthong/auth"
)

// Command is the lienthong command line: every command and subcommand
// answers -h/--help with its usage and flags and touches nothing. The
// configuration comes from the environment (README, Configuration) and is
// read only when a command runs.
func Command() *cli.Command {
	serve := &cli.Command{
		Name:  "serve",
		Usage: "apply pending migrations and serve GraphQL, exports, forms, health and metrics (the default)",
		Action: func(ctx context.Context, _ *cli.Command) error {
			return Serve(ctx, FromEnv())
		},
	}
	return &cli.Command{
		Name:  "lienthong",
		Usage: "route administrative-procedure dossiers between agencies (một cửa liên thông)",
		Description: "Without a command, lienthong serves. Settings come from the environment:\n" +
			"DATABASE_URL (sqlite://lienthong.db or postgres://…), LISTEN_ADDR, AUTH_JWKS or AUTH_HS256_SECRET,\n" +
			"AUTH_ISSUER, AUTH_AUDIENCE, LIENTHONG_DEV=1 for dev mode; see the README.",
		Action:   serve.Action,
		Commands: []*cli.Command{serve, migrateCommand(), seedCommand(), rollupsCommand(), tokenCommand(), directoryCommand(), backupCommand(), restoreCommand()},
	}
}

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply pending database migrations and exit",
		Action: func(ctx context.Context, c *cli.Command) error {
			return Migrate(ctx, FromEnv(), c.Root().Writer)
		},
	}
}

func seedCommand() *cli.Command {
	return &cli.Command{
		Name:  "seed",
		Usage: "fill an empty database with the demo province and print demo tokens",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "dossiers", Value: 40, Usage: "demo dossiers to receive; above 2,000 a year of history is written in bulk"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			return Seed(ctx, FromEnv(), c.Int("dossiers"), c.Root().Writer, c.Root().ErrWriter)
		},
	}
}

func rollupsCommand() *cli.Command {
	return &cli.Command{
		Name:  "rollups",
		Usage: "recompute the reports' daily roll-ups from the dossiers (or, with --check, compare them and change nothing)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "check", Usage: "list the roll-up rows that differ from the dossiers' history, change nothing; exit 1 if any"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Bool("check") {
				return CheckRollups(ctx, FromEnv(), c.Root().Writer)
			}
			return Rollups(ctx, FromEnv(), c.Root().ErrWriter)
		},
	}
}

func tokenCommand() *cli.Command {
	return &cli.Command{
		Name:      "token",
		Usage:     "print a token signed with the HS256 secret (AUTH_HS256_SECRET, or dev mode's)",
		UsageText: "lienthong token --sub S --name N --agency CODE --role ROLE [--role ROLE …] [--ttl 8h]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "sub", Usage: "subject: the officer's stable id", Required: true},
			&cli.StringFlag{Name: "name", Usage: "display name"},
			&cli.StringFlag{Name: "agency", Usage: "agency code", Required: true},
			&cli.StringSliceFlag{Name: "role", Usage: fmt.Sprintf("role, repeatable: %v", auth.AllRoles), Required: true},
			&cli.DurationFlag{Name: "ttl", Value: 8 * time.Hour, Usage: "lifetime"},
		},
		Action: func(_ context.Context, c *cli.Command) error {
			in := TokenInput{Subject: c.String("sub"), Name: c.String("name"), Agency: c.String("agency"), TTL: c.Duration("ttl")}
			for _, r := range c.StringSlice("role") {
				role, err := auth.ParseRole(r)
				if err != nil {
					return err
				}
				in.Roles = append(in.Roles, role)
			}
			tok, err := Token(FromEnv(), in)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(c.Root().Writer, tok)
			return err
		},
	}
}
