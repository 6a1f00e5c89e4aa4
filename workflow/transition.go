package workflow

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/looplab/fsm"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/delegation"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	st "lienthong/ent/schema/schematype"
	"lienthong/problem"
	"lienthong/rollup"
)

// CoordinationInput names an agency to consult and its allotted working time.
type CoordinationInput struct {
	AgencyID        int
	AllottedMinutes int
}

// Input carries what a transition needs besides the event.
type Input struct {
	Reason         string
	Note           string
	Items          []string             // requested supplements
	Agencies       []*CoordinationInput // ad-hoc coordination instead of the route's next group
	Agree          *bool                // coordination reply
	NewAppointment *time.Time           // apology
	OfficerID      int                  // reassignment
}

// transition is one event being fired on one dossier inside a transaction.
type transition struct {
	ctx  context.Context
	db   *ent.Client // reads, outside any transaction
	v    *auth.Viewer
	d    *ent.Dossier
	open []*ent.Leg
	cal  *calendar.Calendar
	now  time.Time
	in   Input
	data map[string]any

	actingFor  *int                  // officer the viewer acts for, by delegation or assignment
	legID      *int                  // leg the event concerns (reassignment)
	principals []*ent.Officer        // officers who delegated to the viewer now; nil until loaded
	event      *ent.DossierEvent     // the event recorded
	writes     []func(*ent.Tx) error // leg writes, run once the dossier's update has won (see queue)
	legs       []*ent.Leg            // every leg, as read
	after      []*ent.Leg            // every leg as the writes leave it, by id
	ev         Event                 // the event, as variant picked it
	to         st.DossierState       // the state the event leads to
	verify     bool                  // compare the dossier computed with the row written (Config.CheckWrites)
}

// Fire applies event to a dossier. It reads the dossier and its legs,
// checks the state machine, role, agency and input and computes the
// clocks outside any transaction; then, in one transaction, it writes the
// dossier only if its version is still the one read (every change to a
// dossier or its legs moves its version), closes and opens legs, appends
// the event, the roll-ups and the outbound message. The write transaction
// holds no read of the plan: on SQLite, where writers take turns, a turn
// is only the writes. A dossier changed in between is read again and the
// event checked anew (a few times, then CONFLICT); nothing of a lost
// attempt is written.
func (e *Engine) Fire(ctx context.Context, id int, ev Event, in Input) (*ent.Dossier, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	in.Reason, in.Note = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Note)
	cal, err := e.calendars.Get(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		out, err := e.fireOnce(ctx, v, cal, id, ev, in)
		var de *problem.Error
		if attempt < maxStaleAttempts && errors.As(err, &de) && de.Detail == problem.DetailStaleVersion {
			continue
		}
		if err != nil {
			return nil, err
		}
		e.log.InfoContext(ctx, "transition", "code", out.Code, "event", string(ev), "state", out.State, "actor", v.Subject)
		return out, nil
	}
}

// maxStaleAttempts bounds how often Fire reads a dossier again that
// changed while it was planning.
const maxStaleAttempts = 4

// fireOnce fires ev on the dossier as this process last wrote it, when it
// holds it (see dossierCache), else as read. The versioned update proves
// a held dossier current; one that is not answers nothing: the event is
// planned again on the dossier read.
func (e *Engine) fireOnce(ctx context.Context, v *auth.Viewer, cal *calendar.Calendar, id int, ev Event, in Input) (*ent.Dossier, error) {
	if d, ok := e.dossiers.get(id); ok {
		out, err := e.fireOn(ctx, v, cal, d, ev, in)
		var de *problem.Error
		if !errors.As(err, &de) {
			return out, err // written, or failed in the database: nothing to plan again
		}
		e.dossiers.forget(id)
	}
	// The dossier is read unscoped, then held to the scope rule with its
	// legs in hand (fireOn): one index lookup, whatever the size of the
	// viewer's agency.
	d, err := e.client.Dossier.Get(auth.SystemContext(ctx), id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no dossier with id %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load dossier: %w", err)
	}
	return e.fireOn(ctx, v, cal, d, ev, in)
}

