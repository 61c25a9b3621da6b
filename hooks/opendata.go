package hooks

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/facilitysearch"
	"github.com/saijo-dx/lifestage/opendata"
	"github.com/saijo-dx/lifestage/reports"
)

// openDataMaxFile caps an uploaded CSV. A few hundred facilities take
// about 100 KB; 2 MB leaves room without letting one request fill memory.
const openDataMaxFile = 2 << 20

// openDataEditors may change facilities (the facilities create/update rule).
var openDataEditors = []string{collections.DeptChild, collections.DeptNursery, collections.DeptOps}

// bindOpenData serves the public datasets as 自治体標準オープンデータセット
// CSV files (no login, no key; the guest rate limit on /api/lifestage/
// applies) and lets facility staff import them.
func bindOpenData(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/opendata", openDataIndex)
		se.Router.GET("/api/lifestage/opendata/{file}", openDataFile)
		se.Router.POST("/api/lifestage/opendata/{dataset}/import", openDataImport).
			Bind(requireCityStaff(openDataEditors...), apis.BodyLimit(openDataMaxFile+64<<10))
		return se.Next()
	})
}

type openDataEntry struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	URL     string   `json:"url,omitempty"`
	Columns []string `json:"columns"`
	Status  string   `json:"status,omitempty"`
}

func openDataIndex(e *core.RequestEvent) error {
	var out []openDataEntry
	for _, l := range opendata.FacilityLayouts {
		out = append(out, openDataEntry{ID: l.ID, Title: l.Title, URL: "/api/lifestage/opendata/" + l.ID + ".csv", Columns: l.Columns})
	}
	out = append(out, openDataEntry{ID: opendata.Events.ID, Title: opendata.Events.Title,
		URL: "/api/lifestage/opendata/" + opendata.Events.ID + ".csv", Columns: opendata.Events.Columns})
	return e.JSON(http.StatusOK, map[string]any{"cityCode": opendata.CityCode, "encoding": "UTF-8 (BOM付き)", "datasets": out})
}

