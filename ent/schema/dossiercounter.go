package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// DossierCounter holds the last daily sequence number handed out per desk
// agency and day. Incremented with an upsert inside the intake
// transaction, so codes stay unique across server instances.
type DossierCounter struct {
	ent.Schema
}

// Fields of the DossierCounter.
func (DossierCounter) Fields() []ent.Field {
	return []ent.Field{
		field.Int("agency_id").Immutable(),
		field.String("day").MaxLen(6).Immutable().Comment("yyMMdd in Asia/Ho_Chi_Minh."),
		field.Int("last").Default(0),
	}
}

// Indexes of the DossierCounter.
func (DossierCounter) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("agency_id", "day").Unique(),
	}
}

// Annotations of the DossierCounter.
func (DossierCounter) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
