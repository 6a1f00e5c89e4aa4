package workflow

import (
	"context"
	"slices"
	"sync"

	"github.com/looplab/fsm"

	"lienthong/auth"
	"lienthong/ent"
	st "lienthong/ent/schema/schematype"
)

// Event is a transition of the dossier state machine, as a client fires it
// or, for a variant, as the engine picks it (see rule.fires).
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

// A rule is one row of the state machine. The state machine's events, the
// actions a caller may take (availableActions), the state diagram and the
// history's event types all come from this table.
type rule struct {
	event Event
	// fires is the event a client fires when the engine picks this row
	// among several by the dossier (picks): the last coordination reply,
	// the state a supplementation resumes. Empty: the client fires event.
	fires Event
	picks func(t *transition) bool
	// record is the type the history records the event under.
	record st.DossierEventType
	from   []st.DossierState
	to     st.DossierState // empty: the dossier stays in its state
	// who may fire it: role and agency (FORBIDDEN).
	who check
	// when it is possible for this dossier now (CONFLICT, or
	// BAD_USER_INPUT on the dossier itself, field "id").
	when check
	// input is what the caller must give (BAD_USER_INPUT on its field).
	input check
	// apply plans what it does: the dossier's new values in upd, legs,
	// clocks and counters (written by the transition once its update wins).
	apply func(ctx context.Context, t *transition, upd *ent.DossierUpdate) error
}

// check is one of a rule's checks; nil passes.
type check func(ctx context.Context, t *transition) error

// all runs checks in order, stopping at the first failure.
func all(cs ...check) check {
	return func(ctx context.Context, t *transition) error {
		for _, c := range cs {
			if err := c(ctx, t); err != nil {
				return err
			}
		}
		return nil
	}
}

// openStates: the dossier is still being worked on.
var openStates = []st.DossierState{st.StateReceived, st.StateProcessing, st.StateCoordinating, st.StateSupplementRequested}

// pending: submitted, or still being worked on.
var pending = append([]st.DossierState{st.StateSubmitted}, openStates...)

var rules = []rule{
	{event: EventAccept, record: st.EventAccept,
		from: []st.DossierState{st.StateSubmitted}, to: st.StateReceived,
		who: atDesk(auth.RoleDeskOfficer), apply: accept},
	{event: EventForward, record: st.EventForward,
		from: []st.DossierState{st.StateReceived}, to: st.StateProcessing,
		who: atDesk(auth.RoleDeskOfficer), apply: forward},
	{event: EventTransfer, record: st.EventTransfer,
		from: []st.DossierState{st.StateProcessing}, to: st.StateProcessing,
		who: atLead(processors...), apply: transfer},
	{event: EventCoordinate, record: st.EventCoordinate,
		from: []st.DossierState{st.StateProcessing}, to: st.StateCoordinating,
		who: atLead(processors...), apply: coordinate},
	{event: EventReply, record: st.EventReply, picks: othersConsulted,
		from: []st.DossierState{st.StateCoordinating}, to: st.StateCoordinating,
		who: atConsulted(processors...), input: opinion, apply: reply},
	{event: EventReplyLast, fires: EventReply, record: st.EventReply, picks: lastConsulted,
		from: []st.DossierState{st.StateCoordinating}, to: st.StateProcessing,
		who: atConsulted(processors...), input: opinion, apply: reply},
	{event: EventSendBack, record: st.EventSendBack,
		from: []st.DossierState{st.StateProcessing}, to: st.StateProcessing,
		who: atLead(processors...), input: reason, apply: sendBack},
	{event: EventRequestSupplement, record: st.EventRequestSupplement,
		from: []st.DossierState{st.StateReceived, st.StateProcessing, st.StateCoordinating}, to: st.StateSupplementRequested,
		who: atDeskOrHolder(auth.RoleDeskOfficer, auth.RoleSpecialist, auth.RoleAgencyHead), input: all(items, reason), apply: requestSupplement},
	{event: eventSupplementReceived, fires: EventSupplement, record: st.EventSupplement, picks: resumes(st.StateReceived),
		from: []st.DossierState{st.StateSupplementRequested}, to: st.StateReceived,
		who: supplier, apply: resume},
	{event: eventSupplementProcess, fires: EventSupplement, record: st.EventSupplement, picks: resumes(st.StateProcessing),
		from: []st.DossierState{st.StateSupplementRequested}, to: st.StateProcessing,
		who: supplier, apply: resume},
	{event: eventSupplementCoordinate, fires: EventSupplement, record: st.EventSupplement, picks: resumes(st.StateCoordinating),
		from: []st.DossierState{st.StateSupplementRequested}, to: st.StateCoordinating,
		who: supplier, apply: resume},
	{event: EventReturn, record: st.EventReturn,
		from: []st.DossierState{st.StateProcessing}, to: st.StateReturned,
		who: atLead(processors...), apply: returnResult},
	{event: EventComplete, record: st.EventComplete,
		from: []st.DossierState{st.StateReturned}, to: st.StateCompleted,
		who: atDesk(auth.RoleDeskOfficer), apply: complete},
	{event: EventRefuse, record: st.EventRefuse,
		from: pending, to: st.StateRefused,
		who: deskOrHoldingHead, input: reason, apply: closeDossier},
	{event: EventWithdraw, record: st.EventWithdraw,
		from: pending, to: st.StateWithdrawn,
		who: deskOrHoldingHead, input: reason, apply: closeDossier},
	{event: EventStop, record: st.EventStop,
		from: openStates, to: st.StateStopped,
		who: atDeskOrHolder(auth.RoleAgencyHead), input: reason, apply: closeDossier},
	{event: EventApologize, record: st.EventApologize,
		from: openStates,
		who:  atLead(auth.RoleAgencyHead), when: apologyDue, input: all(reason, newAppointment), apply: apologize},
	// The desk works as a team; a processing agency's head hands its
	// open leg to one of its officers.
	{event: EventReassign, record: st.EventReassign,
		from: []st.DossierState{st.StateProcessing, st.StateCoordinating, st.StateSupplementRequested},
		who:  atHolder(auth.RoleAgencyHead), when: assignableLeg, input: assignee, apply: reassign},
}

