package servertest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/report"
	"lienthong/rollup"
	"lienthong/workflow"
)

// Acks records, per dossier, the states the server acknowledged, in order.
type Acks struct {
	mu     sync.Mutex
	states map[int][]string
	n      atomic.Int64
	Failed atomic.Int64 // requests that failed (their outcome unknown)
}

// N is the number of acknowledged transitions.
func (a *Acks) N() int64 { return a.n.Load() }

// WaitFor waits until n transitions are acknowledged, or within has passed.
func (a *Acks) WaitFor(n int64, within time.Duration) {
	for end := time.Now().Add(within); a.n.Load() < n && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
}

// Snapshot is a copy of what was acknowledged so far.
func (a *Acks) Snapshot() *Acks {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := &Acks{states: map[int][]string{}}
	for id, states := range a.states {
		c.states[id] = slices.Clone(states)
	}
	c.n.Store(a.n.Load())
	return c
}

// Add records that the server acknowledged state for dossier id.
func (a *Acks) Add(id int, state string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.states == nil {
		a.states = map[int][]string{}
	}
	a.states[id] = append(a.states[id], state)
	a.n.Add(1)
}

// CheckHistory asserts what must hold after any crash or outage: each
// dossier's version is its number of events, their seq gapless, its state
// the last one's target; every state the server acknowledged is in the
// history at its place; every event has its one outbox message; and the
// dossier codes of each desk and day run from 0001 without a gap.
func (e *Env) CheckHistory(t testing.TB, a *Acks) {
	t.Helper()
	// One snapshot: sweepers may still be recording events.
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if e.App.DB.Dialect != dialect.Postgres {
		opts = nil
	}
	tx, err := e.App.DB.SQL.BeginTx(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	events := map[int][]string{} // every event's target state
	fired := map[int][]string{}  // the same without the sweeper's events
	rows, err := tx.Query(`SELECT dossier_id, seq, type, to_state FROM dossier_events ORDER BY dossier_id, seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, seq int
		var typ, to string
		if err := rows.Scan(&id, &seq, &typ, &to); err != nil {
			t.Fatal(err)
		}
		if seq != len(events[id])+1 {
			t.Errorf("dossier %d: event seq %d after %d events", id, seq, len(events[id]))
		}
		events[id] = append(events[id], to)
		if typ != "OVERDUE" && typ != "DUE_SOON" {
			fired[id] = append(fired[id], to)
		}
	}
	rows.Close()
	rows, err = tx.Query(`SELECT id, code, state, version FROM dossiers`)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string][]int{}
	n := 0
	for rows.Next() {
		var id, version int
		var code, state string
		if err := rows.Scan(&id, &code, &state, &version); err != nil {
			t.Fatal(err)
		}
		n++
		ev := events[id]
		if version != len(ev) || len(ev) == 0 || ev[len(ev)-1] != state {
			t.Errorf("%s: state %s version %d, events %v", code, state, version, ev)
		}
		c, err := workflow.ParseCode(code)
		if err != nil {
			t.Errorf("dossier %d: code %q: %v", id, code, err)
			continue
		}
		key := c.Agency + " " + c.Day.String()
		days[key] = append(days[key], c.Seq)
	}
	rows.Close()
	for key, seqs := range days {
		slices.Sort(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Errorf("codes of %s: numbers %v, want 1…%d", key, seqs, len(seqs))
				break
			}
		}
	}
	a.mu.Lock()
	for id, states := range a.states {
		if ev := fired[id]; len(ev) < len(states) || !slices.Equal(ev[:len(states)], states) {
			t.Errorf("dossier %d: acknowledged %v, history %v", id, states, ev)
		}
	}
	a.mu.Unlock()
	var orphans, messages, total int
	if err := tx.QueryRow(`SELECT count(*) FROM dossier_events v WHERE NOT EXISTS (SELECT 1 FROM outbox_messages o WHERE o.event_id = v.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(`SELECT count(*) FROM outbox_messages`).Scan(&messages); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(`SELECT count(*) FROM dossier_events`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 || messages != total {
		t.Errorf("%d events without an outbox message; %d messages for %d events", orphans, messages, total)
	}
	t.Logf("%d dossiers, %d events, %d acknowledged transitions", n, total, a.n.Load())
}

// CheckRollups asserts that the roll-ups kept so far (by the engine's
// transitions, or the bulk generator) equal a rebuild from the dossiers and
// legs, and that reports read from them equal reports read from the
// dossiers and legs, for past and running periods, every view and grouping.
func (e *Env) CheckRollups(t testing.TB) {
	t.Helper()
	ctx := auth.SystemContext(t.Context())
	read := func() []string {
		rows, err := e.App.DB.Client.Rollup.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			f := [...]int64{r.Received, r.Finished, r.Early, r.OnTime, r.Late, r.Cancelled, r.Minutes, r.Opened, r.Closed, r.Due, r.Settled, r.Supplement2, r.SendBack2}
			if f != [len(f)]int64{} {
				out = append(out, fmt.Sprintf("%s %d a%d p%d s%d %v", r.Kind, r.Day, r.AgencyID, r.ProcedureID, r.Shard, f))
			}
		}
		slices.Sort(out)
		return out
	}
	kept := read()
	if err := rollup.Rebuild(ctx, e.App.DB.Client, e.App.DB.Dialect); err != nil {
		t.Fatal(err)
	}
	rebuilt := read()
	if len(kept) == 0 || !slices.Equal(kept, rebuilt) {
		for i := range max(len(kept), len(rebuilt)) {
			if i >= len(kept) || i >= len(rebuilt) || kept[i] != rebuilt[i] {
				t.Fatalf("roll-ups kept (%d rows) differ from a rebuild (%d rows) at row %d:\n kept    %v\n rebuilt %v",
					len(kept), len(rebuilt), i, kept[min(i, len(kept)-1)], rebuilt[min(i, len(rebuilt)-1)])
			}
		}
	}
	analyst := auth.NewContext(t.Context(), &auth.Viewer{Subject: "analyst", Roles: []auth.Role{auth.RoleAnalyst}})
	fast := report.New(e.App.DB.Driver, e.App.DB.Client, e.Clock)
	slow := fast.WithoutRollups()
	y, q4, m10, m11, m12 := 2026, 4, 10, 11, 12
	from, to := time.Date(2026, 11, 10, 0, 0, 0, 0, calendar.VietnamLocation()), time.Date(2026, 11, 20, 0, 0, 0, 0, calendar.VietnamLocation())
	periods := map[string]report.PeriodInput{
		"October": {Year: &y, Month: &m10}, "November": {Year: &y, Month: &m11}, "December": {Year: &y, Month: &m12},
		"Q4": {Year: &y, Quarter: &q4}, "2026": {Year: &y}, "10–20 November": {From: &from, To: &to},
	}
	counted := 0
	for name, p := range periods {
		for _, view := range []report.View{report.ByDossier, report.ByLeg} {
			for _, by := range []report.GroupBy{report.ByAgency, report.ByProcedure, report.ByField} {
				in := report.PerformanceInput{Period: p, View: view, GroupBy: by}
				a, err := fast.Performance(analyst, in)
				if err != nil {
					t.Fatal(err)
				}
				b, err := slow.Performance(analyst, in)
				if err != nil {
					t.Fatal(err)
				}
				if fa, fb := Figures(a), Figures(b); fa != fb {
					t.Errorf("%s by %s, %s view: from roll-ups\n %s\nfrom dossiers\n %s", name, by, view, fa, fb)
				}
				counted += a.Total.Received
			}
		}
	}
	if counted == 0 {
		t.Error("nothing counted in any period")
	}
}

// Figures prints a report's rows and total, for comparing two reports.
func Figures(rep *report.PerformanceReport) string {
	var b strings.Builder
	for _, r := range append(rep.Rows, rep.Total) {
		c := *r
		c.AgencyID = nil
		fmt.Fprintf(&b, "%+v\n", c)
	}
	return b.String()
}
