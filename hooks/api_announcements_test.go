package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/hooks"
)

// refusedStaff are the roles that must never use 子育て staff routes.
var refusedStaff = []string{"parent", "nursery_staff", "medical_staff", "volunteer", "city_elderly", "city_nursery", "city_admin"}

// newAnnouncement stores a scheduled announcement due at at.
func newAnnouncement(t testing.TB, app core.App, audience string, at time.Time) *core.Record {
	col, err := app.FindCollectionByNameOrId(collections.Announcements)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	var a any
	if err := json.Unmarshal([]byte(audience), &a); err != nil {
		t.Fatal(err)
	}
	r.Load(map[string]any{"title": "テストのお知らせ", "body": "本文", "category": "general", "audience": a,
		"scheduledAt": at, "status": collections.AnnouncementScheduled})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// annNotified lists who got the announcement's notification, sorted.
func annNotified(t testing.TB, app core.App, annID string) []string {
	var ids []string
	err := app.DB().Select("recipient").From("notifications").
		Where(dbx.HashExp{"kind": announcedb.KindAnnouncementNew, "reason": annID}).OrderBy("recipient").Column(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// guardiansOf is the oracle of targeting: the guardians and managers of
// the children the SQL where-clause selects, sorted and unique.
func guardiansOf(t testing.TB, app core.App, where string, params dbx.Params) []string {
	var rows []struct {
		G string `db:"guardians"`
		M string `db:"familyManagers"`
	}
	if err := app.DB().NewQuery(`SELECT guardians, familyManagers FROM children c WHERE ` + where).Bind(params).All(&rows); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		var g, m []string
		_ = json.Unmarshal([]byte(r.G), &g)
		_ = json.Unmarshal([]byte(r.M), &m)
		out = append(append(out, g...), m...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// kidsOf are the children a demo role is guardian of.
func kidsOf(t testing.TB, app core.App, role string) []*core.Record {
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 0, 0, dbx.Params{"p": fx.IDs[role]})
	if err != nil || len(kids) == 0 {
		t.Fatalf("%s has no children: %v", role, err)
	}
	return kids
}

func setField(t testing.TB, app core.App, recs []*core.Record, field string, v any) {
	for _, r := range recs {
		r.Set(field, v)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAnnouncementTargeting proves that only the right parents receive an
// announcement: the fixture's parent and parent2 are given children of
// different ages and areas (and sit in different nurseries), and the
// notifications must go to exactly the guardians an independent SQL query
// finds.
func TestAnnouncementTargeting(t *testing.T) {
	now := time.Now()
	today := civil.DateOf(now)
	prep := func(t *testing.T) (*tests.TestApp, [2]string) {
		app := fx.NewApp(t)
		t.Cleanup(app.Cleanup)
		var areas []string
		if err := app.DB().Select("id").From("areas").OrderBy("code").Limit(2).Column(&areas); err != nil || len(areas) < 2 {
			t.Fatal("need two areas")
		}
		p1 := kidsOf(t, app, "parent")
		// The parent's youngest is 3 months and 10 days old; parent2's
		// children are 2 years and older.
		setField(t, app, p1[:1], "birthDate", today.AddMonthsClamped(-3).AddDays(-10).String())
		setField(t, app, p1, "area", areas[0])
		p2 := kidsOf(t, app, "parent2")
		setField(t, app, p2, "birthDate", today.AddDays(-900).String())
		setField(t, app, p2, "area", areas[1])
		return app, [2]string{areas[0], areas[1]}
	}
	check := func(t *testing.T, app core.App, audience string, want []string, parentIn, parent2In bool) {
		ann := newAnnouncement(t, app, audience, now.Add(-time.Minute))
		if _, err := announcedb.RunDue(app, now); err != nil {
			t.Fatal(err)
		}
		got := annNotified(t, app, ann.Id)
		if !slices.Equal(got, want) {
			t.Errorf("notified %d %v…, want %d %v…", len(got), head(got), len(want), head(want))
		}
		if slices.Contains(got, fx.IDs["parent"]) != parentIn || slices.Contains(got, fx.IDs["parent2"]) != parent2In {
			t.Errorf("parent in=%v (want %v), parent2 in=%v (want %v)", slices.Contains(got, fx.IDs["parent"]), parentIn, slices.Contains(got, fx.IDs["parent2"]), parent2In)
		}
		var rows []string
		if err := app.DB().Select("user").From(collections.AnnouncementRecipients).Where(dbx.HashExp{"announcement": ann.Id}).OrderBy("user").Column(&rows); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows, want) {
			t.Errorf("recipient rows %d, want %d", len(rows), len(want))
		}
		if ann, err := app.FindRecordById(collections.Announcements, ann.Id); err != nil || ann.GetString("status") != "sent" || ann.GetInt("recipientCount") != len(want) {
			t.Errorf("status %s recipientCount %d, want sent %d", ann.GetString("status"), ann.GetInt("recipientCount"), len(want))
		}
	}
	// Age oracle: born so that 「生後3月」 has been reached and 「生後5月」
	// not yet, i.e. 3 or 4 completed months by the legal reckoning.
	ageWhere := func(app core.App) []string {
		var out []string
		kids, err := app.FindRecordsByFilter("children", "birthDate >= {:from} && birthDate <= {:to}", "", 0, 0,
			dbx.Params{"from": today.AddMonthsClamped(-6).String(), "to": today.AddMonthsClamped(-2).String()})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			b, _ := civil.Parse(k.GetString("birthDate"))
			if !today.Before(civil.MonthBoundary(b, 3)) && today.Before(civil.MonthBoundary(b, 5)) {
				out = append(append(out, k.GetStringSlice("guardians")...), k.GetStringSlice("familyManagers")...)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	t.Run("age 3-4 months", func(t *testing.T) {
		app, _ := prep(t)
		check(t, app, `{"minAgeMonths":3,"maxAgeMonths":4}`, ageWhere(app), true, false)
	})
	t.Run("area of parent2", func(t *testing.T) {
		app, areas := prep(t)
		want := guardiansOf(t, app, `c.area = {:a} OR (c.area = '' AND EXISTS (SELECT 1 FROM users u WHERE u.area = {:a} AND c.guardians LIKE '%' || u.id || '%'))`, dbx.Params{"a": areas[1]})
		check(t, app, `{"areas":["`+areas[1]+`"]}`, want, false, true)
	})
	t.Run("demo nursery", func(t *testing.T) {
		app, _ := prep(t)
		nursery, err := app.FindAuthRecordByEmail("nursery_staff", fx.Accounts["nursery_staff"].Email)
		if err != nil {
			t.Fatal(err)
		}
		n := nursery.GetString("nursery")
		want := guardiansOf(t, app, `c.id IN (SELECT child FROM enrolments WHERE nursery = {:n} AND start <= {:d} AND (end = '' OR end >= {:d}))`, dbx.Params{"n": n, "d": today.String()})
		check(t, app, `{"nurseries":["`+n+`"]}`, want, true, false)
	})
	t.Run("age AND area", func(t *testing.T) {
		app, areas := prep(t)
		// The parent's baby lives in area 0 and parent2's children are too
		// old: neither may be told, and whoever is told has a baby.
		ann := newAnnouncement(t, app, `{"minAgeMonths":3,"maxAgeMonths":4,"areas":["`+areas[1]+`"]}`, now.Add(-time.Minute))
		if _, err := announcedb.RunDue(app, now); err != nil {
			t.Fatal(err)
		}
		got, babies := annNotified(t, app, ann.Id), ageWhere(app)
		if slices.Contains(got, fx.IDs["parent"]) || slices.Contains(got, fx.IDs["parent2"]) {
			t.Errorf("parent or parent2 told: %v", got)
		}
		for _, id := range got {
			if !slices.Contains(babies, id) {
				t.Errorf("%s told without a 3–4-month-old", id)
			}
		}
	})
	t.Run("all citizens", func(t *testing.T) {
		app, _ := prep(t)
		var want []string
		if err := app.DB().Select("id").From("users").OrderBy("id").Column(&want); err != nil {
			t.Fatal(err)
		}
		check(t, app, `{"all":true}`, want, true, true)
	})
}

// TestAnnouncementScheduledOnce runs the job with a fixed clock: nothing
// before the time, one delivery at it, nothing more afterwards, and a
// crash in the middle of a fan-out resumes without telling anyone twice.
func TestAnnouncementScheduledOnce(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	at := time.Now().Add(10 * time.Minute)
	ann := newAnnouncement(t, app, `{"minAgeMonths":0,"maxAgeMonths":71}`, at)
	if n, err := announcedb.RunDue(app, at.Add(-time.Minute)); err != nil || n != 0 || len(annNotified(t, app, ann.Id)) != 0 {
		t.Fatalf("before time: sent %d, %v", n, err)
	}
	first, err := announcedb.RunDue(app, at.Add(30*time.Second))
	if err != nil || first == 0 {
		t.Fatalf("at time: sent %d, %v", first, err)
	}
	if n, err := announcedb.RunDue(app, at.Add(90*time.Second)); err != nil || n != 0 {
		t.Fatalf("next tick sent %d more, %v", n, err)
	}
	// A crash after the notifications but before the bookkeeping.
	if _, err := app.DB().NewQuery(`UPDATE announcements SET status = 'sending' WHERE id = {:id}`).Bind(dbx.Params{"id": ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery(`UPDATE announcement_recipients SET deliveredAt = '' WHERE announcement = {:id}`).Bind(dbx.Params{"id": ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if n, err := announcedb.RunDue(app, at.Add(150*time.Second)); err != nil || n != 0 {
		t.Fatalf("resume sent %d again, %v", n, err)
	}
	if got := len(annNotified(t, app, ann.Id)); got != first {
		t.Errorf("%d notifications, want %d", got, first)
	}
	if ann, err := app.FindRecordById(collections.Announcements, ann.Id); err != nil || ann.GetString("status") != "sent" || ann.GetInt("recipientCount") != first {
		t.Errorf("after resume: %s %d", ann.GetString("status"), ann.GetInt("recipientCount"))
	}
}

// demoAnnouncement is the id of the demo's area announcement, which the
// parent has read, and of the 3–4-month one.
func demoAnnouncementID(t testing.TB, app core.App, titlePart string) string {
	r, err := app.FindFirstRecordByFilter(collections.Announcements, "title ~ {:t}", dbx.Params{"t": titlePart})
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

func TestAnnouncementRoutes(t *testing.T) {
	app := fx.NewApp(t)
	salon := demoAnnouncementID(t, app, "子育てサロンのお知らせ")
	app.Cleanup()
	preview := "/api/lifestage/announcements/preview"
	body := `{"audience":{"minAgeMonths":0,"maxAgeMonths":71}}`
	scenarios := []tests.ApiScenario{
		{Name: "guest cannot preview", Method: http.MethodPost, URL: preview, Body: strings.NewReader(body), ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "子育て staff preview", Method: http.MethodPost, URL: preview, Body: strings.NewReader(body), Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"count":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var got struct{ Count int }
				_ = json.NewDecoder(res.Body).Decode(&got)
				want := guardiansOf(t, app, `c.birthDate > {:d}`, dbx.Params{"d": civil.Today().AddDays(-6 * 366).String()})
				if got.Count == 0 || got.Count > len(want) {
					t.Errorf("preview %d, oracle (under 6 years, wider by a day) %d", got.Count, len(want))
				}
			}},
		{Name: "preview of an empty audience", Method: http.MethodPost, URL: preview, Body: strings.NewReader(`{"audience":{}}`), Headers: auth("city_child"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"empty_audience"`}},
		{Name: "preview of a reversed range", Method: http.MethodPost, URL: preview, Body: strings.NewReader(`{"audience":{"minAgeMonths":5,"maxAgeMonths":3}}`), Headers: auth("city_child"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"age_range"`}},
		{Name: "guest has no inbox", Method: http.MethodGet, URL: "/api/lifestage/me/announcements", ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "staff have no inbox", Method: http.MethodGet, URL: "/api/lifestage/me/announcements", Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "parent's inbox", Method: http.MethodGet, URL: "/api/lifestage/me/announcements", Headers: auth("parent"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"id":"` + salon + `"`, `"unread":`},
			NotExpectedContent: []string{"インフルエンザ予防接種の費用助成", "下書き"}, // scheduled for tomorrow, draft
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				var got struct {
					Items []struct {
						ID     string
						Unread bool
					}
					Unread int
				}
				_ = json.NewDecoder(res.Body).Decode(&got)
				n := 0
				for _, it := range got.Items {
					if it.ID == salon && it.Unread {
						t.Error("the demo parent has read the salon announcement")
					}
					if it.Unread {
						n++
					}
				}
				if n != got.Unread {
					t.Errorf("unread %d, marked %d", got.Unread, n)
				}
			}},
		{Name: "parent2 cannot read the parent's area announcement", Method: http.MethodPost, URL: "/api/lifestage/me/announcements/" + salon + "/read",
			Headers: auth("parent2"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				_, _ = app.DB().NewQuery(`DELETE FROM announcement_recipients WHERE user = {:u}`).Bind(dbx.Params{"u": fx.IDs["parent2"]}).Execute()
			}},
		{Name: "staff cannot mark read", Method: http.MethodPost, URL: "/api/lifestage/me/announcements/" + salon + "/read", Headers: auth("city_child"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
	}
	for _, role := range refusedStaff {
		scenarios = append(scenarios, tests.ApiScenario{Name: role + " cannot preview", Method: http.MethodPost, URL: preview, Body: strings.NewReader(body),
			Headers: auth(role), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}})
	}
	runScenarios(t, scenarios)
}

// TestAnnouncementReadReceipts: reading counts once, however often it is
// called, and the count is the number of readers.
func TestAnnouncementReadReceipts(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	now := time.Now()
	ann := newAnnouncement(t, app, `{"all":true}`, now.Add(-time.Minute))
	if _, err := announcedb.RunDue(app, now); err != nil {
		t.Fatal(err)
	}
	url := "/api/lifestage/me/announcements/" + ann.Id + "/read"
	(&tests.ApiScenario{
		Name: "read by three people, two of them twice", Method: http.MethodPost, URL: url, Headers: auth("parent2"),
		ExpectedStatus: 200, ExpectedContent: []string{`"readAt":"20`},
		TestAppFactory: func(testing.TB) *tests.TestApp { return app }, DisableTestAppCleanup: true,
		BeforeTestFunc: func(t testing.TB, _ *tests.TestApp, se *core.ServeEvent) {
			mux, err := se.Router.BuildMux()
			if err != nil {
				t.Fatal(err)
			}
			for _, role := range []string{"parent", "parent", "parent2", "grandparent"} {
				req := httptest.NewRequest(http.MethodPost, url, nil)
				req.Header.Set("Authorization", fx.Tokens[role])
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				if rec.Code != 200 {
					t.Fatalf("%s read: %d %s", role, rec.Code, rec.Body)
				}
			}
		},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			ann, err := app.FindRecordById(collections.Announcements, ann.Id)
			if err != nil {
				t.Fatal(err)
			}
			if got := ann.GetInt("readCount"); got != 3 {
				t.Errorf("readCount %d, want 3 (parent, parent2, grandparent)", got)
			}
		},
	}).Test(t)
}

func TestAnnouncementCollectionRules(t *testing.T) {
	app := fx.NewApp(t)
	sent := demoAnnouncementID(t, app, "4か月児健康診査")
	app.Cleanup()
	base := "/api/collections/announcements/records"
	draft := `{"title":"t","body":"b","category":"general","audience":{"areas":["x"]},"status":"draft"}`
	runScenarios(t, []tests.ApiScenario{
		{Name: "子育て staff write a draft, as its author", Method: http.MethodPost, URL: base, Body: strings.NewReader(draft), Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"createdBy":"` + fx.IDs["city_child"] + `"`, `"status":"draft"`}},
		{Name: "an empty audience is refused", Method: http.MethodPost, URL: base, Headers: auth("city_child"),
			Body:           strings.NewReader(`{"title":"t","body":"b","category":"general","audience":{},"status":"draft"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"empty_audience"`}},
		{Name: "scheduled needs a time", Method: http.MethodPost, URL: base, Headers: auth("city_child"),
			Body:           strings.NewReader(strings.Replace(draft, `"draft"`, `"scheduled"`, 1)),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"scheduled_without_time"`}},
		{Name: "staff cannot create it as sent", Method: http.MethodPost, URL: base, Headers: auth("city_child"),
			Body:           strings.NewReader(strings.Replace(draft, `"draft"`, `"sent"`, 1)),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "staff cannot fake counts", Method: http.MethodPost, URL: base, Headers: auth("city_child"),
			Body:           strings.NewReader(strings.Replace(draft, `"status"`, `"readCount":5,"status"`, 1)),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "保育 staff cannot write", Method: http.MethodPost, URL: base, Body: strings.NewReader(draft), Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "a parent cannot write", Method: http.MethodPost, URL: base, Body: strings.NewReader(draft), Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0}},
		{Name: "a sent announcement cannot change", Method: http.MethodPatch, URL: base + "/" + sent, Body: strings.NewReader(`{"title":"x"}`), Headers: auth("city_child"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0}},
		{Name: "a sent announcement cannot be deleted", Method: http.MethodDelete, URL: base + "/" + sent, Headers: auth("city_child"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelDelete": 0}},
		{Name: "staff see read counts", Method: http.MethodGet, URL: base + "/" + sent, Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"readCount":`, `"recipientCount":`, `"status":"sent"`}},
	})
}

// TestAnnouncementNotificationLanguage: the notification is rendered in each
// recipient's language, with the staff-written title as written.
func TestAnnouncementNotificationLanguage(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	u, err := app.FindRecordById("users", fx.IDs["parent2"])
	if err != nil {
		t.Fatal(err)
	}
	u.Set("language", "en")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ann := newAnnouncement(t, app, `{"all":true}`, now.Add(-time.Minute))
	if _, err := announcedb.RunDue(app, now); err != nil {
		t.Fatal(err)
	}
	for role, want := range map[string]string{"parent": "西条市からのお知らせ", "parent2": "A notice from Saijo City"} {
		n, err := app.FindFirstRecordByFilter("notifications", "recipient = {:r} && reason = {:a}", dbx.Params{"r": fx.IDs[role], "a": ann.Id})
		if err != nil {
			t.Fatal(err)
		}
		if n.GetString("title") != want {
			t.Errorf("%s: title %q, want %q", role, n.GetString("title"), want)
		}
		if body, _ := hooks.DecryptField(app, n, "body"); !strings.Contains(body, "テストのお知らせ") {
			t.Errorf("%s: body %q without the staff title", role, body)
		}
	}
}
