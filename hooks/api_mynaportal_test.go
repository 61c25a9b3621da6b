package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/mynaportal"
	"github.com/saijo-dx/lifestage/mynaportal/mynaportaltest"
	"github.com/saijo-dx/lifestage/testutil"
)

// youngestChild is a role's youngest child: the one the demo consented for.
func youngestChild(t testing.TB, app core.App, role string) *core.Record {
	t.Helper()
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, dbx.Params{"p": fx.IDs[role]})
	if err != nil || len(kids) == 0 {
		t.Fatalf("%s has no child", role)
	}
	return kids[0]
}

func pmhName(child *core.Record) string {
	return child.GetString("familyName") + " " + child.GetString("givenName")
}

func fl(v float64) *float64 { return &v }

// pmhRecords are what the fake PMH holds for a child.
var pmhRecords = mynaportal.Response{
	Immunizations: []mynaportal.Immunization{
		{RecordID: "pmh-im-0001", VaccineName: "B型肝炎", DoseNumber: 1, VaccinationDate: "2026-03-02", LotNumber: "HB-77"},
		{RecordID: "pmh-im-0002", VaccineName: "５種混合", DoseNumber: 1, VaccinationDate: "2026-03-02"},
		{RecordID: "pmh-im-0003", VaccineName: "インフルエンザ", DoseNumber: 1, VaccinationDate: "2026-10-01"},
	},
	InfantCheckups: []mynaportal.Checkup{
		{RecordID: "pmh-ck-0001", CheckupType: "3〜4か月児健診", ExaminationDate: "2026-05-20", WeightKg: fl(6.8), HeightCm: fl(62.5), Judgement: "経過観察"},
	},
}

func setPMH(t *testing.T, fake *mynaportaltest.Fake) {
	for k, v := range fake.Env() {
		t.Setenv(k, v)
	}
}

func importedCount(t testing.TB, app core.App, collection, child string) int {
	t.Helper()
	n, err := app.CountRecords(collection, dbx.HashExp{"child": child, "source": mynaportal.Source, "sourceRecordId": dbx.NewExp("sourceRecordId LIKE 'pmh-%'")})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestMynaportalImport(t *testing.T) {
	fake := mynaportaltest.Start(t)
	setPMH(t, fake)
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	child := youngestChild(t, app, "parent")
	fake.Set(pmhName(child), child.GetString("birthDate"), pmhRecords)
	body := `{"child":"` + child.Id + `"}`

	r := call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body)
	expect(t, "import", r, 200, `"imported":{"immunizations":2,"infant_checkups":1}`, `"alreadyImported":0`,
		`"recordId":"pmh-im-0003","reason":"unknown_vaccine"`)
	q := fake.Queries()
	if len(q) != 1 || q[0].Subject.DateOfBirth != child.GetString("birthDate") || q[0].Requester.Name == "" || q[0].ConsentID == "" {
		t.Fatalf("query sent to PMH: %+v", q)
	}
	im, err := app.FindFirstRecordByFilter("immunizations", "sourceRecordId = 'pmh-im-0001'")
	if err != nil || im.GetString("source") != "mynaportal" || im.GetString("vaccine") != "hepb" || im.GetString("lot") != "HB-77" || im.GetString("child") != child.Id {
		t.Fatalf("imported immunization: %v %v", err, im)
	}
	ck, err := app.FindFirstRecordByFilter("infant_checkups", "sourceRecordId = 'pmh-ck-0001'")
	if err != nil || ck.GetString("code") != "3-4m" || ck.GetString("result") != "follow_up" || ck.GetString("source") != "mynaportal" {
		t.Fatalf("imported checkup: %v %v", err, ck)
	}

	// Importing again adds nothing.
	r = call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body)
	expect(t, "re-import", r, 200, `"imported":{"immunizations":0,"infant_checkups":0}`, `"alreadyImported":3`)
	if importedCount(t, app, "immunizations", child.Id) != 2 || importedCount(t, app, "infant_checkups", child.Id) != 1 {
		t.Fatal("re-import duplicated records")
	}
	consent := activeConsentOf(t, app, "parent", child.Id)
	if consent.GetString("lastImportAt") == "" || consent.GetInt("lastImportCount") != 0 {
		t.Fatalf("consent not stamped: %v", consent.PublicExport())
	}

	// Families cannot pass their own entries off as imported ones.
	r = call(h, "POST", "/api/collections/immunizations/records", fx.Tokens["parent"],
		`{"child":"`+child.Id+`","vaccine":"bcg","dose":1,"date":"2026-04-01","source":"mynaportal"}`)
	expect(t, "forged source", r, 400)

	// Revoked: nothing more is asked of PMH.
	expect(t, "revoke", call(h, "POST", "/api/lifestage/mynaportal/consents/"+consent.Id+"/revoke", fx.Tokens["parent"], ""), 200, `"status":"revoked"`)
	r = call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body)
	expect(t, "after revoke", r, 403, `"code":"no_consent"`)
	if len(fake.Queries()) != 2 {
		t.Fatalf("PMH was asked %d times, want 2 (none after the revocation)", len(fake.Queries()))
	}

	// Consent again, for checkups only: only checkups are asked for.
	r = call(h, "POST", "/api/lifestage/mynaportal/consents", fx.Tokens["parent"], `{"child":"`+child.Id+`","scopes":["infant_checkups"]}`)
	expect(t, "consent", r, 200, `"status":"active"`, `"scopes":["infant_checkups"]`)
	expect(t, "checkups only", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body), 200, `"alreadyImported":1`)
	if cats := fake.Queries()[2].Categories; len(cats) != 1 || cats[0] != mynaportal.CategoryInfantCheckup {
		t.Fatalf("categories asked: %v", cats)
	}
}

