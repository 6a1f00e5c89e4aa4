package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// RouteStepInput describes one step of a procedure's route.
type RouteStepInput struct {
	Position        int
	Role            routestep.Role
	AgencyID        *int // nil: the agency whose desk receives the dossier
	AllottedMinutes int
	AllottedDays    int // > 0: allotted in days (Civil Code), AllottedMinutes then set to as many working days
	ParallelGroup   int
	Task            string
}

// ProcedureInput describes a procedure version.
type ProcedureInput struct {
	Code              string
	Name              string
	Field             string
	LegalLimitMinutes int
	LimitMinutes      int
	LegalLimitDays    int // for LimitUnit DAYS: the limits in days
	LimitDays         int
	// ChannelLimits are the limits of the channels whose limit differs
	// from the one above, in the same unit.
	ChannelLimits    []schematype.ChannelLimit
	LimitUnit        procedure.LimitUnit
	Channels         []schematype.Channel
	OnlineLevel      int
	Fee              int64
	Components       []schematype.Component
	SupplementPolicy procedure.SupplementPolicy
	Cutoff           *string
	Submission       bool // ends in a submission to the provincial People's Committee
	Steps            []RouteStepInput
}

// CreateProcedure creates version 1 of a procedure (ADMIN).
func (e *Engine) CreateProcedure(ctx context.Context, in ProcedureInput) (*ent.Procedure, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	return e.saveProcedure(ctx, in, false)
}

// ReviseProcedure creates the next version of an existing procedure
// (ADMIN); dossiers already received keep the version they have.
func (e *Engine) ReviseProcedure(ctx context.Context, in ProcedureInput) (*ent.Procedure, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	return e.saveProcedure(ctx, in, true)
}

func (e *Engine) saveProcedure(ctx context.Context, in ProcedureInput, revise bool) (*ent.Procedure, error) {
	var created *ent.Procedure
	err := e.inTx(ctx, func(tx *ent.Tx) error {
		var err error
		created, err = WriteProcedure(ctx, tx, in, revise)
		return err
	})
	e.current.Forget() // a new version is current from now on
	if err != nil {
		return nil, err
	}
	return created.Unwrap(), nil
}

// WriteProcedure writes a procedure version in tx: version 1 of a new
// code, or (revise) the next version of an existing one, which becomes the
// current one; dossiers received under the earlier versions keep theirs.
// It checks the version first (ValidateProcedure) and that its steps name
// active agencies.
func WriteProcedure(ctx context.Context, tx *ent.Tx, in ProcedureInput, revise bool) (*ent.Procedure, error) {
	in.Code = strings.TrimSpace(in.Code)
	if err := ValidateProcedure(in); err != nil {
		return nil, err
	}
	if err := normalizeLimits(&in); err != nil {
		return nil, err
	}
	in.Components = slices.Clone(in.Components)
	for i := range in.Components {
		in.Components[i].Name = strings.TrimSpace(in.Components[i].Name)
	}
	if err := checkStepAgencies(ctx, tx, in.Steps); err != nil {
		return nil, err
	}
	last, err := tx.Procedure.Query().
		Where(procedure.Code(in.Code)).
		Order(ent.Desc(procedure.FieldVersion)).
		First(ctx)
	version := 1
	switch {
	case ent.IsNotFound(err):
		if revise {
			return nil, problem.NotFound("no procedure with code %s to revise", in.Code)
		}
	case err != nil:
		return nil, fmt.Errorf("workflow: load procedure %s: %w", in.Code, err)
	default:
		if !revise {
			return nil, problem.Conflict("", "procedure %s exists already (version %d): revise it instead", in.Code, last.Version)
		}
		version = last.Version + 1
		if err := tx.Procedure.Update().Where(procedure.Code(in.Code)).SetCurrent(false).Exec(ctx); err != nil {
			return nil, fmt.Errorf("workflow: retire procedure %s: %w", in.Code, err)
		}
	}
	p, err := tx.Procedure.Create().
		SetCode(in.Code).
		SetVersion(version).
		SetCurrent(true).
		SetName(strings.TrimSpace(in.Name)).
		SetField(strings.TrimSpace(in.Field)).
		SetLegalLimitMinutes(in.LegalLimitMinutes).
		SetLimitMinutes(in.LimitMinutes).
		SetLegalLimitDays(in.LegalLimitDays).
		SetLimitDays(in.LimitDays).
		SetChannelLimits(in.ChannelLimits).
		SetLimitUnit(in.LimitUnit).
		SetChannels(in.Channels).
		SetOnlineLevel(in.OnlineLevel).
		SetFee(in.Fee).
		SetComponents(in.Components).
		SetSupplementPolicy(in.SupplementPolicy).
		SetNillableCutoff(in.Cutoff).
		SetSubmission(in.Submission).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: create procedure %s: %w", in.Code, err)
	}
	steps := make([]*ent.RouteStepCreate, len(in.Steps))
	for i, s := range in.Steps {
		steps[i] = tx.RouteStep.Create().
			SetProcedureID(p.ID).
			SetPosition(s.Position).
			SetRole(s.Role).
			SetNillableAgencyID(s.AgencyID).
			SetAllottedMinutes(s.AllottedMinutes).
			SetAllottedDays(s.AllottedDays).
			SetParallelGroup(s.ParallelGroup).
			SetTask(strings.TrimSpace(s.Task))
	}
	if err := tx.RouteStep.CreateBulk(steps...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("workflow: create route of %s: %w", in.Code, err)
	}
	return p, nil
}

