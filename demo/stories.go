package demo

import (
	"cmp"
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
	"lienthong/ent/routestep"
	st "lienthong/ent/schema/schematype"
	"lienthong/workflow"
)

// pace scales how much of its allotted time an agency takes.
type pace int

const (
	normal pace = iota
	fast
	slow
)

func (p pace) fraction(rng *rand.Rand) float64 {
	switch p {
	case fast:
		return 0.15 + 0.3*rng.Float64()
	case slow:
		return 1.1 + 0.4*rng.Float64()
	}
	return 0.35 + 0.55*rng.Float64()
}

// story is what the demo does with one dossier: it is driven through its
// route on the demo clock until it reaches target or the demo's now.
type story struct {
	procedure  string
	desk       string // receiving desk; default one of the procedure's
	channel    st.Channel
	age        float64 // working days between receipt and the demo's now
	target     st.DossierState
	pace       pace
	slowAgency string // an agency that overruns its legs
	supplement bool   // one supplementation round at the lead agency
	sendBack   bool   // the second LEAD agency sends the dossier back once
	apologize  bool   // the lead's head apologizes half a day before the appointment
	reassign   string // subject of the officer the lead's head assigns the dossier to

	id   int
	rng  *rand.Rand
	done bool
}

// reached reports whether the story is over: its target state is reached
// with its side paths taken, or it ended on a side path.
func (sty *story) reached(d *ent.Dossier) bool {
	return sty.done || d.State == sty.target &&
		(!sty.supplement || d.SupplementRounds > 0) &&
		(!sty.sendBack || d.SendBacks > 0)
}

// stories put a dossier in every state, with the side paths of the
// one-stop mechanism; further demo dossiers run ordinary routes.
var stories = []story{
	{procedure: "1.013978", age: 14, target: st.StateCompleted, pace: fast, slowAgency: Tax},
	{procedure: "1.009645", age: 5, target: st.StateCoordinating, reassign: "cv2.taichinh"},
	{procedure: "2.000986", age: 12, target: st.StateReturned, pace: fast, supplement: true},
	{procedure: "1.001193", age: 3, target: st.StateCompleted},
	{procedure: "2.001583", channel: st.ChannelOnline, age: 6, target: st.StateCompleted, supplement: true},
	{procedure: "3.000333", age: 8, target: st.StateProcessing, pace: fast, sendBack: true},
	{procedure: "H43.YT.01", age: 4, target: st.StateSupplementRequested, supplement: true},
	{procedure: "1.013225", age: 13, target: st.StateCompleted, pace: slow, apologize: true},
	{procedure: "1.000894", age: 3, target: st.StateCompleted, pace: slow},
	{procedure: "1.001612", desk: CommuneA, age: 2, target: st.StateRefused},
	{procedure: "2.001583", age: 2, target: st.StateWithdrawn},
	{procedure: "1.009645", age: 9, target: st.StateStopped},
	{procedure: "1.001193", channel: st.ChannelOnline, age: 0.1, target: st.StateSubmitted},
	{procedure: "1.013978", age: 0.2, target: st.StateReceived},
}

// action is one step of the demo: a receipt, a transition or an apology.
type action struct {
	at    time.Time
	story *story
	kind  string // receive | act | apologize
	seq   int    // tie-break: insertion order
}

