package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// CalendarDay overrides the weekly pattern on one date: a holiday or
// make-up day off, or a working day (a swapped Saturday).
type CalendarDay struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (CalendarDay) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the CalendarDay.
func (CalendarDay) Fields() []ent.Field {
	return []ent.Field{
		field.String("date").
			NotEmpty().
			MaxLen(10).
			Unique().
			Comment("Date, YYYY-MM-DD, in Asia/Ho_Chi_Minh.").
			Annotations(entgql.OrderField("DATE")),
		field.Bool("working").
			Comment("True for a working day on a usual day off, false for a day off."),
		field.String("name").
			Default("").
			Comment("Why, e.g. Tết Nguyên đán."),
	}
}

// Annotations of the CalendarDay.
func (CalendarDay) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}
