package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/auditlog"
)

// TestWatchMy: the volunteer's home lists their own people with name and
// address (which volunteers cannot read from the register), no one else's.
func TestWatchMy(t *testing.T) {
	app := fx.NewApp(t)
	mine, err := app.FindAllRecords("watch_targets", dbx.HashExp{"volunteer": fx.IDs["volunteer"], "active": true})
	if err != nil || len(mine) < 2 {
		t.Fatalf("fixture: the volunteer needs several targets (%v)", err)
	}
	name := func(target *core.Record) string {
		r, err := app.FindRecordById("residents", target.GetString("resident"))
		if err != nil {
			t.Fatal(err)
		}
		return r.GetString("familyName") + " " + r.GetString("givenName")
	}
	own, ownSecond := name(mine[0]), name(mine[1])
	colleague, err := app.FindFirstRecordByFilter("watch_targets", "volunteer != {:v} && volunteer != ''", dbx.Params{"v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatal(err)
	}
	other := name(colleague)
	outsider := tokenOf(t, app, "volunteers", outsiderVolunteer)
	app.Cleanup()

	url := "/api/lifestage/watch/my"
	scenarios := []tests.ApiScenario{
		{Name: "anonymous", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "a citizen", Method: http.MethodGet, URL: url, Headers: auth("family"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff use the cards page instead", Method: http.MethodGet, URL: url, Headers: auth("city_elderly"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "nursery staff", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a volunteer with no one assigned", Method: http.MethodGet, URL: url, Headers: map[string]string{"Authorization": outsider},
			ExpectedStatus: 200, ExpectedContent: []string{`"targets":[]`}},
		{
			Name: "the volunteer's own people, with their last visit", Method: http.MethodGet, URL: url, Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: []string{`"name":"` + own + `"`, `"lastVisitAt":"20`, `"lastStatus":"fine"`, `"address":"`, `"areaName":"`},
			NotExpectedContent: []string{other, `"tokenNonce"`, `"note"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, err := app.CountRecords(auditlog.Collection, dbx.HashExp{"collection": "watch_targets", "action": "view", "actor": fx.IDs["volunteer"]})
				if err != nil || int(n) != len(mine) {
					t.Fatalf("%d audited reads for %d targets (%v)", n, len(mine), err)
				}
			},
		},
		{
			Name: "one of the volunteer's people (the check-in page)", Method: http.MethodGet, URL: url + "?target=" + mine[0].Id, Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: []string{`"name":"` + own + `"`}, NotExpectedContent: []string{ownSecond},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"collection": "watch_targets", "action": "view", "actor": fx.IDs["volunteer"]})
				if n != 1 {
					t.Fatalf("%d audited reads, want 1", n)
				}
			},
		},
		{Name: "a colleague's person is not given", Method: http.MethodGet, URL: url + "?target=" + colleague.Id, Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: []string{`"targets":[]`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestWatchMyOrder: the list is in kana order, so a volunteer finds a name
// as in a paper ledger.
func TestWatchMyOrder(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	code, body := send(t, app, http.MethodGet, "/api/lifestage/watch/my", fx.Tokens["volunteer"], "")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var kana []string
	for _, part := range strings.Split(body, `"kana":"`)[1:] {
		kana = append(kana, part[:strings.Index(part, `"`)])
	}
	if len(kana) < 2 {
		t.Fatalf("want several targets: %s", body)
	}
	for i := 1; i < len(kana); i++ {
		if kana[i-1] > kana[i] {
			t.Fatalf("not in kana order: %v", kana)
		}
	}
}