// seedDossiers receives the demo dossiers and drives them through their
// routes in time order, one clock for all, then sweeps at opts.Now.
func (s *Seeder) seedDossiers(ctx context.Context, opts Options) error {
	rng := rand.New(rand.NewPCG(20251, 7))
	sys := auth.SystemContext(ctx)
	cal, err := s.engine.Calendar(sys)
	if err != nil {
		return err
	}
	if err := s.seedDelegations(ctx, opts.Now); err != nil {
		return err
	}
	start := opts.Now.Add(-24 * time.Hour * 40)
	span := cal.Between(start, opts.Now)
	all := slices.Clone(stories)
	for len(all) < opts.Dossiers {
		code := s.order[rng.IntN(len(s.order))]
		sty := story{procedure: code, age: 15 * rng.Float64(), target: st.StateCompleted}
		switch rng.IntN(10) {
		case 0, 1:
			sty.pace = slow
		case 2:
			sty.pace = fast
		}
		sty.supplement = rng.IntN(5) == 0
		sty.sendBack = rng.IntN(8) == 0
		all = append(all, sty)
	}
	var queue []action
	seq := 0
	push := func(at time.Time, sty *story, kind string) {
		if at.After(opts.Now) {
			return
		}
		seq++
		queue = append(queue, action{at: at, story: sty, kind: kind, seq: seq})
	}
	for i := range all {
		sty := &all[i]
		sty.rng = rand.New(rand.NewPCG(uint64(i), 42))
		off := span - int64(sty.age*day) - sty.rng.Int64N(60)
		push(cal.Add(start, max(off, 0)), sty, "receive")
	}
	for len(queue) > 0 {
		slices.SortFunc(queue, func(a, b action) int {
			return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq))
		})
		a := queue[0]
		queue = queue[1:]
		s.clock.Set(a.at)
		next, kind, err := s.step(ctx, cal, a)
		if err != nil {
			return fmt.Errorf("demo: %s dossier of %s: %w", a.kind, a.story.procedure, err)
		}
		if next > 0 {
			push(cal.Add(a.at, next), a.story, kind)
		}
		if a.kind == "receive" && a.story.apologize {
			d, err := s.client.Dossier.Get(sys, a.story.id)
			if err != nil {
				return err
			}
			if d.AppointmentAt != nil {
				push(d.AppointmentAt.Add(-4*time.Hour), a.story, "apologize")
			}
		}
	}
	s.clock.Set(opts.Now)
	_, err = s.engine.Sweep(ctx)
	return err
}

// seedDelegations puts the head of commune A on leave around the demo's now,
// with the commune's specialist acting for them.
func (s *Seeder) seedDelegations(ctx context.Context, now time.Time) error {
	head, sub := s.officers["ld.giolinh"], s.officers["cv.giolinh"]
	d, err := s.engine.CreateDelegation(auth.NewContext(ctx, head), workflow.DelegationInput{
		FromOfficerID: head.OfficerID, ToOfficerID: sub.OfficerID,
		StartsAt: now.Add(-3 * 24 * time.Hour), EndsAt: now.Add(5 * 24 * time.Hour),
	})
	if err != nil {
		return fmt.Errorf("demo: delegation: %w", err)
	}
	s.delegations = append(s.delegations, d)
	return nil
}