func activeConsentOf(t testing.TB, app core.App, role, child string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter(collections.MynaportalConsents, "user = {:u} && child = {:c} && status = 'active'",
		dbx.Params{"u": fx.IDs[role], "c": child})
	if err != nil {
		t.Fatalf("%s has no active consent for %s", role, child)
	}
	return r
}

func TestMynaportalImportRefusals(t *testing.T) {
	fake := mynaportaltest.Start(t)
	setPMH(t, fake)
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	h, _ := testutil.Handler(app)
	child := youngestChild(t, app, "parent")
	body := `{"child":"` + child.Id + `"}`

	expect(t, "not verified", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["grandparent"], body), 403, `"code":"identity_not_verified"`)
	expect(t, "guest", call(h, "POST", "/api/lifestage/mynaportal/import", "", body), 401)
	expect(t, "staff", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["city_child"], body), 403)
	expect(t, "another family's child", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent2"], body), 404)

	// The verified guardian without a consent in force: the period ended.
	consent := activeConsentOf(t, app, "parent", child.Id)
	consent.Set("validUntil", "2020-12-31")
	if err := app.Save(consent); err != nil {
		t.Fatal(err)
	}
	expect(t, "consent expired", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body), 403, `"code":"no_consent"`)
	expect(t, "consent again", call(h, "POST", "/api/lifestage/mynaportal/consents", fx.Tokens["parent"], `{"child":"`+child.Id+`","scopes":["immunizations"]}`), 200)
	// PMH answers 403: the resident has not authorised us at マイナポータル.
	fake.Refuse(pmhName(child), child.GetString("birthDate"))
	expect(t, "PMH refuses", call(h, "POST", "/api/lifestage/mynaportal/import", fx.Tokens["parent"], body), 403, `"code":"pmh_not_authorised"`)
	if len(fake.Queries()) != 1 {
		t.Fatalf("PMH asked %d times, want only the consented, verified request", len(fake.Queries()))
	}
	if importedCount(t, app, "immunizations", child.Id)+importedCount(t, app, "infant_checkups", child.Id) != 0 {
		t.Fatal("records imported without a successful, consented query")
	}
}

