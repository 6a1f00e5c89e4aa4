package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/webhook"
)

// Message is the JSON body of an outbound dossier event, as webhooks
// deliver it and live subscriptions stream it (the Standard Webhooks
// shape: type, timestamp, data).
type Message struct {
	Type      string      `json:"type"` // "dossier." and the event type in lower case, e.g. dossier.forward
	Timestamp time.Time   `json:"timestamp"`
	Data      MessageData `json:"data"`
}

// MessageData describes the dossier after the event.
type MessageData struct {
	Code          string         `json:"code"`
	ExternalCode  *string        `json:"externalCode"`
	Source        *string        `json:"source"`
	Procedure     string         `json:"procedure"`
	State         string         `json:"state"`
	PortalStatus  int            `json:"portalStatus"` // national-portal status code
	AppointmentAt *time.Time     `json:"appointmentAt"`
	Event         MessageEvent   `json:"event"`
	Legs          []MessageLeg   `json:"legs"`
	Extra         map[string]any `json:"extra,omitempty"` // the event's own data (items asked for, new appointment, …)
}

// MessageEvent is the event itself.
type MessageEvent struct {
	Seq       int       `json:"seq"`
	Type      string    `json:"type"`
	FromState string    `json:"fromState,omitempty"`
	ToState   string    `json:"toState"`
	Actor     string    `json:"actor,omitempty"` // the officer's subject; empty for the system
	ActorName string    `json:"actorName,omitempty"`
	ActingFor *int      `json:"actingForOfficerId,omitempty"`
	Agency    string    `json:"agency,omitempty"` // code of the agency that acted
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at"`
}

// MessageLeg is one agency's turn with the dossier.
type MessageLeg struct {
	Agency     string     `json:"agency"` // agency code
	Role       string     `json:"role"`
	StartedAt  time.Time  `json:"startedAt"`
	DueAt      time.Time  `json:"dueAt"`
	FinishedAt *time.Time `json:"finishedAt"`
	Judgement  string     `json:"judgement"`
}

// DeliveryWindow is how long a webhook delivery is retried before it is
// dead-lettered.
const DeliveryWindow = 24 * time.Hour

// publish writes an event's outbound message, and a pending delivery for
// every webhook that wants it, in the event's transaction: a committed
// transition always has its message, and a rolled-back one never does.
// actor is nil for the system's own events.
func (e *Engine) publish(ctx context.Context, tx *ent.Tx, d *ent.Dossier, legs []*ent.Leg, ev *ent.DossierEvent, actor *auth.Viewer, now time.Time) error {
	return e.publishAll(ctx, tx, []published{{d, legs, ev}}, actor, now)
}

// published is an event to publish, with its dossier and legs after it.
type published struct {
	d    *ent.Dossier
	legs []*ent.Leg
	ev   *ent.DossierEvent
}

// publishAll publishes events by one actor at now: their messages in one
// statement, then their deliveries in another.
func (e *Engine) publishAll(ctx context.Context, tx *ent.Tx, events []published, actor *auth.Viewer, now time.Time) error {
	ctx = auth.SystemContext(ctx)
	creates := make([]*ent.OutboxMessageCreate, len(events))
	concerns := make([][]int, len(events))
	for i, p := range events {
		c, concerned, err := e.message(ctx, tx, p.d, p.legs, p.ev, actor, now)
		if err != nil {
			return err
		}
		creates[i], concerns[i] = c, concerned
	}
	ms, err := tx.OutboxMessage.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return fmt.Errorf("workflow: outbox: %w", err)
	}
	hooks, err := e.webhooks(ctx, tx)
	if err != nil {
		return err
	}
	var deliveries []*ent.WebhookDeliveryCreate
	for i, p := range events {
		for _, h := range hooks {
			if !wants(h, string(p.ev.Type), concerns[i]) {
				continue
			}
			deliveries = append(deliveries, tx.WebhookDelivery.Create().
				SetWebhookID(h.ID).
				SetMessageID(ms[i].ID).
				SetDossierID(p.d.ID).
				SetDossierCode(p.d.Code).
				SetSeq(p.ev.Seq).
				SetEventType(string(p.ev.Type)).
				SetNextAttemptAt(now).
				SetExpiresAt(now.Add(DeliveryWindow)).
				SetCreatedAt(now))
		}
	}
	// At most 1,000 rows a statement: SQLite binds at most 32,766 values.
	for batch := range slices.Chunk(deliveries, 1000) {
		if err := tx.WebhookDelivery.CreateBulk(batch...).Exec(ctx); err != nil {
			if ent.IsConstraintError(err) { // a webhook deleted since read?
				e.ForgetWebhooks()
				return fmt.Errorf("workflow: outbox: %w (%w)", err, errWebhooksChanged)
			}
			return fmt.Errorf("workflow: outbox: %w", err)
		}
	}
	return nil
}