func checkStepAgencies(ctx context.Context, tx *ent.Tx, steps []RouteStepInput) error {
	var ids []int
	for _, s := range steps {
		if s.AgencyID != nil {
			ids = append(ids, *s.AgencyID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	active, err := activeAgencies(ctx, tx.Agency, ids)
	if err != nil {
		return err
	}
	for i, s := range steps {
		if s.AgencyID != nil && !active[*s.AgencyID] {
			return problem.BadInput(fmt.Sprintf("input.steps[%d].agencyID", i), "step %d: no active agency with id %d", s.Position, *s.AgencyID)
		}
	}
	return nil
}

// ValidateProcedure checks a procedure version, the route budget included:
// the sequential budgets (a parallel group counts as its longest step) must
// fit in the province's limit.
func ValidateProcedure(in ProcedureInput) error {
	if err := checkProcedureText(in); err != nil {
		return err
	}
	if err := normalizeLimits(&in); err != nil {
		return err
	}
	switch {
	case in.Code == "":
		return problem.BadInput("input.code", "code is required")
	case strings.TrimSpace(in.Name) == "":
		return problem.BadInput("input.name", "name is required")
	case strings.TrimSpace(in.Field) == "":
		return problem.BadInput("input.field", "field is required")
	case in.LegalLimitMinutes <= 0:
		return problem.BadInput("input.legalLimitMinutes", "legal limit must be positive")
	case in.LimitUnit != procedure.LimitUnitDays && in.LegalLimitMinutes > MaxLimitMinutes:
		return problem.BadInput("input.legalLimitMinutes", "legal limit %s is above %s, a year of working days", fmtMinutes(in.LegalLimitMinutes), fmtMinutes(MaxLimitMinutes))
	case in.LimitMinutes <= 0:
		return problem.BadInput("input.limitMinutes", "limit must be positive")
	case in.LimitMinutes > in.LegalLimitMinutes:
		return problem.BadInput("input.limitMinutes", "limit %s exceeds the legal limit %s", fmtMinutes(in.LimitMinutes), fmtMinutes(in.LegalLimitMinutes))
	case len(in.Channels) == 0:
		return problem.BadInput("input.channels", "at least one channel is required")
	case in.OnlineLevel < 0 || in.OnlineLevel > 4:
		return problem.BadInput("input.onlineLevel", "online level must be between 0 and 4")
	case in.Fee < 0:
		return problem.BadInput("input.fee", "fee must not be negative")
	case len(in.Steps) == 0:
		return problem.BadInput("input.steps", "the route needs at least one step")
	}
	seenCh := map[schematype.Channel]bool{}
	for _, c := range in.Channels {
		if seenCh[c] {
			return problem.BadInput("input.channels", "channel %s listed twice", c)
		}
		seenCh[c] = true
	}
	seenComp := map[string]bool{}
	for i, c := range in.Components {
		name := strings.TrimSpace(c.Name)
		if name == "" {
			return problem.BadInput(fmt.Sprintf("input.components[%d].name", i), "component name is required")
		}
		if seenComp[name] {
			return problem.BadInput(fmt.Sprintf("input.components[%d].name", i), "component %q listed twice", name)
		}
		seenComp[name] = true
	}
	if in.Cutoff != nil {
		if _, err := time.Parse("15:04", *in.Cutoff); err != nil || len(*in.Cutoff) != 5 {
			return problem.BadInput("input.cutoff", "cutoff must be HH:MM, got %q", problem.Clip(*in.Cutoff, 16))
		}
	}
	steps := slices.Clone(in.Steps)
	slices.SortFunc(steps, func(a, b RouteStepInput) int { return a.Position - b.Position })
	for i, s := range steps {
		field := fmt.Sprintf("input.steps[%d]", i)
		if s.Position != i+1 {
			return problem.BadInput(field+".position", "step positions must run 1, 2, 3, … without gaps or repeats")
		}
		if s.AllottedMinutes <= 0 {
			return problem.BadInput(field+".allottedMinutes", "step %d: allotted time must be positive", s.Position)
		}
		if s.AllottedDays > MaxLimitDays {
			return problem.BadInput(field+".allottedDays", "step %d: %d days is above %d", s.Position, s.AllottedDays, MaxLimitDays)
		}
		if s.Role != routestep.RoleLead && s.Role != routestep.RoleCoordinate {
			return problem.BadInput(field+".role", "step %d: unknown role %q", s.Position, s.Role)
		}
		if s.ParallelGroup != 0 && s.Role != routestep.RoleCoordinate {
			return problem.BadInput(field+".parallelGroup", "step %d: only COORDINATE steps run in parallel", s.Position)
		}
		if s.ParallelGroup < 0 {
			return problem.BadInput(field+".parallelGroup", "step %d: parallel group must not be negative", s.Position)
		}
	}
	if steps[0].Role != routestep.RoleLead {
		return problem.BadInput("input.steps[0].role", "the first step must be a LEAD step: someone holds the dossier before consulting others")
	}
	// Members of one parallel group must be consecutive.
	closed := map[int]bool{}
	for i, s := range steps {
		if s.ParallelGroup == 0 {
			continue
		}
		if closed[s.ParallelGroup] {
			return problem.BadInput(fmt.Sprintf("input.steps[%d].parallelGroup", i), "step %d: the steps of parallel group %d must be consecutive", s.Position, s.ParallelGroup)
		}
		if i+1 == len(steps) || steps[i+1].ParallelGroup != s.ParallelGroup {
			closed[s.ParallelGroup] = true
		}
	}
	// The route's budget, in the procedure's unit: working minutes, or for
	// a procedure in days, days. A step given in the other unit is
	// converted so that only a route that cannot fit is refused: a step in
	// days inside a working-time procedure counts as the working days of
	// its days at five a week (rounded up), a step in working time inside
	// a procedure in days as the fewest days its working days can span
	// (five to a week, the weekend between).
	inDays := in.LimitUnit == procedure.LimitUnitDays
	cost := func(s RouteStepInput) int {
		switch {
		case inDays && s.AllottedDays > 0:
			return s.AllottedDays
		case inDays:
			w := (s.AllottedMinutes + calendar.MinutesPerWorkingDay - 1) / calendar.MinutesPerWorkingDay
			return w + 2*((w-1)/5)
		case s.AllottedDays > 0:
			return (s.AllottedDays*5 + 6) / 7 * calendar.MinutesPerWorkingDay
		}
		return s.AllottedMinutes
	}
	show := func(s RouteStepInput) string {
		if s.AllottedDays > 0 {
			return fmt.Sprintf("%d days", s.AllottedDays)
		}
		return fmtMinutes(s.AllottedMinutes)
	}
	amount := func(n int) string {
		if inDays {
			return fmt.Sprintf("%d days", n)
		}
		return fmtMinutes(n)
	}
	total, parts := 0, []string{}
	for _, seg := range segments(steps) {
		longest, which := 0, seg[0]
		for _, s := range seg {
			if c := cost(s); c > longest {
				longest, which = c, s
			}
		}
		total += longest
		if len(seg) == 1 {
			parts = append(parts, fmt.Sprintf("step %d (%s)", seg[0].Position, show(which)))
		} else {
			parts = append(parts, fmt.Sprintf("steps %d–%d in parallel (%s)", seg[0].Position, seg[len(seg)-1].Position, show(which)))
		}
	}
	// The route serves every channel: it must fit the shortest limit.
	limit, which := in.LimitMinutes, ""
	if inDays {
		limit = in.LimitDays
	}
	for _, c := range in.ChannelLimits {
		l := c.LimitMinutes
		if inDays {
			l = c.LimitDays
		}
		if l < limit {
			limit, which = l, fmt.Sprintf(" (%s)", c.Channel)
		}
	}
	if total > limit {
		return &problem.Error{
			Code:   problem.CodeBadUserInput,
			Detail: problem.DetailBudgetOverrun,
			Field:  "input.steps",
			Message: fmt.Sprintf("the route needs %s but the limit%s is %s, over by %s: %s",
				amount(total), which, amount(limit), amount(total-limit), strings.Join(parts, " + ")),
		}
	}
	return nil
}

// MaxLimitDays bounds a limit in days: a year.
const MaxLimitDays = 366

// normalizeLimits settles a procedure's limits in their unit. In days
// (DAYS), the days are given, or as many working days in minutes (the way
// a limit in days was entered before days were counted as days); the
// minutes are then set to as many working days. In working time, no days
// are given. A step allotted days gets as many working days in minutes.
func normalizeLimits(in *ProcedureInput) error {
	if in.LimitUnit == procedure.LimitUnitDays {
		for _, l := range []struct {
			field   string
			days    *int
			minutes *int
		}{{"input.legalLimitDays", &in.LegalLimitDays, &in.LegalLimitMinutes}, {"input.limitDays", &in.LimitDays, &in.LimitMinutes}} {
			if *l.days == 0 {
				if *l.minutes%calendar.MinutesPerWorkingDay != 0 {
					return problem.BadInput(l.field, "a limit in days is a whole number of days: give %s", strings.TrimPrefix(l.field, "input."))
				}
				*l.days = *l.minutes / calendar.MinutesPerWorkingDay
			}
			if *l.days < 0 || *l.days > MaxLimitDays {
				return problem.BadInput(l.field, "a limit in days is between 1 and %d days", MaxLimitDays)
			}
			*l.minutes = *l.days * calendar.MinutesPerWorkingDay
		}
		if in.LimitDays > in.LegalLimitDays {
			return problem.BadInput("input.limitDays", "limit %d days exceeds the legal limit %d days", in.LimitDays, in.LegalLimitDays)
		}
	} else {
		if in.LegalLimitDays != 0 {
			return problem.BadInput("input.legalLimitDays", "days are for a limit in days (limitUnit DAYS): give legalLimitMinutes")
		}
		if in.LimitDays != 0 {
			return problem.BadInput("input.limitDays", "days are for a limit in days (limitUnit DAYS): give limitMinutes")
		}
	}
	in.ChannelLimits = slices.Clone(in.ChannelLimits)
	seen := map[schematype.Channel]bool{}
	for i := range in.ChannelLimits {
		c := &in.ChannelLimits[i]
		field := fmt.Sprintf("input.channelLimits[%d]", i)
		switch {
		case !slices.Contains(in.Channels, c.Channel):
			return problem.BadInput(field+".channel", "the procedure is not offered on %s", c.Channel)
		case seen[c.Channel]:
			return problem.BadInput(field+".channel", "channel %s listed twice", c.Channel)
		}
		seen[c.Channel] = true
		if in.LimitUnit == procedure.LimitUnitDays {
			if c.LegalDays == 0 && c.LegalMinutes%calendar.MinutesPerWorkingDay == 0 {
				c.LegalDays = c.LegalMinutes / calendar.MinutesPerWorkingDay
			}
			if c.LimitDays == 0 && c.LimitMinutes%calendar.MinutesPerWorkingDay == 0 {
				c.LimitDays = c.LimitMinutes / calendar.MinutesPerWorkingDay
			}
			if c.LegalDays <= 0 || c.LimitDays <= 0 || c.LegalDays > MaxLimitDays {
				return problem.BadInput(field, "a limit in days is between 1 and %d whole days: give legalDays and limitDays", MaxLimitDays)
			}
			c.LegalMinutes, c.LimitMinutes = c.LegalDays*calendar.MinutesPerWorkingDay, c.LimitDays*calendar.MinutesPerWorkingDay
		} else if c.LegalDays != 0 || c.LimitDays != 0 {
			return problem.BadInput(field, "days are for a limit in days (limitUnit DAYS): give legalMinutes and limitMinutes")
		}
		switch {
		case c.LimitMinutes <= 0 || c.LegalMinutes <= 0:
			return problem.BadInput(field, "a channel's limits must be positive")
		case in.LimitUnit != procedure.LimitUnitDays && c.LegalMinutes > MaxLimitMinutes:
			return problem.BadInput(field+".legalMinutes", "legal limit %s is above %s, a year of working days", fmtMinutes(c.LegalMinutes), fmtMinutes(MaxLimitMinutes))
		case c.LimitMinutes > c.LegalMinutes:
			return problem.BadInput(field+".limitMinutes", "the %s limit exceeds its legal limit", c.Channel)
		}
	}
	in.Steps = slices.Clone(in.Steps)
	for i := range in.Steps {
		if d := in.Steps[i].AllottedDays; d > 0 {
			in.Steps[i].AllottedMinutes = d * calendar.MinutesPerWorkingDay
		} else if d < 0 {
			return problem.BadInput(fmt.Sprintf("input.steps[%d].allottedDays", i), "allotted days must not be negative")
		}
	}
	return nil
}

// MaxLimitMinutes bounds a procedure's legal limit: a year of working
// days (52 weeks of 5).
const MaxLimitMinutes = 260 * calendar.MinutesPerWorkingDay

// checkProcedureText holds a procedure's free text to its rules
// (problem.Text), and how many components and steps it lists.
func checkProcedureText(in ProcedureInput) error {
	for _, t := range []struct {
		field string
		rule  problem.Text
		s     string
	}{
		{"input.code", problem.CodeText, in.Code},
		{"input.name", problem.TitleText, in.Name},
		{"input.field", problem.NameText, in.Field},
	} {
		if _, err := t.rule.Check(t.field, t.s); err != nil {
			return err
		}
	}
	if err := problem.Count("input.components", len(in.Components), problem.MaxComponents); err != nil {
		return err
	}
	for i, c := range in.Components {
		if _, err := problem.NameText.Check(fmt.Sprintf("input.components[%d].name", i), c.Name); err != nil {
			return err
		}
	}
	if err := problem.Count("input.steps", len(in.Steps), problem.MaxSteps); err != nil {
		return err
	}
	for i, st := range in.Steps {
		if _, err := problem.TitleText.Check(fmt.Sprintf("input.steps[%d].task", i), st.Task); err != nil {
			return err
		}
	}
	return nil
}

// segments splits a sorted route into runs that take time one after the
// other: a lone step, or a parallel group.
func segments(steps []RouteStepInput) [][]RouteStepInput {
	var out [][]RouteStepInput
	for i := 0; i < len(steps); {
		j := i + 1
		if g := steps[i].ParallelGroup; g != 0 {
			for j < len(steps) && steps[j].ParallelGroup == g {
				j++
			}
		}
		out = append(out, steps[i:j])
		i = j
	}
	return out
}

// fmtMinutes renders working minutes for people: "2.5 working days (1200 min)".
func fmtMinutes(m int) string {
	days := float64(m) / calendar.MinutesPerWorkingDay
	return fmt.Sprintf("%s working days (%d min)", strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", days), "0"), "."), m)
}
