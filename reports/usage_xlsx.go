package reports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/civil"
)

// UsersSheet is the usage report's sheet name.
const UsersSheet = "利用者数"

// XLSXContentType is the media type of an xlsx file.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// UsersTitle is the report's title row, e.g. 利用者数報告 2026年3月.
func UsersTitle(m Month) string { return "利用者数報告 " + m.Label() }

// usageNotes explain how the figures are counted, below the table.
var usageNotes = []string{
	"当月末・前月末: その月の末日 24:00（日本時間）の時点で登録されているアカウントの数です。",
	"職員・ボランティアは、現在有効なアカウントだけを数えます（無効にしたアカウントは前月末にも数えません）。",
	"保護者は子どもの保護者として登録されている市民、家族共有は受諾済みでその時点で取り消されていない共有を受けている市民です。",
	"この報告は人数だけを含み、個人情報は含みません。",
}

// WriteXLSX writes the report as a workbook with one sheet (利用者数): a
// title row, the header 区分 / 当月末 / 前月末 / 増減, one row per line,
// then the notes and the time it was made.
func (r UsageReport) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", UsersSheet); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    borders(),
		Alignment: &excelize.Alignment{Horizontal: "center"},
	})
	if err != nil {
		return err
	}
	label, err := f.NewStyle(&excelize.Style{Border: borders()})
	if err != nil {
		return err
	}
	count, err := f.NewStyle(&excelize.Style{Border: borders(), NumFmt: 3}) // #,##0
	if err != nil {
		return err
	}
	signed := "+#,##0;-#,##0;0"
	change, err := f.NewStyle(&excelize.Style{Border: borders(), CustomNumFmt: &signed})
	if err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(UsersSheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 58); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 4, 12); err != nil {
		return err
	}
	row := 1
	put := func(values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, values)
	}
	if err := put(excelize.Cell{StyleID: title, Value: UsersTitle(r.Month)}); err != nil {
		return err
	}
	if err := put(); err != nil {
		return err
	}
	if err := put(
		excelize.Cell{StyleID: header, Value: "区分"},
		excelize.Cell{StyleID: header, Value: "当月末"},
		excelize.Cell{StyleID: header, Value: "前月末"},
		excelize.Cell{StyleID: header, Value: "増減"},
	); err != nil {
		return err
	}
	for _, x := range r.Rows {
		if err := put(
			excelize.Cell{StyleID: label, Value: x.Label},
			excelize.Cell{StyleID: count, Value: x.Current},
			excelize.Cell{StyleID: count, Value: x.Previous},
			excelize.Cell{StyleID: change, Value: x.Change},
		); err != nil {
			return err
		}
	}
	if err := put(); err != nil {
		return err
	}
	for _, n := range usageNotes {
		if err := put("※ " + n); err != nil {
			return err
		}
	}
	generated := r.GeneratedAt.In(civil.Tokyo).Format("2006-01-02 15:04")
	if err := put(fmt.Sprintf("作成日時: %s（日本時間）", generated)); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "999999", Style: 1})
	}
	return out
}
