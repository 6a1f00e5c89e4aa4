package forms

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Liberation Serif (SIL Open Font Licence 1.1, see fonts/LICENSE): metric
// compatible with Times New Roman, the face of administrative documents
// (Decree 30/2020), with every Vietnamese letter.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	fontBold []byte
	//go:embed fonts/LiberationSerif-Italic.ttf
	fontItalic []byte
)

const family = "serif"

// doc lays out an A4 administrative document in millimetres, top to
// bottom, breaking pages as it goes.
type doc struct {
	pdf                      *gopdf.GoPdf
	width, height            float64
	left, right, top, bottom float64
	y                        float64
	size                     float64 // current font size in points
	onNewPage                func()  // redraws a table's header after a page break
}

func newDoc(landscape bool, title string) (*doc, error) {
	pdf := &gopdf.GoPdf{}
	size := *gopdf.PageSizeA4
	if landscape {
		size = *gopdf.PageSizeA4Landscape
	}
	pdf.Start(gopdf.Config{PageSize: size, Unit: gopdf.UnitMM})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "lienthong", Producer: "lienthong", CreationDate: time.Now()})
	for _, f := range []struct {
		data  []byte
		style int
	}{{fontRegular, gopdf.Regular}, {fontBold, gopdf.Bold}, {fontItalic, gopdf.Italic}} {
		opt := gopdf.TtfOption{Style: f.style, OnGlyphNotFoundSubstitute: func(rune) rune { return missingGlyph }}
		if err := pdf.AddTTFFontDataWithOption(family, f.data, opt); err != nil {
			return nil, fmt.Errorf("forms: font: %w", err)
		}
	}
	// Margins of Decree 30/2020 documents: 20–25 mm top and bottom, 30–35
	// left, 15–20 right.
	d := &doc{pdf: pdf, width: 210, height: 297, left: 30, right: 15, top: 20, bottom: 20}
	if landscape {
		d.width, d.height = 297, 210
		d.left, d.right, d.top, d.bottom = 15, 15, 15, 18
	}
	pdf.AddPage()
	// gopdf's font subset follows a composite glyph one level down only,
	// and a font may build letters such as ộ or ắ from composites of
	// composites: measuring (not drawing) every Vietnamese letter and mark
	// puts all their parts in the subset.
	for _, style := range []string{"", "B", "I"} {
		d.font(style, 12)
		if _, err := pdf.MeasureTextWidth(vietnamese + strings.ToUpper(vietnamese) + combiningMarks); err != nil {
			return nil, fmt.Errorf("forms: font: %w", err)
		}
	}
	d.y = d.top
	d.font("", 13)
	return d, nil
}

// The Vietnamese letters with diacritics, and the combining marks.
const (
	vietnamese     = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
	combiningMarks = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"
)

// font sets the style ("", "B" or "I") and size in points.
func (d *doc) font(style string, size float64) {
	_ = d.pdf.SetFont(family, style, size) // registered in newDoc
	d.size = size
}

// line is the height of a line of the current font, in mm.
func (d *doc) line() float64 { return d.size * 0.3528 * 1.35 }

// need starts a new page unless h mm fit below.
func (d *doc) need(h float64) {
	if d.y+h <= d.height-d.bottom {
		return
	}
	d.pdf.AddPage()
	d.y = d.top
	if d.onNewPage != nil {
		d.onNewPage()
	}
}

// at writes one line of text in [x, x+w) at the current y, aligned
// gopdf.Left, Center or Right, without moving down.
func (d *doc) at(x, w float64, s string, align int) {
	d.pdf.SetXY(x, d.y)
	_ = d.pdf.CellWithOption(&gopdf.Rect{W: w, H: d.line()}, s, gopdf.CellOption{Align: align | gopdf.Top})
}

// center writes a centred line across the text width and moves down.
func (d *doc) center(s string) {
	d.need(d.line())
	d.at(d.left, d.textWidth(), s, gopdf.Center)
	d.y += d.line()
}

func (d *doc) textWidth() float64 { return d.width - d.left - d.right }

// wrap splits s to lines no wider than w mm in the current font.
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if strings.TrimSpace(p) == "" {
			out = append(out, "")
			continue
		}
		lines, err := d.pdf.SplitTextWithWordWrap(p, w)
		if err != nil {
			lines = []string{p}
		}
		out = append(out, lines...)
	}
	return out
}

// para writes a wrapped paragraph, the first line indented by indent mm.
func (d *doc) para(s string, indent float64) {
	w := d.textWidth()
	first := d.wrap(s, w-indent)
	if len(first) == 0 {
		return
	}
	// The first line is indented; the rest use the full width.
	var rest []string
	if len(first) > 1 {
		rest = d.wrap(strings.Join(first[1:], " "), w)
	}
	d.need(d.line())
	d.at(d.left+indent, w-indent, first[0], gopdf.Left)
	d.y += d.line()
	for _, l := range rest {
		d.need(d.line())
		d.at(d.left, w, l, gopdf.Left)
		d.y += d.line()
	}
}

// gap moves down by mm.
func (d *doc) gap(mm float64) { d.y += mm }

