package hooks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/civil"
)

type overviewRow struct {
	Nursery    string  `json:"nursery"`
	Class      string  `json:"class"`
	Capacity   int     `json:"capacity"`
	Enrolled   int     `json:"enrolled"`
	ChildDays  int     `json:"childDays"`
	Expected   int     `json:"expectedDays"`
	Rate       float64 `json:"attendanceRate"`
	Infections int     `json:"infections"`
}

func TestNurseryOverview(t *testing.T) {
	const url = "/api/lifestage/nursery/overview"
	month := civil.Today().String()[:7]
	scenarios := []tests.ApiScenario{
		{
			Name: "保育 staff see every nursery's classes with enrolment and attendance, counted from the records", Method: http.MethodGet,
			URL: url + "?month=" + month, Headers: auth("city_nursery"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"month":"` + month + `"`, `"attendanceRate":`},
			NotExpectedContent: []string{`"familyName"`, `"givenName"`, `"child"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body struct {
					From, To string
					Items    []overviewRow `json:"items"`
				}
				raw, _ := io.ReadAll(res.Body)
				if err := json.Unmarshal(raw, &body); err != nil || len(body.Items) == 0 {
					t.Fatalf("body %s (%v)", raw, err)
				}
				classes, _ := app.CountRecords("nursery_classes", dbx.HashExp{"fiscalYear": civil.FiscalYear(civil.Today())})
				if int(classes) != len(body.Items) {
					t.Fatalf("%d rows for %d classes", len(body.Items), classes)
				}
				var days, enrolled, infections int
				for _, r := range body.Items {
					days += r.ChildDays
					enrolled += r.Enrolled
					infections += r.Infections
					if r.ChildDays > r.Expected || r.Rate < 0 || r.Rate > 1 {
						t.Fatalf("impossible row %+v", r)
					}
				}
				wantDays, _ := app.CountRecords("attendance", dbx.NewExp("date >= {:f} AND date <= {:t} AND checkIn != ''", dbx.Params{"f": body.From, "t": body.To}))
				wantEnrolled, _ := app.CountRecords("enrolments", dbx.NewExp("start <= {:t} AND ([[end]] = '' OR [[end]] >= {:t})", dbx.Params{"t": body.To}))
				if days != int(wantDays) || enrolled != int(wantEnrolled) || days == 0 {
					t.Fatalf("overview counts %d child-days and %d enrolled; the records have %d and %d", days, enrolled, wantDays, wantEnrolled)
				}
				var sick []struct {
					N int `db:"n"`
				}
				err := app.DB().NewQuery(`SELECT COUNT(DISTINCT class || child) AS n FROM absence_notices
					WHERE date >= {:f} AND date <= {:t} AND infection != '' AND cancelled = false`).
					Bind(dbx.Params{"f": body.From, "t": body.To}).All(&sick)
				if err != nil || infections != sick[0].N {
					t.Fatalf("overview counts %d infected children; the notices name %v (%v)", infections, sick, err)
				}
			},
		},
		{
			Name: "the overview downloads as xlsx", Method: http.MethodGet, URL: url + "?format=xlsx&month=" + month,
			Headers: auth("city_nursery"), ExpectedStatus: 200, ExpectedContent: []string{"PK"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				raw, _ := io.ReadAll(res.Body)
				f, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				if v, _ := f.GetCellValue("保育施設の利用状況", "A3"); v != "施設" {
					t.Fatalf("header starts with %q", v)
				}
				if v, _ := f.GetCellValue("保育施設の利用状況", "A4"); v == "" {
					t.Fatal("no rows")
				}
			},
		},
		{
			Name: "a month with no records gives classes of that year only", Method: http.MethodGet, URL: url + "?month=2001-05",
			Headers: auth("city_nursery"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		},
		{
			Name: "a bad month is a field error", Method: http.MethodGet, URL: url + "?month=2026-13",
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"invalid_month"`},
		},
		{Name: "子育て staff are refused", Method: http.MethodGet, URL: url, Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "運用 staff are refused", Method: http.MethodGet, URL: url, Headers: auth("city_admin"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "nursery staff are refused (the city's view)", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "parents are refused", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests must log in", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
