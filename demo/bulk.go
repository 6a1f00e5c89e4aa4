package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	st "lienthong/ent/schema/schematype"
	"lienthong/rollup"
	"lienthong/workflow"
)

// procedureWeights is how often each demo procedure is asked for.
var procedureWeights = map[string]int{
	"1.001193": 30, "1.000894": 10, "1.001612": 10, "1.013978": 10, "1.013225": 8,
	"2.001583": 10, "1.009645": 2, "3.000333": 10, "2.000986": 8, "H43.YT.01": 2,
}

// bulkBatch is how many dossiers one batch of inserts holds.
const bulkBatch = 500

// bulk writes n historical dossiers received over the year before now,
// in batches straight to the database, with what the engine would have
// written: legs judged against their own due times, the dossier's
// judgement and processing minutes, and a history event per hand-over.
// Send-backs and supplementation rounds are counted and their time is
// spent, without their extra legs. It is for load and reporting
// benchmarks: the engine would take hours for a million dossiers.
func (s *Seeder) bulk(ctx context.Context, n int, now time.Time, progress func(int)) error {
	sys := auth.SystemContext(ctx)
	cal, err := s.engine.Calendar(sys)
	if err != nil {
		return err
	}
	procs, err := s.client.Procedure.Query().Where(procedure.Current(true)).WithSteps().All(sys)
	if err != nil {
		return err
	}
	var pool []*ent.Procedure
	for _, p := range procs {
		for range procedureWeights[p.Code] {
			pool = append(pool, p)
		}
	}
	rng := rand.New(rand.NewPCG(2026, 766))
	start := now.AddDate(-1, 0, 0)
	span := cal.Between(start, now)
	// Receipt instants in time order, so that codes follow the days.
	received := make([]int64, n)
	for i := range received {
		received[i] = rng.Int64N(span)
	}
	slices.Sort(received)
	type counterKey struct {
		desk int
		day  string // yyMMdd, as the counter row keys it
	}
	counters := map[counterKey]int{}
	for from := 0; from < n; from += bulkBatch {
		batch := received[from:min(from+bulkBatch, n)]
		var plans []*bulkDossier
		for _, off := range batch {
			p := pool[rng.IntN(len(pool))]
			desk := s.agencies[desks[p.Code][rng.IntN(len(desks[p.Code]))]]
			at := cal.Add(start, off)
			local := at.In(cal.Location())
			k := counterKey{desk.ID, local.Format("060102")}
			counters[k]++
			code := workflow.DossierCode{Agency: desk.Code, Day: calendar.DateOf(local), Seq: counters[k]}.String()
			plans = append(plans, plan(s.client, rng, cal, p, desk.ID, code, at, now))
		}
		if err := s.writeBulk(sys, plans); err != nil {
			return fmt.Errorf("demo: bulk dossiers: %w", err)
		}
		if progress != nil {
			progress(from + len(batch))
		}
	}
	// Later intake continues the daily sequences.
	var cs []*ent.DossierCounterCreate
	for k, last := range counters {
		cs = append(cs, s.client.DossierCounter.Create().SetAgencyID(k.desk).SetDay(k.day).SetLast(last))
		if len(cs) == 1000 {
			if err := s.client.DossierCounter.CreateBulk(cs...).Exec(sys); err != nil {
				return err
			}
			cs = cs[:0]
		}
	}
	if len(cs) > 0 {
		return s.client.DossierCounter.CreateBulk(cs...).Exec(sys)
	}
	return nil
}

type bulkLeg struct {
	agencyID  int
	role      leg.Role
	position  int
	start     time.Time
	allotted  int
	due       time.Time
	end       time.Time // zero: open
	judgement leg.Judgement
	worked    int
}

type bulkEvent struct {
	typ      st.DossierEventType
	from, to st.DossierState
	at       time.Time
	agencyID int
}

type bulkDossier struct {
	d      *ent.DossierCreate
	legs   []bulkLeg
	events []bulkEvent
}

// bulkPace draws how much of its allotted time an agency takes: most
// finish well within it, about one leg in thirty overruns.
func bulkPace(rng *rand.Rand) float64 {
	switch r := rng.Float64(); {
	case r < 0.85:
		return 0.1 + 0.5*rng.Float64()
	case r < 0.97:
		return 0.6 + 0.35*rng.Float64()
	default:
		return 1.0 + 0.5*rng.Float64()
	}
}

