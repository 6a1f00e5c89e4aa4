package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Delegation lets a substitute officer act for an absent one (trực thay)
// for a time; events record on whose behalf the delegate acted.
type Delegation struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Delegation) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the Delegation.
func (Delegation) Fields() []ent.Field {
	return []ent.Field{
		field.Int("from_officer_id").
			Immutable().
			Comment("Absent officer."),
		field.Int("to_officer_id").
			Immutable().
			Comment("Substitute officer."),
		field.Time("starts_at").
			Immutable().
			Comment("Start of the delegation."),
		field.Time("ends_at").
			Comment("End of the delegation; moved earlier when it is ended early."),
	}
}

// Edges of the Delegation.
func (Delegation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("from_officer", Officer.Type).
			Field("from_officer_id").
			Unique().
			Required().
			Immutable(),
		edge.To("to_officer", Officer.Type).
			Field("to_officer_id").
			Unique().
			Required().
			Immutable(),
	}
}
