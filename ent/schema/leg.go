package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Leg is one agency's turn with a dossier, on its own clock. The legs of a
// dossier, in order, are its process control slip.
type Leg struct {
	ent.Schema
}

// Fields of the Leg.
func (Leg) Fields() []ent.Field {
	return []ent.Field{
		field.Int("dossier_id").
			Immutable().
			Comment("Dossier the leg belongs to."),
		field.Int("agency_id").
			Immutable().
			Comment("Agency holding the leg."),
		field.Int("officer_id").
			Optional().
			Nillable().
			Comment("Officer assigned to the leg, if any."),
		field.Enum("role").
			NamedValues(
				"Desk", "DESK",
				"Lead", "LEAD",
				"Coordinate", "COORDINATE",
			).
			Immutable().
			Comment("DESK (receiving), LEAD (processing) or COORDINATE (consulted)."),
		field.Int("position").
			Default(0).
			Immutable().
			Comment("Route position of the step the leg runs (0 for the desk)."),
		field.Time("started_at").
			Immutable().
			Comment("When the agency received the dossier."),
		field.Int("allotted_minutes").
			Min(0).
			Immutable().
			Comment("Working minutes allotted to the leg (for a leg allotted in days, the working minutes its period held when it opened)."),
		field.Int("allotted_days").
			Default(0).
			Min(0).
			Immutable().
			Comment("Days allotted to the leg when its step gives them in days (Civil Code art. 147–148); 0 when allotted in working minutes."),
		field.Time("due_at").
			Comment("When the leg is due (start plus allotted working time, extended by pauses)."),
		field.Time("finished_at").
			Optional().
			Nillable().
			Comment("When the agency handed the dossier on."),
		field.Int("paused_minutes").
			Default(0).
			Comment("Working minutes the leg's clock was stopped for supplementation."),
		field.Int("worked_minutes").
			Optional().
			Nillable().
			Comment("Working minutes the agency held the leg, pauses excluded; set when it finishes."),
		field.Enum("judgement").
			NamedValues(
				"Pending", "PENDING",
				"Early", "EARLY",
				"OnTime", "ON_TIME",
				"Late", "LATE",
			).
			Default("PENDING").
			Comment("EARLY = finished on an earlier day than due, ON_TIME, LATE; PENDING while open."),
		field.Bool("agree").
			Optional().
			Nillable().
			Comment("A coordinating agency's answer."),
		field.Text("opinion").
			Optional().
			Nillable().
			Comment("A coordinating agency's opinion."),
		field.Time("overdue_at").
			Optional().
			Nillable().
			Comment("When the sweeper recorded the leg overdue."),
	}
}

// Edges of the Leg.
func (Leg) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("dossier", Dossier.Type).
			Ref("legs").
			Field("dossier_id").
			Unique().
			Required().
			Immutable(),
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Required().
			Immutable(),
		edge.To("officer", Officer.Type).
			Field("officer_id").
			Unique(),
	}
}

// Indexes of the Leg.
func (Leg) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("dossier_id", "started_at"),
		index.Fields("agency_id", "finished_at"),
		index.Fields("agency_id", "started_at"),
		index.Fields("started_at"),
		index.Fields("finished_at", "due_at"),
	}
}
