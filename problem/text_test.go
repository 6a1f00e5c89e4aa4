package problem_test

import (
	"fmt"
	"strings"
	"testing"

	"lienthong/problem"
)

// TestText: the rules of free text, character by character.
func TestText(t *testing.T) {
	line, para := problem.Text{Max: 12}, problem.Text{Max: 12, Multiline: true}
	refused := []struct {
		name string
		rule problem.Text
		s    string
		want string // in the message
	}{
		{"too long", line, "Nguyễn Văn An", "at most 12"},
		{"NUL", line, "a\x00b", "U+0000"},
		{"bell", para, "a\ab", "U+0007"},
		{"tab", line, "a\tb", "U+0009"},
		{"DEL", line, "a\x7fb", "U+007F"},
		{"C1", line, "a\u0085b", "U+0085"},
		{"line feed in one line", line, "Gio Linh\nX", "no line breaks"},
		{"carriage return in one line", line, "a\rb", "no line breaks"},
		{"lone carriage return in a paragraph", para, "a\rb", "no line breaks"},
		{"line separator", para, "a\u2028b", "no line breaks"},
		{"paragraph separator", line, "a\u2029b", "no line breaks"},
		{"invalid UTF-8", line, "a\xffb", "UTF-8"},
	}
	for c := '\u202a'; c <= '\u202e'; c++ {
		refused = append(refused, struct {
			name string
			rule problem.Text
			s    string
			want string
		}{fmt.Sprintf("U+%04X", c), line, "ab" + string(c) + "cd", fmt.Sprintf("U+%04X", c)})
	}
	for _, c := range []rune{'\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'} {
		refused = append(refused, struct {
			name string
			rule problem.Text
			s    string
			want string
		}{fmt.Sprintf("U+%04X", c), para, "ab" + string(c) + "cd", fmt.Sprintf("U+%04X", c)})
	}
	for _, c := range refused {
		_, err := c.rule.Check("input.x", c.s)
		pe, ok := problem.As(err)
		if !ok || pe.Code != problem.CodeBadUserInput || pe.Field != "input.x" || !strings.Contains(pe.Message, c.want) {
			t.Errorf("%s: %v, want BAD_USER_INPUT on input.x saying %q", c.name, err, c.want)
		}
	}
	accepted := []struct {
		rule    problem.Text
		s, want string
	}{
		{line, "  Trần Thị Ánh  ", "Trần Thị Ánh"},               // trimmed
		{line, "Ệệ漢字😀ộ", "Ệệ漢字😀ộ"},                               // 6 characters, 21 bytes
		{line, strings.Repeat("ễ", 12), strings.Repeat("ễ", 12)}, // 12 characters, 36 bytes
		{para, "Kết quả\r\nsố 2\n", "Kết quả\nsố 2"},             // CR LF taken as LF
	}
	for _, c := range accepted {
		if got, err := c.rule.Check("input.x", c.s); err != nil || got != c.want {
			t.Errorf("Check(%q) = %q, %v; want %q", c.s, got, err, c.want)
		}
	}
	if err := problem.Count("items", 51, 50); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("Count(51, 50) = %v", err)
	}
	if err := problem.Count("items", 50, 50); err != nil {
		t.Errorf("Count(50, 50) = %v", err)
	}
}
