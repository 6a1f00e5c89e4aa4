package report

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lienthong/workflow"
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

// PerformanceCSV serves GET /export/performance.csv with the figures of
// the performance query, behind the same authentication: period as
// from/to (RFC 3339) or year with quarter, half or month; groupBy, view,
// agencyID (repeatable) and lang (vi, the default, or en). The file is
// UTF-8 with a byte-order mark so that spreadsheet programs show Vietnamese.
func (r *Reporter) PerformanceCSV(log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		lang := q.Get("lang")
		if lang == "" {
			lang = "vi"
		}
		header, ok := performanceColumns[lang]
		if !ok {
			exportError(w, log, badInput("lang", "lang is vi or en"))
			return
		}
		in, err := performanceParams(q)
		if err != nil {
			exportError(w, log, err)
			return
		}
		rep, err := r.Performance(req.Context(), in)
		if err != nil {
			exportError(w, log, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="performance-%s-%s.csv"`,
			rep.Period.From.In(r.loc).Format("20060102"), rep.Period.To.In(r.loc).Format("20060102")))
		w.Write([]byte("\uFEFF"))
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, row := range append(rep.Rows, rep.Total) {
			cw.Write(performanceRecord(row))
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			log.WarnContext(req.Context(), "export interrupted", "err", err)
		}
	})
}

func performanceRecord(r *PerformanceRow) []string {
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	n := strconv.Itoa
	return []string{r.Key, r.Name, n(r.Received), n(r.Finished), n(r.Early), n(r.OnTime), n(r.Late), n(r.Cancelled),
		n(r.InProgressOnTime), n(r.InProgressOverdue), f(r.OnTimeRate()), f(r.AverageProcessingDays()),
		n(r.Supplement2Plus), n(r.SendBack2Plus)}
}

// performanceParams reads a performance request from query parameters.
func performanceParams(q url.Values) (PerformanceInput, error) {
	var in PerformanceInput
	for _, k := range []string{"from", "to"} {
		if v := q.Get(k); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return in, badInput(k, "%s is an RFC 3339 instant, e.g. 2026-01-01T00:00:00+07:00", k)
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
				return in, badInput(k, "%s is a number", k)
			}
			*dst = &n
		}
	}
	in.GroupBy = GroupBy(strings.ToUpper(q.Get("groupBy")))
	in.View = View(strings.ToUpper(q.Get("view")))
	for _, v := range q["agencyID"] {
		id, err := strconv.Atoi(v)
		if err != nil {
			return in, badInput("agencyID", "agencyID is an agency's id")
		}
		in.AgencyIDs = append(in.AgencyIDs, id)
	}
	return in, nil
}

// exportError answers with the status and the code the GraphQL layer
// would give.
func exportError(w http.ResponseWriter, log *slog.Logger, err error) {
	status, code, msg := http.StatusInternalServerError, "INTERNAL", "internal error"
	var we *workflow.Error
	if errors.As(err, &we) {
		code, msg = string(we.Code), we.Message
		switch we.Code {
		case workflow.CodeBadUserInput:
			status = http.StatusBadRequest
		case workflow.CodeUnauthenticated:
			status = http.StatusUnauthorized
		case workflow.CodeForbidden:
			status = http.StatusForbidden
		case workflow.CodeNotFound:
			status = http.StatusNotFound
		}
	} else {
		log.Error("export failed", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}
