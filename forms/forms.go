// Package forms prints the forms of the one-stop mechanism (Circular
// 01/2018/TT-VPCP, as renumbered by Circular 03/2025/TT-VPCP) as PDF in
// Vietnamese, filled from a dossier and its history: the receipt and
// appointment slip, the supplementation request, the refusal, the apology
// with a new appointment, the process control slip, and an agency's
// tracking book. Every generated form is recorded.
package forms

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/dossierevent"
	"lienthong/ent/formrecord"
	"lienthong/ent/leg"
	"lienthong/ent/procedure"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
	"lienthong/workflow"
)

// Form names a printable form.
type Form = formrecord.Form

// slugOf is a dossier form's URL name: its enum value in lower case with
// hyphens (SUPPLEMENT_REQUEST: supplement-request).
func slugOf(f Form) string { return strings.ToLower(strings.ReplaceAll(string(f), "_", "-")) }

// formOf is the dossier form whose URL name is slug, spelt exactly so.
func formOf(slug string) (Form, bool) {
	f := Form(strings.ToUpper(strings.ReplaceAll(slug, "-", "_")))
	return f, f != formrecord.FormTrackingBook && formrecord.FormValidator(f) == nil && slugOf(f) == slug
}

// Titles are the forms' names on the desk's screen.
var titles = map[Form]string{
	formrecord.FormReceipt:           "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
	formrecord.FormSupplementRequest: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
	formrecord.FormRefusal:           "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
	formrecord.FormApology:           "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
	formrecord.FormControlSlip:       "Phiếu kiểm soát quá trình giải quyết hồ sơ",
	formrecord.FormTrackingBook:      "Sổ theo dõi hồ sơ",
}

// Config tunes the forms.
type Config struct {
	Clock calendar.Clock
	// TrackingURL is the public tracking address the QR codes point to;
	// the dossier code is added as ?code=.
	TrackingURL string
	// Place is the place name of the date line ("Quảng Trị, ngày …").
	Place string
	// Books is how many tracking books this instance renders at once
	// (default 2); each officer renders one at a time. More are refused
	// with RATE_LIMITED: a year's book is hundreds of pages.
	Books int
}

// Service renders and records forms.
type Service struct {
	client *ent.Client
	cfg    Config
	loc    *time.Location
	books  chan struct{} // a token per tracking book being rendered

	mu        sync.Mutex
	rendering map[string]bool // officers rendering a book now
}

// New returns the forms service.
func New(client *ent.Client, cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = calendar.SystemClock{}
	}
	if cfg.Place == "" {
		cfg.Place = "Quảng Trị"
	}
	if cfg.Books <= 0 {
		cfg.Books = 2
	}
	return &Service{client: client, cfg: cfg, loc: calendar.VietnamLocation(), books: make(chan struct{}, cfg.Books), rendering: map[string]bool{}}
}

// Link is a form that applies to a dossier, and where to get it.
type Link struct {
	Form  Form
	Title string
	URL   string
}

// Available lists the forms that apply to d now: the receipt and control
// slip once it is received, the supplementation request once one was
// asked for, the refusal once refused, the apology once made.
func Available(d *ent.Dossier, events []*ent.DossierEvent) []*Link {
	out := []*Link{}
	add := func(f Form) {
		out = append(out, &Link{Form: f, Title: titles[f], URL: "/dossiers/" + url.PathEscape(d.Code) + "/forms/" + slugOf(f) + ".pdf"})
	}
	if d.ReceivedAt != nil {
		add(formrecord.FormReceipt)
	}
	has := func(t schematype.DossierEventType) bool {
		return slices.ContainsFunc(events, func(e *ent.DossierEvent) bool { return e.Type == t })
	}
	if has(schematype.EventRequestSupplement) {
		add(formrecord.FormSupplementRequest)
	}
	if d.State == schematype.StateRefused {
		add(formrecord.FormRefusal)
	}
	if has(schematype.EventApologize) {
		add(formrecord.FormApology)
	}
	if d.ReceivedAt != nil {
		add(formrecord.FormControlSlip)
	}
	return out
}

// notAvailable is the error for a form that does not apply (yet).
func notAvailable(f Form, code string) error {
	return problem.NotFound("%s does not apply to dossier %s", titles[f], code)
}

// load reads a dossier as the caller, with all a form may print.
func (s *Service) load(ctx context.Context, code string) (*ent.Dossier, error) {
	if _, err := auth.Require(ctx); err != nil {
		return nil, err
	}
	if _, err := workflow.ParseCode(code); err != nil {
		return nil, err
	}
	d, err := s.client.Dossier.Query().
		Where(dossier.Code(code)).
		WithProcedure().
		WithDeskAgency().
		WithLeadAgency().
		WithLegs(func(q *ent.LegQuery) { q.WithAgency().Order(ent.Asc(leg.FieldStartedAt), ent.Asc(leg.FieldID)) }).
		WithEvents(func(q *ent.DossierEventQuery) {
			q.WithActor().WithAgency().Order(ent.Asc(dossierevent.FieldSeq))
		}).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no dossier with that code")
	}
	if err != nil {
		return nil, fmt.Errorf("forms: load %s: %w", code, err)
	}
	printableDossier(d)
	return d, nil
}

