package servertest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

// countingDriver counts the statements sent to the database.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d *countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, q, args, v)
}

func (d *countingDriver) Exec(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, q, args, v)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: d.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t *countingTx) Query(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	if os.Getenv("TEST_SQL") != "" {
		fmt.Println("Q:", q)
	}
	return t.Tx.Query(ctx, q, args, v)
}

func (t *countingTx) Exec(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	if os.Getenv("TEST_SQL") != "" {
		fmt.Println("E:", q)
	}
	return t.Tx.Exec(ctx, q, args, v)
}

// ExecContext passes ent's raw statements (Tx.ExecContext) through.
func (t *countingTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.n.Add(1)
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("countingTx: %T has no ExecContext", t.Tx)
	}
	return ex.ExecContext(ctx, q, args...)
}

// QueryContext passes ent's raw queries (Tx.QueryContext) through.
func (t *countingTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.n.Add(1)
	qu, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("countingTx: %T has no QueryContext", t.Tx)
	}
	return qu.QueryContext(ctx, q, args...)
}
