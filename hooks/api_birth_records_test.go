package hooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/testutil"
)

// birthRecordOf is the child's birth record, or nil.
func birthRecordOf(app core.App, childID string) *core.Record {
	r, err := app.FindFirstRecordByData("birth_records", "child", childID)
	if err != nil {
		return nil
	}
	return r
}

// childrenByBirthRecord splits a role's children into one with a birth
// record on file and one without (the demo family has both).
func childrenByBirthRecord(t testing.TB, app core.App, role string) (with, without *core.Record) {
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "birthDate", 0, 0, dbx.Params{"p": fx.IDs[role]})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if birthRecordOf(app, k.Id) != nil {
			with = k
		} else {
			without = k
		}
	}
	if with == nil || without == nil {
		t.Fatalf("%s needs a child with and one without a birth record", role)
	}
	return with, without
}

func TestBirthRecords(t *testing.T) {
	app := fx.NewApp(t)
	with, without := childrenByBirthRecord(t, app, "parent")
	own := birthRecordOf(app, with.Id)
	other, _ := childrenByBirthRecord(t, app, "parent2")
	nursery, err := app.FindFirstRecordByFilter("facilities", "type = 'nursery'")
	if err != nil {
		t.Fatal(err)
	}
	app.Cleanup()
	url := "/api/collections/birth_records/records"
	body := func(child, extra string) *strings.Reader {
		return strings.NewReader(`{"child":"` + child + `","weightG":2980,"lengthCm":48.5,"gestationalWeeks":39,"gestationalDays":2` + extra + `}`)
	}

	scenarios := []tests.ApiScenario{
		{
			Name: "a guardian enters the birth record, the note is sealed", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(without.Id, `,"deliveryMethod":"cesarean","abnormality":"present","note":"逆子のため帝王切開","source":"parent"`),
			ExpectedStatus: 200,
			ExpectedContent: []string{`"weightG":2980`, `"gestationalWeeks":39`, `"gestationalDays":2`, `"deliveryMethod":"cesarean"`,
				`"note":"逆子のため帝王切開"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				r := birthRecordOf(app, without.Id)
				if r == nil {
					t.Fatal("not stored")
				}
				if stored := rawColumn(t, app, "birth_records", "note", r.Id); !strings.HasPrefix(stored, "enc:") {
					t.Errorf("note stored in clear: %q", stored)
				}
			},
		},
		{
			Name: "a child has one birth record", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body: body(with.Id, ""), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelAfterCreateSuccess": 0},
		},
		{
			Name: "days need their weeks", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + without.Id + `","gestationalDays":3}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"gestationalWeeks":{"code":"weeks_required"`},
		},
		{
			Name: "the birth institution is a hospital or clinic", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           body(without.Id, `,"institution":"`+nursery.Id+`"`),
			ExpectedStatus: 400, ExpectedContent: []string{`"institution":{"code":"invalid_institution"`},
		},
		{
			Name: "grams are whole numbers within 300–6000", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"child":"` + without.Id + `","weightG":30000}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"weightG":{"code":"validation_max_number_constraint"`},
		},
		{
			Name: "another household cannot enter one", Method: http.MethodPost, URL: url, Headers: auth("parent2"),
			Body: body(without.Id, ""), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
		},
		{
			Name: "a guardian corrects a value", Method: http.MethodPatch, URL: url + "/" + own.Id, Headers: auth("parent"),
			Body: strings.NewReader(`{"apgar1":7}`), ExpectedStatus: 200, ExpectedContent: []string{`"apgar1":7`},
		},
		{
			// The update rule reads the record as it is, so a new child in
			// the body would otherwise write into any handbook.
			Name: "a guardian cannot move the record to another family's child", Method: http.MethodPatch, URL: url + "/" + own.Id, Headers: auth("parent"),
			Body: strings.NewReader(`{"child":"` + other.Id + `"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if r := birthRecordOf(app, with.Id); r == nil || r.Id != own.Id {
					t.Error("the record moved")
				}
			},
		},
		{
			Name: "a view share cannot correct it", Method: http.MethodPatch, URL: url + "/" + own.Id, Headers: auth("grandparent"),
			Body: strings.NewReader(`{"apgar1":7}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestQuestionnaireTakesTheBirthWeight: a new 予診票 starts with the birth
// weight of the handbook, and without it when none is on file.
func TestQuestionnaireTakesTheBirthWeight(t *testing.T) {
	app, h := handlerFor(t)
	with, without := childrenByBirthRecord(t, app, "parent")
	clinic := demoClinic(t, app)
	for _, c := range []struct {
		child *core.Record
		want  string
	}{
		{with, fmt.Sprintf(`"birthWeightG":%d`, birthRecordOf(app, with.Id).GetInt("weightG"))},
		{without, ""},
	} {
		due := testutil.DueToday(t, app, c.child)
		body := fmt.Sprintf(`{"vaccine":%q,"dose":%d,"plannedDate":%q,"institution":%q}`, due.Vaccine, due.Dose, civil.Today(), clinic)
		r := call(h, "POST", "/api/lifestage/children/"+c.child.Id+"/questionnaires", fx.Tokens["parent"], body)
		expect(t, "create", r, 200, `"status":"draft"`)
		if c.want != "" && !strings.Contains(r.Body, c.want) {
			t.Errorf("the form lacks the handbook's %s: %s", c.want, r.Body)
		}
		if c.want == "" && strings.Contains(r.Body, "birthWeightG") {
			t.Errorf("a birth weight came from nowhere: %s", r.Body)
		}
	}
}
