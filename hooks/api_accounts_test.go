package hooks_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

func TestChildRegistration(t *testing.T) {
	const url = "/api/collections/children/records"
	scenarios := []tests.ApiScenario{
		{
			Name: "a citizen registering a child becomes its only guardian", Method: http.MethodPost, URL: url,
			Headers: auth("parent"),
			// Naming parent2 as guardian must not give them the child.
			Body:           strings.NewReader(`{"familyName":"試験","givenName":"葵","birthDate":"2026-10-01","sex":"female","guardians":["` + fx.IDs["parent2"] + `"]}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"guardians":["` + fx.IDs["parent"] + `"]`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, err := app.FindFirstRecordByFilter("children", `givenName = "葵" && familyName = "試験"`)
				if err != nil {
					t.Fatal(err)
				}
				parent := account(t, app, "parent")
				if c.GetString("household") != parent.GetString("household") || c.GetString("household") == "" {
					t.Fatal("the child must join the guardian's household")
				}
				if slices.Contains(c.GetStringSlice("guardians"), fx.IDs["parent2"]) {
					t.Fatal("a citizen named someone else guardian")
				}
			},
		},
		{
			Name: "sharing fields cannot be set through the API", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"familyName":"試験","givenName":"葵","birthDate":"2026-10-01","familyViewers":["` + fx.IDs["parent2"] + `"]}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a birth date in the future is refused in Japanese", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"familyName":"試験","givenName":"葵","birthDate":"2099-01-01"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"birthDate":{"code":"future_date","message":"生年月日に未来の日付は入力できません。"}`},
			ExpectedEvents: map[string]int{"OnModelCreateExecute": 0},
		},
		{
			Name: "an impossible date is refused", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"familyName":"試験","givenName":"葵","birthDate":"2025-02-30"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"birthDate":{"code":"invalid_date"`},
		},
		{
			Name: "a guardian cannot change the guardians", Method: http.MethodPatch, Headers: auth("parent"),
			URL: url + "/" + childIDOf(t, "parent"), Body: strings.NewReader(`{"guardians":["` + fx.IDs["parent2"] + `"]}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func childIDOf(t testing.TB, role string) string {
	app := fx.NewApp(t)
	defer app.Cleanup()
	return childOf(t, app, role).Id
}

func TestStaffPrivileges(t *testing.T) {
	cityChild := "/api/collections/city_staff/records/" + fx.IDs["city_child"]
	tokenRevoked := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if _, err := app.FindAuthRecordByToken(fx.Tokens["city_child"], core.TokenTypeAuth); err == nil {
			t.Fatal("the old token still works after the privilege change")
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff cannot raise their own department", Method: http.MethodPatch, URL: cityChild, Headers: auth("city_child"),
			Body: strings.NewReader(`{"department":"ops"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff may fix their own name", Method: http.MethodPatch, URL: cityChild, Headers: auth("city_child"),
			Body: strings.NewReader(`{"name":"子育て 花子"}`), ExpectedStatus: 200, ExpectedContent: []string{`"name":"子育て 花子"`},
		},
		{
			Name: "operations changes a role and the old session ends", Method: http.MethodPatch, URL: cityChild, Headers: auth("city_admin"),
			Body: strings.NewReader(`{"role":"manager"}`), ExpectedStatus: 200, ExpectedContent: []string{`"role":"manager"`},
			AfterTestFunc: tokenRevoked,
		},
		{
			Name: "deactivation ends the session and blocks login", Method: http.MethodPatch, URL: cityChild, Headers: auth("city_admin"),
			Body: strings.NewReader(`{"active":false}`), ExpectedStatus: 200, ExpectedContent: []string{`"active":false`},
			AfterTestFunc: tokenRevoked,
		},
		{
			Name: "a deactivated account cannot log in", Method: http.MethodPost, URL: "/api/collections/city_staff/auth-with-password",
			Body: strings.NewReader(`{"identity":"` + fx.Accounts["city_child"].Email + `","password":"` + fx.Accounts["city_child"].Password + `"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				r := account(t, app, "city_child")
				r.Set("active", false)
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "an active account logs in", Method: http.MethodPost, URL: "/api/collections/city_staff/auth-with-password",
			Body:           strings.NewReader(`{"identity":"` + fx.Accounts["city_child"].Email + `","password":"` + fx.Accounts["city_child"].Password + `"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"token":"`},
		},
		{
			Name: "staff passwords need 12 characters", Method: http.MethodPost, URL: "/api/collections/city_staff/records", Headers: auth("city_admin"),
			Body:           strings.NewReader(`{"email":"short@test.lifestage.example","password":"elevenchars","passwordConfirm":"elevenchars","name":"短い","department":"child","role":"staff","active":true}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"password":{"code":"validation_min_text_constraint"`},
		},
		{
			Name: "a citizen cannot attach themselves to a household", Method: http.MethodPatch, Headers: auth("family"),
			URL: "/api/collections/users/records/" + fx.IDs["family"], Body: strings.NewReader(`{"household":"` + householdOf(t, "parent") + `"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "self-registration cannot claim a household", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           strings.NewReader(`{"email":"new@test.lifestage.example","password":"long-enough","passwordConfirm":"long-enough","household":"` + householdOf(t, "parent") + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func householdOf(t testing.TB, role string) string {
	app := fx.NewApp(t)
	defer app.Cleanup()
	return account(t, app, role).GetString("household")
}
