package schema

import (
	"encoding/json"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// OutboxMessage is the outbound form of a dossier event, written in the
// transaction that records the event: what webhooks deliver and live
// subscriptions stream. Append-only.
type OutboxMessage struct {
	ent.Schema
}

// Fields of the OutboxMessage.
func (OutboxMessage) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id").Immutable().Unique().Comment("The DossierEvent it carries."),
		field.Int("dossier_id").Immutable(),
		field.Int("seq").Immutable().Comment("The event's sequence number within its dossier."),
		field.String("type").Immutable().Comment("The event's type."),
		field.Ints("agency_ids").Immutable().Comment("Agencies the dossier concerns: desk, lead and every leg's."),
		field.JSON("payload", json.RawMessage{}).Immutable().Comment("The JSON body sent to webhooks."),
		field.Time("created_at").Immutable(),
	}
}

// Indexes of the OutboxMessage.
func (OutboxMessage) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("dossier_id", "seq"),
	}
}

// Annotations of the OutboxMessage.
func (OutboxMessage) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
