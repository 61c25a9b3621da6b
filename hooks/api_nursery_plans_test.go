package hooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
)

// nurseryPlace is the demo nursery (nursery_staff's), another nursery
// (parent2's), their directors' tokens and a class of each.
type nurseryPlace struct {
	nursery, other         string
	director, otherBoss    string // auth tokens
	directorID             string
	class, otherClass      *core.Record
	classes                map[int]*core.Record // demo nursery, by age class
	staffID, colleagueID   string
	colleagueToken         string
	outsiderToken          string
	fiscalYear             int
	today                  civil.Date
	childrenOfParent       []string
	childrenOfParent2      []string
	sharedWithGrandparent  string
	infantsOfDemoNursery   []string // children in the 0-year class
	enrolledInDemoNursery  int
	guardiansOfDemoNursery map[string]bool
}

func staffToken(t testing.TB, r *core.Record) string {
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func placeOf(t testing.TB) *nurseryPlace {
	app := fx.NewApp(t)
	defer app.Cleanup()
	p := &nurseryPlace{today: civil.Today(), classes: map[int]*core.Record{}, guardiansOfDemoNursery: map[string]bool{}}
	p.fiscalYear = civil.FiscalYear(p.today)
	staff := account(t, app, "nursery_staff")
	p.staffID, p.nursery = staff.Id, staff.GetString("nursery")
	boss := func(nursery string) *core.Record {
		r, err := app.FindFirstRecordByFilter("nursery_staff", "nursery = {:n} && role = 'director' && email ~ 'demo.lifestage'", dbx.Params{"n": nursery})
		if err != nil {
			t.Fatalf("the demo gives %s no director", nursery)
		}
		return r
	}
	d := boss(p.nursery)
	p.director, p.directorID = staffToken(t, d), d.Id
	colleague, err := app.FindAuthRecordByEmail("nursery_staff", "colleague-nursery_staff@test.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	p.colleagueID, p.colleagueToken = colleague.Id, staffToken(t, colleague)
	outsider, err := app.FindAuthRecordByEmail("nursery_staff", "outsider-nursery_staff@test.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	p.outsiderToken = staffToken(t, outsider)
	other, err := app.FindFirstRecordByFilter("enrolments", "child.guardians ~ {:p}", dbx.Params{"p": fx.IDs["parent2"]})
	if err != nil {
		t.Fatal("parent2 has no enrolled child")
	}
	p.other = other.GetString("nursery")
	p.otherBoss = staffToken(t, boss(p.other))
	classes, err := app.FindRecordsByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy}", "ageClass", 0, 0,
		dbx.Params{"n": p.nursery, "fy": p.fiscalYear})
	if err != nil || len(classes) != 6 {
		t.Fatalf("demo nursery has %d classes", len(classes))
	}
	for _, c := range classes {
		p.classes[c.GetInt("ageClass")] = c
	}
	p.class = p.classes[0]
	if p.otherClass, err = app.FindFirstRecordByFilter("nursery_classes", "nursery = {:n}", dbx.Params{"n": p.other}); err != nil {
		t.Fatal(err)
	}
	for role, list := range map[string]*[]string{"parent": &p.childrenOfParent, "parent2": &p.childrenOfParent2} {
		kids, err := app.FindRecordsByFilter("enrolments", "child.guardians ~ {:p}", "", 0, 0, dbx.Params{"p": fx.IDs[role]})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			*list = append(*list, k.GetString("child"))
		}
	}
	p.sharedWithGrandparent = sharedChild(t, app).Id
	enrolled, err := app.FindRecordsByFilter("enrolments", "nursery = {:n} && start <= {:d} && (end = '' || end >= {:d})", "", 0, 0,
		dbx.Params{"n": p.nursery, "d": p.today.String()})
	if err != nil {
		t.Fatal(err)
	}
	p.enrolledInDemoNursery = len(enrolled)
	for _, e := range enrolled {
		child, err := app.FindRecordById("children", e.GetString("child"))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range child.GetStringSlice("guardians") {
			p.guardiansOfDemoNursery[g] = true
		}
		if e.GetString("class") == p.class.Id {
			p.infantsOfDemoNursery = append(p.infantsOfDemoNursery, e.GetString("child"))
		}
	}
	return p
}

func tokenHeader(tok string) map[string]string { return map[string]string{"Authorization": tok} }

