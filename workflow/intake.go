package workflow

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/dossier"
	"lienthong/ent/dossiercounter"
	"lienthong/ent/dossierevent"
	"lienthong/ent/leg"
	"lienthong/ent/predicate"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
	"lienthong/rollup"
)

// ApplicantInput identifies the applicant.
type ApplicantInput struct {
	Name     string
	IDNumber string
	Phone    string
	Email    string
	Address  string
}

// ReceiveInput is a dossier handed in at a desk or pushed by another system.
type ReceiveInput struct {
	ProcedureCode  string
	Channel        schematype.Channel
	Applicant      ApplicantInput
	Components     []schematype.SubmittedComponent
	DeskAgencyCode *string
	ExternalCode   *string
	Source         *string
	PaidOnline     bool // the fee was paid through online payment
}

var idNumberRE = regexp.MustCompile(`^[0-9A-Za-z-]{6,20}$`)

// Receive records a dossier: RECEIVED with its code and appointment when
// handed in at the desk or by post, SUBMITTED for an online submission the
// desk has yet to accept. With an external code and source, a retry with the
// same content returns the same dossier and different content is a CONFLICT.
func (e *Engine) Receive(ctx context.Context, in ReceiveInput) (*ent.Dossier, error) {
	v, err := auth.RequireRole(ctx, auth.RoleDeskOfficer, auth.RoleIntegration)
	if err != nil {
		return nil, err
	}
	d, _, err := e.receive(ctx, v, in)
	return d, err
}

// lookups remember, for one import call, the desks and current procedure
// versions already read, so a batch reads each once. A nil *lookups reads
// every time.
type lookups struct {
	desks map[string]*ent.Agency
	procs map[string]*ent.Procedure
	// intakes, when not nil, holds every dossier already received under
	// the external codes of the inputs at hand, by source and code.
	intakes map[[2]string]*ent.Dossier
}

// fetchIntakes reads at once the dossiers already received under the
// external codes of inputs.
func (l *lookups) fetchIntakes(ctx context.Context, client *ent.Client, inputs []*ReceiveInput) error {
	var pairs []predicate.Dossier
	for _, in := range inputs {
		if in.ExternalCode != nil && in.Source != nil {
			pairs = append(pairs, dossier.And(dossier.Source(strings.TrimSpace(*in.Source)), dossier.ExternalCode(strings.TrimSpace(*in.ExternalCode))))
		}
	}
	l.intakes = map[[2]string]*ent.Dossier{}
	if len(pairs) == 0 {
		return nil
	}
	// Each pair is a lookup of the unique (source, external_code) index.
	ds, err := client.Dossier.Query().Where(dossier.Or(pairs...)).All(ctx)
	if err != nil {
		return fmt.Errorf("workflow: look up external codes: %w", err)
	}
	for _, d := range ds {
		if d.Source != nil && d.ExternalCode != nil {
			l.intakes[[2]string{*d.Source, *d.ExternalCode}] = d
		}
	}
	return nil
}

func (l *lookups) desk(code *string, load func() (*ent.Agency, error)) (*ent.Agency, error) {
	if l == nil || code == nil {
		return load()
	}
	if a, ok := l.desks[*code]; ok {
		return a, nil
	}
	a, err := load()
	if err == nil {
		l.desks[*code] = a
	}
	return a, err
}

func (l *lookups) procedure(code string, load func() (*ent.Procedure, error)) (*ent.Procedure, error) {
	if l == nil {
		return load()
	}
	if p, ok := l.procs[code]; ok {
		return p, nil
	}
	p, err := load()
	if err == nil {
		l.procs[code] = p
	}
	return p, err
}

// intake is a checked dossier ready to be written.
type intake struct {
	in   ReceiveInput
	desk *ent.Agency
	proc *ent.Procedure
	hash string
}

