package directory

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
	"lienthong/workflow"
)

// known is what the file and the database say of the agencies, by code
// (the file's word wins for an agency in both).
type known struct {
	agencies map[string]knownAgency
}

type knownAgency struct {
	kind   string
	active bool
	inFile bool
}

// textProblem is the message of a text refused by its rule, or missing.
func textProblem(err error, missing string) string {
	if err != nil {
		return err.Error()
	}
	return missing
}

// check checks the whole file against itself and the database, and
// returns every problem found; nothing is written.
func (s *Source) check(ctx context.Context, client *ent.Client) (Problems, error) {
	f := s.File
	var ps Problems
	add := func(msg string, path ...any) { ps = append(ps, s.at(msg, path...)) }
	if f.Version != Version {
		add(fmt.Sprintf("version must be %d", Version), "version")
	}
	k := known{agencies: map[string]knownAgency{}}
	existing, err := client.Agency.Query().All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("directory: read agencies: %w", err)
	}
	for _, a := range existing {
		k.agencies[a.Code] = knownAgency{kind: a.Kind, active: a.Active}
	}
	seen := map[string]int{}
	for i, a := range f.Agencies {
		if prev, dup := seen[a.Code]; dup {
			add(fmt.Sprintf("agency %s is listed twice (also agencies[%d])", a.Code, prev), "agencies", i, "code")
		}
		seen[a.Code] = i
		k.agencies[a.Code] = knownAgency{kind: a.Kind, active: !a.Inactive, inFile: true}
	}
	for i, a := range f.Agencies {
		if !workflow.ValidAgencyCode(a.Code) {
			add(fmt.Sprintf("agency code %q must be 2–32 letters, digits, dots or dashes, e.g. 000.00.13.H15", problem.Clip(a.Code, 40)), "agencies", i, "code")
		}
		if n, err := problem.NameText.Check("name", a.Name); err != nil || n == "" {
			add(textProblem(err, "name is required"), "agencies", i, "name")
		}
		if agency.LevelValidator(agency.Level(a.Level)) != nil {
			add(fmt.Sprintf("level %q is not one of CENTRAL, PROVINCE, DEPARTMENT, DISTRICT, COMMUNE", problem.Clip(a.Level, 20)), "agencies", i, "level")
		}
		if a.Kind != "" && !workflow.ValidAgencyKind(a.Kind) {
			add(fmt.Sprintf("kind %q must be a lower-case word (letters, digits, _ or -)", problem.Clip(a.Kind, 40)), "agencies", i, "kind")
		}
		if a.Parent != "" {
			if _, ok := k.agencies[a.Parent]; !ok {
				add(fmt.Sprintf("no agency %s in the file or the database", problem.Clip(a.Parent, 40)), "agencies", i, "parent")
			}
		}
	}
	ps = append(ps, s.parentCycles(existing)...)

	procs := map[string]int{}
	for i, p := range f.Procedures {
		if prev, dup := procs[p.Code]; dup {
			add(fmt.Sprintf("procedure %s is listed twice (also procedures[%d])", p.Code, prev), "procedures", i, "code")
		}
		procs[p.Code] = i
		in, more := s.procedureInput(i, k)
		ps = append(ps, more...)
		if len(more) > 0 {
			continue
		}
		if err := workflow.ValidateProcedure(in); err != nil {
			pe, ok := problem.As(err)
			if !ok {
				return nil, err
			}
			add(pe.Message, procedurePath(i, pe.Field)...)
		}
	}

	officers := map[string]int{}
	for i, o := range f.Officers {
		if prev, dup := officers[o.Subject]; dup {
			add(fmt.Sprintf("officer %s is listed twice (also officers[%d])", o.Subject, prev), "officers", i, "subject")
		}
		officers[o.Subject] = i
		if strings.TrimSpace(o.Subject) == "" || len(o.Subject) > 255 {
			add("subject is required: the subject of the officer's token", "officers", i, "subject")
		}
		if n, err := problem.NameText.Check("name", o.Name); err != nil || n == "" {
			add(textProblem(err, "name is required"), "officers", i, "name")
		}
		if _, ok := k.agencies[o.Agency]; !ok {
			add(fmt.Sprintf("no agency %s in the file or the database", problem.Clip(o.Agency, 40)), "officers", i, "agency")
		}
		if len(o.Roles) == 0 {
			add("at least one role is required", "officers", i, "roles")
		}
		for j, r := range o.Roles {
			if _, err := auth.ParseRole(r); err != nil {
				add(fmt.Sprintf("unknown role %q: one of %v", problem.Clip(r, 32), auth.AllRoles), "officers", i, "roles", j)
			}
		}
	}
	return ps, nil
}

