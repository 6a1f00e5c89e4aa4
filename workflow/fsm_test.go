package workflow

import (
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
