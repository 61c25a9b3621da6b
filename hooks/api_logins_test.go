package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/testutil"
)

type loginResult struct {
	Status int
	Body   string
}

// login posts a password login from the given address.
func loginAs(h http.Handler, collection, identity, password, ip string) loginResult {
	req := httptest.NewRequest(http.MethodPost, "/api/collections/"+collection+"/auth-with-password",
		strings.NewReader(fmt.Sprintf(`{"identity":%q,"password":%q}`, identity, password)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":50000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return loginResult{rec.Code, rec.Body.String()}
}

func handlerFor(t *testing.T) (*tests.TestApp, http.Handler) {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	return app, h
}

func TestLockedAccountRefusesEvenTheRightPassword(t *testing.T) {
	app, h := handlerFor(t)
	a := fx.Accounts["city_child"]
	for i := range 5 {
		if r := loginAs(h, a.Collection, a.Email, "wrong-password-!", "192.0.2.10"); r.Status != 400 {
			t.Fatalf("failure %d answered %d", i+1, r.Status)
		}
	}
	r := loginAs(h, a.Collection, a.Email, a.Password, "192.0.2.11")
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, `"code":"login_locked"`) || !strings.Contains(r.Body, "までログインできません") {
		t.Fatalf("locked account answered %d %s", r.Status, r.Body)
	}
	// Another account is not affected.
	other := fx.Accounts["city_nursery"]
	if r := loginAs(h, other.Collection, other.Email, other.Password, "192.0.2.10"); r.Status != 200 {
		t.Fatalf("another account answered %d %s", r.Status, r.Body)
	}
	// The lockout is in the audit log and raised as a security event that
	// operations staff are told about.
	n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "lockout", "record": fx.IDs["city_child"]})
	if n != 1 {
		t.Fatalf("%d lockout entries", n)
	}
	ev, err := app.FindFirstRecordByFilter("security_events", "kind = 'lockout' && status = 'open'")
	if err != nil {
		t.Fatal("no security event")
	}
	if strings.Contains(ev.GetString("details"), a.Email) {
		t.Fatal("the event must not hold the typed identity")
	}
	notified, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["city_admin"], "kind": "security.lockout"})
	if notified != 1 {
		t.Fatalf("operations staff got %d notifications", notified)
	}
}

func TestOpsNeedsASecondFactor(t *testing.T) {
	app, h := handlerFor(t)
	col, _ := app.FindCollectionByNameOrId("city_staff")
	ops := core.NewRecord(col)
	ops.SetEmail("ops-real@test.lifestage.example")
	ops.SetPassword("a-long-password-1")
	ops.Set("name", "運用 実務")
	ops.Set("department", "ops")
	ops.Set("role", "manager")
	ops.Set("active", true)
	if err := app.Save(ops); err != nil {
		t.Fatal(err)
	}
	if r := loginAs(h, "city_staff", "ops-real@test.lifestage.example", "a-long-password-1", "192.0.2.20"); r.Status != 401 || !strings.Contains(r.Body, `"mfaId"`) {
		t.Fatalf("ops login without a code answered %d %s", r.Status, r.Body)
	}
	// Other departments log in with a password alone; the demo's ops account
	// is relaxed in the demo data dir only.
	for _, role := range []string{"city_child", "city_admin"} {
		a := fx.Accounts[role]
		if r := loginAs(h, a.Collection, a.Email, a.Password, "192.0.2.20"); r.Status != 200 {
			t.Fatalf("%s answered %d %s", role, r.Status, r.Body)
		}
	}
	su, _ := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if !su.MFA.Enabled || su.MFA.Rule != "" || !su.OTP.Enabled {
		t.Fatal("superusers must always need a second factor")
	}
}

func TestPrivilegedPasswordsExpire(t *testing.T) {
	app, h := handlerFor(t)
	old := time.Now().Add(-181 * 24 * time.Hour)
	for _, role := range []string{"city_admin", "city_child"} {
		r := account(t, app, role)
		r.Set("passwordChangedAt", old)
		if err := app.SaveNoValidate(r); err != nil {
			t.Fatal(err)
		}
	}
	admin := fx.Accounts["city_admin"]
	r := loginAs(h, admin.Collection, admin.Email, admin.Password, "192.0.2.30")
	if r.Status != 403 || !strings.Contains(r.Body, `"code":"password_expired"`) {
		t.Fatalf("expired privileged password answered %d %s", r.Status, r.Body)
	}
	child := fx.Accounts["city_child"]
	if r := loginAs(h, child.Collection, child.Email, child.Password, "192.0.2.30"); r.Status != 200 {
		t.Fatalf("a non-privileged account answered %d", r.Status)
	}
	// Changing the password renews it.
	rec := account(t, app, "city_admin")
	rec.SetPassword("a-brand-new-password")
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	if r := loginAs(h, admin.Collection, admin.Email, "a-brand-new-password", "192.0.2.30"); r.Status != 200 {
		t.Fatalf("after a change answered %d %s", r.Status, r.Body)
	}
}

func TestStaffSeeTheirPreviousLogin(t *testing.T) {
	app, h := handlerFor(t)
	a := fx.Accounts["nursery_staff"]
	if r := loginAs(h, a.Collection, a.Email, a.Password, "198.51.100.7"); r.Status != 200 {
		t.Fatal(r.Body)
	}
	first := account(t, app, "nursery_staff").GetDateTime("lastLoginAt")
	r := loginAs(h, a.Collection, a.Email, a.Password, "198.51.100.8")
	if r.Status != 200 {
		t.Fatal(r.Body)
	}
	rec := account(t, app, "nursery_staff")
	if rec.GetString("previousLoginIP") != "198.51.100.7" || !rec.GetDateTime("previousLoginAt").Equal(first) || rec.GetString("lastLoginIP") != "198.51.100.8" {
		t.Fatalf("previous login not kept: %v", rec.PublicExport())
	}
	var body struct {
		Record map[string]any `json:"record"`
	}
	_ = json.Unmarshal([]byte(r.Body), &body)
	if body.Record["lastLoginIP"] != "198.51.100.7" {
		t.Fatalf("the login response should show the previous login, got %v", body.Record["lastLoginIP"])
	}
}

func TestLoginFieldsAreServerOnly(t *testing.T) {
	s := tests.ApiScenario{
		Name: "staff cannot forge their own login history", Method: http.MethodPatch, Headers: auth("city_child"),
		URL: "/api/collections/city_staff/records/" + fx.IDs["city_child"], Body: strings.NewReader(`{"lastLoginIP":"1.2.3.4"}`),
		ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, TestAppFactory: fx.NewApp,
	}
	s.Test(t)
}
