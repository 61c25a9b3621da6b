package hooks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/testutil"
)

// lastEntry returns the newest audit entry about a record.
func lastEntry(t testing.TB, app core.App, collection, record string) *core.Record {
	recs, err := app.FindRecordsByFilter(auditlog.Collection, "collection = {:c} && record = {:r}", "-seq", 1, 0,
		dbx.Params{"c": collection, "r": record})
	if err != nil || len(recs) == 0 {
		t.Fatalf("no audit entry for %s/%s", collection, record)
	}
	return recs[0]
}

func fieldsOf(r *core.Record) []string {
	var f []string
	_ = json.Unmarshal([]byte(r.GetString("fields")), &f)
	return f
}

func verifyOK(t testing.TB, app core.App) {
	res, err := auditlog.Verify(app)
	if err != nil || !res.OK {
		t.Fatalf("audit chain does not verify: %+v %v", res, err)
	}
}

func TestAuditRecordsChangesWithActorAndFieldNamesOnly(t *testing.T) {
	childID := childIDOf(t, "parent")
	scenarios := []tests.ApiScenario{
		{
			Name: "a citizen's API update is logged with names of changed fields, not values", Method: http.MethodPatch,
			URL: "/api/collections/children/records/" + childID, Headers: auth("parent"),
			Body: strings.NewReader(`{"givenNameKana":"ミライ"}`), ExpectedStatus: 200, ExpectedContent: []string{`"givenNameKana":"ミライ"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				e := lastEntry(t, app, "children", childID)
				if e.GetString("actor") != fx.IDs["parent"] || e.GetString("actorRole") != "citizen" || e.GetString("action") != "update" {
					t.Fatalf("entry %v", e.PublicExport())
				}
				if !slices.Equal(fieldsOf(e), []string{"givenNameKana"}) || strings.Contains(e.GetString("fields"), "ミライ") {
					t.Fatalf("fields %s", e.GetString("fields"))
				}
				if e.GetString("subject") != childID || e.GetString("ip") == "" {
					t.Fatalf("subject/ip missing: %v", e.PublicExport())
				}
				verifyOK(t, app)
			},
		},
		{
			Name: "a custom route's writes carry the caller", Method: http.MethodPost, URL: "/api/lifestage/family/shares/accept",
			Body: strings.NewReader(`{"code":"` + testutil.PendingShareCode + `"}`), Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"scope":"manage"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				share, _ := app.FindFirstRecordByFilter("family_shares", "member = {:p}", dbx.Params{"p": fx.IDs["parent"]})
				e := lastEntry(t, app, "family_shares", share.Id)
				if e.GetString("actor") != fx.IDs["parent"] || !slices.Contains(fieldsOf(e), "status") {
					t.Fatalf("entry %v", e.PublicExport())
				}
				verifyOK(t, app)
			},
		},
		{
			Name: "operations staff can search the log", Method: http.MethodGet, Headers: auth("city_admin"),
			URL:            "/api/collections/audit_log/records?filter=" + urlq(`action="create"`) + "&sort=-seq&perPage=5&skipTotal=1",
			ExpectedStatus: 200, ExpectedContent: []string{`"action":"create"`},
		},
		{
			Name: "other staff cannot read the log", Method: http.MethodGet, Headers: auth("city_child"),
			URL: "/api/collections/audit_log/records", ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		},
		{
			Name: "nobody can rewrite an entry", Method: http.MethodPatch, Headers: auth("city_admin"),
			URL: "/api/collections/audit_log/records/" + anyAuditID(t), Body: strings.NewReader(`{"actor":"x"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "nobody can delete an entry", Method: http.MethodDelete, Headers: auth("city_admin"),
			URL: "/api/collections/audit_log/records/" + anyAuditID(t), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "nobody can add an entry", Method: http.MethodPost, Headers: auth("city_admin"),
			URL: "/api/collections/audit_log/records", Body: strings.NewReader(`{"seq":999,"at":"x","action":"view","prevHash":"x","hash":"x"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func urlq(s string) string { return strings.NewReplacer(" ", "%20", `"`, "%22", "=", "%3D").Replace(s) }

func anyAuditID(t testing.TB) string {
	app := fx.NewApp(t)
	defer app.Cleanup()
	r, err := app.FindFirstRecordByFilter(auditlog.Collection, "seq = 1")
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// TestAuditVerifyFindsTampering edits rows directly in the database, as an
// attacker with the SQLite file would, and expects verification to stop at
// the edited row.
func TestAuditVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(app core.App, victim *core.Record) error
		broken func(app core.App, victim *core.Record) string
	}{
		{"changed actor", func(app core.App, v *core.Record) error {
			_, err := app.DB().NewQuery("UPDATE audit_log SET actor = 'intruder000000' WHERE id = {:id}").Bind(dbx.Params{"id": v.Id}).Execute()
			return err
		}, func(_ core.App, v *core.Record) string { return v.Id }},
		{"changed field names and rehashed the row", func(app core.App, v *core.Record) error {
			_, err := app.DB().NewQuery(`UPDATE audit_log SET fields = '["nothing"]', hash = 'f00d' WHERE id = {:id}`).Bind(dbx.Params{"id": v.Id}).Execute()
			return err
		}, func(_ core.App, v *core.Record) string { return v.Id }},
		{"deleted a row", func(app core.App, v *core.Record) error {
			_, err := app.DB().NewQuery("DELETE FROM audit_log WHERE id = {:id}").Bind(dbx.Params{"id": v.Id}).Execute()
			return err
		}, func(app core.App, v *core.Record) string {
			next, _ := app.FindFirstRecordByFilter(auditlog.Collection, "seq = {:s}", dbx.Params{"s": v.GetInt("seq") + 1})
			return next.Id
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := fx.NewApp(t)
			defer app.Cleanup()
			verifyOK(t, app)
			victim, err := app.FindFirstRecordByFilter(auditlog.Collection, "seq = 3")
			if err != nil {
				t.Fatal(err)
			}
			want := c.broken(app, victim)
			if err := c.tamper(app, victim); err != nil {
				t.Fatal(err)
			}
			res, err := auditlog.Verify(app)
			if err != nil || res.OK || res.BrokenID != want {
				t.Fatalf("got %+v (%v), want broken at %s", res, err, want)
			}
		})
	}
}

// TestSensitiveReadsByStaffAreLogged marks residents sensitive for the test:
// staff reads then leave one view entry per record, citizens' reads none.
func TestSensitiveReadsByStaffAreLogged(t *testing.T) {
	spec := collections.Get("residents")
	spec.Sensitive = true
	defer func() { spec.Sensitive = false }()
	countViews := func(app core.App) int64 {
		n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "view", "collection": "residents"})
		return n
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff list: one entry per record returned", Method: http.MethodGet, Headers: auth("city_child"),
			URL: "/api/collections/residents/records?perPage=3&skipTotal=1", ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n := countViews(app); n != 3 {
					t.Fatalf("%d view entries, want 3", n)
				}
				verifyOK(t, app)
			},
		},
		{
			Name: "a citizen reading their own record is not a staff read", Method: http.MethodGet, Headers: auth("parent"),
			URL: "/api/collections/residents/records", ExpectedStatus: 200, ExpectedContent: []string{`"items":[{`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n := countViews(app); n != 0 {
					t.Fatalf("%d view entries for a citizen", n)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestMyAccessLog(t *testing.T) {
	childID := childIDOf(t, "parent")
	s := tests.ApiScenario{
		Name: "a parent sees that city staff changed their child's record", Method: http.MethodGet,
		URL: "/api/lifestage/me/access-log", Headers: auth("parent"),
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			// A staff change, as a staff route would save it.
			child, err := app.FindRecordById("children", childID)
			if err != nil {
				t.Fatal(err)
			}
			child.Set("givenNameKana", "ハルト")
			staff := audit.Actor{ID: fx.IDs["city_child"], Collection: "city_staff", Role: "child:staff", IP: "192.0.2.1"}
			if err := app.SaveWithContext(audit.WithActor(context.Background(), staff), child); err != nil {
				t.Fatal(err)
			}
		},
		ExpectedStatus:     200,
		ExpectedContent:    []string{`"subject":"` + childID + `"`, `"actorKind":"city_staff"`, `"actorRole":"child:staff"`, `"self":false`},
		NotExpectedContent: []string{`"actor":`},
		TestAppFactory:     fx.NewApp,
	}
	s.Test(t)
	other := tests.ApiScenario{
		Name: "staff have no personal access log route", Method: http.MethodGet, URL: "/api/lifestage/me/access-log",
		Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, TestAppFactory: fx.NewApp,
	}
	other.Test(t)
}
