package workflow

import (
	"context"

	"lienthong/auth"
	"lienthong/ent"
	st "lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// RecordComplaint records that the applicant complained about the handling
// of a dossier (it lowers the Decision 766 satisfaction figure): the desk
// that received it, or the one-stop system or portal that collected it.
// Each complaint is an event; the dossier counts once.
func (e *Engine) RecordComplaint(ctx context.Context, id int, note string) (*ent.Dossier, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	if note, err = problem.NoteText.Check("note", note); err != nil {
		return nil, err
	}
	if note == "" {
		return nil, problem.BadInput("note", "write down what the applicant complained about")
	}
	_, err = e.systemEvent(ctx, id, func(_ *ent.Tx, d *ent.Dossier) (*systemEvent, error) {
		if !v.HasRole(auth.RoleIntegration) && (!v.HasRole(auth.RoleDeskOfficer, auth.RoleAgencyHead) || v.AgencyID != d.DeskAgencyID) {
			return nil, problem.Forbidden("complaints are recorded by the desk that received the dossier or by the one-stop system")
		}
		if d.State == st.StateSubmitted {
			return nil, problem.BadInput("id", "dossier %s has not been received yet", d.Code)
		}
		return &systemEvent{
			typ:      st.EventComplaint,
			actorID:  &v.OfficerID,
			agencyID: &v.AgencyID,
			note:     note,
			apply:    func(u *ent.DossierUpdate) { u.SetComplained(true) },
			at:       e.stamp(),
		}, nil
	})
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, problem.NotFound("no dossier with id %d", id)
		}
		return nil, err
	}
	return e.client.Dossier.Get(ctx, id)
}
