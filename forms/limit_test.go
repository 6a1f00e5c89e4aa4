package forms

import (
	"testing"

	"lienthong/ent"
	"lienthong/ent/procedure"
	"lienthong/ent/schema/schematype"
)

// TestLimitInWords: the receipt states the limit as the law writes it.
func TestLimitInWords(t *testing.T) {
	for _, tc := range []struct {
		p    ent.Procedure
		d    ent.Dossier
		want string
	}{
		{ent.Procedure{LimitUnit: procedure.LimitUnitDays, LimitDays: 10, LimitMinutes: 4800}, ent.Dossier{}, "10 ngày"},
		// Entered in days before days were counted as days: working days.
		{ent.Procedure{LimitUnit: procedure.LimitUnitDays, LimitMinutes: 4800}, ent.Dossier{}, "10 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitWorkingDays, LimitMinutes: 20 * 480}, ent.Dossier{}, "20 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitWorkingDays, LimitMinutes: 240}, ent.Dossier{}, "0.5 ngày làm việc"},
		{ent.Procedure{LimitUnit: procedure.LimitUnitHours, LimitMinutes: 240}, ent.Dossier{}, "4 giờ làm việc"},
		// The limit applied at intake: online, in a mountainous commune.
		{ent.Procedure{LimitUnit: procedure.LimitUnitWorkingDays, LimitMinutes: 20 * 480}, ent.Dossier{LimitMinutes: 27 * 480,
			Adjustments: []schematype.Adjustment{{Days: 10, AreaKind: schematype.AreaMountainous, Reference: "Nghị định 101/2024/NĐ-CP", Agency: "000.21.01.H43"}}},
			"27 ngày làm việc (đã cộng thêm 10 ngày làm việc: xã miền núi, Nghị định 101/2024/NĐ-CP)"},
	} {
		tc.d.Edges.Procedure = &tc.p
		if got := limit(&tc.d); got != tc.want {
			t.Errorf("limit(%s, %d days, %d minutes) = %q, want %q", tc.p.LimitUnit, tc.p.LimitDays, tc.p.LimitMinutes, got, tc.want)
		}
	}
}
