package workflow

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
	"lienthong/ent/rollup"
)

// Figures are the counters of one roll-up row (see ent/schema/rollup.go
// for what each counts).
type Figures struct {
	Received, Finished, Early, OnTime, Late, Cancelled, Minutes int64
	Opened, Closed, Due, Settled, Supplement2, SendBack2        int64
}

func (f *Figures) add(o *Figures, sign int64) {
	f.Received += sign * o.Received
	f.Finished += sign * o.Finished
	f.Early += sign * o.Early
	f.OnTime += sign * o.OnTime
	f.Late += sign * o.Late
	f.Cancelled += sign * o.Cancelled
	f.Minutes += sign * o.Minutes
	f.Opened += sign * o.Opened
	f.Closed += sign * o.Closed
	f.Due += sign * o.Due
	f.Settled += sign * o.Settled
	f.Supplement2 += sign * o.Supplement2
	f.SendBack2 += sign * o.SendBack2
}

func (f *Figures) zero() bool { return *f == Figures{} }

// judged counts one finished dossier or leg under its judgement (dossier
// and leg judgements share their values).
func (f *Figures) judged(j string) {
	switch j {
	case string(dossier.JudgementEarly):
		f.Early = 1
	case string(dossier.JudgementOnTime):
		f.OnTime = 1
	case string(dossier.JudgementLate):
		f.Late = 1
	}
}

// RollupKey is one roll-up row: a day, a view, an agency, a procedure and
// a shard.
type RollupKey struct {
	Kind        rollup.Kind
	Day         int // yyyyMMdd in Asia/Ho_Chi_Minh
	AgencyID    int
	ProcedureID int
	Shard       int
}

// RollupShards spreads each day × agency × procedure over this many rows
// (by dossier id), so that transitions on different dossiers of one busy
// agency rarely wait for each other's row lock. Reports sum the shards.
const RollupShards = 16

// Day is the roll-up day of t: yyyyMMdd in Asia/Ho_Chi_Minh.
func Day(t time.Time) int {
	y, m, d := t.In(calendar.VietnamLocation()).Date()
	return y*10000 + int(m)*100 + d
}

// Rollups accumulates changes to the roll-up rows. The engine adds a
// dossier's contribution before a transition with sign -1 and after it
// with +1, so that only what the transition changed is written.
type Rollups map[RollupKey]*Figures

func (r Rollups) at(kind rollup.Kind, t time.Time, agencyID, procedureID, shard int) *Figures {
	k := RollupKey{Kind: kind, Day: Day(t), AgencyID: agencyID, ProcedureID: procedureID, Shard: shard}
	f := r[k]
	if f == nil {
		f = &Figures{}
		r[k] = f
	}
	return f
}

