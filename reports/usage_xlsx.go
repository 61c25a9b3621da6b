package reports

import "io"

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
	rows := make([][]any, len(r.Rows))
	for i, x := range r.Rows {
		rows[i] = []any{x.Label, x.Current, x.Previous, x.Change}
	}
	return Table{
		Sheet: UsersSheet, Title: UsersTitle(r.Month),
		Header:  []string{"区分", "当月末", "前月末", "増減"},
		Widths:  []float64{58, 12, 12, 12},
		Formats: []string{FormatText, FormatCount, FormatCount, FormatSigned},
		Rows:    rows, Notes: usageNotes, GeneratedAt: r.GeneratedAt,
	}.WriteXLSX(w)
}