// fireOn fires ev on dossier d as read or held, reading its legs.
func (e *Engine) fireOn(ctx context.Context, v *auth.Viewer, cal *calendar.Calendar, d *ent.Dossier, ev Event, in Input) (*ent.Dossier, error) {
	sys := auth.SystemContext(ctx)
	id := d.ID
	legs, err := e.client.Leg.Query().Where(leg.DossierID(d.ID)).Order(ent.Asc(leg.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("workflow: load legs: %w", err)
	}
	if ok, err := access.Readable(ctx, d, legs); err != nil {
		return nil, err
	} else if !ok {
		return nil, problem.NotFound("no dossier with id %d", id)
	}
	if d.Edges.Procedure, err = e.procedure(ctx, d.ProcedureID); err != nil {
		return nil, err
	}
	open := slices.DeleteFunc(slices.Clone(legs), func(l *ent.Leg) bool { return l.FinishedAt != nil })
	t := &transition{ctx: ctx, db: e.client, v: v, d: d, legs: legs, open: open, cal: cal, now: e.stamp(), in: in, data: map[string]any{}, verify: e.check}
	t.after = make([]*ent.Leg, len(legs))
	for i, l := range legs {
		c := *l
		t.after[i] = &c
	}
	plan, err := t.plan(ev)
	if err != nil {
		return nil, err
	}
	var out *ent.Dossier
	err = e.inTx(ctx, func(tx *ent.Tx) error {
		t.after = t.after[:len(legs)] // a retried transaction opens its legs again
		var err error
		if out, err = t.write(tx, ev, plan); err != nil {
			return err
		}
		// The reports' roll-ups move with the dossier, in this transaction.
		r := rollup.Rows{}
		r.Add(d, legs, -1)
		r.Add(out, t.after, 1)
		if err := r.Write(sys, tx, e.dialect); err != nil {
			return err
		}
		// So does its outbound message.
		out.Edges.Procedure = d.Edges.Procedure
		return e.publish(sys, tx, out, t.after, t.event, v, t.now)
	})
	if err != nil {
		return nil, err
	}
	e.dossiers.put(out)
	return out, nil
}

// plan checks ev against the state machine and the rules and computes its
// effects: the dossier's new values (in a mutation never run by itself)
// and the legs' writes. It writes nothing.
func (t *transition) plan(ev Event) (*ent.DossierUpdate, error) {
	ev = t.variant(ev)
	t.ev = ev
	var checkErr error
	machine := machineAt(t.d.State)
	defer machines.Put(machine)
	err := machine.Event(t.ctx, string(ev), func() error {
		checkErr = t.check(ev)
		return checkErr
	})
	var noTransition fsm.NoTransitionError
	var invalid fsm.InvalidEventError
	switch {
	case checkErr != nil:
		return nil, checkErr
	case errors.As(err, &invalid), errors.As(err, &fsm.UnknownEventError{}):
		return nil, &problem.Error{Code: problem.CodeBadUserInput, Detail: problem.DetailIllegalTransition,
			Message: fmt.Sprintf("%s is not allowed while the dossier is %s", recordedType(ev), t.d.State)}
	case err != nil && !errors.As(err, &noTransition):
		return nil, fmt.Errorf("workflow: %s: %w", ev, err)
	}
	t.to = st.DossierState(machine.Current())
	upd := t.db.Dossier.Update()
	if err := t.apply(ev, upd); err != nil {
		return nil, err
	}
	return upd, nil
}

// write runs a plan in tx: the dossier's versioned update first, so that
// the loser of a race touches nothing, then the legs and the event.
func (t *transition) write(tx *ent.Tx, ev Event, plan *ent.DossierUpdate) (*ent.Dossier, error) {
	upd := tx.Dossier.Update().
		Where(dossier.ID(t.d.ID), dossier.Version(t.d.Version)).
		SetState(t.to).
		SetVersion(t.d.Version + 1).
		SetUpdateTime(t.now)
	if err := copyMutation(upd.Mutation(), plan.Mutation()); err != nil {
		return nil, err
	}
	n, err := upd.Save(t.ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: update dossier %s: %w", t.d.Code, err)
	}
	if n == 0 {
		return nil, problem.Conflict(problem.DetailStaleVersion, "dossier %s was changed by someone else: reload and try again", t.d.Code)
	}
	for _, w := range t.writes {
		if err := w(tx); err != nil {
			return nil, err
		}
	}
	ec := tx.DossierEvent.Create().
		SetDossierID(t.d.ID).
		SetSeq(t.d.Version + 1).
		SetType(recordedType(t.ev)).
		SetFromState(t.d.State).
		SetToState(t.to).
		SetActorID(t.v.OfficerID).
		SetNillableActingForID(t.actingFor).
		SetAgencyID(t.v.AgencyID).
		SetNillableLegID(t.legID).
		SetReason(t.in.Reason).
		SetNote(t.in.Note).
		SetAt(t.now)
	if len(t.data) > 0 {
		ec.SetData(t.data)
	}
	if t.event, err = ec.Save(t.ctx); err != nil {
		return nil, fmt.Errorf("workflow: record %s on %s: %w", ev, t.d.Code, err)
	}
	// The dossier as written is the one read with the update applied: the
	// versioned update proves nobody changed it in between.
	out, ok := applied(t.d, upd.Mutation())
	if ok && !t.verify {
		return out, nil
	}
	// Already authorised: read back without the row-level scope.
	row, err := tx.Dossier.Get(auth.SystemContext(t.ctx), t.d.ID)
	if err != nil {
		return nil, err
	}
	row = row.Unwrap()
	if !ok {
		return row, nil
	}
	if diff := dossierDiff(out, row); diff != "" {
		return nil, fmt.Errorf("workflow: %s on %s: the dossier computed differs from the row written: %s", ev, t.d.Code, diff)
	}
	return out, nil
}

// dossierDiff names the first field where a and b differ ("" if none);
// times are compared as instants.
func dossierDiff(a, b *ent.Dossier) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for name, i := range dossierFields() {
		fa, fb := va.Field(i), vb.Field(i)
		if fa.Kind() == reflect.Pointer {
			if fa.IsNil() != fb.IsNil() {
				return fmt.Sprintf("%s: %v against %v", name, fa, fb)
			}
			if fa.IsNil() {
				continue
			}
			fa, fb = fa.Elem(), fb.Elem()
		}
		if ta, ok := fa.Interface().(time.Time); ok {
			if !ta.Equal(fb.Interface().(time.Time)) {
				return fmt.Sprintf("%s: %v against %v", name, ta, fb)
			}
			continue
		}
		if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			return fmt.Sprintf("%s: %v against %v", name, fa, fb)
		}
	}
	return ""
}

