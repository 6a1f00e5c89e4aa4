package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"lienthong/ent/schema/schematype"
)

// DossierEvent is one entry of a dossier's append-only history. Nothing
// updates or deletes an event; a correction is a new event.
type DossierEvent struct {
	ent.Schema
}

// Fields of the DossierEvent.
func (DossierEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int("dossier_id").
			Immutable().
			Comment("Dossier the event belongs to."),
		field.Int("seq").
			Positive().
			Immutable().
			Comment("Position of the event in the dossier's history, from 1.").
			Annotations(entgql.OrderField("SEQ")),
		field.Enum("type").
			GoType(schematype.DossierEventType("")).
			Immutable().
			Comment("What happened.").
			Annotations(entgql.Type("DossierEventType")),
		field.Enum("from_state").
			GoType(schematype.DossierState("")).
			Optional().
			Nillable().
			Immutable().
			Comment("State before the event (empty for intake).").
			Annotations(entgql.Type("DossierState")),
		field.Enum("to_state").
			GoType(schematype.DossierState("")).
			Immutable().
			Comment("State after the event.").
			Annotations(entgql.Type("DossierState")),
		field.Int("actor_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Officer who acted; empty for the system (sweeper)."),
		field.Int("acting_for_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Officer on whose behalf the actor acted (delegation)."),
		field.Int("agency_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Agency the actor acted for."),
		field.Int("leg_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Leg the event concerns, for OVERDUE and DUE_SOON of one leg."),
		field.Text("reason").
			Default("").
			Immutable().
			Comment("Written reason, mandatory for side paths."),
		field.Text("note").
			Default("").
			Immutable().
			Comment("Free note."),
		field.JSON("data", map[string]any{}).
			Optional().
			Immutable().
			Comment("Event details: requested items, coordinating agencies, new appointment.").
			Annotations(entgql.Type("Map")),
		field.Time("at").
			Immutable().
			Comment("When it happened.").
			Annotations(entgql.OrderField("AT")),
	}
}

// Edges of the DossierEvent.
func (DossierEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("dossier", Dossier.Type).
			Ref("events").
			Field("dossier_id").
			Unique().
			Required().
			Immutable(),
		edge.To("actor", Officer.Type).
			Field("actor_id").
			Unique().
			Immutable(),
		edge.To("acting_for", Officer.Type).
			Field("acting_for_id").
			Unique().
			Immutable(),
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Immutable(),
		edge.To("leg", Leg.Type).
			Field("leg_id").
			Unique().
			Immutable().
			Comment("Leg the event concerns (OVERDUE of a leg, REASSIGN)."),
	}
}

// Indexes of the DossierEvent.
func (DossierEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("dossier_id", "seq").Unique(),
		index.Fields("type", "at"),
	}
}

// Annotations of the DossierEvent.
func (DossierEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}
