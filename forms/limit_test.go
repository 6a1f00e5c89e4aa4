package forms

import (
	"testing"

	"lienthong/ent"
	"lienthong/ent/procedure"
)

// TestLimitInWords: the receipt states the limit as the law writes it.
func TestLimitInWords(t *testing.T) {
	for _, tc := range []struct {
		p    ent.Procedure
		want string
	}{
		{ent.Procedure{LimitUnit: procedure.LimitUnitDays, LimitDays: 10, LimitMinutes: 4800}, "10 ngày"},
		// Entered in days before days were counted as days: working days.
		{ent.Procedure{LimitUnit: procedure.LimitUnitDays, LimitMinutes: 4800}, "10 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitWorkingDays, LimitMinutes: 20 * 480}, "20 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitWorkingDays, LimitMinutes: 240}, "0.5 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitHours, LimitMinutes: 240}, "4 giờ làm việc"},
	} {
		if got := limit(&tc.p); got != tc.want {
			t.Errorf("limit(%s, %d days, %d minutes) = %q, want %q", tc.p.LimitUnit, tc.p.LimitDays, tc.p.LimitMinutes, got, tc.want)
		}
	}
}
