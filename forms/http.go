package forms

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"lienthong/problem"
)

// trackingPage is the public page the QR codes point to by default: the
// applicant types their ID number and it asks trackDossier.
//
//go:embed tracking.html
var trackingPage []byte

// Routes serves the forms, behind the same authentication as GraphQL,
// and the public tracking page:
//
//	GET /dossiers/{code}/forms/{form}.pdf
//	GET /agencies/{code}/tracking-book.pdf?from=2026-11-01&to=2026-11-30
//	GET /tra-cuu?code=…
//
// Tracking-book dates are days in Asia/Ho_Chi_Minh, both included (or
// RFC 3339 instants, to excluded).
func (s *Service) Routes(mux *http.ServeMux, wrap func(http.Handler) http.Handler, log *slog.Logger) {
	mux.HandleFunc("GET /tra-cuu", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// No other site may frame the page (clickjacking an applicant).
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
		w.Header().Set("X-Frame-Options", "DENY")
		_, _ = w.Write(trackingPage)
	})
	mux.Handle("GET /dossiers/{code}/forms/{form}", wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := strings.CutSuffix(r.PathValue("form"), ".pdf")
		if !ok {
			problem.Write(w, log, problem.NotFound("forms are served as .pdf"))
			return
		}
		pdf, err := s.Dossier(r.Context(), r.PathValue("code"), form)
		if err != nil {
			problem.Write(w, log, err)
			return
		}
		writePDF(w, r.PathValue("code")+"-"+form+".pdf", pdf)
	})))
	mux.Handle("GET /agencies/{code}/tracking-book.pdf", wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from, err := s.day(r.URL.Query().Get("from"), false)
		if err != nil {
			problem.Write(w, log, err)
			return
		}
		to, err := s.day(r.URL.Query().Get("to"), true)
		if err != nil {
			problem.Write(w, log, err)
			return
		}
		pdf, err := s.TrackingBook(r.Context(), r.PathValue("code"), from, to)
		if err != nil {
			problem.Write(w, log, err)
			return
		}
		writePDF(w, r.PathValue("code")+"-so-theo-doi.pdf", pdf)
	})))
}

// day reads a period bound: a day (the end bound includes it) or an
// RFC 3339 instant.
func (s *Service) day(v string, end bool) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", v, s.loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	field := "from"
	if end {
		field = "to"
	}
	return time.Time{}, problem.BadInput(field, "%s is a day (2026-11-01) or an RFC 3339 instant", field)
}

func writePDF(w http.ResponseWriter, name string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pdf)
}
