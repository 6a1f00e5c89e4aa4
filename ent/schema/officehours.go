package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"lienthong/ent/schema/schematype"
)

// OfficeHours are the office sessions in force from a date on: the
// province's (no agency) or one agency's own, which replace the province's
// for that agency from their date. Before the first entry the product's
// default hours apply (07:30–11:30, 13:00–17:00). Entries are added for
// dates to come, never rewritten for days already counted.
type OfficeHours struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (OfficeHours) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the OfficeHours.
func (OfficeHours) Fields() []ent.Field {
	return []ent.Field{
		field.Int("agency_id").
			Optional().
			Nillable().
			Immutable().
			Comment("The agency keeping its own hours; none for the province's."),
		field.String("from").
			NotEmpty().
			MaxLen(10).
			Immutable().
			Comment("First day in force, YYYY-MM-DD, in Asia/Ho_Chi_Minh."),
		field.JSON("sessions", []schematype.Session{}).
			Comment("The day's sessions, sorted, in minutes after midnight."),
		field.Int("entered_by_id").
			Optional().
			Nillable().
			Comment("The administrator who entered them."),
	}
}

// Edges of the OfficeHours.
func (OfficeHours) Edges() []ent.Edge {
	return []ent.Edge{
		// An agency's own hours go with it: never do they become the
		// province's.
		edge.To("agency", Agency.Type).
			Field("agency_id").
			Unique().
			Immutable().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the OfficeHours.
func (OfficeHours) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("agency_id", "from").Unique(),
		// The province's rows have no agency, and NULLs never collide in a
		// unique index: one province entry a day needs its own.
		index.Fields("from").Unique().Annotations(entsql.IndexWhere("agency_id IS NULL")),
	}
}

// Annotations of the OfficeHours.
func (OfficeHours) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