// events is the table as the state machine takes it: a rule that keeps the
// state has one row per source state.
var events = sync.OnceValue(func() fsm.Events {
	var out fsm.Events
	for _, r := range rules {
		if r.to != "" {
			out = append(out, fsm.EventDesc{Name: string(r.event), Src: names(r.from), Dst: string(r.to)})
			continue
		}
		for _, s := range r.from {
			out = append(out, fsm.EventDesc{Name: string(r.event), Src: []string{string(s)}, Dst: string(s)})
		}
	}
	return out
})

func names(states []st.DossierState) []string {
	out := make([]string, len(states))
	for i, x := range states {
		out[i] = string(x)
	}
	return out
}

// clientEvents are the events a client fires, in the table's order.
var clientEvents = sync.OnceValue(func() []Event {
	var out []Event
	for _, r := range rules {
		ev := r.event
		if r.fires != "" {
			ev = r.fires
		}
		if !slices.Contains(out, ev) {
			out = append(out, ev)
		}
	}
	return out
})

// ruleFor is the row of the event a client fires, picked by the dossier
// in t among its variants; nil when none applies here (the state machine
// then refuses the event).
func ruleFor(ev Event, t *transition) *rule {
	for i := range rules {
		r := &rules[i]
		if (r.event == ev && r.fires == "" || r.fires == ev) && (r.picks == nil || r.picks(t)) {
			return r
		}
	}
	return nil
}

// recordedAs is the history type an event is recorded under.
func recordedAs(ev Event) st.DossierEventType {
	for _, r := range rules {
		if r.event == ev || r.fires == ev {
			return r.record
		}
	}
	return st.DossierEventType(ev)
}

// systemTypes are the history's types no transition records: intake,
// complaints and the sweeper's notes.
var systemTypes = []st.DossierEventType{st.EventSubmit, st.EventReceive, st.EventComplaint, st.EventOverdue, st.EventDueSoon}

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
	return fsm.NewFSM(string(st.StateSubmitted), events(), fsm.Callbacks{
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
	return fsm.VisualizeWithType(fsm.NewFSM(string(st.StateSubmitted), events(), nil), fsm.MermaidStateDiagram)
}
