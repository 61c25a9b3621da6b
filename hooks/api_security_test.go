package hooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/register"
	"github.com/saijo-dx/lifestage/testutil"
)

func TestOpsStatus(t *testing.T) {
	// The synthetic city, and the people of the demo's register import.
	residents := testutil.Residents + bytes.Count(register.SampleCSV, []byte("\n")) - 1
	scenarios := []tests.ApiScenario{
		{
			Name: "operations staff see counts, backup, audit, size and open events", Method: http.MethodGet,
			URL: "/api/lifestage/ops/status?verify=1", Headers: auth("city_admin"), ExpectedStatus: 200,
			ExpectedContent: []string{`"counts":{`, `"residents":` + strconv.Itoa(residents), `"audit":{`, `"ok":true`, `"databaseBytes":`, `"openSecurityEvents":1`, `"lastBackup":null`},
		},
		{
			Name: "other staff are refused", Method: http.MethodGet, URL: "/api/lifestage/ops/status", Headers: auth("city_child"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "guests must log in", Method: http.MethodGet, URL: "/api/lifestage/ops/status",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestBrokenAuditChainAlertsOperations(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	if err := hooks.VerifyAuditAndAlert(app); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	if _, err := app.DB().NewQuery("UPDATE audit_log SET action = 'view' WHERE seq = 2").Execute(); err != nil {
		t.Fatal(err)
	}
	if err := hooks.VerifyAuditAndAlert(app); err == nil {
		t.Fatal("a broken chain must be reported")
	}
	ev, err := app.FindFirstRecordByFilter("security_events", "kind = 'audit_broken'")
	if err != nil || ev.GetString("severity") != "critical" {
		t.Fatalf("no critical event: %v", err)
	}
	n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["city_admin"], "kind": "security.audit_broken"})
	if n != 1 {
		t.Fatalf("operations got %d notifications", n)
	}
}

func TestDeniedBurstRaisesAnEvent(t *testing.T) {
	app, h := handlerFor(t)
	for range 30 {
		req := httptest.NewRequest(http.MethodGet, "/api/lifestage/ops/status", nil)
		req.Header.Set("Authorization", fx.Tokens["parent"])
		req.RemoteAddr = "203.0.113.77:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("answered %d", rec.Code)
		}
	}
	n, _ := app.CountRecords("security_events", dbx.HashExp{"kind": "denied_burst"})
	if n != 1 {
		t.Fatalf("%d denied-burst events, want 1", n)
	}
}