// prepare checks an intake before anything is written. It returns the
// dossier already received for the same external code and content, if any.
func (e *Engine) prepare(ctx context.Context, v *auth.Viewer, in ReceiveInput, seen *lookups) (*intake, *ent.Dossier, error) {
	if err := checkReceiveText(in); err != nil {
		return nil, nil, err
	}
	in = normalizeReceive(in)
	if err := validateApplicant(in.Applicant); err != nil {
		return nil, nil, err
	}
	if (in.ExternalCode != nil || in.Source != nil) && !v.HasRole(auth.RoleIntegration) {
		// A source's codes are its own: a desk that took one could make the
		// source's own intake of that dossier fail.
		return nil, nil, &problem.Error{Code: problem.CodeForbidden, Field: "input.source",
			Message: "source and externalCode are given by the integration clients whose systems the codes come from"}
	}
	if (in.ExternalCode == nil) != (in.Source == nil) {
		return nil, nil, problem.BadInput("input.externalCode", "externalCode and source go together")
	}
	sys := auth.SystemContext(ctx)
	desk, err := seen.desk(in.DeskAgencyCode, func() (*ent.Agency, error) { return e.deskAgency(sys, v, in.DeskAgencyCode) })
	if err != nil {
		return nil, nil, err
	}
	proc, err := seen.procedure(in.ProcedureCode, func() (*ent.Procedure, error) {
		// The current version's id; versions themselves never change.
		id, err := e.current.Get(in.ProcedureCode, func() (int, error) {
			return e.client.Procedure.Query().
				Where(procedure.Code(in.ProcedureCode), procedure.Current(true)).
				OnlyID(sys)
		})
		if err != nil {
			return nil, err
		}
		return e.procedure(sys, id)
	})
	if ent.IsNotFound(err) {
		return nil, nil, problem.BadInput("input.procedureCode", "unknown procedure %q", problem.Clip(in.ProcedureCode, 32))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("workflow: load procedure: %w", err)
	}
	if !slices.Contains(proc.Channels, in.Channel) {
		return nil, nil, problem.BadInput("input.channel", "procedure %s is not offered on channel %s (offered: %v)", proc.Code, in.Channel, proc.Channels)
	}
	if err := checkComponents(proc, in.Components); err != nil {
		return nil, nil, err
	}
	hash := intakeHash(desk.ID, proc.Code, in)
	if in.ExternalCode != nil {
		var d *ent.Dossier
		if seen != nil && seen.intakes != nil {
			if known := seen.intakes[[2]string{*in.Source, *in.ExternalCode}]; known != nil {
				d, err = e.checkIntake(ctx, known, in, hash)
			}
		} else {
			d, err = e.existingIntake(ctx, in, hash)
		}
		if d != nil || err != nil {
			return nil, d, err
		}
	}
	return &intake{in: in, desk: desk, proc: proc, hash: hash}, nil, nil
}

// receive records one dossier and reports whether it is new (false: the
// same intake was received before).
func (e *Engine) receive(ctx context.Context, v *auth.Viewer, in ReceiveInput) (*ent.Dossier, bool, error) {
	p, existing, err := e.prepare(ctx, v, in, nil)
	if err != nil || existing != nil {
		return existing, false, err
	}
	var created *ent.Dossier
	err = e.inTx(ctx, func(tx *ent.Tx) error {
		var err error
		created, err = e.createDossier(ctx, tx, v, p)
		return err
	})
	if err != nil {
		if p.in.ExternalCode != nil && ent.IsConstraintError(err) {
			// Lost a race with the same intake on another connection.
			if d, lookupErr := e.existingIntake(ctx, p.in, p.hash); d != nil || lookupErr != nil {
				return d, false, lookupErr
			}
		}
		return nil, false, err
	}
	created = created.Unwrap()
	e.log.InfoContext(ctx, "dossier received", "code", created.Code, "state", created.State, "procedure", p.proc.Code, "agency", p.desk.Code)
	return created, true, nil
}

// existingIntake is the dossier received before under in's external
// code and source, if any, as checkIntake answers for it.
func (e *Engine) existingIntake(ctx context.Context, in ReceiveInput, hash string) (*ent.Dossier, error) {
	d, err := e.client.Dossier.Query().
		Where(dossier.Source(*in.Source), dossier.ExternalCode(*in.ExternalCode)).
		Only(auth.SystemContext(ctx))
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("workflow: look up external code: %w", err)
	}
	return e.checkIntake(ctx, d, in, hash)
}

