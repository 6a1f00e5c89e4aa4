package directory_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lienthong/directory"
	"lienthong/server/servertest"
)

// workbook writes sheets of rows (the first row the column names) as an
// .xlsx file, as a province's spreadsheet would hold them.
func workbook(t *testing.T, sheets map[string][][]any) []byte {
	t.Helper()
	wb := excelize.NewFile()
	defer wb.Close()
	for name, rows := range sheets {
		if _, err := wb.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := wb.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := wb.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	b, err := wb.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var procedureColumns = []any{"Code", "Name", "Field", "Legal", "Province", "Unit", "Channels", "Online level", "Fee", "Supplement", "Cutoff", "Submission", "Components"}

// Procedures kept in a spreadsheet import like the YAML's: a changed fee
// revises the procedure, a new one is created with its route.
func TestImportWorkbook(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: servertest.Seeded.Demo}, func(t *testing.T, e *servertest.Env) {
		data := workbook(t, map[string][][]any{
			directory.ProceduresSheet: {
				procedureColumns,
				{"1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", 1, 1, "", "DIRECT, ONLINE", 4, 8000, "RESTART", "15:00", "không",
					"Tờ khai đăng ký khai sinh\nGiấy chứng sinh\nVăn bản ủy quyền (tùy chọn)"},
				{"1.004222", "Thủ tục đăng ký thường trú", "Đăng ký, quản lý cư trú", 7, 5, "WORKING_DAYS", "DIRECT", 2, 0, "", "", "",
					"Tờ khai thay đổi thông tin cư trú"},
			},
			directory.RouteSheet: {
				{"Procedure", "Role", "Agency", "Kind", "Days", "Task"},
				{"1.001193", "LEAD", "", "", 1, "Công chức tư pháp - hộ tịch đăng ký khai sinh"},
				{"1.004222", "LEAD", "", "police", 5, "Công an đăng ký thường trú"},
			},
		})
		src, err := directory.ParseWorkbook("thu-tuc.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := directory.Import(t.Context(), e.App.DB.Client, src, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.ProceduresRevised != 1 || rep.ProceduresCreated != 1 || fmt.Sprint(rep.Changes) != "[procedure 1.001193: version 2 procedure 1.004222: created]" {
			t.Errorf("workbook import: %+v", rep)
		}
	})
}

// A workbook's problems name the sheet and row.
func TestWorkbookProblems(t *testing.T) {
	servertest.Each(t, servertest.Options{Demo: servertest.Seeded.Demo}, func(t *testing.T, e *servertest.Env) {
		data := workbook(t, map[string][][]any{
			directory.ProceduresSheet: {
				procedureColumns,
				{"1.004222", "Thủ tục đăng ký thường trú", "Cư trú", 5, 7, "", "DIRECT", 0, "miễn phí", "", "", "", "Tờ khai"},
			},
			directory.RouteSheet: {
				{"Procedure", "Role", "Agency", "Days"},
				{"1.004222", "LEAD", "000.99.99.H43", 3},
			},
		})
		_, err := directory.ParseWorkbook("thu-tuc.xlsx", data)
		var ps directory.Problems
		if !errors.As(err, &ps) || !strings.Contains(err.Error(), `thu-tuc.xlsx, sheet procedures:2: procedures[0].fee: fee "miễn phí" is not a number`) {
			t.Fatalf("ParseWorkbook = %v, want the fee's row named", err)
		}
		data = workbook(t, map[string][][]any{
			directory.ProceduresSheet: {
				procedureColumns,
				{"1.004222", "Thủ tục đăng ký thường trú", "Cư trú", 5, 7, "", "DIRECT", 0, 0, "", "", "", "Tờ khai"},
			},
			directory.RouteSheet: {
				{"Procedure", "Role", "Agency", "Days"},
				{"1.004222", "LEAD", "000.99.99.H43", 3},
			},
		})
		src, err := directory.ParseWorkbook("thu-tuc.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		_, err = directory.Import(t.Context(), e.App.DB.Client, src, false)
		for _, want := range []string{
			"thu-tuc.xlsx, sheet procedures:2: procedures[0].limit.province: the province's limit 7 is above the legal limit 5",
			"thu-tuc.xlsx, sheet route:2: procedures[0].route[0].agency: no agency 000.99.99.H43",
		} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Import = %v, want %q", err, want)
			}
		}
	})
}
