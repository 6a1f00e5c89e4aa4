package forms_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"lienthong/auth"
	"lienthong/ent/agency"
	"lienthong/ent/dossier"
	"lienthong/forms"
	"lienthong/server/servertest"
)

// pdfText extracts the text of every page of a PDF with pdfium, in the
// order the form draws it, with runs of spaces and line breaks collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	p := pdfiumInstance(t)
	doc := openPDF(t, p, pdf)
	n, err := p.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		t.Fatalf("pdfium: %v", err)
	}
	var text []string
	for i := range n.PageCount {
		page, err := p.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}})
		if err != nil {
			t.Fatalf("pdfium: page %d: %v", i+1, err)
		}
		text = append(text, strings.Fields(page.Text)...)
	}
	return strings.Join(text, " ")
}

// renderPage renders page 1 of a PDF at 150 dpi with pdfium; with
// FORMS_RENDER_DIR set it also keeps the image there as PNG (docs/forms).
func renderPage(t *testing.T, pdf []byte, name string) image.Image {
	t.Helper()
	p := pdfiumInstance(t)
	doc := openPDF(t, p, pdf)
	r, err := p.RenderPageInDPI(&requests.RenderPageInDPI{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc}}, DPI: 150})
	if err != nil {
		t.Fatalf("pdfium: render: %v", err)
	}
	// The pixels live in pdfium's memory until Cleanup: copy them out.
	img := image.NewRGBA(r.Result.RenderedImage.Bounds())
	draw.Draw(img, img.Rect, r.Result.RenderedImage, img.Rect.Min, draw.Src)
	r.Cleanup()
	if keep := os.Getenv("FORMS_RENDER_DIR"); keep != "" {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(keep, name+".png"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// openPDF opens a PDF in pdfium until the test ends.
func openPDF(t *testing.T, p pdfium.Pdfium, pdf []byte) references.FPDF_DOCUMENT {
	t.Helper()
	d, err := p.OpenDocument(&requests.OpenDocument{File: &pdf})
	if err != nil {
		t.Fatalf("pdfium: open: %v", err)
	}
	t.Cleanup(func() {
		if _, err := p.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d.Document}); err != nil {
			t.Errorf("pdfium: close: %v", err)
		}
	})
	return d.Document
}

// decodeQR reads the QR code on an image.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code found: %v", err)
	}
	return res.GetText()
}

func wantText(t *testing.T, form, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", form, w, text)
		}
	}
}