// header draws the national motto on the right and the issuing agency on
// the left, with the document number and the place and date.
func (d *doc) header(agency, unit, number, place string, date time.Time) {
	leftW, rightW := 75.0, d.textWidth()-75
	lx := max(d.left-10, 12)
	rx := lx + leftW
	d.font("", 12)
	d.at(lx, leftW, strings.ToUpper(agency), gopdf.Center)
	d.font("B", 12)
	d.at(rx, rightW+10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", gopdf.Center)
	d.y += d.line()
	d.at(lx, leftW, strings.ToUpper(unit), gopdf.Center)
	d.font("B", 13)
	motto := "Độc lập - Tự do - Hạnh phúc"
	d.at(rx, rightW+10, motto, gopdf.Center)
	d.y += d.line()
	if w, err := d.pdf.MeasureTextWidth(motto); err == nil {
		mid := rx + (rightW+10)/2
		d.pdf.SetLineWidth(0.3)
		d.pdf.Line(mid-w/2, d.y, mid+w/2, d.y)
	}
	d.pdf.Line(lx+leftW/2-15, d.y, lx+leftW/2+15, d.y)
	d.y += 4
	d.font("", 13)
	if number != "" {
		d.at(lx, leftW, "Số: "+number, gopdf.Center)
	}
	d.font("I", 13)
	d.at(rx, rightW+10, fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, date.Day(), int(date.Month()), date.Year()), gopdf.Center)
	d.y += d.line() + 6
	d.font("", 13)
}

// title writes the document's title in bold capitals, centred.
func (d *doc) title(lines ...string) {
	d.font("B", 14)
	for _, l := range lines {
		d.center(l)
	}
	d.gap(3)
	d.font("", 13)
}

// signature is one block at the foot: a role in bold capitals, a hint in
// italics and, below the space to sign, the signer's name.
type signature struct {
	role, hint, name string
}

// signatures lays blocks out side by side across the text width.
func (d *doc) signatures(blocks ...signature) {
	d.gap(6)
	d.need(45)
	w := d.textWidth() / float64(len(blocks))
	d.font("B", 13)
	for i, b := range blocks {
		d.at(d.left+float64(i)*w, w, b.role, gopdf.Center)
	}
	d.y += d.line()
	d.font("I", 12)
	for i, b := range blocks {
		d.at(d.left+float64(i)*w, w, b.hint, gopdf.Center)
	}
	d.y += 25
	d.font("B", 13)
	for i, b := range blocks {
		d.at(d.left+float64(i)*w, w, b.name, gopdf.Center)
	}
	d.y += d.line()
	d.font("", 13)
}

// column of a table: heading, width in mm, alignment.
type column struct {
	heading string
	width   float64
	align   int
}

// table draws rows with borders, wrapping each cell, repeating the
// heading row on every new page.
func (d *doc) table(cols []column, rows [][]string, size float64) {
	t := d.startTable(cols, size)
	for _, r := range rows {
		t.row(r)
	}
	t.end()
}

// rowWriter draws a table a row at a time (its heading again on every
// new page), so that a long table need not be held whole: the tracking
// book writes its rows as it reads them.
type rowWriter struct {
	d    *doc
	cols []column
	size float64
}

// startTable draws a table's heading and returns the writer of its rows.
func (d *doc) startTable(cols []column, size float64) *rowWriter {
	t := &rowWriter{d: d, cols: cols, size: size}
	heading := make([]string, len(cols))
	for i, c := range cols {
		heading[i] = c.heading
	}
	d.onNewPage = func() { t.draw(heading, "B") }
	t.draw(heading, "B")
	return t
}

func (t *rowWriter) row(cells []string) { t.draw(cells, "") }

// end closes the table.
func (t *rowWriter) end() {
	t.d.onNewPage = nil
	t.d.font("", 13)
}

func (t *rowWriter) draw(cells []string, style string) {
	d, cols, pad := t.d, t.cols, 1.2
	d.font(style, t.size)
	lines := make([][]string, len(cols))
	h := 0.0
	for i, c := range cols {
		lines[i] = d.wrap(cells[i], c.width-2*pad)
		h = max(h, float64(len(lines[i]))*d.line()+2*pad)
	}
	d.need(h)
	x := d.left
	for i, c := range cols {
		d.pdf.SetLineWidth(0.2)
		d.pdf.RectFromUpperLeftWithStyle(x, d.y, c.width, h, "D")
		for k, l := range lines[i] {
			d.pdf.SetXY(x+pad, d.y+pad+float64(k)*d.line())
			align := c.align
			if style == "B" {
				align = gopdf.Center
			}
			_ = d.pdf.CellWithOption(&gopdf.Rect{W: c.width - 2*pad, H: d.line()}, l, gopdf.CellOption{Align: align | gopdf.Top})
		}
		x += c.width
	}
	d.y += h
}

// qr draws a QR code of content, size mm wide, at (x, y).
func (d *doc) qr(content string, x, y, size float64) error {
	png, err := qrcode.Encode(content, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("forms: qr: %w", err)
	}
	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return fmt.Errorf("forms: qr: %w", err)
	}
	return d.pdf.ImageByHolder(img, x, y, &gopdf.Rect{W: size, H: size})
}

// finish numbers the pages ("Trang 1/3") when there is more than one and
// returns the document.
func (d *doc) finish() ([]byte, error) {
	n := d.pdf.GetNumberOfPages()
	if n > 1 {
		for i := 1; i <= n; i++ {
			if err := d.pdf.SetPage(i); err != nil {
				return nil, err
			}
			d.font("I", 10)
			d.y = d.height - d.bottom + 6
			d.at(d.left, d.textWidth(), fmt.Sprintf("Trang %d/%d", i, n), gopdf.Right)
		}
	}
	var b bytes.Buffer
	if _, err := d.pdf.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("forms: write: %w", err)
	}
	return b.Bytes(), nil
}
