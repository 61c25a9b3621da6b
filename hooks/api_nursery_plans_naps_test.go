package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// clearTodaysNaps removes the demo's naps of today, so a test starts from a
// room of awake children.
func clearTodaysNaps(t testing.TB, app core.App) {
	for _, table := range []string{"nap_checks", "nap_sessions"} {
		q := "DELETE FROM nap_sessions WHERE date = {:d}"
		if table == "nap_checks" {
			q = "DELETE FROM nap_checks WHERE session IN (SELECT id FROM nap_sessions WHERE date = {:d})"
		}
		if _, err := app.DB().NewQuery(q).Bind(dbx.Params{"d": civil.Today().String()}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
}

// sleeping puts a child of the class to sleep some minutes ago, with a
// check (on its back, breathing fine) at each of the given minutes ago.
func sleeping(t testing.TB, app core.App, class *core.Record, child string, startedAgo int, checksAgo ...int) *core.Record {
	now := time.Now()
	save := func(collection string, fields map[string]any) *core.Record {
		col, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			t.Fatal(err)
		}
		r := core.NewRecord(col)
		r.Load(fields)
		if err := app.Save(r); err != nil {
			t.Fatalf("%s: %v", collection, err)
		}
		return r
	}
	s := save("nap_sessions", map[string]any{"child": child, "nursery": class.GetString("nursery"), "class": class.Id,
		"date": civil.Today().String(), "startedAt": now.Add(-time.Duration(startedAgo) * time.Minute)})
	for _, ago := range checksAgo {
		save("nap_checks", map[string]any{"session": s.Id, "child": child, "nursery": class.GetString("nursery"), "class": class.Id,
			"at": now.Add(-time.Duration(ago) * time.Minute), "position": "supine", "breathingOk": true})
	}
	return s
}

// Test children enrolled in the demo nursery on top of the demo's, so a
// class has enough of them whatever the synthetic city drew: four babies
// and two 3-year-olds, with fixed ids for the scenarios' bodies.
var (
	testBabies = []string{"testbaby0000001", "testbaby0000002", "testbaby0000003", "testbaby0000004"}
	testOlder  = []string{"testolder000001", "testolder000002"}
)

// addTestKids enrols the test children in the demo nursery's 0- and
// 3-year classes.
func addTestKids(t testing.TB, app core.App, p *nurseryPlace) {
	children, _ := app.FindCollectionByNameOrId("children")
	enrolments, _ := app.FindCollectionByNameOrId("enrolments")
	for age, ids := range map[int][]string{0: testBabies, 3: testOlder} {
		for i, id := range ids {
			c := core.NewRecord(children)
			c.Id = id
			c.Load(map[string]any{"familyName": "試験", "givenName": fmt.Sprintf("%d歳%d", age, i+1),
				"birthDate": civil.FiscalYearStart(p.fiscalYear - age).AddDays(-100 - i).String()})
			if err := app.Save(c); err != nil {
				t.Fatal(err)
			}
			e := core.NewRecord(enrolments)
			e.Load(map[string]any{"child": id, "nursery": p.nursery, "class": p.classes[age].Id, "certification": "3",
				"hours": "standard", "start": p.today.AddDays(-30).String()})
			if err := app.Save(e); err != nil {
				t.Fatal(err)
			}
		}
	}
}

type napAnswer struct {
	Class    struct{ ID, Name string }
	Date     string
	Children []struct {
		ID, Name, Session, StartedAt, LastCheckAt, LastPosition, NextDueAt, State string
		ClassAge, IntervalMinutes                                                 int
		Sleeping, Present, Prone                                                  bool
	}
	Sleeping, Alerts int
}

func decodeNaps(t testing.TB, res *http.Response, wrapped bool) napAnswer {
	var a napAnswer
	if wrapped {
		var w struct{ Status napAnswer }
		if err := json.NewDecoder(res.Body).Decode(&w); err != nil {
			t.Fatal(err)
		}
		return w.Status
	}
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a napAnswer) child(t testing.TB, id string) (c struct {
	ID, Name, Session, StartedAt, LastCheckAt, LastPosition, NextDueAt, State string
	ClassAge, IntervalMinutes                                                 int
	Sleeping, Present, Prone                                                  bool
}) {
	for _, x := range a.Children {
		if x.ID == id {
			return x
		}
	}
	t.Fatalf("child %s not on the nap screen", id)
	return
}

func TestNapStatus(t *testing.T) {
	p := placeOf(t)
	a, b := testBabies[0], testBabies[1]
	setup := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		addTestKids(t, app, p)
		clearTodaysNaps(t, app)
		sleeping(t, app, p.class, a, 20, 18, 13, 8) // next check was due 3 minutes ago
		sleeping(t, app, p.class, b, 3)             // first check due in 2 minutes
	}
	url := "/api/lifestage/nursery/classes/" + p.class.Id + "/naps"
	scenarios := []tests.ApiScenario{
		{
			Name: "staff see who sleeps, who is due and who was missed", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: setup, ExpectedStatus: 200, ExpectedContent: []string{`"sleeping":2`, `"alerts":1`, `"infantMinutes":5`, `"olderMinutes":10`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				ans := decodeNaps(t, res, false)
				if want := len(enrolledIn(t, app, p.class)); len(ans.Children) != want || want < 4 {
					t.Errorf("%d children listed, want the class's %d", len(ans.Children), want)
				}
				ca, cb := ans.child(t, a), ans.child(t, b)
				if !ca.Sleeping || ca.State != "missed" || ca.IntervalMinutes != 5 || ca.LastPosition != "supine" || ca.Name == "" {
					t.Errorf("a = %+v, want missed", ca)
				}
				if !cb.Sleeping || cb.State != "ok" || cb.LastCheckAt != "" {
					t.Errorf("b = %+v, want ok", cb)
				}
				due, err := time.Parse(time.RFC3339, cb.NextDueAt)
				started, _ := time.Parse(time.RFC3339, cb.StartedAt)
				if err != nil || !due.Equal(started.Add(5*time.Minute)) {
					t.Errorf("b due %s, started %s", cb.NextDueAt, cb.StartedAt)
				}
				for _, c := range ans.Children {
					if c.ID != a && c.ID != b && (c.Sleeping || c.State != "") {
						t.Errorf("awake child %+v", c)
					}
				}
			},
		},
		{
			Name: "保育 staff of the city may look", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"),
			BeforeTestFunc: setup, ExpectedStatus: 200, ExpectedContent: []string{`"sleeping":2`},
		},
		{
			Name: "staff of another nursery may not", Method: http.MethodGet, URL: url, Headers: tokenHeader(p.outsiderToken),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "parents may not", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "guests must log in", Method: http.MethodGet, URL: url,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "an unknown class is not found", Method: http.MethodGet, URL: "/api/lifestage/nursery/classes/nosuchclass0000/naps", Headers: auth("nursery_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestNapStartCheckEnd(t *testing.T) {
	p := placeOf(t)
	a, b, older := testBabies[0], testBabies[1], testOlder[0]
	classURL := "/api/lifestage/nursery/classes/" + p.class.Id + "/naps"
	checks := "/api/lifestage/nursery/nap-checks"
	kids := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		addTestKids(t, app, p)
		clearTodaysNaps(t, app)
	}
	asleep := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		kids(t, app, e)
		clearStaffToday(t, app, p.nursery) // nobody has checked in yet
		sleeping(t, app, p.class, a, 12, 6)
		sleeping(t, app, p.class, b, 12, 6)
	}
	checkBody := func(items string) *strings.Reader {
		return strings.NewReader(`{"class":"` + p.class.Id + `","checks":[` + items + `]}`)
	}
	item := func(child, position, breathing string) string {
		s := `{"child":"` + child + `","position":"` + position + `"`
		if breathing != "" {
			s += `,"breathingOk":` + breathing
		}
		return s + `}`
	}
	alertsTo := func(t testing.TB, app core.App, kind string) []string {
		recs, err := app.FindRecordsByFilter("notifications", "kind = {:k}", "", 0, 0, dbx.Params{"k": kind})
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
	var staffOfNursery []string
	func() {
		app := fx.NewApp(t)
		defer app.Cleanup()
		staffOfNursery = activeStaff(t, app, p.nursery)
	}()

	scenarios := []tests.ApiScenario{
		{
			Name: "staff put two children to sleep in one tap", Method: http.MethodPost, URL: classURL + "/start", Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"children":["` + a + `","` + b + `","` + a + `"]}`),
			BeforeTestFunc: kids,
			ExpectedStatus: 200, ExpectedContent: []string{`"started":2`, `"sleeping":2`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				recs, _ := app.FindAllRecords("nap_sessions", dbx.HashExp{"class": p.class.Id, "date": civil.Today().String(), "endedAt": ""})
				if len(recs) != 2 || recs[0].GetString("startedBy") != p.staffID || time.Since(recs[0].GetDateTime("startedAt").Time()) > time.Minute {
					t.Errorf("sessions %v", recs)
				}
			},
		},
		{
			Name: "a child already asleep is not put to sleep again", Method: http.MethodPost, URL: classURL + "/start", Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"children":["` + a + `"]}`), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"started":0`, `"sleeping":2`},
		},
		{
			Name: "a child of another class is refused", Method: http.MethodPost, URL: classURL + "/start", Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"children":["` + older + `"]}`), BeforeTestFunc: kids,
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_in_class"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "someone must be chosen", Method: http.MethodPost, URL: classURL + "/start", Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"children":[]}`), ExpectedStatus: 400, ExpectedContent: []string{`"code":"children_required"`},
		},
		{
			Name: "staff of another nursery cannot", Method: http.MethodPost, URL: classURL + "/start", Headers: tokenHeader(p.outsiderToken),
			Body: strings.NewReader(`{"children":["` + a + `"]}`), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "保育 staff of the city only look", Method: http.MethodPost, URL: classURL + "/start", Headers: auth("city_nursery"),
			Body: strings.NewReader(`{"children":["` + a + `"]}`), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "one tap checks the room, stamped with the server's time", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "true") + "," + item(b, "side", "true")), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"saved":2`, `"alerts":[]`, `"sleeping":2`, `"alerts":0`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				recs, _ := app.FindRecordsByFilter("nap_checks", "class = {:c} && checkedBy = {:s}", "", 0, 0, dbx.Params{"c": p.class.Id, "s": p.staffID})
				if len(recs) != 2 {
					t.Fatalf("%d checks by the staff member, want 2", len(recs))
				}
				for _, r := range recs {
					if time.Since(r.GetDateTime("at").Time()) > time.Minute || !r.GetBool("breathingOk") {
						t.Errorf("check %v", r.PublicExport())
					}
				}
				if got := alertsTo(t, app, "nursery.nap_alert"); len(got) != 0 {
					t.Errorf("alerts sent for a calm room: %v", got)
				}
			},
		},
		{
			Name: "a baby found face down alerts the class's staff at once", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "prone", "true")), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"reason":"prone"`, `"prone":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				// No staff check-in yet: every active account of the nursery.
				if got := alertsTo(t, app, "nursery.nap_alert"); !slices.Equal(got, staffOfNursery) {
					t.Errorf("alerted %v, want %v", got, staffOfNursery)
				}
			},
		},
		{
			Name: "breathing or colour not right alerts too", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "false")), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"reason":"breathing"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, err := app.FindFirstRecordByFilter("notifications", "kind = 'nursery.nap_alert' && recipient = {:s}", dbx.Params{"s": p.staffID})
				if err != nil {
					t.Fatal("no alert for the staff member")
				}
				if body, _ := hooks.DecryptField(app, n, "body"); !strings.Contains(body, "呼吸") || n.GetString("link") != "/nursery/day/?class="+p.class.Id+"#naps" {
					t.Errorf("alert %q → %s", body, n.GetString("link"))
				}
			},
		},
		{
			Name: "breathing must be recorded, yes or no", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "")), BeforeTestFunc: asleep,
			ExpectedStatus: 400, ExpectedContent: []string{`"checks.0.breathingOk":{"code":"breathing_required"`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "an unknown position is refused", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "true") + "," + item(b, "standing", "true")), BeforeTestFunc: asleep,
			ExpectedStatus: 400, ExpectedContent: []string{`"checks.1.position":{"code":"invalid_position"`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "an awake child cannot be checked", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "true")), BeforeTestFunc: kids,
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_sleeping"`},
		},
		{
			Name: "a child is checked once per round", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: checkBody(item(a, "supine", "true") + "," + item(a, "side", "true")), BeforeTestFunc: asleep,
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"duplicate_child"`},
		},
		{
			Name: "the class is required", Method: http.MethodPost, URL: checks, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"checks":[` + item(a, "supine", "true") + `]}`), ExpectedStatus: 400, ExpectedContent: []string{`"code":"class_required"`},
		},
		{
			Name: "staff of another nursery cannot check our children", Method: http.MethodPost, URL: checks, Headers: tokenHeader(p.outsiderToken),
			Body: checkBody(item(a, "supine", "true")), BeforeTestFunc: asleep,
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "parents cannot record checks", Method: http.MethodPost, URL: checks, Headers: auth("parent"),
			Body: checkBody(item(a, "supine", "true")), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "one child wakes up", Method: http.MethodPost, URL: classURL + "/end", Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"children":["` + a + `"]}`), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"ended":1`, `"sleeping":1`},
		},
		{
			Name: "everyone wakes up", Method: http.MethodPost, URL: classURL + "/end", Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{}`), BeforeTestFunc: asleep,
			ExpectedStatus: 200, ExpectedContent: []string{`"ended":2`, `"sleeping":0`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				recs, _ := app.FindAllRecords("nap_sessions", dbx.HashExp{"class": p.class.Id, "date": civil.Today().String()})
				for _, r := range recs {
					if r.GetDateTime("endedAt").IsZero() || r.GetString("endedBy") != p.staffID {
						t.Errorf("session %v not ended by the staff member", r.PublicExport())
					}
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// clearStaffToday removes the day's staff check-ins of a nursery (every
// nursery for ""), which the demo records, so a test decides who is in.
func clearStaffToday(t testing.TB, app core.App, nursery string) {
	q := "DELETE FROM staff_attendance WHERE date = {:d}"
	if nursery != "" {
		q += " AND nursery = {:n}"
	}
	if _, err := app.DB().NewQuery(q).Bind(dbx.Params{"d": civil.Today().String(), "n": nursery}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// activeStaff lists the ids of a nursery's active staff: people, not the
// check-in kiosk.
func activeStaff(t testing.TB, app core.App, nursery string) []string {
	recs, err := app.FindAllRecords("nursery_staff", dbx.HashExp{"nursery": nursery, "active": true}, dbx.Not(dbx.HashExp{"role": "kiosk"}))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Id
	}
	slices.Sort(ids)
	return ids
}

// checkInStaff records a member of staff at work today (in a class, or
// none), or gone home already.
func checkInStaff(t testing.TB, app core.App, staff, nursery, class string, gone bool) {
	col, err := app.FindCollectionByNameOrId("staff_attendance")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"staff": staff, "nursery": nursery, "class": class, "date": civil.Today().String(), "checkIn": time.Now().Add(-3 * time.Hour)})
	if gone {
		r.Set("checkOut", time.Now().Add(-time.Hour))
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func TestNapAlertsJob(t *testing.T) {
	p := placeOf(t)
	babies, older := testBabies, testOlder
	app := fx.NewApp(t)
	defer app.Cleanup()
	addTestKids(t, app, p)
	clearTodaysNaps(t, app)
	clearStaffToday(t, app, p.nursery) // nobody has checked in yet
	now := time.Now()
	baby := sleeping(t, app, p.class, babies[0], 30, 8)          // 5-minute interval: missed
	calm := sleeping(t, app, p.classes[3], older[0], 30, 8)      // 10-minute interval: not yet
	late := sleeping(t, app, p.classes[3], older[1], 30, 20, 12) // missed
	staff := activeStaff(t, app, p.nursery)
	if len(staff) < 3 {
		t.Fatalf("the demo nursery has %d staff", len(staff))
	}
	missedFor := func(session string) []string {
		recs, err := app.FindRecordsByFilter("notifications", "kind = 'nursery.nap_missed' && reason ~ {:s}", "", 0, 0, dbx.Params{"s": session + ":"})
		if err != nil {
			t.Fatal(err)
		}
		var who []string
		for _, r := range recs {
			who = append(who, r.GetString("recipient"))
		}
		slices.Sort(who)
		return who
	}

	sent, err := hooks.RunNapAlerts(app, now)
	if err != nil || sent != 2*len(staff) {
		t.Fatalf("first run sent %d (%v), want 2 misses × %d staff", sent, err, len(staff))
	}
	if len(missedFor(baby.Id)) != len(staff) || len(missedFor(late.Id)) != len(staff) || len(missedFor(calm.Id)) != 0 {
		t.Errorf("alerts: baby %d, late %d, calm %d", len(missedFor(baby.Id)), len(missedFor(late.Id)), len(missedFor(calm.Id)))
	}
	if again, err := hooks.RunNapAlerts(app, now.Add(time.Minute)); err != nil || again != 0 {
		t.Errorf("the same misses were told again: %d (%v)", again, err)
	}

	// A new check closes the baby's miss; when the next one is missed too,
	// it is a new miss and is told. With staff checking in, only the baby
	// class's staff at work hear of it.
	director, err := app.FindFirstRecordByFilter("nursery_staff", "nursery = {:n} && role = 'director'", dbx.Params{"n": p.nursery})
	if err != nil {
		t.Fatal("the demo nursery has no director")
	}
	checkInStaff(t, app, p.colleagueID, p.nursery, p.class.Id, false)
	checkInStaff(t, app, director.Id, p.nursery, p.class.Id, true) // went home
	checkInStaff(t, app, p.staffID, p.nursery, p.classes[3].Id, false)
	col, _ := app.FindCollectionByNameOrId("nap_checks")
	c := core.NewRecord(col)
	c.Load(map[string]any{"session": baby.Id, "child": babies[0], "nursery": p.nursery, "class": p.class.Id,
		"at": now.Add(-7 * time.Minute), "position": "supine", "breathingOk": true})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	sent, err = hooks.RunNapAlerts(app, now)
	if err != nil || sent != 1 {
		t.Fatalf("after a late check: sent %d (%v), want 1 (the baby's new miss, to the one colleague in the class)", sent, err)
	}
	if got := missedFor(baby.Id); !slices.Contains(got, p.colleagueID) || len(got) != len(staff)+1 {
		t.Errorf("the baby's new miss went to %v", got)
	}
	notes, err := app.FindRecordsByFilter("notifications", "kind = 'nursery.nap_missed' && reason ~ {:s}", "", 0, 0, dbx.Params{"s": baby.Id})
	if err != nil || len(notes) == 0 {
		t.Fatal("no notice about the baby")
	}
	for _, n := range notes {
		body, _ := hooks.DecryptField(app, n, "body")
		if !strings.Contains(body, p.class.GetString("name")) || !strings.Contains(body, "5分ごと") || !strings.Contains(body, "最後の確認は") {
			t.Errorf("alert body %q", body)
		}
	}
}

// enrolledIn lists the children enrolled today in the class.
func enrolledIn(t testing.TB, app core.App, class *core.Record) []string {
	recs, err := app.FindRecordsByFilter("enrolments", "class = {:c} && start <= {:d} && (end = '' || end >= {:d})", "", 0, 0,
		dbx.Params{"c": class.Id, "d": civil.Today().String()})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.GetString("child"))
	}
	return out
}

// The nap job runs every minute and the ratio job every five, in Tokyo
// time like every lifestage job.
func TestNurseryJobsAreScheduled(t *testing.T) {
	app := testutil.NewAppWithHooks(t)
	if got := cronJob(app, "lifestageNapChecks"); got != "* * * * *" {
		t.Errorf("nap job %q", got)
	}
	if got := cronJob(app, "lifestageStaffRatios"); got != "*/5 * * * *" {
		t.Errorf("ratio job %q", got)
	}
}
