package hooks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/reports"
)

func TestOpsUsersReport(t *testing.T) {
	const url = "/api/lifestage/ops/reports/users"
	month := reports.LastCompleted(time.Now()).String()

	scenarios := []tests.ApiScenario{
		{
			Name: "運用 staff get JSON", Method: http.MethodGet, URL: url + "?month=" + month + "&format=json",
			Headers: auth("city_admin"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"month":"` + month + `"`, `"rows":[{"key":"users","label":"市民`, `"current":`, `"previous":`, `"change":`},
			NotExpectedContent: []string{`@`, `"email"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body reports.UsagePayload
				if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
					t.Fatal(err)
				}
				if len(body.Rows) != len(reports.UsageCategories()) {
					t.Fatalf("%d rows", len(body.Rows))
				}
				n, _ := app.CountRecords("users")
				// The fixture was built now, so the month in progress counts everyone.
				for _, r := range body.Rows {
					if r.Change != r.Current-r.Previous {
						t.Errorf("%s: change %d != %d - %d", r.Key, r.Change, r.Current, r.Previous)
					}
					if r.Key == "users" && int64(r.Current) > n {
						t.Errorf("more users counted (%d) than exist (%d)", r.Current, n)
					}
				}
			},
		},
		{
			Name: "運用 staff get this month's JSON", Method: http.MethodGet, URL: url + "?month=" + reports.MonthOf(time.Now()).String() + "&format=json",
			Headers: auth("city_admin"), ExpectedStatus: 200,
			ExpectedContent: []string{`"key":"city_staff.ops.manager"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body reports.UsagePayload
				_ = json.NewDecoder(res.Body).Decode(&body)
				n, _ := app.CountRecords("users")
				for _, r := range body.Rows {
					if r.Key == "users" && int64(r.Current) != n {
						t.Errorf("users at the end of this month = %d, want %d", r.Current, n)
					}
					if r.Key == "city_staff.ops.manager" && r.Current < 1 {
						t.Errorf("city_admin is not counted: %+v", r)
					}
				}
			},
		},
		{
			Name: "運用 staff download the xlsx", Method: http.MethodGet, URL: url + "?month=" + month,
			Headers: auth("city_admin"), ExpectedStatus: 200,
			ExpectedContent: []string{"PK"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if got := res.Header.Get("Content-Type"); got != reports.XLSXContentType {
					t.Errorf("content type %q", got)
				}
				want := `attachment; filename="users-` + month + `.xlsx"`
				if got := res.Header.Get("Content-Disposition"); got != want {
					t.Errorf("content disposition %q, want %q", got, want)
				}
				raw, _ := io.ReadAll(res.Body)
				f, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				title, _ := f.GetCellValue(reports.UsersSheet, "A1")
				m, _ := reports.ParseMonth(month)
				if title != "利用者数報告 "+m.Label() {
					t.Errorf("title %q", title)
				}
				header, _ := f.GetCellValue(reports.UsersSheet, "A3")
				if header != "区分" {
					t.Errorf("header %q", header)
				}
			},
		},
		{
			Name: "子育て staff are refused", Method: http.MethodGet, URL: url + "?month=" + month,
			Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "a citizen is refused", Method: http.MethodGet, URL: url + "?month=" + month + "&format=json",
			Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "nursery staff are refused", Method: http.MethodGet, URL: url + "?month=" + month,
			Headers: auth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "a guest must log in", Method: http.MethodGet, URL: url + "?month=" + month,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "a bad month", Method: http.MethodGet, URL: url + "?month=2026-13&format=json",
			Headers: auth("city_admin"), ExpectedStatus: 400,
			ExpectedContent: []string{`"month":{"code":"invalid_month","message":"月は YYYY-MM の形式で指定してください（例: 2026-03）。"}`},
		},
		{
			Name: "a month spelled otherwise", Method: http.MethodGet, URL: url + "?month=2026/3",
			Headers: auth("city_admin"), ExpectedStatus: 400,
			ExpectedContent: []string{`"code":"invalid_month"`},
		},
		{
			Name: "a month that has not started", Method: http.MethodGet, URL: url + "?month=2999-01",
			Headers: auth("city_admin"), ExpectedStatus: 400,
			ExpectedContent: []string{`"code":"invalid_month"`, `まだ始まっていない月`},
		},
		{
			Name: "an unknown format", Method: http.MethodGet, URL: url + "?month=" + month + "&format=pdf",
			Headers: auth("city_admin"), ExpectedStatus: 400,
			ExpectedContent: []string{`"format":{"code":"invalid_format"`},
		},
		{
			Name: "no month means last month", Method: http.MethodGet, URL: url + "?format=json",
			Headers: auth("city_admin"), ExpectedStatus: 200,
			ExpectedContent: []string{`"month":"` + month + `"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
