// Package store opens the database behind DATABASE_URL (embedded SQLite or
// PostgreSQL), applies the versioned migrations and classifies driver
// errors the engine must retry.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/mattn/go-sqlite3"

	"lienthong/ent"
)

// DB is an open database with its ent client.
type DB struct {
	Dialect string // dialect.SQLite or dialect.Postgres
	SQL     *sql.DB
	Driver  dialect.Driver
	Client  *ent.Client
}

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// Open connects to rawURL: sqlite://PATH (relative or absolute) or
// postgres://… . For SQLite it sets WAL, synchronous=NORMAL, a busy
// timeout, foreign keys and immediate transactions, so that writers queue
// instead of failing on lock upgrades.
func Open(ctx context.Context, rawURL string, opts ...ent.Option) (*DB, error) {
	drv, name, dsn, err := driverFor(rawURL)
	if err != nil {
		return nil, err
	}
	if drv == dialect.SQLite {
		if dir := filepath.Dir(sqlitePath(rawURL)); dir != "" && dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create database directory: %w", err)
			}
		}
	}
	db, err := sql.Open(name, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	switch drv {
	case dialect.SQLite:
		// One writer at a time anyway; a few readers in WAL mode.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
	case dialect.Postgres:
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	var d dialect.Driver = entsql.OpenDB(drv, db)
	if drv == dialect.SQLite {
		d = newSQLiteDriver(newStmtDriver(db))
	}
	opts = append([]ent.Option{ent.Driver(d)}, opts...)
	return &DB{Dialect: drv, SQL: db, Driver: d, Client: ent.NewClient(opts...)}, nil
}

func sqlitePath(rawURL string) string {
	p := strings.TrimPrefix(rawURL, "sqlite://")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// driverFor maps DATABASE_URL to an ent dialect, a database/sql driver name and a DSN.
func driverFor(rawURL string) (drv, name, dsn string, err error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := sqlitePath(rawURL)
		if path == "" {
			return "", "", "", errors.New("store: DATABASE_URL sqlite:// needs a path, e.g. sqlite://lienthong.db")
		}
		q := url.Values{}
		if i := strings.IndexByte(rawURL, '?'); i >= 0 {
			if q, err = url.ParseQuery(rawURL[i+1:]); err != nil {
				return "", "", "", fmt.Errorf("store: DATABASE_URL query: %w", err)
			}
		}
		setDefault(q, "_fk", "1")
		setDefault(q, "_journal_mode", "WAL")
		setDefault(q, "_synchronous", "NORMAL")
		setDefault(q, "_busy_timeout", "10000")
		setDefault(q, "_txlock", "immediate")
		setDefault(q, "cache", "private")
		return dialect.SQLite, "sqlite3", "file:" + path + "?" + q.Encode(), nil
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return dialect.Postgres, "pgx", rawURL, nil
	default:
		return "", "", "", fmt.Errorf("store: DATABASE_URL must start with sqlite:// or postgres://")
	}
}

func setDefault(q url.Values, k, v string) {
	if q.Get(k) == "" {
		q.Set(k, v)
	}
}

// Retryable reports whether err is a transient failure after which the
// whole transaction can be run again: SQLite busy/locked, PostgreSQL
// serialization failure or deadlock.
func Retryable(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}
