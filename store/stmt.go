package store

import (
	"context"
	"database/sql"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	lru "github.com/hashicorp/golang-lru/v2"
)

// stmtCacheSize bounds the prepared statements kept: ent writes a few
// hundred distinct statements; IN lists of every length come and go.
const stmtCacheSize = 512

// stmtDriver is an ent driver for SQLite that prepares each statement once
// and keeps it. The mattn driver otherwise compiles the SQL text on every
// call, which was an eighth of the server's CPU under load, and on SQLite
// much of it inside the write transaction, where writers take turns.
// PostgreSQL needs none of this: pgx keeps its own statement cache.
type stmtDriver struct {
	db    *sql.DB
	stmts *lru.Cache[string, *sql.Stmt]
}

func newStmtDriver(db *sql.DB) *stmtDriver {
	stmts, _ := lru.NewWithEvict(stmtCacheSize, func(_ string, s *sql.Stmt) {
		// Closing waits for the statement's running queries (database/sql).
		_ = s.Close()
	})
	return &stmtDriver{db: db, stmts: stmts}
}

// stmt returns the prepared statement of query, preparing it on first use.
func (d *stmtDriver) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := d.stmts.Get(query); ok {
		return s, nil
	}
	s, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, ok, _ := d.stmts.PeekOrAdd(query, s); ok {
		_ = s.Close() // prepared twice at once: keep the first
		return prev, nil
	}
	return s, nil
}

func (d *stmtDriver) conn() entsql.Conn { return entsql.Conn{ExecQuerier: cachedDB{d}} }

func (d *stmtDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.conn().Exec(ctx, query, args, v)
}

func (d *stmtDriver) Query(ctx context.Context, query string, args, v any) error {
	return d.conn().Query(ctx, query, args, v)
}

func (d *stmtDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &entsql.Tx{Conn: entsql.Conn{ExecQuerier: cachedTx{d, tx}}, Tx: tx}, nil
}

func (d *stmtDriver) Close() error {
	d.stmts.Purge()
	return d.db.Close()
}

func (d *stmtDriver) Dialect() string { return dialect.SQLite }

// cachedDB runs statements outside a transaction.
type cachedDB struct{ d *stmtDriver }

func (c cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (c cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// cachedTx runs statements in tx, on its connection's copy of each
// prepared statement (database/sql prepares one per connection, once).
type cachedTx struct {
	d  *stmtDriver
	tx *sql.Tx
}

func (c cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return c.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
}

func (c cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return c.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
}
