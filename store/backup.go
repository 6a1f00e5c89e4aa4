package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"entgo.io/ent/dialect"
)

// Backup writes a consistent copy of the database at rawURL to file while
// the server goes on writing.
//
// SQLite: VACUUM INTO, a read transaction on the live file (writers go on
// in WAL mode; the copy is the database as of the transaction's start),
// giving a compact, standalone file.
//
// PostgreSQL: pg_dump's custom format, one snapshot, through the
// PostgreSQL client tools (postgresql-client). It is a logical copy for
// moving a database or a drill; a production PostgreSQL wants continuous
// archiving and point-in-time recovery besides (pgBackRest, WAL-G or
// pg_basebackup with archive_command), which no command of ours replaces.
func Backup(ctx context.Context, rawURL, file string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("store: backup: %s exists: choose a new file", file)
	}
	drv, _, _, err := driverFor(rawURL)
	if err != nil {
		return err
	}
	if drv == dialect.Postgres {
		return pgTool(ctx, "pg_dump", "--format=custom", "--no-owner", "--file="+file, "--dbname="+rawURL)
	}
	db, err := Open(ctx, rawURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SQL.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Restore loads a backup made by Backup into the database at rawURL,
// which must be empty (no table at all): it never writes over data. The
// restored database is then migrated, for a backup made by an older
// release.
func Restore(ctx context.Context, rawURL, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	drv, _, _, err := driverFor(rawURL)
	if err != nil {
		return err
	}
	if drv == dialect.Postgres {
		if err := refuseNonEmpty(ctx, rawURL); err != nil {
			return err
		}
		if err := pgTool(ctx, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname="+rawURL, file); err != nil {
			return err
		}
	} else {
		if err := restoreSQLite(ctx, rawURL, file); err != nil {
			return err
		}
	}
	db, err := Open(ctx, rawURL)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = Migrate(ctx, db)
	return err
}

// restoreSQLite copies a checked backup into place, through a temporary
// file renamed at the end: a restore cut short leaves no half database.
func restoreSQLite(ctx context.Context, rawURL, file string) error {
	path := sqlitePath(rawURL)
	if info, err := os.Stat(path); err == nil && info.Size() > 0 {
		if err := refuseNonEmpty(ctx, rawURL); err != nil {
			return err
		}
	}
	if err := checkSQLite(ctx, file); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".restore-*")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(file)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} { // an empty database's own
		_ = os.Remove(path + suffix)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

// checkSQLite makes sure file is a sound SQLite database of ours.
func checkSQLite(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite3", "file:"+file+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("store: restore: %s is not a sound SQLite database: %w", file, errors.Join(err, errors.New(ok)))
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'goose_db_version'").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("store: restore: %s is not a lienthong database (no migrations table)", file)
	}
	return nil
}

// refuseNonEmpty fails when the database at rawURL has any table.
func refuseNonEmpty(ctx context.Context, rawURL string) error {
	db, err := Open(ctx, rawURL)
	if err != nil {
		return err
	}
	defer db.Close()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
	if db.Dialect == dialect.Postgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("store: restore: the database holds %d tables already: restore into an empty one", n)
	}
	return nil
}

// pgTool runs a PostgreSQL client program.
func pgTool(ctx context.Context, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("store: %s is not installed (Debian: apt-get install postgresql-client); for production, also set up continuous archiving and point-in-time recovery (README, Backup and restore)", name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("store: %s: %w: %s", name, err, out)
	}
	return nil
}