// dossierFields maps a dossier's column names to its struct fields.
var dossierFields = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	rt := reflect.TypeFor[ent.Dossier]()
	for i := range rt.NumField() {
		if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); dossier.ValidColumn(name) {
			out[name] = i
		}
	}
	return out
})

// applied returns a copy of d with the fields m sets, adds to and clears,
// as the database holds them after m (every value m writes is computed
// here, none by the database). It reports false for a field it cannot map.
func applied(d *ent.Dossier, m *ent.DossierMutation) (*ent.Dossier, bool) {
	if _, ok := m.AppendedComponents(); ok {
		return nil, false // appended to the stored JSON: read it back
	}
	c := *d
	rv := reflect.ValueOf(&c).Elem()
	fields := dossierFields()
	field := func(name string) (reflect.Value, bool) {
		i, ok := fields[name]
		if !ok {
			return reflect.Value{}, false
		}
		return rv.Field(i), true
	}
	for _, name := range m.Fields() {
		f, ok := field(name)
		v, _ := m.Field(name)
		val := reflect.ValueOf(v)
		if !ok || !val.IsValid() {
			return nil, false
		}
		if f.Kind() == reflect.Pointer {
			p := reflect.New(f.Type().Elem())
			if !val.Type().AssignableTo(p.Elem().Type()) {
				return nil, false
			}
			p.Elem().Set(val)
			f.Set(p)
		} else if val.Type().AssignableTo(f.Type()) {
			f.Set(val)
		} else {
			return nil, false
		}
	}
	for _, name := range m.AddedFields() {
		f, ok := field(name)
		v, _ := m.AddedField(name)
		delta, isInt := v.(int)
		if !ok || !isInt || f.Kind() != reflect.Int {
			return nil, false
		}
		f.SetInt(f.Int() + int64(delta))
	}
	for _, name := range m.ClearedFields() {
		f, ok := field(name)
		if !ok || f.Kind() != reflect.Pointer {
			return nil, false
		}
		f.SetZero()
	}
	return &c, true
}

