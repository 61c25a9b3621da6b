package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/schedule"
)

func pregnancyOf(t testing.TB, app core.App, role string) *core.Record {
	p, err := app.FindFirstRecordByFilter("pregnancies", "mother = {:m}", dbx.Params{"m": fx.IDs[role]})
	if err != nil {
		t.Fatalf("%s has no pregnancy: %v", role, err)
	}
	return p
}

type pregnancyScheduleAnswer struct {
	DueDate        string `json:"dueDate"`
	GestationalAge struct {
		Weeks int `json:"weeks"`
		Days  int `json:"days"`
	} `json:"gestationalAge"`
	Visits []struct {
		Week   int    `json:"week"`
		Date   string `json:"date"`
		Status string `json:"status"`
	} `json:"visits"`
	RSV struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"rsv"`
}

func TestPregnancySchedule(t *testing.T) {
	app := fx.NewApp(t)
	preg := pregnancyOf(t, app, "parent")
	checkups := healthRecordsBy(t, app, "prenatal_checkups", "pregnancy", preg.Id)
	app.Cleanup()
	if len(checkups) != 2 {
		t.Fatalf("the demo pregnancy has %d checkups, want 2", len(checkups))
	}
	due, err := civil.Parse(preg.GetString("dueDate"))
	if err != nil {
		t.Fatal(err)
	}
	today := civil.Today()
	url := "/api/lifestage/pregnancies/" + preg.Id + "/schedule"

	// check verifies the answer: weeks 20 and 24 are on file, the rest is
	// past or upcoming by date.
	check := func(t testing.TB, res *http.Response) {
		var a pregnancyScheduleAnswer
		if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		if a.DueDate != due.String() {
			t.Errorf("dueDate %s, want %s", a.DueDate, due)
		}
		w, d := schedule.GestationalAge(due, today)
		if a.GestationalAge.Weeks != w || a.GestationalAge.Days != d {
			t.Errorf("gestational age %+v, want %dw%dd", a.GestationalAge, w, d)
		}
		plan := schedule.PrenatalCheckups(due)
		if len(a.Visits) != len(plan) {
			t.Fatalf("%d visits, want %d", len(a.Visits), len(plan))
		}
		for i, v := range a.Visits {
			want := "upcoming"
			switch {
			case v.Week == 20 || v.Week == 24:
				want = "done"
			case plan[i].Date.Before(today):
				want = "past"
			}
			if v.Week != plan[i].Week || v.Date != plan[i].Date.String() || v.Status != want {
				t.Errorf("visit %d = %+v, want week %d on %s %s", i, v, plan[i].Week, plan[i].Date, want)
			}
		}
		from, to := schedule.RSVWindow(due)
		if a.RSV.From != from.String() || a.RSV.To != to.String() {
			t.Errorf("rsv %+v, want %s..%s", a.RSV, from, to)
		}
	}
	var before, beforePreg int64

	scenarios := []tests.ApiScenario{
		{
			Name: "the mother sees her checkup schedule", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"visits":[`, `"status":"done"`, `"rsv":{`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { before = viewsOf(app, "prenatal_checkups") },
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				check(t, res)
				if got := viewsOf(app, "prenatal_checkups"); got != before {
					t.Errorf("the mother's read was audited as a staff read (%d → %d)", before, got)
				}
			},
		},
		{
			Name: "another parent gets 404", Method: http.MethodGet, URL: url, Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "the grandparent (shared the child, not the pregnancy) gets 404", Method: http.MethodGet, URL: url, Headers: auth("grandparent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "nursery staff get 404", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "子育て staff see it, and the read is audited", Method: http.MethodGet, URL: url, Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"visits":[`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				before, beforePreg = viewsOf(app, "prenatal_checkups"), viewsOf(app, "pregnancies")
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				check(t, res)
				if got := viewsOf(app, "prenatal_checkups"); got != before+2 {
					t.Errorf("checkup reads audited %d → %d, want +2", before, got)
				}
				if got := viewsOf(app, "pregnancies"); got != beforePreg+1 {
					t.Errorf("pregnancy reads audited %d → %d, want +1", beforePreg, got)
				}
			},
		},
		{
			Name: "a checkup entered in error does not count", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				r, err := app.FindRecordById("prenatal_checkups", checkups[0].Id)
				if err != nil {
					t.Fatal(err)
				}
				r.Set("status", "entered_in_error")
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"done"`},
			NotExpectedContent: []string{`"week":` + itoa(checkups[0].GetInt("week")) + `,"date":"` + schedule.PrenatalCheckups(due)[weekIndex(checkups[0].GetInt("week"))].Date.String() + `","status":"done"`},
		},
		{
			Name: "a guest gets 401", Method: http.MethodGet, URL: url,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "an unknown pregnancy is 404", Method: http.MethodGet, URL: "/api/lifestage/pregnancies/abcdefghijklmno/schedule", Headers: auth("city_child"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func weekIndex(week int) int {
	for i, v := range schedule.PrenatalCheckups(civil.Today()) {
		if v.Week == week {
			return i
		}
	}
	return 0
}

func healthRecordsBy(t testing.TB, app core.App, collection, field, id string) []*core.Record {
	recs, err := app.FindRecordsByFilter(collection, field+" = {:id} && status != 'entered_in_error'", "date", 0, 0, dbx.Params{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestPregnancyHooks(t *testing.T) {
	app := fx.NewApp(t)
	own := pregnancyOf(t, app, "parent")
	other := pregnancyOf(t, app, "parent2")
	app.Cleanup()
	base := "/api/collections/"
	lmp := civil.Today().AddDays(-60)

	scenarios := []tests.ApiScenario{
		{
			Name: "a citizen's pregnancy is her own, and the due date follows from the LMP", Method: http.MethodPost,
			URL: base + "pregnancies/records", Headers: auth("parent"),
			Body:           strings.NewReader(`{"mother":"` + fx.IDs["parent2"] + `","lmpDate":"` + lmp.String() + `"}`),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"mother":"` + fx.IDs["parent"] + `"`,
				`"dueDate":"` + schedule.DueDateFromLMP(lmp).String() + `"`,
				`"status":"ongoing"`,
			},
		},
		{
			Name: "a given due date is kept", Method: http.MethodPost, URL: base + "pregnancies/records", Headers: auth("city_child"),
			Body:            strings.NewReader(`{"mother":"` + fx.IDs["parent2"] + `","lmpDate":"` + lmp.String() + `","dueDate":"` + lmp.AddDays(283).String() + `"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"mother":"` + fx.IDs["parent2"] + `"`, `"dueDate":"` + lmp.AddDays(283).String() + `"`},
		},
		{
			Name: "without an LMP the due date is required", Method: http.MethodPost, URL: base + "pregnancies/records", Headers: auth("parent"),
			Body: strings.NewReader(`{"status":"ongoing"}`), ExpectedStatus: 400, ExpectedContent: []string{`"dueDate":`},
			ExpectedEvents: map[string]int{"OnModelAfterCreateSuccess": 0},
		},
		{
			Name: "an LMP in the future is refused", Method: http.MethodPost, URL: base + "pregnancies/records", Headers: auth("parent"),
			Body:           strings.NewReader(`{"lmpDate":"` + civil.Today().AddDays(3).String() + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"future_date"`},
			ExpectedEvents: map[string]int{"OnModelAfterCreateSuccess": 0},
		},
		{
			Name: "a checkup is filed under the pregnancy's mother", Method: http.MethodPost, URL: base + "prenatal_checkups/records", Headers: auth("parent"),
			Body:            strings.NewReader(`{"pregnancy":"` + own.Id + `","mother":"` + fx.IDs["parent2"] + `","date":"` + civil.Today().String() + `","week":27,"urineProtein":"±"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"mother":"` + fx.IDs["parent"] + `"`, `"urineProtein":"±"`},
		},
		{
			Name: "a citizen cannot add a checkup to another mother's pregnancy", Method: http.MethodPost, URL: base + "prenatal_checkups/records", Headers: auth("parent"),
			Body:           strings.NewReader(`{"pregnancy":"` + other.Id + `","date":"` + civil.Today().String() + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a citizen cannot hand her pregnancy to someone else", Method: http.MethodPatch, URL: base + "pregnancies/records/" + own.Id, Headers: auth("parent"),
			Body:           strings.NewReader(`{"mother":"` + fx.IDs["parent2"] + `"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
