package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
)

// healthRecords is a child's valid handbook entries of one collection.
func healthRecords(t testing.TB, app core.App, collection, child string) []*core.Record {
	recs, err := app.FindRecordsByFilter(collection, "child = {:c} && status != 'entered_in_error'", "date", 0, 0, dbx.Params{"c": child})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

type scheduleAnswer struct {
	Items []struct {
		Vaccine string `json:"vaccine"`
		Dose    int    `json:"dose"`
		Date    string `json:"date"`
		Status  string `json:"status"`
	} `json:"items"`
}

func decodeSchedule(t testing.TB, res *http.Response) scheduleAnswer {
	var a scheduleAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

// viewsOf counts the audit entries for staff reads of a collection.
func viewsOf(app core.App, collection string) int64 {
	n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "view", "collection": collection})
	return n
}

func TestChildSchedule(t *testing.T) {
	app := fx.NewApp(t)
	child := childOf(t, app, "parent")
	shared := sharedChild(t, app)
	given := healthRecords(t, app, "immunizations", child.Id)
	app.Cleanup()
	if len(given) < 2 {
		t.Fatalf("the parent's child has %d immunizations; the fixture should have more", len(given))
	}
	// The last dose of the first vaccine given is the one withdrawn below.
	withdrawn := given[0]
	for _, r := range given {
		if r.GetString("vaccine") == withdrawn.GetString("vaccine") && r.GetInt("dose") > withdrawn.GetInt("dose") {
			withdrawn = r
		}
	}
	url := func(id string) string { return "/api/lifestage/children/" + id + "/schedule" }
	var before int64

	scenarios := []tests.ApiScenario{
		{
			Name: "a guardian sees the doses on file as done", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`, `"status":"done"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { before = viewsOf(app, "immunizations") },
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				done := map[string][]string{}
				for _, it := range decodeSchedule(t, res).Items {
					if it.Status == "done" {
						done[it.Vaccine] = append(done[it.Vaccine], it.Date)
					}
				}
				n := 0
				for _, r := range given {
					if !slices.Contains(done[r.GetString("vaccine")], r.GetString("date")) {
						t.Errorf("%s on %s is not done in %v", r.GetString("vaccine"), r.GetString("date"), done)
					}
				}
				for _, ds := range done {
					n += len(ds)
				}
				if n != len(given) {
					t.Errorf("%d doses done, %d on file", n, len(given))
				}
				if got := viewsOf(app, "immunizations"); got != before {
					t.Errorf("a guardian's read was audited as a staff read (%d → %d)", before, got)
				}
			},
		},
		{
			Name: "a dose entered in error does not count", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				r, err := app.FindRecordById("immunizations", withdrawn.Id)
				if err != nil {
					t.Fatal(err)
				}
				r.Set("status", "entered_in_error")
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				for _, it := range decodeSchedule(t, res).Items {
					if it.Vaccine == withdrawn.GetString("vaccine") && it.Dose == withdrawn.GetInt("dose") && it.Status == "done" {
						t.Errorf("%s #%d is still done after being marked entered_in_error", it.Vaccine, it.Dose)
					}
				}
			},
		},
		{
			Name: "a family member with a view share", Method: http.MethodGet, URL: url(shared.Id), Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
		},
		{
			Name: "子育て staff read it, and the read is audited", Method: http.MethodGet, URL: url(child.Id), Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"done"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n := viewsOf(app, "immunizations"); n == 0 {
					t.Error("no audit entry for the immunizations read by staff")
				}
				n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "view", "collection": "immunizations", "actor": fx.IDs["city_child"]})
				if n != int64(len(given)) {
					t.Errorf("%d reads audited, want %d", n, len(given))
				}
			},
		},
		{
			Name: "保育 staff see children but not their immunizations", Method: http.MethodGet, URL: url(child.Id), Headers: auth("city_nursery"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "another household gets 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "nursery staff get 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("nursery_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "medical staff get 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("medical_staff"),
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
		{
			Name: "a bad asOf is a field error", Method: http.MethodGet, URL: url(child.Id) + "?asOf=2025-13-01", Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"asOf":{"code":"invalid_date","message":"基準日は`},
		},
		{
			Name: "an asOf before birth is a field error", Method: http.MethodGet, URL: url(child.Id) + "?asOf=1990-01-01", Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"asOf":{"code":"before_birth"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestChildGrowth(t *testing.T) {
	app := fx.NewApp(t)
	child := childOf(t, app, "parent")
	shared := sharedChild(t, app)
	measured := healthRecords(t, app, "growth_measurements", child.Id)
	app.Cleanup()
	if len(measured) == 0 {
		t.Fatal("the parent's child has no growth measurements in the fixture")
	}
	points := 0 // weights and heights, each drawn as a circle
	for _, r := range measured {
		for _, f := range []string{"weightKg", "heightCm"} {
			if r.GetFloat(f) > 0 {
				points++
			}
		}
	}
	url := func(id string) string { return "/api/lifestage/children/" + id + "/growth" }

	scenarios := []tests.ApiScenario{
		{
			Name: "a guardian gets each measurement placed on the curves", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			ExpectedStatus: 200,
			ExpectedContent: []string{`"child":{"id":"` + child.Id + `","birthDate":"` + child.GetString("birthDate") + `","sex":"`,
				`"weight":{"value":`, `"position":"`, `"band":"`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				var body struct {
					Items []struct {
						ID     string `json:"id"`
						Date   string `json:"date"`
						Weight *struct {
							Value    float64 `json:"value"`
							Position string  `json:"position"`
						} `json:"weight"`
					} `json:"items"`
				}
				if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
					t.Fatal(err)
				}
				if len(body.Items) != len(measured) {
					t.Fatalf("%d items, want %d", len(body.Items), len(measured))
				}
				for i, it := range body.Items {
					if i > 0 && it.Date < body.Items[i-1].Date {
						t.Errorf("not sorted by date at %d", i)
					}
					if w := measured[i].GetFloat("weightKg"); w > 0 && (it.Weight == nil || it.Weight.Value != w || it.Weight.Position == "") {
						t.Errorf("item %d: weight %+v, stored %v", i, it.Weight, w)
					}
				}
			},
		},
		{
			// 78 months: past the survey tables for every measure.
			Name: "a measurement past the tables keeps its value, with no position", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				col, _ := app.FindCollectionByNameOrId("growth_measurements")
				r := core.NewRecord(col)
				r.Load(map[string]any{"child": child.Id, "date": lateDate(t, child), "weightKg": 20, "headCm": 52, "source": "parent", "status": "completed"})
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus:  200,
			ExpectedContent: []string{`"ageMonths":78,"weight":{"value":20,"ageMonths":78},"head":{"value":52,"ageMonths":78}}]`},
		},
		{
			Name: "a family member with a view share", Method: http.MethodGet, URL: url(shared.Id), Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
		},
		{
			Name: "another household gets 404", Method: http.MethodGet, URL: url(child.Id), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "anonymous gets 401", Method: http.MethodGet, URL: url(child.Id),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "the chart", Method: http.MethodGet, URL: url(child.Id) + ".svg", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`<svg xmlns="http://www.w3.org/2000/svg"`, `<title id="growth-title">`, `class="band p3-97"`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
					t.Errorf("Content-Type = %q", ct)
				}
				if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("Cache-Control = %q", cc)
				}
				raw, _ := io.ReadAll(res.Body)
				if n := strings.Count(string(raw), "<circle"); n != points {
					t.Errorf("%d points drawn, want %d", n, points)
				}
			},
		},
		{
			Name: "the chart for staff is audited", Method: http.MethodGet, URL: url(child.Id) + ".svg", Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`<svg`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n := viewsOf(app, "growth_measurements"); n != int64(len(measured)) {
					t.Errorf("%d reads audited, want %d", n, len(measured))
				}
			},
		},
		{
			Name: "the chart of another household's child is 404", Method: http.MethodGet, URL: url(child.Id) + ".svg", Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, NotExpectedContent: []string{"<svg"},
		},
		{
			Name: "the chart needs a login", Method: http.MethodGet, URL: url(child.Id) + ".svg",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// lateDate is the day the child turns 6歳6か月 (78 months).
func lateDate(t testing.TB, child *core.Record) string {
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil {
		t.Fatal(err)
	}
	return birth.AddMonthsClamped(78).String()
}
