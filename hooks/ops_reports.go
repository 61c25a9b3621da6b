package hooks

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/reports"
)

// bindOpsReports serves the usage report (利用者数報告) to the 運用 role.
// It holds counts only, no person.
func bindOpsReports(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/ops/reports/users", usersReport).
			Bind(requireCityStaff(collections.DeptOps))
		return se.Next()
	})
}

// usersReport answers GET /api/lifestage/ops/reports/users?month=YYYY-MM
// with the xlsx download, or with JSON when format=json. Without a month it
// reports the last completed month.
func usersReport(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	now := time.Now()
	m, err := reports.ReportMonth(q.Get("month"), now)
	if err != nil {
		if errors.Is(err, reports.ErrFutureMonth) {
			return fieldError("month", "invalid_month", "まだ始まっていない月は指定できません。")
		}
		return fieldError("month", "invalid_month", "月は YYYY-MM の形式で指定してください（例: 2026-03）。")
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "xlsx" {
		return fieldError("format", "invalid_format", "形式は json または xlsx を指定してください。")
	}
	r, err := reports.UsersReport(e.App, m, now)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	if format == "json" {
		return e.JSON(http.StatusOK, r.Payload())
	}
	var buf bytes.Buffer
	if err := r.WriteXLSX(&buf); err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+r.FileName()+`"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}
