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
)

func TestFollowupList(t *testing.T) {
	const url = "/api/lifestage/child/followups"
	scenarios := []tests.ApiScenario{
		{
			Name: "子育て staff see children behind, with reasons, and the reads are audited", Method: http.MethodGet,
			URL: url, Headers: auth("city_child"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`, `"reasons":[{`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body struct {
					Total int `json:"total"`
					Items []struct {
						Child struct {
							ID string `json:"id"`
						} `json:"child"`
						Reasons []struct {
							Kind, Code, Label, Latest string
						} `json:"reasons"`
					} `json:"items"`
				}
				raw, _ := io.ReadAll(res.Body)
				if err := json.Unmarshal(raw, &body); err != nil || body.Total == 0 || body.Total != len(body.Items) {
					t.Fatalf("body %s (%v)", raw, err)
				}
				for _, it := range body.Items {
					if len(it.Reasons) == 0 || it.Reasons[0].Label == "" || it.Reasons[0].Latest == "" {
						t.Fatalf("item without reasons: %+v", it)
					}
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "view", "collection": "children", "actor": fx.IDs["city_child"]})
				if int(n) != body.Total {
					t.Fatalf("%d view entries for %d listed children", n, body.Total)
				}
			},
		},
		{
			Name: "the list can be downloaded as xlsx", Method: http.MethodGet, URL: url + "?format=xlsx&maxAgeMonths=84",
			Headers: auth("city_child"), ExpectedStatus: 200, ExpectedContent: []string{"PK"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				raw, _ := io.ReadAll(res.Body)
				f, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				if v, _ := f.GetCellValue("要フォロー", "A1"); v == "" {
					t.Fatal("no title")
				}
			},
		},
		{
			Name: "an age range outside every child gives an empty list", Method: http.MethodGet, URL: url + "?minAgeMonths=500",
			Headers: auth("city_child"), ExpectedStatus: 200, ExpectedContent: []string{`"total":0`},
		},
		{
			Name: "a bad age is a field error", Method: http.MethodGet, URL: url + "?minAgeMonths=-3",
			Headers: auth("city_child"), ExpectedStatus: 400, ExpectedContent: []string{`"minAgeMonths":{"code":"invalid_number"`},
		},
		{Name: "保育 staff are refused", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "運用 staff are refused", Method: http.MethodGet, URL: url, Headers: auth("city_admin"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "parents are refused", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "medical staff are refused", Method: http.MethodGet, URL: url, Headers: auth("medical_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests must log in", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
