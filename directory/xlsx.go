package directory

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook sheets a province keeps its procedures in. Row 1 names the
// columns (in any order; case and spaces do not matter); every further
// row with a code is one procedure, or one step of a procedure's route.
const (
	// ProceduresSheet: code, name, field, legal, province, unit,
	// channels (comma-separated), onlineLevel, fee, supplement, cutoff,
	// submission (yes/no), components (one a line; "(optional)" or
	// "(tùy chọn)" at the end marks an optional one).
	ProceduresSheet = "procedures"
	// RouteSheet: procedure (its code), role, agency, kind, days, hours,
	// minutes, calendarDays, parallel, task — the steps in order.
	RouteSheet = "route"
)

// ParseWorkbook reads the procedures of an .xlsx workbook (ProceduresSheet
// and RouteSheet) as a directory of procedures only: their agencies must
// be in the database. Problems name the sheet and row.
func ParseWorkbook(name string, data []byte) (*Source, error) {
	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, Problems{{File: name, Msg: "not an .xlsx workbook: " + err.Error()}}
	}
	defer wb.Close()
	src := &Source{Name: name, File: &File{Version: Version}, rows: map[string]cell{}}
	var ps Problems
	procs, err := sheetRows(wb, ProceduresSheet)
	if err != nil {
		return nil, Problems{{File: name, Msg: err.Error()}}
	}
	index := map[string]int{}
	for _, r := range procs {
		i := len(src.File.Procedures)
		src.rows[fmt.Sprintf("procedures[%d]", i)] = cell{ProceduresSheet, r.n}
		p := Procedure{
			Code: r.get("code"), Name: r.get("name"), Field: r.get("field"),
			Limit:      Limit{Unit: strings.ToUpper(r.get("unit"))},
			Supplement: strings.ToUpper(r.get("supplement")), Cutoff: r.get("cutoff"),
		}
		bad := func(col, msg string) {
			ps = append(ps, Problem{File: name + ", sheet " + ProceduresSheet, Line: r.n, Field: fmt.Sprintf("procedures[%d].%s", i, col), Msg: msg})
		}
		p.Limit.Legal = r.number("legal", bad)
		p.Limit.Province = r.number("province", bad)
		p.OnlineLevel = int(r.number("onlinelevel", bad))
		p.Fee = int64(r.number("fee", bad))
		switch v := strings.ToLower(r.get("submission")); v {
		case "", "no", "không", "false", "0":
		case "yes", "có", "true", "1", "x":
			p.Submission = true
		default:
			bad("submission", fmt.Sprintf("submission %q is not yes or no", v))
		}
		for _, c := range strings.Split(r.get("channels"), ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
				p.Channels = append(p.Channels, c)
			}
		}
		for _, line := range strings.Split(r.get("components"), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			c := Component{Name: line}
			for _, mark := range []string{"(optional)", "(tùy chọn)"} {
				if n, ok := strings.CutSuffix(line, mark); ok {
					c = Component{Name: strings.TrimSpace(n), Optional: true}
				}
			}
			p.Components = append(p.Components, c)
		}
		index[p.Code] = i
		src.File.Procedures = append(src.File.Procedures, p)
	}
	steps, err := sheetRows(wb, RouteSheet)
	if err != nil {
		return nil, Problems{{File: name, Msg: err.Error()}}
	}
	for _, r := range steps {
		code := r.get("procedure")
		i, ok := index[code]
		if !ok {
			ps = append(ps, Problem{File: name + ", sheet " + RouteSheet, Line: r.n, Field: "procedure", Msg: fmt.Sprintf("no procedure %q on sheet %s", code, ProceduresSheet)})
			continue
		}
		p := &src.File.Procedures[i]
		j := len(p.Route)
		src.rows[fmt.Sprintf("procedures[%d].route[%d]", i, j)] = cell{RouteSheet, r.n}
		bad := func(col, msg string) {
			ps = append(ps, Problem{File: name + ", sheet " + RouteSheet, Line: r.n, Field: fmt.Sprintf("procedures[%d].route[%d].%s", i, j, col), Msg: msg})
		}
		p.Route = append(p.Route, Step{
			Role: strings.ToUpper(r.get("role")), Agency: r.get("agency"), Kind: r.get("kind"),
			Days: r.number("days", bad), Hours: r.number("hours", bad), Minutes: int(r.number("minutes", bad)),
			CalendarDays: int(r.number("calendarDays", bad)),
			Parallel:     int(r.number("parallel", bad)), Task: r.get("task"),
		})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return src, nil
}

// row is one row of a sheet, by column name.
type row struct {
	n    int // 1-based, as the spreadsheet shows it
	vals map[string]string
}

func (r row) get(col string) string { return strings.TrimSpace(r.vals[col]) }

func (r row) number(col string, bad func(col, msg string)) float64 {
	v := r.get(col)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
	if err != nil {
		bad(col, fmt.Sprintf("%s %q is not a number", col, v))
	}
	return f
}

// sheetRows reads a sheet's rows with a value in their first column.
func sheetRows(wb *excelize.File, sheet string) ([]row, error) {
	all, err := wb.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("sheet %q is empty: its first row names the columns", sheet)
	}
	var header []string
	for _, h := range all[0] {
		header = append(header, strings.ToLower(strings.ReplaceAll(strings.TrimSpace(h), " ", "")))
	}
	var out []row
	for i, cells := range all[1:] {
		r := row{n: i + 2, vals: map[string]string{}}
		for k, v := range cells {
			if k < len(header) {
				r.vals[header[k]] = v
			}
		}
		if len(cells) > 0 && strings.TrimSpace(cells[0]) != "" {
			out = append(out, r)
		}
	}
	return out, nil
}