// checkIntake answers an intake received before as d: d itself for the
// same content, CONFLICT for different content, naming d only to a
// caller who may read it.
func (e *Engine) checkIntake(ctx context.Context, d *ent.Dossier, in ReceiveInput, hash string) (*ent.Dossier, error) {
	if d.IntakeHash == hash {
		return d, nil
	}
	as := ""
	if readable, err := e.client.Dossier.Query().Where(dossier.ID(d.ID)).Exist(ctx); err != nil {
		return nil, fmt.Errorf("workflow: look up external code: %w", err)
	} else if readable {
		as = " (as " + d.Code + ")"
	}
	return nil, problem.Conflict(problem.DetailIdempotency, "dossier %s from %s was received already%s with different content",
		problem.Clip(*in.ExternalCode, 64), problem.Clip(*in.Source, 32), as)
}

// createDossier writes a checked intake: the dossier, its desk leg, its
// roll-ups and its event, and takes the desk's next daily number and
// publishes the event.
//
// The desk's daily counter is one row every intake at that desk updates:
// the number is taken last, just before commit, so that intakes at a busy
// desk hold its lock for a moment rather than the whole transaction. Until
// then the dossier carries a provisional code.
func (e *Engine) createDossier(ctx context.Context, tx *ent.Tx, v *auth.Viewer, p *intake) (*ent.Dossier, error) {
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		return nil, err
	}
	cal := cals.Of(p.desk.ID) // the desk's: the appointment is where the applicant comes back
	now, sys := e.stamp(), auth.SystemContext(ctx)
	lim, adj, err := e.appliedLimit(ctx, p, calendar.DateOf(now.In(cal.Location())))
	if err != nil {
		return nil, err
	}
	d, err := newDossier(tx, cal, now, p, lim, adj, provisionalCode()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: create dossier: %w", err)
	}
	var legs []*ent.Leg
	if d.State == schematype.StateReceived {
		desk, err := openDeskLeg(ctx, tx, cal, d, v, now)
		if err != nil {
			return nil, err
		}
		legs = []*ent.Leg{desk}
		r := rollup.Rows{}
		r.Add(d, legs, 1)
		if err := r.Write(sys, tx, e.dialect); err != nil {
			return nil, err
		}
	}
	ev, err := intakeEvent(tx, v, p, d, now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: record intake of %s: %w", d.Code, err)
	}
	if d.Code, err = e.number(sys, tx, d.ID, p.desk, now.In(cal.Location())); err != nil {
		return nil, err
	}
	d.Edges.Procedure, d.Edges.Legs, d.Edges.Events = p.proc, legs, []*ent.DossierEvent{ev}
	if err := e.publish(sys, tx, d, legs, ev, v, now); err != nil {
		return nil, err
	}
	return d, nil
}

// number gives dossier id the desk's next daily number, its code, and
// returns the code. On PostgreSQL one statement takes the number and
// writes the code, so that the desk's counter row stays locked for that
// statement, the outbound message and the commit; elsewhere it takes two.
func (e *Engine) number(ctx context.Context, tx *ent.Tx, id int, desk *ent.Agency, now time.Time) (string, error) {
	if e.dialect != dialect.Postgres {
		codes, err := e.nextCodes(ctx, tx, desk, now, 1)
		if err != nil {
			return "", err
		}
		err = tx.Dossier.Update().Where(dossier.ID(id)).
			Modify(func(u *entsql.UpdateBuilder) { u.Set(dossier.FieldCode, codes[0]) }).
			SetUpdateTime(now).
			Exec(ctx)
		if err != nil {
			return "", fmt.Errorf("workflow: number dossier: %w", err)
		}
		return codes[0], nil
	}
	// The code as DossierCode prints it: the prefix, then the number with
	// four digits at least.
	prefix := strings.TrimSuffix(DossierCode{Agency: desk.Code, Day: calendar.DateOf(now), Seq: 1}.String(), "0001")
	var (
		last int
		code string
	)
	err := queryRow(ctx, tx, `WITH c AS (
	INSERT INTO dossier_counters (agency_id, day, last) VALUES ($1, $2, 1)
	ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_counters.last + 1
	RETURNING last)
UPDATE dossiers SET code = $3 || lpad(c.last::text, greatest(4, length(c.last::text)), '0')
FROM c WHERE dossiers.id = $4
RETURNING c.last, dossiers.code`, []any{desk.ID, now.Format("060102"), prefix, id}, &last, &code)
	if err != nil {
		return "", fmt.Errorf("workflow: number dossier %d: %w", id, err)
	}
	if want := (DossierCode{Agency: desk.Code, Day: calendar.DateOf(now), Seq: last}).String(); code != want {
		return "", fmt.Errorf("workflow: number dossier: the database wrote %q for %q", code, want)
	}
	return code, nil
}

