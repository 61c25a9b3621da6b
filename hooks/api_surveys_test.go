package hooks_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/reports"
)

// demoSurvey is the open demo survey: parent answered, parent2 has not.
func demoSurvey(t testing.TB) *core.Record {
	app := fx.NewApp(t)
	defer app.Cleanup()
	s, err := app.FindFirstRecordByFilter(collections.Surveys, "status = 'open'")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const validAnswers = `{"answers":{"satisfaction":{"choice":1},"facilities":{"choices":[0,2]},"ease":{"value":4},"comment":{"text":"図書館の絵本が好きです"}}}`

func TestSurveyResponses(t *testing.T) {
	s := demoSurvey(t)
	url := "/api/lifestage/surveys/" + s.Id + "/responses"
	body := func(b string) *strings.Reader { return strings.NewReader(b) }
	runScenarios(t, []tests.ApiScenario{
		{Name: "parent2 answers once", Method: http.MethodPost, URL: url, Body: body(validAnswers), Headers: auth("parent2"),
			ExpectedStatus: 200, ExpectedContent: []string{`"survey":"` + s.Id + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				after, _ := app.FindRecordById(collections.Surveys, s.Id)
				if after.GetInt("responseCount") != s.GetInt("responseCount")+1 {
					t.Errorf("responseCount %d, want %d", after.GetInt("responseCount"), s.GetInt("responseCount")+1)
				}
				r, err := app.FindFirstRecordByFilter(collections.SurveyResponses, "survey = {:s} && user = {:u}", dbx.Params{"s": s.Id, "u": fx.IDs["parent2"]})
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(r.GetString("answers"), "図書館") {
					t.Error("free-text answers must be stored encrypted")
				}
			}},
		{Name: "the parent has answered already", Method: http.MethodPost, URL: url, Body: body(validAnswers), Headers: auth("parent"),
			ExpectedStatus: 409, ExpectedContent: []string{`"code":"already_answered"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "the grandparent was not targeted", Method: http.MethodPost, URL: url, Body: body(validAnswers), Headers: auth("grandparent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"code":"not_targeted"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "answers are checked per question", Method: http.MethodPost, URL: url, Headers: auth("parent2"),
			Body:           body(`{"answers":{"ease":{"value":9},"facilities":{"choices":[7]}}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"satisfaction":{"code":"required"`, `"ease":{"code":"out_of_range"`, `"facilities":{"code":"invalid_choice"`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "a closed survey takes no answers", Method: http.MethodPost, URL: url, Body: body(validAnswers), Headers: auth("parent2"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				s, _ := app.FindRecordById(collections.Surveys, s.Id)
				s.Set("closesAt", time.Now().Add(-time.Minute))
				s.Set("opensAt", time.Now().Add(-time.Hour))
				if err := app.Save(s); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"code":"survey_closed"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "guests cannot answer", Method: http.MethodPost, URL: url, Body: body(validAnswers), ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "staff cannot answer", Method: http.MethodPost, URL: url, Body: body(validAnswers), Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a draft survey is not found", Method: http.MethodPost, URL: "/api/lifestage/surveys/nonexistent0000/responses", Body: body(validAnswers), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "parent2's surveys", Method: http.MethodGet, URL: "/api/lifestage/me/surveys", Headers: auth("parent2"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + s.Id + `"`, `"answered":false`, `"open":true`, `"type":"scale"`}},
		{Name: "the parent's surveys show it answered", Method: http.MethodGet, URL: "/api/lifestage/me/surveys", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + s.Id + `"`, `"answered":true`}},
		{Name: "the grandparent has no survey", Method: http.MethodGet, URL: "/api/lifestage/me/surveys", Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
	})
}

// TestSurveyResults replaces the demo's responses with three known ones and
// checks every aggregate, and that no respondent is named.
func TestSurveyResults(t *testing.T) {
	s := demoSurvey(t)
	url := "/api/lifestage/surveys/" + s.Id + "/results"
	var respondents []string
	known := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		if _, err := app.DB().NewQuery(`DELETE FROM survey_responses WHERE survey = {:s}`).Bind(dbx.Params{"s": s.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		col, _ := app.FindCollectionByNameOrId(collections.SurveyResponses)
		respondents = []string{fx.IDs["parent"], fx.IDs["parent2"], ""}
		var third string
		_ = app.DB().NewQuery(`SELECT user FROM announcement_recipients WHERE announcement = {:a} AND user NOT IN ({:p}, {:q}) LIMIT 1`).
			Bind(dbx.Params{"a": s.GetString("announcement"), "p": fx.IDs["parent"], "q": fx.IDs["parent2"]}).Row(&third)
		respondents[2] = third
		answers := []string{
			`{"satisfaction":{"choice":0},"facilities":{"choices":[0,1]},"ease":{"value":5},"comment":{"text":"公園を増やして"}}`,
			`{"satisfaction":{"choice":0},"facilities":{"choices":[1]},"ease":{"value":2}}`,
			`{"satisfaction":{"choice":3},"ease":{"value":4},"comment":{"text":"満足です"}}`,
		}
		for i, a := range answers {
			r := core.NewRecord(col)
			r.Load(map[string]any{"survey": s.Id, "user": respondents[i], "answers": a})
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{Name: "子育て staff see the aggregate", Method: http.MethodGet, URL: url, Headers: auth("city_child"), BeforeTestFunc: known,
			ExpectedStatus: 200, ExpectedContent: []string{`"responses":3`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var raw json.RawMessage
				_ = json.NewDecoder(res.Body).Decode(&raw)
				for _, id := range respondents {
					if strings.Contains(string(raw), id) {
						t.Errorf("results name respondent %s", id)
					}
				}
				var got struct {
					Targeted     int
					Responses    int
					ResponseRate float64
					Questions    []struct {
						ID       string
						Answered int
						Counts   []int
						Mean     *float64
						Median   *float64
						Texts    []string
					}
				}
				_ = json.Unmarshal(raw, &got)
				n, _ := app.CountRecords(collections.AnnouncementRecipients, dbx.HashExp{"announcement": s.GetString("announcement")})
				if got.Targeted != int(n) || got.ResponseRate != 3/float64(n) {
					t.Errorf("targeted %d rate %v, want %d %v", got.Targeted, got.ResponseRate, n, 3/float64(n))
				}
				q := got.Questions
				if len(q) != 4 || !slices.Equal(q[0].Counts, []int{2, 0, 0, 1}) || !slices.Equal(q[1].Counts, []int{1, 2, 0, 0, 0}) || q[1].Answered != 2 {
					t.Errorf("choices: %+v", q)
				}
				if !slices.Equal(q[2].Counts, []int{0, 1, 0, 1, 1}) || *q[2].Mean != 11.0/3 || *q[2].Median != 4 {
					t.Errorf("scale: %+v mean %v median %v", q[2], *q[2].Mean, *q[2].Median)
				}
				if len(q[3].Texts) != 2 || q[3].Answered != 2 {
					t.Errorf("texts: %+v", q[3])
				}
			}},
		{Name: "the export is a workbook and audited", Method: http.MethodGet, URL: url + ".xlsx", Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{"PK"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("Content-Type") != reports.XLSXContentType {
					t.Errorf("content type %q", res.Header.Get("Content-Type"))
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "export", "collection": collections.SurveyResponses, "actor": fx.IDs["city_child"]})
				if n != 1 {
					t.Errorf("%d export audit entries, want 1", n)
				}
			}},
		{Name: "guests get no results", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, role := range refusedStaff {
		for _, u := range []string{url, url + ".xlsx"} {
			scenarios = append(scenarios, tests.ApiScenario{Name: role + " gets no results " + u[len(u)-5:], Method: http.MethodGet, URL: u,
				Headers: auth(role), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}})
		}
	}
	runScenarios(t, scenarios)
}

// TestSurveyOpensOnSchedule: a scheduled survey is announced (kind
// survey.new) when it opens, to its audience only, and closes at its end.
func TestSurveyOpensOnSchedule(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	now := time.Now()
	nursery, err := app.FindAuthRecordByEmail("nursery_staff", fx.Accounts["nursery_staff"].Email)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := app.FindCollectionByNameOrId(collections.Surveys)
	s := core.NewRecord(col)
	s.Load(map[string]any{"title": "園の行事アンケート", "questions": []map[string]any{{"id": "q", "type": "text", "label": "感想"}},
		"audience": map[string]any{"nurseries": []string{nursery.GetString("nursery")}}, "status": "scheduled",
		"opensAt": now.Add(5 * time.Minute), "closesAt": now.Add(time.Hour)})
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	if _, err := announcedb.RunDue(app, now); err != nil {
		t.Fatal(err)
	}
	if s, _ = app.FindRecordById(collections.Surveys, s.Id); s.GetString("status") != "scheduled" {
		t.Fatalf("opened early: %s", s.GetString("status"))
	}
	if _, err := announcedb.RunDue(app, now.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, _ = app.FindRecordById(collections.Surveys, s.Id)
	if s.GetString("status") != "open" || s.GetString("announcement") == "" {
		t.Fatalf("not opened: %s %q", s.GetString("status"), s.GetString("announcement"))
	}
	var told []string
	_ = app.DB().Select("recipient").From("notifications").Where(dbx.HashExp{"kind": announcedb.KindSurveyNew, "reason": s.GetString("announcement")}).Column(&told)
	if !slices.Contains(told, fx.IDs["parent"]) || slices.Contains(told, fx.IDs["parent2"]) {
		t.Errorf("survey.new to parent (demo nursery) but not parent2 (other nursery): %v", told)
	}
	if _, err := announcedb.RunDue(app, now.Add(61*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if s, _ = app.FindRecordById(collections.Surveys, s.Id); s.GetString("status") != "closed" {
		t.Errorf("not closed: %s", s.GetString("status"))
	}
}

func TestSurveyCollectionRules(t *testing.T) {
	s := demoSurvey(t)
	base := "/api/collections/surveys/records"
	bad := `{"title":"t","questions":[{"id":"q","type":"single","label":"x","options":["a"]}],"audience":{"all":true},"opensAt":"2026-12-01 00:00:00.000Z","closesAt":"2026-12-31 00:00:00.000Z","status":"draft"}`
	runScenarios(t, []tests.ApiScenario{
		{Name: "questions are checked", Method: http.MethodPost, URL: base, Body: strings.NewReader(bad), Headers: auth("city_child"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_options"`}},
		{Name: "an open survey's questions are frozen", Method: http.MethodPatch, URL: base + "/" + s.Id, Headers: auth("city_child"),
			Body: strings.NewReader(`{"questions":[{"id":"q","type":"text","label":"x"}]}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "staff close an open survey", Method: http.MethodPatch, URL: base + "/" + s.Id, Headers: auth("city_child"),
			Body: strings.NewReader(`{"status":"closed"}`), ExpectedStatus: 200, ExpectedContent: []string{`"status":"closed"`}},
		{Name: "a parent cannot create", Method: http.MethodPost, URL: base, Body: strings.NewReader(strings.Replace(bad, `["a"]`, `["a","b"]`, 1)), Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
	})
}
