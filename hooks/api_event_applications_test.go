package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/testutil"
)

// applyEventID is the event every application scenario sets up.
const applyEventID = "evapplytest0001"

// testEvent describes the event of a scenario: it starts `days` after
// today at 10:00 Tokyo, takes applications from `opensIn` days (negative:
// already open) until the day before.
type testEvent struct {
	days, opensIn, capacity, waitlistLimit int
	minAge, maxAge                         int
	requiresChild, offline, draft          bool
	closed                                 bool // the window closed a minute ago
	questions                              string
}

func openEvent() testEvent { return testEvent{days: 10, opensIn: -3, capacity: 10} }

// start is 10:00 Tokyo on the day te.days from today; an event of today
// has started whatever the hour the test runs (before 10:00 too).
func (te testEvent) start() time.Time {
	d := civil.Today().AddDays(te.days).Time()
	start := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, civil.Tokyo)
	if hourAgo := time.Now().Add(-time.Hour); te.days <= 0 && start.After(hourAgo) {
		start = hourAgo
	}
	return start
}

func (te testEvent) create(t testing.TB, app core.App) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("events")
	if err != nil {
		t.Fatal(err)
	}
	start := te.start()
	r := core.NewRecord(col)
	r.Id = applyEventID
	r.Load(map[string]any{
		"code": "T-APPLY", "title": "テスト教室", "kind": "class", "place": "テスト会場",
		"startsAt": start.UTC(), "endsAt": start.Add(time.Hour).UTC(), "capacity": te.capacity,
		"applicationOpens": start.AddDate(0, 0, -te.days+te.opensIn).UTC(), "applicationCloses": start.Add(-24 * time.Hour).UTC(),
		"minAgeMonths": te.minAge, "maxAgeMonths": te.maxAge, "waitlistLimit": te.waitlistLimit,
		"requiresChild": te.requiresChild, "onlineApplication": !te.offline, "public": true, "published": !te.draft,
	})
	if te.closed { // relative to now, so the test holds at any hour
		r.Set("applicationCloses", time.Now().Add(-time.Minute).UTC())
	}
	if te.days <= 0 { // already started: no window
		r.Set("applicationOpens", nil)
		r.Set("applicationCloses", nil)
	}
	if te.questions != "" {
		r.Set("questions", te.questions)
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// addApplication files an application straight into the table (set-up).
func addApplication(t testing.TB, app core.App, event, role, child, status string, at time.Time) *core.Record {
	return addApplicationID(t, app, "", event, role, child, status, at)
}

// addApplicationID is addApplication with a fixed id ("" for a new one).
func addApplicationID(t testing.TB, app core.App, id, event, role, child, status string, at time.Time) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("event_applications")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	if id != "" {
		r.Id = id
	}
	r.Set("event", event)
	r.Set("user", fx.IDs[role])
	r.Set("child", child)
	r.Set("status", status)
	r.Set("appliedAt", at)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// youngestChildOf is the youngest child the role is a guardian of.
func youngestChildOf(t testing.TB, app core.App, role string) *core.Record {
	t.Helper()
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:u}", "-birthDate", 1, 0, dbx.Params{"u": fx.IDs[role]})
	if err != nil || len(kids) == 0 {
		t.Fatalf("%s has no child: %v", role, err)
	}
	return kids[0]
}

// bornOn moves the parent's youngest child's birth date.
func bornOn(t testing.TB, app core.App, birth civil.Date) {
	kid := youngestChildOf(t, app, "parent")
	kid.Set("birthDate", birth.String())
	if err := app.Save(kid); err != nil {
		t.Fatal(err)
	}
}

func applyURL() string { return "/api/lifestage/events/" + applyEventID + "/apply" }

