package workflow

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"entgo.io/ent/dialect"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/problem"
)

var (
	agencyCodeRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-]{1,31}$`)
	agencyKindRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)
)

// ValidAgencyCode reports whether code can be an agency's code: 2–32
// letters, digits, dots or dashes (the national list's codes, e.g.
// 000.00.13.H15, are).
func ValidAgencyCode(code string) bool { return agencyCodeRE.MatchString(code) }

// ValidAgencyKind reports whether kind can be an agency's kind: a
// lower-case word of letters, digits, _ or -, at most 32 long.
func ValidAgencyKind(kind string) bool { return agencyKindRE.MatchString(kind) }

// checkAgencyText holds an agency's name and kind to their rules; nil
// ones are not being set.
func checkAgencyText(name, kind *string) error {
	if name != nil {
		n, err := problem.NameText.Check("input.name", *name)
		if err != nil {
			return err
		}
		if n == "" {
			return problem.BadInput("input.name", "name is required")
		}
		*name = n
	}
	if kind != nil && *kind != "" && !ValidAgencyKind(*kind) {
		return problem.BadInput("input.kind", "kind %q must be a lower-case word of letters, digits, _ or -, at most 32 long (tax, police, commune …)", problem.Clip(*kind, 40))
	}
	return nil
}

// CreateAgency adds an agency (ADMIN).
func (e *Engine) CreateAgency(ctx context.Context, in ent.CreateAgencyInput) (*ent.Agency, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	in.Code = strings.TrimSpace(in.Code)
	if !agencyCodeRE.MatchString(in.Code) {
		return nil, problem.BadInput("input.code", "agency code must be 2–32 letters, digits, dots or dashes, e.g. 000.00.13.H15")
	}
	if err := checkAgencyText(&in.Name, in.Kind); err != nil {
		return nil, err
	}
	var a *ent.Agency
	err := e.inTx(ctx, func(tx *ent.Tx) error {
		if err := e.checkAgencyTree(ctx, tx, treeChange{id: newAgency, parent: in.ParentID, add: in.ChildIDs, addField: "input.childIDs"}); err != nil {
			return err
		}
		var err error
		a, err = tx.Agency.Create().SetInput(in).Save(ctx)
		return err
	})
	if ent.IsConstraintError(err) {
		return nil, problem.Conflict("", "an agency with code %s exists already", in.Code)
	}
	if _, ok := problem.As(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: create agency: %w", err)
	}
	return a.Unwrap(), nil
}

// UpdateAgency changes an agency (ADMIN). Its code never changes: dossier
// codes embed it.
func (e *Engine) UpdateAgency(ctx context.Context, id int, in ent.UpdateAgencyInput) (*ent.Agency, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if err := checkAgencyText(in.Name, in.Kind); err != nil {
		return nil, err
	}
	if in.ParentID != nil && *in.ParentID == id {
		return nil, problem.BadInput("input.parentID", "an agency cannot be its own parent")
	}
	var a *ent.Agency
	err := e.inTx(ctx, func(tx *ent.Tx) error {
		change := treeChange{id: id, parent: in.ParentID, clearParent: in.ClearParent,
			add: in.AddChildIDs, addField: "input.addChildIDs", remove: in.RemoveChildIDs, clearChildren: in.ClearChildren}
		if err := e.checkAgencyTree(ctx, tx, change); err != nil {
			return err
		}
		var err error
		a, err = tx.Agency.UpdateOneID(id).SetInput(in).Save(ctx)
		return err
	})
	e.desks.Forget()
	e.agencyByID.Forget()
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no agency with id %d", id)
	}
	if _, ok := problem.As(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: update agency: %w", err)
	}
	return a.Unwrap(), nil
}

// newAgency stands for the agency being created in a treeChange.
const newAgency = -1

// treeChange is what an agency's creation or update does to the tree of
// parents: its own parent, and the children it adopts or lets go.
type treeChange struct {
	id            int // newAgency for one being created
	parent        *int
	clearParent   bool
	add, remove   []int
	addField      string
	clearChildren bool
}

// agencyTreeLock is the PostgreSQL advisory lock that orders changes of
// parents, so that two changes each fine alone cannot make a cycle
// together (SQLite has one writer at a time).
const agencyTreeLock = 0x6c74_7472 // "lttr"

// checkAgencyTree refuses a change that would make an agency its own
// ancestor, or name an agency that does not exist, checked in tx against
// the agencies as they are.
func (e *Engine) checkAgencyTree(ctx context.Context, tx *ent.Tx, c treeChange) error {
	if c.parent == nil && len(c.add) == 0 {
		return nil // letting go of parents or children makes no cycle
	}
	if e.dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", agencyTreeLock); err != nil {
			return fmt.Errorf("workflow: lock the agencies' tree: %w", err)
		}
	}
	all, err := tx.Agency.Query().Select(agency.FieldID, agency.FieldParentID).All(ctx)
	if err != nil {
		return fmt.Errorf("workflow: read agencies: %w", err)
	}
	parent, exists := map[int]int{}, map[int]bool{}
	for _, a := range all {
		exists[a.ID] = true
		if a.ParentID != nil {
			parent[a.ID] = *a.ParentID
		}
	}
	if c.id != newAgency && !exists[c.id] {
		return problem.NotFound("no agency with id %d", c.id)
	}
	if c.clearChildren {
		for child, p := range parent {
			if p == c.id {
				delete(parent, child)
			}
		}
	}
	for _, child := range c.remove {
		if parent[child] == c.id {
			delete(parent, child)
		}
	}
	if c.clearParent {
		delete(parent, c.id)
	}
	if c.parent != nil {
		if !exists[*c.parent] {
			return problem.BadInput("input.parentID", "no agency with id %d", *c.parent)
		}
		parent[c.id] = *c.parent
		if ancestorOf(parent, c.id) {
			return problem.BadInput("input.parentID", "agency %d is below this agency: as its parent it would make the agency its own ancestor", *c.parent)
		}
	}
	for _, child := range c.add {
		if !exists[child] {
			return problem.BadInput(c.addField, "no agency with id %d", child)
		}
		parent[child] = c.id
		if ancestorOf(parent, child) {
			return problem.BadInput(c.addField, "agency %d is above this agency: as its child it would make the agency its own ancestor", child)
		}
	}
	return nil
}

// ancestorOf reports whether agency a is, through parent, its own ancestor.
func ancestorOf(parent map[int]int, a int) bool {
	seen := map[int]bool{}
	for p, ok := parent[a]; ok; p, ok = parent[p] {
		if p == a {
			return true
		}
		if seen[p] { // a cycle above a, not through it
			return false
		}
		seen[p] = true
	}
	return false
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