// createDossiers writes checked intakes as createDossier does, each kind
// of row in one statement: the desks' numbers first (each desk's at once,
// in one lock order), then the dossiers, their desk legs, roll-ups,
// events and outbound messages.
func (e *Engine) createDossiers(ctx context.Context, tx *ent.Tx, v *auth.Viewer, ps []*intake) ([]*ent.Dossier, error) {
	cals, err := e.calendars.Set(ctx)
	if err != nil {
		return nil, err
	}
	now := e.stamp()
	sys := auth.SystemContext(ctx)
	byDesk := map[*ent.Agency][]int{}
	for k, p := range ps {
		byDesk[p.desk] = append(byDesk[p.desk], k)
	}
	desks := slices.SortedFunc(maps.Keys(byDesk), func(a, b *ent.Agency) int { return cmp.Compare(a.ID, b.ID) })
	codes := make([]string, len(ps))
	for _, desk := range desks {
		ks := byDesk[desk]
		cs, err := e.nextCodes(sys, tx, desk, now.In(cals.Province().Location()), len(ks))
		if err != nil {
			return nil, err
		}
		for n, k := range ks {
			codes[k] = cs[n]
		}
	}
	creates := make([]*ent.DossierCreate, len(ps))
	for k, p := range ps {
		lim, adj, err := e.appliedLimit(ctx, p, calendar.DateOf(now.In(cals.Province().Location())))
		if err != nil {
			return nil, err
		}
		creates[k] = newDossier(tx, cals.Of(p.desk.ID), now, p, lim, adj, codes[k])
	}
	ds, err := tx.Dossier.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: create dossiers: %w", err)
	}
	// ent pairs RETURNING rows with inserts by position, an order SQLite
	// does not promise: pair them by their unique codes instead.
	rows, err := tx.Dossier.Query().Where(dossier.CodeIn(codes...)).Select(dossier.FieldID, dossier.FieldCode).All(sys)
	if err != nil {
		return nil, fmt.Errorf("workflow: read back dossiers: %w", err)
	}
	byCode := make(map[string]int, len(rows))
	for _, r := range rows {
		byCode[r.Code] = r.ID
	}
	for _, d := range ds {
		d.ID = byCode[d.Code]
	}
	var legCreates []*ent.LegCreate
	var received []*ent.Dossier
	for _, d := range ds {
		if d.State == schematype.StateReceived {
			legCreates = append(legCreates, deskLeg(tx, cals.Of(d.DeskAgencyID), d, v, now))
			received = append(received, d)
		}
	}
	var legs []*ent.Leg
	if len(legCreates) > 0 {
		if legs, err = tx.Leg.CreateBulk(legCreates...).Save(ctx); err != nil {
			return nil, fmt.Errorf("workflow: open desk legs: %w", err)
		}
	}
	rollups := rollup.Rows{}
	for k, d := range received {
		d.Edges.Legs = legs[k : k+1 : k+1]
		rollups.Add(d, d.Edges.Legs, 1)
	}
	if err := rollups.Write(sys, tx, e.dialect); err != nil {
		return nil, err
	}
	evCreates := make([]*ent.DossierEventCreate, len(ps))
	for k, p := range ps {
		evCreates[k] = intakeEvent(tx, v, p, ds[k], now)
	}
	evs, err := tx.DossierEvent.CreateBulk(evCreates...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: record intakes: %w", err)
	}
	ids := make([]int, len(ds))
	for k, d := range ds {
		ids[k] = d.ID
	}
	firsts, err := tx.DossierEvent.Query().Where(dossierevent.DossierIDIn(ids...)).Select(dossierevent.FieldID, dossierevent.FieldDossierID).All(sys)
	if err != nil {
		return nil, fmt.Errorf("workflow: read back intake events: %w", err)
	}
	byDossier := make(map[int]int, len(firsts))
	for _, f := range firsts {
		byDossier[f.DossierID] = f.ID
	}
	for _, ev := range evs {
		ev.ID = byDossier[ev.DossierID]
	}
	out := make([]published, len(ds))
	for k, d := range ds {
		d.Edges.Procedure, d.Edges.Events = ps[k].proc, evs[k:k+1:k+1]
		out[k] = published{d: d, legs: d.Edges.Legs, ev: evs[k]}
	}
	if err := e.publishAll(sys, tx, out, v, now); err != nil {
		return nil, err
	}
	return ds, nil
}

