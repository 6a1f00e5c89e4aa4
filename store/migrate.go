package store

import (
	"context"
	"fmt"
	"io/fs"

	"entgo.io/ent/dialect"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"lienthong/migrations"
)

func provider(db *DB) (*goose.Provider, error) {
	var (
		gd   goose.Dialect
		dir  string
		opts []goose.ProviderOption
	)
	switch db.Dialect {
	case dialect.SQLite:
		gd, dir = goose.DialectSQLite3, "sqlite"
	case dialect.Postgres:
		gd, dir = goose.DialectPostgres, "postgres"
		// Several instances may start at once: one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	default:
		return nil, fmt.Errorf("store: no migrations for dialect %q", db.Dialect)
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return goose.NewProvider(gd, db.SQL, sub, opts...)
}

// Migrate applies every pending migration.
func Migrate(ctx context.Context, db *DB) (applied int, err error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	return len(res), nil
}

// Pending reports whether migrations remain to be applied (for /readyz).
func Pending(ctx context.Context, db *DB) (bool, error) {
	p, err := provider(db)
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}