// plan draws one dossier's history up to now.
func plan(client *ent.Client, rng *rand.Rand, cal *calendar.Calendar, p *ent.Procedure, deskID int, code string, received, now time.Time) *bulkDossier {
	b := &bulkDossier{}
	channel := p.Channels[rng.IntN(len(p.Channels))]
	appt := workflow.Appointment(cal, p, channel, received)
	rounds, sendBacks, paused := 0, 0, 0
	switch r := rng.Float64(); {
	case r < 0.02:
		rounds = 2
	case r < 0.10:
		rounds = 1
	}
	if rng.Float64() < 0.03 {
		sendBacks = 1 + rng.IntN(2)
	}
	for range rounds {
		paused += 120 + rng.IntN(1800)
	}
	if p.SupplementPolicy == procedure.SupplementPolicyPause || rounds == 0 {
		appt = cal.Add(appt, int64(paused))
	}
	state := st.StateReceived
	ev := func(typ st.DossierEventType, to st.DossierState, at time.Time, agencyID int) {
		if at.After(now) {
			return
		}
		b.events = append(b.events, bulkEvent{typ, state, to, at, agencyID})
		state = to
	}
	b.events = append(b.events, bulkEvent{typ: st.EventReceive, to: st.StateReceived, at: received, agencyID: deskID})
	open := func(agencyID int, role leg.Role, pos int, start time.Time, allotted int, extra int) *bulkLeg {
		l := bulkLeg{agencyID: agencyID, role: role, position: pos, start: start, allotted: allotted, due: cal.Add(start, int64(allotted+extra))}
		took := int64(float64(allotted)*bulkPace(rng)) + int64(extra)
		l.end = cal.Add(start, max(took, 10))
		b.legs = append(b.legs, l)
		return &b.legs[len(b.legs)-1]
	}
	deskLeg := bulkLeg{agencyID: deskID, role: leg.RoleDesk, start: received, due: cal.NextWorkingDayStart(received)}
	deskLeg.allotted = int(cal.Between(received, deskLeg.due))
	deskLeg.end = cal.Add(received, 5+rng.Int64N(60))
	b.legs = append(b.legs, deskLeg)
	t := deskLeg.end
	finished := time.Time{}
	cancel := rng.Float64()
	if cancel < 0.03 {
		finished = t
		ev(st.EventRefuse, st.StateRefused, t, deskID)
	} else {
		ev(st.EventForward, st.StateProcessing, t, deskID)
		steps := slices.Clone(p.Edges.Steps)
		slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
		agencyOf := func(x *ent.RouteStep) int {
			if x.AgencyID == nil {
				return deskID
			}
			return *x.AgencyID
		}
		lead := -1
		extra := paused + sendBacks*120
		for i := 0; i < len(steps); {
			x := steps[i]
			if x.Role == routestep.RoleLead {
				if lead >= 0 {
					ev(st.EventTransfer, st.StateProcessing, t, b.legs[lead].agencyID)
				}
				l := open(agencyOf(x), leg.RoleLead, x.Position, t, x.AllottedMinutes, extra)
				extra = 0
				lead = len(b.legs) - 1
				t = l.end
				i++
				continue
			}
			// A coordination group runs in parallel inside the lead's turn.
			group := []*ent.RouteStep{x}
			for i+len(group) < len(steps) && steps[i+len(group)].Role == routestep.RoleCoordinate &&
				x.ParallelGroup != 0 && steps[i+len(group)].ParallelGroup == x.ParallelGroup {
				group = append(group, steps[i+len(group)])
			}
			begin := t
			if lead >= 0 {
				begin = cal.Add(b.legs[lead].start, int64(b.legs[lead].allotted/3))
			}
			ev(st.EventCoordinate, st.StateCoordinating, begin, b.legs[max(lead, 0)].agencyID)
			last := begin
			type reply struct {
				at       time.Time
				agencyID int
			}
			var replies []reply
			for _, g := range group {
				l := open(agencyOf(g), leg.RoleCoordinate, g.Position, begin, g.AllottedMinutes, 0)
				replies = append(replies, reply{l.end, l.agencyID})
				if l.end.After(last) {
					last = l.end
				}
			}
			slices.SortFunc(replies, func(a, b reply) int { return a.at.Compare(b.at) })
			for k, r := range replies {
				to := st.StateCoordinating
				if k == len(replies)-1 {
					to = st.StateProcessing
				}
				ev(st.EventReply, to, r.at, r.agencyID)
			}
			if lead >= 0 && last.After(b.legs[lead].end) {
				b.legs[lead].end = cal.Add(last, 30+rng.Int64N(240))
			}
			if lead >= 0 {
				t = b.legs[lead].end
			} else {
				t = last
			}
			i += len(group)
		}
		if cancel < 0.04 {
			ev(st.EventWithdraw, st.StateWithdrawn, t, deskID)
		} else {
			ev(st.EventReturn, st.StateReturned, t, b.legs[max(lead, 0)].agencyID)
		}
		finished = t
	}
	// Close the legs handed on before now; the one running now stays open.
	for i := range b.legs {
		l := &b.legs[i]
		if l.end.After(now) {
			l.end = time.Time{}
			continue
		}
		l.judgement = rollup.Judge(cal, l.end, l.due)
		l.worked = rollup.Worked(cal, l.start, l.end, 0)
	}
	b.legs = slices.DeleteFunc(b.legs, func(l bulkLeg) bool { return l.start.After(now) })
	c := client.Dossier.Create().
		SetCode(code).
		SetIntakeHash(code).
		SetProcedureID(p.ID).
		SetDeskAgencyID(deskID).
		SetLeadAgencyID(workflow.LeadAgency(p, deskID)).
		SetApplicantName(familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] + " " + givenNames[rng.IntN(len(givenNames))]).
		SetApplicantIDNumber(fmt.Sprintf("0452%08d", rng.IntN(100000000))).
		SetChannel(channel).
		SetComponents([]st.SubmittedComponent{{Name: p.Components[0].Name, Digitized: channel == st.ChannelOnline || rng.IntN(3) > 0}}).
		SetDigitized(channel == st.ChannelOnline || rng.IntN(2) == 0).
		SetPaidOnline(p.Fee > 0 && rng.IntN(3) == 0).
		SetComplained(rng.IntN(200) == 0).
		SetSubmittedAt(received).
		SetReceivedAt(received).
		SetAppointmentAt(appt).
		SetOriginalAppointmentAt(appt).
		SetPausedMinutes(paused).
		SetSupplementRounds(rounds).
		SetSendBacks(sendBacks).
		SetState(state).
		SetVersion(len(b.events))
	if !finished.IsZero() && !finished.After(now) {
		c.SetFinishedAt(finished)
		if state == st.StateReturned {
			c.SetJudgement(dossier.Judgement(rollup.Judge(cal, finished, appt)))
			c.SetProcessingMinutes(rollup.Worked(cal, received, finished, paused))
			if done := cal.Add(finished, 60+rng.Int64N(1440)); !done.After(now) && rng.IntN(20) > 0 {
				b.events = append(b.events, bulkEvent{st.EventComplete, st.StateReturned, st.StateCompleted, done, deskID})
				c.SetCompletedAt(done).SetState(st.StateCompleted).SetVersion(len(b.events))
			}
		}
	}
	for i := len(b.legs) - 1; i >= 0; i-- {
		if b.legs[i].role == leg.RoleLead {
			c.SetCurrentPosition(b.legs[i].position)
			break
		}
	}
	b.d = c
	return b
}