func TestMynaportalRoutes(t *testing.T) {
	t.Setenv(mynaportal.EnvEndpoint, "")
	// Every test app is a clone of the fixture: the ids are the same.
	probe := fx.NewApp(t)
	mine, theirs := youngestChild(t, probe, "parent").Id, youngestChild(t, probe, "parent2").Id
	probe.Cleanup()
	consentBody := func(child, extra string) string {
		return `{"child":"` + child + `","scopes":["immunizations","infant_checkups"]` + extra + `}`
	}
	cases := []struct {
		name, method, url, role, body string
		status                        int
		want                          []string
		after                         func(t testing.TB, app *tests.TestApp)
	}{
		{"status for a verified parent", "GET", "/api/lifestage/mynaportal/status", "parent", "", 200, []string{`"enabled":false`, `"identityVerified":true`}, nil},
		{"status for an unverified citizen", "GET", "/api/lifestage/mynaportal/status", "grandparent", "", 200, []string{`"identityVerified":false`}, nil},
		{"status needs a citizen", "GET", "/api/lifestage/mynaportal/status", "anonymous", "", 401, nil, nil},
		{"import while the connector is off", "POST", "/api/lifestage/mynaportal/import", "parent", `{"child":"` + mine + `"}`, 503, []string{`"code":"mynaportal_disabled"`}, nil},
		{"consent replaces the earlier one", "POST", "/api/lifestage/mynaportal/consents", "parent", consentBody(mine, ""), 200,
			[]string{`"status":"active"`, `"purpose":"` + collections.MynaportalPurpose + `"`},
			func(t testing.TB, app *tests.TestApp) {
				n, _ := app.CountRecords(collections.MynaportalConsents, dbx.HashExp{"user": fx.IDs["parent"], "status": "active"})
				r, _ := app.CountRecords(collections.MynaportalConsents, dbx.HashExp{"user": fx.IDs["parent"], "status": "revoked"})
				if n != 1 || r != 1 {
					t.Fatalf("active %d, revoked %d; want 1 and 1", n, r)
				}
			}},
		{"consent needs a verified identity", "POST", "/api/lifestage/mynaportal/consents", "grandparent", consentBody(mine, ""), 403, []string{`"code":"identity_not_verified"`}, nil},
		{"consent needs a login", "POST", "/api/lifestage/mynaportal/consents", "anonymous", consentBody(mine, ""), 401, nil, nil},
		{"consent for another family's child", "POST", "/api/lifestage/mynaportal/consents", "parent", consentBody(theirs, ""), 404, nil, nil},
		{"consent longer than a year", "POST", "/api/lifestage/mynaportal/consents", "parent", consentBody(mine, `,"validUntil":"2099-01-01"`), 400, []string{`"code":"invalid_period"`}, nil},
		{"consent with an unknown scope", "POST", "/api/lifestage/mynaportal/consents", "parent", `{"child":"` + mine + `","scopes":["prescriptions"]}`, 400, []string{`"code":"invalid_scope"`}, nil},
	}
	for _, c := range cases {
		s := tests.ApiScenario{
			Name: c.name, Method: c.method, URL: c.url, ExpectedStatus: c.status, ExpectedContent: c.want,
			TestAppFactory: fx.NewApp,
		}
		if len(s.ExpectedContent) == 0 {
			s.ExpectedContent = []string{`"status":`}
		}
		if tok := fx.Tokens[c.role]; tok != "" {
			s.Headers = map[string]string{"Authorization": tok}
		}
		if c.body != "" {
			s.Body = strings.NewReader(c.body)
		}
		if c.after != nil {
			after := c.after
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { after(t, app) }
		}
		s.Test(t)
	}
}

func TestMynaportalRevoke(t *testing.T) {
	consentOf := func(t testing.TB, app core.App, role string) string {
		return activeConsentOf(t, app, role, youngestChild(t, app, role).Id).Id
	}
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	h, _ := testutil.Handler(app)
	id := consentOf(t, app, "parent")
	expect(t, "someone else's consent", call(h, "POST", "/api/lifestage/mynaportal/consents/"+id+"/revoke", fx.Tokens["parent2"], ""), 404)
	// Revoking never needs the card: grandparent is unverified but it is
	// the consenter who revokes, whoever they are.
	expect(t, "revoke", call(h, "POST", "/api/lifestage/mynaportal/consents/"+id+"/revoke", fx.Tokens["parent"], ""), 200, `"status":"revoked"`)
	expect(t, "twice", call(h, "POST", "/api/lifestage/mynaportal/consents/"+id+"/revoke", fx.Tokens["parent"], ""), 400, `"code":"already_revoked"`)
}
