package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Rollup holds one day's reporting figures for one agency and procedure,
// counted by dossier (at the lead agency) or by leg (at the leg's agency).
// The workflow engine keeps it in step with the dossiers and legs inside
// the transaction that changes them, so that a report over a year sums a
// few thousand rows instead of reading a million dossiers. Each count sits
// on the day of the instant it is about (received, finished, due), in
// Asia/Ho_Chi_Minh.
type Rollup struct {
	ent.Schema
}

// Fields of the Rollup.
func (Rollup) Fields() []ent.Field {
	counter := func(name, comment string) ent.Field {
		return field.Int64(name).Default(0).Comment(comment)
	}
	return []ent.Field{
		field.Enum("kind").NamedValues("Dossier", "DOSSIER", "Leg", "LEG").Immutable(),
		field.Int("day").Immutable().Comment("yyyyMMdd in Asia/Ho_Chi_Minh."),
		field.Int("agency_id").Immutable().Comment("Lead agency (DOSSIER) or the leg's agency (LEG)."),
		field.Int("procedure_id").Immutable(),
		field.Int("shard").Default(0).Immutable().Comment("Dossier id modulo RollupShards: concurrent transitions on different dossiers update different rows."),
		counter("received", "Dossiers received (legs started) on the day."),
		counter("finished", "Dossiers judged at their result (legs handed on) on the day."),
		counter("early", "Of finished, judged EARLY."),
		counter("on_time", "Of finished, judged ON_TIME."),
		counter("late", "Of finished, judged LATE."),
		counter("cancelled", "Dossiers closed without a result on the day."),
		counter("minutes", "Processing (worked) working minutes of the finished."),
		counter("opened", "Dossiers received (legs started) on the day that have a due time."),
		counter("closed", "Dossiers (legs) with a due time closed on the day."),
		counter("due", "Dossiers (legs) due on the day: original appointment or leg due time."),
		counter("settled", "Closed dossiers (legs) whose later of due time and close falls on the day."),
		counter("supplement2", "Dossiers with 2+ supplementation rounds, on their receipt day (DOSSIER) or the day their first turn at the agency began (LEG)."),
		counter("send_back2", "Dossiers with 2+ send-backs, counted as supplement2."),
	}
}

// Indexes of the Rollup.
func (Rollup) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("kind", "day", "agency_id", "procedure_id", "shard").Unique(),
	}
}

// Annotations of the Rollup.
func (Rollup) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}