// writeBulk inserts one batch: dossiers, then their legs and events, in
// one transaction.
func (s *Seeder) writeBulk(ctx context.Context, plans []*bulkDossier) (err error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	creates := make([]*ent.DossierCreate, len(plans))
	for i, p := range plans {
		creates[i] = p.d
	}
	ds, err := tx.Dossier.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return err
	}
	const chunk = 1000 // rows per insert, within SQLite's bound on variables
	var legs []*ent.LegCreate
	var events []*ent.DossierEventCreate
	flush := func(force bool) error {
		if len(legs) >= chunk || force && len(legs) > 0 {
			if err := tx.Leg.CreateBulk(legs...).Exec(ctx); err != nil {
				return err
			}
			legs = legs[:0]
		}
		if len(events) >= chunk || force && len(events) > 0 {
			if err := tx.DossierEvent.CreateBulk(events...).Exec(ctx); err != nil {
				return err
			}
			events = events[:0]
		}
		return nil
	}
	// The reports' roll-ups, as the engine would have kept them.
	rollups := rollup.Rows{}
	for i, p := range plans {
		id := ds[i].ID
		counted := make([]*ent.Leg, len(p.legs))
		for k, l := range p.legs {
			lc := tx.Leg.Create().SetDossierID(id).SetAgencyID(l.agencyID).SetRole(l.role).SetPosition(l.position).
				SetStartedAt(l.start).SetAllottedMinutes(l.allotted).SetDueAt(l.due)
			counted[k] = &ent.Leg{ID: k, AgencyID: l.agencyID, StartedAt: l.start, DueAt: l.due}
			if !l.end.IsZero() {
				lc.SetFinishedAt(l.end).SetJudgement(l.judgement).SetWorkedMinutes(l.worked)
				counted[k].FinishedAt, counted[k].Judgement, counted[k].WorkedMinutes = &l.end, l.judgement, &l.worked
			}
			legs = append(legs, lc)
		}
		rollups.Add(ds[i], counted, 1)
		for k, e := range p.events {
			ec := tx.DossierEvent.Create().SetDossierID(id).SetSeq(k + 1).SetType(e.typ).SetToState(e.to).SetAt(e.at).SetAgencyID(e.agencyID)
			if e.from != "" {
				ec.SetFromState(e.from)
			}
			events = append(events, ec)
		}
		if err := flush(false); err != nil {
			return err
		}
	}
	if err := flush(true); err != nil {
		return err
	}
	if err := rollups.Write(ctx, tx, s.dialect); err != nil {
		return err
	}
	return tx.Commit()
}
