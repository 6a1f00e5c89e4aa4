package outbox

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/leg"
	st "lienthong/ent/schema/schematype"
)

// A message names the dossier, the event and every turn by code, as a
// receiver reads them, and the agencies it concerns once each.
func TestMessage(t *testing.T) {
	at := time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)
	lead, ev, desk := 7, 9, 3
	from := st.StateReceived
	d := &ent.Dossier{ID: 1, Code: "000.20.01.H43-261116-0001", DeskAgencyID: desk, LeadAgencyID: &lead, State: st.StateProcessing, AppointmentAt: &at}
	legs := []*ent.Leg{
		{AgencyID: desk, Role: leg.RoleDesk, StartedAt: at, DueAt: at, FinishedAt: &at, Judgement: leg.JudgementOnTime},
		{AgencyID: lead, Role: leg.RoleLead, StartedAt: at, DueAt: at.Add(time.Hour)},
	}
	e := Entry{
		Dossier: d, Legs: legs,
		Event:        &ent.DossierEvent{Seq: 2, Type: st.EventForward, FromState: &from, ToState: st.StateProcessing, AgencyID: &ev, At: at},
		Actor:        &auth.Viewer{Subject: "desk.giolinh", Name: "Trần Văn Hùng"},
		Procedure:    "1.013978",
		AgencyCodes:  map[int]string{desk: "000.20.01.H43", lead: "000.00.17.H43", ev: "000.20.01.H43"},
		PortalStatus: 4,
	}
	if got := Agencies(d, legs); !slices.Equal(got, []int{3, 7}) {
		t.Errorf("Agencies = %v, want [3 7]", got)
	}
	b, err := json.Marshal(e.message(at))
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != "dossier.forward" || m.Data.Code != d.Code || m.Data.PortalStatus != 4 || m.Data.Procedure != "1.013978" {
		t.Errorf("message = %+v", m)
	}
	if m.Data.Event.Actor != "desk.giolinh" || m.Data.Event.Agency != "000.20.01.H43" || m.Data.Event.FromState != "RECEIVED" || m.Data.Event.Seq != 2 {
		t.Errorf("event = %+v", m.Data.Event)
	}
	if len(m.Data.Legs) != 2 || m.Data.Legs[1].Agency != "000.00.17.H43" || m.Data.Legs[0].Judgement != "ON_TIME" || m.Data.Legs[1].FinishedAt != nil {
		t.Errorf("legs = %+v", m.Data.Legs)
	}
}
