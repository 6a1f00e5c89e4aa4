package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"entgo.io/ent/dialect"
)

// sqliteDriver is what SQLite needs of the server's driver, beyond the
// prepared statements (Statements) underneath: two things.
//
// Every instant is stored in UTC. SQLite keeps times as text and compares
// them as text, so instants written with different offsets (the system
// clock's, an appointment computed in Asia/Ho_Chi_Minh, a client's input)
// would compare wrongly; one offset for all makes text order time order.
//
// This process's write transactions queue for the one writer. SQLite has
// one writer; transactions begin IMMEDIATE, and a connection that finds
// the write lock taken sleeps in SQLite's busy handler for up to 100 ms at a time before
// it looks again. Waiting on a Go channel instead, each transaction starts
// the moment the one before it ends: the tail latency under many clients is
// the queue's, not the sleeps'. Other processes on the same file still wait
// through the busy timeout.
type sqliteDriver struct {
	dialect.Driver
	writer chan struct{} // holds a token while a transaction is open
}

func newSQLiteDriver(d dialect.Driver) sqliteDriver {
	return sqliteDriver{Driver: d, writer: make(chan struct{}, 1)}
}

func (d sqliteDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.Driver.Exec(ctx, query, utcArgs(args), v)
}

func (d sqliteDriver) Query(ctx context.Context, query string, args, v any) error {
	return d.Driver.Query(ctx, query, utcArgs(args), v)
}

func (d sqliteDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	select {
	case d.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		<-d.writer
		return nil, err
	}
	return &sqliteTx{Tx: tx, release: func() { <-d.writer }}, nil
}

type sqliteTx struct {
	dialect.Tx
	release func()
	once    sync.Once
}

func (t *sqliteTx) Commit() error {
	defer t.once.Do(t.release)
	return t.Tx.Commit()
}

func (t *sqliteTx) Rollback() error {
	defer t.once.Do(t.release)
	return t.Tx.Rollback()
}

func (t *sqliteTx) Exec(ctx context.Context, query string, args, v any) error {
	return t.Tx.Exec(ctx, query, utcArgs(args), v)
}

func (t *sqliteTx) Query(ctx context.Context, query string, args, v any) error {
	return t.Tx.Query(ctx, query, utcArgs(args), v)
}

// QueryContext runs a raw query (ent's Tx.QueryContext) in the transaction.
func (t *sqliteTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("store: %T runs no raw queries", t.Tx)
	}
	return q.QueryContext(ctx, query, utcArgs(args).([]any)...)
}

// ExecContext runs a raw statement (ent's Tx.ExecContext) in the transaction.
func (t *sqliteTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	x, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("store: %T runs no raw statements", t.Tx)
	}
	return x.ExecContext(ctx, query, utcArgs(args).([]any)...)
}

func utcArgs(args any) any {
	list, ok := args.([]any)
	if !ok {
		return args
	}
	for i, a := range list {
		switch t := a.(type) {
		case time.Time:
			list[i] = t.UTC()
		case *time.Time:
			if t != nil {
				list[i] = t.UTC()
			}
		}
	}
	return list
}
