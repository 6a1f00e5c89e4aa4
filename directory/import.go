package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/officer"
	"lienthong/ent/procedure"
	"lienthong/workflow"
)

// Report says what an import changed (or, dry, would change).
type Report struct {
	AgenciesCreated, AgenciesUpdated     int
	ProceduresCreated, ProceduresRevised int
	OfficersCreated, OfficersUpdated     int
	Unchanged                            int
	// Changes names each change, e.g. "procedure 1.013978: version 2".
	Changes []string
}

// Changed reports whether anything changed.
func (r *Report) Changed() bool { return len(r.Changes) > 0 }

// Import checks src whole, then applies it to the database in one
// transaction: agencies created or updated (codes never change), each
// procedure created or, when it differs from its current version, revised
// (open dossiers keep the version they were received under), officers
// created or updated. Nothing listed elsewhere is deleted. With problems
// it changes nothing and returns them (Problems). A dry run does
// everything but commit.
func Import(ctx context.Context, client *ent.Client, src *Source, dry bool) (*Report, error) {
	ctx = auth.SystemContext(ctx)
	ps, err := src.check(ctx, client)
	if err != nil {
		return nil, err
	}
	if len(ps) > 0 {
		return nil, ps
	}
	rep := &Report{}
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: begin: %w", err)
	}
	if err := src.apply(ctx, tx, rep); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if dry {
		_ = tx.Rollback()
		return rep, nil
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("directory: commit: %w", err)
	}
	return rep, nil
}

func (s *Source) apply(ctx context.Context, tx *ent.Tx, rep *Report) error {
	ids, err := s.applyAgencies(ctx, tx, rep)
	if err != nil {
		return err
	}
	if err := s.applyProcedures(ctx, tx, ids, rep); err != nil {
		return err
	}
	return s.applyOfficers(ctx, tx, ids, rep)
}

// applyAgencies writes the agencies, parents first, and returns every
// agency's id by code.
func (s *Source) applyAgencies(ctx context.Context, tx *ent.Tx, rep *Report) (map[string]*ent.Agency, error) {
	all, err := tx.Agency.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: read agencies: %w", err)
	}
	byCode := map[string]*ent.Agency{}
	for _, a := range all {
		byCode[a.Code] = a
	}
	pending := slices.Clone(s.File.Agencies)
	for len(pending) > 0 {
		var later []Agency
		for _, a := range pending {
			var parentID *int
			if a.Parent != "" {
				p, ok := byCode[a.Parent]
				if !ok { // its parent comes later in the file
					later = append(later, a)
					continue
				}
				parentID = &p.ID
			}
			level := agency.Level(a.Level)
			have, ok := byCode[a.Code]
			switch {
			case !ok:
				created, err := tx.Agency.Create().SetCode(a.Code).SetName(strings.TrimSpace(a.Name)).SetLevel(level).
					SetKind(a.Kind).SetNillableParentID(parentID).SetHasDesk(a.Desk).SetActive(!a.Inactive).Save(ctx)
				if err != nil {
					return nil, fmt.Errorf("directory: agency %s: %w", a.Code, err)
				}
				byCode[a.Code] = created
				rep.AgenciesCreated++
				rep.Changes = append(rep.Changes, "agency "+a.Code+": created")
			case have.Name != strings.TrimSpace(a.Name) || have.Level != level || have.Kind != a.Kind || !sameID(have.ParentID, parentID) ||
				have.HasDesk != a.Desk || have.Active == a.Inactive:
				u := tx.Agency.UpdateOneID(have.ID).SetName(strings.TrimSpace(a.Name)).SetLevel(level).SetKind(a.Kind).
					SetHasDesk(a.Desk).SetActive(!a.Inactive)
				if parentID != nil {
					u.SetParentID(*parentID)
				} else {
					u.ClearParentID()
				}
				updated, err := u.Save(ctx)
				if err != nil {
					return nil, fmt.Errorf("directory: agency %s: %w", a.Code, err)
				}
				byCode[a.Code] = updated
				rep.AgenciesUpdated++
				rep.Changes = append(rep.Changes, "agency "+a.Code+": updated")
			default:
				rep.Unchanged++
			}
		}
		if len(later) == len(pending) { // not reached: check refuses cycles and unknown parents
			return nil, fmt.Errorf("directory: agencies %s wait for each other", later[0].Code)
		}
		pending = later
	}
	return byCode, nil
}

