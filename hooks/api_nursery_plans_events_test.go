package hooks_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
)

// testEventID is the id of the event a test adds, so scenario URLs can
// name it before it exists.
const testEventID = "testevent000001"

// newEvent saves an event of the demo nursery as the seed would.
func newEvent(t testing.TB, app core.App, p *nurseryPlace, fields map[string]any) *core.Record {
	col, err := app.FindCollectionByNameOrId("nursery_events")
	if err != nil {
		t.Fatal(err)
	}
	ev := core.NewRecord(col)
	ev.Id = testEventID
	ev.Load(map[string]any{"nursery": p.nursery, "title": "いも掘り遠足", "date": p.today.AddDays(14).String(),
		"startTime": "09:00", "endTime": "12:00", "place": "市民の森", "audience": "all"})
	ev.Load(fields)
	if err := app.Save(ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// notified lists who got a notification of the kind about the event.
func notified(t testing.TB, app core.App, kind, eventID string) []string {
	recs, err := app.FindRecordsByFilter("notifications", "kind = {:k} && reason ~ {:r}", "", 0, 0, dbx.Params{"k": kind, "r": eventID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.GetString("recipient"))
	}
	slices.Sort(out)
	return out
}

func guardiansOfClass(t testing.TB, app core.App, p *nurseryPlace, class string) []string {
	enrolled, err := app.FindRecordsByFilter("enrolments", "class = {:c} && start <= {:d} && (end = '' || end >= {:d})", "", 0, 0,
		dbx.Params{"c": class, "d": p.today.String()})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, e := range enrolled {
		child, err := app.FindRecordById("children", e.GetString("child"))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range child.GetStringSlice("guardians") {
			set[g] = true
		}
	}
	var out []string
	for g := range set {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

func TestNurseryEventsPublishAndCancel(t *testing.T) {
	p := placeOf(t)
	var allGuardians []string
	for g := range p.guardiansOfDemoNursery {
		allGuardians = append(allGuardians, g)
	}
	slices.Sort(allGuardians)
	if !p.guardiansOfDemoNursery[fx.IDs["parent"]] || p.guardiansOfDemoNursery[fx.IDs["parent2"]] {
		t.Fatal("the demo nursery must have parent's children and not parent2's")
	}
	var ev *core.Record
	draftEvent := func(fields map[string]any) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) { ev = newEvent(t, app, p, fields) }
	}
	url := func(action string) string { return "/api/lifestage/nursery/events/" + testEventID + "/" + action }

	scenarios := []struct {
		tests.ApiScenario
		fields map[string]any
		action string
	}{
		{action: "publish", ApiScenario: tests.ApiScenario{
			Name: "publishing tells every guardian of the nursery's children, once each", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"published"`, `"notified":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var out struct{ Notified int }
				if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
					t.Fatal(err)
				}
				got := notified(t, app, "nursery.event_published", ev.Id)
				if !slices.Equal(got, allGuardians) || out.Notified != len(allGuardians) {
					t.Errorf("notified %d (%d stored), want the %d guardians of the nursery", out.Notified, len(got), len(allGuardians))
				}
				n, _ := app.FindFirstRecordByFilter("notifications", "recipient = {:p} && kind = 'nursery.event_published' && reason = {:r}",
					dbx.Params{"p": fx.IDs["parent"], "r": ev.Id})
				if n == nil || n.GetString("link") != "/me/events/" {
					t.Fatalf("parent's notice: %v", n)
				}
				if body, err := hooks.DecryptField(app, n, "body"); err != nil || !strings.Contains(body, "市民の森") {
					t.Errorf("parent's notice says %q (%v)", body, err)
				}
			},
		}},
		{action: "publish", fields: map[string]any{"audience": "class", "class": "CLASS0"}, ApiScenario: tests.ApiScenario{
			Name: "a class event tells that class's guardians only", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"published"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				want := guardiansOfClass(t, app, p, p.class.Id)
				if got := notified(t, app, "nursery.event_published", ev.Id); !slices.Equal(got, want) || len(want) == 0 || len(want) >= len(allGuardians) {
					t.Errorf("notified %d, want the class's %d of %d", len(got), len(want), len(allGuardians))
				}
			},
		}},
		{action: "publish", fields: map[string]any{"status": "published"}, ApiScenario: tests.ApiScenario{
			Name: "an event is published once", Headers: auth("nursery_staff"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_draft"`},
		}},
		{action: "publish", fields: map[string]any{"date": "2020-01-01"}, ApiScenario: tests.ApiScenario{
			Name: "a past event is not published", Headers: auth("nursery_staff"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"past_event"`},
		}},
		{action: "publish", ApiScenario: tests.ApiScenario{
			Name: "staff of another nursery get 404", Headers: tokenHeader(p.outsiderToken),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		}},
		{action: "publish", ApiScenario: tests.ApiScenario{
			Name: "a parent may not publish", Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		}},
		{action: "publish", ApiScenario: tests.ApiScenario{
			Name: "保育 staff of the city do not publish for a nursery", Headers: auth("city_nursery"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		}},
		{action: "publish", ApiScenario: tests.ApiScenario{
			Name: "guests must log in", ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		}},
		{action: "cancel", fields: map[string]any{"status": "published"}, ApiScenario: tests.ApiScenario{
			Name: "calling off a published event tells the families", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"cancelled"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if got := notified(t, app, "nursery.event_cancelled", ev.Id); !slices.Equal(got, allGuardians) {
					t.Errorf("cancel notified %d, want %d", len(got), len(allGuardians))
				}
			},
		}},
		{action: "cancel", ApiScenario: tests.ApiScenario{
			Name: "calling off a draft tells nobody", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"cancelled"`, `"notified":0`},
		}},
		{action: "cancel", fields: map[string]any{"status": "cancelled"}, ApiScenario: tests.ApiScenario{
			Name: "an event is called off once", Headers: auth("nursery_staff"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"already_cancelled"`},
		}},
	}
	for _, s := range scenarios {
		s.Method, s.TestAppFactory = http.MethodPost, fx.NewApp
		fields, action := s.fields, s.action
		if fields["class"] == "CLASS0" {
			fields["class"] = p.class.Id
		}
		s.BeforeTestFunc = draftEvent(fields)
		s.URL = url(action)
		s.ApiScenario.Test(t)
	}
}

func TestNurseryEventsWrittenByStaff(t *testing.T) {
	p := placeOf(t)
	base := "/api/collections/nursery_events/records"
	scenarios := []tests.ApiScenario{
		{
			Name: "staff write a draft; the server names the author", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"nursery":"` + p.nursery + `","title":"プール開き","date":"` + p.today.AddDays(30).String() +
				`","startTime":"10:00","endTime":"11:00","audience":"all"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"draft"`, `"author":"` + p.staffID + `"`},
		},
		{
			Name: "staff cannot publish through the records API", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"nursery":"` + p.nursery + `","title":"x","date":"2030-01-01","audience":"all","status":"published"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a class event needs its class", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"nursery":"` + p.nursery + `","title":"x","date":"2030-01-01","audience":"class"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"class_required"`},
		},
		{
			Name: "a class of another nursery is refused", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"nursery":"` + p.nursery + `","title":"x","date":"2030-01-01","audience":"class","class":"` + p.otherClass.Id + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"class_not_in_nursery"`},
		},
		{
			Name: "an event does not end before it starts", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"nursery":"` + p.nursery + `","title":"x","date":"2030-01-01","audience":"all","startTime":"11:00","endTime":"10:00"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"end_before_start"`},
		},
		{
			Name: "moving a published event tells the families what changed", Method: http.MethodPatch, URL: base + "/" + testEventID,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"date":"` + p.today.AddDays(15).String() + `"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				newEvent(t, app, p, map[string]any{"status": "published"})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"published"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				got := notified(t, app, "nursery.event_changed", testEventID)
				if len(got) != len(p.guardiansOfDemoNursery) || !slices.Contains(got, fx.IDs["parent"]) {
					t.Errorf("change told %d, want %d guardians", len(got), len(p.guardiansOfDemoNursery))
				}
			},
		},
		{
			Name: "a called-off event stays as it was", Method: http.MethodPatch, URL: base + "/" + testEventID,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"title":"やっぱりやる"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				newEvent(t, app, p, map[string]any{"status": "cancelled"})
			},
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

type familyEventsAnswer struct {
	Items []struct {
		ID, Nursery, NurseryName, Title, Date, Status, Audience, ClassName string
	} `json:"items"`
}

func TestFamiliesSeeTheirNurseriesEvents(t *testing.T) {
	p := placeOf(t)
	app := fx.NewApp(t)
	var published, drafts []string
	for _, n := range []string{p.nursery, p.other} {
		recs, err := app.FindRecordsByFilter("nursery_events", "nursery = {:n}", "", 0, 0, dbx.Params{"n": n})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.GetString("status") == "published" {
				published = append(published, r.GetString("nursery")+"/"+r.Id)
			} else {
				drafts = append(drafts, r.Id)
			}
		}
	}
	app.Cleanup()
	if len(published) < 2 || len(drafts) == 0 {
		t.Fatalf("the demo needs published events in both nurseries and a draft: %v %v", published, drafts)
	}
	url := "/api/lifestage/nursery/events"
	sees := func(nursery string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var a familyEventsAnswer
			if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, it := range a.Items {
				got = append(got, it.Nursery+"/"+it.ID)
				if it.NurseryName == "" || it.Status != "published" || slices.Contains(drafts, it.ID) {
					t.Errorf("listed %+v", it)
				}
			}
			for _, pub := range published {
				if strings.HasPrefix(pub, nursery+"/") {
					want = append(want, pub)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("listed %v, want %v", got, want)
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{Name: "a parent sees the published events of their children's nursery", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`}, AfterTestFunc: sees(p.nursery)},
		{Name: "another parent sees their own nursery's", Method: http.MethodGet, URL: url, Headers: auth("parent2"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`}, AfterTestFunc: sees(p.other)},
		{Name: "a grandparent sees the shared child's nursery", Method: http.MethodGet, URL: url, Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`}, AfterTestFunc: sees(p.nursery)},
		{Name: "a citizen with no child in a nursery sees none", Method: http.MethodGet, URL: url, Headers: auth("family"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		{Name: "past events only when asked from a date", Method: http.MethodGet, URL: url + "?from=2030-01-01", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		{Name: "a bad date is refused", Method: http.MethodGet, URL: url + "?from=tomorrow", Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_date"`}},
		{Name: "a class event reaches only that class's families", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				// A class none of parent's children is in.
				for age := 0; age <= 5; age++ {
					c := p.classes[age]
					if n, _ := app.CountRecords("enrolments", dbx.HashExp{"class": c.Id}, dbx.NewExp("child IN ({:a},{:b},{:c})",
						dbx.Params{"a": at(p.childrenOfParent, 0), "b": at(p.childrenOfParent, 1), "c": at(p.childrenOfParent, 2)})); n == 0 {
						newEvent(t, app, p, map[string]any{"status": "published", "audience": "class", "class": c.Id})
						return
					}
				}
				t.Fatal("parent's children fill every class")
			},
			ExpectedStatus: 200, NotExpectedContent: []string{testEventID}, AfterTestFunc: sees(p.nursery)},
		{Name: "nursery staff use the records API instead", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests must log in", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}
