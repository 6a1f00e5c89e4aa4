package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
)

// PostgresDatabase makes sure a database called name exists on the server
// of base (a postgres:// URL whose role may create databases) and returns
// its URL. fresh drops any database of that name first. Tests and
// benchmarks make their databases with it.
func PostgresDatabase(ctx context.Context, base, name string, fresh bool) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	defer db.Close()
	if fresh {
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("store: drop %s: %w", name, err)
		}
	}
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	if !exists {
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return "", fmt.Errorf("store: create %s: %w", name, err)
		}
	}
	u.Path = "/" + name
	return u.String(), nil
}

// DropPostgresDatabase drops a database made by PostgresDatabase.
func DropPostgresDatabase(ctx context.Context, base, name string) error {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("store: drop %s: %w", name, err)
	}
	return nil
}
