package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/questionnaire"
	"github.com/saijo-dx/lifestage/schedule"
	"github.com/saijo-dx/lifestage/testutil"
)

// notYetOpen is a dose whose legal window opens after tomorrow.
func notYetOpen(t testing.TB, app core.App, child *core.Record) schedule.Item {
	today := civil.Today()
	for _, it := range testutil.NextDoses(t, app, child, today) {
		if it.Earliest.After(today.AddDays(1)) {
			return it
		}
	}
	t.Fatal("the shared child has no dose still to come")
	return schedule.Item{}
}

func demoClinic(t testing.TB, app core.App) string {
	nurse, err := app.FindRecordById("medical_staff", fx.IDs["medical_staff"])
	if err != nil {
		t.Fatal(err)
	}
	return nurse.GetString("institution")
}

// otherClinicStaff adds a nurse at another clinic and returns a token.
func otherClinicStaff(t testing.TB, app core.App) string {
	other, err := app.FindFirstRecordByFilter("facilities", "type = 'clinic' && id != {:c}", dbx.Params{"c": demoClinic(t, app)})
	if err != nil {
		t.Fatal(err)
	}
	col, err := app.FindCollectionByNameOrId("medical_staff")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("name", "別院 看護師")
	r.Set("institution", other.Id)
	r.Set("role", "nurse")
	r.Set("active", true)
	r.SetEmail("other-clinic@test.lifestage.example")
	r.SetPassword("long-enough-password")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type reply struct {
	Status int
	Body   string
	Type   string
}

func (r reply) json(t testing.TB) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("not JSON: %s", r.Body)
	}
	return m
}

func call(h http.Handler, method, url, token, body string) reply {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return reply{rec.Code, rec.Body.String(), rec.Header().Get("Content-Type")}
}

func fullAnswers(vaccine string) string {
	parts := []string{`"birthWeightG":3050`}
	for _, q := range questionnaire.For(vaccine) {
		if q.Key == "allergy" {
			parts = append(parts, `"allergy":{"yes":true,"detail":"卵で発疹（1歳）"}`)
			continue
		}
		parts = append(parts, fmt.Sprintf(`%q:{"yes":false}`, q.Key))
	}
	return `{"answers":{` + strings.Join(parts, ",") + `}}`
}

func expect(t testing.TB, step string, r reply, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: %d %s, want %d", step, r.Status, r.Body, status)
	}
	for _, c := range contains {
		if !strings.Contains(r.Body, c) {
			t.Fatalf("%s: %s lacks %s", step, r.Body, c)
		}
	}
}

