// Package outbox is what the world learns of each dossier event: the
// outbound message, written in the transaction that records the event (a
// committed transition always has its message, a rolled-back one never
// does), and handed, in that transaction, to whoever fans messages out to
// their receivers (the webhooks). The live feed and the webhook dispatcher
// read the messages back from the table, on any instance.
package outbox

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

// Entry is one event to send out: the dossier and its legs after it, the
// event, who acted (nil for the system) and what the message names.
type Entry struct {
	Dossier      *ent.Dossier
	Legs         []*ent.Leg
	Event        *ent.DossierEvent
	Actor        *auth.Viewer
	Procedure    string         // the procedure's code
	AgencyCodes  map[int]string // the code of every agency of Agencies and of the event's
	PortalStatus int
}

// Agencies are the agencies a dossier concerns: its desk, its lead and
// every agency it was routed to, in id order. The message carries them, so
// that receivers and subscribers are chosen without reading the dossier.
func Agencies(d *ent.Dossier, legs []*ent.Leg) []int {
	out := []int{d.DeskAgencyID}
	if d.LeadAgencyID != nil {
		out = append(out, *d.LeadAgencyID)
	}
	for _, l := range legs {
		out = append(out, l.AgencyID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Fanout is told of the messages written, inside their transaction: the
// webhook service queues their deliveries there.
type Fanout interface {
	Fanout(ctx context.Context, tx *ent.Tx, sent []Sent) error
}

// Sent is a message as written, with its dossier's code.
type Sent struct {
	Message     *ent.OutboxMessage
	DossierCode string
}

// ErrStale marks a fan-out that failed on what it read before the
// transaction (a subscription deleted meanwhile on another instance): the
// transaction is run once more, on a fresh read.
var ErrStale = errors.New("outbox: what the fan-out read has changed")

// Write writes the entries' messages at now, in one statement, and hands
// them to fanout (when not nil).
func Write(ctx context.Context, tx *ent.Tx, entries []Entry, now time.Time, fanout Fanout) error {
	creates := make([]*ent.OutboxMessageCreate, len(entries))
	for i, e := range entries {
		body, err := json.Marshal(e.message(now))
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		creates[i] = tx.OutboxMessage.Create().
			SetEventID(e.Event.ID).
			SetDossierID(e.Dossier.ID).
			SetSeq(e.Event.Seq).
			SetType(string(e.Event.Type)).
			SetAgencyIds(Agencies(e.Dossier, e.Legs)).
			SetPayload(body).
			SetCreatedAt(now)
	}
	msgs, err := tx.OutboxMessage.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if fanout == nil {
		return nil
	}
	sent := make([]Sent, len(msgs))
	for i, m := range msgs {
		sent[i] = Sent{Message: m, DossierCode: entries[i].Dossier.Code}
	}
	return fanout.Fanout(ctx, tx, sent)
}

func (e Entry) message(now time.Time) Message {
	d, ev := e.Dossier, e.Event
	m := Message{
		Type:      "dossier." + strings.ToLower(string(ev.Type)),
		Timestamp: now,
		Data: MessageData{
			Code: d.Code, ExternalCode: d.ExternalCode, Source: d.Source, Procedure: e.Procedure,
			State: string(d.State), PortalStatus: e.PortalStatus, AppointmentAt: d.AppointmentAt,
			Event: MessageEvent{
				Seq: ev.Seq, Type: string(ev.Type), ToState: string(ev.ToState),
				ActingFor: ev.ActingForID, Reason: ev.Reason, At: ev.At,
			},
			Legs:  make([]MessageLeg, len(e.Legs)),
			Extra: ev.Data,
		},
	}
	if ev.FromState != nil {
		m.Data.Event.FromState = string(*ev.FromState)
	}
	if e.Actor != nil {
		m.Data.Event.Actor, m.Data.Event.ActorName = e.Actor.Subject, e.Actor.Name
	}
	if ev.AgencyID != nil {
		m.Data.Event.Agency = e.AgencyCodes[*ev.AgencyID]
	}
	for i, l := range e.Legs {
		m.Data.Legs[i] = MessageLeg{Agency: e.AgencyCodes[l.AgencyID], Role: string(l.Role), StartedAt: l.StartedAt, DueAt: l.DueAt, FinishedAt: l.FinishedAt, Judgement: string(l.Judgement)}
	}
	return m
}
