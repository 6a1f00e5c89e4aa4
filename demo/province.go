// Package demo builds the demo province: its directory (province.yaml:
// agencies after the 2025 two-tier reform, real procedures with
// inter-agency routes, officers for every role), imported through the same
// path as a real province's, the official calendars and a few dozen
// dossiers driven through the engine.
package demo

import (
	_ "embed"
	"fmt"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/directory"
)

// Agency codes of the demo province (province.yaml), by which tests and
// the demo stories name them.
const (
	Province     = "000.00.00.H43"
	ServiceDesk  = "000.00.01.H43" // Trung tâm Phục vụ hành chính công tỉnh
	Finance      = "000.00.13.H43"
	Justice      = "000.00.14.H43"
	Construction = "000.00.15.H43"
	Environment  = "000.00.17.H43"
	Health       = "000.00.18.H43"
	Police       = "000.00.30.H43"
	Tax          = "000.00.40.H43"
	SocialIns    = "000.00.41.H43"
	CommuneA     = "000.20.01.H43"
	CommuneB     = "000.20.02.H43"
)

//go:embed province.yaml
var provinceYAML []byte

// Directory is the demo province's directory file.
func Directory() (*directory.Source, error) {
	return directory.Parse("demo/province.yaml", provinceYAML)
}

// Officer is a demo user; the seed prints a token for each.
type Officer struct {
	Subject string
	Name    string
	Agency  string
	Roles   []auth.Role
}

// Officers of the demo province, one or more per role, as province.yaml
// registers them.
var Officers = func() []Officer {
	src, err := Directory()
	if err != nil {
		panic(fmt.Sprintf("demo: province.yaml: %v", err))
	}
	out := make([]Officer, len(src.File.Officers))
	for i, o := range src.File.Officers {
		out[i] = Officer{Subject: o.Subject, Name: o.Name, Agency: o.Agency}
		for _, r := range o.Roles {
			role, err := auth.ParseRole(r)
			if err != nil {
				panic(fmt.Sprintf("demo: province.yaml: officer %s: %v", o.Subject, err))
			}
			out[i].Roles = append(out[i].Roles, role)
		}
	}
	return out
}()

// day is one working day in working minutes.
const day = calendar.MinutesPerWorkingDay

// desks are where the demo receives each procedure's dossiers (a
// province's directory does not say: any desk may receive any procedure).
var desks = map[string][]string{
	"1.001193":  {CommuneA, CommuneB},
	"2.000986":  {CommuneA, CommuneB},
	"2.001583":  {ServiceDesk},
	"1.009645":  {ServiceDesk},
	"1.013225":  {CommuneA, CommuneB},
	"1.013978":  {CommuneA, CommuneB},
	"3.000333":  {ServiceDesk},
	"1.000894":  {CommuneA, CommuneB},
	"1.001612":  {CommuneA, CommuneB},
	"H43.YT.01": {ServiceDesk},
}
