package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v3"

	"lienthong/directory"
	"lienthong/store"
)

func directoryCommand() *cli.Command {
	return &cli.Command{
		Name:  "directory",
		Usage: "the province's agencies, procedures and officers as a YAML file",
		Commands: []*cli.Command{
			{
				Name:      "import",
				Usage:     "check a directory file (YAML, or an .xlsx workbook of procedures) whole, then apply it in one transaction (idempotent; changed procedures become new revisions; nothing is deleted)",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "dry-run", Usage: "check and say what would change, change nothing"},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.Args().Len() != 1 {
						return cli.Exit("usage: lienthong directory import FILE [--dry-run]", 2)
					}
					return ImportDirectory(ctx, FromEnv(), c.Args().First(), c.Bool("dry-run"), c.Root().Writer)
				},
			},
			{
				Name:  "export",
				Usage: "write the database's directory in the same format",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file instead of standard output"},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					out := c.Root().Writer
					if name := c.String("output"); name != "" {
						f, err := os.Create(name)
						if err != nil {
							return err
						}
						defer f.Close()
						out = f
					}
					return ExportDirectory(ctx, FromEnv(), out)
				},
			},
			{
				Name:  "schema",
				Usage: "print the JSON Schema of the format (point an editor's YAML support at it)",
				Action: func(_ context.Context, c *cli.Command) error {
					_, err := c.Root().Writer.Write(directory.Schema())
					return err
				},
			},
		},
	}
}

// ImportDirectory imports a directory file into the configured database
// (migrated first), printing what changed, or every problem and nothing
// changed.
func ImportDirectory(ctx context.Context, cfg Config, name string, dry bool, out io.Writer) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	parse := directory.Parse
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		parse = directory.ParseWorkbook // procedures only
	}
	src, err := parse(name, data)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	rep, err := directory.Import(ctx, db.Client, src, dry)
	var ps directory.Problems
	if errors.As(err, &ps) {
		return fmt.Errorf("%s: nothing imported, %w", name, ps)
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if dry {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(out, "%s %s: agencies %d created, %d updated; procedures %d created, %d revised; officers %d registered, %d updated; %d unchanged\n",
		name, verb, rep.AgenciesCreated, rep.AgenciesUpdated, rep.ProceduresCreated, rep.ProceduresRevised, rep.OfficersCreated, rep.OfficersUpdated, rep.Unchanged)
	for _, c := range rep.Changes {
		fmt.Fprintln(out, "  "+c)
	}
	return nil
}

// ExportDirectory writes the configured database's directory.
func ExportDirectory(ctx context.Context, cfg Config, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if pending, err := store.Pending(ctx, db); err != nil || pending {
		return errors.Join(err, errors.New("the database needs its migrations: run lienthong migrate"))
	}
	f, err := directory.Export(ctx, db.Client)
	if err != nil {
		return err
	}
	b, err := directory.Encode(f)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}