func TestQuestionnaireFlow(t *testing.T) {
	app, h := handlerFor(t)
	child := sharedChild(t, app)
	due := testutil.DueToday(t, app, child)
	clinic := demoClinic(t, app)
	other := otherClinicStaff(t, app)
	tok := fx.Tokens
	today := civil.Today().String()
	create := fmt.Sprintf(`{"vaccine":%q,"plannedDate":%q,"institution":%q,"childName":"偽 名前","address":"偽の住所","birthDate":"2000-01-01","status":"administered"}`,
		due.Vaccine, today, clinic)
	createURL := "/api/lifestage/children/" + child.Id + "/questionnaires"

	// Only the child's guardians (and managing family) start a form.
	expect(t, "anonymous create", call(h, "POST", createURL, "", create), 401)
	expect(t, "parent2 create", call(h, "POST", createURL, tok["parent2"], create), 404)
	expect(t, "grandparent (view share) create", call(h, "POST", createURL, tok["grandparent"], create), 403)
	expect(t, "nursery_staff create", call(h, "POST", createURL, tok["nursery_staff"], create), 403)
	expect(t, "city_nursery create", call(h, "POST", createURL, tok["city_nursery"], create), 403)
	expect(t, "medical_staff create", call(h, "POST", createURL, tok["medical_staff"], create), 403)

	r := call(h, "POST", createURL, tok["parent"], create)
	expect(t, "parent create", r, 200, `"status":"draft"`, `"questions":[`)
	q := r.json(t)
	id := q["id"].(string)
	household, err := app.FindRecordById("households", child.GetString("household"))
	if err != nil {
		t.Fatal(err)
	}
	birth, _ := civil.Parse(child.GetString("birthDate"))
	wantName := child.GetString("familyName") + " " + child.GetString("givenName")
	if q["childName"] != wantName || q["address"] != household.GetString("address") || q["birthDate"] != birth.String() ||
		q["ageText"] != civil.AgeText(birth, civil.Today()) || q["dose"] != float64(due.Dose) || q["guardianName"] == "" {
		t.Fatalf("the header must come from the register: %s", r.Body)
	}

	answersURL := "/api/lifestage/questionnaires/" + id + "/answers"
	expect(t, "grandparent answers", call(h, "PATCH", answersURL, tok["grandparent"], fullAnswers(due.Vaccine)), 403)
	expect(t, "parent2 answers", call(h, "PATCH", answersURL, tok["parent2"], fullAnswers(due.Vaccine)), 404)
	expect(t, "unknown question", call(h, "PATCH", answersURL, tok["parent"], `{"answers":{"nope":{"yes":true}}}`), 400, `"code":"unknown_question"`)
	expect(t, "submit incomplete", call(h, "POST", "/api/lifestage/questionnaires/"+id+"/submit", tok["parent"], ""), 400, `"code":"unanswered"`)
	expect(t, "parent answers", call(h, "PATCH", answersURL, tok["parent"], fullAnswers(due.Vaccine)), 200, `卵で発疹`)
	if raw := rawColumn(t, app, "vaccination_questionnaires", "answers", id); strings.Contains(raw, "卵") {
		t.Fatal("answers must be encrypted at rest")
	}

	// A draft is the family's own: the clinic does not see it yet.
	viewURL := "/api/collections/vaccination_questionnaires/records/" + id
	expect(t, "clinic views draft", call(h, "GET", viewURL, tok["medical_staff"], ""), 404)
	expect(t, "grandparent views", call(h, "GET", viewURL, tok["grandparent"], ""), 200, `卵で発疹`)

	r = call(h, "POST", "/api/lifestage/questionnaires/"+id+"/submit", tok["parent"], "")
	expect(t, "submit", r, 200, `"status":"submitted"`, `"qrUrl":"/api/lifestage/questionnaires/`+id+`/qr.png"`)
	token := r.json(t)["qrToken"].(string)
	if len(token) < 30 {
		t.Fatalf("weak token %q", token)
	}
	expect(t, "resubmit answers", call(h, "PATCH", answersURL, tok["parent"], fullAnswers(due.Vaccine)), 400, `"code":"not_draft"`)

	qr := call(h, "GET", "/api/lifestage/questionnaires/"+id+"/qr.png", tok["parent"], "")
	if qr.Status != 200 || qr.Type != "image/png" || !bytes.HasPrefix([]byte(qr.Body), []byte("\x89PNG")) {
		t.Fatalf("qr: %d %s", qr.Status, qr.Type)
	}
	expect(t, "qr by parent2", call(h, "GET", "/api/lifestage/questionnaires/"+id+"/qr.png", tok["parent2"], ""), 404)
	expect(t, "qr by clinic", call(h, "GET", "/api/lifestage/questionnaires/"+id+"/qr.png", tok["medical_staff"], ""), 200)

	// Reception: only the chosen clinic opens the form by its token.
	openURL := "/api/lifestage/clinic/questionnaires?t=" + token
	expect(t, "open anonymous", call(h, "GET", openURL, "", ""), 401)
	for _, role := range []string{"parent", "nursery_staff", "city_nursery", "city_child"} {
		expect(t, "open by "+role, call(h, "GET", openURL, tok[role], ""), 404)
	}
	expect(t, "open by another clinic", call(h, "GET", openURL, other, ""), 404)
	expect(t, "open with a wrong token", call(h, "GET", "/api/lifestage/clinic/questionnaires?t=x"+token, tok["medical_staff"], ""), 404)
	views := func() int64 {
		n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "view", "collection": "vaccination_questionnaires", "record": id, "actor": fx.IDs["medical_staff"]})
		return n
	}
	before := views()
	expect(t, "open by the clinic", call(h, "GET", openURL, tok["medical_staff"], ""), 200, `卵で発疹`, `"guardianName"`)
	if views() != before+1 {
		t.Fatal("the clinic's read must be audited")
	}

	reviewURL := "/api/lifestage/questionnaires/" + id + "/review"
	administerURL := "/api/lifestage/questionnaires/" + id + "/administer"
	administer := `{"product":"テストワクチン","lot":"AB123","site":"left_arm"}`
	expect(t, "administer before review", call(h, "POST", administerURL, tok["medical_staff"], administer), 400, `"code":"not_ready"`)
	expect(t, "review by parent", call(h, "POST", reviewURL, tok["parent"], `{"temperature":36.5,"judgement":"ok","consent":true}`), 403)
	expect(t, "review by another clinic", call(h, "POST", reviewURL, other, `{"temperature":36.5,"judgement":"ok","consent":true}`), 404)
	expect(t, "fever", call(h, "POST", reviewURL, tok["medical_staff"], `{"temperature":37.5,"judgement":"ok","consent":true}`), 400, `"code":"fever"`)
	expect(t, "review", call(h, "POST", reviewURL, tok["medical_staff"], `{"temperature":36.6,"judgement":"ok","consent":true}`), 200, `"status":"reviewed"`, `"reviewedBy":"`+fx.IDs["medical_staff"]+`"`)

	expect(t, "administer by another clinic", call(h, "POST", administerURL, other, administer), 404)
	expect(t, "administer by city_child", call(h, "POST", administerURL, tok["city_child"], administer), 403)
	r = call(h, "POST", administerURL, tok["medical_staff"], administer)
	expect(t, "administer", r, 200, `"status":"administered"`)
	immID := r.json(t)["immunization"].(string)
	imm, err := app.FindRecordById("immunizations", immID)
	if err != nil {
		t.Fatal("no immunization recorded")
	}
	if imm.GetString("child") != child.Id || imm.GetString("vaccine") != due.Vaccine || imm.GetInt("dose") != due.Dose ||
		imm.GetString("date") != today || imm.GetString("source") != "clinic" || imm.GetString("institution") != clinic ||
		imm.GetString("status") != "completed" || imm.GetString("lot") != "AB123" {
		t.Fatalf("immunization %v", imm.PublicExport())
	}
	for _, g := range child.GetStringSlice("guardians") {
		n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": g, "kind": "immunization.recorded", "reason": id})
		if n != 1 {
			t.Fatalf("guardian %s got %d notifications", g, n)
		}
	}
	for _, c := range []struct{ collection, record, action string }{
		{"immunizations", immID, "create"}, {"vaccination_questionnaires", id, "update"},
	} {
		n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"collection": c.collection, "record": c.record, "action": c.action, "actor": fx.IDs["medical_staff"]})
		if n == 0 {
			t.Fatalf("no %s audit entry for %s by the medical staff", c.action, c.collection)
		}
	}
	expect(t, "administer twice", call(h, "POST", administerURL, tok["medical_staff"], administer), 400, `"code":"not_ready"`)
	// The next form for the same dose is refused: it is done now.
	expect(t, "same dose again", call(h, "POST", createURL, tok["parent"], fmt.Sprintf(`{"vaccine":%q,"dose":%d,"plannedDate":%q,"institution":%q}`, due.Vaccine, due.Dose, today, clinic)), 400, `"code":"not_eligible"`)
}

