package problem

import (
	"strings"
	"unicode/utf8"
)

// Text is the rule for one kind of free text a client sends: how many
// characters (not bytes) it may hold, and whether it may run over several
// lines. Whatever the kind, text is valid UTF-8 and holds no control
// characters (C0 but the line feed of multi-line text, DEL, C1) and no
// bidirectional-text controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069), which would make what is stored print or show
// differently from what it says. A line break where one line is expected
// (LF, CR, U+2028, U+2029) is refused: on a printed form it would start a
// line of the form's own.
type Text struct {
	Max       int  // characters
	Multiline bool // line feeds allowed (CR LF is taken as LF)
}

// The kinds of free text, and their limits in characters.
var (
	// CodeText: a procedure's or agency's code, an external system's name.
	CodeText = Text{Max: 32}
	// ExternalCodeText: a dossier's code in the system it came from.
	ExternalCodeText = Text{Max: 128}
	// SourceText: the system a dossier came from.
	SourceText = Text{Max: 64}
	// NameText: of a person, an enterprise, an agency, a document (a
	// procedure's component), a field, a holiday.
	NameText = Text{Max: 255}
	// TitleText: a procedure's name, a route step's task, a document asked
	// for in a supplementation request.
	TitleText = Text{Max: 500}
	// AddressText: an applicant's address.
	AddressText = Text{Max: 512}
	// PhoneText: an applicant's phone number.
	PhoneText = Text{Max: 32}
	// EmailText: an applicant's e-mail address.
	EmailText = Text{Max: 255}
	// URLText: a webhook's address.
	URLText = Text{Max: 2048}
	// ReasonText: why a dossier is refused, withdrawn, stopped, sent back,
	// supplemented or late. One paragraph: the forms print it after "Lý do:".
	ReasonText = Text{Max: 2000}
	// NoteText: a note with a transition, a coordination opinion, a result, a
	// complaint. Kept in the history, never printed on a form: it may run
	// over several lines.
	NoteText = Text{Max: 2000, Multiline: true}
)

// Limits on how many of a thing one input lists.
const (
	MaxItems       = 50   // documents asked for in one supplementation request
	MaxComponents  = 100  // components of a procedure, or handed in with a dossier
	MaxSteps       = 50   // steps of a procedure's route
	MaxConsulted   = 20   // agencies consulted at once
	MaxEventTypes  = 50   // event types a webhook subscribes to
	MaxIDs         = 1000 // agencies a webhook or a report names
	MaxCalendarDay = 366  // overrides of one year's calendar
)

// Check checks s, trimmed of surrounding white space, against the rule for
// field, and returns it so trimmed (a multi-line text with its CR LF as
// LF). The error is BAD_USER_INPUT on field, naming the limit or the
// character refused and where it is.
func (r Text) Check(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if r.Multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if !utf8.ValidString(s) {
		return "", BadInput(field, "%s is not valid UTF-8 text", field)
	}
	n := 0
	for _, c := range s {
		n++
		switch {
		case c == '\n' && r.Multiline:
		case c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029':
			return "", BadInput(field, "%s is one line: no line breaks (character %d)", field, n)
		case c < 0x20 || c >= 0x7f && c < 0xa0:
			return "", BadInput(field, "%s holds the control character U+%04X (character %d)", field, c, n)
		case Bidi(c):
			return "", BadInput(field, "%s holds the bidirectional-text control U+%04X (character %d): it would show the text in another order than it is stored", field, c, n)
		}
	}
	if n > r.Max {
		return "", BadInput(field, "%s is %d characters long: at most %d", field, n, r.Max)
	}
	return s, nil
}

// Bidi reports whether c is a bidirectional-text control: a mark, an
// embedding, an override or an isolate.
func Bidi(c rune) bool {
	return c == '\u061c' || c == '\u200e' || c == '\u200f' || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
}

// Count refuses a list of n things where at most max are allowed:
// BAD_USER_INPUT on field, naming the limit.
func Count(field string, n, limit int) error {
	if n > limit {
		return BadInput(field, "%s lists %d: at most %d", field, n, limit)
	}
	return nil
}

// Required is the error for a text that may not be empty.
func Required(field string) error {
	return BadInput(field, "%s is required", field)
}
