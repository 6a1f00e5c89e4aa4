package workflow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/looplab/fsm"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
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
	db   *ent.Client // reads, outside any transaction
	v    *auth.Viewer
	d    *ent.Dossier
	open []*ent.Leg
	cal  *calendar.Calendar // the dossier's: its desk's (appointment, processing time)
	cals *CalendarSet       // each leg counts by its agency's (cals.Of)
	now  time.Time
	in   Input
	data map[string]any

	actingFor  *int                                   // officer the viewer acts for, by delegation or assignment
	legID      *int                                   // leg the event concerns (reassignment)
	principals []*ent.Officer                         // officers who delegated to the viewer now; nil until loaded
	event      *ent.DossierEvent                      // the event recorded
	writes     []func(context.Context, *ent.Tx) error // leg writes, run once the dossier's update has won (see queue)
	legs       []*ent.Leg                             // every leg, as read
	after      []*ent.Leg                             // every leg as the writes leave it, by id
	ev         Event                                  // the event, as variant picked it
	to         st.DossierState                        // the state the event leads to
	verify     bool                                   // compare the dossier computed with the row written (Config.CheckWrites)
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
	if err := checkInputText(ev, &in); err != nil {
		return nil, err
	}
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		out, err := e.fireOnce(ctx, v, cals, id, ev, in)
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

// checkInputText holds a transition's free text to its rules (problem.Text),
// trimmed, before anything is read: the reason, the note (an opinion, a
// result), the documents asked for and how many agencies are consulted.
func checkInputText(ev Event, in *Input) error {
	var err error
	if in.Reason, err = problem.ReasonText.Check("reason", in.Reason); err != nil {
		return err
	}
	note := map[Event]string{EventReply: "opinion", EventReturn: "result", EventCoordinate: "input.note"}[ev]
	if in.Note, err = problem.NoteText.Check(cmp.Or(note, "note"), in.Note); err != nil {
		return err
	}
	if err := problem.Count("items", len(in.Items), problem.MaxItems); err != nil {
		return err
	}
	for i, item := range in.Items {
		field := fmt.Sprintf("items[%d]", i)
		if in.Items[i], err = problem.TitleText.Check(field, item); err != nil {
			return err
		}
		if in.Items[i] == "" {
			return problem.BadInput(field, "%s is empty: name the document", field)
		}
	}
	return problem.Count("input.agencies", len(in.Agencies), problem.MaxConsulted)
}

// maxStaleAttempts bounds how often Fire reads a dossier again that
// changed while it was planning.
const maxStaleAttempts = 4

// fireOnce fires ev on the dossier as this process last wrote it, when it
// holds it (see dossierCache), else as read. The versioned update proves
// a held dossier current; one that is not answers nothing: the event is
// planned again on the dossier read.
func (e *Engine) fireOnce(ctx context.Context, v *auth.Viewer, cals *CalendarSet, id int, ev Event, in Input) (*ent.Dossier, error) {
	if d, ok := e.dossiers.get(id); ok {
		out, err := e.fireOn(ctx, v, cals, d, ev, in)
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
	return e.fireOn(ctx, v, cals, d, ev, in)
}

// fireOn fires ev on dossier d as read or held, reading its legs.
func (e *Engine) fireOn(ctx context.Context, v *auth.Viewer, cals *CalendarSet, d *ent.Dossier, ev Event, in Input) (*ent.Dossier, error) {
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
	t := &transition{db: e.client, v: v, d: d, legs: legs, open: open, cal: cals.Of(d.DeskAgencyID), cals: cals, now: e.stamp(), in: in, data: map[string]any{}, verify: e.check}
	t.after = make([]*ent.Leg, len(legs))
	for i, l := range legs {
		c := *l
		t.after[i] = &c
	}
	plan, err := t.plan(ctx, ev)
	if err != nil {
		return nil, err
	}
	var out *ent.Dossier
	err = e.inTx(ctx, func(tx *ent.Tx) error {
		t.after = t.after[:len(legs)] // a retried transaction opens its legs again
		var err error
		if out, err = t.write(ctx, tx, ev, plan); err != nil {
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

// plan checks ev against the state machine and its rule (who may fire it,
// whether it is possible now, its input) and computes its effects: the
// dossier's new values (in a mutation never run by itself) and the legs'
// writes. It writes nothing.
func (t *transition) plan(ctx context.Context, ev Event) (*ent.DossierUpdate, error) {
	r := ruleFor(ev, t)
	if r == nil { // an event no row of the table fires here
		return nil, illegal(ev, t.d.State)
	}
	ev = r.event
	t.ev = ev
	var checkErr error
	machine := machineAt(t.d.State)
	defer machines.Put(machine)
	err := machine.Event(ctx, string(ev), func() error {
		checkErr = t.check(ctx, r)
		return checkErr
	})
	var noTransition fsm.NoTransitionError
	var invalid fsm.InvalidEventError
	switch {
	case checkErr != nil:
		return nil, checkErr
	case errors.As(err, &invalid), errors.As(err, &fsm.UnknownEventError{}):
		return nil, illegal(ev, t.d.State)
	case err != nil && !errors.As(err, &noTransition):
		return nil, fmt.Errorf("workflow: %s: %w", ev, err)
	}
	t.to = st.DossierState(machine.Current())
	upd := t.db.Dossier.Update()
	if err := r.apply(ctx, t, upd); err != nil {
		return nil, err
	}
	return upd, nil
}

// illegal refuses ev in state s.
func illegal(ev Event, s st.DossierState) error {
	return &problem.Error{Code: problem.CodeBadUserInput, Detail: problem.DetailIllegalTransition,
		Message: fmt.Sprintf("%s is not allowed while the dossier is %s", recordedAs(ev), s)}
}

// check runs a rule's checks in order: who, when, input.
func (t *transition) check(ctx context.Context, r *rule) error {
	for _, c := range []check{r.who, r.when, r.input} {
		if c == nil {
			continue
		}
		if err := c(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// write runs a plan in tx: the dossier's versioned update first, so that
// the loser of a race touches nothing, then the legs and the event.
func (t *transition) write(ctx context.Context, tx *ent.Tx, ev Event, plan *ent.DossierUpdate) (*ent.Dossier, error) {
	upd := tx.Dossier.Update().
		Where(dossier.ID(t.d.ID), dossier.Version(t.d.Version)).
		SetState(t.to).
		SetVersion(t.d.Version + 1).
		SetUpdateTime(t.now)
	if err := copyMutation(upd.Mutation(), plan.Mutation()); err != nil {
		return nil, err
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: update dossier %s: %w", t.d.Code, err)
	}
	if n == 0 {
		return nil, problem.Conflict(problem.DetailStaleVersion, "dossier %s was changed by someone else: reload and try again", t.d.Code)
	}
	for _, w := range t.writes {
		if err := w(ctx, tx); err != nil {
			return nil, err
		}
	}
	ec := tx.DossierEvent.Create().
		SetDossierID(t.d.ID).
		SetSeq(t.d.Version + 1).
		SetType(recordedAs(t.ev)).
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
	if t.event, err = ec.Save(ctx); err != nil {
		return nil, fmt.Errorf("workflow: record %s on %s: %w", ev, t.d.Code, err)
	}
	// The dossier as written is the one read with the update applied: the
	// versioned update proves nobody changed it in between.
	out, ok := applied(t.d, upd.Mutation())
	if ok && !t.verify {
		return out, nil
	}
	// Already authorised: read back without the row-level scope.
	row, err := tx.Dossier.Get(auth.SystemContext(ctx), t.d.ID)
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
