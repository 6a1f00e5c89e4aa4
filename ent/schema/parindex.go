package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"
)

// ParIndex is an agency's administrative-reform (PAR) index score for a
// year, entered by assessors; with the late-dossier rate it rates the
// agency's head.
type ParIndex struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (ParIndex) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the ParIndex.
func (ParIndex) Fields() []ent.Field {
	return []ent.Field{
		field.Int("agency_id").
			Immutable().
			Comment("Agency assessed."),
		field.Int("year").
			Immutable().
			Comment("Year assessed."),
		field.Float("score").
			Min(0).
			Max(100).
			Comment("PAR index score, 0–100."),
		field.Int("entered_by_id").
			Optional().
			Nillable().
			Comment("Officer who entered the score."),
	}
}

// Edges of the ParIndex.
func (ParIndex) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Required().
			Immutable(),
		edge.To("entered_by", Officer.Type).
			Field("entered_by_id").
			Unique(),
	}
}

// Indexes of the ParIndex.
func (ParIndex) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("agency_id", "year").Unique(),
	}
}