// step performs one action and returns the working minutes until the
// story's next action (0: none) and its kind.
func (s *Seeder) step(ctx context.Context, cal *calendar.Calendar, a action) (int64, string, error) {
	sty := a.story
	if a.kind == "receive" {
		d, err := s.receive(ctx, sty)
		if err != nil {
			return 0, "", err
		}
		sty.id = d.ID
		if sty.reached(d) {
			return 0, "", nil
		}
		return 20 + sty.rng.Int64N(90), "act", nil
	}
	sys := auth.SystemContext(ctx)
	d, err := s.client.Dossier.Query().Where(dossier.ID(sty.id)).
		WithProcedure(func(q *ent.ProcedureQuery) { q.WithSteps() }).
		WithLegs().
		Only(sys)
	if err != nil {
		return 0, "", err
	}
	if a.kind == "apologize" {
		if d.Apologized || !slices.Contains([]st.DossierState{st.StateProcessing, st.StateCoordinating}, d.State) {
			return 0, "", nil
		}
		l := leadLeg(d)
		newAt := cal.Add(*d.AppointmentAt, 3*day)
		_, err := s.engine.Fire(s.as(ctx, s.head(l.AgencyID)), d.ID, workflow.EventApologize, workflow.Input{
			Reason:         "Hồ sơ phải kiểm tra thực địa bổ sung do thời tiết mưa lũ",
			NewAppointment: &newAt,
		})
		return 0, "", err
	}
	if sty.reached(d) {
		return 0, "", nil
	}
	desk := s.deskOfficer(s.codeOf(d.DeskAgencyID))
	fire := func(who *auth.Viewer, ev workflow.Event, in workflow.Input) error {
		_, err := s.engine.Fire(s.as(ctx, who), d.ID, ev, in)
		return err
	}
	steps := slices.Clone(d.Edges.Procedure.Edges.Steps)
	slices.SortFunc(steps, func(a, b *ent.RouteStep) int { return a.Position - b.Position })
	stepAfter := func(pos int) *ent.RouteStep {
		for _, x := range steps {
			if x.Position > pos {
				return x
			}
		}
		return nil
	}
	legTime := func(agencyID, allotted int) int64 {
		p := sty.pace
		if sty.slowAgency != "" && s.codeOf(agencyID) == sty.slowAgency {
			p = slow
		}
		return max(30, int64(float64(allotted)*p.fraction(sty.rng)))
	}
	agencyOf := func(x *ent.RouteStep) int {
		if x.AgencyID == nil {
			return d.DeskAgencyID
		}
		return *x.AgencyID
	}
	switch d.State {
	case st.StateSubmitted:
		return 30 + sty.rng.Int64N(120), "act", fire(desk, workflow.EventAccept, workflow.Input{})
	case st.StateReceived:
		if err := fire(desk, workflow.EventForward, workflow.Input{}); err != nil {
			return 0, "", err
		}
		first := stepAfter(firstLead(steps) - 1)
		if sty.reassign != "" {
			s.clock.Set(a.at.Add(10 * time.Minute))
			if err := fire(s.head(agencyOf(first)), workflow.EventReassign, workflow.Input{OfficerID: s.officers[sty.reassign].OfficerID}); err != nil {
				return 0, "", err
			}
		}
		next := legTime(agencyOf(first), first.AllottedMinutes)
		if sty.supplement {
			next /= 5 // the lead checks the documents first
		}
		return next, "act", nil
	case st.StateSupplementRequested:
		err := fire(desk, workflow.EventSupplement, workflow.Input{Note: "Công dân đã nộp bổ sung đủ giấy tờ"})
		l := leadLeg(d)
		return legTime(l.AgencyID, l.AllottedMinutes/2), "act", err
	case st.StateReturned:
		return 0, "", fire(desk, workflow.EventComplete, workflow.Input{Note: "Đã trả kết quả cho công dân"})
	case st.StateCoordinating:
		for _, l := range d.Edges.Legs {
			if l.FinishedAt == nil && l.Role == leg.RoleCoordinate {
				agree := true
				err := fire(s.specialist(l.AgencyID), workflow.EventReply, workflow.Input{Agree: &agree, Note: "Thống nhất với đề xuất của cơ quan chủ trì"})
				return 30 + sty.rng.Int64N(240), "act", err
			}
		}
		return 0, "", fmt.Errorf("dossier %s is COORDINATING without an open coordination leg", d.Code)
	case st.StateProcessing:
	default:
		return 0, "", nil
	}
	// PROCESSING: the lead agency acts.
	l := leadLeg(d)
	officer := s.specialist(l.AgencyID)
	if l.OfficerID != nil {
		officer = s.byID(*l.OfficerID)
	}
	switch {
	case sty.target == st.StateWithdrawn:
		sty.done = true
		return 0, "", fire(desk, workflow.EventWithdraw, workflow.Input{Reason: "Công dân có đơn xin rút hồ sơ"})
	case sty.target == st.StateStopped:
		sty.done = true
		return 0, "", fire(s.head(l.AgencyID), workflow.EventStop, workflow.Input{Reason: "Dự án thuộc khu vực đang điều chỉnh quy hoạch theo Quyết định của UBND tỉnh"})
	case sty.target == st.StateRefused:
		sty.done = true
		return 0, "", fire(s.head(l.AgencyID), workflow.EventRefuse, workflow.Input{Reason: "Ngành nghề đăng ký thuộc danh mục cấm kinh doanh"})
	case sty.supplement && d.SupplementRounds == 0:
		err := fire(officer, workflow.EventRequestSupplement, workflow.Input{
			Reason: "Hồ sơ chưa đầy đủ theo quy định",
			Items:  []string{"Bản sao có chứng thực giấy tờ tùy thân", "Bản vẽ hiện trạng có xác nhận"},
		})
		return day + sty.rng.Int64N(2*day), "act", err
	}
	if sty.sendBack && d.SendBacks == 0 && d.CurrentPosition != firstLead(steps) {
		if err := fire(officer, workflow.EventSendBack, workflow.Input{Reason: "Kết quả xác minh chưa đầy đủ, đề nghị làm rõ"}); err != nil {
			return 0, "", err
		}
		return legTime(l.AgencyID, l.AllottedMinutes/2), "act", nil
	}
	next := stepAfter(d.CurrentPosition)
	consulted := func(pos int) bool {
		return slices.ContainsFunc(d.Edges.Legs, func(l *ent.Leg) bool { return l.Role == leg.RoleCoordinate && l.Position == pos })
	}
	for next != nil && next.Role == routestep.RoleCoordinate && consulted(next.Position) {
		next = stepAfter(next.Position)
	}
	switch {
	case next == nil:
		return 240 + sty.rng.Int64N(day), "act", fire(officer, workflow.EventReturn, workflow.Input{Reason: "Đã có kết quả giải quyết"})
	case next.Role == routestep.RoleCoordinate:
		if err := fire(officer, workflow.EventCoordinate, workflow.Input{}); err != nil {
			return 0, "", err
		}
		return legTime(agencyOf(next), next.AllottedMinutes), "act", nil
	default:
		if err := fire(officer, workflow.EventTransfer, workflow.Input{Note: "Chuyển bước tiếp theo"}); err != nil {
			return 0, "", err
		}
		return legTime(agencyOf(next), next.AllottedMinutes), "act", nil
	}
}

