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

// Dossier is one applicant's file for one procedure. Its state, clocks and
// counters change only through the workflow engine.
type Dossier struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Dossier) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

func serverOwned() entgql.Annotation {
	return entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)
}

// Fields of the Dossier.
func (Dossier) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			NotEmpty().
			MaxLen(64).
			Unique().
			Immutable().
			Comment("Dossier code {desk agency code}-{yyMMdd}-{NNNN}, printed on the receipt.").
			Annotations(entgql.OrderField("CODE")),
		field.String("external_code").
			Optional().
			Nillable().
			MaxRuneLen(128).
			Immutable().
			Comment("Code of the dossier in the system it came from."),
		field.String("source").
			Optional().
			Nillable().
			MaxRuneLen(64).
			Immutable().
			Comment("System the dossier came from (with externalCode, unique)."),
		field.String("intake_hash").
			Immutable().
			Sensitive().
			Comment("Digest of the intake content, to tell a retry from a conflicting resubmission.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("procedure_id").
			Immutable().
			Comment("Procedure version the dossier was received under."),
		field.Int("desk_agency_id").
			Immutable().
			Comment("Agency whose one-stop desk received the dossier."),
		field.Int("lead_agency_id").
			Optional().
			Nillable().
			Immutable().
			Comment("Agency responsible for the dossier: the route's first LEAD step (reports by dossier count it there)."),
		field.String("applicant_name").
			NotEmpty().
			MaxRuneLen(255).
			Comment("Applicant's full name."),
		field.String("applicant_id_number").
			NotEmpty().
			MaxLen(32).
			Comment("Applicant's personal identification number (or enterprise code)."),
		field.String("applicant_phone").
			Default("").
			MaxRuneLen(32).
			Comment("Applicant's phone number."),
		field.String("applicant_email").
			Default("").
			MaxRuneLen(255).
			Comment("Applicant's e-mail address."),
		field.String("applicant_address").
			Default("").
			MaxRuneLen(512).
			Comment("Applicant's address."),
		field.Enum("channel").
			GoType(schematype.Channel("")).
			Immutable().
			Comment("How the dossier was handed in.").
			Annotations(entgql.Type("Channel")),
		field.JSON("components", []schematype.SubmittedComponent{}).
			Comment("Documents handed in.").
			Annotations(entgql.Type("[SubmittedComponent!]")),
		field.Bool("digitized").
			Default(false).
			Immutable().
			Comment("Whether every component was handed in digitised (Decision 766 digitisation rate).").
			Annotations(serverOwned()),
		field.Bool("paid_online").
			Default(false).
			Immutable().
			Comment("Whether the fee was paid through online payment.").
			Annotations(serverOwned()),
		field.Bool("complained").
			Default(false).
			Comment("Whether the applicant lodged a complaint about the handling.").
			Annotations(serverOwned()),
		field.Enum("state").
			GoType(schematype.DossierState("")).
			Comment("Current state.").
			Annotations(entgql.Type("DossierState"), entgql.OrderField("STATE"), serverOwned()),
		field.Enum("resume_state").
			GoType(schematype.DossierState("")).
			Optional().
			Nillable().
			Comment("State to go back to when the applicant supplements.").
			Annotations(entgql.Type("DossierState"), entgql.Skip(entgql.SkipAll)),
		field.Int("limit_minutes").
			Default(0).
			Min(0).
			Immutable().
			Comment("The limit that applies to the dossier, set at intake: its procedure's for its channel, with any adjustment, in working minutes (as many working days for a limit in days). 0 for dossiers received before limits were recorded: their procedure's."),
		field.Int("limit_days").
			Default(0).
			Min(0).
			Immutable().
			Comment("The limit in days (Civil Code) when the procedure counts days; 0 otherwise."),
		field.JSON("adjustments", []schematype.Adjustment{}).
			Optional().
			Immutable().
			Comment("The lengthening of the limit applied at intake (a mountainous commune, …), with its legal reference; never recomputed.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("submitted_at").
			Immutable().
			Comment("When the dossier reached the system.").
			Annotations(entgql.OrderField("SUBMITTED_AT")),
		field.Time("received_at").
			Optional().
			Nillable().
			Comment("When the desk accepted the dossier; the clock starts here.").
			Annotations(entgql.OrderField("RECEIVED_AT"), serverOwned()),
		field.Time("appointment_at").
			Optional().
			Nillable().
			Comment("When the result is promised (the appointment on the receipt, moved by supplementation or an apology).").
			Annotations(entgql.OrderField("APPOINTMENT_AT"), serverOwned()),
		field.Time("original_appointment_at").
			Optional().
			Nillable().
			Comment("The appointment before any apology; statistics judge against it.").
			Annotations(serverOwned()),
		field.Time("finished_at").
			Optional().
			Nillable().
			Comment("When the result reached the desk (RETURNED), or the dossier ended otherwise.").
			Annotations(serverOwned()),
		field.Time("completed_at").
			Optional().
			Nillable().
			Comment("When the result was handed to the applicant.").
			Annotations(serverOwned()),
		field.Time("paused_at").
			Optional().
			Nillable().
			Comment("When supplementation was requested; clocks are stopped since.").
			Annotations(serverOwned()),
		field.Int("paused_minutes").
			Default(0).
			Comment("Working minutes spent waiting for the applicant's supplements.").
			Annotations(serverOwned()),
		field.Int("current_position").
			Default(0).
			Comment("Route position of the lead step holding the dossier (0 before forwarding).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("supplement_rounds").
			Default(0).
			Comment("How many times supplementation was requested.").
			Annotations(serverOwned()),
		field.Int("send_backs").
			Default(0).
			Comment("How many times the dossier was sent back for rework.").
			Annotations(serverOwned()),
		field.Bool("apologized").
			Default(false).
			Comment("Whether an apology with a new appointment was issued (at most once).").
			Annotations(serverOwned()),
		field.Time("overdue_at").
			Optional().
			Nillable().
			Comment("When the sweeper recorded the dossier overdue.").
			Annotations(serverOwned()),
		field.Time("due_soon_at").
			Optional().
			Nillable().
			Comment("When the sweeper recorded the dossier due soon.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("judgement").
			NamedValues(
				"Early", "EARLY",
				"OnTime", "ON_TIME",
				"Late", "LATE",
			).
			Optional().
			Nillable().
			Comment("The dossier's judgement when its result reached the desk, against the original appointment.").
			Annotations(serverOwned()),
		field.Int("processing_minutes").
			Optional().
			Nillable().
			Comment("Working minutes from receipt to result, supplementation pauses excluded.").
			Annotations(serverOwned()),
		field.Int("version").
			Default(1).
			Comment("Optimistic-concurrency version, incremented by every transition.").
			Annotations(serverOwned()),
	}
}

// Edges of the Dossier.
func (Dossier) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("procedure", Procedure.Type).
			Ref("dossiers").
			Field("procedure_id").
			Unique().
			Required().
			Immutable().
			Comment("Procedure version the dossier was received under."),
		edge.To("desk_agency", Agency.Type).
			Field("desk_agency_id").
			Unique().
			Required().
			Immutable().
			Comment("Agency whose desk received the dossier."),
		edge.To("lead_agency", Agency.Type).
			Field("lead_agency_id").
			Unique().
			Immutable().
			Comment("Agency responsible for the dossier."),
		edge.To("legs", Leg.Type).
			Comment("Agency turns in order: the process control slip."),
		edge.To("events", DossierEvent.Type).
			Annotations(entgql.RelayConnection()).
			Comment("History of the dossier, oldest first."),
		edge.To("form_records", FormRecord.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)).
			Comment("Printable forms generated for the dossier, oldest first."),
	}
}

// Indexes of the Dossier.
func (Dossier) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("source", "external_code").Unique(),
		index.Fields("desk_agency_id", "received_at"),
		index.Fields("lead_agency_id", "received_at"),
		index.Fields("received_at"),
		index.Fields("finished_at"),
		// The sweeper's: unfinished dossiers by appointment. No index names
		// the state, which nearly every transition changes: an update that
		// leaves every indexed column alone is a heap-only (HOT) update on
		// PostgreSQL and touches no index on either database.
		index.Fields("appointment_at").Annotations(entsql.IndexWhere("finished_at IS NULL")),
		index.Fields("procedure_id"),
	}
}

// Annotations of the Dossier.
func (Dossier) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
	}
}
