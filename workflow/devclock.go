package workflow

import (
	"context"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/problem"
)

// ClockAdvance is the clock after advanceClock and what the sweep found.
type ClockAdvance struct {
	Now   time.Time
	Sweep SweepResult
}

// maxAdvance bounds one advance of the clock.
const maxAdvance = 366 * 24 * time.Hour

// AdvanceClock moves a test clock forward (dev mode only: the server runs
// on a TestClock there) and sweeps at once, so that demos and acceptance
// scenarios see overdue dossiers without waiting. With the system clock,
// as in production, it is refused. The clock is the process's own: in dev
// mode run one instance.
func (e *Engine) AdvanceClock(ctx context.Context, minutes int) (*ClockAdvance, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	tc, ok := e.clock.(*calendar.TestClock)
	if !ok {
		return nil, problem.Forbidden("the clock can be moved in dev mode only (LIENTHONG_DEV=1)")
	}
	d := time.Duration(minutes) * time.Minute
	if minutes <= 0 || d > maxAdvance {
		return nil, problem.BadInput("minutes", "move the clock forward by 1 minute to 366 days")
	}
	tc.Advance(d)
	res, err := e.Sweep(ctx)
	if err != nil {
		return nil, err
	}
	return &ClockAdvance{Now: e.clock.Now(), Sweep: res}, nil
}
