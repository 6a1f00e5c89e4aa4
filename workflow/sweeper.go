package workflow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	st "lienthong/ent/schema/schematype"
)

// SweepResult counts what one sweep recorded.
type SweepResult struct {
	LegsOverdue     int
	DossiersOverdue int
	DueSoon         int
}

// Total is the number of events a sweep appended.
func (r SweepResult) Total() int { return r.LegsOverdue + r.DossiersOverdue + r.DueSoon }

// sweepBatch bounds the rows one sweeper query reads.
const sweepBatch = 500

// Sweep appends OVERDUE once per leg and once per dossier past its due time,
// and DUE_SOON once per dossier coming due. Each record is its own
// transaction that claims the row with a conditional update, so several
// instances sweeping the same database record each event once.
func (e *Engine) Sweep(ctx context.Context) (SweepResult, error) {
	ctx = auth.SystemContext(ctx)
	var res SweepResult
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		if e.onSweep != nil {
			e.onSweep(res, err)
		}
		return res, err
	}
	now := e.stamp()

	err = sweepPages(ctx, func(after int) ([]*ent.Leg, error) {
		return e.client.Leg.Query().
			Where(leg.FinishedAtIsNil(), leg.OverdueAtIsNil(), leg.DueAtLT(now), leg.IDGT(after)).
			Order(ent.Asc(leg.FieldID)).Limit(sweepBatch).All(ctx)
	}, func(l *ent.Leg) int { return l.ID }, func(l *ent.Leg) error {
		ok, err := e.markLegOverdue(ctx, l.ID, l.DossierID, now)
		if ok {
			res.LegsOverdue++
		}
		return err
	})
	if err != nil {
		return res, err
	}

	// Open dossiers are unfinished; saying so lets the database use the
	// index of unfinished dossiers by appointment.
	err = sweepPages(ctx, func(after int) ([]*ent.Dossier, error) {
		return e.client.Dossier.Query().
			Where(dossier.StateIn(openStates...), dossier.FinishedAtIsNil(), dossier.OverdueAtIsNil(),
				dossier.AppointmentAtLT(now), dossier.IDGT(after)).
			Order(ent.Asc(dossier.FieldID)).Limit(sweepBatch).All(ctx)
	}, func(d *ent.Dossier) int { return d.ID }, func(d *ent.Dossier) error {
		ok, err := e.systemEvent(ctx, d.ID, func(_ *ent.Tx, d *ent.Dossier) (*systemEvent, error) {
			if d.OverdueAt != nil || !overdueAt(d, now) {
				return nil, nil
			}
			return &systemEvent{
				typ:   st.EventOverdue,
				data:  map[string]any{"appointmentAt": d.AppointmentAt.Format(time.RFC3339)},
				apply: func(u *ent.DossierUpdate) { u.SetOverdueAt(now) },
				at:    now,
			}, nil
		})
		if ok {
			res.DossiersOverdue++
		}
		return err
	})
	if err != nil {
		return res, err
	}

	// A prefilter wide enough for appointments outside office hours; the
	// exact test is in working minutes.
	horizon := now
	for _, cal := range cals.All() {
		if h := cal.Add(now, e.dueSoon).Add(24 * time.Hour); h.After(horizon) {
			horizon = h
		}
	}
	running := []st.DossierState{st.StateReceived, st.StateProcessing, st.StateCoordinating}
	err = sweepPages(ctx, func(after int) ([]*ent.Dossier, error) {
		return e.client.Dossier.Query().
			Where(dossier.StateIn(running...), dossier.FinishedAtIsNil(), dossier.DueSoonAtIsNil(), dossier.OverdueAtIsNil(),
				dossier.AppointmentAtGTE(now), dossier.AppointmentAtLTE(horizon), dossier.IDGT(after)).
			Order(ent.Asc(dossier.FieldID)).Limit(sweepBatch).All(ctx)
	}, func(d *ent.Dossier) int { return d.ID }, func(d *ent.Dossier) error {
		ok, err := e.systemEvent(ctx, d.ID, func(_ *ent.Tx, d *ent.Dossier) (*systemEvent, error) {
			if d.DueSoonAt != nil || d.PausedAt != nil || !isOpen(d.State) || d.AppointmentAt == nil ||
				now.After(*d.AppointmentAt) || cals.Of(d.DeskAgencyID).Between(now, *d.AppointmentAt) > e.dueSoon {
				return nil, nil
			}
			return &systemEvent{
				typ: st.EventDueSoon,
				data: map[string]any{
					"appointmentAt":  d.AppointmentAt.Format(time.RFC3339),
					"minutesLeft":    cals.Of(d.DeskAgencyID).Between(now, *d.AppointmentAt),
					"dueSoonMinutes": e.dueSoon,
				},
				apply: func(u *ent.DossierUpdate) { u.SetDueSoonAt(now) },
				at:    now,
			}, nil
		})
		if ok {
			res.DueSoon++
		}
		return err
	})
	if res.Total() > 0 {
		e.log.InfoContext(ctx, "sweep", "legsOverdue", res.LegsOverdue, "dossiersOverdue", res.DossiersOverdue, "dueSoon", res.DueSoon)
	}
	if e.onSweep != nil {
		e.onSweep(res, err)
	}
	return res, err
}

