package workflow

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/problem"
)

var agencyCodeRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-]{1,31}$`)

// ValidAgencyCode reports whether code can be an agency's code: 2–32
// letters, digits, dots or dashes (the national list's codes, e.g.
// 000.00.13.H15, are).
func ValidAgencyCode(code string) bool { return agencyCodeRE.MatchString(code) }

// CreateAgency adds an agency (ADMIN).
func (e *Engine) CreateAgency(ctx context.Context, in ent.CreateAgencyInput) (*ent.Agency, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	in.Code = strings.TrimSpace(in.Code)
	if !agencyCodeRE.MatchString(in.Code) {
		return nil, problem.BadInput("input.code", "agency code must be 2–32 letters, digits, dots or dashes, e.g. 000.00.13.H15")
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, problem.BadInput("input.name", "name is required")
	}
	a, err := e.client.Agency.Create().SetInput(in).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, problem.Conflict("", "an agency with code %s exists already", in.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: create agency: %w", err)
	}
	return a, nil
}

// UpdateAgency changes an agency (ADMIN). Its code never changes: dossier
// codes embed it.
func (e *Engine) UpdateAgency(ctx context.Context, id int, in ent.UpdateAgencyInput) (*ent.Agency, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if in.ParentID != nil && *in.ParentID == id {
		return nil, problem.BadInput("input.parentID", "an agency cannot be its own parent")
	}
	a, err := e.client.Agency.UpdateOneID(id).SetInput(in).Save(ctx)
	e.desks.Forget()
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no agency with id %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: update agency: %w", err)
	}
	return a, nil
}

// activeAgencies tells which of ids are active agencies, in one query.
func activeAgencies(ctx context.Context, agencies *ent.AgencyClient, ids []int) (map[int]bool, error) {
	found, err := agencies.Query().Where(agency.IDIn(ids...), agency.Active(true)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: check agencies: %w", err)
	}
	active := make(map[int]bool, len(found))
	for _, id := range found {
		active[id] = true
	}
	return active, nil
}
