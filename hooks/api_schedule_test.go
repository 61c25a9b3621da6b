package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
)

func TestSchedulePreview(t *testing.T) {
	const url = "/api/lifestage/schedule/preview"
	tomorrow := civil.Today().AddDays(1).String()
	// statuses checks the status of each "vaccine#dose" in the answer.
	statuses := func(want map[string]string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			var body struct {
				Items []struct {
					Vaccine string `json:"vaccine"`
					Dose    int    `json:"dose"`
					Status  string `json:"status"`
				} `json:"items"`
			}
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, it := range body.Items {
				got[it.Vaccine+"#"+string(rune('0'+it.Dose))] = it.Status
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			// Born 2025-04-10, three weeks old: nothing is in its standard
			// period yet; 生後2月 is 2025-06-09.
			Name: "a three-week-old's schedule, no login", Method: http.MethodPost, URL: url,
			Body:           strings.NewReader(`{"birthDate":"2025-04-10","asOf":"2025-05-01","doses":[]}`),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"items":[`,
				`{"vaccine":"hepb","dose":1,"earliest":"2025-04-10","latest":"2026-04-09","status":"upcoming"}`,
				`{"vaccine":"rota1","dose":1,"earliest":"2025-05-22","latest":"2025-09-25","status":"upcoming"}`,
				`{"vaccine":"rota5","dose":1,"earliest":"2025-05-22","latest":"2025-11-20","status":"upcoming"}`,
				`{"vaccine":"dtp_ipv_hib","dose":1,"earliest":"2025-06-09","latest":"2032-10-09","status":"upcoming"}`,
				`{"vaccine":"pcv","dose":1,"earliest":"2025-06-09","latest":"2030-04-09","status":"upcoming"}`,
				`{"vaccine":"bcg","dose":1,"earliest":"2025-04-10","latest":"2026-04-09","status":"upcoming"}`,
				`{"vaccine":"mr1","dose":1,"earliest":"2026-04-09","latest":"2027-04-09","status":"upcoming"}`,
				`{"vaccine":"varicella","dose":1,`,
				`{"vaccine":"je1","dose":1,`,
			},
			NotExpectedContent: []string{`"vaccine":"hpv"`, `"vaccine":"hib"`, `"date":`},
		},
		{
			Name: "a given dose is done with its date", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(`{"birthDate":"2025-04-10","sex":"female","asOf":"2025-06-20",
				"doses":[{"vaccine":"hepb","date":"2025-06-10"},{"vaccine":"rota1","date":"2025-06-10"}]}`),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`{"vaccine":"hepb","dose":1,"date":"2025-06-10","earliest":"2025-04-10","latest":"2026-04-09","status":"done"}`,
				`{"vaccine":"hepb","dose":2,"earliest":"2025-07-08","latest":"2026-04-09","status":"upcoming"}`,
				`{"vaccine":"hepb","dose":3,"earliest":"2025-10-28",`,
				`{"vaccine":"rota1","dose":2,"earliest":"2025-07-08"`,
				`"vaccine":"hpv"`,
			},
			NotExpectedContent: []string{`"vaccine":"rota5"`},
			AfterTestFunc: statuses(map[string]string{
				"dtp_ipv_hib#1": "due", "pcv#1": "due", "bcg#1": "upcoming", "rota1#1": "done",
			}),
		},
		{
			Name: "asOf defaults to today in Tokyo", Method: http.MethodPost, URL: url,
			Body:            strings.NewReader(`{"birthDate":"` + civil.Today().AddDays(-20).String() + `"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`{"vaccine":"hepb","dose":1,"earliest":"` + civil.Today().AddDays(-20).String() + `"`},
		},
		{
			Name: "bad birthDate", Method: http.MethodPost, URL: url,
			Body:               strings.NewReader(`{"birthDate":"not-a-date"}`),
			ExpectedStatus:     400,
			ExpectedContent:    []string{`"birthDate":{"code":"invalid_date","message":"生年月日は`},
			NotExpectedContent: []string{`"items"`},
		},
		{
			Name: "missing birthDate", Method: http.MethodPost, URL: url,
			Body:            strings.NewReader(`{}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"required"`},
		},
		{
			Name: "future birthDate", Method: http.MethodPost, URL: url,
			Body:            strings.NewReader(`{"birthDate":"` + tomorrow + `"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"future_date"`},
		},
		{
			Name: "bad asOf and sex", Method: http.MethodPost, URL: url,
			Body:            strings.NewReader(`{"birthDate":"2025-04-10","asOf":"2025-02-30","sex":"boy"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"asOf":{"code":"invalid_date","message":"基準日は`, `"sex":{"code":"invalid_sex"`},
		},
		{
			Name: "bad doses", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(`{"birthDate":"2025-04-10","asOf":"2025-06-20",
				"doses":[{"vaccine":"flu","date":"2025-06-10"},{"vaccine":"hepb","date":"2025-06"},{"vaccine":"bcg","date":"2025-04-01"}]}`),
			ExpectedStatus: 400,
			ExpectedContent: []string{
				`"doses.0.vaccine":{"code":"unknown_vaccine","message":"ワクチンの種類が正しくありません。"}`,
				`"doses.1.date":{"code":"invalid_date"`,
				`"doses.2.date":{"code":"before_birth"`,
			},
			NotExpectedContent: []string{`"doses.1.vaccine"`, `"doses.0.date"`},
		},
		{
			Name: "not JSON", Method: http.MethodPost, URL: url,
			Body:            strings.NewReader(`{"birthDate":`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"code":"invalid_body"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
