package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"lienthong/ent"
	"lienthong/ent/leg"
	"lienthong/ent/schema/schematype"
)

// applicant writes the applicant's lines common to the forms.
func (s *Service) applicant(doc *doc, d *ent.Dossier) {
	doc.para("Họ và tên: "+d.ApplicantName, 0)
	if d.ApplicantAddress != "" {
		doc.para("Địa chỉ: "+d.ApplicantAddress, 0)
	}
	contact := []string{}
	if d.ApplicantPhone != "" {
		contact = append(contact, "Số điện thoại: "+d.ApplicantPhone)
	}
	if d.ApplicantEmail != "" {
		contact = append(contact, "Email: "+d.ApplicantEmail)
	}
	if len(contact) > 0 {
		doc.para(strings.Join(contact, "    "), 0)
	}
}

// qrBlock puts the tracking QR code at the right margin from the current
// line down, with a caption, and returns where it ends.
func (s *Service) qrBlock(doc *doc, d *ent.Dossier) (float64, error) {
	const size = 30.0
	x := doc.width - doc.right - size
	if err := doc.qr(s.trackingURL(d.Code), x, doc.y-2, size); err != nil {
		return 0, err
	}
	y := doc.y
	doc.y += size - 2
	doc.font("I", 9)
	doc.at(x-5, size+10, "Quét mã để tra cứu", gopdf.Center)
	doc.y = y
	doc.font("", 13)
	return y + size + 2, nil
}

// receipt is the receipt and appointment slip (Mẫu số 01).
func (s *Service) receipt(d *ent.Dossier, now time.Time) ([]byte, error) {
	doc, err := newDoc(false, titles["RECEIPT"]+" "+d.Code)
	if err != nil {
		return nil, err
	}
	agency, unit := deskUnit(d)
	doc.header(agency, unit, number(d, "TNHS"), s.cfg.Place, *d.ReceivedAt)
	below, err := s.qrBlock(doc, d)
	if err != nil {
		return nil, err
	}
	doc.title("GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ")
	doc.font("B", 13)
	doc.center("Mã hồ sơ: " + d.Code)
	doc.y = max(doc.y, below)
	doc.font("I", 11)
	doc.center("Tra cứu tình trạng hồ sơ: " + s.trackingURL(d.Code))
	doc.font("", 13)
	doc.gap(3)
	doc.para(unit+" – "+agency+" tiếp nhận hồ sơ của:", 10)
	s.applicant(doc, d)
	doc.para("Nội dung yêu cầu giải quyết: "+d.Edges.Procedure.Name+" (mã thủ tục "+d.Edges.Procedure.Code+").", 0)
	doc.para("1. Thành phần hồ sơ nộp gồm:", 0)
	rows := make([][]string, len(d.Components))
	for i, c := range d.Components {
		kind := "Bản giấy"
		if c.Digitized {
			kind = "Bản điện tử"
		}
		rows[i] = []string{strconv.Itoa(i + 1), c.Name, kind, "01"}
	}
	doc.table([]column{{"STT", 12, gopdf.Center}, {"Tên giấy tờ", 103, gopdf.Left}, {"Hình thức", 30, gopdf.Center}, {"Số lượng", 20, gopdf.Center}}, rows, 11)
	doc.gap(2)
	doc.para("2. Số lượng hồ sơ: 01 (bộ).", 0)
	doc.para("3. Thời gian giải quyết hồ sơ theo quy định: "+limit(d)+".", 0)
	doc.para("4. Thời gian nhận hồ sơ: "+s.clock(*d.ReceivedAt)+".", 0)
	doc.para("5. Thời gian trả kết quả giải quyết hồ sơ: "+s.clock(*d.OriginalAppointmentAt)+".", 0)
	doc.para("6. Đăng ký nhận kết quả tại: "+unit+" – "+agency+".", 0)
	doc.para("Vào Sổ theo dõi hồ sơ, số thứ tự "+strings.TrimSuffix(number(d, ""), "/")+".", 0)
	receiver := ""
	if e := lastEvent(d, schematype.EventReceive); e != nil {
		receiver = actorName(e)
	}
	doc.signatures(
		signature{"NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", d.ApplicantName},
		signature{"NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", receiver},
	)
	return doc.finish()
}

