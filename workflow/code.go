package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"lienthong/calendar"
	"lienthong/problem"
)

// DossierCode is a dossier code as the one-stop desk prints it on the receipt:
// {desk agency code}-{yyMMdd}-{NNNN}, the desk's daily number from 0001.
type DossierCode struct {
	Agency string        // the desk agency's portal code, e.g. 000.20.01.H43
	Day    calendar.Date // the day of intake, in the calendar's zone
	Seq    int           // the desk's number of the day, from 1
}

// maxCodeLen bounds a code: a 32-character agency code, the date and a
// daily number far beyond any desk's day.
const maxCodeLen = 32 + 1 + 6 + 1 + 9

// String formats c as it is printed: 000.20.01.H43-261122-0001.
func (c DossierCode) String() string {
	return fmt.Sprintf("%s-%02d%02d%02d-%04d", c.Agency, c.Day.Year%100, int(c.Day.Month), c.Day.Day, c.Seq)
}

// ParseCode reads a dossier code. It accepts exactly what String prints
// for a valid code (so a code has one spelling): an agency code of letters,
// digits, dots, hyphens and underscores; a real date as yyMMdd; a daily
// number from 1, with four digits at least and no other leading zero.
func ParseCode(s string) (DossierCode, error) {
	bad := func(why string) (DossierCode, error) {
		return DossierCode{}, problem.BadInput("code", "%q is not a dossier code (desk-yyMMdd-NNNN): %s", problem.Clip(s, maxCodeLen), why)
	}
	if len(s) > maxCodeLen {
		return bad("too long")
	}
	rest, seq, ok := cutLast(s, '-')
	if !ok {
		return bad("no daily number")
	}
	agency, day, ok := cutLast(rest, '-')
	if !ok {
		return bad("no date")
	}
	if agency == "" || len(agency) > 32 || strings.IndexFunc(agency, notCodeRune) >= 0 {
		return bad("the agency code")
	}
	if len(day) != 6 || strings.IndexFunc(day, notDigit) >= 0 {
		return bad("the date is not yyMMdd")
	}
	t, err := time.Parse("060102", day)
	if err != nil {
		return bad("no such date")
	}
	if len(seq) < 4 || len(seq) > 9 || strings.IndexFunc(seq, notDigit) >= 0 {
		return bad("the daily number is not 4 to 9 digits")
	}
	n, _ := strconv.Atoi(seq) // 9 digits at most: fits
	c := DossierCode{Agency: agency, Day: calendar.DateOf(t), Seq: n}
	if n == 0 || c.String() != s {
		return bad("the daily number starts at 0001")
	}
	return c, nil
}

func cutLast(s string, sep byte) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

func notCodeRune(r rune) bool {
	return notDigit(r) && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && r != '.' && r != '-' && r != '_'
}
