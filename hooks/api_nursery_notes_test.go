package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/fieldcrypt"
	"github.com/saijo-dx/lifestage/testutil"
)

// notesWorld holds the fixture's records the notes tests point at.
type notesWorld struct {
	kid, kidNursery, kidClass string // the demo parent's eldest enrolled child
	otherNursery, otherClass  string // parent2's nursery and a class of it
	draft, published          string // parent's kid's nursery entries (today's draft, an earlier one)
	lateNotice                string // parent's unacknowledged notice of today
	parent2Notice             string
	enrolledName              string // a family name of a child at the demo nursery
	outsiderToken             string // director of another nursery
}

var notes *notesWorld

func notesFixture(t testing.TB) *notesWorld {
	if notes != nil {
		return notes
	}
	app := fx.NewApp(t)
	defer app.Cleanup()
	first := func(collection, filter string, params dbx.Params) *core.Record {
		recs, err := app.FindRecordsByFilter(collection, filter, "-created", 1, 0, params)
		if err != nil || len(recs) == 0 {
			t.Fatalf("fixture has no %s matching %s: %v", collection, filter, err)
		}
		return recs[0]
	}
	w := &notesWorld{}
	draft := first("notebook_nursery", "status = 'draft'", nil)
	w.draft, w.kid, w.kidNursery, w.kidClass = draft.Id, draft.GetString("child"), draft.GetString("nursery"), draft.GetString("class")
	w.published = first("notebook_nursery", "child = {:c} && status = 'published'", dbx.Params{"c": w.kid}).Id
	w.lateNotice = first("absence_notices", "submittedBy = {:p} && kind = 'late'", dbx.Params{"p": fx.IDs["parent"]}).Id
	p2 := first("absence_notices", "submittedBy = {:p}", dbx.Params{"p": fx.IDs["parent2"]})
	w.parent2Notice, w.otherNursery = p2.Id, p2.GetString("nursery")
	w.otherClass = first("nursery_classes", "nursery = {:n}", dbx.Params{"n": w.otherNursery}).Id
	e := first("enrolments", "nursery = {:n} && child != {:c}", dbx.Params{"n": w.kidNursery, "c": w.kid})
	child, err := app.FindRecordById("children", e.GetString("child"))
	if err != nil {
		t.Fatal(err)
	}
	w.enrolledName = child.GetString("familyName")
	outsider, err := app.FindAuthRecordByEmail("nursery_staff", "outsider-nursery_staff@test.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	if w.outsiderToken, err = outsider.NewAuthToken(); err != nil {
		t.Fatal(err)
	}
	if w.kidNursery == w.otherNursery || outsider.GetString("nursery") == w.kidNursery {
		t.Fatal("the fixture's two families must be in two nurseries")
	}
	notes = w
	return w
}

