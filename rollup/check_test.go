package rollup_test

import (
	"strings"
	"testing"

	"lienthong/rollup"
	"lienthong/server/servertest"
)

func TestMain(m *testing.M) { servertest.Main(m) }

// The roll-ups, which the database cannot guard, are checked against the
// guarded history: a row changed by hand is found.
func TestCheck(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		diffs, err := rollup.Check(t.Context(), e.App.DB.Client)
		if err != nil || len(diffs) != 0 {
			t.Fatalf("Check on a database the engine wrote = %v, %v; want no difference", diffs, err)
		}
		if _, err := e.App.DB.SQL.ExecContext(t.Context(), "UPDATE rollups SET late = late + 1 WHERE id = (SELECT min(id) FROM rollups WHERE kind = 'LEG' AND finished > 0)"); err != nil {
			t.Fatal(err)
		}
		diffs, err = rollup.Check(t.Context(), e.App.DB.Client)
		if err != nil || len(diffs) != 1 || !strings.HasPrefix(diffs[0], "LEG ") {
			t.Errorf("Check after one row was changed = %v, %v; want that row", diffs, err)
		}
	})
}
