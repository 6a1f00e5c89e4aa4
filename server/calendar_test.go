package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"lienthong/server/servertest"
)

// TestCalendarICS reads GET /calendar/{year}.ics back with an iCalendar
// parser, as a calendar app subscribing to it would: 2027 without its
// notice shows Tết as tentative, 2026 (its notice shipped) as confirmed;
// /metrics says which years are provisional.
func TestCalendarICS(t *testing.T) {
	e := servertest.New(t, servertest.Databases(t)["sqlite"](t), servertest.Empty)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	read := func(year string) (*ics.Calendar, map[string]*ics.VEvent) {
		t.Helper()
		rec := get("/calendar/" + year + ".ics")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET /calendar/%s.ics: %d %s", year, rec.Code, rec.Header().Get("Content-Type"))
		}
		for i, line := range strings.SplitAfter(rec.Body.String(), "\n") {
			if line != "" && (!strings.HasSuffix(line, "\r\n") || len(line) > 75+2) {
				t.Fatalf("%s.ics line %d is not an RFC 5545 content line (CRLF, at most 75 octets): %q", year, i+1, line)
			}
		}
		c, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
		if err != nil {
			t.Fatalf("%s.ics does not parse: %v\n%s", year, err, rec.Body.String())
		}
		byDate := map[string]*ics.VEvent{}
		for _, ev := range c.Events() {
			start, err := ev.GetAllDayStartAt()
			if err != nil {
				t.Fatalf("%s.ics: an event without an all-day start: %v", year, err)
			}
			byDate[start.Format("2006-01-02")] = ev
		}
		return c, byDate
	}
	prop := func(ev *ics.VEvent, p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	calName := func(c *ics.Calendar) string {
		for _, p := range c.CalendarProperties {
			if p.IANAToken == "X-WR-CALNAME" {
				return p.Value
			}
		}
		return ""
	}

	c, days := read("2027")
	if name := calName(c); !strings.Contains(name, "2027") || !strings.Contains(name, "tạm tính") {
		t.Errorf("2027.ics is named %q, want the year marked provisional (tạm tính)", name)
	}
	tet := days["2027-02-05"]
	if tet == nil || prop(tet, ics.ComponentPropertyStatus) != "TENTATIVE" || !strings.Contains(prop(tet, ics.ComponentPropertySummary), "Tết") || !strings.Contains(prop(tet, ics.ComponentPropertySummary), "tạm tính") {
		t.Errorf("2027.ics on 5 Feb (the eve of Tết): %v, want a TENTATIVE Tết day off", tet)
	} else if end, err := tet.GetAllDayEndAt(); err != nil || end.Format("2006-01-02") != "2027-02-06" {
		t.Errorf("2027.ics Tết day ends %v (%v), want the next day", end, err)
	}
	if ny := days["2027-01-01"]; ny == nil || prop(ny, ics.ComponentPropertyStatus) != "CONFIRMED" {
		t.Errorf("2027.ics on 1 Jan: %v, want a CONFIRMED holiday (the law's own date)", ny)
	}
	if len(days) != 11 {
		t.Errorf("2027.ics holds %d days, want the Labour Code's 11 weekdays off", len(days))
	}

	c, days = read("2026")
	if name := calName(c); strings.Contains(name, "tạm tính") {
		t.Errorf("2026.ics is named %q: its notice ships with the product", name)
	}
	for _, date := range []string{"2026-02-16", "2026-04-27", "2026-09-01"} {
		if ev := days[date]; ev == nil || prop(ev, ics.ComponentPropertyStatus) != "CONFIRMED" {
			t.Errorf("2026.ics on %s: %v, want a CONFIRMED day off", date, ev)
		}
	}
	for _, path := range []string{"/calendar/2200.ics", "/calendar/abc.ics", "/calendar/2027"} {
		if rec := get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}

	// The test clock is in November 2026: 2026 confirmed, 2027 not.
	body := get("/metrics").Body.String()
	for _, want := range []string{
		`lienthong_calendar_year_provisional{which="current",year="2026"} 0`,
		`lienthong_calendar_year_provisional{which="next",year="2027"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