func countStatus(t testing.TB, app core.App, status string) int {
	n, err := app.CountRecords("event_applications", dbx.HashExp{"event": applyEventID, "status": status})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestEventApply(t *testing.T) {
	at := time.Now().Add(-time.Hour)
	setup := func(te testEvent, more ...func(testing.TB, *tests.TestApp)) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			te.create(t, app)
			for _, f := range more {
				f(t, app)
			}
		}
	}
	applied := func(role, status string) func(testing.TB, *tests.TestApp) {
		return func(t testing.TB, app *tests.TestApp) { addApplication(t, app, applyEventID, role, "", status, at) }
	}
	ageEvent := testEvent{days: 10, opensIn: -3, capacity: 10, minAge: 3, maxAge: 4}
	day := civil.DateOf(ageEvent.start())
	probe := fx.NewApp(t)
	kid := youngestChildOf(t, probe, "parent").Id // the same id in every clone
	probe.Cleanup()

	var scenarios []tests.ApiScenario
	for _, role := range []string{"nursery_staff", "medical_staff", "city_nursery", "city_elderly", "city_child", "volunteer"} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "staff cannot apply: " + role, Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens[role]}, BeforeTestFunc: setup(openEvent()),
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`},
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{Name: "guest", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			BeforeTestFunc: setup(openEvent()), ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}},
		tests.ApiScenario{Name: "confirmed", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(openEvent()),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"status":"confirmed"`}, NotExpectedContent: []string{`"position"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["parent"], "kind": "events.applied"})
				if n != 1 {
					t.Errorf("%d application notices, want 1", n)
				}
			}},
		tests.ApiScenario{Name: "full: waitlisted with position", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers:        map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, capacity: 1}, applied("parent2", "confirmed"), applied("grandparent", "waitlisted")),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"status":"waitlisted"`, `"position":2`}},
		tests.ApiScenario{Name: "full, no waitlist", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers:        map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, capacity: 1, waitlistLimit: -1}, applied("parent2", "confirmed")),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"full"`}},
		tests.ApiScenario{Name: "not open yet", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(testEvent{days: 10, opensIn: 2, capacity: 10}),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"not_open"`}},
		tests.ApiScenario{Name: "closed (the day before)", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(testEvent{days: 1, opensIn: -3, capacity: 10, closed: true}),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"closed"`}},
		tests.ApiScenario{Name: "no online applications", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, offline: true}),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"not_online"`}},
		tests.ApiScenario{Name: "draft is invisible", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, draft: true}),
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		tests.ApiScenario{Name: "child required", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, requiresChild: true}),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"code":"child_required"`}},
		tests.ApiScenario{Name: "already applied", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(openEvent(), applied("parent", "waitlisted")),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"already_applied"`}},
		tests.ApiScenario{Name: "again after cancelling", Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, BeforeTestFunc: setup(openEvent(), applied("parent", "cancelled")),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"status":"confirmed"`}},
		tests.ApiScenario{Name: "invalid answers", Method: http.MethodPost, URL: applyURL(),
			Body:    strings.NewReader(`{"answers":{"people":9,"shoe":"23"}}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, capacity: 10,
				questions: `[{"id":"people","label":"参加人数","kind":"number","required":true,"min":1,"max":3}]`}),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"answers.people":{"code":"invalid_answer"`, `"answers.shoe":{"code":"unknown_question"`}},
		tests.ApiScenario{Name: "valid answers are stored", Method: http.MethodPost, URL: applyURL(),
			Body:    strings.NewReader(`{"answers":{"people":2}}`),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: setup(testEvent{days: 10, opensIn: -3, capacity: 10,
				questions: `[{"id":"people","label":"参加人数","kind":"number","required":true,"min":1,"max":3}]`}),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"status":"confirmed"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				r, err := app.FindFirstRecordByData("event_applications", "event", applyEventID)
				if err != nil || !strings.Contains(r.GetString("answers"), `"people":2`) {
					t.Errorf("answers not stored: %v %v", r, err)
				}
			}},
	)
	// Children: whose, and how old on the day of the event (生後3〜4か月).
	type childCase struct {
		name, role string
		birth      civil.Date
		status     int
		content    string
	}
	for _, c := range []childCase{
		{"3 months on the day", "parent", day.AddMonthsClamped(-3), http.StatusCreated, `"status":"confirmed"`},
		{"a day short of 3 months", "parent", day.AddMonthsClamped(-3).AddDays(1), http.StatusBadRequest, `"code":"age_not_eligible"`},
		{"last day of 4 months", "parent", day.AddMonthsClamped(-5).AddDays(1), http.StatusCreated, `"status":"confirmed"`},
		{"5 months on the day", "parent", day.AddMonthsClamped(-5), http.StatusBadRequest, `"code":"age_not_eligible"`},
		{"another family's child", "parent2", day.AddMonthsClamped(-3), http.StatusBadRequest, `"code":"not_your_child"`},
		{"view share is not enough", "grandparent", day.AddMonthsClamped(-3), http.StatusBadRequest, `"code":"not_your_child"`},
	} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "child: " + c.name, Method: http.MethodPost, URL: applyURL(), Body: strings.NewReader(`{"childId":"` + kid + `"}`),
			Headers: map[string]string{"Authorization": fx.Tokens[c.role]},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				ageEvent.create(t, app)
				bornOn(t, app, c.birth)
			},
			ExpectedStatus: c.status, ExpectedContent: []string{c.content},
		})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// Fixed ids of the cancel scenarios' applications.
const (
	cancelMine    = "evappmine000001"
	cancelWaiting = "evappwait000001"
	cancelSecond  = "evappwait000002"
)

// cancelWorld is a full event of capacity 1: the parent holds the seat,
// parent2 then the grandparent wait.
func cancelWorld(te testEvent, mineStatus string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		te.capacity = 1
		te.create(t, app)
		base := time.Now().Add(-3 * time.Hour)
		for i, a := range []struct{ id, role, status string }{
			{cancelMine, "parent", mineStatus}, {cancelWaiting, "parent2", "waitlisted"}, {cancelSecond, "grandparent", "waitlisted"},
		} {
			addApplicationID(t, app, a.id, applyEventID, a.role, "", a.status, base.Add(time.Duration(i)*time.Minute))
		}
	}
}

func statusOf(t testing.TB, app core.App, id string) string {
	r, err := app.FindRecordById("event_applications", id)
	if err != nil {
		t.Fatal(err)
	}
	return r.GetString("status")
}

func TestEventCancel(t *testing.T) {
	url := "/api/lifestage/applications/" + cancelMine + "/cancel"
	promoted := func(by string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if s := statusOf(t, app, cancelMine); s != "cancelled" {
				t.Errorf("cancelled application is %s", s)
			}
			if s := statusOf(t, app, cancelWaiting); s != "confirmed" {
				t.Errorf("first on the waitlist is %s, want confirmed", s)
			}
			if s := statusOf(t, app, cancelSecond); s != "waitlisted" {
				t.Errorf("second on the waitlist is %s, want waitlisted", s)
			}
			r, _ := app.FindRecordById("event_applications", cancelMine)
			if r.GetString("cancelledBy") != by {
				t.Errorf("cancelledBy %q, want %q", r.GetString("cancelledBy"), by)
			}
			n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["parent2"], "kind": "events.promoted", "reason": cancelWaiting})
			if n != 1 {
				t.Errorf("%d promotion notices to parent2, want 1", n)
			}
			n, _ = app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["grandparent"], "kind": "events.promoted"})
			if n != 0 {
				t.Errorf("the second on the waitlist was told of a promotion")
			}
		}
	}
	unchanged := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if s := statusOf(t, app, cancelMine); s != "confirmed" {
			t.Errorf("application is %s after a refused cancel", s)
		}
	}
	scenarios := []tests.ApiScenario{
		{Name: "guest", Method: http.MethodPost, URL: url, BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}, AfterTestFunc: unchanged},
		{Name: "applicant: the first waiting moves up", Method: http.MethodPost, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"status":"cancelled"`, `"promoted":1`}, AfterTestFunc: promoted("applicant")},
		{Name: "子育て staff on behalf", Method: http.MethodPost, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"status":"cancelled"`}, AfterTestFunc: promoted("staff")},
		{Name: "cancelling a waitlisted place promotes nobody", Method: http.MethodPost, URL: "/api/lifestage/applications/" + cancelSecond + "/cancel",
			Headers: map[string]string{"Authorization": fx.Tokens["grandparent"]}, BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"promoted":0`}, AfterTestFunc: unchanged},
		{Name: "twice", Method: http.MethodPost, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: cancelWorld(openEvent(), "cancelled"),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"already_cancelled"`}},
		{Name: "after the start", Method: http.MethodPost, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			BeforeTestFunc: cancelWorld(testEvent{days: 0, capacity: 1}, "confirmed"),
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"code":"started"`}, AfterTestFunc: unchanged},
	}
	for _, role := range []string{"parent2", "grandparent", "city_nursery", "city_elderly", "city_admin"} {
		scenarios = append(scenarios, tests.ApiScenario{Name: "not theirs: " + role, Method: http.MethodPost, URL: url,
			Headers: map[string]string{"Authorization": fx.Tokens[role]}, BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}, AfterTestFunc: unchanged})
	}
	for _, role := range []string{"nursery_staff", "medical_staff", "volunteer"} {
		scenarios = append(scenarios, tests.ApiScenario{Name: "refused: " + role, Method: http.MethodPost, URL: url,
			Headers: map[string]string{"Authorization": fx.Tokens[role]}, BeforeTestFunc: cancelWorld(openEvent(), "confirmed"),
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`}, AfterTestFunc: unchanged})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// The demo parent has a confirmed, a waitlisted and a cancelled application.
func TestMyApplications(t *testing.T) {
	url := "/api/lifestage/me/applications"
	scenarios := []tests.ApiScenario{
		{Name: "parent: own history", Method: http.MethodGet, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"status":"confirmed"`, `"status":"waitlisted"`, `"position":1`, `"status":"cancelled"`,
				`"title":"育児相談（保健師）"`, `"title":"一時預かり（子育て支援センター）"`, `"cancellable":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var page struct {
					Items []struct{ ID, AppliedAt string }
				}
				if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
					t.Fatal(err)
				}
				n, _ := app.CountRecords("event_applications", dbx.HashExp{"user": fx.IDs["parent"]})
				if len(page.Items) != int(n) || n < 3 {
					t.Errorf("%d items, %d applications", len(page.Items), n)
				}
				for i := 1; i < len(page.Items); i++ {
					if page.Items[i].AppliedAt > page.Items[i-1].AppliedAt {
						t.Errorf("not newest first: %v", page.Items)
					}
				}
			}},
		{Name: "grandparent: nothing", Method: http.MethodGet, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["grandparent"]},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`}},
		{Name: "guest", Method: http.MethodGet, URL: url, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}},
		{Name: "staff", Method: http.MethodGet, URL: url, Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// demoEventID is the id of a demo event by code.
func demoEventID(t testing.TB, code string) string {
	app := fx.NewApp(t)
	defer app.Cleanup()
	r, err := app.FindFirstRecordByData("events", "code", code)
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

func TestEventApplicantsForStaff(t *testing.T) {
	temp := demoEventID(t, "EV-0005")
	list := "/api/lifestage/events/" + temp + "/applications"
	scenarios := []tests.ApiScenario{
		{Name: "子育て staff: the roster", Method: http.MethodGet, URL: list, Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"status":"confirmed"`, `"status":"waitlisted"`, `"position":1`, `"ageMonths":`, `"reason":"通院"`, `"label":"利用の理由"`}},
		{Name: "xlsx export is audited", Method: http.MethodGet, URL: list + ".xlsx", Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"PK"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); ct != reports.XLSXContentType {
					t.Errorf("content type %q", ct)
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "export", "collection": "event_applications", "actor": fx.IDs["city_child"]})
				if n != 1 {
					t.Errorf("%d export audit entries, want 1", n)
				}
			}},
		{Name: "counts", Method: http.MethodGet, URL: "/api/lifestage/events/counts", Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"` + temp + `":{"confirmed":`}},
		{Name: "missing event", Method: http.MethodGet, URL: "/api/lifestage/events/nosuchevent0000/applications", Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
	}
	for _, url := range []string{list, list + ".xlsx", "/api/lifestage/events/counts"} {
		scenarios = append(scenarios, tests.ApiScenario{Name: "guest " + url, Method: http.MethodGet, URL: url,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}})
		for _, role := range []string{"parent", "parent2", "nursery_staff", "medical_staff", "city_nursery", "city_elderly", "city_admin", "volunteer"} {
			scenarios = append(scenarios, tests.ApiScenario{Name: role + " " + url, Method: http.MethodGet, URL: url,
				Headers:        map[string]string{"Authorization": fx.Tokens[role]},
				ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`}})
		}
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestUpcomingEvents(t *testing.T) {
	url := "/api/lifestage/events/upcoming"
	scenarios := []tests.ApiScenario{
		{Name: "guest sees published events with seats", Method: http.MethodGet, URL: url, ExpectedStatus: http.StatusOK,
			ExpectedContent:    []string{`"title":"一時預かり（子育て支援センター）"`, `"remaining":0`, `"waitlistOpen":true`, `"window":"open"`},
			NotExpectedContent: []string{"冬のおはなし会"}},
		{Name: "kind filter", Method: http.MethodGet, URL: url + "?kind=checkup", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"title":"4か月児健康診査"`}, NotExpectedContent: []string{`"kind":"class"`}},
		{Name: "age filter", Method: http.MethodGet, URL: url + "?ageMonths=20", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"title":"1歳6か月児健康診査"`}, NotExpectedContent: []string{"4か月児健康診査"}},
		{Name: "bad age", Method: http.MethodGet, URL: url + "?ageMonths=x", ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"code":"invalid_number"`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// The job runs at 17:00; the clock is fixed by the date it is given.
func TestEventReminders(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	tomorrow := testEvent{days: 1, opensIn: -5, capacity: 1}
	tomorrow.create(t, app)
	now := time.Now()
	mine := addApplication(t, app, applyEventID, "parent", "", "confirmed", now)
	addApplication(t, app, applyEventID, "parent2", "", "waitlisted", now)
	// The demo's events are days away: none of them is reminded today.
	today := civil.Today()
	sent, err := hooks.RunEventReminders(app, today)
	if err != nil || sent != 1 {
		t.Fatalf("sent %d (%v), want 1", sent, err)
	}
	n, _ := app.CountRecords("notifications", dbx.HashExp{"kind": "events.reminder", "recipient": fx.IDs["parent"], "reason": mine.Id})
	if n != 1 {
		t.Errorf("%d reminders to the parent", n)
	}
	n, _ = app.CountRecords("notifications", dbx.HashExp{"kind": "events.reminder", "recipient": fx.IDs["parent2"]})
	if n != 0 {
		t.Errorf("the waitlisted applicant was reminded")
	}
	if r, _ := app.FindRecordById("event_applications", mine.Id); r.GetDateTime("reminderSentAt").IsZero() {
		t.Error("reminderSentAt not stamped")
	}
	if sent, err := hooks.RunEventReminders(app, today); err != nil || sent != 0 {
		t.Errorf("second run sent %d (%v), want 0", sent, err)
	}
	// Two days ahead it is not tomorrow yet.
	if sent, _ := hooks.RunEventReminders(app, today.AddDays(-1)); sent != 0 {
		t.Errorf("a reminder two days ahead: %d", sent)
	}
}

// newCitizens adds n citizen accounts and returns their tokens.
func newCitizens(t testing.TB, app core.App, n int) []string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, n)
	for i := range n {
		u := core.NewRecord(col)
		u.SetEmail(fmt.Sprintf("applicant-%03d@test.lifestage.example", i))
		u.SetPassword("long-enough-password")
		u.SetVerified(true)
		u.Set("name", fmt.Sprintf("申込 %03d", i))
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		if tokens[i], err = u.NewAuthToken(); err != nil {
			t.Fatal(err)
		}
	}
	return tokens
}

// applyAll sends one application per token at once through the real
// handler and returns the answers' status codes and bodies.
func applyAll(t testing.TB, h http.Handler, tokens []string) ([]int, []string, []time.Duration) {
	codes, bodies, lat := make([]int, len(tokens)), make([]string, len(tokens)), make([]time.Duration, len(tokens))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, tok := range tokens {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, applyURL(), strings.NewReader(`{}`))
			req.Header.Set("Authorization", tok)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			<-start
			t0 := time.Now()
			h.ServeHTTP(rec, req)
			lat[i] = time.Since(t0)
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		})
	}
	close(start)
	wg.Wait()
	return codes, bodies, lat
}