// newDossier builds the insert of a checked intake under code.
func newDossier(tx *ent.Tx, cal *calendar.Calendar, now time.Time, p *intake, lim limit, adj []schematype.Adjustment, code string) *ent.DossierCreate {
	in, proc := p.in, p.proc
	state := schematype.StateReceived
	if in.Channel == schematype.ChannelOnline {
		state = schematype.StateSubmitted
	}
	create := tx.Dossier.Create().
		SetCode(code).
		SetNillableExternalCode(in.ExternalCode).
		SetNillableSource(in.Source).
		SetIntakeHash(p.hash).
		SetProcedureID(proc.ID).
		SetDeskAgencyID(p.desk.ID).
		SetLeadAgencyID(LeadAgency(proc, p.desk.ID)).
		SetApplicantName(in.Applicant.Name).
		SetApplicantIDNumber(in.Applicant.IDNumber).
		SetApplicantPhone(in.Applicant.Phone).
		SetApplicantEmail(in.Applicant.Email).
		SetApplicantAddress(in.Applicant.Address).
		SetChannel(in.Channel).
		SetComponents(in.Components).
		SetDigitized(allDigitized(in.Components)).
		SetPaidOnline(in.PaidOnline && proc.Fee > 0).
		SetLimitMinutes(lim.minutes).
		SetLimitDays(lim.days).
		SetAdjustments(adj).
		SetState(state).
		SetSubmittedAt(now).
		SetCreateTime(now).
		SetUpdateTime(now).
		SetVersion(1)
	if state == schematype.StateReceived {
		appointment := appointmentFrom(cal, proc, lim, now)
		create.SetReceivedAt(now).SetAppointmentAt(appointment).SetOriginalAppointmentAt(appointment)
	}
	return create
}

// intakeEvent builds the first event of dossier d.
func intakeEvent(tx *ent.Tx, v *auth.Viewer, p *intake, d *ent.Dossier, now time.Time) *ent.DossierEventCreate {
	typ := schematype.EventReceive
	if d.State == schematype.StateSubmitted {
		typ = schematype.EventSubmit
	}
	return tx.DossierEvent.Create().
		SetDossierID(d.ID).
		SetSeq(1).
		SetType(typ).
		SetToState(d.State).
		SetActorID(v.OfficerID).
		SetAgencyID(v.AgencyID).
		SetAt(now).
		SetData(map[string]any{"procedure": p.proc.Code, "procedureVersion": p.proc.Version, "channel": string(p.in.Channel)})
}

// openDeskLeg starts the desk's turn: it forwards the dossier the same day
// or at the opening of the next working day at the latest.
func openDeskLeg(ctx context.Context, tx *ent.Tx, cal *calendar.Calendar, d *ent.Dossier, v *auth.Viewer, now time.Time) (*ent.Leg, error) {
	l, err := deskLeg(tx, cal, d, v, now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: open desk leg of %s: %w", d.Code, err)
	}
	return l, nil
}

func deskLeg(tx *ent.Tx, cal *calendar.Calendar, d *ent.Dossier, v *auth.Viewer, now time.Time) *ent.LegCreate {
	due := cal.NextWorkingDayStart(now)
	return tx.Leg.Create().
		SetDossierID(d.ID).
		SetAgencyID(d.DeskAgencyID).
		SetOfficerID(v.OfficerID).
		SetRole(leg.RoleDesk).
		SetStartedAt(now).
		SetAllottedMinutes(int(cal.Between(now, due))).
		SetDueAt(due)
}

// clockStart is when a dossier's clock starts: at receipt, or at the next
// working morning when received after the procedure's cut-off.
func clockStart(cal *calendar.Calendar, proc *ent.Procedure, received time.Time) time.Time {
	if proc.Cutoff != nil {
		local := received.In(cal.Location())
		cut, err := time.ParseInLocation("15:04", *proc.Cutoff, cal.Location())
		if err == nil {
			cutAt := time.Date(local.Year(), local.Month(), local.Day(), cut.Hour(), cut.Minute(), 0, 0, cal.Location())
			if !local.Before(cutAt) {
				return cal.NextWorkingDayStart(local)
			}
		}
	}
	return received
}

