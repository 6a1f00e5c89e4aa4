package rollup

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	entrollup "lienthong/ent/rollup"
)

// Key is one roll-up row: a day, a view, an agency, a procedure and a
// shard.
type Key struct {
	View        View
	Day         int // yyyyMMdd in Asia/Ho_Chi_Minh
	AgencyID    int
	ProcedureID int
	Shard       int
}

// Shards spreads each day × agency × procedure over this many rows (by
// dossier id), so that transitions on different dossiers of one busy
// agency rarely wait for each other's row lock. Reports sum the shards.
const Shards = 16

// Day is the roll-up day of t: yyyyMMdd in Asia/Ho_Chi_Minh.
func Day(t time.Time) int {
	y, m, d := t.In(calendar.VietnamLocation()).Date()
	return y*10000 + int(m)*100 + d
}

// Rows accumulates changes to the roll-up rows. The engine adds a
// dossier's contribution before a transition with sign -1 and after it
// with +1, so that only what the transition changed is written.
type Rows map[Key]*Figures

func (r Rows) at(view View, t time.Time, agencyID, procedureID, shard int) *Figures {
	k := Key{View: view, Day: Day(t), AgencyID: agencyID, ProcedureID: procedureID, Shard: shard}
	f := r[k]
	if f == nil {
		f = &Figures{}
		r[k] = f
	}
	return f
}

// Add adds (sign +1) or removes (sign -1) what a dossier and its legs
// count for in the reports, by the flows' Go rules.
func (r Rows) Add(d *ent.Dossier, legs []*ent.Leg, sign int64) {
	shard := d.ID % Shards
	var days days
	if d.ReceivedAt != nil { // a dossier counts once it is received
		lead := 0 // dossiers from before lead agencies were recorded
		if d.LeadAgencyID != nil {
			lead = *d.LeadAgencyID
		}
		days.reset(r, ByDossier, lead, d.ProcedureID, shard)
		for i := range flows {
			if f := &flows[i]; f.dossier != nil {
				if t, v := f.dossier(d); v != 0 && !t.IsZero() {
					days.of(t)[f.col] += sign * v
				}
			}
		}
	}
	// The leg view counts a dossier's rounds once per agency, on the day
	// its first turn there began (firstTurnSQL).
	first := make(map[int]*ent.Leg, len(legs))
	for _, l := range legs {
		if f, ok := first[l.AgencyID]; !ok || l.StartedAt.Before(f.StartedAt) || l.StartedAt.Equal(f.StartedAt) && l.ID < f.ID {
			first[l.AgencyID] = l
		}
	}
	for _, l := range legs {
		days.reset(r, ByLeg, l.AgencyID, d.ProcedureID, shard)
		for i := range flows {
			if f := &flows[i]; f.leg != nil {
				if t, v := f.leg(d, l, first[l.AgencyID] == l); v != 0 && !t.IsZero() {
					days.of(t)[f.col] += sign * v
				}
			}
		}
	}
}

// days finds the rows of one view, agency, procedure and shard by instant,
// remembering the few instants a dossier or leg counts on (received,
// finished, due, settled), so that each costs one map lookup.
type days struct {
	r                       Rows
	view                    View
	agency, procedure, shrd int
	n                       int
	seen                    [6]struct {
		t time.Time
		f *Figures
	}
}

func (d *days) reset(r Rows, view View, agency, procedure, shard int) {
	d.r, d.view, d.agency, d.procedure, d.shrd, d.n = r, view, agency, procedure, shard, 0
}

func (d *days) of(t time.Time) *Figures {
	for i := range d.n {
		if d.seen[i].t.Equal(t) {
			return d.seen[i].f
		}
	}
	f := d.r.at(d.view, t, d.agency, d.procedure, d.shrd)
	if d.n < len(d.seen) {
		d.seen[d.n].t, d.seen[d.n].f = t, f
		d.n++
	}
	return f
}

// keyColumns name a roll-up row (the table's unique index).
var keyColumns = []string{
	entrollup.FieldKind, entrollup.FieldDay, entrollup.FieldAgencyID, entrollup.FieldProcedureID, entrollup.FieldShard,
}

// chunk is how many rows one upsert writes: 18 arguments each, well under
// SQLite's 32,766 bind variables.
const chunk = 500

// upserts holds the upsert statement of n roll-up rows, by dialect and n:
// every transition writes a handful of rows, so the texts are few, and a
// stable text is what PostgreSQL's prepared-statement cache keys on.
var upserts sync.Map // upsertKey → string

type upsertKey struct {
	dialect string
	rows    int
}

// upsertSQL is the statement adding n rows' counters to the roll-up table,
// built once per dialect and n by ent's SQL builder. Write runs it with its
// own arguments rather than through ent's bulk create: this runs in every
// transition, and the bulk create's mutations and RETURNING of the ids
// (never used) cost a tenth of the server's CPU.
func upsertSQL(dialectName string, n int) string {
	k := upsertKey{dialectName, n}
	if s, ok := upserts.Load(k); ok {
		return s.(string)
	}
	cols := slices.Concat(keyColumns, columnNames[:])
	row := make([]any, len(cols))
	for i := range row {
		row[i] = 0 // a value, so that the builder writes a placeholder
	}
	insert := entsql.Dialect(dialectName).Insert(entrollup.Table).Columns(cols...)
	for range n {
		insert.Values(row...)
	}
	query, _ := insert.OnConflict(
		entsql.ConflictColumns(keyColumns...),
		entsql.ResolveWith(func(u *entsql.UpdateSet) {
			for _, c := range columnNames {
				u.Set(c, entsql.Expr(u.Table().C(c)+" + excluded."+c))
			}
		}),
	).Query()
	s, _ := upserts.LoadOrStore(k, query)
	return s.(string)
}

