package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
)

func TestGrowthAssess(t *testing.T) {
	const path = "/api/lifestage/growth/assess?"
	tomorrow := civil.Today().AddDays(1).String()
	scenarios := []tests.ApiScenario{
		{
			Name: "contract example answers all three measures", Method: http.MethodGet,
			URL:            path + "sex=female&birthDate=2025-01-01&date=2025-04-01&weightKg=5.5&heightCm=59&headCm=39",
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"sex":"female"`, `"birthDate":"2025-01-01"`, `"date":"2025-04-01"`,
				`"weight":{"value":5.5,"ageMonths":3,"band":"3〜4か月未満","p3":`,
				`"height":{"value":59,"ageMonths":3,"band":"3〜4か月未満","p3":`,
				`"head":{"value":39,"ageMonths":3,"band":"3〜4か月未満","p3":`,
				`"p10":`, `"p25":`, `"p50":`, `"p75":`, `"p90":`, `"p97":`, `"position":"`,
				`"zWho":-`,    // weight and height below the WHO median
				`"zWho":null`, // head: no WHO table
			},
		},
		{
			Name: "at a band midpoint the survey row comes back", Method: http.MethodGet,
			URL:            path + "sex=female&birthDate=2025-01-01&date=2025-04-16&weightKg=7.24",
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"weight":{"value":7.24,"ageMonths":3.5,"band":"3〜4か月未満","p3":4.9,"p10":5.27,"p25":5.64,"p50":6.06,"p75":6.48,"p90":6.86,"p97":7.24,"position":"p90-p97","zWho":`,
			},
			NotExpectedContent: []string{`"height"`, `"head"`},
		},
		{
			Name: "date defaults to today in Tokyo", Method: http.MethodGet,
			URL:                path + "sex=male&birthDate=" + civil.Today().AddDays(-40).String() + "&heightCm=55",
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"date":"` + civil.Today().String() + `"`, `"height":{`},
			NotExpectedContent: []string{`"weight"`, `"head"`},
		},
		{
			Name: "bad sex", Method: http.MethodGet,
			URL:                path + "sex=boy&birthDate=2025-01-01&date=2025-04-01&weightKg=5.5",
			ExpectedStatus:     400,
			ExpectedContent:    []string{`"sex":{"code":"invalid_sex","message":"性別は`},
			NotExpectedContent: []string{`"weight":{`},
		},
		{
			Name: "no measure", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=2025-01-01&date=2025-04-01",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"weightKg":{"code":"required"`, `"heightCm":{"code":"required"`, `"headCm":{"code":"required"`},
		},
		{
			Name: "date before birth", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=2025-01-01&date=2024-12-31&weightKg=3",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"date":{"code":"before_birth"`},
		},
		{
			Name: "birth date in the future with today's date", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=" + tomorrow + "&weightKg=3",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"future_date"`},
		},
		{
			Name: "malformed dates", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=2025-02-30&date=2025/04/01&weightKg=3",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"invalid_date"`, `"date":{"code":"invalid_date"`},
		},
		{
			Name: "missing birth date", Method: http.MethodGet,
			URL:             path + "sex=male&weightKg=3",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"birthDate":{"code":"required"`},
		},
		{
			Name: "weight in grams and a non-number", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=2025-01-01&date=2025-04-01&weightKg=5500&heightCm=abc&headCm=0",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"weightKg":{"code":"out_of_range"`, `"heightCm":{"code":"invalid_number"`, `"headCm":{"code":"out_of_range"`},
		},
		{
			Name: "head past the survey's last band", Method: http.MethodGet,
			URL:             path + "sex=female&birthDate=2022-01-01&date=2025-01-01&weightKg=14&headCm=49",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"date":{"code":"age_out_of_range","message":"頭囲の基準値は3歳未満まで`},
		},
		{
			Name: "weight past 6 years 6 months", Method: http.MethodGet,
			URL:             path + "sex=male&birthDate=2018-01-01&date=2025-01-01&weightKg=22",
			ExpectedStatus:  400,
			ExpectedContent: []string{`"date":{"code":"age_out_of_range","message":"体重の基準値は6歳6か月未満まで`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
