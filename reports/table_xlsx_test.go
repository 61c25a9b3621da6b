package reports

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteWorkbookSheets(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	err := WriteWorkbook(&buf,
		Table{Sheet: "一", Title: "表1", Header: []string{"a"}, Rows: [][]any{{1}}, GeneratedAt: at},
		Table{Sheet: "二", Title: "表2", Header: []string{"b"}, Rows: [][]any{{"x"}, {"y"}}, GeneratedAt: at},
	)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"一", "二"}) {
		t.Fatalf("sheets %v", got)
	}
	// Title, blank, header, rows.
	if v, _ := f.GetCellValue("二", "A5"); v != "y" {
		t.Errorf("二!A5 = %q", v)
	}
	if v, _ := f.GetCellValue("一", "A1"); v != "表1" {
		t.Errorf("一!A1 = %q", v)
	}
}
