package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/problem"
)

// performanceColumns are the CSV columns in English and Vietnamese.
var performanceColumns = map[string][]string{
	"en": {"key", "name", "received", "finished", "early", "on time", "late", "refused / withdrawn / stopped",
		"in progress on time", "in progress overdue", "on-time rate (%)", "average processing (working days)",
		"2+ supplementation rounds", "2+ send-backs"},
	"vi": {"Mã", "Tên", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối / rút / dừng",
		"Đang giải quyết trong hạn", "Đang giải quyết quá hạn", "Tỷ lệ đúng hạn (%)", "Thời gian giải quyết trung bình (ngày làm việc)",
		"Bổ sung từ 2 lần", "Trả lại từ 2 lần"},
}

// Export answers GET /export/{name}.csv for the reports: performance,
// returned-dossiers, repeated-supplements and head-rating, with the figures
// of the GraphQL queries, behind the same authentication. Parameters:
// the period as from/to (RFC 3339) or year with quarter, half or month;
// groupBy, view, agencyID (repeatable), min, and lang (vi, the default, or
// en). The file is UTF-8 with a byte-order mark so that spreadsheet
// programs show Vietnamese; rows are written as they are read.
func (r *Reporter) Export(log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name, csvFile := strings.CutSuffix(req.PathValue("name"), ".csv")
		x, ok := r.exports()[name]
		if !ok || !csvFile {
			problem.Write(w, log, problem.NotFound("no export %s", name))
			return
		}
		q := req.URL.Query()
		lang := q.Get("lang")
		if lang == "" {
			lang = "vi"
		}
		header, ok := x.columns[lang]
		if !ok {
			problem.Write(w, log, problem.BadInput("lang", "lang is vi or en"))
			return
		}
		var cw *csv.Writer
		start := func() {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
			_, _ = w.Write([]byte("\uFEFF"))
			cw = csv.NewWriter(w)
			_ = cw.Write(header) // a failed write shows in the next one's error
		}
		emit := func(record []string) error {
			if cw == nil {
				start()
			}
			for i, c := range record {
				record[i] = Cell(c)
			}
			return cw.Write(record)
		}
		err := x.write(req.Context(), q, emit)
		switch {
		case err != nil && cw == nil:
			problem.Write(w, log, err)
			return
		case err != nil:
			log.WarnContext(req.Context(), "export interrupted", "export", name, "err", err)
		case cw == nil:
			start() // no rows: the header alone
		}
		cw.Flush()
	})
}

// Cell is a text cell as a spreadsheet may show it without running it: one
// that starts like a formula (=, +, -, @, a tab or a carriage return) gets
// a leading apostrophe, which spreadsheets take as "text" (OWASP's CSV
// injection advice); numbers, negative ones included, stay numbers. Every
// CSV (and Excel) export writes its cells through it.
func Cell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// export is one CSV export: its columns per language and how it writes
// its records (nothing before the request is known good).
type export struct {
	columns map[string][]string
	write   func(ctx context.Context, q url.Values, emit func([]string) error) error
}

func (r *Reporter) exports() map[string]export {
	return map[string]export{
		"performance": {performanceColumns, func(ctx context.Context, q url.Values, emit func([]string) error) error {
			in, err := performanceParams(q)
			if err != nil {
				return err
			}
			rep, err := r.Performance(ctx, in)
			if err != nil {
				return err
			}
			for _, row := range append(rep.Rows, rep.Total) {
				if err := emit(performanceRecord(row)); err != nil {
					return err
				}
			}
			return nil
		}},
		"returned-dossiers":    {dossierColumns, r.dossierList(ListSendBacks)},
		"repeated-supplements": {dossierColumns, r.dossierList(ListSupplements)},
		"head-rating": {ratingColumns, func(ctx context.Context, q url.Values, emit func([]string) error) error {
			year, err := strconv.Atoi(q.Get("year"))
			if err != nil {
				return problem.BadInput("year", "give the year, e.g. year=2026")
			}
			ratings, err := r.HeadRatings(ctx, year)
			if err != nil {
				return err
			}
			for _, h := range ratings {
				rating := ""
				if h.Rating != nil {
					rating = string(*h.Rating)
				}
				if err := emit([]string{h.Agency.Code, h.Agency.Name, strconv.Itoa(year), fmtFloat(h.ParScore),
					strconv.Itoa(h.Finished), strconv.Itoa(h.Late), fmtFloat(h.LateRate), rating, h.Reason}); err != nil {
					return err
				}
			}
			return nil
		}},
	}
}

