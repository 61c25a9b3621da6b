package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// The handover export (引継ぎデータ, spec §5(1)イ) writes every collection
// with its 項目説明書. It is the city's own data handed back to the city, so
// it is not pseudonymised; it holds personal data and is handled under
// 別紙2. Secrets (Hidden columns, password hashes, token keys) never leave.

// Export formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Names of the files and sheets beside the collections.
const (
	DictionaryFile   = "_dictionary.csv"  // 項目説明書 (CSV)
	CollectionsFile  = "_collections.csv" // コレクション一覧 with row counts (CSV)
	WorkbookFile     = "lifestage-export.xlsx"
	DictionarySheet  = "項目説明書"
	CollectionsSheet = "コレクション一覧"
)

// DefaultBatchSize is how many records the export reads per query.
const DefaultBatchSize = 1000

// PersonalDataNotice heads the 項目説明書 and the collection list.
const PersonalDataNotice = "注意: このデータには個人情報（氏名・生年月日・住所・連絡先等）が含まれます。" +
	"別紙2「委託契約に係る個人情報取扱いに関する特記仕様書」に従って取り扱い、引継ぎ以外の目的に使わないでください。"

// ExportOptions configures Export.
type ExportOptions struct {
	Format    string   // FormatCSV or FormatXLSX
	Encoding  Encoding // CSV only
	Dir       string   // created with mode 0700; must be empty if it exists
	BatchSize int      // records per query; DefaultBatchSize when 0
	Now       time.Time
	// Progress, when set, is called after each collection.
	Progress func(c ExportedCollection)
	// Decrypt gives the clear text of a field stored encrypted
	// (Spec.Encrypted). An export of a collection with such fields fails
	// without it: the receiving system could not read the ciphertext.
	Decrypt func(r *core.Record, field string) (string, error)
}

// ExportedCollection is one collection written by Export.
type ExportedCollection struct {
	Name string
	Rows int
	// Where is the file name (CSV) or the sheet name (xlsx).
	Where string
}

// ExportResult lists what Export wrote.
type ExportResult struct {
	Collections []ExportedCollection
	Files       []string // paths, relative to nothing: as written
	// Undocumented lists database columns ("users.avatar") that collections/
	// does not define. They are not exported, since the 項目説明書 cannot
	// describe them; each one is a schema drift to fix.
	Undocumented []string
}

// Export writes every collection in collections.All() and the 項目説明書
// into opts.Dir. Records are read in pages, so a city-sized table never sits
// in memory. On failure the files written so far are removed.
func Export(app core.App, opts ExportOptions) (res *ExportResult, err error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Format != FormatCSV && opts.Format != FormatXLSX {
		return nil, fmt.Errorf("reports: unknown export format %q (csv or xlsx)", opts.Format)
	}
	if err := prepareDir(opts.Dir); err != nil {
		return nil, err
	}
	x := &exporter{app: app, opts: opts, res: &ExportResult{}}
	defer func() {
		if err != nil {
			for _, f := range x.res.Files {
				os.Remove(f)
			}
			res = nil
		}
	}()
	if err := x.plan(); err != nil {
		return x.res, err
	}
	if opts.Format == FormatXLSX {
		return x.res, x.workbook()
	}
	return x.res, x.csvFiles()
}

// prepareDir creates the output dir (0700), or accepts an empty one and
// narrows it to 0700, so a handover never mixes with other files.
func prepareDir(dir string) error {
	if dir == "" {
		return errors.New("reports: no output directory")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("reports: the output directory %s is not empty", dir)
	}
	return os.Chmod(dir, 0o700)
}

type exportTable struct {
	spec    collections.Spec
	col     *core.Collection
	columns []collections.DictionaryRow // exported columns, in table order
	where   string
}

// value reads a column of a record, decrypting what is stored encrypted.
func (x *exporter) value(r *core.Record, c collections.DictionaryRow) (any, error) {
	if !c.Encrypted {
		return r.Get(c.Field), nil
	}
	if x.opts.Decrypt == nil {
		return nil, fmt.Errorf("%s.%s is stored encrypted and the export was given no way to decrypt it", c.Collection, c.Field)
	}
	v, err := x.opts.Decrypt(r, c.Field)
	if err != nil {
		return nil, fmt.Errorf("%s of record %s cannot be decrypted (is the field key set?): %w", c.Field, r.Id, err)
	}
	return v, nil
}

type exporter struct {
	app    core.App
	opts   ExportOptions
	res    *ExportResult
	tables []exportTable
	dict   []collections.DictionaryRow
}

