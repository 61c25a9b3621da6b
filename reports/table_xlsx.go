package reports

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/civil"
)

// Column formats of a Table.
const (
	FormatText    = ""        // as is
	FormatCount   = "count"   // #,##0
	FormatSigned  = "signed"  // +#,##0 / -#,##0 / 0
	FormatPercent = "percent" // 0.0% (the value is a fraction, 0.5 = 50%)
)

// Table is a one-sheet report for city staff: a title, a header row, rows,
// notes, and the time it was made.
type Table struct {
	Sheet, Title string
	Header       []string
	Widths       []float64 // column widths; missing ones stay default
	Formats      []string  // per column; missing ones are FormatText
	Rows         [][]any
	Notes        []string
	GeneratedAt  time.Time
}

// WriteXLSX writes the table as a workbook, streaming the rows.
func (t Table) WriteXLSX(w io.Writer) error { return WriteWorkbook(w, t) }

// WriteWorkbook writes several tables as the sheets of one workbook, in
// order (sheet names must differ).
func WriteWorkbook(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newTableStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err != nil {
			return err
		}
		if err := t.writeSheet(f, st); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// writeSheet streams the table into its sheet.
func (t Table) writeSheet(f *excelize.File, st tableStyles) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	for i, width := range t.Widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	row := 1
	put := func(values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, values)
	}
	if err := put(excelize.Cell{StyleID: st.title, Value: t.Title}); err != nil {
		return err
	}
	if err := put(); err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := put(header...); err != nil {
		return err
	}
	for _, r := range t.Rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = excelize.Cell{StyleID: st.forFormat(t.format(i)), Value: v}
		}
		if err := put(cells...); err != nil {
			return err
		}
	}
	if err := put(); err != nil {
		return err
	}
	for _, n := range t.Notes {
		if err := put("※ " + n); err != nil {
			return err
		}
	}
	if err := put(fmt.Sprintf("作成日時: %s（日本時間）", t.GeneratedAt.In(civil.Tokyo).Format("2006-01-02 15:04"))); err != nil {
		return err
	}
	return sw.Flush()
}

func (t Table) format(col int) string {
	if col < len(t.Formats) {
		return t.Formats[col]
	}
	return FormatText
}

type tableStyles struct{ title, header, text, count, signed, percent int }

func (s tableStyles) forFormat(format string) int {
	switch format {
	case FormatCount:
		return s.count
	case FormatSigned:
		return s.signed
	case FormatPercent:
		return s.percent
	}
	return s.text
}

func newTableStyles(f *excelize.File) (tableStyles, error) {
	var s tableStyles
	var err error
	signed, percent := "+#,##0;-#,##0;0", "0.0%"
	styles := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: borders(), Alignment: &excelize.Alignment{Horizontal: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&s.text, &excelize.Style{Border: borders()}},
		{&s.count, &excelize.Style{Border: borders(), NumFmt: 3}},
		{&s.signed, &excelize.Style{Border: borders(), CustomNumFmt: &signed}},
		{&s.percent, &excelize.Style{Border: borders(), CustomNumFmt: &percent}},
	}
	for _, x := range styles {
		if *x.dst, err = f.NewStyle(x.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "999999", Style: 1})
	}
	return out
}
