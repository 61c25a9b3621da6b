package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/testutil"
)

// childOf returns the first child the role is guardian of.
func childOf(t testing.TB, app core.App, role string) *core.Record {
	c, err := app.FindFirstRecordByFilter("children", "guardians:each ?= {:p}", map[string]any{"p": fx.IDs[role]})
	if err != nil {
		t.Fatalf("%s has no child: %v", role, err)
	}
	return c
}

// sharedChild returns the child the demo grandparent can view.
func sharedChild(t testing.TB, app core.App) *core.Record {
	c, err := app.FindFirstRecordByFilter("children", "familyViewers:each ?= {:g}", map[string]any{"g": fx.IDs["grandparent"]})
	if err != nil {
		t.Fatalf("no shared child: %v", err)
	}
	return c
}

func shareOfGrandparent(t testing.TB, app core.App) *core.Record {
	s, err := app.FindFirstRecordByFilter("family_shares", "member = {:g}", map[string]any{"g": fx.IDs["grandparent"]})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// canView asks the real view rule whether the role may see the record now.
func canView(t testing.TB, app core.App, role string, rec *core.Record) bool {
	auth, err := app.FindRecordById(fx.Accounts[role].Collection, fx.IDs[role])
	if err != nil {
		t.Fatal(err)
	}
	ok, err := app.CanAccessRecord(rec, &core.RequestInfo{Auth: auth}, rec.Collection().ViewRule)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func auth(role string) map[string]string { return map[string]string{"Authorization": fx.Tokens[role]} }

func TestFamilyInvite(t *testing.T) {
	app := fx.NewApp(t)
	parentChild := childOf(t, app, "parent")
	shared := sharedChild(t, app)
	app.Cleanup()
	url := func(id string) string { return "/api/lifestage/family/children/" + id + "/shares" }

	scenarios := []tests.ApiScenario{
		{
			Name: "guardian invites with a one-time code", Method: http.MethodPost, URL: url(parentChild.Id),
			Body: strings.NewReader(`{"scope":"manage","label":"父"}`), Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"code":"`, `"scope":"manage"`, `"inviteUrl":"/me/share/?code=`},
			NotExpectedContent: []string{`codeHash`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, _ := app.CountRecords("family_shares", dbx.HashExp{"child": parentChild.Id, "status": "pending"})
				if n != 1 {
					t.Fatalf("pending shares = %d, want 1", n)
				}
			},
		},
		{
			Name: "a viewer cannot invite", Method: http.MethodPost, URL: url(shared.Id),
			Body: strings.NewReader(`{"scope":"view"}`), Headers: auth("grandparent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "another household gets 404", Method: http.MethodPost, URL: url(parentChild.Id),
			Body: strings.NewReader(`{"scope":"view"}`), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "staff cannot use the citizen route", Method: http.MethodPost, URL: url(parentChild.Id),
			Body: strings.NewReader(`{"scope":"view"}`), Headers: auth("city_child"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "anonymous gets 401", Method: http.MethodPost, URL: url(parentChild.Id),
			Body:           strings.NewReader(`{"scope":"view"}`),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "unknown scope is a field error", Method: http.MethodPost, URL: url(parentChild.Id),
			Body: strings.NewReader(`{"scope":"everything"}`), Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"scope":{"code":"invalid_scope","message":"共有の範囲は`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestFamilyAccept(t *testing.T) {
	app := fx.NewApp(t)
	parent2Child := childOf(t, app, "parent2")
	app.Cleanup()
	const url = "/api/lifestage/family/shares/accept"
	code := `{"code":"` + testutil.PendingShareCode + `"}`

	scenarios := []tests.ApiScenario{
		{
			Name: "accepting grants the scope at once and tells the guardian", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(code), Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"scope":"manage"`, `"id":"` + parent2Child.Id + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				child, _ := app.FindRecordById("children", parent2Child.Id)
				if !slices.Contains(child.GetStringSlice("familyManagers"), fx.IDs["parent"]) {
					t.Fatal("parent is not a manager of the child")
				}
				if !canView(t, app, "parent", child) {
					t.Fatal("the view rule does not let the new member in")
				}
				share, _ := app.FindFirstRecordByFilter("family_shares", "child = {:c}", map[string]any{"c": parent2Child.Id})
				if share.GetString("codeHash") != "" || share.GetString("status") != "active" {
					t.Fatal("the code must be single use and the share active")
				}
				n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["parent2"], "kind": "family.share_accepted"})
				if n != 1 {
					t.Fatalf("guardian notifications = %d, want 1", n)
				}
			},
		},
		{
			Name: "codes are case and hyphen insensitive", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(`{"code":"test code 2222"}`), Headers: auth("family"),
			ExpectedStatus: 200, ExpectedContent: []string{`"scope":"manage"`},
		},
		{
			Name: "a wrong code is a field error", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(`{"code":"AAAA-BBBB-CCCC"}`), Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":{"code":"invalid_code"`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "the guardian cannot accept their own invitation", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(code), Headers: auth("parent2"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":{"code":"own_invitation"`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "an expired code is refused", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(code), Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				share, err := app.FindFirstRecordByFilter("family_shares", "status = 'pending'")
				if err != nil {
					t.Fatal(err)
				}
				share.Set("expiresAt", time.Now().Add(-time.Minute))
				if err := app.Save(share); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"code":{"code":"expired"`},
		},
		{
			Name: "staff cannot accept", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(code), Headers: auth("nursery_staff"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "duplicate JSON keys are rejected", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(`{"code":"x","code":"y"}`), Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":{"code":"required"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestFamilyRevoke(t *testing.T) {
	app := fx.NewApp(t)
	share := shareOfGrandparent(t, app)
	child := sharedChild(t, app)
	app.Cleanup()
	url := "/api/lifestage/family/shares/" + share.Id + "/revoke"
	revokedAtOnce := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		c, _ := app.FindRecordById("children", child.Id)
		if len(c.GetStringSlice("familyViewers")) != 0 || canView(t, app, "grandparent", c) {
			t.Fatal("the grandparent still sees the child after revoking")
		}
	}

	scenarios := []tests.ApiScenario{
		{
			Name: "guardian revokes and access ends at once", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"revoked"`}, AfterTestFunc: revokedAtOnce,
		},
		{
			Name: "the member can leave", Method: http.MethodPost, URL: url, Headers: auth("grandparent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"revoked"`}, AfterTestFunc: revokedAtOnce,
		},
		{
			Name: "another household cannot see the share", Method: http.MethodPost, URL: url, Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "revoking twice is a field error", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				s, _ := app.FindRecordById("family_shares", share.Id)
				s.Set("status", "revoked")
				if err := app.Save(s); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"already_revoked"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestFamilyInvitationsAreCapped(t *testing.T) {
	app := fx.NewApp(t)
	child := childOf(t, app, "parent")
	app.Cleanup()
	s := tests.ApiScenario{
		Name: "an eleventh open invitation is refused", Method: http.MethodPost,
		URL: "/api/lifestage/family/children/" + child.Id + "/shares", Headers: auth("parent"),
		Body: strings.NewReader(`{"scope":"view"}`),
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			col, _ := app.FindCollectionByNameOrId("family_shares")
			for range 10 {
				r := core.NewRecord(col)
				r.Set("child", child.Id)
				r.Set("grantedBy", fx.IDs["parent"])
				r.Set("scope", "view")
				r.Set("status", "pending")
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			}
		},
		ExpectedStatus: 400, ExpectedContent: []string{`"scope":{"code":"too_many_invitations"`},
		TestAppFactory: fx.NewApp,
	}
	s.Test(t)
}

// TestFamilyCodeIsSingleUseUnderRace sends the same code from two citizens at
// once: exactly one of them gets the share.
func TestFamilyCodeIsSingleUseUnderRace(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	codes := make(chan int, 2)
	for _, role := range []string{"parent", "family"} {
		go func() {
			req := httptest.NewRequest(http.MethodPost, "/api/lifestage/family/shares/accept",
				strings.NewReader(`{"code":"`+testutil.PendingShareCode+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", fx.Tokens[role])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
	}
	got := []int{<-codes, <-codes}
	slices.Sort(got)
	if !slices.Equal(got, []int{200, 400}) {
		t.Fatalf("answers %v, want one 200 and one 400", got)
	}
	n, _ := app.CountRecords("family_shares", dbx.HashExp{"status": "active", "grantedBy": fx.IDs["parent2"]})
	if n != 1 {
		t.Fatalf("%d active shares from one code", n)
	}
}
