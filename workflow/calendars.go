package workflow

import (
	"context"
	"fmt"
	"sync"
	"time"

	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/officehours"
	"lienthong/ent/schema/schematype"
)

// calendarTTL bounds how long an instance serves a calendar another
// instance may have changed.
const calendarTTL = 30 * time.Second

// Calendars loads the working calendar and caches it: weekly days off
// from configuration; for each year with a notice (CONFIRMED), the
// notice's days; for every other year (PROVISIONAL), the Labour Code's
// holidays as computed, the provisional choice of the Tết days and of the
// day next to 2 September included; the office hours by date, the
// province's and each agency's own.
type Calendars struct {
	client    *ent.Client
	loc       *time.Location
	sessions  []calendar.Session
	weeklyOff []time.Weekday

	mu       sync.Mutex
	set      *CalendarSet
	loadedAt time.Time
}

// CalendarSet is the working calendar as loaded at one time: the
// province's, and each agency's that keeps its own hours.
type CalendarSet struct {
	province  *calendar.Calendar
	agencies  map[int]*calendar.Calendar
	confirmed map[int]bool // years with a notice
}

// Province returns the province's calendar.
func (s *CalendarSet) Province() *calendar.Calendar { return s.province }

// Of returns the calendar agency counts its time by: its own hours where it
// keeps them, the province's otherwise. A leg counts by its agency's; a
// dossier's appointment by its desk's, where the applicant comes back.
func (s *CalendarSet) Of(agency int) *calendar.Calendar {
	if c, ok := s.agencies[agency]; ok {
		return c
	}
	return s.province
}

// All returns the province's calendar and every agency's own.
func (s *CalendarSet) All() []*calendar.Calendar {
	out := []*calendar.Calendar{s.province}
	for _, c := range s.agencies {
		out = append(out, c)
	}
	return out
}

// NewCalendars returns a calendar source over the notices and office hours
// in client; sessions are the hours before the first entered.
func NewCalendars(client *ent.Client, loc *time.Location, sessions []calendar.Session, weeklyOff []time.Weekday) *Calendars {
	return &Calendars{client: client, loc: loc, sessions: sessions, weeklyOff: weeklyOff}
}

// Get returns the province's calendar.
func (s *Calendars) Get(ctx context.Context) (*calendar.Calendar, error) {
	set, err := s.Set(ctx)
	if err != nil {
		return nil, err
	}
	return set.province, nil
}

// Provisional reports whether year's days are computed, its notice not
// yet entered.
func (s *Calendars) Provisional(ctx context.Context, year int) (bool, error) {
	set, err := s.Set(ctx)
	if err != nil {
		return false, err
	}
	return !set.confirmed[year], nil
}

// Set returns the current calendars.
func (s *Calendars) Set(ctx context.Context) (*CalendarSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set != nil && time.Since(s.loadedAt) < calendarTTL {
		return s.set, nil
	}
	notices, err := s.client.CalendarNotice.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load calendar notices: %w", err)
	}
	confirmed := make(map[int]bool, len(notices))
	for _, n := range notices {
		confirmed[n.Year] = true
	}
	days, err := s.client.CalendarDay.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load calendar: %w", err)
	}
	years := make(map[int][]calendar.Override, len(confirmed))
	for y := range confirmed {
		years[y] = []calendar.Override{}
	}
	for _, d := range days {
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			return nil, fmt.Errorf("workflow: calendar day %d: %w", d.ID, err)
		}
		if confirmed[date.Year] {
			years[date.Year] = append(years[date.Year], calendar.Override{Date: date, Working: d.Working, Name: d.Name})
		}
	}
	overrides := calendar.VietnamYears(years)
	hours, err := s.client.OfficeHours.Query().Order(ent.Asc(officehours.FieldFrom)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load office hours: %w", err)
	}
	var province []calendar.Hours
	own := map[int][]calendar.Hours{}
	for _, h := range hours {
		from, err := calendar.ParseDate(h.From)
		if err != nil {
			return nil, fmt.Errorf("workflow: office hours %d: %w", h.ID, err)
		}
		ch := calendar.Hours{From: from, Sessions: sessionsOf(h.Sessions)}
		if h.AgencyID == nil {
			province = append(province, ch)
		} else {
			own[*h.AgencyID] = append(own[*h.AgencyID], ch)
		}
	}
	base := calendar.Hours{Sessions: s.sessions}
	set := &CalendarSet{confirmed: confirmed, agencies: make(map[int]*calendar.Calendar, len(own))}
	if set.province, err = calendar.NewSchedule(s.loc, append([]calendar.Hours{base}, province...), s.weeklyOff, overrides); err != nil {
		return nil, err
	}
	for id, hs := range own {
		if set.agencies[id], err = calendar.NewSchedule(s.loc, mergeHours(base, province, hs), s.weeklyOff, overrides); err != nil {
			return nil, fmt.Errorf("workflow: office hours of agency %d: %w", id, err)
		}
	}
	s.set, s.loadedAt = set, time.Now()
	return set, nil
}

// mergeHours is an agency's hours by date: from its first own entry on,
// its own in force; before that, the province's.
func mergeHours(base calendar.Hours, province, own []calendar.Hours) []calendar.Hours {
	out := []calendar.Hours{base}
	first := own[0].From
	for _, h := range province {
		if h.From.String() < first.String() {
			out = append(out, h)
		}
	}
	return append(out, own...)
}

func sessionsOf(ss []schematype.Session) []calendar.Session {
	out := make([]calendar.Session, len(ss))
	for i, s := range ss {
		out[i] = calendar.Session{Start: s.Start, End: s.End}
	}
	return out
}

// Invalidate drops the cached calendar after a change.
func (s *Calendars) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set = nil
}