func openDataFile(e *core.RequestEvent) error {
	id, ok := strings.CutSuffix(e.Request.PathValue("file"), ".csv")
	write := func(w io.Writer) error { return writeEventsCSV(e.App, w) }
	if l := opendata.FacilityLayout(id); l != nil {
		write = func(w io.Writer) error { return writeFacilitiesCSV(e.App, l, w) }
	} else if id != opendata.Events.ID {
		ok = false
	}
	if !ok {
		return e.NotFoundError("そのオープンデータはありません。", nil)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return e.InternalServerError("", err)
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s_%s.csv"`, opendata.CityCode, id))
	h.Set("Cache-Control", "public, max-age=300")
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// writeFacilitiesCSV writes the public facilities of the layout's kinds,
// in code order, as UTF-8 with a BOM.
func writeFacilitiesCSV(app core.App, l *opendata.Layout, w io.Writer) error {
	recs, err := app.FindAllRecords("facilities", dbx.HashExp{"public": true}, dbx.In("type", anySlice(l.FacilityTypes())...))
	if err != nil {
		return err
	}
	slices.SortFunc(recs, func(a, b *core.Record) int { return strings.Compare(a.GetString("code"), b.GetString("code")) })
	return writeOpenDataCSV(w, l.Columns, recs, func(r *core.Record) []string { return l.FacilityRow(facilityOf(r)) })
}

// writeOpenDataCSV writes the header and one row per record, as UTF-8 with
// a BOM (the standard files' encoding).
func writeOpenDataCSV(w io.Writer, columns []string, recs []*core.Record, row func(*core.Record) []string) error {
	cw := reports.NewCSVWriter(w, reports.UTF8BOM)
	if err := cw.Write(columns); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write(row(r)); err != nil {
			return err
		}
	}
	return cw.Close()
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func facilityOf(r *core.Record) opendata.Facility {
	f := opendata.Facility{Code: r.GetString("code"), Name: r.GetString("name"), Kana: r.GetString("kana"),
		Type: r.GetString("type"), Services: r.GetStringSlice("services"), Address: r.GetString("address"),
		Phone: r.GetString("phone"), URL: r.GetString("url"), Hours: r.GetString("hours"),
		Description: r.GetString("description")}
	if p, ok := r.Get("location").(types.GeoPoint); ok && (p.Lat != 0 || p.Lon != 0) {
		f.Lat, f.Lng, f.HasLocation = p.Lat, p.Lon, true
	}
	if r.GetRaw("capacity") != nil && r.GetInt("capacity") > 0 {
		f.Capacity, f.HasCapacity = r.GetInt("capacity"), true
	}
	if w, ok, _ := facilitysearch.ParseHours(openingHoursRaw(r)); ok {
		f.OpenDays, f.OpensAt, f.ClosesAt = w.Summary()
	}
	return f
}

// openDataImport reads a CSV in the dataset's layout and creates or
// updates facilities by NO (= facilities.code). Every row is checked first;
// one bad row saves nothing and the answer names each bad cell.
func openDataImport(e *core.RequestEvent) error {
	dataset := e.Request.PathValue("dataset")
	if dataset == opendata.Events.ID {
		return importEvents(e)
	}
	l := opendata.FacilityLayout(dataset)
	if l == nil {
		return e.NotFoundError("取り込めるのは child-facilities（子育て施設一覧）、medical-institutions（医療機関一覧）と events（イベント一覧）です。", nil)
	}
	rows, err := uploadedRows(e)
	if err != nil {
		return err
	}
	facilities, cellErrs := l.ParseFacilities(rows)
	codes := make([]string, len(facilities))
	for i, f := range facilities {
		codes[i] = f.Code
	}
	existing, err := recordsByCode(e.App, "facilities", codes)
	if err != nil {
		return e.InternalServerError("", err)
	}
	cellErrs = append(cellErrs, typeConflicts(l, facilities, existing)...)
	if len(cellErrs) > 0 {
		return cellErrors(cellErrs)
	}
	col, err := e.App.FindCachedCollectionByNameOrId("facilities")
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]importRow, len(facilities))
	for i, f := range facilities {
		rec := existing[f.Code]
		if rec == nil {
			rec = core.NewRecord(col)
		}
		applyFacility(l, rec, f.Facility)
		out[i] = importRow{line: f.Line, rec: rec}
	}
	return saveImport(e, l.ID, out)
}

// importRow is a record filled from one line of an uploaded file.
type importRow struct {
	line int
	rec  *core.Record
}