// Dossier renders one of a dossier's forms (by its URL name) for the
// caller and records that it was generated.
func (s *Service) Dossier(ctx context.Context, code, slug string) ([]byte, error) {
	f, ok := formOf(slug)
	if !ok {
		return nil, problem.NotFound("no form %q: one of receipt, supplement-request, refusal, apology, control-slip", slug)
	}
	d, err := s.load(ctx, code)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(Available(d, d.Edges.Events), func(l *Link) bool { return l.Form == f }) {
		return nil, notAvailable(f, code)
	}
	now := s.cfg.Clock.Now().In(s.loc)
	var pdf []byte
	switch f {
	case formrecord.FormReceipt:
		pdf, err = s.receipt(d, now)
	case formrecord.FormSupplementRequest:
		pdf, err = s.supplementRequest(d, now)
	case formrecord.FormRefusal:
		pdf, err = s.refusal(d, now)
	case formrecord.FormApology:
		pdf, err = s.apology(d, now)
	case formrecord.FormControlSlip:
		pdf, err = s.controlSlip(d, now)
	}
	if err != nil {
		return nil, err
	}
	rec := s.client.FormRecord.Create().SetForm(f).SetDossierID(d.ID).SetGeneratedAt(now)
	if v, _ := auth.FromContext(ctx); v.OfficerID != 0 {
		rec.SetOfficerID(v.OfficerID)
	}
	if err := rec.Exec(auth.SystemContext(ctx)); err != nil {
		return nil, fmt.Errorf("forms: record: %w", err)
	}
	return pdf, nil
}

// Date and time as the forms write them.
func (s *Service) date(t time.Time) string { return t.In(s.loc).Format("02/01/2006") }

func (s *Service) clock(t time.Time) string {
	t = t.In(s.loc)
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", t.Hour(), t.Minute(), t.Format("02/01/2006"))
}

func (s *Service) stamp(t time.Time) string { return t.In(s.loc).Format("15:04 02/01/2006") }

// judgement in the words of the control slip.
func judgement(j string) string {
	switch j {
	case "EARLY":
		return "Trước hạn"
	case "ON_TIME":
		return "Đúng hạn"
	case "LATE":
		return "Quá hạn"
	}
	return "Đang giải quyết"
}

// lastEvent is d's latest event of type t.
func lastEvent(d *ent.Dossier, t schematype.DossierEventType) *ent.DossierEvent {
	for i := len(d.Edges.Events) - 1; i >= 0; i-- {
		if d.Edges.Events[i].Type == t {
			return d.Edges.Events[i]
		}
	}
	return nil
}

func actorName(e *ent.DossierEvent) string {
	if e != nil && e.Edges.Actor != nil {
		return e.Edges.Actor.Name
	}
	return ""
}

// number is the document number: the dossier's daily sequence and the
// form's abbreviation.
func number(d *ent.Dossier, abbr string) string {
	seq := d.Code
	if i := strings.LastIndex(seq, "-"); i >= 0 {
		seq = seq[i+1:]
	}
	return seq + "/" + abbr
}

func deskUnit(d *ent.Dossier) (agency, unit string) {
	return d.Edges.DeskAgency.Name, "Bộ phận Một cửa"
}

func (s *Service) trackingURL(code string) string {
	base := s.cfg.TrackingURL
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "code=" + url.QueryEscape(code)
}

// limit is the dossier's time limit in words, in the unit the law writes
// it in ("10 ngày" for days, "3 ngày làm việc", "4 giờ làm việc"): the one
// applied at intake (its channel's, lengthened where the law says so, the
// lengthening and its reference said), or, for a dossier received before
// limits were recorded, its procedure's.
func limit(d *ent.Dossier) string {
	p := d.Edges.Procedure
	minutes, days := p.LimitMinutes, 0
	if p.LimitUnit == procedure.LimitUnitDays {
		days = p.LimitDays
	}
	if d.LimitMinutes > 0 {
		minutes, days = d.LimitMinutes, d.LimitDays
	}
	var out string
	switch w := float64(minutes) / calendar.MinutesPerWorkingDay; {
	case days > 0:
		out = fmt.Sprintf("%d ngày", days)
	case p.LimitUnit == procedure.LimitUnitHours && minutes%60 == 0:
		out = fmt.Sprintf("%d giờ làm việc", minutes/60)
	case w == float64(int(w)):
		out = fmt.Sprintf("%d ngày làm việc", int(w))
	default:
		out = fmt.Sprintf("%.1f ngày làm việc", w)
	}
	for _, a := range d.Adjustments {
		unit := "ngày làm việc"
		if days > 0 {
			unit = "ngày"
		}
		out += fmt.Sprintf(" (đã cộng thêm %d %s: %s, %s)", a.Days, unit, areaVI[a.AreaKind], a.Reference)
	}
	return out
}

// areaVI names an area kind as the law does.
var areaVI = map[schematype.AreaKind]string{
	schematype.AreaMountainous: "xã miền núi",
	schematype.AreaIsland:      "xã hải đảo",
	schematype.AreaRemote:      "vùng sâu, vùng xa, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
	schematype.AreaBorder:      "xã biên giới",
}

// Links lists the forms that apply to d, reading its events' types.
func (s *Service) Links(ctx context.Context, d *ent.Dossier) ([]*Link, error) {
	evs, err := d.QueryEvents().Select(dossierevent.FieldType).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("forms: events: %w", err)
	}
	return Available(d, evs), nil
}

// bookTurn takes a turn at rendering a tracking book for the caller, or
// refuses with RATE_LIMITED when the caller renders one already or the
// instance renders as many as it may; done gives the turn back.
func (s *Service) bookTurn(ctx context.Context) (done func(), err error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rendering[v.Subject] {
		return nil, problem.New(problem.CodeRateLimited, "your tracking book is still being printed: wait for it")
	}
	select {
	case s.books <- struct{}{}:
	default:
		return nil, problem.New(problem.CodeRateLimited, "%d tracking books are being printed: try again in a moment", cap(s.books))
	}
	s.rendering[v.Subject] = true
	return func() {
		s.mu.Lock()
		delete(s.rendering, v.Subject)
		s.mu.Unlock()
		<-s.books
	}, nil
}
