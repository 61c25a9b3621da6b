package hooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/billing"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/invoicing"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/reports"
)

const (
	billingJobID = "lifestageNurseryBilling"
	// billingSchedule runs before the working day, so each nursery finds its
	// drafts on its closing day (cron runs in Tokyo time).
	billingSchedule = "0 5 * * *"
)

// bindNurseryBilling binds the monthly billing: its job, the city's run and
// issue routes, the export, and the status rules of invoices.
func bindNurseryBilling(app core.App) {
	bindJob(app, billingJobID, billingSchedule, func(a core.App) {
		sums, err := invoicing.ClosingDay(a, audit.WithActor(context.Background(), audit.System), civil.Today())
		for _, s := range sums {
			a.Logger().Info("nursery billing", "month", s.Month, "nursery", s.Nursery, "created", s.Created,
				"updated", s.Updated, "skipped", s.Skipped, "held", s.Held, "totalYen", s.TotalYen)
		}
		if err != nil {
			a.Logger().Error("nursery billing failed", "error", err)
		}
	})
	app.OnRecordUpdate(collections.Invoices).BindFunc(invoiceTransition)
	app.OnRecordAfterUpdateSuccess(collections.Invoices).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == collections.InvoiceIssued && e.Record.Original().GetString("status") == collections.InvoiceDraft {
			tellInvoiceIssued(e.App, e.Record)
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		city := requireCityStaff(collections.DeptNursery)
		se.Router.POST("/api/lifestage/nursery/billing/run", runBilling).Bind(city, apis.BodyLimit(bodyLimit))
		se.Router.POST("/api/lifestage/nursery/billing/issue", issueInvoices).Bind(city, apis.BodyLimit(bodyLimit))
		se.Router.GET("/api/lifestage/nursery/billing/{month}/invoices.xlsx", invoicesXLSX)
		return se.Next()
	})
}

// invoiceTransition keeps invoices moving one way, draft → issued → paid,
// stamps when, and keeps the amounts of an issued invoice fixed.
func invoiceTransition(e *core.RecordEvent) error {
	orig := e.Record.Original()
	from, to := orig.GetString("status"), e.Record.GetString("status")
	if from != collections.InvoiceDraft {
		for _, f := range []string{"lines", "total", "warnings", "household", "nursery", "month"} {
			if orig.GetString(f) != e.Record.GetString(f) {
				return fieldValidation(f, "invoice_fixed", "発行済みの請求書の内容は変更できません。")
			}
		}
	}
	switch {
	case from == to:
	case from == collections.InvoiceDraft && to == collections.InvoiceIssued:
		e.Record.Set("issuedAt", time.Now())
	case from == collections.InvoiceIssued && to == collections.InvoicePaid:
		e.Record.Set("paidAt", time.Now())
	default:
		return fieldValidation("status", "invalid_transition",
			fmt.Sprintf("請求書の状態は「下書き→発行済→入金済」の順にしか変えられません（%s→%sはできません）。", statusLabel(from), statusLabel(to)))
	}
	return e.Next()
}

func statusLabel(s string) string {
	switch s {
	case collections.InvoiceDraft:
		return "下書き"
	case collections.InvoiceIssued:
		return "発行済"
	case collections.InvoicePaid:
		return "入金済"
	}
	return s
}

// tellInvoiceIssued notifies the household's accounts that an invoice came.
// A failure is logged: the invoice stands and shows on /me/invoices/.
func tellInvoiceIssued(app core.App, inv *core.Record) {
	users, err := app.FindAllRecords(collections.Users, dbx.HashExp{"household": inv.GetString("household")})
	if err != nil {
		app.Logger().Error("invoice notice", "invoice", inv.Id, "error", err)
		return
	}
	vars := map[string]string{"nursery": inv.GetString("nurseryName"), "total": commas(inv.GetInt("total"))}
	vars["year"], vars["month"] = monthVars(inv.GetString("month"))
	for _, u := range users {
		_, err := notify.Send(app, notify.Message{
			Recipient: u, Kind: "nursery.invoice_issued", Reason: inv.Id,
			Key:  "notify.nursery.invoice_issued",
			Vars: vars,
			Link: "/nursery/invoice/?id=" + inv.Id,
		})
		if err != nil {
			app.Logger().Error("invoice notice", "invoice", inv.Id, "user", u.Id, "error", err)
		}
	}
}