// sweepPages reads candidates page by page in id order and handles each.
func sweepPages[T any](ctx context.Context, page func(after int) ([]T, error), id func(T) int, handle func(T) error) error {
	after := 0
	for {
		rows, err := page(after)
		if err != nil {
			return fmt.Errorf("workflow: sweep: %w", err)
		}
		for _, r := range rows {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := handle(r); err != nil {
				return err
			}
		}
		if len(rows) < sweepBatch {
			return nil
		}
		after = id(rows[len(rows)-1])
	}
}

// markLegOverdue records one leg overdue: the leg row is claimed with a
// conditional update, so only one sweeper records it.
func (e *Engine) markLegOverdue(ctx context.Context, legID, dossierID int, now time.Time) (bool, error) {
	return e.systemEvent(ctx, dossierID, func(tx *ent.Tx, d *ent.Dossier) (*systemEvent, error) {
		l, err := tx.Leg.Get(ctx, legID)
		if err != nil {
			return nil, fmt.Errorf("workflow: load leg: %w", err)
		}
		// The leg's clock stops while the applicant supplements.
		if l.FinishedAt != nil || l.OverdueAt != nil || !clockAt(d, now).After(l.DueAt) {
			return nil, nil
		}
		return &systemEvent{
			// After the dossier's versioned update, as transitions do:
			// the dossier's row first, then its legs, in every transaction.
			write: func(tx *ent.Tx) (int, error) {
				return tx.Leg.Update().
					Where(leg.ID(l.ID), leg.OverdueAtIsNil(), leg.FinishedAtIsNil()).
					SetOverdueAt(now).
					Save(ctx)
			},
			typ:      st.EventOverdue,
			legID:    &l.ID,
			agencyID: &l.AgencyID,
			data:     map[string]any{"dueAt": l.DueAt.Format(time.RFC3339), "role": string(l.Role)},
			at:       now,
		}, nil
	})
}

// systemEvent is an event appended without changing the state: the
// sweeper's, or a fact recorded by an officer (a complaint).
type systemEvent struct {
	typ      st.DossierEventType
	actorID  *int // nil for the system
	note     string
	legID    *int
	agencyID *int
	data     map[string]any
	apply    func(*ent.DossierUpdate)
	write    func(*ent.Tx) (int, error) // a row it changes after the dossier's; 0 rows: nothing to record
	at       time.Time
}

var (
	errStale   = errors.New("stale dossier version")
	errNothing = errors.New("nothing to record")
)

// systemEvent appends the event decide returns (nil: nothing to record) to
// a dossier, in one transaction that bumps the dossier's version, and
// reports whether it did. A concurrent change of the dossier makes it read
// again and decide anew.
func (e *Engine) systemEvent(ctx context.Context, dossierID int, decide func(*ent.Tx, *ent.Dossier) (*systemEvent, error)) (bool, error) {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		recorded := false
		err := e.inTx(ctx, func(tx *ent.Tx) error {
			recorded = false
			d, err := tx.Dossier.Get(ctx, dossierID)
			if err != nil {
				return fmt.Errorf("workflow: load dossier: %w", err)
			}
			ev, err := decide(tx, d)
			if err != nil || ev == nil {
				return err
			}
			upd := tx.Dossier.Update().Where(dossier.ID(d.ID), dossier.Version(d.Version)).SetVersion(d.Version + 1).SetUpdateTime(ev.at)
			if ev.apply != nil {
				ev.apply(upd)
			}
			n, err := upd.Save(ctx)
			if err != nil {
				return fmt.Errorf("workflow: update dossier %s: %w", d.Code, err)
			}
			if n == 0 {
				return errStale
			}
			if ev.write != nil {
				if n, err := ev.write(tx); err != nil || n == 0 {
					return cmp.Or(err, errNothing)
				}
			}
			rec, err := tx.DossierEvent.Create().
				SetDossierID(d.ID).
				SetSeq(d.Version + 1).
				SetType(ev.typ).
				SetFromState(d.State).
				SetToState(d.State).
				SetNillableLegID(ev.legID).
				SetNillableAgencyID(ev.agencyID).
				SetNillableActorID(ev.actorID).
				SetNote(ev.note).
				SetData(ev.data).
				SetAt(ev.at).
				Save(ctx)
			if err != nil {
				return fmt.Errorf("workflow: record %s on %s: %w", ev.typ, d.Code, err)
			}
			legs, err := tx.Leg.Query().Where(leg.DossierID(d.ID)).Order(ent.Asc(leg.FieldID)).All(auth.SystemContext(ctx))
			if err != nil {
				return fmt.Errorf("workflow: load legs: %w", err)
			}
			var actor *auth.Viewer
			if ev.actorID != nil {
				actor, _ = auth.FromContext(ctx)
			}
			if err := e.publish(ctx, tx, d, legs, rec, actor, ev.at); err != nil {
				return err
			}
			recorded = true
			return nil
		})
		switch {
		case errors.Is(err, errStale):
			continue
		case errors.Is(err, errNothing):
			return false, nil
		}
		if recorded {
			e.dossiers.forget(dossierID) // its version moved
		}
		return recorded, err
	}
	return false, fmt.Errorf("workflow: dossier %d kept changing while the sweeper recorded it", dossierID)
}

// RunSweeper sweeps every interval until ctx ends.
func (e *Engine) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := e.Sweep(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			e.log.ErrorContext(ctx, "sweep failed", "err", err, "recorded", res.Total())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