// copyMutation sets on dst every field src sets, adds or clears.
func copyMutation(dst, src *ent.DossierMutation) error {
	for _, f := range src.Fields() {
		v, _ := src.Field(f)
		if err := dst.SetField(f, v); err != nil {
			return err
		}
	}
	for _, f := range src.AddedFields() {
		v, _ := src.AddedField(f)
		if err := dst.AddField(f, v); err != nil {
			return err
		}
	}
	for _, f := range src.ClearedFields() {
		if err := dst.ClearField(f); err != nil {
			return err
		}
	}
	return nil
}

// variant picks the concrete event for events whose target depends on data.
func (t *transition) variant(ev Event) Event {
	switch ev {
	case EventReply:
		if len(t.coordinationLegs()) <= 1 {
			return EventReplyLast
		}
	case EventSupplement:
		if t.d.ResumeState != nil {
			switch *t.d.ResumeState {
			case st.StateReceived:
				return eventSupplementReceived
			case st.StateCoordinating:
				return eventSupplementCoordinate
			default:
				return eventSupplementProcess
			}
		}
	}
	return ev
}

// leadLeg is the open LEAD leg, or the open DESK leg before forwarding.
func (t *transition) leadLeg() *ent.Leg {
	for _, l := range t.open {
		if l.Role == leg.RoleLead || l.Role == leg.RoleDesk {
			return l
		}
	}
	return nil
}

func (t *transition) coordinationLegs() []*ent.Leg {
	var out []*ent.Leg
	for _, l := range t.open {
		if l.Role == leg.RoleCoordinate {
			out = append(out, l)
		}
	}
	return out
}

// holders are the agencies holding an open leg.
func (t *transition) holders() []int {
	var out []int
	for _, l := range t.open {
		out = append(out, l.AgencyID)
	}
	return out
}

func (t *transition) requireReason() error {
	if t.in.Reason == "" {
		return problem.BadInput("reason", "a written reason is required")
	}
	return nil
}

// at requires the viewer, or an officer who delegated to the viewer, to
// hold one of roles at one of agencies. A leg assigned to an officer is
// acted on by that officer, their delegate or the agency head.
func (t *transition) at(agencies []int, roles ...auth.Role) error {
	self := t.allowed(t.v.OfficerID, t.v.AgencyID, t.v.Roles, agencies, roles)
	if self == nil {
		return nil
	}
	principals, err := t.delegators()
	if err != nil {
		return err
	}
	for _, p := range principals {
		if t.allowed(p.ID, p.AgencyID, officerRoles(p), agencies, roles) == nil {
			t.actingFor = &p.ID
			return nil
		}
	}
	return self
}

func (t *transition) allowed(officerID, agencyID int, have []auth.Role, agencies []int, roles []auth.Role) error {
	if !slices.ContainsFunc(have, func(r auth.Role) bool { return slices.Contains(roles, r) }) {
		return problem.Forbidden("this needs one of the roles %v", roles)
	}
	if !slices.Contains(agencies, agencyID) {
		return problem.Forbidden("dossier %s is not held by your agency", t.d.Code)
	}
	if slices.Contains(have, auth.RoleAgencyHead) {
		return nil
	}
	for _, l := range t.open {
		if l.AgencyID == agencyID && l.Role != leg.RoleDesk && l.OfficerID != nil && *l.OfficerID != officerID {
			return problem.Forbidden("dossier %s is assigned to another officer of your agency", t.d.Code)
		}
	}
	return nil
}

// delegators are the officers whose delegation to the viewer is running now.
func (t *transition) delegators() ([]*ent.Officer, error) {
	if t.principals != nil {
		return t.principals, nil
	}
	ps, err := t.db.Delegation.Query().
		Where(delegation.ToOfficerID(t.v.OfficerID), delegation.StartsAtLTE(t.now), delegation.EndsAtGT(t.now)).
		QueryFromOfficer().
		All(t.ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load delegations: %w", err)
	}
	t.principals = ps
	if ps == nil {
		t.principals = []*ent.Officer{}
	}
	return t.principals, nil
}

