package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/testutil"
)

const feeEstimateURL = "/api/lifestage/nursery/fee-estimate"

// Amounts are Saijo's FY2026 table (domain-data.md §5.6), which the
// migration loads into fee_tables. A child born 2025-08-01 is in the
// 0歳児クラス all of FY2026.
func TestFeeEstimate(t *testing.T) {
	tomorrow := civil.Today().AddDays(1).String()
	// editTier changes one stored row, to prove the route reads the
	// collection rather than the embedded CSV.
	editTier := func(tier string, fields map[string]any) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			rec, err := app.FindFirstRecordByFilter("fee_tables", "fiscalYear = 2026 && tier = {:t}", dbx.Params{"t": tier})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range fields {
				rec.Set(k, v)
			}
			if err := app.Save(rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "0歳児 standard hours, C3, no login", Method: http.MethodPost, URL: feeEstimateURL,
			Body:           strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000,"siblingOrder":1}`),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"fiscalYear":2026,"classAge":0,"taxYear":2025,"tier":"C3","tierLabel":"所得割 48,600以上57,700円未満","hours":"standard","baseFee":21800,"fee":21800,"sideDishFee":0`,
				`"6月分は令和7年度の市民税所得割額で計算します`, `この金額は試算です`,
			},
		},
		{
			Name: "short hours column, siblingOrder defaults to 1", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"short","incomeTax":50000}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"tier":"C3"`, `"baseFee":21400,"fee":21400`, `保育短時間の月額 21,400円`},
		},
		{
			Name: "born April 1: 3歳児クラス from April, free, 副食費 at the national guide", Method: http.MethodPost, URL: feeEstimateURL,
			Body:           strings.NewReader(`{"birthDate":"2023-04-01","month":"2026-04","hours":"standard","incomeTax":100000}`),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"classAge":3`, `"tier":"C8"`, `"baseFee":0,"fee":0,"sideDishFee":4500`,
				`幼児教育・保育の無償化により無料`, `副食費は国の目安額で示しています`,
			},
		},
		{
			Name: "born April 2: still 2歳児クラス", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2023-04-02","month":"2026-04","hours":"standard","incomeTax":100000}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"classAge":2`, `"tier":"C8"`, `"baseFee":33000,"fee":33000,"sideDishFee":0`},
		},
		{
			Name: "bracket upper edge: 48,599 is C2", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":48599}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"tier":"C2"`, `"fee":16000`},
		},
		{
			Name: "September uses the current year's tax", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-09","hours":"standard","incomeTax":48600}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"taxYear":2026,"tier":"C3"`, `9月分は令和8年度`},
		},
		{
			Name: "second child half", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000,"siblingOrder":2}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"baseFee":21800,"fee":10900`, `第2子のため半額`},
		},
		{
			Name: "third child free", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":400000,"siblingOrder":3}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"tier":"C12"`, `"baseFee":50000,"fee":0`, `第3子以降のため無料`},
		},
		{
			Name: "protected household, C3: protected rate", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000,"protectedHousehold":true}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"baseFee":9000,"fee":9000`, `要保護者等世帯の額`},
		},
		{
			Name: "protected household, C3, second child free", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"short","incomeTax":50000,"protectedHousehold":true,"siblingOrder":2}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"baseFee":8800,"fee":0`},
		},
		{
			Name: "welfare: tier A, no income tax needed", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","welfare":true}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"tier":"A"`, `"baseFee":0,"fee":0`},
		},
		{
			Name: "tax exempt: tier B", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","taxExempt":true,"incomeTax":0}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"tier":"B"`, `"fee":0`},
		},
		{
			Name: "副食費 exempt below 57,700", Method: http.MethodPost, URL: feeEstimateURL,
			Body:               strings.NewReader(`{"birthDate":"2022-05-01","month":"2026-06","hours":"standard","incomeTax":57699}`),
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"sideDishFee":0`, `副食費（おかず・おやつ代）は免除`},
			NotExpectedContent: []string{`国の目安額`},
		},
		{
			Name: "the route reads fee_tables, as staff corrected it", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000}`),
			BeforeTestFunc:  editTier("C3", map[string]any{"standard": 22000}),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"baseFee":22000,"fee":22000`},
		},
		{
			Name: "a broken table is the city's error, not the family's", Method: http.MethodPost, URL: feeEstimateURL,
			Body:               strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000}`),
			BeforeTestFunc:     editTier("C4", map[string]any{"incomeTaxFrom": 58000}),
			ExpectedStatus:     500,
			ExpectedContent:    []string{`保育料表に不備があるため計算できません`},
			NotExpectedContent: []string{`"fee":`},
		},
		{
			Name: "no table for the fiscal year", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2027-04","hours":"standard","incomeTax":50000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"month":{"code":"no_fee_table","message":"2027年度（2027年4月〜2028年3月）の保育料表はまだありません。"}`},
		},
		{
			Name: "bad hours", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"sometimes","incomeTax":50000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"message":"保育時間は standard（保育標準時間）か short（保育短時間）を指定してください。"`, `"hours":{"code":"invalid_hours"`},
		},
		{
			Name: "missing fields", Method: http.MethodPost, URL: feeEstimateURL,
			Body:           strings.NewReader(`{}`),
			ExpectedStatus: 400,
			ExpectedContent: []string{
				`"message":"入力内容を確認してください。"`,
				`"birthDate":{"code":"required"`, `"month":{"code":"required"`, `"hours":{"code":"required"`, `"incomeTax":{"code":"required"`,
			},
			NotExpectedContent: []string{`"siblingOrder"`},
		},
		{
			Name: "bad dates", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-02-30","month":"2026-6","hours":"standard","incomeTax":1}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"invalid_date"`, `"month":{"code":"invalid_month","message":"対象月は YYYY-MM の形式で指定してください（例: 2026-06）。"}`},
		},
		{
			Name: "month with a day, month 13", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"` + tomorrow + `","month":"2026-13","hours":"standard","incomeTax":1}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"future_date"`, `"month":{"code":"invalid_month"`},
		},
		{
			Name: "a full date is not a month", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06-01","hours":"standard","incomeTax":1}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"month":{"code":"invalid_month"`},
		},
		{
			Name: "month before birth", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2025-07","hours":"standard","incomeTax":50000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"month":{"code":"before_birth","message":"対象月が生まれた月より前になっています。"}`},
		},
		{
			Name: "negative income and sibling order 0", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":-100,"siblingOrder":0}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"incomeTax":{"code":"negative"`, `"siblingOrder":{"code":"invalid_order"`},
		},
		{
			Name: "income as text, fractional sibling order", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":"50000","siblingOrder":1.5}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"incomeTax":{"code":"invalid_number"`, `"siblingOrder":{"code":"not_integer"`},
		},
		{
			Name: "fractional and huge income", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":1e12,"siblingOrder":21}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"incomeTax":{"code":"too_large"`, `"siblingOrder":{"code":"too_large"`},
		},
		{
			Name: "tax exempt with income tax", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","taxExempt":true,"incomeTax":30000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"incomeTax":{"code":"exempt_with_tax","message":"市民税非課税世帯の所得割額は0円です。"}`},
		},
		{
			Name: "at school", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2020-04-01","month":"2026-06","hours":"standard","incomeTax":50000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"school_age"`},
		},
		{
			Name: "not JSON", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"code":"invalid_body"`},
		},
		{
			Name: "body too large", Method: http.MethodPost, URL: feeEstimateURL,
			Body:            strings.NewReader(`{"birthDate":"2025-08-01","pad":"` + strings.Repeat("x", 4<<10) + `"}`),
			ExpectedStatus:  413,
			ExpectedContent: []string{`"status":413`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestFeeEstimateIsRateLimited: the estimate is public, so the guest limit
// on /api/lifestage/ (60 a minute per IP) must cover it.
func TestFeeEstimateIsRateLimited(t *testing.T) {
	assertGuestRateLimited(t, feeEstimateURL, `{"birthDate":"2025-08-01","month":"2026-06","hours":"standard","incomeTax":50000}`)
}

// assertGuestRateLimited posts a valid body to a public route from one
// address 61 times: the first 60 succeed and the 61st meets the guest limit
// on /api/lifestage/ (60 a minute per IP).
func assertGuestRateLimited(t *testing.T, url, body string) {
	t.Helper()
	app := fx.NewApp(t)
	defer app.Cleanup()
	mux, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 61 {
		req := httptest.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "203.0.113.9:40000"
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		want := http.StatusOK
		if i == 60 {
			want = http.StatusTooManyRequests
		}
		if rec.Code != want {
			t.Fatalf("request %d answered %d, want %d", i+1, rec.Code, want)
		}
	}
}
