package workflow

import (
	"context"
	"errors"
	"flag"
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
