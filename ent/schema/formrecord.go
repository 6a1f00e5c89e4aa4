package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FormRecord records that a printable form was generated: which form, for
// which dossier (or, for a tracking book, which agency and period), when
// and by whom, so that what was handed to the applicant can be shown later.
// Append-only.
type FormRecord struct {
	ent.Schema
}

// Fields of the FormRecord.
func (FormRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("form").
			NamedValues(
				"Receipt", "RECEIPT",
				"SupplementRequest", "SUPPLEMENT_REQUEST",
				"Refusal", "REFUSAL",
				"Apology", "APOLOGY",
				"ControlSlip", "CONTROL_SLIP",
				"TrackingBook", "TRACKING_BOOK",
			).
			Immutable(),
		field.Int("dossier_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("agency_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()).
			Comment("The agency whose tracking book was printed."),
		field.Time("period_from").Optional().Nillable().Immutable(),
		field.Time("period_to").Optional().Nillable().Immutable(),
		field.Int("officer_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("generated_at").Immutable(),
	}
}

// Edges of the FormRecord.
func (FormRecord) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("dossier", Dossier.Type).
			Ref("form_records").
			Field("dossier_id").
			Unique().
			Immutable(),
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Immutable(),
		edge.To("officer", Officer.Type).
			Field("officer_id").
			Unique().
			Immutable().
			Comment("Who generated it."),
	}
}

// Indexes of the FormRecord.
func (FormRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("dossier_id", "generated_at"),
	}
}

// Annotations of the FormRecord.
func (FormRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