// parentCycles reports agencies that are, through their parents, their
// own ancestor.
func (s *Source) parentCycles(existing []*ent.Agency) Problems {
	parent := map[string]string{}
	byID := map[int]string{}
	for _, a := range existing {
		byID[a.ID] = a.Code
	}
	for _, a := range existing {
		if a.ParentID != nil {
			parent[a.Code] = byID[*a.ParentID]
		}
	}
	for _, a := range s.File.Agencies {
		parent[a.Code] = a.Parent
	}
	var ps Problems
	for i, a := range s.File.Agencies {
		seen := map[string]bool{a.Code: true}
		for p := parent[a.Code]; p != ""; p = parent[p] {
			if seen[p] {
				ps = append(ps, s.at(fmt.Sprintf("agency %s is its own ancestor (parent cycle through %s)", a.Code, p), "agencies", i, "parent"))
				break
			}
			seen[p] = true
		}
	}
	return ps
}

// procedurePath maps a field of workflow's ProcedureInput (input.steps[2].
// allottedMinutes) to the file's (procedures[i].route[2].days).
func procedurePath(i int, field string) []any {
	path := []any{"procedures", i}
	field = strings.TrimPrefix(field, "input.")
	names := map[string]string{
		"limitMinutes": "limit", "legalLimitMinutes": "limit", "limitUnit": "limit",
		"steps": "route", "allottedMinutes": "days", "parallelGroup": "parallel",
		"supplementPolicy": "supplement", "agencyID": "agency",
	}
	for _, part := range strings.Split(field, ".") {
		if part == "" {
			continue
		}
		name, idx, hasIdx := strings.Cut(part, "[")
		if n, ok := names[name]; ok {
			name = n
		}
		path = append(path, name)
		if hasIdx {
			var j int
			if _, err := fmt.Sscanf(idx, "%d]", &j); err == nil {
				path = append(path, j)
			}
		}
	}
	return path
}

// minutes converts an amount of a working-time unit to working minutes (a
// working day is 480 working minutes).
func minutes(v float64, unit procedure.LimitUnit) int {
	if unit == procedure.LimitUnitHours {
		return int(math.Round(v * 60))
	}
	return int(math.Round(v * calendar.MinutesPerWorkingDay))
}