func officerRoles(o *ent.Officer) []auth.Role {
	out := make([]auth.Role, len(o.Roles))
	for i, r := range o.Roles {
		out[i] = auth.Role(r)
	}
	return out
}

var processors = []auth.Role{auth.RoleSpecialist, auth.RoleAgencyHead}

// check validates role, agency and input for ev.
func (t *transition) check(ev Event) error {
	desk := []int{t.d.DeskAgencyID}
	var lead []int
	if l := t.leadLeg(); l != nil {
		lead = []int{l.AgencyID}
	}
	switch ev {
	case EventAccept, EventForward, EventComplete:
		return t.at(desk, auth.RoleDeskOfficer)
	case EventTransfer, EventCoordinate, EventSendBack, EventReturn:
		if err := t.at(lead, processors...); err != nil {
			return err
		}
		if ev == EventSendBack {
			return t.requireReason()
		}
		return nil
	case EventReply, EventReplyLast:
		var coord []int
		for _, l := range t.coordinationLegs() {
			coord = append(coord, l.AgencyID)
		}
		if err := t.at(coord, processors...); err != nil {
			return err
		}
		if t.in.Agree == nil || t.in.Note == "" {
			return problem.BadInput("opinion", "a coordination reply needs agree and a written opinion")
		}
		return nil
	case EventRequestSupplement:
		holders := append(slices.Clone(desk), t.holders()...)
		if err := t.at(holders, auth.RoleDeskOfficer, auth.RoleSpecialist, auth.RoleAgencyHead); err != nil {
			return err
		}
		if len(t.in.Items) == 0 {
			return problem.BadInput("items", "list the documents the applicant must supplement")
		}
		return t.requireReason()
	case eventSupplementReceived, eventSupplementProcess, eventSupplementCoordinate:
		if t.v.HasRole(auth.RoleIntegration) {
			return nil
		}
		return t.at(desk, auth.RoleDeskOfficer)
	case EventRefuse, EventWithdraw:
		holders := append(slices.Clone(desk), t.holders()...)
		if t.v.HasRole(auth.RoleDeskOfficer) && t.v.AgencyID == t.d.DeskAgencyID {
			return t.requireReason()
		}
		if err := t.at(holders, auth.RoleAgencyHead); err != nil {
			return err
		}
		return t.requireReason()
	case EventStop:
		if err := t.at(append(slices.Clone(desk), t.holders()...), auth.RoleAgencyHead); err != nil {
			return err
		}
		return t.requireReason()
	case EventApologize:
		if err := t.at(lead, auth.RoleAgencyHead); err != nil {
			return err
		}
		if err := t.requireReason(); err != nil {
			return err
		}
		if t.d.Apologized {
			return problem.Conflict("", "dossier %s has had its apology and new appointment already: it may be given once", t.d.Code)
		}
		if t.d.AppointmentAt == nil || t.in.NewAppointment == nil || !t.in.NewAppointment.After(*t.d.AppointmentAt) {
			return problem.BadInput("newAppointmentAt", "the new appointment must be after the current one")
		}
		if t.cal.Between(t.now, *t.d.AppointmentAt) > calendar.MinutesPerWorkingDay {
			return problem.BadInput("id", "an apology is for a dossier that is overdue or due within one working day")
		}
		return nil
	case EventReassign:
		if err := t.at(t.holders(), auth.RoleAgencyHead); err != nil {
			return err
		}
		return t.checkAssignee()
	}
	return nil
}

// heldLeg is the open leg of the agency the viewer acts for.
func (t *transition) heldLeg() *ent.Leg {
	agencyID := t.v.AgencyID
	if t.actingFor != nil {
		for _, p := range t.principals {
			if p.ID == *t.actingFor {
				agencyID = p.AgencyID
			}
		}
	}
	for _, l := range t.open {
		if l.AgencyID == agencyID {
			return l
		}
	}
	return nil
}