func runScenarios(t *testing.T, scenarios []tests.ApiScenario) {
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func notificationsOf(t testing.TB, app core.App, role, kind string) int {
	n, err := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs[role], "kind": kind})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestNurseryNotesAbsence(t *testing.T) {
	w := notesFixture(t)
	today := civil.Today().String()
	create := "/api/collections/absence_notices/records"
	body := func(extra string) *strings.Reader {
		return strings.NewReader(`{"child":"` + w.kid + `","date":"` + today + `"` + extra + `}`)
	}
	runScenarios(t, []tests.ApiScenario{
		{
			Name: "a guardian's notice is placed by the enrolment, not by the request", Method: http.MethodPost, URL: create,
			Headers:        auth("parent"),
			Body:           body(`,"kind":"absence","symptoms":["fever","cough"],"infection":"influenza","temperature":38.5,"note":"夜から熱","nursery":"` + w.otherNursery + `","class":"` + w.otherClass + `"`),
			ExpectedStatus: 200, ExpectedContent: []string{`"nursery":"` + w.kidNursery + `"`, `"class":"` + w.kidClass + `"`, `"submittedBy":"` + fx.IDs["parent"] + `"`, `"note":"夜から熱"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "absence_notices", "action": "create", "actor": fx.IDs["parent"]})
				if n != 1 {
					t.Fatalf("%d audit entries for the notice, want 1", n)
				}
			},
		},
		{
			Name: "the sender cannot be named by the request", Method: http.MethodPost, URL: create, Headers: auth("parent"),
			Body: body(`,"kind":"absence","submittedBy":"` + fx.IDs["parent2"] + `"`), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a child who is not enrolled that day is refused", Method: http.MethodPost, URL: create, Headers: auth("parent"),
			Body: strings.NewReader(`{"child":"notenrolledkid1","date":"` + today + `","kind":"absence"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				col, _ := app.FindCollectionByNameOrId("children")
				kid := core.NewRecord(col)
				kid.Load(map[string]any{"id": "notenrolledkid1", "familyName": "試験", "givenName": "未在籍", "birthDate": "2022-05-01", "guardians": []string{fx.IDs["parent"]}})
				if err := app.Save(kid); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_enrolled"`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a late notice needs the expected time", Method: http.MethodPost, URL: create, Headers: auth("parent"),
			Body: body(`,"kind":"late"`), ExpectedStatus: 400, ExpectedContent: []string{`"expectedTime":{"code":"required"`},
		},
		{
			Name: "a notice for a date far back is refused", Method: http.MethodPost, URL: create, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + civil.Today().AddDays(-30).String() + `","kind":"absence"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"`},
		},
		{
			Name: "another family cannot send a notice for the child", Method: http.MethodPost, URL: create, Headers: auth("parent2"),
			Body: body(`,"kind":"absence"`), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a grandmother with a view share cannot send one", Method: http.MethodPost, URL: create, Headers: auth("grandparent"),
			Body: body(`,"kind":"absence"`), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "nursery staff cannot send a notice in a family's name", Method: http.MethodPost, URL: create, Headers: auth("nursery_staff"),
			Body: body(`,"kind":"absence"`), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "the city's 保育 staff do not list named notices", Method: http.MethodGet, URL: create, Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "the nursery acknowledges; the family can no longer change it", Method: http.MethodPost,
			URL: "/api/lifestage/nursery/absences/" + w.lateNotice + "/acknowledge", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"acknowledgedBy":"` + fx.IDs["nursery_staff"] + `"`, `"note":"小児科を受診してから登園します。"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, _ := app.FindRecordById("absence_notices", w.lateNotice)
				if n.GetDateTime("acknowledgedAt").IsZero() {
					t.Fatal("not acknowledged")
				}
				ok, _ := app.CanAccessRecord(n, &core.RequestInfo{Auth: account(t, app, "parent"), Body: map[string]any{"note": "x"}}, n.Collection().UpdateRule)
				if ok {
					t.Fatal("the family may still change an acknowledged notice")
				}
				if !fieldcrypt.IsEncrypted(n.GetString("note")) {
					t.Fatalf("the note is stored in clear: %q", n.GetString("note"))
				}
			},
		},
		{
			Name: "another nursery's staff cannot acknowledge", Method: http.MethodPost,
			URL: "/api/lifestage/nursery/absences/" + w.lateNotice + "/acknowledge", Headers: map[string]string{"Authorization": w.outsiderToken},
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "nor can staff acknowledge parent2's notice at another nursery", Method: http.MethodPost,
			URL: "/api/lifestage/nursery/absences/" + w.parent2Notice + "/acknowledge", Headers: auth("nursery_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "a parent cannot acknowledge", Method: http.MethodPost,
			URL: "/api/lifestage/nursery/absences/" + w.lateNotice + "/acknowledge", Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "acknowledging needs a login", Method: http.MethodPost,
			URL:            "/api/lifestage/nursery/absences/" + w.lateNotice + "/acknowledge",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "the family may cancel before the nursery acknowledged", Method: http.MethodPatch,
			URL: create + "/" + w.lateNotice, Headers: auth("parent"), Body: strings.NewReader(`{"cancelled":true}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"cancelled":true`},
		},
		{
			Name: "but may not move it to another day", Method: http.MethodPatch,
			URL: create + "/" + w.lateNotice, Headers: auth("parent"), Body: strings.NewReader(`{"date":"` + civil.Today().AddDays(1).String() + `"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	})
}

// countsResponse is the infections route's answer.
type countsResponse struct {
	From, To string
	Rows     []struct {
		Nursery, NurseryName, Class, ClassName, Date string
		Reported, Absent                             int
		Infections, Symptoms                         map[string]int
	}
	Labels map[string]map[string]string
}

func readCounts(t testing.TB, res *http.Response) (countsResponse, string) {
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var c countsResponse
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c, string(raw)
}

// noChildIn fails when the response names any child of the city.
func noChildIn(t testing.TB, app core.App, body string) {
	kids, err := app.FindAllRecords("children")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if strings.Contains(body, k.Id) || strings.Contains(body, `"`+k.GetString("givenName")+`"`) {
			t.Fatalf("the counts name child %s", k.Id)
		}
	}
}

func TestNurseryNotesInfectionCounts(t *testing.T) {
	w := notesFixture(t)
	url := "/api/lifestage/nursery/infections"
	runScenarios(t, []tests.ApiScenario{
		{
			Name: "nursery staff count their own nursery by class and day", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"rows":[`, `"labels":`, `"influenza":"インフルエンザ"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, raw := readCounts(t, res)
				if len(c.Rows) == 0 {
					t.Fatal("no rows for the demo nursery")
				}
				late := false
				for _, r := range c.Rows {
					if r.Nursery != w.kidNursery || r.ClassName == "" || r.NurseryName == "" {
						t.Fatalf("row %+v is not of the caller's nursery or lacks names", r)
					}
					late = late || (r.Class == w.kidClass && r.Date == civil.Today().String() && r.Reported >= 1)
				}
				if !late {
					t.Fatal("today's late notice of the demo family is not counted")
				}
				noChildIn(t, app, raw)
			},
		},
		{
			Name: "nursery staff cannot count another nursery", Method: http.MethodGet, URL: url + "?nursery=" + w.otherNursery,
			Headers: auth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "the city's 保育 staff count every nursery", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"rows":[`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, raw := readCounts(t, res)
				seen := map[string]bool{}
				flu := 0
				for _, r := range c.Rows {
					seen[r.Nursery] = true
					flu += r.Infections["influenza"]
				}
				if !seen[w.kidNursery] || !seen[w.otherNursery] || flu == 0 {
					t.Fatalf("city counts cover %d nurseries with %d influenza cases", len(seen), flu)
				}
				noChildIn(t, app, raw)
			},
		},
		{
			Name: "the city may narrow to one nursery and period", Method: http.MethodGet,
			URL:     url + "?nursery=" + w.otherNursery + "&from=" + civil.Today().AddDays(-1).String() + "&to=" + civil.Today().String(),
			Headers: auth("city_nursery"), ExpectedStatus: 200, ExpectedContent: []string{`"from":"` + civil.Today().AddDays(-1).String() + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, _ := readCounts(t, res)
				if len(c.Rows) == 0 {
					t.Fatal("parent2's notice of yesterday is not counted")
				}
				for _, r := range c.Rows {
					if r.Nursery != w.otherNursery || r.Date < c.From {
						t.Fatalf("row %+v outside the filter", r)
					}
				}
			},
		},
		{
			Name: "a period longer than 92 days is refused", Method: http.MethodGet, URL: url + "?from=2026-01-01&to=2026-12-31",
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"too_long"`},
		},
		{
			Name: "a bad date is refused", Method: http.MethodGet, URL: url + "?from=yesterday",
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_date"`},
		},
		{Name: "子育て staff may not count", Method: http.MethodGet, URL: url, Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "運用 staff may not count", Method: http.MethodGet, URL: url, Headers: auth("city_admin"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "parents may not count", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "clinics may not count", Method: http.MethodGet, URL: url, Headers: auth("medical_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "counting needs a login", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{
			Name: "the codes and their labels come from the server", Method: http.MethodGet, URL: "/api/lifestage/nursery/codes", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`{"code":"influenza","label":"インフルエンザ"}`, `{"code":"fever","label":"発熱"}`, `"notebook":{`, `{"code":"pickup_change","label":"お迎えの変更"}`},
		},
		{Name: "codes need a login", Method: http.MethodGet, URL: "/api/lifestage/nursery/codes", ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{
			Name: "a notice draft is worded from the class's count", Method: http.MethodGet,
			URL:     "/api/lifestage/nursery/infections/draft?infection=influenza&class=" + w.kidClass,
			Headers: auth("nursery_staff"), ExpectedStatus: 200, ExpectedContent: []string{`"title":"インフルエンザの発生について"`, `"body":"`, `"children":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				raw, _ := io.ReadAll(res.Body)
				noChildIn(t, app, string(raw))
			},
		},
		{
			Name: "a draft for another nursery's class is refused", Method: http.MethodGet,
			URL:     "/api/lifestage/nursery/infections/draft?infection=influenza&class=" + w.otherClass,
			Headers: auth("nursery_staff"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_in_nursery"`},
		},
		{
			Name: "a draft needs a known infection", Method: http.MethodGet, URL: "/api/lifestage/nursery/infections/draft?infection=plague",
			Headers: auth("nursery_staff"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_infection"`},
		},
		{
			Name: "the city does not write notices", Method: http.MethodGet, URL: "/api/lifestage/nursery/infections/draft?infection=influenza",
			Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
	})
}

func TestNurseryNotesInfectionNotice(t *testing.T) {
	w := notesFixture(t)
	url := "/api/collections/infection_notices/records"
	runScenarios(t, []tests.ApiScenario{
		{
			Name: "staff publish to their nursery's families, who are told", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"nursery":"` + w.otherNursery + `","infection":"gastroenteritis","title":"感染性胃腸炎の発生について","body":"園内で感染性胃腸炎が2名確認されています。"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"nursery":"` + w.kidNursery + `"`, `"publishedBy":"` + fx.IDs["nursery_staff"] + `"`},
			NotExpectedContent: []string{`"audience"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if notificationsOf(t, app, "parent", "nursery.infection_notice") != 2 { // the demo's and this one
					t.Fatal("the demo parent was not told")
				}
				if notificationsOf(t, app, "parent2", "nursery.infection_notice") != 1 { // only the demo's of their nursery
					t.Fatal("a family of another nursery was told")
				}
				if notificationsOf(t, app, "grandparent", "nursery.infection_notice") != 0 {
					t.Fatal("only guardians are notified; shared family read the notice in the app")
				}
				rec, err := app.FindFirstRecordByFilter("infection_notices", "infection = 'gastroenteritis' && nursery = {:n}", dbx.Params{"n": w.kidNursery})
				if err != nil {
					t.Fatal(err)
				}
				aud := rec.GetStringSlice("audience")
				if !slices.Contains(aud, fx.IDs["parent"]) || !slices.Contains(aud, fx.IDs["grandparent"]) || slices.Contains(aud, fx.IDs["parent2"]) {
					t.Fatalf("audience %v", aud)
				}
			},
		},
		{
			Name: "a notice naming an enrolled child is refused", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"infection":"influenza","title":"インフルエンザの発生について","body":"` + w.enrolledName + `さんがインフルエンザと診断されました。"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"names_child"`}, ExpectedEvents: map[string]int{"OnRecordCreateExecute": 0},
		},
		{
			Name: "a class of another nursery is refused", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"class":"` + w.otherClass + `","infection":"influenza","title":"お知らせ","body":"インフルエンザが流行しています。"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"class":{"code":"not_in_nursery"`},
		},
		{
			Name: "parents cannot publish", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"nursery":"` + w.kidNursery + `","infection":"influenza","title":"お知らせ","body":"流行しています。"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "the city's 保育 staff do not publish for a nursery", Method: http.MethodPost, URL: url, Headers: auth("city_nursery"),
			Body:           strings.NewReader(`{"nursery":"` + w.kidNursery + `","infection":"influenza","title":"お知らせ","body":"流行しています。"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "the audience is never taken from the request", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"infection":"influenza","title":"お知らせ","body":"流行しています。","audience":["` + fx.IDs["parent2"] + `"]}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"title":"お知らせ"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				rec, err := app.FindFirstRecordByFilter("infection_notices", "title = 'お知らせ'")
				if err != nil || slices.Contains(rec.GetStringSlice("audience"), fx.IDs["parent2"]) || !slices.Contains(rec.GetStringSlice("audience"), fx.IDs["parent"]) {
					t.Fatalf("audience %v (%v)", rec.GetStringSlice("audience"), err)
				}
			},
		},
		{
			Name: "families list their nursery's notices only", Method: http.MethodGet, URL: url, Headers: auth("parent2"),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":1`, `"nursery":"` + w.otherNursery + `"`}, NotExpectedContent: []string{`"audience"`},
		},
		{
			Name: "families cannot filter on who else reads", Method: http.MethodGet, URL: url + "?filter=" + "audience~'" + fx.IDs["parent"] + "'",
			Headers: auth("parent"), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
		},
	})
}

func TestNurseryNotesNotebook(t *testing.T) {
	w := notesFixture(t)
	home := "/api/collections/notebook_home/records"
	nursery := "/api/collections/notebook_nursery/records"
	early := civil.Today().AddDays(-6).String()
	photo, text := notebookUpload(t, "photo.png", pngBytes), notebookUpload(t, "note.txt", []byte("not an image"))
	runScenarios(t, []tests.ApiScenario{
		{
			Name: "a guardian writes the home side; the nursery comes from the enrolment", Method: http.MethodPost, URL: home, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + early + `","temperature":36.7,"bedtime":"20:30","wakeTime":"06:30","meals":"all","mood":"good","bowel":"normal","homeNote":"元気です","nursery":"` + w.otherNursery + `"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"nursery":"` + w.kidNursery + `"`, `"writtenBy":"` + fx.IDs["parent"] + `"`, `"homeNote":"元気です"`},
		},
		{
			Name: "one home entry per child and day", Method: http.MethodPost, URL: home, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + civil.Today().String() + `","mood":"good"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"validation_not_unique"`},
		},
		{
			Name: "not for days to come", Method: http.MethodPost, URL: home, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + civil.Today().AddDays(1).String() + `","mood":"good"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"future_date"`},
		},
		{
			Name: "staff do not write the home side", Method: http.MethodPost, URL: home, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + early + `","mood":"good"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "parents do not write the nursery side", Method: http.MethodPost, URL: nursery, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + early + `","activities":"書き込み","status":"published"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "nor change it", Method: http.MethodPatch, URL: nursery + "/" + w.published, Headers: auth("parent"),
			Body: strings.NewReader(`{"staffComment":"書き換え"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "a draft is invisible to the family", Method: http.MethodGet, URL: nursery + "/" + w.draft, Headers: auth("parent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "and absent from their list", Method: http.MethodGet, URL: nursery + "?filter=" + "child='" + w.kid + "'&perPage=100", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + w.published + `"`}, NotExpectedContent: []string{w.draft, `"status":"draft"`},
		},
		{
			Name: "who published is not taken from the request", Method: http.MethodPatch, URL: nursery + "/" + w.draft, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"status":"published","staffComment":"よく食べました","publishedBy":"x"}`), ExpectedStatus: 404,
			ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff publish a draft: stamped, and the guardians are told", Method: http.MethodPatch, URL: nursery + "/" + w.draft, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"status":"published","staffComment":"よく食べました"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"published"`, `"publishedBy":"` + fx.IDs["nursery_staff"] + `"`, `"staffComment":"よく食べました"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if notificationsOf(t, app, "parent", "nursery.notebook_published") != 1 {
					t.Fatal("the guardian was not told")
				}
				rec, _ := app.FindRecordById("notebook_nursery", w.draft)
				if rec.GetDateTime("publishedAt").IsZero() {
					t.Fatal("publishedAt not set")
				}
				if !canView(t, app, "parent", rec) || canView(t, app, "parent2", rec) {
					t.Fatal("after publishing, the family and only the family reads the entry")
				}
			},
		},
		{
			Name: "a published entry does not go back to draft", Method: http.MethodPatch, URL: nursery + "/" + w.published, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"status":"draft"}`), ExpectedStatus: 400, ExpectedContent: []string{`"code":"already_published"`},
		},
		{
			Name: "a nap ends after it starts", Method: http.MethodPatch, URL: nursery + "/" + w.draft, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"napFrom":"13:00","napTo":"12:30"}`), ExpectedStatus: 400, ExpectedContent: []string{`"code":"before_start"`},
		},
		{
			Name: "staff of another nursery cannot write about the child", Method: http.MethodPost, URL: nursery,
			Headers:        map[string]string{"Authorization": w.outsiderToken},
			Body:           strings.NewReader(`{"child":"` + w.kid + `","date":"` + early + `","activities":"砂場","status":"draft"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_in_nursery"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "nor see the child's entries", Method: http.MethodGet, URL: nursery + "/" + w.published,
			Headers: map[string]string{"Authorization": w.outsiderToken}, ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "photos: images are accepted", Method: http.MethodPatch, URL: nursery + "/" + w.draft, Headers: photo.headers,
			Body: photo.body, ExpectedStatus: 200, ExpectedContent: []string{`"photos":["photo_`},
		},
		{
			Name: "photos: other files are refused", Method: http.MethodPatch, URL: nursery + "/" + w.draft, Headers: text.headers,
			Body: text.body, ExpectedStatus: 400, ExpectedContent: []string{`"photos":{"code":"validation_invalid_mime_type"`},
		},
	})
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte{0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
	0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82}