// monthVars splits an invoice month (2026-04) into year and month numbers
// for the templates, which write a month in each language's way.
func monthVars(month string) (year, mon string) {
	m, err := reports.ParseMonth(month)
	if err != nil {
		return month, "" // cannot happen for a stored invoice; still shows the raw value
	}
	return strconv.Itoa(m.Year), strconv.Itoa(int(m.Month))
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

type billingBody struct {
	Month   string `json:"month"`
	Nursery string `json:"nursery"`
}

// billingMonth reads the month of a run or an issue: a month that has
// ended, as billing uses its whole attendance.
func billingMonth(s string) (civil.Date, error) {
	m, err := reports.ParseMonth(strings.TrimSpace(s))
	switch {
	case s == "":
		return civil.Date{}, fieldError("month", "required", "対象月を入力してください（例: 2026-10）。")
	case err != nil:
		return civil.Date{}, fieldError("month", "invalid_month", "対象月は YYYY-MM の形式で指定してください（例: 2026-10）。")
	case !reports.MonthOf(time.Now()).After(m):
		return civil.Date{}, fieldError("month", "month_not_ended", "まだ終わっていない月は請求できません。前月までを指定してください。")
	}
	return civil.Date{Year: m.Year, Month: m.Month, Day: 1}, nil
}

func readBillingBody(e *core.RequestEvent) (civil.Date, string, error) {
	var body billingBody
	if err := e.BindBody(&body); err != nil {
		return civil.Date{}, "", fieldError("month", "invalid_body", "リクエストの形式が正しくありません。")
	}
	month, err := billingMonth(body.Month)
	return month, strings.TrimSpace(body.Nursery), err
}

// runBilling is the city's run of a month: POST {month, nursery?}.
func runBilling(e *core.RequestEvent) error {
	month, nursery, err := readBillingBody(e)
	if err != nil {
		return err
	}
	s, err := invoicing.Run(e.App, actorContext(e), month, nursery)
	if err != nil {
		return billingError(e, err)
	}
	return e.JSON(http.StatusOK, s)
}

// issueInvoices issues the month's drafts that need no check.
func issueInvoices(e *core.RequestEvent) error {
	month, nursery, err := readBillingBody(e)
	if err != nil {
		return err
	}
	if nursery != "" && !hasNurserySettings(e.App, nursery) {
		return billingError(e, invoicing.ErrUnknownNursery)
	}
	s, err := invoicing.Issue(e.App, actorContext(e), month, nursery)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, s)
}

func hasNurserySettings(app core.App, nursery string) bool {
	_, err := app.FindFirstRecordByFilter("nurseries", "nursery = {:n}", dbx.Params{"n": nursery})
	return err == nil
}

func billingError(e *core.RequestEvent, err error) error {
	switch {
	case errors.Is(err, invoicing.ErrUnknownNursery):
		return fieldError("nursery", "unknown_nursery", "指定された保育施設の設定がありません。")
	case errors.Is(err, invoicing.ErrNoFeeTable):
		return fieldError("month", "no_fee_table", "対象月の年度の保育料表がありません。先に保育料表を登録してください。")
	}
	return e.InternalServerError("", err)
}

