package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"lienthong/ent/agency"
	"lienthong/store"
)

// An instant written with any offset is stored in UTC, so that SQLite's
// text comparison of times is time order; and a database opened on a
// fresh file is migrated and ready.
func TestSQLiteStoresInstantsInUTC(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "sub", "utc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := store.Migrate(ctx, db); err != nil || n == 0 {
		t.Fatalf("Migrate = %d, %v; want the migrations applied", n, err)
	}
	if pending, err := store.Pending(ctx, db); err != nil || pending {
		t.Fatalf("Pending after Migrate = %v, %v", pending, err)
	}
	hanoi := time.FixedZone("ICT", 7*3600)
	at := time.Date(2026, 11, 16, 9, 0, 0, 0, hanoi)
	a, err := db.Client.Agency.Create().SetCode("000.00.01.H43").SetName("UBND tỉnh").SetLevel(agency.LevelProvince).SetCreateTime(at).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.SQL.QueryRowContext(ctx, "SELECT create_time FROM agencies WHERE id = ?", a.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "2026-11-16 02:00:00+00:00" && stored != "2026-11-16T02:00:00Z" {
		t.Errorf("stored %q, want 02:00 UTC", stored)
	}
}

func TestOpenRefusesOtherURLs(t *testing.T) {
	for _, u := range []string{"mysql://x", "sqlite://", "lienthong.db"} {
		if _, err := store.Open(context.Background(), u); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", u)
		}
	}
}

// Fresh keeps a value for its ttl, forgets on Forget, and does not keep a
// read that began before a Forget (it may predate the change).
func TestFresh(t *testing.T) {
	c := store.NewFresh[string, int](time.Hour)
	var loads atomic.Int32
	load := func() (int, error) { return int(loads.Add(1)), nil }
	if v, _ := c.Get("k", load); v != 1 {
		t.Fatalf("first Get = %d, want 1", v)
	}
	if v, _ := c.Get("k", load); v != 1 || loads.Load() != 1 {
		t.Fatalf("second Get = %d after %d loads, want the kept 1", v, loads.Load())
	}
	c.Forget()
	if v, _ := c.Get("k", load); v != 2 {
		t.Fatalf("Get after Forget = %d, want a fresh 2", v)
	}
	// A load under way when Forget happens is returned but not kept.
	c.Forget()
	v, _ := c.Get("k", func() (int, error) { c.Forget(); return load() })
	if v != 3 {
		t.Fatalf("racing Get = %d, want 3", v)
	}
	if v, _ := c.Get("k", load); v != 4 {
		t.Errorf("Get after a racing Forget = %d, want a fresh 4", v)
	}
	// Errors are not kept.
	boom := errors.New("boom")
	c.Forget()
	if _, err := c.Get("k", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("failing Get = %v", err)
	}
	if v, _ := c.Get("k", load); v != 5 {
		t.Errorf("Get after a failure = %d, want a fresh 5", v)
	}
	short := store.NewFresh[string, int](time.Nanosecond)
	_, _ = short.Get("k", load)
	time.Sleep(time.Millisecond)
	if v, _ := short.Get("k", load); v != 7 {
		t.Errorf("Get after the ttl = %d, want a fresh 7", v)
	}
}