// Add adds (sign +1) or removes (sign -1) what a dossier and its legs
// count for in the reports.
func (r Rollups) Add(d *ent.Dossier, legs []*ent.Leg, sign int64) {
	one := &Figures{}
	put := func(kind rollup.Kind, t time.Time, agencyID int, set func(f *Figures)) {
		*one = Figures{}
		set(one)
		r.at(kind, t, agencyID, d.ProcedureID, d.ID%RollupShards).add(one, sign)
	}
	const dk, lk = rollup.KindDOSSIER, rollup.KindLEG
	lead := 0 // dossiers from before lead agencies were recorded
	if d.LeadAgencyID != nil {
		lead = *d.LeadAgencyID
	}
	if d.ReceivedAt != nil {
		put(dk, *d.ReceivedAt, lead, func(f *Figures) {
			f.Received = 1
			if d.OriginalAppointmentAt != nil {
				f.Opened = 1
			}
			if d.SupplementRounds >= 2 {
				f.Supplement2 = 1
			}
			if d.SendBacks >= 2 {
				f.SendBack2 = 1
			}
		})
		if d.OriginalAppointmentAt != nil {
			put(dk, *d.OriginalAppointmentAt, lead, func(f *Figures) { f.Due = 1 })
		}
		if d.FinishedAt != nil {
			put(dk, *d.FinishedAt, lead, func(f *Figures) {
				if d.Judgement == nil {
					f.Cancelled = 1
				} else {
					f.Finished = 1
					f.judged(string(*d.Judgement))
					if d.ProcessingMinutes != nil {
						f.Minutes = int64(*d.ProcessingMinutes)
					}
				}
				if d.OriginalAppointmentAt != nil {
					f.Closed = 1
				}
			})
			if d.OriginalAppointmentAt != nil {
				put(dk, later(*d.OriginalAppointmentAt, *d.FinishedAt), lead, func(f *Figures) { f.Settled = 1 })
			}
		}
	}
	// The leg view counts a dossier's rounds once per agency, on the day
	// its first turn there began.
	first := map[int]*ent.Leg{}
	for _, l := range legs {
		if f, ok := first[l.AgencyID]; !ok || l.StartedAt.Before(f.StartedAt) || l.StartedAt.Equal(f.StartedAt) && l.ID < f.ID {
			first[l.AgencyID] = l
		}
	}
	for _, l := range legs {
		put(lk, l.StartedAt, l.AgencyID, func(f *Figures) {
			f.Received, f.Opened = 1, 1
			if first[l.AgencyID] == l {
				if d.SupplementRounds >= 2 {
					f.Supplement2 = 1
				}
				if d.SendBacks >= 2 {
					f.SendBack2 = 1
				}
			}
		})
		put(lk, l.DueAt, l.AgencyID, func(f *Figures) { f.Due = 1 })
		if l.FinishedAt == nil {
			continue
		}
		put(lk, *l.FinishedAt, l.AgencyID, func(f *Figures) {
			f.Finished, f.Closed = 1, 1
			f.judged(string(l.Judgement))
			if l.WorkedMinutes != nil {
				f.Minutes = int64(*l.WorkedMinutes)
			}
		})
		put(lk, later(l.DueAt, *l.FinishedAt), l.AgencyID, func(f *Figures) { f.Settled = 1 })
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// rollupColumns are the counters as the table names them.
var rollupColumns = []string{
	rollup.FieldReceived, rollup.FieldFinished, rollup.FieldEarly, rollup.FieldOnTime, rollup.FieldLate,
	rollup.FieldCancelled, rollup.FieldMinutes, rollup.FieldOpened, rollup.FieldClosed, rollup.FieldDue,
	rollup.FieldSettled, rollup.FieldSupplement2, rollup.FieldSendBack2,
}

// rollupKeyColumns name a roll-up row (the table's unique index).
var rollupKeyColumns = []string{
	rollup.FieldKind, rollup.FieldDay, rollup.FieldAgencyID, rollup.FieldProcedureID, rollup.FieldShard,
}

// rollupChunk is how many rows one upsert writes: 18 arguments each, well
// under SQLite's 32,766 bind variables.
const rollupChunk = 500

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
	cols := slices.Concat(rollupKeyColumns, rollupColumns)
	row := make([]any, len(cols))
	for i := range row {
		row[i] = 0 // a value, so that the builder writes a placeholder
	}
	insert := entsql.Dialect(dialectName).Insert(rollup.Table).Columns(cols...)
	for range n {
		insert.Values(row...)
	}
	query, _ := insert.OnConflict(
		entsql.ConflictColumns(rollupKeyColumns...),
		entsql.ResolveWith(func(u *entsql.UpdateSet) {
			for _, c := range rollupColumns {
				u.Set(c, entsql.Expr(u.Table().C(c)+" + excluded."+c))
			}
		}),
	).Query()
	s, _ := upserts.LoadOrStore(k, query)
	return s.(string)
}

// Write adds the accumulated changes to the roll-up table, in key order
// (so that concurrent transactions lock rows in the same order), as
// upserts of at most rollupChunk rows each, through tx: the engine's
// transaction, or any database/sql one (the load bench's same-shape
// baseline writes the server's roll-ups so).
func (r Rollups) Write(ctx context.Context, tx entsql.ExecQuerier, dialectName string) error {
	keys := slices.SortedFunc(maps.Keys(r), func(a, b RollupKey) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Day, b.Day),
			cmp.Compare(a.AgencyID, b.AgencyID), cmp.Compare(a.ProcedureID, b.ProcedureID), cmp.Compare(a.Shard, b.Shard))
	})
	keys = slices.DeleteFunc(keys, func(k RollupKey) bool { return r[k].zero() })
	for chunk := range slices.Chunk(keys, rollupChunk) {
		args := make([]any, 0, len(chunk)*(len(rollupKeyColumns)+len(rollupColumns)))
		for _, k := range chunk {
			f := r[k]
			// In the statement's order: rollupKeyColumns, then rollupColumns.
			args = append(args, string(k.Kind), k.Day, k.AgencyID, k.ProcedureID, k.Shard,
				f.Received, f.Finished, f.Early, f.OnTime, f.Late, f.Cancelled, f.Minutes,
				f.Opened, f.Closed, f.Due, f.Settled, f.Supplement2, f.SendBack2)
		}
		if _, err := tx.ExecContext(ctx, upsertSQL(dialectName, len(chunk)), args...); err != nil {
			return fmt.Errorf("workflow: roll-ups: %w", err)
		}
	}
	return nil
}

// legsOf loads all of a dossier's legs inside tx.
func legsOf(ctx context.Context, tx *ent.Tx, dossierID int) ([]*ent.Leg, error) {
	legs, err := tx.Leg.Query().Where(leg.DossierID(dossierID)).Order(ent.Asc(leg.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load legs: %w", err)
	}
	return legs, nil
}

// rollupBatch is how many dossiers RebuildRollups reads at once.
const rollupBatch = 2000

// RebuildRollups recomputes the whole roll-up table from the dossiers and
// legs, in one transaction: for a database written before the table
// existed, or to check the table (the tests compare both). Transitions made
// meanwhile wait for it (on PostgreSQL it locks the table first; SQLite has
// one writer), so none is counted twice or lost.
func RebuildRollups(ctx context.Context, client *ent.Client, dialectName string) error {
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

func rebuild(ctx context.Context, tx *ent.Tx, dialectName string) error {
	if dialectName == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+rollup.Table+" IN EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("workflow: roll-ups: %w", err)
		}
	}
	if _, err := tx.Rollup.Delete().Exec(ctx); err != nil {
		return fmt.Errorf("workflow: roll-ups: %w", err)
	}
	all := Rollups{}
	for after := 0; ; {
		ds, err := tx.Dossier.Query().Where(dossier.IDGT(after)).Order(ent.Asc(dossier.FieldID)).Limit(rollupBatch).All(ctx)
		if err != nil {
			return fmt.Errorf("workflow: roll-ups: %w", err)
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
			return fmt.Errorf("workflow: roll-ups: %w", err)
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
	return all.Write(ctx, tx, dialectName)
}
