// Package feed streams dossier events to live subscribers (the GraphQL
// subscription dossierEvents). It reads the outbox every transition writes
// in its own transaction, so a subscriber on any server instance sees the
// events of every instance sharing the database, in commit order.
package feed

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/dossierevent"
	"lienthong/ent/outboxmessage"
	"lienthong/problem"
)

// gapWait is how long the broker waits for a missing message id (a
// transaction that took its id and has not committed yet) before it takes
// the id for a rolled-back one and moves on.
const gapWait = 2 * time.Second

// Broker polls the outbox and fans new messages out to subscribers.
type Broker struct {
	client *ent.Client
	poll   time.Duration
	log    *slog.Logger

	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	want func(*ent.OutboxMessage) bool
	ch   chan *ent.DossierEvent
}

// New returns a broker that looks for new messages every poll.
func New(client *ent.Client, poll time.Duration, log *slog.Logger) *Broker {
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	if log == nil {
		log = slog.Default()
	}
	return &Broker{client: client, poll: poll, log: log, subs: map[*subscriber]struct{}{}}
}

// Subscribe returns the events whose messages want accepts, from now until
// ctx ends, when the channel is closed. Each event is read once, with its
// dossier, whoever is subscribed: want must hold the subscriber's scope.
// A subscriber too slow to take 256 pending events misses the later ones
// rather than holding up the others.
func (b *Broker) Subscribe(ctx context.Context, want func(*ent.OutboxMessage) bool) <-chan *ent.DossierEvent {
	s := &subscriber{want: want, ch: make(chan *ent.DossierEvent, 256)}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, s)
		close(s.ch)
		b.mu.Unlock()
	}()
	return s.ch
}

// Run polls until ctx ends, starting after the newest message.
func (b *Broker) Run(ctx context.Context) {
	ctx = auth.SystemContext(ctx)
	cursor := 0
	if last, err := b.client.OutboxMessage.Query().Order(ent.Desc(outboxmessage.FieldID)).First(ctx); err == nil {
		cursor = last.ID
	}
	var gapSince time.Time
	t := time.NewTicker(b.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		q := b.client.OutboxMessage.Query().
			Where(outboxmessage.IDGT(cursor)).
			Order(ent.Asc(outboxmessage.FieldID)).
			Limit(500)
		// Nobody to hand messages to: follow their ids (and wait for
		// gaps) all the same, without reading their payloads.
		listened := b.listened()
		if !listened {
			q.Select(outboxmessage.FieldID)
		}
		msgs, err := q.All(ctx)
		if err != nil {
			if ctx.Err() == nil {
				b.log.ErrorContext(ctx, "feed: poll", "err", err)
			}
			continue
		}
		for _, m := range msgs {
			if cursor != 0 && m.ID != cursor+1 {
				// An earlier id may still commit: wait for it a little.
				if gapSince.IsZero() {
					gapSince = time.Now()
				}
				if time.Since(gapSince) < gapWait {
					break
				}
			}
			gapSince = time.Time{}
			cursor = m.ID
			if listened {
				b.publish(ctx, m)
			}
		}
	}
}

// listened reports whether anyone is subscribed.
func (b *Broker) listened() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs) > 0
}

// publish hands m's event to the subscribers that want it, read once (in
// the system's context: each subscriber's want holds its scope).
func (b *Broker) publish(ctx context.Context, m *ent.OutboxMessage) {
	b.mu.Lock()
	var to []*subscriber
	for s := range b.subs {
		if s.want(m) {
			to = append(to, s)
		}
	}
	b.mu.Unlock()
	if len(to) == 0 {
		return
	}
	ev, err := b.client.DossierEvent.Query().Where(dossierevent.ID(m.EventID)).WithDossier().Only(ctx)
	if err != nil {
		if ctx.Err() == nil {
			b.log.ErrorContext(ctx, "feed: load event", "event", m.EventID, "err", err)
		}
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range to {
		if _, still := b.subs[s]; !still {
			continue
		}
		select {
		case s.ch <- ev:
		default:
		}
	}
}

// DossierEvents streams the events the caller may read, as they are
// recorded: of dossiers their agency received or was routed to (every
// dossier for analysts, administrators and integration clients), of
// agencyID's dossiers only when given.
func (b *Broker) DossierEvents(ctx context.Context, agencyID *int) (<-chan *ent.DossierEvent, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	all := access.ReadsAll(v)
	if agencyID != nil && !all && *agencyID != v.AgencyID {
		return nil, &problem.Error{Code: problem.CodeForbidden, Message: "officers follow their own agency's dossiers"}
	}
	// The message names every agency the dossier concerns (its desk, its
	// lead, every agency it was routed to): the read rule of dossiers,
	// applied without a read per subscriber.
	return b.Subscribe(ctx, func(m *ent.OutboxMessage) bool {
		return (all || slices.Contains(m.AgencyIds, v.AgencyID)) && (agencyID == nil || slices.Contains(m.AgencyIds, *agencyID))
	}), nil
}
