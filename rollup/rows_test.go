package rollup_test

import (
	"testing"
	"time"

	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/dossier"
	"lienthong/ent/leg"
	"lienthong/rollup"
)

// benchDossier is a land dossier returned after four turns, as a
// transition's roll-ups see it.
func benchDossier() (*ent.Dossier, []*ent.Leg) {
	loc := calendar.VietnamLocation()
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, loc) }
	recv, due, fin := at(2, 9), at(27, 9), at(20, 10)
	j, mins, lead := dossier.JudgementEarly, 4000, 7
	d := &ent.Dossier{ID: 1234, ProcedureID: 5, LeadAgencyID: &lead, ReceivedAt: &recv, OriginalAppointmentAt: &due,
		FinishedAt: &fin, Judgement: &j, ProcessingMinutes: &mins, SupplementRounds: 2}
	var legs []*ent.Leg
	for i, a := range []int{3, 7, 9, 7} {
		start, end := at(2+4*i, 9), at(5+4*i, 9)
		w := 900
		legs = append(legs, &ent.Leg{ID: i + 1, AgencyID: a, StartedAt: start, DueAt: at(6+4*i, 9), FinishedAt: &end, Judgement: leg.JudgementEarly, WorkedMinutes: &w})
	}
	return d, legs
}

func BenchmarkRowsAdd(b *testing.B) {
	d, legs := benchDossier()
	b.ReportAllocs()
	for b.Loop() {
		r := rollup.Rows{}
		r.Add(d, legs, -1)
		r.Add(d, legs, 1)
	}
}
