// Package directory is a province's directory as data: its agencies, its
// procedures with their routes, and the officers it registers ahead of
// their first sign-in, in one documented YAML file (directory.schema.json
// lets an editor check it). Import checks a whole file first and reports
// every problem with its line and field, then applies it in one
// transaction; it is idempotent, turns a changed procedure into a new
// revision and never deletes what is no longer listed. Export writes the
// same format from a database.
package directory

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Version is the format's version; a file says which it is written in.
const Version = 1

// File is a directory as written.
type File struct {
	Version int `yaml:"version"`
	// Province names the province, for people reading the file.
	Province   string      `yaml:"province,omitempty"`
	Agencies   []Agency    `yaml:"agencies,omitempty"`
	Procedures []Procedure `yaml:"procedures,omitempty"`
	Officers   []Officer   `yaml:"officers,omitempty"`
}

// Agency is a government body.
type Agency struct {
	// Code is the agency's code on the national list, e.g. 000.00.13.H43.
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// Level is CENTRAL, PROVINCE, DEPARTMENT, DISTRICT or COMMUNE.
	Level string `yaml:"level"`
	// Kind is what the agency is in the province's own words (tax, police,
	// commune, …): a route step may name an agency by its kind.
	Kind string `yaml:"kind,omitempty"`
	// Parent is the code of the agency this one belongs to.
	Parent string `yaml:"parent,omitempty"`
	// Desk: the agency runs a one-stop desk that receives dossiers.
	Desk bool `yaml:"desk,omitempty"`
	// Inactive agencies keep their history but take no new work.
	Inactive bool `yaml:"inactive,omitempty"`
}

// Procedure is an administrative procedure as the province runs it.
type Procedure struct {
	// Code is the national procedure code (mã TTHC), e.g. 1.001193.
	Code  string `yaml:"code"`
	Name  string `yaml:"name"`
	Field string `yaml:"field"`
	Limit Limit  `yaml:"limit"`
	// Channels are DIRECT, ONLINE and POSTAL.
	Channels    []string `yaml:"channels"`
	OnlineLevel int      `yaml:"onlineLevel,omitempty"`
	// Fee in VND.
	Fee int64 `yaml:"fee,omitempty"`
	// Supplement is what supplementation does to the clocks: PAUSE (the
	// default) extends them by the paused time, RESTART starts them again.
	Supplement string `yaml:"supplement,omitempty"`
	// Cutoff (HH:MM): a dossier received later counts from the next
	// working morning.
	Cutoff string `yaml:"cutoff,omitempty"`
	// Submission: the dossiers end in a submission to the provincial
	// People's Committee.
	Submission bool        `yaml:"submission,omitempty"`
	Components []Component `yaml:"components,omitempty"`
	Route      []Step      `yaml:"route"`
}

// Limit is a procedure's time limit: the law's and the province's (at
// most the law's), in unit.
type Limit struct {
	Legal    float64 `yaml:"legal"`
	Province float64 `yaml:"province"`
	// Unit is WORKING_DAYS (the default), DAYS or HOURS (working hours).
	// DAYS are days (ngày) as the Civil Code counts them (art. 147–148),
	// a whole number: "10 ngày" is 10 DAYS, "10 ngày làm việc" 10
	// WORKING_DAYS.
	Unit string `yaml:"unit,omitempty"`
}

// Component is a document the applicant hands in.
type Component struct {
	Name     string `yaml:"name"`
	Optional bool   `yaml:"optional,omitempty"`
}

// Step is one step of a route: an agency's turn, in order.
type Step struct {
	// Role is LEAD (holds the dossier) or COORDINATE (is consulted).
	Role string `yaml:"role"`
	// Agency is the code of the agency; Kind names it by its kind
	// instead (the one active agency of that kind). Neither: the agency
	// whose desk received the dossier.
	Agency string `yaml:"agency,omitempty"`
	Kind   string `yaml:"kind,omitempty"`
	// The time allotted, in one of working days, working hours, working
	// minutes or days (calendarDays: ngày, as the Civil Code counts them,
	// e.g. a consultation the law gives 12 ngày).
	Days         float64 `yaml:"days,omitempty"`
	Hours        float64 `yaml:"hours,omitempty"`
	Minutes      int     `yaml:"minutes,omitempty"`
	CalendarDays int     `yaml:"calendarDays,omitempty"`
	// Parallel groups consecutive COORDINATE steps that run at once.
	Parallel int    `yaml:"parallel,omitempty"`
	Task     string `yaml:"task,omitempty"`
}

// Officer is an officer registered ahead of their first sign-in; their
// token's subject must match.
type Officer struct {
	Subject string   `yaml:"subject"`
	Name    string   `yaml:"name"`
	Agency  string   `yaml:"agency"`
	Roles   []string `yaml:"roles"`
}

// Problem is something wrong with a directory, where it is.
type Problem struct {
	File  string
	Line  int    // 0 when unknown
	Field string // e.g. agencies[3].parent
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is the list of a file's problems; as an error it names them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s):\n%s", len(ps), strings.Join(lines, "\n"))
}

// Source is a parsed file with what locates its fields.
type Source struct {
	Name string
	File *File
	ast  *ast.File
	// rows locate the fields of a file read from a workbook: field path
	// prefix → sheet and row.
	rows map[string]cell
}

// cell is a row of a workbook's sheet.
type cell struct {
	sheet string
	row   int
}

// Parse reads a directory file; name is how problems name it.
func Parse(name string, data []byte) (*Source, error) {
	src := &Source{Name: name, File: &File{}}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Problems{src.yamlProblem(err)}
	}
	src.ast = f
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict()).Decode(src.File); err != nil {
		return nil, Problems{src.yamlProblem(err)}
	}
	return src, nil
}

// yamlProblem locates a YAML error.
func (s *Source) yamlProblem(err error) Problem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		p := Problem{File: s.Name, Msg: ye.GetMessage()}
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			p.Line = tok.Position.Line
		}
		return p
	}
	return Problem{File: s.Name, Msg: err.Error()}
}

// at is a problem at a field, given as a path of keys and indexes, e.g.
// at("agencies", 3, "parent").
func (s *Source) at(msg string, path ...any) Problem {
	if s.rows != nil { // a workbook: the sheet and row
		for n := len(path); n > 0; n-- {
			if c, ok := s.rows[fieldName(path[:n])]; ok {
				return Problem{File: s.Name + ", sheet " + c.sheet, Line: c.row, Field: fieldName(path), Msg: msg}
			}
		}
		return Problem{File: s.Name, Field: fieldName(path), Msg: msg}
	}
	return Problem{File: s.Name, Line: s.line(path), Field: fieldName(path), Msg: msg}
}

func fieldName(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// line finds the line of the deepest node of path that the file has.
func (s *Source) line(path []any) int {
	if s.ast == nil {
		return 0
	}
	for n := len(path); n > 0; n-- {
		b := (&yaml.PathBuilder{}).Root()
		for _, p := range path[:n] {
			switch k := p.(type) {
			case string:
				b = b.Child(k)
			case int:
				b = b.Index(uint(k))
			}
		}
		node, err := b.Build().FilterFile(s.ast)
		if err == nil && node != nil && node.GetToken() != nil && node.GetToken().Position != nil {
			return node.GetToken().Position.Line
		}
	}
	return 0
}

//go:embed directory.schema.json
var schema []byte

// Schema is the JSON Schema of the format, for editors.
func Schema() []byte { return schema }
