package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
)

type ratiosAnswer struct {
	Nursery     string
	StaffSource string
	StaffNote   string
	Standard    struct{ Age0, Age12, Age3, Age45 int }
	Classes     []struct {
		ID, Name                      string
		Children                      struct{ Age0, Age12, Age3, Age45, Total int }
		Required, Staff, Cover, Short int
		Exact                         float64
		Understaffed                  bool
	}
	Total struct {
		Children                  struct{ Total int }
		Required, Staff, Floating int
		Understaffed              bool
	}
}

func decodeRatios(t testing.TB, res *http.Response) ratiosAnswer {
	var a ratiosAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

// inToday checks children in to a class now, after clearing the nursery's
// attendance of today, so a scenario controls who is in.
func inToday(t testing.TB, app core.App, p *nurseryPlace, class string, children ...string) {
	col, err := app.FindCollectionByNameOrId("attendance")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range children {
		r := core.NewRecord(col)
		r.Load(map[string]any{"child": c, "nursery": p.nursery, "class": class, "date": civil.Today().String(),
			"checkIn": time.Now().Add(-2 * time.Hour), "inMethod": "staff"})
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
}

func clearAttendanceToday(t testing.TB, app core.App, p *nurseryPlace) {
	if _, err := app.DB().NewQuery("DELETE FROM attendance WHERE nursery = {:n} AND date = {:d}").
		Bind(dbx.Params{"n": p.nursery, "d": civil.Today().String()}).Execute(); err != nil {
		t.Fatal(err)
	}
}

func TestStaffingRatios(t *testing.T) {
	p := placeOf(t)
	url := "/api/lifestage/nursery/ratios"
	// room sets up the demo nursery with only the given babies in the
	// 0-year class (and 3-year-olds placed there too, for a mixed room),
	// the staff member checked in to it and, if floating, the colleague
	// checked in without a class.
	room := func(babies, olderInRoom int, floating bool) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			addTestKids(t, app, p)
			clearAttendanceToday(t, app, p)
			inToday(t, app, p, p.class.Id, testBabies[:babies]...)
			inToday(t, app, p, p.class.Id, testOlder[:olderInRoom]...)
			clearStaffToday(t, app, p.nursery)
			checkInStaff(t, app, p.staffID, p.nursery, p.class.Id, false)
			if floating {
				checkInStaff(t, app, p.colleagueID, p.nursery, "", false)
			}
		}
	}
	type want struct {
		required, staff, cover, short int
		understaffed                  bool
		total, totalRequired          int
		totalShort                    bool
	}
	check := func(w want) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			a := decodeRatios(t, res)
			if a.StaffSource != "staff_attendance" || a.StaffNote != "" || len(a.Classes) != 6 {
				t.Fatalf("source %q, %d classes", a.StaffSource, len(a.Classes))
			}
			c := a.Classes[0]
			if c.ID != p.class.Id || c.Required != w.required || c.Staff != w.staff || c.Cover != w.cover || c.Short != w.short || c.Understaffed != w.understaffed {
				t.Errorf("0-year class = %+v, want %+v", c, w)
			}
			if a.Total.Children.Total != w.total || a.Total.Required != w.totalRequired || a.Total.Understaffed != w.totalShort {
				t.Errorf("nursery = %+v, want %d children, %d required, short %v", a.Total, w.total, w.totalRequired, w.totalShort)
			}
			for _, other := range a.Classes[1:] {
				if other.Children.Total != 0 || other.Understaffed {
					t.Errorf("empty class %+v", other)
				}
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "3 babies with 1 staff and a floating colleague: staffed", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: room(3, 0, true), ExpectedStatus: 200, ExpectedContent: []string{`"understaffed":false`},
			AfterTestFunc: check(want{required: 1, staff: 1, total: 3, totalRequired: 2}),
		},
		{
			Name: "4 babies with 1 staff: the class is one short", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: room(4, 0, false), ExpectedStatus: 200, ExpectedContent: []string{`"understaffed":true`},
			AfterTestFunc: check(want{required: 2, staff: 1, short: 1, understaffed: true, total: 4, totalRequired: 2, totalShort: true}),
		},
		{
			Name: "4 babies, 1 staff and a floating colleague lent to the class", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: room(4, 0, true), ExpectedStatus: 200, ExpectedContent: []string{`"cover":1`},
			AfterTestFunc: check(want{required: 2, staff: 1, cover: 1, total: 4, totalRequired: 2}),
		},
		{
			Name: "a mixed room: 3 babies and 2 three-year-olds need 2", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: room(3, 2, false), ExpectedStatus: 200, ExpectedContent: []string{`"exact":1.13`},
			AfterTestFunc: check(want{required: 2, staff: 1, short: 1, understaffed: true, total: 5, totalRequired: 2, totalShort: true}),
		},
		{
			Name: "before staff check in, active accounts stand in and say so", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) { clearStaffToday(t, app, p.nursery) },
			ExpectedStatus: 200, ExpectedContent: []string{`"staffSource":"accounts"`, `"staffNote":"職員の出退勤`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				a := decodeRatios(t, res)
				in, err := app.FindRecordsByFilter("attendance", "nursery = {:n} && date = {:d} && checkIn != '' && checkOut = ''", "", 0, 0,
					dbx.Params{"n": p.nursery, "d": civil.Today().String()})
				if err != nil {
					t.Fatal(err)
				}
				staff := activeStaff(t, app, p.nursery)
				if a.Total.Children.Total != len(in) || a.Total.Floating != len(staff) || a.Standard.Age0 != 3 || a.Standard.Age45 != 25 {
					t.Errorf("children %d (want %d), floating %d (want %d), standard %+v", a.Total.Children.Total, len(in), a.Total.Floating, len(staff), a.Standard)
				}
			},
		},
		{
			Name: "a nursery's stricter standard applies", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				room(3, 0, true)(t, app, e)
				s, _ := app.FindFirstRecordByData("nurseries", "nursery", p.nursery)
				s.Set("ratio0", 2)
				if err := app.Save(s); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"age0":2`},
			AfterTestFunc: check(want{required: 2, staff: 1, cover: 1, total: 3, totalRequired: 2}),
		},
		{
			Name: "保育 staff of the city look at any nursery", Method: http.MethodGet, URL: url + "?nursery=" + p.other, Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"nursery":"` + p.other + `"`},
		},
		{
			Name: "… and must say which", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"nursery_required"`},
		},
		{
			Name: "… that exists", Method: http.MethodGet, URL: url + "?nursery=nosuchnursery00", Headers: auth("city_nursery"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "staff see only their own nursery", Method: http.MethodGet, URL: url + "?nursery=" + p.other, Headers: auth("nursery_staff"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "other city staff may not", Method: http.MethodGet, URL: url + "?nursery=" + p.nursery, Headers: auth("city_child"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "parents may not", Method: http.MethodGet, URL: url + "?nursery=" + p.nursery, Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "guests must log in", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestUnderstaffedAlerts(t *testing.T) {
	p := placeOf(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	now := time.Now()
	clearStaffToday(t, app, "")
	if sent, err := hooks.RunRatioAlerts(app, now); err != nil || sent != 0 {
		t.Fatalf("without staff check-in the job must stay silent: %d (%v)", sent, err)
	}
	addTestKids(t, app, p)
	clearAttendanceToday(t, app, p)
	inToday(t, app, p, p.class.Id, testBabies...)
	checkInStaff(t, app, p.staffID, p.nursery, p.class.Id, false)

	// The 0-year class is one short, and so is the nursery (two at least):
	// both go to the one member of staff at work and the director.
	sent, err := hooks.RunRatioAlerts(app, now)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := app.FindRecordsByFilter("notifications", "kind = 'nursery.understaffed'", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range recs {
		got[r.GetString("recipient")]++
	}
	if got[p.staffID] != 2 || got[p.directorID] != 2 || got[p.colleagueID] != 0 {
		t.Errorf("alerts by recipient %v (staff %s, director %s)", got, p.staffID, p.directorID)
	}
	// Every other nursery has no check-in today, so it stays silent: the
	// four alerts are all ours.
	if sent != 4 {
		t.Errorf("sent %d, want 4", sent)
	}
	// Later runs stay on today, whatever the time of day.
	step := time.Hour
	if now.In(civil.Tokyo).Hour() >= 12 {
		step = -time.Hour
	}
	sameHour := now.Truncate(time.Hour)
	if again, err := hooks.RunRatioAlerts(app, sameHour.Add(time.Minute)); err != nil || again != 0 {
		t.Errorf("repeated within the hour: %d (%v)", again, err)
	}
	before := len(recs)
	if _, err := hooks.RunRatioAlerts(app, now.Add(step)); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords("notifications", dbx.NewExp("kind = 'nursery.understaffed' AND recipient = {:s}", dbx.Params{"s": p.staffID})); n != 4 {
		t.Errorf("an hour later the staff member has %d alerts, want 4 (before: %d in all)", n, before)
	}
}