// message builds the outbound message of event ev and returns it with the
// agencies the dossier concerns.
func (e *Engine) message(ctx context.Context, tx *ent.Tx, d *ent.Dossier, legs []*ent.Leg, ev *ent.DossierEvent, actor *auth.Viewer, now time.Time) (*ent.OutboxMessageCreate, []int, error) {
	concerned := []int{d.DeskAgencyID}
	if d.LeadAgencyID != nil {
		concerned = append(concerned, *d.LeadAgencyID)
	}
	for _, l := range legs {
		concerned = append(concerned, l.AgencyID)
	}
	slices.Sort(concerned)
	concerned = slices.Compact(concerned)
	ids := concerned
	if ev.AgencyID != nil {
		ids = append(slices.Clone(concerned), *ev.AgencyID)
	}
	code, err := e.agencyCodes(ctx, tx, ids)
	if err != nil {
		return nil, nil, err
	}
	proc := d.Edges.Procedure
	if proc == nil {
		if proc, err = e.procedureIn(ctx, tx, d.ProcedureID); err != nil {
			return nil, nil, err
		}
	}
	msg := Message{
		Type:      "dossier." + strings.ToLower(string(ev.Type)),
		Timestamp: now,
		Data: MessageData{
			Code: d.Code, ExternalCode: d.ExternalCode, Source: d.Source, Procedure: proc.Code,
			State: string(d.State), PortalStatus: PortalStatus(d.State), AppointmentAt: d.AppointmentAt,
			Event: MessageEvent{
				Seq: ev.Seq, Type: string(ev.Type), ToState: string(ev.ToState),
				ActingFor: ev.ActingForID, Reason: ev.Reason, At: ev.At,
			},
			Legs:  make([]MessageLeg, len(legs)),
			Extra: ev.Data,
		},
	}
	if ev.FromState != nil {
		msg.Data.Event.FromState = string(*ev.FromState)
	}
	if actor != nil {
		msg.Data.Event.Actor, msg.Data.Event.ActorName = actor.Subject, actor.Name
	}
	if ev.AgencyID != nil {
		msg.Data.Event.Agency = code[*ev.AgencyID]
	}
	for i, l := range legs {
		msg.Data.Legs[i] = MessageLeg{Agency: code[l.AgencyID], Role: string(l.Role), StartedAt: l.StartedAt, DueAt: l.DueAt, FinishedAt: l.FinishedAt, Judgement: string(l.Judgement)}
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return nil, nil, fmt.Errorf("workflow: outbox: %w", err)
	}
	return tx.OutboxMessage.Create().
		SetEventID(ev.ID).
		SetDossierID(d.ID).
		SetSeq(ev.Seq).
		SetType(string(ev.Type)).
		SetAgencyIds(concerned).
		SetPayload(body).
		SetCreatedAt(now), concerned, nil
}

// wants reports whether webhook h subscribes to an event of type typ on a
// dossier concerning agencies.
func wants(h *ent.Webhook, typ string, agencies []int) bool {
	if len(h.EventTypes) > 0 && !slices.Contains(h.EventTypes, typ) {
		return false
	}
	return len(h.AgencyIds) == 0 || slices.ContainsFunc(h.AgencyIds, func(id int) bool { return slices.Contains(agencies, id) })
}

// errWebhooksChanged marks a delivery refused by the database, as when its
// webhook was deleted after the engine read the subscriptions: the
// transaction runs once more, on a fresh read.
var errWebhooksChanged = errors.New("a webhook may have been deleted since the subscriptions were read")

// webhooks are the subscriptions an event may go to, as read within
// Config.CacheTTL, or read afresh through tx: never through another pooled
// connection, which a transaction holding the desk's counter would wait
// for while the transactions queued behind that counter hold the pool.
func (e *Engine) webhooks(ctx context.Context, tx *ent.Tx) ([]*ent.Webhook, error) {
	return e.hooks.get(struct{}{}, func() ([]*ent.Webhook, error) {
		hooks, err := tx.Webhook.Query().Select(webhook.FieldID, webhook.FieldEventTypes, webhook.FieldAgencyIds).All(auth.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("workflow: outbox: %w", err)
		}
		return hooks, nil
	})
}

// ForgetWebhooks makes the next event read the subscriptions again: the
// webhook service calls it when it creates or deletes one.
func (e *Engine) ForgetWebhooks() { e.hooks.forget() }
