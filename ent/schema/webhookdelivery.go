package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookDelivery is one message to one webhook: created PENDING with the
// message, in the event's transaction; DELIVERED when the receiver answers
// 2xx; retried with backoff until expires_at, then DEAD (until redelivered).
type WebhookDelivery struct {
	ent.Schema
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").Immutable(),
		field.Int("message_id").Immutable().Annotations(entgql.Skip()),
		field.Int("dossier_id").Immutable().Annotations(entgql.Skip()),
		field.String("dossier_code").Immutable(),
		field.Int("seq").Immutable().Comment("The event's sequence number within its dossier: deliveries of a dossier go in this order."),
		field.String("event_type").Immutable(),
		field.Enum("state").NamedValues("Pending", "PENDING", "Delivered", "DELIVERED", "Dead", "DEAD").Default("PENDING"),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.Time("expires_at").Comment("Retries stop (DEAD) after this instant: 24 hours after the message or the last redelivery."),
		field.Time("lease_until").Optional().Nillable().Annotations(entgql.Skip()).Comment("A dispatcher holds the delivery until then."),
		field.Int("last_status").Optional().Nillable().Comment("HTTP status of the last attempt."),
		field.String("last_error").Optional().MaxLen(500).Comment("Why the last attempt failed."),
		field.Time("delivered_at").Optional().Nillable(),
		field.Time("created_at").Immutable(),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).
			Ref("deliveries").
			Field("webhook_id").
			Unique().
			Required().
			Immutable(),
		edge.To("message", OutboxMessage.Type).
			Field("message_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the WebhookDelivery.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "message_id").Unique(),
		index.Fields("state", "next_attempt_at"),
		index.Fields("webhook_id", "dossier_id", "seq"),
		index.Fields("webhook_id", "created_at"),
	}
}

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