// saveImport counts and (unless ?dryRun=true) saves the filled records in
// one transaction, as the caller so the audit log names them; a record that
// does not save rolls everything back and names its line.
func saveImport(e *core.RequestEvent, dataset string, rows []importRow) error {
	res := importResult{Dataset: dataset, Rows: len(rows), DryRun: e.Request.URL.Query().Get("dryRun") == "true"}
	for _, r := range rows {
		if r.rec.IsNew() {
			res.Created++
		} else {
			res.Updated++
		}
	}
	if res.DryRun {
		return e.JSON(http.StatusOK, res)
	}
	ctx := actorContext(e)
	err := e.App.RunInTransaction(func(tx core.App) error {
		for _, r := range rows {
			if err := tx.SaveWithContext(ctx, r.rec); err != nil {
				return rowSaveError{row: r.line, err: err}
			}
		}
		return nil
	})
	if rse, ok := err.(rowSaveError); ok {
		return fieldError(fmt.Sprintf("row%d", rse.row), "invalid_record", fmt.Sprintf("%d行目を保存できません: %v", rse.row, rse.err))
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}

// uploadedRows reads the uploaded CSV file's rows.
func uploadedRows(e *core.RequestEvent) ([][]string, error) {
	data, err := uploadedCSV(e)
	if err != nil {
		return nil, err
	}
	rows, err := opendata.ReadCSV(data)
	if err == opendata.ErrNotUTF8 {
		return nil, fieldError("file", "not_utf8", "文字コードが UTF-8 ではありません。UTF-8（BOM 付き可）で保存してください。")
	}
	if err != nil {
		return nil, fieldError("file", "invalid_csv", "CSV として読めません: "+err.Error())
	}
	return rows, nil
}

type importResult struct {
	Dataset string `json:"dataset"`
	Rows    int    `json:"rows"`
	Created int    `json:"created"`
	Updated int    `json:"updated"`
	DryRun  bool   `json:"dryRun"`
}

type rowSaveError struct {
	row int
	err error
}

func (r rowSaveError) Error() string { return fmt.Sprintf("row %d: %v", r.row, r.err) }

// uploadedCSV reads the "file" part of a multipart upload: a .csv file of
// at most openDataMaxFile bytes.
func uploadedCSV(e *core.RequestEvent) ([]byte, error) {
	f, hdr, err := e.Request.FormFile("file")
	if err != nil {
		return nil, fieldError("file", "required", "CSV ファイルを file として送ってください（multipart/form-data）。")
	}
	defer f.Close()
	ext := strings.ToLower(path.Ext(hdr.Filename))
	ct := hdr.Header.Get("Content-Type")
	if ext != ".csv" && !strings.HasPrefix(ct, "text/csv") {
		return nil, fieldError("file", "not_csv", "CSV ファイル（.csv）を選んでください。")
	}
	data, err := io.ReadAll(io.LimitReader(f, openDataMaxFile+1))
	if err != nil {
		return nil, fieldError("file", "unreadable", "ファイルを読み込めませんでした。")
	}
	if len(data) > openDataMaxFile {
		return nil, fieldError("file", "too_large", "ファイルは2MBまでです。")
	}
	return data, nil
}

// recordsByCode finds the records of a collection with a unique code
// (facilities, events) by that code: the NO of the open data files.
func recordsByCode(app core.App, collection string, codes []string) (map[string]*core.Record, error) {
	out := map[string]*core.Record{}
	if len(codes) == 0 {
		return out, nil
	}
	recs, err := app.FindAllRecords(collection, dbx.In("code", anySlice(codes)...))
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[r.GetString("code")] = r
	}
	return out, nil
}

// typeConflicts refuses to turn, say, a nursery into a clinic because a
// medical file reused its code.
func typeConflicts(l *opendata.Layout, fs []opendata.ParsedFacility, existing map[string]*core.Record) []opendata.CellError {
	var errs []opendata.CellError
	for _, f := range fs {
		if r := existing[f.Code]; r != nil && !slices.Contains(l.FacilityTypes(), r.GetString("type")) {
			errs = append(errs, opendata.CellError{Row: f.Line, Column: opendata.ColNo, Code: "code_in_use",
				Message: fmt.Sprintf("NO「%s」は%sにない種類の施設（%s）で使われています。", f.Code, l.Title, r.GetString("name"))})
		}
	}
	return errs
}

// applyFacility copies what the layout holds. Services the layout cannot
// express (vaccination, 0歳児保育 ...) are kept; imported facilities are
// public, as open data is.
func applyFacility(l *opendata.Layout, rec *core.Record, f opendata.Facility) {
	rec.Set("code", f.Code)
	rec.Set("name", f.Name)
	rec.Set("kana", f.Kana)
	rec.Set("type", f.Type)
	rec.Set("address", f.Address)
	rec.Set("location", types.GeoPoint{Lat: f.Lat, Lon: f.Lng})
	rec.Set("phone", f.Phone)
	rec.Set("url", f.URL)
	rec.Set("hours", f.Hours)
	rec.Set("description", f.Description)
	rec.Set("public", true)
	if l == opendata.MedicalInstitutions {
		kept := slices.DeleteFunc(rec.GetStringSlice("services"), opendata.MedicalService)
		rec.Set("services", append(kept, f.Services...))
	} else if f.HasCapacity {
		rec.Set("capacity", f.Capacity)
	}
}

// cellErrors answers 400 with one entry per bad cell (the first 100).
func cellErrors(errs []opendata.CellError) error {
	data := validation.Errors{}
	for _, ce := range errs {
		if len(data) == 100 {
			break
		}
		data[ce.Key()] = validation.NewError(ce.Code, ce.Message)
	}
	msg := fmt.Sprintf("CSV に誤りが%d件あります。何も保存していません。", len(errs))
	if len(errs) == 1 && errs[0].Row == 0 {
		msg = errs[0].Message
	}
	return apis.NewBadRequestError(msg, data)
}
