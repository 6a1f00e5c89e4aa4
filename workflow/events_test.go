package workflow

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	st "lienthong/ent/schema/schematype"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestStateDiagramGolden(t *testing.T) {
	got, err := Diagram()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "states.mmd")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test ./workflow -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("Diagram() differs from %s; run go test ./workflow -run Golden -update and review", path)
	}
}

func TestPortalStatus(t *testing.T) {
	for state, want := range map[st.DossierState]int{
		st.StateSubmitted: 1, st.StateReceived: 2, st.StateRefused: 3, st.StateProcessing: 4,
		st.StateCoordinating: 4, st.StateSupplementRequested: 5, st.StateWithdrawn: 7,
		st.StateStopped: 8, st.StateReturned: 9, st.StateCompleted: 10,
	} {
		if got := PortalStatus(state); got != want {
			t.Errorf("PortalStatus(%s) = %d, want %d", state, got, want)
		}
	}
}

// A pooled machine carries nothing from one use to the next: a cancelled
// event leaves it where it was set, a fired one moves it, and either way
// the next taker sets its own state.
func TestPooledMachines(t *testing.T) {
	m := machineAt(st.StateProcessing)
	refused := errors.New("refused by the rules")
	err := m.Event(context.Background(), string(EventReturn), func() error { return refused })
	if !errors.Is(err, refused) {
		t.Fatalf("cancelled RETURN: got %v, want the check's error", err)
	}
	if got := m.Current(); got != string(st.StateProcessing) {
		t.Fatalf("after a cancelled event the machine is %s, want PROCESSING", got)
	}
	if err := m.Event(context.Background(), string(EventReturn), func() error { return nil }); err != nil {
		t.Fatalf("RETURN: %v", err)
	}
	if got := m.Current(); got != string(st.StateReturned) {
		t.Fatalf("after RETURN the machine is %s, want RETURNED", got)
	}
	machines.Put(m)

	for range 3 { // whichever machine the pool hands out
		m := machineAt(st.StateReceived)
		if !m.Can(string(EventForward)) || m.Can(string(EventComplete)) {
			t.Fatalf("a machine taken at RECEIVED answers as %s", m.Current())
		}
		machines.Put(m)
	}
}

// The history's event types are the table's recorded types and the
// system's own, each once: the ent enum (schematype.DossierEventType)
// cannot import the table, so this keeps the two one list.
func TestEventTypesAreTheTables(t *testing.T) {
	want := map[st.DossierEventType]bool{}
	for _, r := range rules {
		want[r.record] = true
	}
	for _, s := range systemTypes {
		if want[s] {
			t.Errorf("%s is both a transition's type and the system's", s)
		}
		want[s] = true
	}
	got := st.DossierEventType("").Values()
	if len(got) != len(want) {
		t.Errorf("the enum has %d types, the table and the system %d", len(got), len(want))
	}
	for _, v := range got {
		if !want[st.DossierEventType(v)] {
			t.Errorf("event type %s is recorded by no rule and is not the system's", v)
		}
	}
}

// Every rule can be fired by a client, directly or as a variant, and
// every variant can be picked.
func TestEveryRuleReachable(t *testing.T) {
	for _, r := range rules {
		if r.fires != "" && r.picks == nil {
			t.Errorf("%s is a variant of %s with nothing to pick it", r.event, r.fires)
		}
		if r.who == nil || r.apply == nil || len(r.from) == 0 {
			t.Errorf("%s lacks who may fire it, what it does or where it starts", r.event)
		}
	}
	if got := fmt.Sprint(clientEvents()); got != "[ACCEPT FORWARD TRANSFER COORDINATE REPLY SEND_BACK REQUEST_SUPPLEMENT SUPPLEMENT RETURN COMPLETE REFUSE WITHDRAW STOP APOLOGIZE REASSIGN]" {
		t.Errorf("clientEvents() = %s", got)
	}
}