// TestForms prints every form of a land dossier that went late at the tax
// office, was supplemented and apologized for, and of a refused one, and
// reads them back as a desk officer would check them.
func TestForms(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		loc := servertest.Now.Location()
		desk, spec, head := e.As("desk.giolinh"), e.As("cv.giolinh"), e.As("ld.giolinh")
		env := e.Token("cv.moitruong", "000.00.17.H43", "SPECIALIST")
		tax := e.Token("cv.thue", "000.00.40.H43", "SPECIALIST")
		e.Clock.Set(time.Date(2026, 11, 16, 8, 5, 0, 0, loc))
		in := servertest.LandInput("Lê Văn Đất")
		in["applicant"].(map[string]any)["phone"] = "0912345678"
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": in})
		id, code := servertest.Str(d, "receiveDossier", "id"), servertest.Str(d, "receiveDossier", "code")
		e.FireAt(desk, servertest.Forward, id, time.Date(2026, 11, 16, 10, 0, 0, 0, loc))
		e.Clock.Set(time.Date(2026, 11, 17, 9, 15, 0, 0, loc))
		e.MustDo(spec, `mutation($id: ID!) { requestSupplement(id: $id, reason: "Mảnh trích đo chưa có xác nhận", items: ["Mảnh trích đo địa chính có xác nhận của UBND xã", "Bản sao CCCD"]) { state } }`, map[string]any{"id": id})
		e.FireAt(desk, servertest.Supply, id, time.Date(2026, 11, 18, 8, 0, 0, 0, loc))
		e.FireAt(spec, servertest.Transfer, id, time.Date(2026, 11, 20, 10, 0, 0, 0, loc))
		e.FireAt(env, servertest.Transfer, id, time.Date(2026, 11, 24, 10, 0, 0, 0, loc))
		e.FireAt(tax, servertest.Transfer, id, time.Date(2026, 12, 3, 9, 0, 0, 0, loc))
		e.FireAt(env, servertest.Return, id, time.Date(2026, 12, 4, 9, 0, 0, 0, loc))

		// The forms that apply, as the front-end lists them.
		fl := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { forms { form title url } } }`, map[string]any{"c": code})
		var urls []string
		for _, f := range servertest.Get(fl, "dossierByCode", "forms").([]any) {
			urls = append(urls, servertest.Str(f, "url"))
		}
		if want := "/dossiers/" + code + "/forms/control-slip.pdf"; len(urls) != 3 || urls[0] != "/dossiers/"+code+"/forms/receipt.pdf" || urls[2] != want {
			t.Errorf("forms = %v, want receipt, supplement request and control slip", urls)
		}

		// Receipt and appointment slip.
		pdf, status := e.GetPDF(desk, "/dossiers/"+code+"/forms/receipt.pdf")
		if status != http.StatusOK {
			t.Fatalf("receipt: %d %s", status, pdf)
		}
		text := pdfText(t, pdf)
		wantText(t, "receipt", text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY TIẾP NHẬN HỒ SƠ",
			"VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: "+code, "Họ và tên: Lê Văn Đất", "Số điện thoại: 0912345678",
			"Mảnh trích đo địa chính", "Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 16/11/2026",
			"Quảng Trị, ngày 16 tháng 11 năm 2026", "NGƯỜI TIẾP NHẬN HỒ SƠ")
		if q := decodeQR(t, renderPage(t, pdf, "receipt")); q != servertest.TrackingURL+"?code="+code {
			t.Errorf("receipt QR = %q, want the tracking address with the code", q)
		}

		// Supplementation request: the items and the reason.
		pdf, _ = e.GetPDF(spec, "/dossiers/"+code+"/forms/supplement-request.pdf")
		text = pdfText(t, pdf)
		wantText(t, "supplement request", text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", code, "1. Mảnh trích đo địa chính có xác nhận của UBND xã",
			"2. Bản sao CCCD", "Lý do: Mảnh trích đo chưa có xác nhận", "Ngày 16/11/2026")
		renderPage(t, pdf, "supplement-request")

		// Process control slip: each hand-over, its time, its judgement;
		// the tax office's turn was late.
		pdf, _ = e.GetPDF(desk, "/dossiers/"+code+"/forms/control-slip.pdf")
		text = pdfText(t, pdf)
		wantText(t, "control slip", text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH", "GIẢI QUYẾT HỒ SƠ", "Giao: Người nộp hồ sơ",
			"10:00 16/11/2026", "10:00 24/11/2026", "09:00 03/12/2026", "Trả kết quả", "Quá hạn", "Trước hạn",
			"Nhận: Thuế tỉnh Quảng Trị", "Giao: Thuế tỉnh Quảng Trị")
		renderPage(t, pdf, "control-slip")
		if strings.Count(text, "Quá hạn") < 1 || strings.Index(text, "Giao: Thuế tỉnh Quảng Trị") > strings.LastIndex(text, "Quá hạn") {
			t.Errorf("the tax office's hand-over is not judged late:\n%s", text)
		}

		// An apology for a marriage registration running late, signed by
		// the head, with both dates and a QR code.
		e.Clock.Set(time.Date(2026, 11, 16, 8, 30, 0, 0, loc))
		m := e.MustDo(desk, servertest.Receive, map[string]any{"in": map[string]any{
			"procedureCode": "1.001193", "channel": "DIRECT",
			"applicant":  map[string]any{"name": "Nguyễn Thị Hoa", "idNumber": "045201000321"},
			"components": []map[string]any{{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}},
		}})
		mid, mcode := servertest.Str(m, "receiveDossier", "id"), servertest.Str(m, "receiveDossier", "code")
		e.FireAt(desk, servertest.Forward, mid, time.Date(2026, 11, 16, 9, 0, 0, 0, loc))
		e.Clock.Set(time.Date(2026, 11, 17, 9, 0, 0, 0, loc))
		e.MustDo(head, `mutation($id: ID!) { apologizeDossier(id: $id, reason: "Chờ xác minh thông tin khai sinh", newAppointmentAt: "2026-11-19T15:00:00+07:00") { state } }`, map[string]any{"id": mid})
		pdf, status = e.GetPDF(desk, "/dossiers/"+mcode+"/forms/apology.pdf")
		if status != http.StatusOK {
			t.Fatalf("apology: %d %s", status, pdf)
		}
		text = pdfText(t, pdf)
		wantText(t, "apology", text, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Kính gửi: ông/bà Nguyễn Thị Hoa", mcode,
			"Lý do: Chờ xác minh thông tin khai sinh", "15 giờ 00 phút, ngày 19/11/2026", "Ngày 16/11/2026", "08 giờ 30 phút, ngày 17/11/2026", "THỦ TRƯỞNG CƠ QUAN")
		if q := decodeQR(t, renderPage(t, pdf, "apology")); !strings.HasSuffix(q, "?code="+mcode) {
			t.Errorf("apology QR = %q", q)
		}

		// A refusal, with its reason.
		r := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Phan Văn Từ")})
		rcode := servertest.Str(r, "receiveDossier", "code")
		if _, status := e.GetPDF(desk, "/dossiers/"+rcode+"/forms/refusal.pdf"); status != http.StatusNotFound {
			t.Errorf("refusal of a dossier not refused: %d, want 404", status)
		}
		e.MustDo(desk, servertest.Refuse, map[string]any{"id": servertest.Str(r, "receiveDossier", "id")})
		pdf, _ = e.GetPDF(desk, "/dossiers/"+rcode+"/forms/refusal.pdf")
		wantText(t, "refusal", pdfText(t, pdf), "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", rcode, "Không thuộc thẩm quyền", "Phan Văn Từ")
		renderPage(t, pdf, "refusal")

		// Scope: another commune's desk cannot print them; no token, no form.
		if _, status := e.GetPDF(e.As("desk.dongha"), "/dossiers/"+code+"/forms/receipt.pdf"); status != http.StatusNotFound {
			t.Errorf("another commune's receipt: %d, want 404", status)
		}
		if _, status := e.GetPDF("", "/dossiers/"+code+"/forms/receipt.pdf"); status != http.StatusUnauthorized {
			t.Errorf("without a token: %d, want 401", status)
		}

		// The tracking book of commune A for November, and its scope.
		pdf, status = e.GetPDF(desk, "/agencies/000.20.01.H43/tracking-book.pdf?from=2026-11-01&to=2026-11-30")
		if status != http.StatusOK {
			t.Fatalf("tracking book: %d %s", status, pdf)
		}
		text = pdfText(t, pdf)
		wantText(t, "tracking book", text, "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/11/2026 đến ngày 30/11/2026", code, mcode, rcode, "Lê Văn Đất", "Từ chối", "16/11/2026")
		renderPage(t, pdf, "tracking-book")
		if _, status := e.GetPDF(e.As("desk.dongha"), "/agencies/000.20.01.H43/tracking-book.pdf?from=2026-11-01&to=2026-11-30"); status != http.StatusForbidden {
			t.Errorf("another commune's book: %d, want 403", status)
		}
		if _, status := e.GetPDF(desk, "/agencies/000.20.01.H43/tracking-book.pdf?from=2026-11-30&to=2026-11-01"); status != http.StatusBadRequest {
			t.Errorf("a backwards period: %d, want 400", status)
		}

		// The page the QR codes lead to asks trackDossier, without a token.
		page := httptest.NewRecorder()
		e.Handler.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/tra-cuu?code="+code, nil))
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "trackDossier(code: $c, idNumber: $n)") {
			t.Errorf("tracking page: %d", page.Code)
		}
		if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || page.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("the tracking page may be framed by another site: CSP %q", csp)
		}

		// What was printed, when and by whom.
		rec := e.MustDo(desk, `query($c: String!) { dossierByCode(code: $c) { formRecords { form generatedAt officer { name } } } }`, map[string]any{"c": code})
		recs := servertest.Get(rec, "dossierByCode", "formRecords").([]any)
		if len(recs) != 3 || servertest.Str(recs[0], "form") != "RECEIPT" || servertest.Str(recs[1], "form") != "SUPPLEMENT_REQUEST" || servertest.Str(recs[0], "officer", "name") == "" {
			t.Errorf("form records = %v, want receipt, supplement request and control slip with their officers", recs)
		}
	})
}

// The tracking book is read a page of dossiers at a time and lists each
// once, in order; books are rendered a few at a time per instance and one
// at a time per officer, the rest refused with 429 and Retry-After.
func TestTrackingBookPagesAndTurns(t *testing.T) {
	defer forms.SetBookPage(2)()
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		const book = "/agencies/000.20.01.H43/tracking-book.pdf?from=2026-10-01&to=2026-11-30"
		pdf, status := e.GetPDF(desk, book)
		if status != http.StatusOK {
			t.Fatalf("tracking book: %d %s", status, pdf)
		}
		n, err := e.App.DB.Client.Dossier.Query().Where(dossier.HasDeskAgencyWith(agency.Code("000.20.01.H43")), dossier.ReceivedAtNotNil()).Count(auth.SystemContext(t.Context()))
		if err != nil || n < 3 {
			t.Fatalf("dossiers received at commune A: %d, %v", n, err)
		}
		text := pdfText(t, pdf)
		wantText(t, "paged tracking book", text, fmt.Sprintf("Tổng số: %d hồ sơ.", n))

		viewer := func(sub string) context.Context {
			return auth.NewContext(t.Context(), &auth.Viewer{Subject: sub, Roles: []auth.Role{auth.RoleDeskOfficer}})
		}
		done, err := e.App.Forms.BookTurn(viewer("desk.giolinh"))
		if err != nil {
			t.Fatal(err)
		}
		if _, status := e.GetPDF(desk, book); status != http.StatusTooManyRequests {
			t.Errorf("a second book by the same officer while the first renders: %d, want 429", status)
		}
		other, err := e.App.Forms.BookTurn(viewer("ld.giolinh"))
		if err != nil {
			t.Fatalf("another officer's book: %v", err)
		}
		if _, err := e.App.Forms.BookTurn(viewer("analyst")); err == nil {
			t.Error("a third book at once on one instance was not refused")
		}
		req := httptest.NewRequest(http.MethodGet, book, nil)
		req.Header.Set("Authorization", "Bearer "+e.As("analyst"))
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Errorf("book beyond the instance's turns: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		done()
		other()
		if _, status := e.GetPDF(desk, book); status != http.StatusOK {
			t.Errorf("after the turns were given back: %d", status)
		}
	})
}

// pdfLines is the text of every page of a PDF, line by line as pdfium
// reads them, each with its runs of spaces collapsed.
func pdfLines(t *testing.T, pdf []byte) []string {
	t.Helper()
	p := pdfiumInstance(t)
	doc := openPDF(t, p, pdf)
	n, err := p.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		t.Fatalf("pdfium: %v", err)
	}
	var lines []string
	for i := range n.PageCount {
		page, err := p.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}})
		if err != nil {
			t.Fatalf("pdfium: page %d: %v", i+1, err)
		}
		for _, l := range strings.FieldsFunc(page.Text, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// TestFormsPrintWhatTheyCannotShow: a character the form's font lacks (a
// Chinese character, an emoji) prints as "?", not as a blank where it
// silently vanishes; a line break stored before the inputs' rules (an
// address with a line of its own) prints as a space within its line.
func TestFormsPrintWhatTheyCannotShow(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		desk := e.As("desk.giolinh")
		d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Trần 陳 Văn 😀 An")})
		id, code := servertest.Str(d, "receiveDossier", "id"), servertest.Str(d, "receiveDossier", "code")
		rid, err := strconv.Atoi(id)
		if err != nil {
			t.Fatal(err)
		}
		// As a row written before the rules could hold it.
		err = e.App.DB.Client.Dossier.UpdateOneID(rid).SetApplicantAddress("Gio Linh\nLệ phí: đã miễn\u202e").Exec(auth.SystemContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		pdf, status := e.GetPDF(desk, "/dossiers/"+code+"/forms/receipt.pdf")
		if status != http.StatusOK {
			t.Fatalf("receipt: %d %s", status, pdf)
		}
		lines := pdfLines(t, pdf)
		text := strings.Join(lines, "\n")
		wantText(t, "receipt", text, "Họ và tên: Trần ? Văn ? An", "Địa chỉ: Gio Linh Lệ phí: đã miễn?", "NGƯỜI NỘP HỒ SƠ")
		for _, l := range lines {
			if strings.HasPrefix(l, "Lệ phí") {
				t.Errorf("the stored address printed a line of its own: %q\n%s", l, text)
			}
		}
	})
}