// supplementRequest is the request to supplement or complete the dossier
// (Mẫu số 02), for the latest request.
func (s *Service) supplementRequest(d *ent.Dossier, now time.Time) ([]byte, error) {
	e := lastEvent(d, schematype.EventRequestSupplement)
	doc, err := newDoc(false, titles["SUPPLEMENT_REQUEST"]+" "+d.Code)
	if err != nil {
		return nil, err
	}
	agency, unit := deskUnit(d)
	doc.header(agency, unit, number(d, "BSHS"), s.cfg.Place, e.At)
	doc.title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
	doc.para("Mã hồ sơ: "+d.Code, 0)
	doc.para("Hồ sơ của:", 0)
	s.applicant(doc, d)
	doc.para("Nội dung yêu cầu giải quyết: "+d.Edges.Procedure.Name+".", 0)
	by := agency
	if e.Edges.Agency != nil {
		by = e.Edges.Agency.Name
	}
	doc.para(fmt.Sprintf("Ngày %s, %s đã tiếp nhận hồ sơ của ông/bà. Sau khi xem xét, hồ sơ của ông/bà chưa đủ điều kiện để giải quyết. Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
		s.date(*d.ReceivedAt), by), 10)
	for i, item := range eventItems(e) {
		doc.para(fmt.Sprintf("%d. %s", i+1, item), 10)
	}
	doc.para("Lý do: "+e.Reason, 10)
	doc.para("Thời gian giải quyết hồ sơ được tính lại (hoặc tiếp tục) kể từ khi nhận đủ hồ sơ bổ sung. Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ "+
		actorName(e)+" – "+by+" để được hướng dẫn.", 10)
	doc.signatures(signature{"NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", actorName(e)})
	return doc.finish()
}

// eventItems are the items a supplementation request asked for.
func eventItems(e *ent.DossierEvent) []string {
	var out []string
	switch v := e.Data["items"].(type) {
	case []string:
		out = v
	case []any:
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
	}
	for i := range out {
		out[i] = printable(out[i])
	}
	return out
}