func sameID(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// applyProcedures creates each new procedure and revises each one that
// differs from its current version.
func (s *Source) applyProcedures(ctx context.Context, tx *ent.Tx, agencies map[string]*ent.Agency, rep *Report) error {
	k := known{agencies: map[string]knownAgency{}}
	for code, a := range agencies {
		k.agencies[code] = knownAgency{kind: a.Kind, active: a.Active}
	}
	for i, p := range s.File.Procedures {
		in, _ := s.procedureInput(i, k) // checked already
		for j, st := range p.Route {
			code := st.Agency
			if st.Kind != "" {
				code, _ = k.ofKind(st.Kind)
			}
			if code != "" {
				id := agencies[code].ID
				in.Steps[j].AgencyID = &id
			}
		}
		current, err := tx.Procedure.Query().Where(procedure.Code(in.Code), procedure.Current(true)).WithSteps().Only(ctx)
		switch {
		case ent.IsNotFound(err):
			if _, err := workflow.WriteProcedure(ctx, tx, in, false); err != nil {
				return fmt.Errorf("directory: procedure %s: %w", in.Code, err)
			}
			rep.ProceduresCreated++
			rep.Changes = append(rep.Changes, "procedure "+in.Code+": created")
		case err != nil:
			return fmt.Errorf("directory: procedure %s: %w", in.Code, err)
		case sameProcedure(current, in):
			rep.Unchanged++
		default:
			created, err := workflow.WriteProcedure(ctx, tx, in, true)
			if err != nil {
				return fmt.Errorf("directory: procedure %s: %w", in.Code, err)
			}
			rep.ProceduresRevised++
			rep.Changes = append(rep.Changes, fmt.Sprintf("procedure %s: version %d", in.Code, created.Version))
		}
	}
	return nil
}

// sameProcedure reports whether the current version p says what in says.
func sameProcedure(p *ent.Procedure, in workflow.ProcedureInput) bool {
	if p.Name != strings.TrimSpace(in.Name) || p.Field != strings.TrimSpace(in.Field) ||
		p.LegalLimitMinutes != in.LegalLimitMinutes || p.LimitMinutes != in.LimitMinutes || p.LimitUnit != in.LimitUnit ||
		p.LegalLimitDays != in.LegalLimitDays || p.LimitDays != in.LimitDays ||
		!slices.Equal(p.Channels, in.Channels) || p.OnlineLevel != in.OnlineLevel || p.Fee != in.Fee ||
		!slices.Equal(p.Components, in.Components) || p.SupplementPolicy != in.SupplementPolicy ||
		(p.Cutoff == nil) != (in.Cutoff == nil) || p.Cutoff != nil && *p.Cutoff != *in.Cutoff ||
		p.Submission != in.Submission || len(p.Edges.Steps) != len(in.Steps) {
		return false
	}
	steps := slices.Clone(p.Edges.Steps)
	slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
	for i, s := range steps {
		w := in.Steps[i]
		if s.Position != w.Position || s.Role != w.Role || !sameID(s.AgencyID, w.AgencyID) ||
			s.AllottedMinutes != w.AllottedMinutes || s.AllottedDays != w.AllottedDays || s.ParallelGroup != w.ParallelGroup || s.Task != w.Task {
			return false
		}
	}
	return true
}

// applyOfficers registers each officer, or brings their record in line.
func (s *Source) applyOfficers(ctx context.Context, tx *ent.Tx, agencies map[string]*ent.Agency, rep *Report) error {
	for _, o := range s.File.Officers {
		ag := agencies[o.Agency]
		have, err := tx.Officer.Query().Where(officer.Subject(o.Subject)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			if err := tx.Officer.Create().SetSubject(o.Subject).SetName(strings.TrimSpace(o.Name)).SetAgencyID(ag.ID).SetRoles(o.Roles).Exec(ctx); err != nil {
				return fmt.Errorf("directory: officer %s: %w", o.Subject, err)
			}
			rep.OfficersCreated++
			rep.Changes = append(rep.Changes, "officer "+o.Subject+": registered")
		case err != nil:
			return fmt.Errorf("directory: officer %s: %w", o.Subject, err)
		case have.Name != strings.TrimSpace(o.Name) || have.AgencyID != ag.ID || !slices.Equal(have.Roles, o.Roles):
			if err := tx.Officer.UpdateOneID(have.ID).SetName(strings.TrimSpace(o.Name)).SetAgencyID(ag.ID).SetRoles(o.Roles).Exec(ctx); err != nil {
				return fmt.Errorf("directory: officer %s: %w", o.Subject, err)
			}
			rep.OfficersUpdated++
			rep.Changes = append(rep.Changes, "officer "+o.Subject+": updated")
		default:
			rep.Unchanged++
		}
	}
	return nil
}
