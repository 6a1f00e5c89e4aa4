package workflow

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"lienthong/ent"
	"lienthong/outbox"
	"lienthong/store"
)

// maxAttempts bounds how often a transaction is run again after a transient
// failure (SQLite busy, PostgreSQL serialization failure or deadlock).
const maxAttempts = 8

// inTx runs fn in one transaction and commits it. fn may run several times:
// it must compute everything from what it reads inside the transaction.
func (e *Engine) inTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	backoff := 5 * time.Millisecond
	stale := false
	for attempt := 1; ; attempt++ {
		err := e.runTx(ctx, fn)
		if errors.Is(err, outbox.ErrStale) && !stale {
			stale = true // once more, on what the fan-out reads afresh
			continue
		}
		if err == nil || !store.Retryable(err) || attempt == maxAttempts {
			return err
		}
		sleep := backoff/2 + rand.N(backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff *= 2
	}
}

func (e *Engine) runTx(ctx context.Context, fn func(tx *ent.Tx) error) (err error) {
	tx, err := e.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("workflow: begin: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("workflow: commit: %w", err)
	}
	return nil
}

// queryRow runs a raw query in tx that returns one row, into dest.
func queryRow(ctx context.Context, tx *ent.Tx, query string, args []any, dest ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		return cmp.Or(rows.Err(), sql.ErrNoRows)
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