type multipartUpload struct {
	body    io.Reader
	headers map[string]string
}

// notebookUpload is a staff request sending one file in the photos field.
func notebookUpload(t testing.TB, name string, content []byte) multipartUpload {
	h := auth("nursery_staff")
	h["Content-Type"] = matrixUploadType
	return multipartUpload{body: strings.NewReader(multipartBody(t, "photos", nil, name, content)), headers: h}
}

func TestNurseryNotesDay(t *testing.T) {
	w := notesFixture(t)
	url := "/api/lifestage/nursery/notebook/day"
	runScenarios(t, []tests.ApiScenario{
		{
			Name: "staff see today's class with the families' notes and their own drafts", Method: http.MethodGet, URL: url + "?class=" + w.kidClass,
			Headers: auth("nursery_staff"), ExpectedStatus: 200,
			ExpectedContent: []string{`"id":"` + w.kid + `"`, `"id":"` + w.draft + `"`, `"status":"draft"`, `"classes":[`, `"kind":"late"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "notebook_home", "action": "view", "actor": fx.IDs["nursery_staff"]})
				if n == 0 {
					t.Fatal("staff reads of home entries are not audited")
				}
			},
		},
		{
			Name: "another nursery's class is refused", Method: http.MethodGet, URL: url + "?class=" + w.otherClass,
			Headers: auth("nursery_staff"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_in_nursery"`},
		},
		{
			Name: "another nursery's staff do not see the child", Method: http.MethodGet, URL: url,
			Headers: map[string]string{"Authorization": w.outsiderToken}, ExpectedStatus: 200, ExpectedContent: []string{`"children":`},
			NotExpectedContent: []string{w.kid},
		},
		{Name: "parents cannot", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "the city cannot", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests cannot", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	})
}

// TestNurseryNotesRealtime: the family hears of the nursery's entry the
// moment it is published, not while it is a draft; other families never.
func TestNurseryNotesRealtime(t *testing.T) {
	w := notesFixture(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	if _, err := testutil.Handler(app); err != nil {
		t.Fatal(err)
	}
	mine, theirs := subscribeAs(t, app, "parent", "notebook_nursery/*"), subscribeAs(t, app, "parent2", "notebook_nursery/*")
	entry, err := app.FindRecordById("notebook_nursery", w.draft)
	if err != nil {
		t.Fatal(err)
	}
	quiet := func(c subscriptions.Client, what string) {
		select {
		case msg := <-c.Channel():
			t.Fatalf("%s: got %s", what, msg.Data)
		case <-time.After(200 * time.Millisecond):
		}
	}
	entry.Set("activities", "下書きの書き直し")
	if err := app.Save(entry); err != nil {
		t.Fatal(err)
	}
	quiet(mine, "a draft edit reached the family")
	entry.Set("status", "published")
	if err := app.Save(entry); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-mine.Channel():
		var payload struct {
			Action string `json:"action"`
			Record struct {
				ID, Status, Activities string
			} `json:"record"`
		}
		if err := json.Unmarshal(msg.Data, &payload); err != nil || payload.Record.ID != w.draft || payload.Record.Status != "published" {
			t.Fatalf("unexpected message %s (%v)", msg.Data, err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the family got no realtime message on publication")
	}
	quiet(theirs, "another family heard of the entry")
}
