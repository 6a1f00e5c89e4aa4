package forms

import (
	"strings"
	"unicode/utf8"

	"lienthong/ent"
	"lienthong/problem"
)

// missingGlyph is what a form prints for a character its font lacks (a
// Chinese character in a name, an emoji): visibly something, where
// gopdf's default prints a space and the character silently vanishes.
const missingGlyph = '?'

// printable is stored free text as a form prints it: on the lines the
// form gives it, never a line of its own. The inputs' rules (problem.Text)
// keep line breaks, control and bidirectional-text characters out of
// what is printed; a row stored before them prints its line breaks as
// spaces and the other characters as missingGlyph.
func printable(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(missingGlyph))
	}
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029':
			return ' '
		case c < 0x20 || c >= 0x7f && c < 0xa0 || problem.Bidi(c):
			return missingGlyph
		}
		return c
	}, s)
}

// printableDossier makes every free text of a dossier loaded for a form
// printable, in place: the applicant's, the procedure's and its
// components' names, the agencies' and officers' names, the events'
// reasons and notes.
func printableDossier(d *ent.Dossier) {
	for _, s := range []*string{&d.ApplicantName, &d.ApplicantAddress, &d.ApplicantPhone, &d.ApplicantEmail} {
		*s = printable(*s)
	}
	for i := range d.Components {
		d.Components[i].Name = printable(d.Components[i].Name)
	}
	if p := d.Edges.Procedure; p != nil {
		p.Name = printable(p.Name)
	}
	for _, a := range []*ent.Agency{d.Edges.DeskAgency, d.Edges.LeadAgency} {
		if a != nil {
			a.Name = printable(a.Name)
		}
	}
	for _, l := range d.Edges.Legs {
		if l.Edges.Agency != nil {
			l.Edges.Agency.Name = printable(l.Edges.Agency.Name)
		}
	}
	for _, e := range d.Edges.Events {
		e.Reason, e.Note = printable(e.Reason), printable(e.Note)
		if e.Edges.Actor != nil {
			e.Edges.Actor.Name = printable(e.Edges.Actor.Name)
		}
		if e.Edges.Agency != nil {
			e.Edges.Agency.Name = printable(e.Edges.Agency.Name)
		}
	}
}
