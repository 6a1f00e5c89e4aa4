package rollup_test

import (
	"testing"
	"time"

	"lienthong/calendar"
	"lienthong/ent/leg"
	"lienthong/rollup"
)

func TestJudgeAndWorked(t *testing.T) {
	cal := calendar.DefaultCalendar()
	loc := cal.Location()
	due := time.Date(2026, 11, 18, 15, 0, 0, 0, loc) // Wednesday 15:00
	for _, tt := range []struct {
		finished time.Time
		want     leg.Judgement
	}{
		{time.Date(2026, 11, 17, 16, 59, 0, 0, loc), leg.JudgementEarly},       // the day before
		{time.Date(2026, 11, 18, 8, 0, 0, 0, loc), leg.JudgementOnTime},        // the same day, before due
		{due, leg.JudgementOnTime},                                             // at the due minute
		{time.Date(2026, 11, 18, 15, 1, 0, 0, loc), leg.JudgementLate},         // a minute after
		{time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC), leg.JudgementOnTime},   // 15:00 in Hanoi, given in UTC
		{time.Date(2026, 11, 17, 17, 30, 0, 0, time.UTC), leg.JudgementOnTime}, // 00:30 on the due day in Hanoi
	} {
		if got := rollup.Judge(cal, tt.finished, due); got != tt.want {
			t.Errorf("Judge(%s, %s) = %s, want %s", tt.finished, due, got, tt.want)
		}
	}
	// Monday 16 Nov 09:00 to Wednesday 18 Nov 09:00 is two working days;
	// 60 minutes of them paused.
	from, to := time.Date(2026, 11, 16, 9, 0, 0, 0, loc), time.Date(2026, 11, 18, 9, 0, 0, 0, loc)
	if got := rollup.Worked(cal, from, to, 60); got != 2*calendar.MinutesPerWorkingDay-60 {
		t.Errorf("Worked = %d, want %d", got, 2*calendar.MinutesPerWorkingDay-60)
	}
	if got := rollup.Worked(cal, from, from.Add(time.Hour), 600); got != 0 {
		t.Errorf("Worked with more paused than worked = %d, want 0", got)
	}
}
