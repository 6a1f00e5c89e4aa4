package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"lienthong/ent/schema/schematype"
)

// Procedure is one version of an administrative procedure (thủ tục hành
// chính). Revising a procedure creates a new version; dossiers keep the
// version they were received under.
type Procedure struct {
	ent.Schema
}

// Mixin adds created and updated timestamps.
func (Procedure) Mixin() []ent.Mixin {
	return []ent.Mixin{mixin.Time{}}
}

// Fields of the Procedure.
func (Procedure) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			NotEmpty().
			MaxRuneLen(32).
			Immutable().
			Comment("National procedure code (mã TTHC), e.g. 1.001193.").
			Annotations(entgql.OrderField("CODE")),
		field.Int("version").
			Positive().
			Immutable().
			Comment("Version number, starting at 1.").
			Annotations(entgql.OrderField("VERSION")),
		field.Bool("current").
			Default(true).
			Comment("Whether this is the version new dossiers are received under."),
		field.String("name").
			NotEmpty().
			Comment("Official name in Vietnamese.").
			Annotations(entgql.OrderField("NAME")),
		field.String("field").
			NotEmpty().
			MaxRuneLen(255).
			Comment("Field (lĩnh vực), e.g. Hộ tịch.").
			Annotations(entgql.OrderField("FIELD")),
		field.Int("legal_limit_minutes").
			Positive().
			Comment("Time limit set by law, in working minutes (1 working day = 480)."),
		field.Int("limit_minutes").
			Positive().
			Comment("The province's (possibly reduced) limit, in working minutes; appointments are computed from it."),
		field.Int("legal_limit_days").
			Default(0).
			Min(0).
			Comment("Time limit set by law in days (ngày, counted as the Civil Code counts them, art. 147–148) when limit_unit is DAYS; 0 otherwise. legal_limit_minutes then holds as many working days, for what compares limits in working time."),
		field.Int("limit_days").
			Default(0).
			Min(0).
			Comment("The province's limit in days when limit_unit is DAYS; 0 otherwise. The appointment ends with the office's closing on its last day, the next working day when that one is off."),
		field.JSON("channel_limits", []schematype.ChannelLimit{}).
			Optional().
			Comment("Limits that differ by channel (land registration: 17 working days online, 20 by post, 27 in person), in the procedure's unit; a channel not listed has limit_minutes / limit_days.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("limit_unit").
			NamedValues(
				"WorkingDays", "WORKING_DAYS",
				"Days", "DAYS",
				"Hours", "HOURS",
			).
			Default("WORKING_DAYS").
			Comment("Unit the law writes the limits in: WORKING_DAYS and HOURS (working hours) count working minutes; DAYS counts days (limit_days)."),
		field.JSON("channels", []schematype.Channel{}).
			Comment("Channels the procedure is offered on: DIRECT, ONLINE, POSTAL.").
			Annotations(entgql.Type("[Channel!]")),
		field.Int("online_level").
			Default(0).
			Min(0).
			Max(4).
			Comment("Online service level (0 = none, 4 = full)."),
		field.Int64("fee").
			Default(0).
			Min(0).
			Comment("Fee in VND; 0 when free."),
		field.JSON("components", []schematype.Component{}).
			Comment("Dossier components the applicant hands in.").
			Annotations(entgql.Type("[Component!]")),
		field.Enum("supplement_policy").
			NamedValues(
				"Pause", "PAUSE",
				"Restart", "RESTART",
			).
			Default("PAUSE").
			Comment("What supplementation does to the clocks: PAUSE extends them by the paused working time, RESTART recomputes them from the supplementation."),
		field.Bool("submission").
			Default(false).
			Comment("Whether the procedure's dossiers end in a submission to the provincial People's Committee (tờ trình), which the Department of Home Affairs evaluates when it is sent back."),
		field.String("cutoff").
			Optional().
			Nillable().
			MaxLen(5).
			Comment("Daily cut-off (HH:MM): a dossier received later counts from the next working morning."),
	}
}

// Edges of the Procedure.
func (Procedure) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("steps", RouteStep.Type).
			Comment("Route steps, ordered by position."),
		edge.To("dossiers", Dossier.Type).
			Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Procedure.
func (Procedure) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("code", "version").Unique(),
	}
}

// Annotations of the Procedure.
func (Procedure) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
	}
}