// Appointment is the promised result time of a dossier of proc that came
// by channel, received at received: its channel's limit from the clock's
// start (no adjustment by place).
func Appointment(cal *calendar.Calendar, proc *ent.Procedure, channel schematype.Channel, received time.Time) time.Time {
	return appointmentFrom(cal, proc, channelLimit(proc, channel), received)
}

// appointmentFrom is when a dossier of proc given lim, received at
// received, is due.
func appointmentFrom(cal *calendar.Calendar, proc *ent.Procedure, lim limit, received time.Time) time.Time {
	return lim.due(cal, clockStart(cal, proc, received))
}

// provisionalCode is a unique placeholder for a dossier's code inside its
// intake transaction; nothing outside the transaction ever sees it.
func provisionalCode() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "~" + hex.EncodeToString(b)
}

// nextCodes takes the desk's next n daily numbers at once and returns
// their codes, {desk code}-{yyMMdd}-{NNNN}, in order. One upsert of the
// counter row returns the last number taken and locks the row until
// commit: codes are unique and gapless across connections and server
// instances.
func (e *Engine) nextCodes(ctx context.Context, tx *ent.Tx, desk *ent.Agency, now time.Time, n int) ([]string, error) {
	day := now.Format("060102") // now is in the calendar's zone
	query, args := entsql.Dialect(e.dialect).
		Insert(dossiercounter.Table).
		Columns(dossiercounter.FieldAgencyID, dossiercounter.FieldDay, dossiercounter.FieldLast).
		Values(desk.ID, day, n).
		OnConflict(
			entsql.ConflictColumns(dossiercounter.FieldAgencyID, dossiercounter.FieldDay),
			entsql.ResolveWith(func(u *entsql.UpdateSet) {
				u.Set(dossiercounter.FieldLast, entsql.Expr(u.Table().C(dossiercounter.FieldLast)+" + excluded."+dossiercounter.FieldLast))
			}),
		).
		Returning(dossiercounter.FieldLast).
		Query()
	var last int
	if err := queryRow(ctx, tx, query, args, &last); err != nil {
		return nil, fmt.Errorf("workflow: next dossier number: %w", err)
	}
	codes := make([]string, n)
	for i := range codes {
		codes[i] = DossierCode{Agency: desk.Code, Day: calendar.DateOf(now), Seq: last - n + 1 + i}.String()
	}
	return codes, nil
}

func (e *Engine) deskAgency(ctx context.Context, v *auth.Viewer, code *string) (*ent.Agency, error) {
	var (
		ag  *ent.Agency
		err error
	)
	switch {
	case code != nil && *code != "" && v.HasRole(auth.RoleIntegration):
		ag, err = e.client.Agency.Query().Where(agency.Code(*code)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, problem.BadInput("input.deskAgencyCode", "unknown agency %q", problem.Clip(*code, 32))
		}
	case v.HasRole(auth.RoleDeskOfficer):
		if code != nil && *code != "" && *code != v.AgencyCode {
			return nil, problem.Forbidden("a desk officer receives dossiers at their own agency's desk only")
		}
		ag, err = e.desks.Get(v.AgencyID, func() (*ent.Agency, error) { return e.client.Agency.Get(ctx, v.AgencyID) })
	default:
		return nil, problem.BadInput("input.deskAgencyCode", "deskAgencyCode is required for integration clients")
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load desk agency: %w", err)
	}
	if !ag.HasDesk || !ag.Active {
		if v.HasRole(auth.RoleIntegration) {
			return nil, problem.BadInput("input.deskAgencyCode", "agency %s runs no active one-stop desk", ag.Code)
		}
		return nil, problem.Forbidden("agency %s runs no active one-stop desk", ag.Code)
	}
	return ag, nil
}

func normalizeReceive(in ReceiveInput) ReceiveInput {
	in.ProcedureCode = strings.TrimSpace(in.ProcedureCode)
	a := &in.Applicant
	a.Name = strings.Join(strings.Fields(a.Name), " ")
	a.IDNumber = strings.TrimSpace(a.IDNumber)
	a.Phone = strings.TrimSpace(a.Phone)
	a.Email = strings.TrimSpace(a.Email)
	a.Address = strings.TrimSpace(a.Address)
	for _, p := range []**string{&in.ExternalCode, &in.Source, &in.DeskAgencyCode} {
		if *p != nil {
			s := strings.TrimSpace(**p)
			if s == "" {
				*p = nil
			} else {
				*p = &s
			}
		}
	}
	comps := make([]schematype.SubmittedComponent, len(in.Components))
	for i, c := range in.Components {
		comps[i] = schematype.SubmittedComponent{Name: strings.TrimSpace(c.Name), Digitized: c.Digitized}
	}
	in.Components = comps
	return in
}