// refusal is the refusal to receive or settle the dossier (Mẫu số 03).
func (s *Service) refusal(d *ent.Dossier, now time.Time) ([]byte, error) {
	e := lastEvent(d, schematype.EventRefuse)
	doc, err := newDoc(false, titles["REFUSAL"]+" "+d.Code)
	if err != nil {
		return nil, err
	}
	agency, unit := deskUnit(d)
	at := now
	if e != nil {
		at = e.At
	}
	doc.header(agency, unit, number(d, "TCHS"), s.cfg.Place, at)
	doc.title("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
	doc.para("Mã hồ sơ: "+d.Code, 0)
	doc.para(unit+" – "+agency+" tiếp nhận hồ sơ đề nghị "+d.Edges.Procedure.Name+" của:", 10)
	s.applicant(doc, d)
	reason, by := "", ""
	if e != nil {
		reason, by = e.Reason, actorName(e)
	}
	doc.para("Qua xem xét, cơ quan, đơn vị không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:", 10)
	doc.para(reason, 10)
	doc.para("Xin thông báo để ông/bà được biết và thực hiện.", 10)
	doc.signatures(signature{"NGƯỜI TỪ CHỐI", "(Ký và ghi rõ họ tên)", by})
	return doc.finish()
}

// apology is the apology with a new appointment (Mẫu số 04), signed by
// the head who made it.
func (s *Service) apology(d *ent.Dossier, now time.Time) ([]byte, error) {
	e := lastEvent(d, schematype.EventApologize)
	doc, err := newDoc(false, titles["APOLOGY"]+" "+d.Code)
	if err != nil {
		return nil, err
	}
	agency := d.Edges.DeskAgency.Name
	if e.Edges.Agency != nil {
		agency = e.Edges.Agency.Name
	}
	doc.header(agency, "", number(d, "XL"), s.cfg.Place, e.At)
	below, err := s.qrBlock(doc, d)
	if err != nil {
		return nil, err
	}
	doc.y = below
	doc.title("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
	doc.para("Kính gửi: ông/bà "+d.ApplicantName, 10)
	doc.para("Mã hồ sơ: "+d.Code, 10)
	previous, next := *d.OriginalAppointmentAt, *d.AppointmentAt
	if t, err := time.Parse(time.RFC3339, fmt.Sprint(e.Data["previousAppointmentAt"])); err == nil {
		previous = t
	}
	if t, err := time.Parse(time.RFC3339, fmt.Sprint(e.Data["newAppointmentAt"])); err == nil {
		next = t
	}
	doc.para(fmt.Sprintf("Ngày %s, %s tiếp nhận giải quyết hồ sơ đề nghị %s của ông/bà, hẹn trả kết quả vào %s.",
		s.date(*d.ReceivedAt), d.Edges.DeskAgency.Name, d.Edges.Procedure.Name, s.clock(previous)), 10)
	doc.para("Tuy nhiên, đến nay cơ quan chưa trả kết quả giải quyết hồ sơ cho ông/bà đúng hẹn như ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do: "+e.Reason+".", 10)
	doc.para("Sự chậm trễ này đã gây phiền hà cho ông/bà. "+agency+" xin lỗi ông/bà và sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào "+s.clock(next)+".", 10)
	doc.para("Xin trân trọng cảm ơn sự hợp tác của ông/bà.", 10)
	doc.font("I", 11)
	doc.para("Tra cứu tình trạng hồ sơ: "+s.trackingURL(d.Code), 0)
	doc.font("", 13)
	doc.signatures(signature{"THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", actorName(e)})
	return doc.finish()
}

// handOver is one row of the process control slip.
type handOver struct {
	from, to  string
	at        time.Time
	due       *time.Time
	judgement string
	note      string
}

// handOvers are the dossier's hand-overs in time order: each leg's start
// (who handed it over, who received it), each coordination's reply, and
// the result's return to the desk, with the judgement of the turn that
// ended there.
func handOvers(d *ent.Dossier) []handOver {
	var out []handOver
	legs := d.Edges.Legs
	name := func(l *ent.Leg) string {
		if l.Role == leg.RoleDesk {
			return l.Edges.Agency.Name + " (Bộ phận Một cửa)"
		}
		return l.Edges.Agency.Name
	}
	holder := func(before *ent.Leg) string {
		// The agency whose turn ended when this one began, or the lead
		// that asked for a coordination.
		giver := "Người nộp hồ sơ"
		for _, l := range legs {
			if l == before {
				break
			}
			if l.Role != leg.RoleCoordinate && (l.FinishedAt == nil || !l.FinishedAt.After(before.StartedAt)) {
				giver = name(l)
			}
		}
		return giver
	}
	for _, l := range legs {
		prev := holder(l)
		h := handOver{from: prev, to: name(l), at: l.StartedAt, note: roleNote(l.Role)}
		// The turn that ended with this hand-over: the giver's.
		for _, g := range legs {
			if name(g) == prev && g.FinishedAt != nil && g.FinishedAt.Equal(l.StartedAt) && g.Role != leg.RoleCoordinate {
				h.judgement = string(g.Judgement)
				due := g.DueAt
				h.due = &due
			}
		}
		out = append(out, h)
		if l.Role == leg.RoleCoordinate && l.FinishedAt != nil {
			due := l.DueAt
			out = append(out, handOver{from: name(l), to: leadName(d), at: *l.FinishedAt, due: &due, judgement: string(l.Judgement), note: "Trả ý kiến phối hợp"})
		}
	}
	if d.FinishedAt != nil && d.Judgement != nil {
		last := ""
		var lastLeg *ent.Leg
		for _, l := range legs {
			if l.Role != leg.RoleCoordinate && l.FinishedAt != nil && !l.FinishedAt.After(*d.FinishedAt) {
				last, lastLeg = name(l), l
			}
		}
		h := handOver{from: last, to: d.Edges.DeskAgency.Name + " (Bộ phận Một cửa)", at: *d.FinishedAt, judgement: string(*d.Judgement), note: "Trả kết quả"}
		if lastLeg != nil {
			due := lastLeg.DueAt
			h.due = &due
			h.judgement = string(lastLeg.Judgement)
		}
		out = append(out, h)
	}
	return out
}

func leadName(d *ent.Dossier) string {
	if d.Edges.LeadAgency != nil {
		return d.Edges.LeadAgency.Name
	}
	return d.Edges.DeskAgency.Name
}

func roleNote(r leg.Role) string {
	switch r {
	case leg.RoleDesk:
		return "Tiếp nhận hồ sơ"
	case leg.RoleLead:
		return "Chủ trì giải quyết"
	case leg.RoleCoordinate:
		return "Phối hợp giải quyết"
	}
	return ""
}

// controlSlip is the process control slip (Mẫu số 05): one row per
// hand-over with both agencies, hour:minute and date, and whether the turn
// that ended there was early, on time or late.
func (s *Service) controlSlip(d *ent.Dossier, now time.Time) ([]byte, error) {
	doc, err := newDoc(false, titles["CONTROL_SLIP"]+" "+d.Code)
	if err != nil {
		return nil, err
	}
	agency, unit := deskUnit(d)
	doc.header(agency, unit, number(d, "KSHS"), s.cfg.Place, now)
	doc.title("PHIẾU KIỂM SOÁT QUÁ TRÌNH", "GIẢI QUYẾT HỒ SƠ")
	doc.para("Mã hồ sơ: "+d.Code, 0)
	doc.para("Kèm theo hồ sơ của: "+d.ApplicantName, 0)
	doc.para("Nội dung yêu cầu giải quyết: "+d.Edges.Procedure.Name, 0)
	doc.para("Ngày nhận: "+s.clock(*d.ReceivedAt)+"; hẹn trả kết quả: "+s.clock(*d.OriginalAppointmentAt), 0)
	doc.para("Cơ quan chủ trì giải quyết: "+leadName(d), 0)
	var coord []string
	for _, l := range d.Edges.Legs {
		if l.Role == leg.RoleCoordinate && !slices.Contains(coord, l.Edges.Agency.Name) {
			coord = append(coord, l.Edges.Agency.Name)
		}
	}
	if len(coord) > 0 {
		doc.para("Cơ quan phối hợp giải quyết: "+strings.Join(coord, "; "), 0)
	}
	doc.gap(2)
	var rows [][]string
	for i, h := range handOvers(d) {
		due := ""
		if h.due != nil {
			due = s.stamp(*h.due)
		}
		j := ""
		if h.judgement != "" && h.judgement != string(leg.JudgementPending) {
			j = judgement(h.judgement)
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), "Giao: " + h.from + "\nNhận: " + h.to, s.stamp(h.at), due, j, h.note})
	}
	doc.table([]column{
		{"STT", 10, gopdf.Center}, {"Cơ quan giao, nhận hồ sơ", 58, gopdf.Left}, {"Thời gian giao, nhận", 27, gopdf.Center},
		{"Hạn của lượt giao", 27, gopdf.Center}, {"Kết quả giải quyết", 22, gopdf.Center}, {"Ghi chú", 21, gopdf.Left},
	}, rows, 10)
	doc.gap(2)
	doc.font("I", 11)
	doc.para("Kết quả giải quyết là của lượt kết thúc bằng lần giao đó: trước hạn, đúng hạn hoặc quá hạn so với hạn của lượt.", 0)
	doc.font("", 13)
	return doc.finish()
}
