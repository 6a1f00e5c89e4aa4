package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/prometheus/client_golang/prometheus"

	"lienthong/calendar"
	"lienthong/workflow"
)

// calendarICS serves GET /calendar/{year}.ics: the year's days off and
// worked weekend days as all-day events (RFC 5545), for officers to
// subscribe to in their calendar app. Public, as the calendar is; a
// provisional day is TENTATIVE and says so in its summary.
func (a *App) calendarICS() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		year, err := strconv.Atoi(strings.TrimSuffix(name, ".ics"))
		if !strings.HasSuffix(name, ".ics") || err != nil || year < calendar.FirstYear || year > calendar.LastYear {
			http.Error(w, fmt.Sprintf("no calendar %q: ask for /calendar/YYYY.ics, %d–%d", name, calendar.FirstYear, calendar.LastYear), http.StatusNotFound)
			return
		}
		y, err := a.Engine.CalendarYear(r.Context(), year)
		if err != nil {
			slog.ErrorContext(r.Context(), "calendar ics", "year", year, "err", err)
			http.Error(w, "calendar unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="lich-lam-viec-%d.ics"`, year))
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_ = yearICS(y, a.Clock.Now()).SerializeTo(w, ics.WithNewLineWindows) // RFC 5545: CRLF
	})
}

// yearICS renders y as an iCalendar stamped now.
func yearICS(y *workflow.CalendarYear, now time.Time) *ics.Calendar {
	c := ics.NewCalendarFor("lienthong")
	c.SetMethod(ics.MethodPublish)
	c.SetCalscale("GREGORIAN")
	c.SetXWRTimezone(calendar.VietnamLocation().String())
	title := fmt.Sprintf("Lịch nghỉ lễ, Tết và ngày làm việc bù năm %d", y.Year)
	desc := "Theo thông báo: " + noticeRef(y)
	if y.Status == workflow.YearProvisional {
		title += " (tạm tính)"
		desc = "Tạm tính theo Bộ luật Lao động 2019 (Điều 111, 112) và âm lịch Việt Nam, chờ thông báo chính thức của năm: ngày nghỉ Tết và ngày liền kề 2/9 có thể thay đổi."
	}
	c.SetXWRCalName(title)
	c.SetXWRCalDesc(desc)
	c.SetRefreshInterval("P1D")
	for _, d := range y.Days {
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			continue // the engine's own dates
		}
		day := time.Date(date.Year, date.Month, date.Day, 0, 0, 0, 0, time.UTC)
		// One UID per date: when the notice confirms a year, a subscribed
		// calendar updates the day instead of showing it twice.
		e := c.AddEvent(d.Date + "@lienthong")
		e.SetDtStampTime(now)
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		summary := d.Name
		if d.Working {
			summary = "Làm việc: " + summary
			e.SetTimeTransparency(ics.TransparencyOpaque)
		} else {
			summary = "Nghỉ: " + summary
			e.SetTimeTransparency(ics.TransparencyTransparent)
		}
		status := ics.ObjectStatusConfirmed
		if y.Status == workflow.YearProvisional && d.Provisional {
			status = ics.ObjectStatusTentative
			summary += " (tạm tính)"
		}
		e.SetStatus(status)
		e.SetSummary(summary)
		e.SetDescription(sourceVI[d.Source] + ". " + desc)
	}
	return c
}

var sourceVI = map[workflow.CalendarDaySource]string{
	workflow.DayStatutory: "Ngày nghỉ lễ, Tết theo Bộ luật Lao động",
	workflow.DayMakeUp:    "Nghỉ bù (Bộ luật Lao động, Điều 111 khoản 3)",
	workflow.DayNotice:    "Theo thông báo của năm",
}

func noticeRef(y *workflow.CalendarYear) string {
	if y.Notice == nil || y.Notice.Reference == "" {
		return "không ghi số"
	}
	if y.Notice.IssuedOn != "" {
		return y.Notice.Reference + ", ngày " + y.Notice.IssuedOn
	}
	return y.Notice.Reference
}

// calendarCollector exposes lienthong_calendar_year_provisional: 1 for the
// current or the next year while its notice is not entered. An
// unconfirmed next year in November is an alarm to set.
type calendarCollector struct {
	app  *App
	desc *prometheus.Desc
}

func newCalendarCollector(a *App) *calendarCollector {
	return &calendarCollector{app: a, desc: prometheus.NewDesc("lienthong_calendar_year_provisional",
		"1 while the year's working calendar is PROVISIONAL (computed from the Labour Code, its notice not entered), for the current and the next year.",
		[]string{"year", "which"}, nil)}
}

func (c *calendarCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *calendarCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	this := c.app.Clock.Now().In(calendar.VietnamLocation()).Year()
	provisional, err := c.app.Engine.ProvisionalYears(ctx, this, this+1)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for i, which := range []string{"current", "next"} {
		v := 0.0
		for _, y := range provisional {
			if y == this+i {
				v = 1
			}
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v, strconv.Itoa(this+i), which)
	}
}

// logCalendar says at start which of the current and the next year are
// provisional: a warning for the current year, and for the next one from
// November, when its notice is usually out.
func (a *App) logCalendar(ctx context.Context) {
	now := a.Clock.Now().In(calendar.VietnamLocation())
	this := now.Year()
	provisional, err := a.Engine.ProvisionalYears(ctx, this, this+1)
	if err != nil {
		slog.ErrorContext(ctx, "calendar", "err", err)
		return
	}
	status := func(y int) string {
		for _, p := range provisional {
			if p == y {
				return string(workflow.YearProvisional)
			}
		}
		return string(workflow.YearConfirmed)
	}
	level := slog.LevelInfo
	if status(this) == string(workflow.YearProvisional) || (now.Month() >= time.November && status(this+1) == string(workflow.YearProvisional)) {
		level = slog.LevelWarn
	}
	slog.Log(ctx, level, "calendar", strconv.Itoa(this), status(this), strconv.Itoa(this+1), status(this+1),
		"hint", "a PROVISIONAL year's Tết and 2 September days are the Labour Code's provisional rule until an administrator enters the notice (setCalendarNotice)")
}