// plan finds every collection and its exported columns, and the columns
// the database has that collections/ does not define.
func (x *exporter) plan() error {
	x.dict = collections.DictionaryRows()
	sheets := map[string]bool{DictionarySheet: true, CollectionsSheet: true}
	for _, s := range collections.All() {
		col, err := x.app.FindCollectionByNameOrId(s.Name)
		if err != nil {
			return fmt.Errorf("reports: collection %s is missing (run the migrations): %w", s.Name, err)
		}
		t := exportTable{spec: s, col: col}
		known := map[string]bool{}
		for _, r := range x.dict {
			if r.Collection != s.Name {
				continue
			}
			known[r.Field] = true
			if !r.Exported() {
				continue
			}
			if col.Fields.GetByName(r.Field) == nil {
				return fmt.Errorf("reports: %s.%s is defined in collections/ but not in the database (run the migrations)", s.Name, r.Field)
			}
			t.columns = append(t.columns, r)
		}
		for _, f := range col.Fields {
			if !known[f.GetName()] && !f.GetHidden() && f.Type() != core.FieldTypePassword {
				x.res.Undocumented = append(x.res.Undocumented, s.Name+"."+f.GetName())
			}
		}
		if x.opts.Format == FormatXLSX {
			t.where = sheetName(s.Name, sheets)
		} else {
			t.where = s.Name + ".csv"
		}
		x.tables = append(x.tables, t)
	}
	return nil
}

// sheetName fits a collection name into Excel's 31 characters, uniquely.
func sheetName(name string, used map[string]bool) string {
	base := name
	if len(base) > excelize.MaxSheetNameLength {
		base = base[:excelize.MaxSheetNameLength]
	}
	s := base
	for i := 2; used[s]; i++ {
		suffix := "~" + strconv.Itoa(i)
		s = base[:min(len(base), excelize.MaxSheetNameLength-len(suffix))] + suffix
	}
	used[s] = true
	return s
}

// createFile creates a new file readable by its owner only.
func (x *exporter) createFile(name string) (*os.File, error) {
	path := filepath.Join(x.opts.Dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	x.res.Files = append(x.res.Files, path)
	return f, nil
}

// each pages through a collection in id order and calls fn per record.
func (x *exporter) each(t exportTable, fn func(r *core.Record) error) (int, error) {
	n, last := 0, ""
	for {
		var recs []*core.Record
		err := x.app.RecordQuery(t.col).
			AndWhere(dbx.NewExp("[[id]] > {:last}", dbx.Params{"last": last})).
			OrderBy("id ASC").
			Limit(int64(x.opts.BatchSize)).
			All(&recs)
		if err != nil {
			return n, err
		}
		for _, r := range recs {
			if err := fn(r); err != nil {
				return n, err
			}
			n++
		}
		if len(recs) < x.opts.BatchSize {
			return n, nil
		}
		last = recs[len(recs)-1].Id
	}
}

func (x *exporter) done(t exportTable, rows int) {
	c := ExportedCollection{Name: t.spec.Name, Rows: rows, Where: t.where}
	x.res.Collections = append(x.res.Collections, c)
	if x.opts.Progress != nil {
		x.opts.Progress(c)
	}
}

func header(t exportTable) []string {
	h := make([]string, len(t.columns))
	for i, c := range t.columns {
		h[i] = c.Field
	}
	return h
}

// ---- CSV ----

func (x *exporter) csvFiles() error {
	if err := x.csvTable(DictionaryFile, x.dictionaryTable()); err != nil {
		return fmt.Errorf("%s: %w", DictionaryFile, err)
	}
	for _, t := range x.tables {
		f, err := x.createFile(t.where)
		if err != nil {
			return err
		}
		w := NewCSVWriter(f, x.opts.Encoding)
		n, err := func() (int, error) {
			if err := w.Write(header(t)); err != nil {
				return 0, err
			}
			row := make([]string, len(t.columns))
			return x.each(t, func(r *core.Record) error {
				for i, c := range t.columns {
					v, err := x.value(r, c)
					if err != nil {
						return err
					}
					row[i] = textValue(v)
				}
				return w.Write(row)
			})
		}()
		if err == nil {
			err = w.Close()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.spec.Name, err)
		}
		x.done(t, n)
	}
	if err := x.csvTable(CollectionsFile, x.collectionsTable()); err != nil {
		return fmt.Errorf("%s: %w", CollectionsFile, err)
	}
	return nil
}

