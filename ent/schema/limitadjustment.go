package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"lienthong/ent/schema/schematype"
)

// LimitAdjustment is a rule of law that lengthens a procedure's limit
// where the dossier is received or routed through, e.g. land procedures get
// 10 more days in mountainous, island, remote and disadvantaged communes.
// It applies at intake while in force, and what it added is recorded on
// the dossier.
type LimitAdjustment struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (LimitAdjustment) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the LimitAdjustment.
func (LimitAdjustment) Fields() []ent.Field {
	return []ent.Field{
		field.JSON("procedure_codes", []string{}).
			Comment("The national codes of the procedures it lengthens."),
		field.JSON("area_kinds", []schematype.AreaKind{}).
			Comment("The kinds of area it applies in: received at, or routed through, an agency of one of them."),
		field.Int("days").
			Positive().
			Comment("Days added: working days, or days for a procedure that counts days."),
		field.String("reference").
			NotEmpty().
			MaxLen(255).
			Comment("The legal text that gives it."),
		field.String("valid_from").
			NotEmpty().
			MaxLen(10).
			Comment("First day in force, YYYY-MM-DD."),
		field.String("valid_until").
			Optional().
			MaxLen(10).
			Comment("First day no longer in force, YYYY-MM-DD; empty while in force."),
	}
}

// Annotations of the LimitAdjustment.
func (LimitAdjustment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