var dossierColumns = map[string][]string{
	"en": {"code", "procedure", "lead agency", "received", "state", "send-backs", "supplementation rounds", "judgement"},
	"vi": {"Mã hồ sơ", "Thủ tục", "Cơ quan chủ trì", "Ngày tiếp nhận", "Trạng thái", "Số lần trả lại", "Số lần bổ sung", "Kết quả đánh giá"},
}

var ratingColumns = map[string][]string{
	"en": {"agency code", "agency", "year", "PAR score", "handed on", "late", "late rate (%)", "rating", "reason"},
	"vi": {"Mã cơ quan", "Cơ quan", "Năm", "Chỉ số CCHC", "Đã giải quyết", "Quá hạn", "Tỷ lệ quá hạn (%)", "Xếp loại", "Căn cứ"},
}

// dossierList writes a list report page by page.
func (r *Reporter) dossierList(list Listing) func(ctx context.Context, q url.Values, emit func([]string) error) error {
	return func(ctx context.Context, q url.Values, emit func([]string) error) error {
		in, err := performanceParams(q)
		if err != nil {
			return err
		}
		min := 2
		if v := q.Get("min"); v != "" {
			if min, err = strconv.Atoi(v); err != nil {
				return problem.BadInput("min", "min is a number")
			}
		}
		var agencyID *int
		if len(in.AgencyIDs) > 0 {
			agencyID = &in.AgencyIDs[0]
		}
		query, err := r.Dossiers(ctx, list, min, in.Period, agencyID)
		if err != nil {
			return err
		}
		ags, err := r.agencies(ctx)
		if err != nil {
			return err
		}
		const page = 1000
		for after := 0; ; {
			ds, err := query.Clone().Where(dossier.IDGT(after)).Order(ent.Asc(dossier.FieldID)).Limit(page).WithProcedure().All(ctx)
			if err != nil {
				return fmt.Errorf("report: list: %w", err)
			}
			for _, d := range ds {
				lead, judgement := "", ""
				if d.LeadAgencyID != nil {
					lead = ags[*d.LeadAgencyID].Code
				}
				if d.Judgement != nil {
					judgement = string(*d.Judgement)
				}
				received := ""
				if d.ReceivedAt != nil {
					received = d.ReceivedAt.In(r.loc).Format("02/01/2006 15:04")
				}
				if err := emit([]string{d.Code, d.Edges.Procedure.Code, lead, received, string(d.State),
					strconv.Itoa(d.SendBacks), strconv.Itoa(d.SupplementRounds), judgement}); err != nil {
					return err
				}
			}
			if len(ds) < page {
				return nil
			}
			after = ds[len(ds)-1].ID
		}
	}
}

// agencies maps agency ids to agencies, for naming rows.
func (r *Reporter) agencies(ctx context.Context) (map[int]*ent.Agency, error) {
	ags, err := r.client.Agency.Query().All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("report: agencies: %w", err)
	}
	out := make(map[int]*ent.Agency, len(ags))
	for _, a := range ags {
		out[a.ID] = a
	}
	return out, nil
}

func fmtFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

func performanceRecord(r *PerformanceRow) []string {
	n := strconv.Itoa
	return []string{r.Key, r.Name, n(r.Received), n(r.Finished), n(r.Early), n(r.OnTime), n(r.Late), n(r.Cancelled),
		n(r.InProgressOnTime), n(r.InProgressOverdue), fmtFloat(r.OnTimeRate()), fmtFloat(r.AverageProcessingDays()),
		n(r.Supplement2Plus), n(r.SendBack2Plus)}
}

// performanceParams reads a performance request from query parameters.
func performanceParams(q url.Values) (PerformanceInput, error) {
	var in PerformanceInput
	for _, k := range []string{"from", "to"} {
		if v := q.Get(k); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return in, problem.BadInput(k, "%s is an RFC 3339 instant, e.g. 2026-01-01T00:00:00+07:00", k)
			}
			if k == "from" {
				in.Period.From = &t
			} else {
				in.Period.To = &t
			}
		}
	}
	for k, dst := range map[string]**int{"year": &in.Period.Year, "quarter": &in.Period.Quarter, "half": &in.Period.Half, "month": &in.Period.Month} {
		if v := q.Get(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return in, problem.BadInput(k, "%s is a number", k)
			}
			*dst = &n
		}
	}
	in.GroupBy = GroupBy(strings.ToUpper(q.Get("groupBy")))
	in.View = View(strings.ToUpper(q.Get("view")))
	for _, v := range q["agencyID"] {
		id, err := strconv.Atoi(v)
		if err != nil {
			return in, problem.BadInput("agencyID", "agencyID is an agency's id")
		}
		in.AgencyIDs = append(in.AgencyIDs, id)
	}
	return in, nil
}
