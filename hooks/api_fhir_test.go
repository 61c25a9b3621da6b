package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

type fhirAnswer struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Entry        []struct {
		FullURL  string `json:"fullUrl"`
		Resource struct {
			ResourceType string `json:"resourceType"`
			Identifier   []struct {
				Value string `json:"value"`
			} `json:"identifier"`
			Patient *struct {
				Reference string `json:"reference"`
			} `json:"patient"`
			Address any `json:"address"`
		} `json:"resource"`
	} `json:"entry"`
}

func TestChildFHIR(t *testing.T) {
	app := fx.NewApp(t)
	child := childOf(t, app, "parent")
	shared := sharedChild(t, app)
	given := healthRecords(t, app, "immunizations", child.Id)
	app.Cleanup()
	if len(given) == 0 {
		t.Fatal("the parent's child has no immunizations in the fixture")
	}
	url := func(id string) string { return "/api/lifestage/children/" + id + "/fhir" }
	var before int64

	checkBundle := func(t testing.TB, res *http.Response, want int) {
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/fhir+json") {
			t.Errorf("Content-Type = %q", ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("Cache-Control = %q", cc)
		}
		var b fhirAnswer
		if err := json.NewDecoder(res.Body).Decode(&b); err != nil {
			t.Fatal(err)
		}
		if b.ResourceType != "Bundle" || b.Type != "collection" {
			t.Fatalf("%s %s", b.ResourceType, b.Type)
		}
		urls := map[string]string{}
		n, patients := 0, 0
		for _, e := range b.Entry {
			urls[e.FullURL] = e.Resource.ResourceType
			switch e.Resource.ResourceType {
			case "Immunization":
				n++
			case "Patient":
				patients++
				if e.Resource.Address != nil {
					t.Error("the patient has an address")
				}
			}
		}
		if n != want || patients != 1 {
			t.Errorf("%d immunizations and %d patients, want %d and 1", n, patients, want)
		}
		for _, e := range b.Entry {
			if p := e.Resource.Patient; p != nil && urls[p.Reference] != "Patient" {
				t.Errorf("%s refers to %q, not the patient entry", e.Resource.ResourceType, p.Reference)
			}
		}
	}

	scenarios := []tests.ApiScenario{
		{
			Name: "a guardian gets the bundle, one Immunization per valid dose", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			ExpectedStatus: 200,
			ExpectedContent: []string{`"resourceType":"Bundle"`, `"type":"collection"`, `JP_Immunization`, `JP_Patient`,
				`"fullUrl":"urn:uuid:`, `"status":"completed"`},
			NotExpectedContent: []string{`"address"`, `myNumber`},
			BeforeTestFunc:     func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { before = viewsOf(app, "immunizations") },
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				checkBundle(t, res, len(given))
				if got := viewsOf(app, "immunizations"); got != before {
					t.Errorf("a guardian's read was audited as a staff read (%d → %d)", before, got)
				}
			},
		},
		{
			Name: "a dose entered in error is left out", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				r, err := app.FindRecordById("immunizations", given[0].Id)
				if err != nil {
					t.Fatal(err)
				}
				r.Set("status", "entered_in_error")
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"resourceType":"Bundle"`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) { checkBundle(t, res, len(given)-1) },
		},
		{
			Name: "a family member with a view share", Method: http.MethodGet, URL: url(shared.Id), Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"resourceType":"Bundle"`, `"resourceType":"Patient"`},
		},
		{
			Name: "子育て staff read it, and the read is audited", Method: http.MethodGet, URL: url(child.Id), Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`JP_Immunization`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n := viewsOf(app, "immunizations"); n != int64(len(given)) {
					t.Errorf("%d reads audited, want %d", n, len(given))
				}
			},
		},
		{
			Name: "保育 staff see children but not their immunizations", Method: http.MethodGet, URL: url(child.Id), Headers: auth("city_nursery"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: []string{`Bundle`},
		},
		{
			Name: "another household gets 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, NotExpectedContent: []string{`Bundle`},
		},
		{
			Name: "nursery staff get 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("nursery_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "an unknown child is 404", Method: http.MethodGet, URL: url("nosuchchild0001"), Headers: auth("parent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "anonymous gets 401", Method: http.MethodGet, URL: url(child.Id),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestFHIRPerformerIsTheInstitution: the demo child's last dose was given at
// the demo clinic, which the bundle names as the performer with its code;
// a 10-digit code is sent as JP Core's 医療機関コード.
func TestFHIRPerformerIsTheInstitution(t *testing.T) {
	app := fx.NewApp(t)
	child := sharedChild(t, app)
	clinic, err := app.FindRecordById("facilities", demoClinic(t, app))
	if err != nil {
		t.Fatal(err)
	}
	app.Cleanup()
	url := "/api/lifestage/children/" + child.Id + "/fhir"
	setCode := func(code string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			f, err := app.FindRecordById("facilities", clinic.Id)
			if err != nil {
				t.Fatal(err)
			}
			f.Set("code", code)
			if err := app.Save(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "the clinic's own code stays in lifestage's facility system", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200,
			ExpectedContent: []string{`"resourceType":"Organization"`, `JP_Organization`, `"performer":[{"function":`,
				`"identifier":{"system":"https://lifestage.saijo.example/NamingSystem/facility","value":"` + clinic.GetString("code") + `"}`,
				`"name":"` + clinic.GetString("name") + `"`},
			NotExpectedContent: []string{`insurance-medical-institution-no`},
		},
		{
			Name: "a 医療機関コード is sent in JP Core's system", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			BeforeTestFunc: setCode("3810000001"),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"identifier":{"system":"http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no","value":"3810000001"}`,
				`"identifier":[{"system":"http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no","value":"3810000001"}]`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