// concurrentApp is a test app with the event, n citizens and no rate limit
// (all requests come from one address).
func concurrentApp(t testing.TB, te testEvent, n int) (*tests.TestApp, http.Handler, []string) {
	app := fx.NewApp(t)
	te.create(t, app)
	tokens := newCitizens(t, app, n)
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		t.Fatal(err)
	}
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	return app, h, tokens
}

func TestEventApplyConcurrency(t *testing.T) {
	const capacity, people = 10, 40
	app, h, tokens := concurrentApp(t, testEvent{days: 10, opensIn: -3, capacity: capacity}, people)
	defer app.Cleanup()
	codes, bodies, _ := applyAll(t, h, tokens)
	confirmed, waitlisted := 0, 0
	for i, c := range codes {
		switch {
		case c == http.StatusCreated && strings.Contains(bodies[i], `"status":"confirmed"`):
			confirmed++
		case c == http.StatusCreated && strings.Contains(bodies[i], `"status":"waitlisted"`):
			waitlisted++
		default:
			t.Errorf("answer %d: %s", c, bodies[i])
		}
	}
	if confirmed != capacity || waitlisted != people-capacity {
		t.Errorf("answers: %d confirmed, %d waitlisted; want %d and %d", confirmed, waitlisted, capacity, people-capacity)
	}
	if got := countStatus(t, app, "confirmed"); got != capacity {
		t.Errorf("%d confirmed in the table, want %d", got, capacity)
	}
	if got := countStatus(t, app, "waitlisted"); got != people-capacity {
		t.Errorf("%d waitlisted in the table, want %d", got, people-capacity)
	}
	// Each applicant on the waitlist was told their place in the order of
	// promotion (appliedAt, then id).
	queue, err := app.FindRecordsByFilter("event_applications", "event = {:e} && status = 'waitlisted'", "appliedAt,id", 0, 0, dbx.Params{"e": applyEventID})
	if err != nil {
		t.Fatal(err)
	}
	place := map[string]int{}
	for i, r := range queue {
		place[r.Id] = i + 1
	}
	for _, b := range bodies {
		var r struct {
			ID       string
			Position int
		}
		_ = json.Unmarshal([]byte(b), &r)
		if r.Position > 0 && place[r.ID] != r.Position {
			t.Errorf("told place %d, queued at %d", r.Position, place[r.ID])
		}
	}
}