// checkAssignee validates a reassignment: the officer works for the agency
// holding the leg, with a role that can process it.
func (t *transition) checkAssignee() error {
	if t.in.OfficerID == 0 {
		return problem.BadInput("officerID", "name the officer to assign")
	}
	l := t.heldLeg()
	if l.Role == leg.RoleDesk {
		return problem.BadInput("id", "the desk works as a team: its legs are not assigned")
	}
	o, err := t.db.Officer.Get(t.ctx, t.in.OfficerID)
	if ent.IsNotFound(err) || err == nil && o.AgencyID != l.AgencyID {
		return problem.BadInput("officerID", "officer %d does not work for the agency holding the dossier", t.in.OfficerID)
	}
	if err != nil {
		return fmt.Errorf("workflow: load officer: %w", err)
	}
	if !slices.ContainsFunc(officerRoles(o), func(r auth.Role) bool { return slices.Contains(processors, r) }) {
		return problem.BadInput("officerID", "%s cannot process the dossier: it needs one of the roles %v", o.Name, processors)
	}
	if l.OfficerID != nil && *l.OfficerID == o.ID {
		return problem.BadInput("officerID", "the dossier is assigned to %s already", o.Name)
	}
	return nil
}

func (t *transition) steps() []*ent.RouteStep {
	steps := slices.Clone(t.d.Edges.Procedure.Edges.Steps)
	slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
	return steps
}

// stepAgency resolves a step's agency: empty means the receiving agency.
func (t *transition) stepAgency(s *ent.RouteStep) int {
	if s.AgencyID == nil {
		return t.d.DeskAgencyID
	}
	return *s.AgencyID
}

// closeLeg finishes a leg now and judges it against its own due time.
func (t *transition) closeLeg(l *ent.Leg) error {
	end := t.now
	if t.d.PausedAt != nil {
		end = *t.d.PausedAt // the leg's clock stopped with the dossier's
	}
	a := t.afterLeg(l)
	now, judgement, minutes := t.now, rollup.Judge(t.cal, t.now, l.DueAt), rollup.Worked(t.cal, l.StartedAt, end, l.PausedMinutes)
	a.FinishedAt, a.Judgement, a.WorkedMinutes = &now, judgement, &minutes
	answered := t.in.Agree != nil && l.Role == leg.RoleCoordinate
	if answered {
		agree, opinion := *t.in.Agree, t.in.Note
		a.Agree, a.Opinion = &agree, &opinion
	}
	t.queue(func(tx *ent.Tx) error {
		// Update (not UpdateOne): nothing to read back.
		u := tx.Leg.Update().Where(leg.ID(l.ID)).
			SetFinishedAt(now).
			SetJudgement(judgement).
			SetWorkedMinutes(minutes)
		if answered {
			u.SetAgree(*a.Agree).SetOpinion(*a.Opinion)
		}
		if err := u.Exec(t.ctx); err != nil {
			return fmt.Errorf("workflow: close leg: %w", err)
		}
		return nil
	})
	return nil
}

// afterLeg is leg l as the transition leaves it.
func (t *transition) afterLeg(l *ent.Leg) *ent.Leg {
	for _, a := range t.after {
		if a.ID == l.ID {
			return a
		}
	}
	// Not reached: t.after starts as a copy of every leg read.
	c := *l
	t.after = append(t.after, &c)
	return &c
}

func (t *transition) openLeg(agencyID int, role leg.Role, position, minutes int) error {
	due := t.cal.Add(t.now, int64(minutes))
	t.queue(func(tx *ent.Tx) error {
		l, err := tx.Leg.Create().
			SetDossierID(t.d.ID).
			SetAgencyID(agencyID).
			SetRole(role).
			SetPosition(position).
			SetStartedAt(t.now).
			SetAllottedMinutes(minutes).
			SetDueAt(due).
			Save(t.ctx)
		if err != nil {
			return fmt.Errorf("workflow: open leg: %w", err)
		}
		t.after = append(t.after, l)
		return nil
	})
	return nil
}

// queue queues a write to the dossier's legs. The queue runs once the
// versioned update of the dossier has won: the dossier's row lock orders
// concurrent transitions, so a loser touches no leg, even one a winner
// has just finished (the database refuses to change a finished leg).
func (t *transition) queue(f func(tx *ent.Tx) error) {
	t.writes = append(t.writes, f)
}