func TestQuestionnairePostponed(t *testing.T) {
	app, h := handlerFor(t)
	q, err := app.FindFirstRecordByFilter("vaccination_questionnaires", "status = 'submitted' && child = {:c}", dbx.Params{"c": sharedChild(t, app).Id})
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/lifestage/questionnaires/" + q.Id
	expect(t, "postpone", call(h, "POST", base+"/review", fx.Tokens["medical_staff"], `{"temperature":38.2,"judgement":"postpone","consent":false}`), 200, `"judgement":"postpone"`)
	expect(t, "administer postponed", call(h, "POST", base+"/administer", fx.Tokens["medical_staff"], `{"product":"x","lot":"y","site":"left_arm","date":"`+civil.Today().String()+`"}`), 400, `"code":"not_ready"`)
}

func TestQuestionnaireCancel(t *testing.T) {
	app, h := handlerFor(t)
	q, err := app.FindFirstRecordByFilter("vaccination_questionnaires", "status = 'submitted' && child = {:c}", dbx.Params{"c": sharedChild(t, app).Id})
	if err != nil {
		t.Fatal(err)
	}
	open := "/api/lifestage/clinic/questionnaires?t=" + q.GetString("qrToken")
	expect(t, "clinic opens", call(h, "GET", open, fx.Tokens["medical_staff"], ""), 200)
	base := "/api/lifestage/questionnaires/" + q.Id
	expect(t, "grandparent cancels", call(h, "POST", base+"/cancel", fx.Tokens["grandparent"], ""), 403)
	expect(t, "parent cancels", call(h, "POST", base+"/cancel", fx.Tokens["parent"], ""), 200, `"status":"cancelled"`)
	expect(t, "the old QR code", call(h, "GET", open, fx.Tokens["medical_staff"], ""), 404)
	expect(t, "review a cancelled form", call(h, "POST", base+"/review", fx.Tokens["medical_staff"], `{"temperature":36.5,"judgement":"ok","consent":true}`), 400, `"code":"not_submitted"`)
	expect(t, "cancel twice", call(h, "POST", base+"/cancel", fx.Tokens["parent"], ""), 400, `"code":"not_cancellable"`)
}

