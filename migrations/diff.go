//go:build ignore

// Diff writes a new migration for each dialect when the ent schema has
// changed: go run ./migrations/diff.go NAME. It replays the existing
// migrations on a scratch database (in-memory SQLite; a throw-away
// PostgreSQL database given by MIGRATE_DEV_URL) and diffs against the schema.
//
// go run ./migrations/diff.go hash rewrites each directory's atlas.sum after
// a migration written by hand (triggers, which the schema cannot express).
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"lienthong/ent/migrate"
)

func main() {
	// Atlas opens PostgreSQL under the driver name "postgres".
	sql.Register("postgres", stdlib.GetDefaultDriver())
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./migrations/diff.go NAME")
	}
	name := os.Args[1]
	ctx := context.Background()
	if name == "hash" {
		for _, d := range []string{"migrations/sqlite", "migrations/postgres"} {
			if err := rehash(d); err != nil {
				log.Fatalf("migrations: hash %s: %v", d, err)
			}
		}
		return
	}
	pgURL := os.Getenv("MIGRATE_DEV_URL")
	if pgURL == "" {
		pgURL = "postgres://postgres@127.0.0.1:5432/lienthong_migrate_dev?sslmode=disable"
	}
	if err := recreatePostgres(ctx, pgURL); err != nil {
		log.Fatalf("migrations: scratch database: %v", err)
	}
	for _, t := range []struct{ dir, dialect, url string }{
		{"migrations/sqlite", dialect.SQLite, "sqlite://scratch?mode=memory&_fk=1"},
		{"migrations/postgres", dialect.Postgres, pgURL},
	} {
		dir, err := sqltool.NewGooseDir(t.dir)
		if err != nil {
			log.Fatalf("migrations: %s: %v", t.dir, err)
		}
		err = migrate.NamedDiff(ctx, t.url, name,
			schema.WithDir(dir),
			schema.WithMigrationMode(schema.ModeReplay),
			schema.WithDialect(t.dialect),
			schema.WithFormatter(sqltool.GooseFormatter),
			schema.WithDropIndex(true),
			schema.WithDropColumn(true),
		)
		if err != nil {
			log.Fatalf("migrations: diff %s: %v", t.dialect, err)
		}
	}
}

// rehash rewrites the atlas.sum of the migration directory at path.
func rehash(path string) error {
	dir, err := sqltool.NewGooseDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return atlasmigrate.WriteSumFile(dir, sum)
}

// recreatePostgres drops and creates the scratch database named in rawURL.
func recreatePostgres(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("pgx", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %q", dbName)); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %q", dbName))
	return err
}
