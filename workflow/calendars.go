package workflow

import (
	"context"
	"fmt"
	"sync"
	"time"

	"lienthong/calendar"
	"lienthong/ent"
)

// calendarTTL bounds how long an instance serves a calendar another
// instance may have changed.
const calendarTTL = 30 * time.Second

// Calendars loads the working calendar and caches it: office hours and
// weekly days off from configuration; for each year with a notice
// (CONFIRMED), the notice's days; for every other year (PROVISIONAL), the
// Labour Code's holidays as computed, the provisional choice of the Tết
// days and of the day next to 2 September included.
type Calendars struct {
	client    *ent.Client
	loc       *time.Location
	sessions  []calendar.Session
	weeklyOff []time.Weekday

	mu        sync.Mutex
	cal       *calendar.Calendar
	confirmed map[int]bool // years with a notice
	loadedAt  time.Time
}

// NewCalendars returns a calendar source over the notices in client.
func NewCalendars(client *ent.Client, loc *time.Location, sessions []calendar.Session, weeklyOff []time.Weekday) *Calendars {
	return &Calendars{client: client, loc: loc, sessions: sessions, weeklyOff: weeklyOff}
}

// Get returns the current calendar.
func (s *Calendars) Get(ctx context.Context) (*calendar.Calendar, error) {
	cal, _, err := s.load(ctx)
	return cal, err
}

// Provisional reports whether year's days are computed, its notice not
// yet entered.
func (s *Calendars) Provisional(ctx context.Context, year int) (bool, error) {
	_, confirmed, err := s.load(ctx)
	return !confirmed[year], err
}

func (s *Calendars) load(ctx context.Context) (*calendar.Calendar, map[int]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && time.Since(s.loadedAt) < calendarTTL {
		return s.cal, s.confirmed, nil
	}
	notices, err := s.client.CalendarNotice.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("workflow: load calendar notices: %w", err)
	}
	confirmed := make(map[int]bool, len(notices))
	for _, n := range notices {
		confirmed[n.Year] = true
	}
	days, err := s.client.CalendarDay.Query().All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("workflow: load calendar: %w", err)
	}
	years := make(map[int][]calendar.Override, len(confirmed))
	for y := range confirmed {
		years[y] = []calendar.Override{}
	}
	for _, d := range days {
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			return nil, nil, fmt.Errorf("workflow: calendar day %d: %w", d.ID, err)
		}
		if confirmed[date.Year] {
			years[date.Year] = append(years[date.Year], calendar.Override{Date: date, Working: d.Working, Name: d.Name})
		}
	}
	cal, err := calendar.New(s.loc, s.sessions, s.weeklyOff, calendar.VietnamYears(years))
	if err != nil {
		return nil, nil, err
	}
	s.cal, s.confirmed, s.loadedAt = cal, confirmed, time.Now()
	return cal, confirmed, nil
}

// Invalidate drops the cached calendar after a change.
func (s *Calendars) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cal = nil
}
