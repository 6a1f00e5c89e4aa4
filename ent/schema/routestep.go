package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RouteStep is one agency's turn in a procedure version's route.
type RouteStep struct {
	ent.Schema
}

// Fields of the RouteStep.
func (RouteStep) Fields() []ent.Field {
	return []ent.Field{
		field.Int("procedure_id").
			Immutable().
			Comment("Procedure version the step belongs to."),
		field.Int("position").
			Positive().
			Immutable().
			Comment("Order of the step in the route, from 1."),
		field.Enum("role").
			NamedValues(
				"Lead", "LEAD",
				"Coordinate", "COORDINATE",
			).
			Immutable().
			Comment("LEAD steps hold the dossier in turn; COORDINATE steps are consulted while the lead keeps it."),
		field.Int("agency_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Agency of the step; empty means the agency whose desk received the dossier (commune procedures)."),
		field.Int("allotted_minutes").
			Positive().
			Immutable().
			Comment("Working minutes allotted to the step."),
		field.Int("allotted_days").
			Default(0).
			Min(0).
			Comment("Days allotted to the step (counted as the Civil Code counts them) when the law gives it in days, e.g. a consultation of 12 ngày; 0 when allotted in working minutes. allotted_minutes then holds as many working days."),
		field.Int("parallel_group").
			Default(0).
			Immutable().
			Comment("COORDINATE steps sharing a non-zero group run in parallel; 0 means the step stands alone."),
		field.String("task").
			Default("").
			Immutable().
			Comment("What the agency does in this step."),
	}
}

// Edges of the RouteStep.
func (RouteStep) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("procedure", Procedure.Type).
			Ref("steps").
			Field("procedure_id").
			Unique().
			Required().
			Immutable(),
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Immutable().
			Comment("Agency of the step; empty means the receiving agency."),
	}
}

// Indexes of the RouteStep.
func (RouteStep) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("procedure_id", "position").Unique(),
	}
}