// Write adds the accumulated changes to the roll-up table, in key order
// (so that concurrent transactions lock rows in the same order), as
// upserts of at most chunk rows each, through tx: the engine's
// transaction, or any database/sql one (the load bench's same-shape
// baseline writes the server's roll-ups so).
func (r Rows) Write(ctx context.Context, tx entsql.ExecQuerier, dialectName string) error {
	keys := slices.SortedFunc(maps.Keys(r), compareKeys)
	keys = slices.DeleteFunc(keys, func(k Key) bool { return *r[k] == Figures{} })
	for part := range slices.Chunk(keys, chunk) {
		args := make([]any, 0, len(part)*(len(keyColumns)+int(numColumns)))
		for _, k := range part {
			// In the statement's order: keyColumns, then the counters.
			args = append(args, string(k.View), k.Day, k.AgencyID, k.ProcedureID, k.Shard)
			for _, v := range r[k] {
				args = append(args, v)
			}
		}
		if _, err := tx.ExecContext(ctx, upsertSQL(dialectName, len(part)), args...); err != nil {
			return fmt.Errorf("rollup: write: %w", err)
		}
	}
	return nil
}

// rebuildBatch is how many dossiers Rebuild reads at once.
const rebuildBatch = 2000

// Rebuild recomputes the whole roll-up table from the dossiers and legs,
// in one transaction: for a database written before the table existed, or
// to check the table (the tests compare both). Transitions made meanwhile
// wait for it (on PostgreSQL it locks the table first; SQLite has one
// writer), so none is counted twice or lost.
func Rebuild(ctx context.Context, client *ent.Client, dialectName string) error {
	ctx = auth.SystemContext(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := rebuild(ctx, tx, dialectName); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Check recomputes the roll-ups from the dossiers and legs and lists every
// row where the table differs, without changing anything: the database
// cannot guard the roll-ups themselves (every transition adds to them), so
// what the reports read is verified against the guarded history instead.
func Check(ctx context.Context, client *ent.Client) ([]string, error) {
	ctx = auth.SystemContext(ctx)
	want, err := computed(ctx, client)
	if err != nil {
		return nil, err
	}
	stored, err := client.Rollup.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rollup: check: %w", err)
	}
	have := Rows{}
	for _, r := range stored {
		f := Figures{r.Received, r.Finished, r.Early, r.OnTime, r.Late, r.Cancelled, r.Minutes, r.Opened, r.Closed, r.Due, r.Settled, r.Supplement2, r.SendBack2}
		k := Key{View: r.Kind, Day: r.Day, AgencyID: r.AgencyID, ProcedureID: r.ProcedureID, Shard: r.Shard}
		have[k] = &f
	}
	var diffs []string
	for _, k := range slices.SortedFunc(maps.Keys(unionKeys(want, have)), compareKeys) {
		w, h := orZero(want[k]), orZero(have[k])
		if w != h {
			diffs = append(diffs, fmt.Sprintf("%s %d agency %d procedure %d shard %d: stored %v, the history says %v", k.View, k.Day, k.AgencyID, k.ProcedureID, k.Shard, h, w))
		}
	}
	return diffs, nil
}

func unionKeys(a, b Rows) map[Key]bool {
	out := map[Key]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func orZero(f *Figures) Figures {
	if f == nil {
		return Figures{}
	}
	return *f
}

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.View, b.View), cmp.Compare(a.Day, b.Day),
		cmp.Compare(a.AgencyID, b.AgencyID), cmp.Compare(a.ProcedureID, b.ProcedureID), cmp.Compare(a.Shard, b.Shard))
}

// computed is every roll-up row as the dossiers and legs make it.
func computed(ctx context.Context, client *ent.Client) (Rows, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	return fromHistory(ctx, tx)
}

func rebuild(ctx context.Context, tx *ent.Tx, dialectName string) error {
	if dialectName == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+entrollup.Table+" IN EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("rollup: rebuild: %w", err)
		}
	}
	if _, err := tx.Rollup.Delete().Exec(ctx); err != nil {
		return fmt.Errorf("rollup: rebuild: %w", err)
	}
	all, err := fromHistory(ctx, tx)
	if err != nil {
		return err
	}
	return all.Write(ctx, tx, dialectName)
}

// fromHistory adds up every dossier and leg, a batch at a time.
func fromHistory(ctx context.Context, tx *ent.Tx) (Rows, error) {
	all := Rows{}
	for after := 0; ; {
		ds, err := tx.Dossier.Query().Where(dossier.IDGT(after)).Order(ent.Asc(dossier.FieldID)).Limit(rebuildBatch).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("rollup: rebuild: %w", err)
		}
		if len(ds) == 0 {
			break
		}
		ids := make([]int, len(ds))
		for i, d := range ds {
			ids[i] = d.ID
		}
		legs, err := tx.Leg.Query().Where(leg.DossierIDIn(ids...)).Order(ent.Asc(leg.FieldID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("rollup: rebuild: %w", err)
		}
		byDossier := map[int][]*ent.Leg{}
		for _, l := range legs {
			byDossier[l.DossierID] = append(byDossier[l.DossierID], l)
		}
		for _, d := range ds {
			all.Add(d, byDossier[d.ID], 1)
		}
		after = ds[len(ds)-1].ID
	}
	return all, nil
}
