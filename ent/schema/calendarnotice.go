package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// CalendarNotice is the government's yearly notice of days off for civil
// servants (holidays, the five days of Tết it chose, make-up days, swapped
// Saturdays). A year with a notice is CONFIRMED: its days are the notice's
// (the CalendarDay rows of that year). A year without one is PROVISIONAL:
// its days are computed from the Labour Code (package calendar).
type CalendarNotice struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (CalendarNotice) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the CalendarNotice.
func (CalendarNotice) Fields() []ent.Field {
	return []ent.Field{
		field.Int("year").
			Unique().
			Immutable().
			Comment("The year the notice sets.").
			Annotations(entgql.OrderField("YEAR")),
		field.String("reference").
			MaxLen(255).
			Comment("The notice's number and issuer, e.g. Thông báo số …/TB-BNV."),
		field.String("issued_on").
			Optional().
			MaxLen(10).
			Comment("The notice's date, YYYY-MM-DD."),
		field.Int("entered_by_id").
			Optional().
			Nillable().
			Comment("The administrator who entered it (none for the notices shipped with the product)."),
	}
}

// Annotations of the CalendarNotice.
func (CalendarNotice) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