// expectedAttendance counts, independently of the hook, a class's children
// enrolled on the day and those of them who checked in.
func expectedAttendance(t testing.TB, app core.App, class *core.Record, day string) (present, absent int) {
	enrolled, err := app.FindRecordsByFilter("enrolments", "class = {:c} && start <= {:d} && (end = '' || end >= {:d})", "", 0, 0,
		dbx.Params{"c": class.Id, "d": day})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range enrolled {
		a, err := app.FindFirstRecordByFilter("attendance", "child = {:c} && date = {:d}", dbx.Params{"c": e.GetString("child"), "d": day})
		if err == nil && !a.GetDateTime("checkIn").IsZero() {
			present++
		} else {
			absent++
		}
	}
	return present, absent
}

func journalOf(t testing.TB, app core.App, class, day string) *core.Record {
	j, err := app.FindFirstRecordByFilter("nursery_journals", "class = {:c} && date = {:d}", dbx.Params{"c": class, "d": day})
	if err != nil {
		t.Fatalf("no journal for %s on %s", class, day)
	}
	return j
}

func demoJournal(t testing.TB, app core.App, nursery, status string) *core.Record {
	j, err := app.FindFirstRecordByFilter("nursery_journals", "nursery = {:n} && status = {:s}", dbx.Params{"n": nursery, "s": status})
	if err != nil {
		t.Fatalf("the demo has no %s journal in %s", status, nursery)
	}
	return j
}