// procedureInput turns procedures[i] into the engine's input, steps not yet
// bound to agency ids; problems are those only the file can have.
func (s *Source) procedureInput(i int, k known) (workflow.ProcedureInput, Problems) {
	p := s.File.Procedures[i]
	var ps Problems
	add := func(msg string, path ...any) { ps = append(ps, s.at(msg, append([]any{"procedures", i}, path...)...)) }
	unit := procedure.LimitUnitWorkingDays
	if p.Limit.Unit != "" {
		unit = procedure.LimitUnit(p.Limit.Unit)
		if procedure.LimitUnitValidator(unit) != nil {
			add(fmt.Sprintf("unit %q is not one of WORKING_DAYS, DAYS, HOURS", problem.Clip(p.Limit.Unit, 20)), "limit", "unit")
		}
	}
	if p.Limit.Province > p.Limit.Legal {
		add(fmt.Sprintf("the province's limit %v is above the legal limit %v", p.Limit.Province, p.Limit.Legal), "limit", "province")
	}
	policy := procedure.SupplementPolicyPause
	if p.Supplement != "" {
		policy = procedure.SupplementPolicy(p.Supplement)
		if procedure.SupplementPolicyValidator(policy) != nil {
			add(fmt.Sprintf("supplement %q is not PAUSE or RESTART", problem.Clip(p.Supplement, 20)), "supplement")
		}
	}
	in := workflow.ProcedureInput{
		Code: strings.TrimSpace(p.Code), Name: p.Name, Field: p.Field,
		LegalLimitMinutes: minutes(p.Limit.Legal, unit), LimitMinutes: minutes(p.Limit.Province, unit), LimitUnit: unit,
		OnlineLevel: p.OnlineLevel, Fee: p.Fee, SupplementPolicy: policy, Submission: p.Submission,
	}
	if unit == procedure.LimitUnitDays {
		if p.Limit.Legal != math.Trunc(p.Limit.Legal) || p.Limit.Province != math.Trunc(p.Limit.Province) {
			add("a limit in DAYS is a whole number of days", "limit")
		}
		in.LegalLimitDays, in.LimitDays = int(p.Limit.Legal), int(p.Limit.Province)
	}
	if p.Cutoff != "" {
		c := p.Cutoff
		in.Cutoff = &c
	}
	for j, c := range p.Channels {
		ch := schematype.Channel(c)
		if !slices.Contains(schematype.Channel("").Values(), c) {
			add(fmt.Sprintf("channel %q is not one of DIRECT, ONLINE, POSTAL", problem.Clip(c, 20)), "channels", j)
		}
		in.Channels = append(in.Channels, ch)
	}
	for _, c := range p.Components {
		in.Components = append(in.Components, schematype.Component{Name: strings.TrimSpace(c.Name), Mandatory: !c.Optional})
	}
	for j, st := range p.Route {
		step := workflow.RouteStepInput{Position: j + 1, Role: routestep.Role(st.Role), ParallelGroup: st.Parallel, Task: strings.TrimSpace(st.Task)}
		if routestep.RoleValidator(step.Role) != nil {
			add(fmt.Sprintf("role %q is not LEAD or COORDINATE", problem.Clip(st.Role, 20)), "route", j, "role")
		}
		switch given := b2i(st.Days != 0) + b2i(st.Hours != 0) + b2i(st.Minutes != 0) + b2i(st.CalendarDays != 0); {
		case given != 1:
			add("give the step's time in one of days, hours, minutes or calendarDays", "route", j)
		case st.CalendarDays != 0:
			step.AllottedDays = st.CalendarDays
			step.AllottedMinutes = st.CalendarDays * calendar.MinutesPerWorkingDay
		case st.Days != 0:
			step.AllottedMinutes = minutes(st.Days, procedure.LimitUnitWorkingDays)
		case st.Hours != 0:
			step.AllottedMinutes = minutes(st.Hours, procedure.LimitUnitHours)
		default:
			step.AllottedMinutes = st.Minutes
		}
		switch {
		case st.Agency != "" && st.Kind != "":
			add("name the step's agency by code or by kind, not both", "route", j)
		case st.Agency != "":
			if a, ok := k.agencies[st.Agency]; !ok {
				add(fmt.Sprintf("no agency %s in the file or the database", problem.Clip(st.Agency, 40)), "route", j, "agency")
			} else if !a.active {
				add(fmt.Sprintf("agency %s is inactive", st.Agency), "route", j, "agency")
			}
		case st.Kind != "":
			if _, err := k.ofKind(st.Kind); err != nil {
				add(err.Error(), "route", j, "kind")
			}
		}
		in.Steps = append(in.Steps, step)
	}
	return in, ps
}

// ofKind is the code of the one active agency of kind.
func (k known) ofKind(kind string) (string, error) {
	var codes []string
	for code, a := range k.agencies {
		if a.kind == kind && a.active {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	switch len(codes) {
	case 0:
		return "", fmt.Errorf("the province has no active agency of kind %q", kind)
	case 1:
		return codes[0], nil
	}
	return "", fmt.Errorf("kind %q names %d agencies (%s): name the agency by its code", kind, len(codes), strings.Join(codes, ", "))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
