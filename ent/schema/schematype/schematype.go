// Package schematype holds the Go types stored in JSON columns of the ent schema.
package schematype

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Component is one document a procedure asks the applicant for.
type Component struct {
	// Name of the document, as the procedure lists it.
	Name string `json:"name"`
	// Mandatory components must be present for a dossier to be received.
	Mandatory bool `json:"mandatory"`
}

// SubmittedComponent is one document handed in with a dossier.
type SubmittedComponent struct {
	// Name of the document; matches a procedure component's name.
	Name string `json:"name"`
	// Digitized is true when the document was scanned or submitted electronically.
	Digitized bool `json:"digitized"`
}

// Session is one office opening of a day, in minutes after local midnight,
// [Start, End).
type Session struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// ChannelLimit is a procedure's limit on one channel, in the procedure's
// unit: working minutes, or days when the procedure counts days.
type ChannelLimit struct {
	Channel      Channel `json:"channel"`
	LegalMinutes int     `json:"legalMinutes"`
	LimitMinutes int     `json:"limitMinutes"`
	LegalDays    int     `json:"legalDays,omitempty"`
	LimitDays    int     `json:"limitDays,omitempty"`
}

// AreaKind is what kind of area a commune is, for the limits the law
// lengthens there.
type AreaKind string

// Area kinds.
const (
	AreaMountainous AreaKind = "MOUNTAINOUS"
	AreaIsland      AreaKind = "ISLAND"
	AreaRemote      AreaKind = "REMOTE" // vùng sâu, vùng xa, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn
	AreaBorder      AreaKind = "BORDER"
)

// Values lists the area kinds.
func (AreaKind) Values() []string {
	return []string{string(AreaMountainous), string(AreaIsland), string(AreaRemote), string(AreaBorder)}
}

// MarshalGQL writes the kind as a GraphQL enum value.
func (k AreaKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads the kind from a GraphQL enum value.
func (k *AreaKind) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || !slices.Contains(AreaKind("").Values(), str) {
		return fmt.Errorf("area kind must be one of %v, got %v", AreaKind("").Values(), v)
	}
	*k = AreaKind(str)
	return nil
}

// Adjustment is a lengthening of a dossier's limit applied at intake, as
// recorded on the dossier: never recomputed.
type Adjustment struct {
	// Reference is the legal text that gives it.
	Reference string `json:"reference"`
	// Days added: working days, or days for a procedure that counts days.
	Days int `json:"days"`
	// AreaKind and Agency: where the dossier was received or routed
	// through (the agency's code).
	AreaKind AreaKind `json:"areaKind"`
	Agency   string   `json:"agency"`
}

// DossierState is the state of a dossier in the one-stop workflow.
type DossierState string

// Dossier states. The national portal's status codes are in the workflow package.
const (
	StateSubmitted           DossierState = "SUBMITTED"
	StateReceived            DossierState = "RECEIVED"
	StateProcessing          DossierState = "PROCESSING"
	StateCoordinating        DossierState = "COORDINATING"
	StateSupplementRequested DossierState = "SUPPLEMENT_REQUESTED"
	StateReturned            DossierState = "RETURNED"
	StateCompleted           DossierState = "COMPLETED"
	StateRefused             DossierState = "REFUSED"
	StateWithdrawn           DossierState = "WITHDRAWN"
	StateStopped             DossierState = "STOPPED"
)

// Values lists the states, for the ent enum.
func (DossierState) Values() []string {
	return []string{
		string(StateSubmitted), string(StateReceived), string(StateProcessing),
		string(StateCoordinating), string(StateSupplementRequested), string(StateReturned),
		string(StateCompleted), string(StateRefused), string(StateWithdrawn), string(StateStopped),
	}
}

// Channel is how a dossier reaches the desk.
type Channel string

// Channels.
const (
	ChannelDirect Channel = "DIRECT"
	ChannelOnline Channel = "ONLINE"
	ChannelPostal Channel = "POSTAL"
)

// Values lists the channels, for the ent enum.
func (Channel) Values() []string {
	return []string{string(ChannelDirect), string(ChannelOnline), string(ChannelPostal)}
}

// MarshalGQL writes the state as a GraphQL enum value.
func (s DossierState) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads the state from a GraphQL enum value.
func (s *DossierState) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("dossier state must be a string, got %T", v)
	}
	if !slices.Contains(DossierState("").Values(), str) {
		return fmt.Errorf("%q is not a dossier state", str)
	}
	*s = DossierState(str)
	return nil
}

// MarshalGQL writes the channel as a GraphQL enum value.
func (c Channel) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(c))) }

// UnmarshalGQL reads the channel from a GraphQL enum value.
func (c *Channel) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("channel must be a string, got %T", v)
	}
	if !slices.Contains(Channel("").Values(), str) {
		return fmt.Errorf("%q is not a channel", str)
	}
	*c = Channel(str)
	return nil
}

// DossierEventType is what a history event records: the type of a
// transition (workflow's event table says which transition records which
// type) or of something the system or the desk noted.
type DossierEventType string

// Event types.
const (
	EventSubmit            DossierEventType = "SUBMIT"
	EventReceive           DossierEventType = "RECEIVE"
	EventAccept            DossierEventType = "ACCEPT"
	EventForward           DossierEventType = "FORWARD"
	EventTransfer          DossierEventType = "TRANSFER"
	EventCoordinate        DossierEventType = "COORDINATE"
	EventReply             DossierEventType = "REPLY"
	EventSendBack          DossierEventType = "SEND_BACK"
	EventRequestSupplement DossierEventType = "REQUEST_SUPPLEMENT"
	EventSupplement        DossierEventType = "SUPPLEMENT"
	EventReturn            DossierEventType = "RETURN"
	EventComplete          DossierEventType = "COMPLETE"
	EventRefuse            DossierEventType = "REFUSE"
	EventWithdraw          DossierEventType = "WITHDRAW"
	EventStop              DossierEventType = "STOP"
	EventApologize         DossierEventType = "APOLOGIZE"
	EventReassign          DossierEventType = "REASSIGN"
	EventComplaint         DossierEventType = "COMPLAINT"
	EventOverdue           DossierEventType = "OVERDUE"
	EventDueSoon           DossierEventType = "DUE_SOON"
)

// eventTypes lists the types in the order the schema shows them.
var eventTypes = []DossierEventType{
	EventSubmit, EventReceive, EventAccept, EventForward, EventTransfer, EventCoordinate, EventReply,
	EventSendBack, EventRequestSupplement, EventSupplement, EventReturn, EventComplete, EventRefuse,
	EventWithdraw, EventStop, EventApologize, EventReassign, EventComplaint, EventOverdue, EventDueSoon,
}

// Values lists the event types, for the ent enum.
func (DossierEventType) Values() []string {
	out := make([]string, len(eventTypes))
	for i, t := range eventTypes {
		out[i] = string(t)
	}
	return out
}

// MarshalGQL writes the type as a GraphQL enum value.
func (t DossierEventType) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL reads the type from a GraphQL enum value.
func (t *DossierEventType) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("event type must be a string, got %T", v)
	}
	if !slices.Contains(DossierEventType("").Values(), str) {
		return fmt.Errorf("%q is not an event type", str)
	}
	*t = DossierEventType(str)
	return nil
}
