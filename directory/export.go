package directory

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/officer"
	"lienthong/ent/procedure"
)

// Export reads the directory of a database: every agency (parents first),
// the current version of every procedure, every officer.
func Export(ctx context.Context, client *ent.Client) (*File, error) {
	ctx = auth.SystemContext(ctx)
	ags, err := client.Agency.Query().Order(ent.Asc(agency.FieldCode)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: read agencies: %w", err)
	}
	code := map[int]string{}
	for _, a := range ags {
		code[a.ID] = a.Code
	}
	f := &File{Version: Version}
	// Parents before children, each level in code order.
	done := map[int]bool{}
	for len(done) < len(ags) {
		progress := false
		for _, a := range ags {
			if done[a.ID] || a.ParentID != nil && !done[*a.ParentID] && code[*a.ParentID] != "" {
				continue
			}
			done[a.ID], progress = true, true
			out := Agency{Code: a.Code, Name: a.Name, Level: string(a.Level), Kind: a.Kind, Desk: a.HasDesk, Inactive: !a.Active}
			if a.ParentID != nil {
				out.Parent = code[*a.ParentID]
			}
			f.Agencies = append(f.Agencies, out)
		}
		if !progress { // a parent cycle written outside the directory
			return nil, fmt.Errorf("directory: the agencies' parents form a cycle")
		}
	}
	procs, err := client.Procedure.Query().Where(procedure.Current(true)).WithSteps().Order(ent.Asc(procedure.FieldCode)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: read procedures: %w", err)
	}
	for _, p := range procs {
		f.Procedures = append(f.Procedures, exportProcedure(p, code))
	}
	officers, err := client.Officer.Query().Order(ent.Asc(officer.FieldSubject)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: read officers: %w", err)
	}
	for _, o := range officers {
		f.Officers = append(f.Officers, Officer{Subject: o.Subject, Name: o.Name, Agency: code[o.AgencyID], Roles: slices.Clone(o.Roles)})
	}
	return f, nil
}

func exportProcedure(p *ent.Procedure, code map[int]string) Procedure {
	per := float64(calendar.MinutesPerWorkingDay)
	if p.LimitUnit == procedure.LimitUnitHours {
		per = 60
	}
	out := Procedure{
		Code: p.Code, Name: p.Name, Field: p.Field,
		Limit:       Limit{Legal: float64(p.LegalLimitMinutes) / per, Province: float64(p.LimitMinutes) / per},
		OnlineLevel: p.OnlineLevel, Fee: p.Fee, Submission: p.Submission,
	}
	switch {
	case p.LimitUnit == procedure.LimitUnitDays && p.LimitDays > 0:
		out.Limit = Limit{Legal: float64(p.LegalLimitDays), Province: float64(p.LimitDays), Unit: string(p.LimitUnit)}
	case p.LimitUnit == procedure.LimitUnitHours:
		out.Limit.Unit = string(p.LimitUnit)
		// A version entered as DAYS before days were counted as days
		// counts working days: it exports as what it counts.
	}
	if p.SupplementPolicy != procedure.SupplementPolicyPause {
		out.Supplement = string(p.SupplementPolicy)
	}
	if p.Cutoff != nil {
		out.Cutoff = *p.Cutoff
	}
	for _, c := range p.Channels {
		out.Channels = append(out.Channels, string(c))
	}
	for _, c := range p.Components {
		out.Components = append(out.Components, Component{Name: c.Name, Optional: !c.Mandatory})
	}
	steps := slices.Clone(p.Edges.Steps)
	slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
	for _, s := range steps {
		st := Step{Role: string(s.Role), Parallel: s.ParallelGroup, Task: s.Task}
		if s.AgencyID != nil {
			st.Agency = code[*s.AgencyID]
		}
		// Days when they say it exactly to a tenth, else hours, else minutes.
		switch m := s.AllottedMinutes; {
		case s.AllottedDays > 0:
			st.CalendarDays = s.AllottedDays
		case m%48 == 0:
			st.Days = float64(m) / calendar.MinutesPerWorkingDay
		case m%6 == 0:
			st.Hours = float64(m) / 60
		default:
			st.Minutes = m
		}
		out.Route = append(out.Route, st)
	}
	return out
}

// header opens every exported file.
const header = `# A province's directory for lienthong: its agencies, procedures and the
# officers registered ahead of their first sign-in. Import it with
#   lienthong directory import FILE [--dry-run]
# Check it in an editor with directory.schema.json (lienthong directory schema).
`

// Encode writes f as YAML.
func Encode(f *File) ([]byte, error) {
	body, err := yaml.MarshalWithOptions(f, yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("directory: encode: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(header)
	if f.Province != "" {
		b.WriteString("# " + strings.TrimSpace(f.Province) + "\n")
	}
	b.Write(body)
	return b.Bytes(), nil
}