// apply writes the effects of ev: legs, clocks and counters.
func (t *transition) apply(ev Event, upd *ent.DossierUpdate) error {
	switch ev {
	case EventAccept:
		a := appointmentFrom(t.cal, t.d.Edges.Procedure, t.now)
		upd.SetReceivedAt(t.now).SetAppointmentAt(a).SetOriginalAppointmentAt(a)
		t.queue(func(tx *ent.Tx) error {
			l, err := openDeskLeg(t.ctx, tx, t.cal, t.d, t.v, t.now)
			if err == nil {
				t.after = append(t.after, l)
			}
			return err
		})
	case EventForward:
		return t.moveLead(upd, t.nextLead(0), "the route has no LEAD step")
	case EventTransfer:
		return t.moveLead(upd, t.nextLead(t.d.CurrentPosition), "no LEAD step follows: return the dossier instead")
	case EventSendBack:
		upd.AddSendBacks(1)
		return t.moveLead(upd, t.prevLead(t.d.CurrentPosition), "no earlier LEAD step to send the dossier back to")
	case EventCoordinate:
		return t.coordinate()
	case EventReply, EventReplyLast:
		for _, l := range t.coordinationLegs() {
			if l.AgencyID == t.v.AgencyID {
				t.data["agree"] = *t.in.Agree
				return t.closeLeg(l)
			}
		}
	case EventRequestSupplement:
		t.data["items"] = t.in.Items
		upd.SetPausedAt(t.now).SetResumeState(t.d.State).AddSupplementRounds(1)
	case eventSupplementReceived, eventSupplementProcess, eventSupplementCoordinate:
		return t.resume(upd)
	case EventReturn:
		upd.SetFinishedAt(t.now)
		if t.d.OriginalAppointmentAt != nil {
			upd.SetJudgement(dossier.Judgement(rollup.Judge(t.cal, t.now, *t.d.OriginalAppointmentAt)))
		}
		if t.d.ReceivedAt != nil {
			upd.SetProcessingMinutes(rollup.Worked(t.cal, *t.d.ReceivedAt, t.now, t.d.PausedMinutes))
		}
		return t.closeAll()
	case EventComplete:
		upd.SetCompletedAt(t.now)
	case EventRefuse, EventWithdraw, EventStop:
		upd.SetFinishedAt(t.now)
		return t.closeAll()
	case EventReassign:
		l := t.heldLeg()
		t.legID = &l.ID
		t.data["toOfficerID"] = t.in.OfficerID
		if l.OfficerID != nil {
			t.data["fromOfficerID"] = *l.OfficerID
		}
		officer := t.in.OfficerID
		t.afterLeg(l).OfficerID = &officer
		t.queue(func(tx *ent.Tx) error {
			if err := tx.Leg.Update().Where(leg.ID(l.ID)).SetOfficerID(officer).Exec(t.ctx); err != nil {
				return fmt.Errorf("workflow: assign leg: %w", err)
			}
			return nil
		})
	case EventApologize:
		t.data["newAppointmentAt"] = t.in.NewAppointment.Format(time.RFC3339)
		t.data["previousAppointmentAt"] = t.d.AppointmentAt.Format(time.RFC3339)
		// To the microsecond, as PostgreSQL keeps it (and as stamp does).
		upd.SetApologized(true).SetAppointmentAt(t.in.NewAppointment.Truncate(time.Microsecond))
	}
	return nil
}

func (t *transition) nextLead(after int) *ent.RouteStep {
	for _, s := range t.steps() {
		if s.Position > after && s.Role == routestep.RoleLead {
			return s
		}
	}
	return nil
}

func (t *transition) prevLead(before int) *ent.RouteStep {
	steps := t.steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Position < before && steps[i].Role == routestep.RoleLead {
			return steps[i]
		}
	}
	return nil
}

// moveLead closes the lead (or desk) leg and opens one at step.
func (t *transition) moveLead(upd *ent.DossierUpdate, step *ent.RouteStep, missing string) error {
	if step == nil {
		return problem.BadInput("id", "%s", missing)
	}
	if l := t.leadLeg(); l != nil {
		if err := t.closeLeg(l); err != nil {
			return err
		}
	}
	upd.SetCurrentPosition(step.Position)
	t.data["toAgencyID"] = t.stepAgency(step)
	t.data["position"] = step.Position
	return t.openLeg(t.stepAgency(step), leg.RoleLead, step.Position, step.AllottedMinutes)
}

