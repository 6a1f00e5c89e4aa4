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

// Statements prepares each statement text once on a database and keeps
// it; it runs statements outside a transaction (ExecContext, QueryContext)
// and, through In, inside one. The SQLite driver sends every statement
// through it: the mattn driver otherwise compiles the SQL text on every
// call. PostgreSQL needs none of this in the server (pgx keeps its own
// statement cache); bench/load's same-shape baseline uses it on both.
type Statements struct {
	db    *sql.DB
	stmts *lru.Cache[string, *sql.Stmt]
}

// NewStatements returns an empty cache of statements prepared on db.
func NewStatements(db *sql.DB) *Statements {
	stmts, _ := lru.NewWithEvict(stmtCacheSize, func(_ string, s *sql.Stmt) {
		// Closing waits for the statement's running queries (database/sql).
		_ = s.Close()
	})
	return &Statements{db: db, stmts: stmts}
}

// Prepare returns the prepared statement of query, preparing it on first use.
func (c *Statements) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts.Get(query); ok {
		return s, nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, ok, _ := c.stmts.PeekOrAdd(query, s); ok {
		_ = s.Close() // prepared twice at once: keep the first
		return prev, nil
	}
	return s, nil
}

// ExecContext runs query's prepared statement outside a transaction.
func (c *Statements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// QueryContext runs query's prepared statement outside a transaction.
func (c *Statements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// In returns the statements run in tx, a transaction on the same
// database, each on its connection's copy of the prepared statement
// (database/sql prepares one per connection, once).
func (c *Statements) In(tx *sql.Tx) StmtTx { return StmtTx{c, tx} }

// Purge closes and drops every statement kept.
func (c *Statements) Purge() { c.stmts.Purge() }

// StmtTx runs prepared statements in a transaction (Statements.In).
type StmtTx struct {
	c  *Statements
	tx *sql.Tx
}

// ExecContext runs a statement in the transaction, prepared once.
func (t StmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.c.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return t.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
}

// QueryContext runs a query in the transaction, prepared once.
func (t StmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := t.c.Prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
}

// QueryRowContext is QueryContext for one row; an error preparing the
// statement comes back from the row's Scan.
func (t StmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := t.c.Prepare(ctx, query)
	if err != nil {
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
}

// stmtDriver is an ent driver for SQLite that runs every statement
// prepared once (Statements): compiling the text on every call was an
// eighth of the server's CPU under load, and on SQLite much of it inside
// the write transaction, where writers take turns.
type stmtDriver struct {
	db    *sql.DB
	stmts *Statements
}

func newStmtDriver(db *sql.DB) *stmtDriver {
	return &stmtDriver{db: db, stmts: NewStatements(db)}
}

func (d *stmtDriver) conn() entsql.Conn { return entsql.Conn{ExecQuerier: d.stmts} }

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
	return &entsql.Tx{Conn: entsql.Conn{ExecQuerier: d.stmts.In(tx)}, Tx: tx}, nil
}

func (d *stmtDriver) Close() error {
	d.stmts.Purge()
	return d.db.Close()
}

func (d *stmtDriver) Dialect() string { return dialect.SQLite }