func (s *Seeder) receive(ctx context.Context, sty *story) (*ent.Dossier, error) {
	rng := sty.rng
	p := s.procs[sty.procedure]
	desk := desks[p.Code][rng.IntN(len(desks[p.Code]))]
	if sty.desk != "" {
		desk = sty.desk
	}
	channel := sty.channel
	if channel == "" {
		channel = p.Channels[0]
	}
	in := workflow.ReceiveInput{
		ProcedureCode: p.Code,
		Channel:       channel,
		Applicant: workflow.ApplicantInput{
			Name:     familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] + " " + givenNames[rng.IntN(len(givenNames))],
			IDNumber: fmt.Sprintf("0452%08d", rng.IntN(100000000)),
			Phone:    fmt.Sprintf("09%08d", rng.IntN(100000000)),
			Address:  fmt.Sprintf("%d %s, %s", 1+rng.IntN(300), streets[rng.IntN(len(streets))], s.agencies[desk].Name),
		},
	}
	for _, c := range p.Components {
		if c.Mandatory || rng.IntN(2) == 0 {
			in.Components = append(in.Components, st.SubmittedComponent{Name: c.Name, Digitized: channel == st.ChannelOnline || rng.IntN(3) > 0})
		}
	}
	actor := s.deskOfficer(desk)
	if rng.IntN(4) == 0 {
		// Pushed by the provincial one-stop system with its own code.
		actor = s.officers["motcua.system"]
		s.external++
		ext, src := fmt.Sprintf("MC-%06d", 100000+s.external), "motcua"
		in.ExternalCode, in.Source, in.DeskAgencyCode = &ext, &src, &desk
	}
	return s.engine.Receive(auth.NewContext(ctx, actor), in)
}

// leadLeg is the open LEAD leg (or the desk's before forwarding).
func leadLeg(d *ent.Dossier) *ent.Leg {
	for _, l := range d.Edges.Legs {
		if l.FinishedAt == nil && l.Role != leg.RoleCoordinate {
			return l
		}
	}
	return nil
}

func firstLead(steps []*ent.RouteStep) int {
	for _, x := range steps {
		if x.Role == routestep.RoleLead {
			return x.Position
		}
	}
	return 0
}

// as is ctx for an officer; a head on leave is replaced by their substitute,
// whose actions record that they acted for the head.
func (s *Seeder) as(ctx context.Context, v *auth.Viewer) context.Context {
	now := s.clock.Now()
	for _, d := range s.delegations {
		if d.FromOfficerID == v.OfficerID && !now.Before(d.StartsAt) && now.Before(d.EndsAt) {
			return auth.NewContext(ctx, s.byID(d.ToOfficerID))
		}
	}
	return auth.NewContext(ctx, v)
}

func (s *Seeder) codeOf(agencyID int) string {
	for code, a := range s.agencies {
		if a.ID == agencyID {
			return code
		}
	}
	return ""
}

func (s *Seeder) byID(officerID int) *auth.Viewer {
	for _, v := range s.officers {
		if v.OfficerID == officerID {
			return v
		}
	}
	return nil
}

// officerWith returns the first demo officer of an agency with role.
func (s *Seeder) officerWith(agencyID int, role auth.Role) *auth.Viewer {
	code := s.codeOf(agencyID)
	for _, o := range Officers {
		if o.Agency == code && slices.Contains(o.Roles, role) {
			return s.officers[o.Subject]
		}
	}
	return nil
}

func (s *Seeder) specialist(agencyID int) *auth.Viewer {
	return s.officerWith(agencyID, auth.RoleSpecialist)
}

func (s *Seeder) head(agencyID int) *auth.Viewer { return s.officerWith(agencyID, auth.RoleAgencyHead) }