// coordinate opens one leg per agency of the route's next COORDINATE
// group (or of the agencies given); the lead's leg keeps running.
func (t *transition) coordinate() error {
	if len(t.in.Agencies) > 0 {
		asked := make([]int, len(t.in.Agencies))
		for i, a := range t.in.Agencies {
			asked[i] = a.AgencyID
		}
		active, err := activeAgencies(auth.SystemContext(t.ctx), t.db.Agency, asked)
		if err != nil {
			return err
		}
		var ids []int
		for i, a := range t.in.Agencies {
			if a.AllottedMinutes <= 0 {
				return problem.BadInput(fmt.Sprintf("input.agencies[%d].allottedMinutes", i), "allotted time must be positive")
			}
			if !active[a.AgencyID] || a.AgencyID == t.v.AgencyID || slices.Contains(ids, a.AgencyID) {
				return problem.BadInput(fmt.Sprintf("input.agencies[%d].agencyID", i), "agency %d cannot be consulted here", a.AgencyID)
			}
			ids = append(ids, a.AgencyID)
			if err := t.openLeg(a.AgencyID, leg.RoleCoordinate, 0, a.AllottedMinutes); err != nil {
				return err
			}
		}
		t.data["agencyIDs"] = ids
		return nil
	}
	done := slices.DeleteFunc(slices.Clone(t.legs), func(l *ent.Leg) bool { return l.Role != leg.RoleCoordinate })
	var group []*ent.RouteStep
	for _, s := range t.steps() {
		if s.Position <= t.d.CurrentPosition {
			continue
		}
		if s.Role == routestep.RoleLead {
			break
		}
		if slices.ContainsFunc(done, func(l *ent.Leg) bool { return l.Position == s.Position }) {
			continue
		}
		if len(group) > 0 && (s.ParallelGroup == 0 || s.ParallelGroup != group[0].ParallelGroup) {
			break
		}
		group = append(group, s)
	}
	if len(group) == 0 {
		return problem.BadInput("input.agencies", "the route has no coordination step here: name the agencies to consult")
	}
	var ids []int
	for _, s := range group {
		ids = append(ids, t.stepAgency(s))
		if err := t.openLeg(t.stepAgency(s), leg.RoleCoordinate, s.Position, s.AllottedMinutes); err != nil {
			return err
		}
	}
	t.data["agencyIDs"] = ids
	return nil
}

// resume ends a supplementation pause. PAUSE extends the appointment and
// every open leg by the working time paused; RESTART recomputes them from now.
func (t *transition) resume(upd *ent.DossierUpdate) error {
	if t.d.PausedAt == nil {
		return fmt.Errorf("workflow: dossier %s has no pause to end", t.d.Code)
	}
	paused := t.cal.Between(*t.d.PausedAt, t.now)
	t.data["pausedMinutes"] = paused
	upd.ClearPausedAt().ClearResumeState().AddPausedMinutes(int(paused))
	restart := t.d.Edges.Procedure.SupplementPolicy == procedure.SupplementPolicyRestart
	if t.d.AppointmentAt != nil {
		a := t.cal.Add(*t.d.AppointmentAt, paused)
		if restart {
			a = t.cal.Add(t.now, int64(t.d.Edges.Procedure.LimitMinutes))
		}
		upd.SetAppointmentAt(a)
		if !t.d.Apologized {
			upd.SetOriginalAppointmentAt(a)
		}
	}
	for _, l := range t.open {
		due := t.cal.Add(l.DueAt, paused)
		if restart {
			due = t.cal.Add(t.now, int64(l.AllottedMinutes))
		}
		a := t.afterLeg(l)
		a.DueAt, a.PausedMinutes = due, a.PausedMinutes+int(paused)
		t.queue(func(tx *ent.Tx) error {
			if err := tx.Leg.Update().Where(leg.ID(l.ID)).SetDueAt(due).AddPausedMinutes(int(paused)).Exec(t.ctx); err != nil {
				return fmt.Errorf("workflow: extend leg: %w", err)
			}
			return nil
		})
	}
	return nil
}

func (t *transition) closeAll() error {
	for _, l := range t.open {
		if err := t.closeLeg(l); err != nil {
			return err
		}
	}
	return nil
}