// checkReceiveText holds an intake's free text to its rules (problem.Text)
// as given, before normalizeReceive joins a name's words: a line break in
// a name or an address is refused, not printed.
func checkReceiveText(in ReceiveInput) error {
	a := in.Applicant
	texts := []struct {
		field string
		rule  problem.Text
		s     *string
	}{
		{"input.procedureCode", problem.CodeText, &in.ProcedureCode},
		{"input.applicant.name", problem.NameText, &a.Name},
		{"input.applicant.idNumber", problem.CodeText, &a.IDNumber},
		{"input.applicant.phone", problem.PhoneText, &a.Phone},
		{"input.applicant.email", problem.EmailText, &a.Email},
		{"input.applicant.address", problem.AddressText, &a.Address},
		{"input.deskAgencyCode", problem.CodeText, in.DeskAgencyCode},
		{"input.externalCode", problem.ExternalCodeText, in.ExternalCode},
		{"input.source", problem.SourceText, in.Source},
	}
	for _, t := range texts {
		if t.s == nil {
			continue
		}
		if _, err := t.rule.Check(t.field, *t.s); err != nil {
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
	return nil
}

func validateApplicant(a ApplicantInput) error {
	switch {
	case a.Name == "":
		return problem.BadInput("input.applicant.name", "applicant name is required")
	case !idNumberRE.MatchString(a.IDNumber):
		return problem.BadInput("input.applicant.idNumber", "identification number must be 6–20 letters, digits or dashes")
	}
	if a.Email != "" {
		if _, err := mail.ParseAddress(a.Email); err != nil {
			return problem.BadInput("input.applicant.email", "e-mail address is not valid")
		}
	}
	return nil
}

func checkComponents(proc *ent.Procedure, got []schematype.SubmittedComponent) error {
	names := map[string]bool{}
	for i, c := range got {
		if !slices.ContainsFunc(proc.Components, func(p schematype.Component) bool { return p.Name == c.Name }) {
			return problem.BadInput(fmt.Sprintf("input.components[%d].name", i), "procedure %s asks for no component %q", proc.Code, problem.Clip(c.Name, 64))
		}
		if names[c.Name] {
			return problem.BadInput(fmt.Sprintf("input.components[%d].name", i), "component %q handed in twice", problem.Clip(c.Name, 64))
		}
		names[c.Name] = true
	}
	var missing []string
	for _, p := range proc.Components {
		if p.Mandatory && !names[p.Name] {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		return problem.BadInput("input.components", "missing mandatory components: %s", strings.Join(missing, "; "))
	}
	return nil
}

// intakeHash digests what makes two intakes the same dossier.
func intakeHash(deskID int, procCode string, in ReceiveInput) string {
	comps := slices.Clone(in.Components)
	slices.SortFunc(comps, func(a, b schematype.SubmittedComponent) int { return strings.Compare(a.Name, b.Name) })
	b, _ := json.Marshal(struct {
		Desk       int
		Procedure  string
		Channel    schematype.Channel
		Applicant  ApplicantInput
		Components []schematype.SubmittedComponent
		PaidOnline bool
	}{deskID, procCode, in.Channel, in.Applicant, comps, in.PaidOnline})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// LeadAgency is the agency of a route's first LEAD step: the agency
// responsible for the dossier (a step without agency is the receiving one).
func LeadAgency(proc *ent.Procedure, deskID int) int {
	first := -1
	lead := deskID
	for _, st := range proc.Edges.Steps {
		if st.Role == routestep.RoleLead && (first < 0 || st.Position < first) {
			first = st.Position
			lead = deskID
			if st.AgencyID != nil {
				lead = *st.AgencyID
			}
		}
	}
	return lead
}

func allDigitized(cs []schematype.SubmittedComponent) bool {
	for _, c := range cs {
		if !c.Digitized {
			return false
		}
	}
	return len(cs) > 0
}
