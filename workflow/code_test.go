package workflow

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lienthong/calendar"
	"lienthong/problem"
)

func TestParseCode(t *testing.T) {
	good := map[string]DossierCode{
		"000.20.01.H43-261122-0001":  {Agency: "000.20.01.H43", Day: calendar.Date{Year: 2026, Month: time.November, Day: 22}, Seq: 1},
		"000.20.01.H43-280229-12345": {Agency: "000.20.01.H43", Day: calendar.Date{Year: 2028, Month: time.February, Day: 29}, Seq: 12345},
		"SO-TNMT-HN-261231-9999":     {Agency: "SO-TNMT-HN", Day: calendar.Date{Year: 2026, Month: time.December, Day: 31}, Seq: 9999},
	}
	for s, want := range good {
		got, err := ParseCode(s)
		if err != nil || got != want {
			t.Errorf("ParseCode(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	bad := map[string]string{
		"":                                   "no daily number",
		"000.20.01.H43":                      "no daily number",
		"000.20.01.H43-0001":                 "no date",
		"-261122-0001":                       "the agency code",
		"000.20.01.H43-261122-0000":          "starts at 0001",
		"000.20.01.H43-261122-00001":         "starts at 0001",
		"000.20.01.H43-261122-001":           "4 to 9 digits",
		"000.20.01.H43-261122-+001":          "4 to 9 digits",
		"000.20.01.H43-261322-0001":          "no such date",
		"000.20.01.H43-260229-0001":          "no such date",
		"000.20.01.H43-2611220-0001":         "the date is not yyMMdd",
		"000 20 01 H43-261122-0001":          "the agency code",
		"Sở-261122-0001":                     "the agency code",
		strings.Repeat("9", 60) + "-0001":    "too long",
		"000.20.01.H43-261122-0001\n":        "4 to 9 digits",
		"000.20.01.H43-261122-0001' OR '1'=": "4 to 9 digits",
	}
	for s, want := range bad {
		_, err := ParseCode(s)
		var e *problem.Error
		if !errors.As(err, &e) || e.Code != problem.CodeBadUserInput || e.Field != "code" || !strings.Contains(e.Message, want) {
			t.Errorf("ParseCode(%q) = %v, want BAD_USER_INPUT on code saying %q", s, err, want)
		}
	}
}

// FuzzParseCode: no input panics; an accepted code is printed back exactly
// as it was written, with a daily number from 1 and a valid agency; a
// refused one is a BAD_USER_INPUT on "code" with a valid UTF-8 message.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"000.20.01.H43-261122-0001", "a-000229-123456789", "x-991231-0001", "--", "-261122-0001-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			var e *problem.Error
			if !errors.As(err, &e) || e.Code != problem.CodeBadUserInput || e.Field != "code" || !utf8.ValidString(e.Message) {
				t.Fatalf("ParseCode(%q): %v", s, err)
			}
			return
		}
		if c.String() != s || c.Seq < 1 || c.Agency == "" || len(c.Agency) > 32 {
			t.Fatalf("ParseCode(%q) = %+v, printed %q", s, c, c.String())
		}
		again, err := ParseCode(c.String())
		if err != nil || again != c {
			t.Fatalf("reparse of %q = %+v, %v", c.String(), again, err)
		}
	})
}
