package server

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"

	"lienthong/store"
)

func backupCommand() *cli.Command {
	return &cli.Command{
		Name:      "backup",
		Usage:     "write a consistent copy of the database to FILE while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump, besides the point-in-time recovery production wants)",
		ArgsUsage: "FILE",
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() != 1 {
				return cli.Exit("usage: lienthong backup FILE", 2)
			}
			if err := store.Backup(ctx, FromEnv().DatabaseURL, c.Args().First()); err != nil {
				return err
			}
			_, err := fmt.Fprintf(c.Root().Writer, "backed up to %s\n", c.Args().First())
			return err
		},
	}
}

func restoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "restore",
		Usage:     "load a backup into the configured database, which must be empty, then apply pending migrations",
		ArgsUsage: "FILE",
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() != 1 {
				return cli.Exit("usage: lienthong restore FILE", 2)
			}
			if err := store.Restore(ctx, FromEnv().DatabaseURL, c.Args().First()); err != nil {
				return err
			}
			_, err := fmt.Fprintf(c.Root().Writer, "restored from %s\n", c.Args().First())
			return err
		},
	}
}
