package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Webhook is an outbound subscription: the one-stop electronic system or
// the national portal asks to be told of dossier events at a URL. Requests
// are signed per the Standard Webhooks scheme with the subscription's
// secret, shown once when it is created or rotated.
type Webhook struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Webhook) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").
			NotEmpty().
			MaxRuneLen(2048).
			Comment("Where events are POSTed (https, or http in dev mode)."),
		field.String("secret").
			Sensitive().
			Annotations(entgql.Skip()).
			Comment("Signing secret, whsec_ followed by the base64 key."),
		field.String("previous_secret").
			Optional().
			Sensitive().
			Annotations(entgql.Skip()).
			Comment("The secret before the last rotation, still signing until previous_secret_until."),
		field.Time("previous_secret_until").
			Optional().
			Nillable().
			Comment("Until when requests carry a second signature with the previous secret."),
		field.Strings("event_types").
			Optional().
			Comment("Event types wanted (DossierEvent types); empty for all."),
		field.Ints("agency_ids").
			Optional().
			Annotations(entgql.Skip()).
			Comment("Only dossiers concerning these agencies (desk, lead or any leg); empty for all."),
		field.Bool("paused").
			Default(false).
			Comment("A paused subscription keeps its deliveries pending until resumed."),
		field.Int("created_by_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).
			Annotations(entgql.Skip()),
		edge.To("created_by", Officer.Type).
			Field("created_by_id").
			Unique().
			Annotations(entgql.Skip()),
	}
}

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