func TestNurseryJournals(t *testing.T) {
	p := placeOf(t)
	app := fx.NewApp(t)
	draft := demoJournal(t, app, p.nursery, "draft")
	approved := demoJournal(t, app, p.nursery, "approved")
	othersJournal := demoJournal(t, app, p.other, "approved")
	app.Cleanup()
	// A weekday in the past with attendance: the third nursery day back has
	// no demo journal yet.
	day := p.today
	for n := 0; n < 3; {
		if day = day.AddDays(-1); day.Time().Weekday() != time.Sunday {
			n++
		}
	}
	base := "/api/collections/nursery_journals/records"
	body := func(class, date string, extra string) *strings.Reader {
		return strings.NewReader(fmt.Sprintf(`{"nursery":"%s","class":"%s","date":"%s","weather":"sunny","activities":"散歩","childNotes":"はなこさんが歌った"%s}`,
			p.nursery, class, date, extra))
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff write a journal: author, draft and the head count come from the server", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(p.classes[2].Id, day.String(), `,"present":99,"absent":99`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"author":"` + p.staffID + `"`, `"status":"draft"`, `"childNotes":"はなこさんが歌った"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				j := journalOf(t, app, p.classes[2].Id, day.String())
				present, absent := expectedAttendance(t, app, p.classes[2], day.String())
				if j.GetInt("present") != present || j.GetInt("absent") != absent {
					t.Errorf("present %d absent %d, want %d and %d", j.GetInt("present"), j.GetInt("absent"), present, absent)
				}
				if present+absent == 0 {
					t.Error("the demo class has nobody enrolled: the count proves nothing")
				}
				if raw := rawColumn(t, app, "nursery_journals", "childNotes", j.Id); !strings.HasPrefix(raw, "enc:") {
					t.Errorf("children's notes stored in clear: %q", raw)
				}
			},
		},
		{
			Name: "staff cannot write an approved journal", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(p.classes[2].Id, day.String(), `,"status":"approved"`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "staff cannot name the approver", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(p.classes[2].Id, day.String(), `,"approvedBy":"`+p.directorID+`"`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a class of another nursery is refused", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(p.otherClass.Id, day.String(), ""),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"class_not_in_nursery"`},
		},
		{
			Name: "no journal for tomorrow", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(p.classes[2].Id, p.today.AddDays(1).String(), ""),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"future_date"`},
		},
		{
			Name: "one journal per class and day", Method: http.MethodPost, URL: base,
			Headers: auth("nursery_staff"), Body: body(draft.GetString("class"), draft.GetString("date"), ""),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"validation_not_unique"`},
		},
		{
			Name: "staff of another nursery cannot write ours", Method: http.MethodPost, URL: base,
			Headers: tokenHeader(p.outsiderToken), Body: body(p.classes[2].Id, day.String(), ""),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "staff edit a draft", Method: http.MethodPatch, URL: base + "/" + draft.Id,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"reflection":"よく遊んだ"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"reflection":"よく遊んだ"`, `"status":"draft"`},
		},
		{
			Name: "staff cannot approve", Method: http.MethodPatch, URL: base + "/" + draft.Id,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"status":"approved"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff cannot change an approved journal", Method: http.MethodPatch, URL: base + "/" + approved.Id,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"reflection":"書き換え"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff cannot move a journal to another day", Method: http.MethodPatch, URL: base + "/" + draft.Id,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"date":"2020-01-01"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "the director approves: the server names the approver", Method: http.MethodPatch, URL: base + "/" + draft.Id,
			Headers: tokenHeader(p.director), Body: strings.NewReader(`{"status":"approved"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"approved"`, `"approvedBy":"` + p.directorID + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				j, _ := app.FindRecordById("nursery_journals", draft.Id)
				if j.GetDateTime("approvedAt").IsZero() {
					t.Error("approvedAt not set")
				}
			},
		},
		{
			Name: "the director reopens an approved journal", Method: http.MethodPatch, URL: base + "/" + approved.Id,
			Headers: tokenHeader(p.director), Body: strings.NewReader(`{"status":"draft"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"draft"`, `"approvedBy":""`, `"approvedAt":""`},
		},
		{
			Name: "another nursery's director cannot approve ours", Method: http.MethodPatch, URL: base + "/" + draft.Id,
			Headers: tokenHeader(p.otherBoss), Body: strings.NewReader(`{"status":"approved"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff do not see another nursery's journal", Method: http.MethodGet, URL: base + "/" + othersJournal.Id,
			Headers: auth("nursery_staff"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "a parent never reads journals, not even of their child's class", Method: http.MethodGet,
			URL: base + "?filter=" + urlq(`nursery="`+p.nursery+`"`), Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "保育 staff of the city read every nursery's journals", Method: http.MethodGet, URL: base + "/" + othersJournal.Id,
			Headers: auth("city_nursery"), ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + othersJournal.Id + `"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestGuidancePlans(t *testing.T) {
	p := placeOf(t)
	app := fx.NewApp(t)
	monthly, err := app.FindFirstRecordByFilter("guidance_plans", "class = {:c} && kind = 'monthly'", dbx.Params{"c": p.class.Id})
	app.Cleanup()
	if err != nil {
		t.Fatal("the demo has no monthly plan for the 0-year class")
	}
	base := "/api/collections/guidance_plans/records"
	plan := func(class, kind string, month int) *strings.Reader {
		return strings.NewReader(fmt.Sprintf(`{"nursery":"%s","class":"%s","kind":"%s","fiscalYear":%d,"month":%d,"aims":"ねらい","content":"内容"}`,
			p.nursery, class, kind, p.fiscalYear+1, month))
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff write next year's monthly plan", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body: plan(p.class.Id, "monthly", 4), ExpectedStatus: 200,
			ExpectedContent: []string{`"kind":"monthly"`, `"month":4`, `"status":"draft"`, `"author":"` + p.staffID + `"`},
		},
		{
			Name: "a monthly plan needs its month", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body: plan(p.class.Id, "monthly", 0), ExpectedStatus: 400, ExpectedContent: []string{`"code":"month_required"`},
		},
		{
			Name: "an annual plan has no month", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body: plan(p.class.Id, "annual", 5), ExpectedStatus: 400, ExpectedContent: []string{`"code":"month_not_allowed"`},
		},
		{
			Name: "one plan per class, kind and month", Method: http.MethodPost, URL: base, Headers: auth("nursery_staff"),
			Body: strings.NewReader(fmt.Sprintf(`{"nursery":"%s","class":"%s","kind":"monthly","fiscalYear":%d,"month":%d}`,
				p.nursery, p.class.Id, monthly.GetInt("fiscalYear"), monthly.GetInt("month"))),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"validation_not_unique"`},
		},
		{
			Name: "the director approves the demo's draft plan", Method: http.MethodPatch, URL: base + "/" + monthly.Id,
			Headers: tokenHeader(p.director), Body: strings.NewReader(`{"status":"approved","evaluation":"よく育った"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"approved"`, `"approvedBy":"` + p.directorID + `"`},
		},
		{
			Name: "staff may not move a plan to another month", Method: http.MethodPatch, URL: base + "/" + monthly.Id,
			Headers: auth("nursery_staff"), Body: strings.NewReader(`{"month":1}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "保育 staff of the city only read plans", Method: http.MethodPatch, URL: base + "/" + monthly.Id,
			Headers: auth("city_nursery"), Body: strings.NewReader(`{"aims":"市が書き換え"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
