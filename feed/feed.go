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
	ch   chan *ent.OutboxMessage
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

// Subscribe returns the messages want accepts from now until ctx ends,
// when the channel is closed. A subscriber too slow to take 256 pending
// messages misses the later ones rather than holding up the others.
func (b *Broker) Subscribe(ctx context.Context, want func(*ent.OutboxMessage) bool) <-chan *ent.OutboxMessage {
	s := &subscriber{want: want, ch: make(chan *ent.OutboxMessage, 256)}
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
				b.publish(m)
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

func (b *Broker) publish(m *ent.OutboxMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if !s.want(m) {
			continue
		}
		select {
		case s.ch <- m:
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
	msgs := b.Subscribe(ctx, func(m *ent.OutboxMessage) bool {
		return (all || slices.Contains(m.AgencyIds, v.AgencyID)) && (agencyID == nil || slices.Contains(m.AgencyIds, *agencyID))
	})
	out := make(chan *ent.DossierEvent)
	go func() {
		defer close(out)
		for m := range msgs {
			// Read as the subscriber: the same row-level rules as queries.
			ev, err := b.client.DossierEvent.Get(ctx, m.EventID)
			if err != nil {
				if !ent.IsNotFound(err) && ctx.Err() == nil {
					b.log.ErrorContext(ctx, "feed: load event", "event", m.EventID, "err", err)
				}
				continue
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
