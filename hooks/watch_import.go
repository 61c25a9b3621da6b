package hooks

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/register"
	"github.com/saijo-dx/lifestage/registerdb"
)

// registerMaxFile caps an uploaded extract: about 50,000 residents, more
// than the city has.
const registerMaxFile = 5 << 20

// bindWatchRegister binds choosing whom to watch: the register import, the
// candidates the rules propose, and their confirmation as watch targets.
func bindWatchRegister(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		city := requireCityStaff(collections.DeptElderly)
		// The hard cap leaves room for the multipart framing, so a file just
		// over registerMaxFile gets the Japanese field error, not a bare 413.
		upload := apis.BodyLimit(registerMaxFile + 1<<20)
		se.Router.POST("/api/lifestage/watch/import", watchImport).Bind(city, upload)
		se.Router.GET("/api/lifestage/watch/import/sample.csv", watchImportSample).Bind(city)
		se.Router.GET("/api/lifestage/watch/candidates", watchCandidates).Bind(city)
		se.Router.POST("/api/lifestage/watch/candidates/confirm", watchConfirm).Bind(city, apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

// importResponse is the outcome of an import: counted per resident.
type importResponse struct {
	registerdb.Stats
	Encoding  string              `json:"encoding"`
	Rows      int                 `json:"rows"`
	Rejected  int                 `json:"rejected"`
	Errors    []register.RowError `json:"errors"`
	Truncated bool                `json:"truncated"`
}

// watchImport loads a register extract: valid rows are written household by
// household (each in its own transaction), bad rows are reported.
func watchImport(e *core.RequestEvent) error {
	data, err := registerUpload(e)
	if err != nil {
		return err
	}
	areas, err := registerdb.Areas(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	res, err := register.Parse(data, areas, civil.Today())
	var fe *register.FileError
	if errors.As(err, &fe) {
		return fieldError("file", fe.Code, fe.Message)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	stats, err := registerdb.Write(e.App, actorContext(e), res)
	if err != nil {
		return e.InternalServerError("住民記録を取り込めませんでした。", err)
	}
	out := importResponse{Stats: stats, Encoding: res.Encoding, Rows: res.Rows, Rejected: res.Rejected + len(stats.Failed),
		Errors: append(res.Errors, stats.Failed...), Truncated: res.Truncated}
	a := actorOf(e)
	err = auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(time.Now()), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: audit.ActionImport, Collection: "residents", Record: fmt.Sprint(out.Imported + out.Updated),
		IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, out)
}

// registerUpload reads the uploaded CSV: 400 on the file field when it is
// missing, too large or not text.
func registerUpload(e *core.RequestEvent) ([]byte, error) {
	missing := fieldError("file", "missing_file", "住民記録のCSVファイルを選んでください。")
	if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
		return nil, missing
	}
	f, hdr, err := e.Request.FormFile("file")
	if err != nil {
		return nil, missing
	}
	defer f.Close()
	tooLarge := fieldError("file", "file_too_large", "ファイルが大きすぎます（5MBまで）。地区ごとなどに分けて取り込んでください。")
	if hdr.Size > registerMaxFile {
		return nil, tooLarge
	}
	notText := fieldError("file", "invalid_file_type", "CSVファイル（.csv）を選んでください。Excelのファイルは「CSV」形式で保存し直してください。")
	if ext := strings.ToLower(filepath.Ext(hdr.Filename)); ext != ".csv" && ext != ".txt" {
		return nil, notText
	}
	data, err := io.ReadAll(io.LimitReader(f, registerMaxFile+1))
	if err != nil {
		return nil, missing
	}
	if len(data) > registerMaxFile {
		return nil, tooLarge
	}
	// A renamed spreadsheet or image has binary bytes; the sniffer calls
	// Shift_JIS text "text/plain" too.
	if !strings.HasPrefix(http.DetectContentType(data), "text/") {
		return nil, notText
	}
	return data, nil
}

// watchImportSample serves the synthetic sample extract, the format to copy.
func watchImportSample(e *core.RequestEvent) error {
	e.Response.Header().Set("Content-Disposition", `attachment; filename="register-sample.csv"`)
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", register.SampleCSV)
}
