package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
)

const kihonURL = "/api/lifestage/frailty/kihon"

// kihonExample is the brief's example: every answer is the 0-point one
// (items 1–8, 16 and 19 はい; the rest いいえ), item 12 null.
func kihonExample() []any {
	a := []any{}
	for range 8 {
		a = append(a, true)
	}
	a = append(a, false, false, false, nil, false, false, false, true, false, false, true, false)
	for range 5 {
		a = append(a, false)
	}
	return a
}

// kihonWith sets answers (item number → value) on the example.
func kihonWith(set map[int]any) []any {
	a := kihonExample()
	for no, v := range set {
		a[no-1] = v
	}
	return a
}

func kihonBody(t testing.TB, fields map[string]any) *strings.Reader {
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReader(string(b))
}

// Expected totals are counted by hand from domain-data.md §4.1 (the risk
// answer of each item) and BMI = kg ÷ m².
func TestFrailtyKihon(t *testing.T) {
	allRisk := map[int]any{}
	for no := 1; no <= 25; no++ {
		allRisk[no] = true
	}
	for _, no := range []int{1, 2, 3, 4, 5, 6, 7, 8, 16, 19} { // いいえ is their risk answer
		allRisk[no] = false
	}
	allRisk[12] = nil
	body := func(answers []any, h, w any) *strings.Reader {
		return kihonBody(t, map[string]any{"answers": answers, "heightCm": h, "weightKg": w})
	}
	scenarios := []tests.ApiScenario{
		{
			// 52 ÷ 1.58² = 20.83: item 12 scores 0; every answer is healthy.
			Name: "brief example, guest", Method: http.MethodPost, URL: kihonURL,
			Body:           body(kihonExample(), 158, 52),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"total":0`, `"bmi":20.8`,
				`"domains":{"iadl":0,"physical":0,"nutrition":0,"oral":0,"housebound":0,"cognitive":0,"depression":0}`,
				`"criteria":{"multiple":false,"physical":false,"nutrition":false,"oral":false,"housebound":false,"cognitive":false,"depression":false}`,
				`"jigyoTaishosha":false`, `"frailty":"robust"`, `健常の目安（0〜3点）`,
			},
			NotExpectedContent: []string{`事業の対象者の基準に当てはまる`},
		},
		{
			// Every risk answer and 40 ÷ 1.5² = 17.8 < 18.5: 25 points.
			Name: "every risk, a logged-in citizen", Method: http.MethodPost, URL: kihonURL,
			Headers:        map[string]string{"Authorization": fx.Tokens["parent"]},
			Body:           body(kihonWith(allRisk), 150, 40),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"total":25`, `"bmi":17.8`,
				`"domains":{"iadl":5,"physical":5,"nutrition":2,"oral":3,"housebound":2,"cognitive":3,"depression":5}`,
				`"criteria":{"multiple":true,"physical":true,"nutrition":true,"oral":true,"housebound":true,"cognitive":true,"depression":true}`,
				`"jigyoTaishosha":true`, `"frailty":"frail"`, `フレイル（虚弱）の目安（8点以上）`, `地域包括支援センター`,
			},
		},
		{
			// 4 いいえ (1), 9 はい (1), 21 and 22 はい (2) = 4: prefrail, and ⑦
			// depression ≥2 alone makes a 事業対象者.
			Name: "total 4, depression only", Method: http.MethodPost, URL: kihonURL,
			Body:           body(kihonWith(map[int]any{4: false, 9: true, 21: true, 22: true}), 158, 52),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"total":4`, `"domains":{"iadl":1,"physical":1,"nutrition":0,"oral":0,"housebound":0,"cognitive":0,"depression":2}`,
				`"criteria":{"multiple":false,"physical":false,"nutrition":false,"oral":false,"housebound":false,"cognitive":false,"depression":true}`,
				`"jigyoTaishosha":true`, `"frailty":"prefrail"`,
			},
		},
		{
			// 1–3 いいえ (3), 6 and 7 いいえ (2), 17 はい (1), 23 はい (1) = 7.
			Name: "total 7 is prefrail", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{1: false, 2: false, 3: false, 6: false, 7: false, 17: true, 23: true}), 158, 52),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"total":7`, `"jigyoTaishosha":false`, `"frailty":"prefrail"`},
		},
		{
			// The same plus 5 いいえ = 8.
			Name: "total 8 is frail", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{1: false, 2: false, 3: false, 5: false, 6: false, 7: false, 17: true, 23: true}), 158, 52),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"total":8`, `"jigyoTaishosha":false`, `"frailty":"frail"`},
		},
		{
			// 74 ÷ 2.0² = 18.5 exactly: not below 18.5, so ③ needs item 11 and 12.
			Name: "BMI exactly 18.5 is no risk", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{11: true}), 200, 74),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"total":1`, `"bmi":18.5`, `"nutrition":1`, `"nutrition":false`, `"jigyoTaishosha":false`},
		},
		{
			// 47 ÷ 1.6² = 18.36: item 12 scores, both nutrition items → ③.
			Name: "BMI 18.4 with weight loss meets ③", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{11: true}), 160, 47),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"total":2`, `"bmi":18.4`, `"nutrition":2`, `"nutrition":true`, `"jigyoTaishosha":true`, `"frailty":"robust"`},
		},
		{
			Name: "20 answers", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonExample()[:20], 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"wrong_count","message":"回答は25問分必要です（送られたのは20問分です）。"}`},
		},
		{
			Name: "26 answers", Method: http.MethodPost, URL: kihonURL,
			Body:            body(append(kihonExample(), false), 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"wrong_count"`},
		},
		{
			Name: "nothing sent", Method: http.MethodPost, URL: kihonURL,
			Body:            strings.NewReader(`{}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"required"`, `"heightCm":{"code":"required"`, `"weightKg":{"code":"required"`},
		},
		{
			Name: "answers null", Method: http.MethodPost, URL: kihonURL,
			Body:            body(nil, 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"required"`},
		},
		{
			Name: "answers as text", Method: http.MethodPost, URL: kihonURL,
			Body:            strings.NewReader(`{"answers":"はい","heightCm":158,"weightKg":52}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"invalid_answers"`},
		},
		{
			Name: "an answer as text", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{3: "はい"}), 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"not_boolean","message":"3番の回答が、はい（true）・いいえ（false）のどちらでもありません。"}`},
		},
		{
			Name: "an unanswered item other than 12", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{25: nil}), 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"not_boolean","message":"25番の回答`},
		},
		{
			Name: "an answer as 1", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{1: 1}), 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"not_boolean"`},
		},
		{
			Name: "item 12 answered", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonWith(map[int]any{12: false}), 158, 52),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"answers":{"code":"item12_not_null"`},
		},
		{
			Name: "height in metres, weight too heavy", Method: http.MethodPost, URL: kihonURL,
			Body:           body(kihonExample(), 1.58, 500),
			ExpectedStatus: 400,
			ExpectedContent: []string{
				`"heightCm":{"code":"out_of_range","message":"身長をcm単位で入力してください（100〜220）。"}`,
				`"weightKg":{"code":"out_of_range","message":"体重をkg単位で入力してください（20〜200）。"}`,
			},
		},
		{
			Name: "height too tall, weight too light", Method: http.MethodPost, URL: kihonURL,
			Body:            body(kihonExample(), 221, 19.9),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"heightCm":{"code":"out_of_range"`, `"weightKg":{"code":"out_of_range"`},
		},
		{
			Name: "height missing, weight as text", Method: http.MethodPost, URL: kihonURL,
			Body:               body(kihonExample(), nil, "52"),
			ExpectedStatus:     400,
			ExpectedContent:    []string{`"heightCm":{"code":"required"`, `"weightKg":{"code":"invalid_number"`},
			NotExpectedContent: []string{`"answers"`},
		},
		{
			Name: "not JSON", Method: http.MethodPost, URL: kihonURL,
			Body:            strings.NewReader(`{"answers":[`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"code":"invalid_body"`},
		},
		{
			Name: "body too large", Method: http.MethodPost, URL: kihonURL,
			Body:            strings.NewReader(`{"heightCm":158,"pad":"` + strings.Repeat("x", 4<<10) + `"}`),
			ExpectedStatus:  413,
			ExpectedContent: []string{`"status":413`},
		},
		{
			Name: "GET is not served", Method: http.MethodGet, URL: kihonURL,
			ExpectedStatus:  404,
			ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestFrailtyKihonIsRateLimited: the self-check is public, so the guest
// limit on /api/lifestage/ (60 a minute per IP) must cover it.
func TestFrailtyKihonIsRateLimited(t *testing.T) {
	b, _ := json.Marshal(map[string]any{"answers": kihonExample(), "heightCm": 158, "weightKg": 52})
	assertGuestRateLimited(t, kihonURL, string(b))
}
