package workflow

import (
	"context"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/outbox"
)

// publish writes an event's outbound message in the event's transaction
// (see package outbox). actor is nil for the system's own events.
func (e *Engine) publish(ctx context.Context, tx *ent.Tx, d *ent.Dossier, legs []*ent.Leg, ev *ent.DossierEvent, actor *auth.Viewer, now time.Time) error {
	return e.publishAll(ctx, tx, []published{{d, legs, ev}}, actor, now)
}

// published is an event to publish, with its dossier and legs after it.
type published struct {
	d    *ent.Dossier
	legs []*ent.Leg
	ev   *ent.DossierEvent
}

// publishAll publishes events by one actor at now, their messages in one
// statement, with the procedure and agency codes they name.
func (e *Engine) publishAll(ctx context.Context, tx *ent.Tx, events []published, actor *auth.Viewer, now time.Time) error {
	ctx = auth.SystemContext(ctx)
	entries := make([]outbox.Entry, len(events))
	for i, p := range events {
		ids := outbox.Agencies(p.d, p.legs)
		if p.ev.AgencyID != nil {
			ids = append(slices.Clone(ids), *p.ev.AgencyID)
		}
		codes, err := e.agencyCodes(ctx, tx, ids)
		if err != nil {
			return err
		}
		proc := p.d.Edges.Procedure
		if proc == nil {
			if proc, err = e.procedureIn(ctx, tx, p.d.ProcedureID); err != nil {
				return err
			}
		}
		entries[i] = outbox.Entry{
			Dossier: p.d, Legs: p.legs, Event: p.ev, Actor: actor,
			Procedure: proc.Code, AgencyCodes: codes, PortalStatus: PortalStatus(p.d.State),
		}
	}
	return outbox.Write(ctx, tx, entries, now, e.fanout)
}
