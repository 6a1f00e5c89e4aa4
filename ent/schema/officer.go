package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Officer is a person acting in the system, known by the subject of their
// token. The record is created or refreshed from the token's claims.
type Officer struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Officer) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the Officer.
func (Officer) Fields() []ent.Field {
	return []ent.Field{
		field.String("subject").
			NotEmpty().
			MaxRuneLen(255).
			Unique().
			Comment("Subject (sub) of the officer's tokens."),
		field.String("name").
			MaxRuneLen(255).
			Default("").
			Comment("Display name.").
			Annotations(entgql.OrderField("NAME")),
		field.Int("agency_id").
			Comment("Agency the officer works for."),
		field.Strings("roles").
			Default([]string{}).
			Comment("Roles from the latest token: DESK_OFFICER, SPECIALIST, AGENCY_HEAD, ANALYST, ADMIN, INTEGRATION."),
	}
}

// Edges of the Officer.
func (Officer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("agency", Agency.Type).
			Ref("officers").
			Field("agency_id").
			Unique().
			Required().
			Comment("Agency the officer works for."),
		// No where-filters through these edges (hasDelegationsWith …): an
		// edge filter is a plain SQL predicate, not a query the read rules
		// intercept, and officers are read beyond the delegations' scope.
		edge.From("delegations", Delegation.Type).
			Ref("from_officer").
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Delegations this officer gave while absent."),
		edge.From("substitutions", Delegation.Type).
			Ref("to_officer").
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Delegations this officer holds as a substitute."),
	}
}

// Annotations of the Officer.
func (Officer) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}
