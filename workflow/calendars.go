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

// Calendars loads the calendar (office hours and weekly days off from
// configuration, dated overrides from the database) and caches it.
type Calendars struct {
	client    *ent.Client
	loc       *time.Location
	sessions  []calendar.Session
	weeklyOff []time.Weekday

	mu       sync.Mutex
	cal      *calendar.Calendar
	loadedAt time.Time
}

// NewCalendars returns a calendar source over the overrides in client.
func NewCalendars(client *ent.Client, loc *time.Location, sessions []calendar.Session, weeklyOff []time.Weekday) *Calendars {
	return &Calendars{client: client, loc: loc, sessions: sessions, weeklyOff: weeklyOff}
}

// Get returns the current calendar.
func (s *Calendars) Get(ctx context.Context) (*calendar.Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && time.Since(s.loadedAt) < calendarTTL {
		return s.cal, nil
	}
	days, err := s.client.CalendarDay.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflow: load calendar: %w", err)
	}
	overrides := make([]calendar.Override, 0, len(days))
	for _, d := range days {
		date, err := calendar.ParseDate(d.Date)
		if err != nil {
			return nil, fmt.Errorf("workflow: calendar day %d: %w", d.ID, err)
		}
		overrides = append(overrides, calendar.Override{Date: date, Working: d.Working, Name: d.Name})
	}
	cal, err := calendar.New(s.loc, s.sessions, s.weeklyOff, overrides)
	if err != nil {
		return nil, err
	}
	s.cal, s.loadedAt = cal, time.Now()
	return cal, nil
}

// Invalidate drops the cached calendar after a change.
func (s *Calendars) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cal = nil
}
