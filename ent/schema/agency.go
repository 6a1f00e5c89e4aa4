package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"lienthong/ent/schema/schematype"
)

// Agency is a government body: the provincial service centre, a department,
// a commune. Agencies with a one-stop desk receive dossiers.
type Agency struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Agency) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the Agency.
func (Agency) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			NotEmpty().
			MaxLen(32).
			Unique().
			Immutable().
			Comment("Agency code on the national portal, e.g. 000.00.13.H15.").
			Annotations(entgql.OrderField("CODE")),
		field.String("name").
			NotEmpty().
			MaxRuneLen(255).
			Comment("Official name in Vietnamese.").
			Annotations(entgql.OrderField("NAME")),
		field.Enum("level").
			NamedValues(
				"Central", "CENTRAL",
				"Province", "PROVINCE",
				"Department", "DEPARTMENT",
				"District", "DISTRICT",
				"Commune", "COMMUNE",
			).
			Comment("Administrative level.").
			Annotations(entgql.OrderField("LEVEL")),
		field.String("kind").
			Optional().
			MaxLen(32).
			Comment("What the agency is in the province's own words (tax, police, commune, …): route steps of the directory may name an agency by it.").
			Annotations(entgql.OrderField("KIND")),
		field.JSON("area_kinds", []schematype.AreaKind{}).
			Optional().
			Comment("What kind of area the agency (a commune) serves: MOUNTAINOUS, ISLAND, REMOTE, BORDER; limits are lengthened there where the law says so (limit adjustments).").
			Annotations(entgql.Type("[AreaKind!]")),
		field.Int("parent_id").
			Optional().
			Nillable().
			Comment("Parent agency, if any."),
		field.Bool("has_desk").
			Default(false).
			Comment("Whether the agency runs a one-stop desk that receives dossiers."),
		field.Bool("active").
			Default(true).
			Comment("Inactive agencies keep their history but take no new work."),
	}
}

// Edges of the Agency.
func (Agency) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Agency.Type).
			Annotations(entgql.RelayConnection()).
			From("parent").
			Field("parent_id").
			Unique().
			Comment("The agency this one belongs to."),
		edge.To("officers", Officer.Type).
			Annotations(entgql.RelayConnection()).
			Comment("Officers of the agency."),
	}
}

// Annotations of the Agency.
func (Agency) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
