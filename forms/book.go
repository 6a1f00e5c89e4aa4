package forms

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/signintech/gopdf"

	"lienthong/access"
	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/dossier"
	"lienthong/ent/formrecord"
	"lienthong/ent/leg"
	"lienthong/ent/predicate"
	"lienthong/ent/schema/schematype"
	"lienthong/problem"
)

// MaxBookRows bounds one printed tracking book.
const MaxBookRows = 5000

// bookPage is how many dossiers the tracking book reads at once (a
// variable for the tests).
var bookPage = 500

// TrackingBook renders an agency's tracking book (Mẫu số 06) for the
// dossiers its desk received in [from, to), in the order received, and
// records that it was printed. Its own officers read it; analysts and
// administrators read every agency's.
func (s *Service) TrackingBook(ctx context.Context, agencyCode string, from, to time.Time) ([]byte, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	sys := auth.SystemContext(ctx)
	a, err := s.client.Agency.Query().Where(agency.Code(agencyCode)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no agency %q", agencyCode)
	}
	if err != nil {
		return nil, fmt.Errorf("forms: agency: %w", err)
	}
	if !access.ReadsAll(v) && v.AgencyID != a.ID {
		return nil, &problem.Error{Code: problem.CodeForbidden, Message: "an agency's tracking book is for its own officers"}
	}
	if !from.Before(to) || to.Sub(from) > 366*24*time.Hour {
		return nil, problem.BadInput("to", "the period runs forward and covers at most a year")
	}
	done, err := s.bookTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	// Counted first: a book too long is refused before anything is drawn.
	inPeriod := []predicate.Dossier{dossier.DeskAgencyID(a.ID), dossier.ReceivedAtGTE(from), dossier.ReceivedAtLT(to)}
	total, err := s.client.Dossier.Query().Where(inPeriod...).Count(sys)
	if err != nil {
		return nil, fmt.Errorf("forms: tracking book: %w", err)
	}
	if total > MaxBookRows {
		return nil, problem.BadInput("to", "more than %d dossiers: print a shorter period", MaxBookRows)
	}
	a.Name = printable(a.Name)
	now := s.cfg.Clock.Now().In(s.loc)
	doc, err := newDoc(true, titles[formrecord.FormTrackingBook]+" "+a.Name)
	if err != nil {
		return nil, err
	}
	doc.header(a.Name, "Bộ phận Một cửa", "", s.cfg.Place, now)
	doc.title("SỔ THEO DÕI HỒ SƠ")
	doc.font("I", 12)
	doc.center(fmt.Sprintf("Từ ngày %s đến ngày %s", s.date(from), s.date(to.Add(-time.Nanosecond))))
	doc.gap(2)
	table := doc.startTable([]column{
		{"STT", 9, gopdf.Center}, {"Mã hồ sơ", 37, gopdf.Left}, {"Tên thủ tục hành chính", 35, gopdf.Left},
		{"Tên cá nhân, tổ chức", 28, gopdf.Left}, {"Địa chỉ, số điện thoại", 28, gopdf.Left}, {"Cơ quan chủ trì giải quyết", 26, gopdf.Left},
		{"Nhận hồ sơ", 17, gopdf.Center}, {"Hẹn trả kết quả", 17, gopdf.Center}, {"Chuyển hồ sơ đến cơ quan giải quyết", 17, gopdf.Center},
		{"Nhận kết quả từ cơ quan giải quyết", 17, gopdf.Center}, {"Trả kết quả cho cá nhân, tổ chức", 17, gopdf.Center}, {"Ghi chú", 19, gopdf.Left},
	}, 8)
	// A page of dossiers at a time, in the order received: what a render
	// holds is the document, not every dossier with its edges.
	n := 0
	var after *ent.Dossier
	for {
		q := s.client.Dossier.Query().Where(inPeriod...)
		if after != nil {
			q.Where(dossier.Or(dossier.ReceivedAtGT(*after.ReceivedAt),
				dossier.And(dossier.ReceivedAtEQ(*after.ReceivedAt), dossier.IDGT(after.ID))))
		}
		ds, err := q.Order(ent.Asc(dossier.FieldReceivedAt), ent.Asc(dossier.FieldID)).
			Limit(bookPage).
			WithProcedure().
			WithLeadAgency().
			WithLegs(func(q *ent.LegQuery) { q.Where(leg.RoleEQ(leg.RoleDesk)) }).
			All(sys)
		if err != nil {
			return nil, fmt.Errorf("forms: tracking book: %w", err)
		}
		for _, d := range ds {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			n++
			printableDossier(d)
			table.row(s.bookRow(n, d, now))
		}
		if len(ds) < bookPage {
			break
		}
		after = ds[len(ds)-1]
	}
	table.end()
	doc.gap(2)
	doc.font("I", 11)
	doc.para(fmt.Sprintf("Tổng số: %d hồ sơ.", n), 0)
	pdf, err := doc.finish()
	if err != nil {
		return nil, err
	}
	rec := s.client.FormRecord.Create().SetForm(formrecord.FormTrackingBook).SetAgencyID(a.ID).
		SetPeriodFrom(from).SetPeriodTo(to).SetGeneratedAt(now)
	if v.OfficerID != 0 {
		rec.SetOfficerID(v.OfficerID)
	}
	if err := rec.Exec(sys); err != nil {
		return nil, fmt.Errorf("forms: record: %w", err)
	}
	return pdf, nil
}

// bookRow is one dossier's row of the tracking book.
func (s *Service) bookRow(n int, d *ent.Dossier, now time.Time) []string {
	forwarded := ""
	for _, l := range d.Edges.Legs {
		if l.FinishedAt != nil {
			forwarded = s.date(*l.FinishedAt)
		}
	}
	contact := d.ApplicantAddress
	if d.ApplicantPhone != "" {
		if contact != "" {
			contact += "; "
		}
		contact += d.ApplicantPhone
	}
	return []string{
		strconv.Itoa(n), d.Code, d.Edges.Procedure.Name, d.ApplicantName, contact, leadName(d),
		s.date(*d.ReceivedAt), s.date(*d.OriginalAppointmentAt), forwarded, dateOf(s, d.FinishedAt), dateOf(s, d.CompletedAt),
		bookNote(d, now),
	}
}

func dateOf(s *Service, t *time.Time) string {
	if t == nil {
		return ""
	}
	return s.date(*t)
}

// bookNote is the book's remark: the judgement, or how the dossier ended,
// or that it is running late.
func bookNote(d *ent.Dossier, now time.Time) string {
	switch d.State {
	case schematype.StateRefused:
		return "Từ chối"
	case schematype.StateWithdrawn:
		return "Rút hồ sơ"
	case schematype.StateStopped:
		return "Dừng giải quyết"
	}
	if d.Judgement != nil {
		return judgement(string(*d.Judgement))
	}
	if d.OriginalAppointmentAt != nil && now.After(*d.OriginalAppointmentAt) {
		return "Đang giải quyết, quá hạn"
	}
	return "Đang giải quyết"
}