func TestQuestionnaireCreateValidation(t *testing.T) {
	app := fx.NewApp(t)
	child := sharedChild(t, app)
	clinic := demoClinic(t, app)
	early := notYetOpen(t, app, child)
	nursery := (&world{app: app}).firstID(t, "facilities", `type = "nursery"`)
	app.Cleanup()
	url := "/api/lifestage/children/" + child.Id + "/questionnaires"
	body := func(vaccine string, dose int, date, inst string) *strings.Reader {
		return strings.NewReader(fmt.Sprintf(`{"vaccine":%q,"dose":%d,"plannedDate":%q,"institution":%q}`, vaccine, dose, date, inst))
	}
	today := civil.Today().String()
	scenarios := []tests.ApiScenario{
		{
			Name: "too early", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(early.Vaccine, early.Dose, early.Earliest.AddDays(-1).String(), clinic),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"not_eligible"`, "最短で " + early.Earliest.String() + " から接種できます"},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "not the next dose", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(early.Vaccine, early.Dose+1, early.Earliest.String(), clinic),
			ExpectedStatus: 400, ExpectedContent: []string{`"dose":{"code":"not_eligible"`},
		},
		{
			Name: "a nursery is not a place to vaccinate", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(early.Vaccine, 0, today, nursery),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_institution"`},
		},
		{
			Name: "a past date", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(early.Vaccine, 0, civil.Today().AddDays(-1).String(), clinic),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"past_date"`},
		},
		{
			Name: "an unknown vaccine", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body("flu", 0, today, clinic),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_vaccine"`},
		},
		{
			Name: "nobody writes through the generic API", Method: http.MethodPost, URL: "/api/collections/vaccination_questionnaires/records", Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + child.Id + `","vaccine":"je1","dose":1,"plannedDate":"` + today + `","institution":"` + clinic + `","status":"draft"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "staff of the clinic list only what was submitted to them", Method: http.MethodGet,
			URL: "/api/collections/vaccination_questionnaires/records?fields=status", Headers: auth("medical_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"submitted"`}, NotExpectedContent: []string{`"status":"draft"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestDemoClinicHasFormsInEveryState: the demo city gives the demo clinic
// forms to show (submitted, checked, postponed and administered) and the
// city a draft, none of them the fixture's own.
func TestDemoClinicHasFormsInEveryState(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	clinic := demoClinic(t, app)
	count := func(filter string) int {
		n, err := app.CountRecords("vaccination_questionnaires", dbx.NewExp(filter, dbx.Params{"c": clinic}))
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	for what, filter := range map[string]string{
		"a submitted form with its own QR token": "institution = {:c} AND status = 'submitted' AND qrToken NOT LIKE 'fixture-token-%'",
		"a form checked and ready to record":     "institution = {:c} AND status = 'reviewed' AND judgement = 'ok' AND consent = TRUE",
		"a postponed form":                       "institution = {:c} AND status = 'reviewed' AND judgement = 'postpone'",
		"an administered form":                   "institution = {:c} AND status = 'administered' AND immunization != ''",
		"a draft of another family":              "institution = {:c} AND status = 'draft' AND vaccine != 'je1'",
	} {
		if count(filter) == 0 {
			t.Errorf("the demo has no %s", what)
		}
	}
	done, err := app.FindFirstRecordByFilter("vaccination_questionnaires", "status = 'administered'")
	if err != nil {
		t.Fatal(err)
	}
	imm, err := app.FindRecordById("immunizations", done.GetString("immunization"))
	if err != nil || imm.GetString("institution") != clinic || imm.GetString("vaccine") != done.GetString("vaccine") {
		t.Errorf("the administered form's dose is not the clinic's record of that vaccine: %v", err)
	}
}

func TestClinicOpensFromItsList(t *testing.T) {
	app := fx.NewApp(t)
	clinic := demoClinic(t, app)
	find := func(status string) *core.Record {
		r, err := app.FindFirstRecordByFilter("vaccination_questionnaires", "institution = {:c} && status = {:s}", dbx.Params{"c": clinic, "s": status})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	done, draft := find("administered"), find("draft")
	app.Cleanup()
	url := func(id string) string { return "/api/lifestage/clinic/questionnaires/" + id }
	scenarios := []tests.ApiScenario{
		{
			Name: "the clinic opens a form of its list, audited", Method: http.MethodGet, URL: url(done.Id), Headers: auth("medical_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"administered"`, `"questions":[`, `"answers":{`},
			NotExpectedContent: []string{`"qrToken"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "view", "record": done.Id}); n != 1 {
					t.Errorf("%d audited reads, want 1", n)
				}
			},
		},
		{
			Name: "a draft stays with the family", Method: http.MethodGet, URL: url(draft.Id), Headers: auth("medical_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "anonymous gets 401", Method: http.MethodGet, URL: url(done.Id),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "citizens use their own routes", Method: http.MethodGet, URL: url(done.Id), Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
	// Another clinic's staff: 404, the form does not exist for them.
	app, h := handlerFor(t)
	other := otherClinicStaff(t, app)
	expect(t, "other clinic", call(h, "GET", url(done.Id), other, ""), 404)
}