// invoicesXLSX exports one nursery's invoices of a month: 保育担当 for any
// nursery, a nursery's staff for their own. Staff reads of these financial
// records are audited.
func invoicesXLSX(e *core.RequestEvent) error {
	nursery := strings.TrimSpace(e.Request.URL.Query().Get("nursery"))
	switch {
	case e.Auth == nil:
		return e.UnauthorizedError("ログインしてください。", nil)
	case isCityStaffIn(e.Auth, collections.DeptNursery):
		if nursery == "" {
			return fieldError("nursery", "required", "保育施設を指定してください。")
		}
	case e.Auth.Collection().Name == collections.NurseryStaff && e.Auth.GetBool("active"):
		if nursery == "" {
			nursery = e.Auth.GetString("nursery")
		}
		if nursery != e.Auth.GetString("nursery") {
			return e.ForbiddenError("ほかの施設の請求書は出力できません。", nil)
		}
	default:
		return e.ForbiddenError("この操作を行う権限がありません。", nil)
	}
	m, err := reports.ParseMonth(e.Request.PathValue("month"))
	if err != nil {
		return fieldError("month", "invalid_month", "対象月は YYYY-MM の形式で指定してください（例: 2026-10）。")
	}
	recs, err := e.App.FindAllRecords(collections.Invoices, dbx.HashExp{"month": m.String(), "nursery": nursery})
	if err != nil {
		return e.InternalServerError("", err)
	}
	codes, err := householdCodes(e.App, recs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	slices.SortFunc(recs, func(a, b *core.Record) int {
		return strings.Compare(codes[a.GetString("household")]+a.Id, codes[b.GetString("household")]+b.Id)
	})
	if len(recs) > 0 {
		if err := logSensitiveReads(e, recs[0].Collection(), recs); err != nil {
			return e.InternalServerError("", err)
		}
	}
	name := nursery
	if f, err := e.App.FindRecordById("facilities", nursery); err == nil {
		name = f.GetString("name")
	}
	var buf bytes.Buffer
	err = reports.Table{
		Sheet: "請求一覧", Title: fmt.Sprintf("%s %s分 請求一覧", name, m.Label()),
		Header:  []string{"世帯番号", "宛名", "お子さま", "保育料", "副食費", "延長保育料", "写真代", "合計", "状態", "確認事項"},
		Widths:  []float64{12, 16, 28, 10, 10, 12, 10, 10, 8, 60},
		Formats: []string{"", "", "", reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount},
		Rows:    invoiceRows(recs, codes),
		Notes: []string{
			"保育料・副食費は月の初日に在籍している月の分です。延長保育料は登降園の記録から計算しています。",
			"個人情報（世帯の財務情報）です。業務の目的以外に使わないでください。この出力は監査ログに記録されています。",
		},
		GeneratedAt: time.Now(),
	}.WriteXLSX(&buf)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="invoices-%s-%s.xlsx"`, m.String(), nursery))
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}

func householdCodes(app core.App, recs []*core.Record) (map[string]string, error) {
	ids := make([]any, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.GetString("household"))
	}
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	err := app.DB().Select("id", "code").From("households").Where(dbx.In("id", ids...)).All(&rows)
	for _, r := range rows {
		out[r.ID] = r.Code
	}
	return out, err
}

// invoiceRows sums each invoice's lines by kind, one row per invoice.
func invoiceRows(recs []*core.Record, codes map[string]string) [][]any {
	rows := make([][]any, 0, len(recs))
	for _, r := range recs {
		var lines []billing.Line
		var warnings []billing.Warning
		_ = json.Unmarshal([]byte(r.GetString("lines")), &lines)
		_ = json.Unmarshal([]byte(r.GetString("warnings")), &warnings)
		byKind := map[string]int{}
		var children []string
		for _, l := range lines {
			byKind[l.Kind] += l.Yen
			if l.ChildName != "" && !slices.Contains(children, l.ChildName) {
				children = append(children, l.ChildName)
			}
		}
		var checks []string
		for _, w := range warnings {
			checks = append(checks, w.Message)
		}
		rows = append(rows, []any{
			codes[r.GetString("household")], r.GetString("addressee"), strings.Join(children, "、"),
			byKind[billing.KindHoikuryo], byKind[billing.KindSideDish], byKind[billing.KindExtension], byKind[billing.KindPhotos],
			r.GetInt("total"), statusLabel(r.GetString("status")), strings.Join(checks, " "),
		})
	}
	return rows
}
