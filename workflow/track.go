package workflow

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	st "lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// Tracking is what an applicant sees of their dossier with its code and
// their ID number, without signing in: where it is and whether each
// agency kept its time, and no personal data.
type Tracking struct {
	Code            string
	Procedure       string // the procedure's name
	State           st.DossierState
	PortalStatus    int
	ReceivedAt      *time.Time
	AppointmentAt   *time.Time
	FinishedAt      *time.Time
	CurrentAgencies []string // names of the agencies holding it now
	Legs            []TrackedLeg
}

// TrackedLeg is one agency's turn, as the applicant sees it.
type TrackedLeg struct {
	Agency     string // the agency's name
	Role       leg.Role
	StartedAt  time.Time
	DueAt      time.Time
	FinishedAt *time.Time
	Judgement  leg.Judgement
}

// Track looks a dossier up by its code and the applicant's ID number. A
// wrong ID number answers exactly as an unknown code does (nil, after the
// same work), and each client address gets a few lookups a minute.
func (e *Engine) Track(ctx context.Context, code, idNumber string) (*Tracking, error) {
	if !e.trackLimit.Allow(auth.ClientAddr(ctx)) {
		return nil, &problem.Error{Code: problem.CodeRateLimited, Message: "too many lookups from this address: wait a minute"}
	}
	code, idNumber = strings.TrimSpace(code), strings.TrimSpace(idNumber)
	if _, err := ParseCode(code); err != nil {
		return nil, err // says nothing of any dossier
	}
	// Per code too: guessing one dossier's ID number from many addresses
	// runs into this, whoever asks.
	if !e.trackCodes.Allow("code " + code) {
		return nil, &problem.Error{Code: problem.CodeRateLimited, Message: "too many lookups of this code: wait a while"}
	}
	if len(idNumber) > 32 {
		return nil, nil
	}
	sys := auth.SystemContext(ctx)
	// Only the number to compare is read: an existing code with a wrong
	// number costs what an unknown code does, near enough.
	d, err := e.client.Dossier.Query().Where(dossier.Code(code)).Select(dossier.FieldID, dossier.FieldApplicantIDNumber).Only(sys)
	stored := "\x00no dossier" // compared all the same, so both answers take as long
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("workflow: track: %w", err)
	default:
		stored = d.ApplicantIDNumber
	}
	a, b := sha256.Sum256([]byte(stored)), sha256.Sum256([]byte(idNumber))
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 || d == nil {
		return nil, nil
	}
	if d, err = e.client.Dossier.Get(sys, d.ID); err != nil {
		return nil, fmt.Errorf("workflow: track: %w", err)
	}
	proc, err := e.procedure(ctx, d.ProcedureID)
	if err != nil {
		return nil, err
	}
	legs, err := d.QueryLegs().WithAgency().Order(ent.Asc(leg.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("workflow: track: %w", err)
	}
	t := &Tracking{
		Code: d.Code, Procedure: proc.Name, State: d.State, PortalStatus: PortalStatus(d.State),
		ReceivedAt: d.ReceivedAt, AppointmentAt: d.AppointmentAt, FinishedAt: d.FinishedAt,
		CurrentAgencies: []string{}, Legs: make([]TrackedLeg, len(legs)),
	}
	for i, l := range legs {
		t.Legs[i] = TrackedLeg{Agency: l.Edges.Agency.Name, Role: l.Role, StartedAt: l.StartedAt, DueAt: l.DueAt, FinishedAt: l.FinishedAt, Judgement: l.Judgement}
		if l.FinishedAt == nil {
			t.CurrentAgencies = append(t.CurrentAgencies, l.Edges.Agency.Name)
		}
	}
	return t, nil
}
