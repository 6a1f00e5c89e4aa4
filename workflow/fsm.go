package workflow

import (
	"context"
	"sync"

	"github.com/looplab/fsm"

	"lienthong/ent/dossierevent"
	st "lienthong/ent/schema/schematype"
)

// Event is a transition of the dossier state machine. Events whose target
// depends on the dossier (the last coordination reply, the state a
// supplementation resumes) have one variant per target; they are recorded
// under their base type.
type Event string

// Events.
const (
	EventAccept               Event = "ACCEPT"
	EventForward              Event = "FORWARD"
	EventTransfer             Event = "TRANSFER"
	EventCoordinate           Event = "COORDINATE"
	EventReply                Event = "REPLY"
	EventReplyLast            Event = "REPLY_LAST"
	EventSendBack             Event = "SEND_BACK"
	EventRequestSupplement    Event = "REQUEST_SUPPLEMENT"
	EventSupplement           Event = "SUPPLEMENT"
	eventSupplementReceived   Event = "SUPPLEMENT_TO_RECEIVED"
	eventSupplementProcess    Event = "SUPPLEMENT_TO_PROCESSING"
	eventSupplementCoordinate Event = "SUPPLEMENT_TO_COORDINATING"
	EventReturn               Event = "RETURN"
	EventComplete             Event = "COMPLETE"
	EventRefuse               Event = "REFUSE"
	EventWithdraw             Event = "WITHDRAW"
	EventStop                 Event = "STOP"
	EventApologize            Event = "APOLOGIZE"
	EventReassign             Event = "REASSIGN"
)

func s(states ...st.DossierState) []string {
	out := make([]string, len(states))
	for i, x := range states {
		out[i] = string(x)
	}
	return out
}

// open states: the dossier is still being worked on.
var openStates = []st.DossierState{st.StateReceived, st.StateProcessing, st.StateCoordinating, st.StateSupplementRequested}

// transitions is the state machine, one row per event and target.
var transitions = fsm.Events{
	{Name: string(EventAccept), Src: s(st.StateSubmitted), Dst: string(st.StateReceived)},
	{Name: string(EventForward), Src: s(st.StateReceived), Dst: string(st.StateProcessing)},
	{Name: string(EventTransfer), Src: s(st.StateProcessing), Dst: string(st.StateProcessing)},
	{Name: string(EventCoordinate), Src: s(st.StateProcessing), Dst: string(st.StateCoordinating)},
	{Name: string(EventReply), Src: s(st.StateCoordinating), Dst: string(st.StateCoordinating)},
	{Name: string(EventReplyLast), Src: s(st.StateCoordinating), Dst: string(st.StateProcessing)},
	{Name: string(EventSendBack), Src: s(st.StateProcessing), Dst: string(st.StateProcessing)},
	{Name: string(EventRequestSupplement), Src: s(st.StateReceived, st.StateProcessing, st.StateCoordinating), Dst: string(st.StateSupplementRequested)},
	{Name: string(eventSupplementReceived), Src: s(st.StateSupplementRequested), Dst: string(st.StateReceived)},
	{Name: string(eventSupplementProcess), Src: s(st.StateSupplementRequested), Dst: string(st.StateProcessing)},
	{Name: string(eventSupplementCoordinate), Src: s(st.StateSupplementRequested), Dst: string(st.StateCoordinating)},
	{Name: string(EventReturn), Src: s(st.StateProcessing), Dst: string(st.StateReturned)},
	{Name: string(EventComplete), Src: s(st.StateReturned), Dst: string(st.StateCompleted)},
	{Name: string(EventRefuse), Src: s(append([]st.DossierState{st.StateSubmitted}, openStates...)...), Dst: string(st.StateRefused)},
	{Name: string(EventWithdraw), Src: s(append([]st.DossierState{st.StateSubmitted}, openStates...)...), Dst: string(st.StateWithdrawn)},
	{Name: string(EventStop), Src: s(openStates...), Dst: string(st.StateStopped)},
	// APOLOGIZE keeps the state: one row per source state.
	{Name: string(EventApologize), Src: s(st.StateReceived), Dst: string(st.StateReceived)},
	{Name: string(EventApologize), Src: s(st.StateProcessing), Dst: string(st.StateProcessing)},
	{Name: string(EventApologize), Src: s(st.StateCoordinating), Dst: string(st.StateCoordinating)},
	{Name: string(EventApologize), Src: s(st.StateSupplementRequested), Dst: string(st.StateSupplementRequested)},
	// REASSIGN hands a processing agency's open leg to another of its
	// officers (the desk works as a team); the state stays.
	{Name: string(EventReassign), Src: s(st.StateProcessing), Dst: string(st.StateProcessing)},
	{Name: string(EventReassign), Src: s(st.StateCoordinating), Dst: string(st.StateCoordinating)},
	{Name: string(EventReassign), Src: s(st.StateSupplementRequested), Dst: string(st.StateSupplementRequested)},
}

// recordedType is the history type an event is recorded under.
func recordedType(ev Event) dossierevent.Type {
	switch ev {
	case EventReplyLast:
		return dossierevent.TypeReply
	case eventSupplementReceived, eventSupplementProcess, eventSupplementCoordinate:
		return dossierevent.TypeSupplement
	}
	return dossierevent.Type(ev)
}

// PortalStatus maps a state to the national portal's status code.
func PortalStatus(state st.DossierState) int {
	switch state {
	case st.StateSubmitted:
		return 1
	case st.StateReceived:
		return 2
	case st.StateRefused:
		return 3
	case st.StateProcessing, st.StateCoordinating:
		return 4
	case st.StateSupplementRequested:
		return 5
	case st.StateWithdrawn:
		return 7
	case st.StateStopped:
		return 8
	case st.StateReturned:
		return 9
	case st.StateCompleted:
		return 10
	}
	return 0
}

// machines pools state machines: building one parses the whole table into
// maps, which every transition and every list of a dossier's actions would
// otherwise do. A machine is set to the dossier's state when taken. Its
// before_event callback runs the rules check passed as the event's argument
// and cancels the event with the check's error.
var machines = sync.Pool{New: func() any {
	return fsm.NewFSM(string(st.StateSubmitted), transitions, fsm.Callbacks{
		"before_event": func(_ context.Context, fe *fsm.Event) {
			if len(fe.Args) == 0 {
				return
			}
			if err := fe.Args[0].(func() error)(); err != nil {
				fe.Cancel(err)
			}
		},
	})
}}

// machineAt takes a pooled machine in state s; give it back with
// machines.Put once done.
func machineAt(s st.DossierState) *fsm.FSM {
	m := machines.Get().(*fsm.FSM)
	m.SetState(string(s))
	return m
}

// Diagram renders the state machine as a Mermaid state diagram.
func Diagram() (string, error) {
	return fsm.VisualizeWithType(fsm.NewFSM(string(st.StateSubmitted), transitions, nil), fsm.MermaidStateDiagram)
}