// The same person sending the same application many times at once gets
// exactly one in.
func TestEventApplyDoubleRace(t *testing.T) {
	app, h, tokens := concurrentApp(t, openEvent(), 1)
	defer app.Cleanup()
	same := make([]string, 12)
	for i := range same {
		same[i] = tokens[0]
	}
	codes, bodies, _ := applyAll(t, h, same)
	created := 0
	for i, c := range codes {
		switch {
		case c == http.StatusCreated:
			created++
		case c != http.StatusConflict || !strings.Contains(bodies[i], "already_applied"):
			t.Errorf("answer %d: %s", c, bodies[i])
		}
	}
	if created != 1 || countStatus(t, app, "confirmed") != 1 {
		t.Errorf("%d created, %d stored; want 1", created, countStatus(t, app, "confirmed"))
	}
}

func TestEventSlots(t *testing.T) {
	url := "/api/lifestage/events/" + applyEventID + "/slots"
	day := openEvent().start()
	body := `{"starts":["` + day.Add(30*time.Minute).Format(time.RFC3339) + `","` + day.Add(time.Hour).Format(time.RFC3339) + `"]}`
	setup := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { openEvent().create(t, app) }
	scenarios := []tests.ApiScenario{
		{Name: "子育て staff make two slots", Method: http.MethodPost, URL: url, Body: strings.NewReader(body),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, BeforeTestFunc: setup,
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"ids":[`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				slots, err := app.FindRecordsByFilter("events", "code ~ 'T-APPLY-'", "startsAt", 0, 0)
				if err != nil || len(slots) != 2 {
					t.Fatalf("%d slots (%v)", len(slots), err)
				}
				s := slots[0]
				if !s.GetDateTime("startsAt").Time().Equal(day.Add(30*time.Minute)) || s.GetBool("published") ||
					s.GetInt("capacity") != 10 || !s.GetDateTime("endsAt").Time().Equal(day.Add(90*time.Minute)) {
					t.Errorf("slot %v", s)
				}
			}},
		{Name: "no starts", Method: http.MethodPost, URL: url, Body: strings.NewReader(`{"starts":[]}`),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, BeforeTestFunc: setup,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"code":"invalid_count"`}},
		{Name: "the same slot twice", Method: http.MethodPost, URL: url,
			Body:    strings.NewReader(`{"starts":["` + day.Add(time.Hour).Format(time.RFC3339) + `","` + day.Add(time.Hour).Format(time.RFC3339) + `"]}`),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, BeforeTestFunc: setup,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":400`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n, _ := app.CountRecords("events", dbx.NewExp("code LIKE 'T-APPLY-%'")); n != 0 {
					t.Errorf("%d slots kept after a failed series", n)
				}
			}},
		{Name: "guest", Method: http.MethodPost, URL: url, Body: strings.NewReader(body), BeforeTestFunc: setup,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}},
	}
	for _, role := range []string{"parent", "nursery_staff", "city_nursery", "city_admin"} {
		scenarios = append(scenarios, tests.ApiScenario{Name: "refused: " + role, Method: http.MethodPost, URL: url, Body: strings.NewReader(body),
			Headers: map[string]string{"Authorization": fx.Tokens[role]}, BeforeTestFunc: setup,
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`}})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// A notice reaches each applicant in their own language.
func TestEventNoticeLanguage(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	testEvent{days: 1, opensIn: -5, capacity: 5}.create(t, app)
	user, err := app.FindRecordById("users", fx.IDs["parent2"])
	if err != nil {
		t.Fatal(err)
	}
	user.Set("language", "vi")
	if err := app.Save(user); err != nil {
		t.Fatal(err)
	}
	addApplication(t, app, applyEventID, "parent2", "", "confirmed", time.Now())
	if _, err := hooks.RunEventReminders(app, civil.Today()); err != nil {
		t.Fatal(err)
	}
	n, err := app.FindFirstRecordByFilter("notifications", "kind = 'events.reminder' && recipient = {:u}", dbx.Params{"u": user.Id})
	if err != nil {
		t.Fatal(err)
	}
	if n.GetString("title") != "Ngày mai: テスト教室" { // the body is stored encrypted
		t.Errorf("notice title %q", n.GetString("title"))
	}
}