func (x *exporter) csvTable(name string, rows [][]string) error {
	f, err := x.createFile(name)
	if err != nil {
		return err
	}
	w := NewCSVWriter(f, x.opts.Encoding)
	for _, r := range rows {
		if err = w.Write(r); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ---- xlsx ----

func (x *exporter) workbook() error {
	// excelize spills large sheets to temporary files; keep them in the
	// private output dir, not in a shared /tmp.
	wb := excelize.NewFile(excelize.Options{TmpDir: x.opts.Dir})
	defer wb.Close()
	if err := wb.SetSheetName("Sheet1", DictionarySheet); err != nil {
		return err
	}
	if _, err := wb.NewSheet(CollectionsSheet); err != nil {
		return err
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := x.sheetTable(wb, DictionarySheet, x.dictionaryTable(), bold, dictionaryHeaderRow); err != nil {
		return fmt.Errorf("%s: %w", DictionarySheet, err)
	}
	for _, t := range x.tables {
		if _, err := wb.NewSheet(t.where); err != nil {
			return fmt.Errorf("%s: %w", t.spec.Name, err)
		}
		n, err := x.sheetRecords(wb, t, bold)
		if err != nil {
			return fmt.Errorf("%s: %w", t.spec.Name, err)
		}
		x.done(t, n)
	}
	if err := x.sheetTable(wb, CollectionsSheet, x.collectionsTable(), bold, collectionsHeaderRow); err != nil {
		return fmt.Errorf("%s: %w", CollectionsSheet, err)
	}
	wb.SetActiveSheet(0)
	f, err := x.createFile(WorkbookFile)
	if err != nil {
		return err
	}
	_, err = wb.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sheetTable writes a small table; the row headerRow (1-based) is bold.
func (x *exporter) sheetTable(wb *excelize.File, sheet string, rows [][]string, bold, headerRow int) error {
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, r := range rows {
		vals := make([]any, len(r))
		for j, v := range r {
			if i+1 == headerRow || i == 0 {
				vals[j] = excelize.Cell{StyleID: bold, Value: v}
			} else {
				vals[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (x *exporter) sheetRecords(wb *excelize.File, t exportTable, bold int) (int, error) {
	sw, err := wb.NewStreamWriter(t.where)
	if err != nil {
		return 0, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	head := make([]any, len(t.columns))
	for i, c := range t.columns {
		head[i] = excelize.Cell{StyleID: bold, Value: c.Field}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return 0, err
	}
	line := 1
	vals := make([]any, len(t.columns))
	n, err := x.each(t, func(r *core.Record) error {
		line++
		if line > excelize.TotalRows {
			return fmt.Errorf("more than %d rows do not fit in an xlsx sheet; export with --format csv", excelize.TotalRows-1)
		}
		for i, c := range t.columns {
			raw, err := x.value(r, c)
			if err != nil {
				return err
			}
			v, err := sheetValue(raw)
			if err != nil {
				return fmt.Errorf("%s of %s: %w", c.Field, r.Id, err)
			}
			vals[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, line)
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return n, err
	}
	return n, sw.Flush()
}

// ---- values ----

// instantLayout writes instants as RFC 3339 in Japanese time, to the
// millisecond PocketBase stores.
const instantLayout = "2006-01-02T15:04:05.000Z07:00"

// textValue is a stored value as CSV text: numbers in plain decimal,
// booleans as true/false, instants in RFC 3339 (+09:00), lists and JSON as
// JSON.
func textValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case types.DateTime:
		if x.IsZero() {
			return ""
		}
		return x.Time().In(civil.Tokyo).Format(instantLayout)
	case types.JSONRaw:
		if len(x) == 0 || string(x) == "null" {
			return ""
		}
		return string(x)
	case []string:
		if len(x) == 0 {
			return "[]"
		}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

// maxCellChars is the most UTF-16 units an Excel cell holds; excelize
// would silently cut a longer value.
const maxCellChars = excelize.TotalCellChars

// sheetValue keeps numbers and booleans typed in xlsx and writes the rest
// as text.
func sheetValue(v any) (any, error) {
	switch x := v.(type) {
	case float64, bool:
		return x, nil
	}
	s := textValue(v)
	// A UTF-8 string has at least as many bytes as UTF-16 units.
	if len(s) > maxCellChars && utf16Len(s) > maxCellChars {
		return nil, fmt.Errorf("a value of %d characters does not fit in an xlsx cell; export with --format csv", utf16Len(s))
	}
	return s, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// ---- the 項目説明書 and the collection list ----

var dictionaryHeader = []string{
	"コレクション", "コレクションの説明", "システム", "個人情報", "要配慮",
	"項目", "型", "説明", "必須", "共通項目", "最小文字数", "最大文字数", "形式（正規表現）",
	"選択肢", "参照先", "最小値", "最大値", "整数のみ", "最大件数", "暗号化して保存", "非公開", "出力", "値の形式",
}

// dictionaryHeaderRow is the 1-based row of dictionaryHeader in the
// dictionary table (after the title, the notice, two notes and a blank).
const dictionaryHeaderRow = 6

func (x *exporter) preamble(title string) [][]string {
	enc := "UTF-8（BOM付き）"
	if x.opts.Encoding == ShiftJIS {
		enc = "Shift_JIS"
	}
	if x.opts.Format == FormatXLSX {
		enc = "xlsx"
	}
	return [][]string{
		{title},
		{PersonalDataNotice},
		{fmt.Sprintf("作成日時: %s（日本時間）　形式: %s", x.opts.Now.In(civil.Tokyo).Format("2006-01-02 15:04"), enc)},
		{"日時は RFC 3339（日本時間 +09:00）、複数の値は JSON 配列です。「出力」が × の項目は秘密情報のため出力していません。"},
		{},
	}
}

func mark(b bool) string {
	if b {
		return "○"
	}
	return ""
}

func (x *exporter) dictionaryTable() [][]string {
	rows := append(x.preamble("項目説明書（lifestage 引継ぎデータ）"), dictionaryHeader)
	for _, r := range x.dict {
		out := "○"
		if !r.Exported() {
			out = "×（秘密情報）"
		}
		minLen, maxLen, maxSel := "", "", ""
		if r.MinLength > 0 {
			minLen = strconv.Itoa(r.MinLength)
		}
		if r.MaxLength > 0 {
			maxLen = strconv.Itoa(r.MaxLength)
		}
		if r.MaxSelect > 1 {
			maxSel = strconv.Itoa(r.MaxSelect)
		}
		rows = append(rows, []string{
			r.Collection, r.CollectionDescription, string(r.System), mark(r.Personal), mark(r.Sensitive),
			r.Field, r.Type, r.Help, mark(r.Required), mark(r.Builtin), minLen, maxLen, r.Pattern,
			strings.Join(r.Values, ", "), r.Target, r.Min, r.Max, mark(r.OnlyInt), maxSel, mark(r.Encrypted), mark(r.Hidden), out, valueFormat(r),
		})
	}
	return rows
}

// collectionsHeaderRow is the 1-based row of the collection list's header.
const collectionsHeaderRow = 6

func (x *exporter) collectionsTable() [][]string {
	where := "ファイル"
	if x.opts.Format == FormatXLSX {
		where = "シート"
	}
	rows := append(x.preamble("コレクション一覧（lifestage 引継ぎデータ）"),
		[]string{"コレクション", "説明", "システム", "個人情報", "要配慮", "件数", where})
	for i, c := range x.res.Collections {
		s := x.tables[i].spec
		rows = append(rows, []string{s.Name, s.Description, string(s.System), mark(s.Personal), mark(s.Sensitive), strconv.Itoa(c.Rows), c.Where})
	}
	if len(x.res.Undocumented) > 0 {
		rows = append(rows, []string{}, []string{"項目説明書に定義がないため出力しなかった項目: " + strings.Join(x.res.Undocumented, ", ")})
	}
	return rows
}

// valueFormat says how the export writes a column's values.
func valueFormat(r collections.DictionaryRow) string {
	if !r.Exported() {
		return "出力しない"
	}
	if r.Encrypted {
		return "文字列（保存時は暗号化。出力は復号した平文）"
	}
	list := r.MaxSelect > 1
	switch r.Type {
	case core.FieldTypeNumber:
		if r.OnlyInt {
			return "整数"
		}
		return "数値"
	case core.FieldTypeBool:
		return "true / false"
	case core.FieldTypeDate, core.FieldTypeAutodate:
		return "日時（例 2026-04-01T09:30:00.000+09:00）。未設定は空"
	case core.FieldTypeSelect:
		if list {
			return `選択肢の値の JSON 配列（例 ["a","b"]）`
		}
		return "選択肢の値。未設定は空"
	case core.FieldTypeRelation:
		if list {
			return "参照先レコードの id の JSON 配列"
		}
		return "参照先レコードの id。未設定は空"
	case core.FieldTypeFile:
		if list {
			return "ファイル名の JSON 配列（ファイル本体は含まない）"
		}
		return "ファイル名（ファイル本体は含まない）"
	case core.FieldTypeJSON:
		return "JSON"
	case core.FieldTypeGeoPoint:
		return `JSON（{"lon":経度,"lat":緯度}）`
	case core.FieldTypeEditor:
		return "HTML"
	}
	return "文字列"
}

// Rows is the number of records written, over all collections.
func (r *ExportResult) Rows() int {
	n := 0
	for _, c := range r.Collections {
		n += c.Rows
	}
	return n
}
