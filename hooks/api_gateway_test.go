package hooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/testutil"
)

const partnerUsageURL = "/api/lifestage/partner/usage"

// testKey is a well-formed key that tests store the hash of, so scenarios
// can send it in headers written before the app exists.
func testKey(tag string) string { return "lsk_" + tag + "_" + strings.Repeat("q", 52) }

// keyOpts is a test key's settings; the zero value is a valid, unlimited
// key for facilities:read of the demo partner.
type keyOpts struct {
	scopes           []string
	rate             int
	quota            int64
	expires, revoked time.Time
	partner          string // "" is the demo partner
}

func demoPartner(t testing.TB, app core.App) *core.Record {
	p, err := app.FindFirstRecordByData(collections.Partners, "name", seed.DemoPartnerName)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// addKey stores testKey(tag) as a key with the options.
func addKey(t testing.TB, app core.App, tag string, o keyOpts) *core.Record {
	t.Helper()
	if o.partner == "" {
		o.partner = demoPartner(t, app).Id
	}
	if o.scopes == nil {
		o.scopes = []string{"facilities:read"}
	}
	col, _ := app.FindCollectionByNameOrId(collections.APIKeys)
	r := core.NewRecord(col)
	r.Set("partner", o.partner)
	r.Set("label", "テスト "+tag)
	r.Set("prefix", tag)
	r.Set("hash", gateway.Hash(testKey(tag)))
	r.Set("scopes", o.scopes)
	r.Set("rateLimit", o.rate)
	r.Set("monthlyQuota", o.quota)
	if !o.expires.IsZero() {
		r.Set("expiresAt", o.expires)
	}
	if !o.revoked.IsZero() {
		r.Set("revokedAt", o.revoked)
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// addPartner creates another partner.
func addPartner(t testing.TB, app core.App, name string, active bool) *core.Record {
	col, _ := app.FindCollectionByNameOrId(collections.Partners)
	p := core.NewRecord(col)
	p.Set("name", name)
	p.Set("active", active)
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// bindGated adds a route that needs facilities:read and echoes the caller.
func bindGated(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/test/gated/{id}", func(e *core.RequestEvent) error {
			c := hooks.PartnerOf(e)
			return e.JSON(200, map[string]string{"prefix": c.Prefix, "partner": c.PartnerName})
		}).Bind(hooks.RequirePartner("facilities:read"))
		return se.Next()
	})
}

func keyHeader(tag string) map[string]string { return map[string]string{"X-API-Key": testKey(tag)} }

func refusal(code string) []string { return []string{`"code":"` + code + `"`} }

func TestGatewayResponseCodes(t *testing.T) {
	past := time.Now().Add(-time.Minute)
	addKeyBefore := func(tag string, o keyOpts) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			if o.partner == "inactive" {
				o.partner = addPartner(t, app, "停止中の事業者", false).Id
			}
			addKey(t, app, tag, o)
			e.Router.GET("/test/gated/{id}", func(e *core.RequestEvent) error {
				return e.JSON(200, map[string]string{"prefix": hooks.PartnerOf(e).Prefix})
			}).Bind(hooks.RequirePartner("facilities:read"))
		}
	}
	runScenarios(t, []tests.ApiScenario{
		{Name: "no key", Method: http.MethodGet, URL: partnerUsageURL,
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "not a key", Method: http.MethodGet, URL: partnerUsageURL, Headers: map[string]string{"X-API-Key": "Bearer xyz"},
			ExpectedStatus: 401, ExpectedContent: refusal("invalid_key")},
		{Name: "unknown key", Method: http.MethodGet, URL: partnerUsageURL, Headers: keyHeader("unknownk"),
			ExpectedStatus: 401, ExpectedContent: refusal("invalid_key")},
		{Name: "revoked key", Method: http.MethodGet, URL: partnerUsageURL, Headers: keyHeader("revokedk"),
			BeforeTestFunc: addKeyBefore("revokedk", keyOpts{revoked: past}),
			ExpectedStatus: 401, ExpectedContent: refusal("revoked_key")},
		{Name: "expired key", Method: http.MethodGet, URL: partnerUsageURL, Headers: keyHeader("expiredk"),
			BeforeTestFunc: addKeyBefore("expiredk", keyOpts{expires: past}),
			ExpectedStatus: 401, ExpectedContent: refusal("expired_key")},
		{Name: "inactive partner", Method: http.MethodGet, URL: partnerUsageURL, Headers: keyHeader("inactive"),
			BeforeTestFunc: addKeyBefore("inactive", keyOpts{partner: "inactive"}),
			ExpectedStatus: 401, ExpectedContent: refusal("inactive_partner")},
		{Name: "scope not granted", Method: http.MethodGet, URL: "/test/gated/x", Headers: keyHeader("eventson"),
			BeforeTestFunc: addKeyBefore("eventson", keyOpts{scopes: []string{"events:read"}}),
			ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "scope granted", Method: http.MethodGet, URL: "/test/gated/x", Headers: keyHeader("facility"),
			BeforeTestFunc: addKeyBefore("facility", keyOpts{}),
			ExpectedStatus: 200, ExpectedContent: []string{`"prefix":"facility"`}},
		{Name: "usage needs no scope", Method: http.MethodGet, URL: partnerUsageURL, Headers: keyHeader("eventsto"),
			BeforeTestFunc: addKeyBefore("eventsto", keyOpts{scopes: []string{"events:read"}}),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`}},
	})
}

// call sends one request to a handler.
func gwCall(h http.Handler, method, url, key, token, body string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, r)
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func gatewayHandler(t *testing.T) (*tests.TestApp, http.Handler) {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	bindGated(app)
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	return app, h
}

func TestGatewayRateLimit(t *testing.T) {
	app, h := gatewayHandler(t)
	addKey(t, app, "ratelimt", keyOpts{rate: 2})
	key := testKey("ratelimt")
	for i := range 2 {
		if res := gwCall(h, "GET", "/test/gated/1", key, "", ""); res.Code != 200 {
			t.Fatalf("request %d within the limit answered %d %s", i+1, res.Code, res.Body)
		}
	}
	res := gwCall(h, "GET", "/test/gated/1", key, "", "")
	if res.Code != 429 || !strings.Contains(res.Body.String(), `"code":"rate_limited"`) {
		t.Fatalf("over the limit answered %d %s", res.Code, res.Body)
	}
	// 2 per minute: the next token comes in 30 s.
	if ra, _ := strconv.Atoi(res.Header().Get("Retry-After")); ra < 29 || ra > 30 {
		t.Fatalf("Retry-After %q, want about 30", res.Header().Get("Retry-After"))
	}
	// Another key of the same partner has its own bucket.
	addKey(t, app, "otherkey", keyOpts{rate: 2})
	if res := gwCall(h, "GET", "/test/gated/1", testKey("otherkey"), "", ""); res.Code != 200 {
		t.Fatalf("a second key was limited too: %d", res.Code)
	}
}

func TestGatewayQuota(t *testing.T) {
	app, h := gatewayHandler(t)
	k := addKey(t, app, "quotakey", keyOpts{quota: 5})
	now := time.Now()
	// 4 served requests earlier this month (another process, or before a
	// restart); refusals do not count.
	if err := gatewaydb.FlushUsage(app, []gateway.Count{
		{Use: gateway.Use{Key: k.Id, Partner: k.GetString("partner"), Day: gateway.DayOf(now), Endpoint: "GET /x", Status: 200}, N: 3},
		{Use: gateway.Use{Key: k.Id, Partner: k.GetString("partner"), Day: gateway.DayOf(now), Endpoint: "GET /x", Status: 404}, N: 1},
		{Use: gateway.Use{Key: k.Id, Partner: k.GetString("partner"), Day: gateway.DayOf(now), Endpoint: "GET /x", Status: 429}, N: 50},
	}, now); err != nil {
		t.Fatal(err)
	}
	if res := gwCall(h, "GET", "/test/gated/1", testKey("quotakey"), "", ""); res.Code != 200 {
		t.Fatalf("the 5th request of the month answered %d %s", res.Code, res.Body)
	}
	res := gwCall(h, "GET", "/test/gated/1", testKey("quotakey"), "", "")
	if res.Code != 429 || !strings.Contains(res.Body.String(), `"code":"quota_exceeded"`) {
		t.Fatalf("the 6th request answered %d %s", res.Code, res.Body)
	}
	want := gateway.SecondsUntil(now, gateway.NextMonth(now))
	if ra, _ := strconv.Atoi(res.Header().Get("Retry-After")); ra > want || ra < want-60 {
		t.Fatalf("Retry-After %s, want about %d (next month in Tokyo)", res.Header().Get("Retry-After"), want)
	}
}

// usageCount reads a metered count.
func usageCount(t testing.TB, app core.App, keyID, endpoint string, status int) int64 {
	var n int64
	err := app.DB().Select(`COALESCE(SUM("count"), 0)`).From("api_usage").
		Where(dbx.HashExp{"apiKey": keyID, "endpoint": endpoint, "status": status, "day": gateway.DayOf(time.Now())}).Row(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGatewayMetering(t *testing.T) {
	app, h := gatewayHandler(t)
	k := addKey(t, app, "metering", keyOpts{})
	key := testKey("metering")
	for _, id := range []string{"a", "b", "c"} {
		gwCall(h, "GET", "/test/gated/"+id, key, "", "")
	}
	addKey(t, app, "nofacils", keyOpts{scopes: []string{"events:read"}})
	gwCall(h, "GET", "/test/gated/a", testKey("nofacils"), "", "")
	gwCall(h, "GET", "/test/gated/a", "", "", "") // no key: nobody to bill
	if n := usageCount(t, app, k.Id, "GET /test/gated/{id}", 200); n != 0 {
		t.Fatalf("usage written per request (%d) instead of in batches", n)
	}
	if err := hooks.FlushUsage(app); err != nil {
		t.Fatal(err)
	}
	if n := usageCount(t, app, k.Id, "GET /test/gated/{id}", 200); n != 3 {
		t.Fatalf("metered %d uses of the route pattern, want 3", n)
	}
	other, _ := gatewaydb.FindByPrefix(app, "nofacils")
	if n := usageCount(t, app, other.Id, "GET /test/gated/{id}", 403); n != 1 {
		t.Fatalf("metered %d refusals, want 1", n)
	}
	// A second flush adds to the same row.
	gwCall(h, "GET", "/test/gated/d", key, "", "")
	if err := hooks.FlushUsage(app); err != nil {
		t.Fatal(err)
	}
	if n := usageCount(t, app, k.Id, "GET /test/gated/{id}", 200); n != 4 {
		t.Fatalf("after a second flush %d, want 4", n)
	}
	if rec, _ := app.FindRecordById(collections.APIKeys, k.Id); rec.GetDateTime("lastUsedAt").IsZero() {
		t.Fatal("lastUsedAt not stamped")
	}
	// The partner sees its own usage, every key of it, and nobody else's.
	res := gwCall(h, "GET", partnerUsageURL, key, "", "")
	var report struct {
		Total int64 `json:"total"`
		Items []struct {
			Partner, Prefix, Endpoint string
			Status                    int
			Count                     int64
		} `json:"items"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &report); err != nil || res.Code != 200 {
		t.Fatalf("usage answered %d %s", res.Code, res.Body)
	}
	seen := map[string]bool{}
	for _, it := range report.Items {
		if it.Partner != k.GetString("partner") {
			t.Fatalf("a partner sees another partner's usage: %+v", it)
		}
		seen[it.Prefix+" "+it.Endpoint+" "+strconv.Itoa(it.Status)] = true
	}
	for _, want := range []string{"metering GET /test/gated/{id} 200", "nofacils GET /test/gated/{id} 403"} {
		if !seen[want] {
			t.Errorf("usage lacks %q: %v", want, seen)
		}
	}
	stranger := addPartner(t, app, "別の事業者", true)
	addKey(t, app, "stranger", keyOpts{partner: stranger.Id})
	res = gwCall(h, "GET", partnerUsageURL, testKey("stranger"), "", "")
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"items":[]`) {
		t.Fatalf("a new partner should see no usage: %d %s", res.Code, res.Body)
	}
}

// TestGatewayFindsKeysFromOtherProcesses: a key written straight to the
// database (as the CLI does from another process, where no hook of this
// process fires) works at its first use, although an unknown-key answer
// for it may be cached for a few seconds.
func TestGatewayFindsKeysFromOtherProcesses(t *testing.T) {
	app, h := gatewayHandler(t)
	if res := gwCall(h, "GET", "/test/gated/1", testKey("lateissu"), "", ""); res.Code != 401 {
		t.Fatalf("unknown key answered %d", res.Code)
	}
	partner := demoPartner(t, app)
	_, err := app.DB().Insert(collections.APIKeys, dbx.Params{
		"id": "latekey00000001", "partner": partner.Id, "prefix": "lateissu", "hash": gateway.Hash(testKey("otherpro")),
		"scopes": `["facilities:read"]`, "rateLimit": 0, "monthlyQuota": 0,
	}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if res := gwCall(h, "GET", "/test/gated/1", testKey("otherpro"), "", ""); res.Code != 200 {
		t.Fatalf("a key from another process answered %d %s", res.Code, res.Body)
	}
}

func TestGatewayKeyLifecycle(t *testing.T) {
	app, h := gatewayHandler(t)
	ops := fx.Tokens["city_admin"]
	partner := demoPartner(t, app)
	res := gwCall(h, "POST", "/api/lifestage/gateway/partners/"+partner.Id+"/keys", "", ops,
		`{"label":"本番","scopes":["facilities:read","events:read"],"expiresAt":"2099-03-31","rateLimit":120,"monthlyQuota":5000}`)
	var issued struct {
		ID, Prefix, Key, ExpiresAt, Replaces string
		Scopes                               []string
		RateLimit                            int
	}
	if err := json.Unmarshal(res.Body.Bytes(), &issued); err != nil || res.Code != 201 {
		t.Fatalf("issue answered %d %s", res.Code, res.Body)
	}
	if p, ok := gateway.ParseKey(issued.Key); !ok || p != issued.Prefix || issued.RateLimit != 120 || issued.ExpiresAt != "2099-04-01T00:00:00+09:00" {
		t.Fatalf("issued %+v", issued)
	}
	if res.Header().Get("Cache-Control") != "no-store" {
		t.Error("a new key may be cached by the browser")
	}
	// The key is stored only as its hash, and the API never shows either.
	rec, _ := app.FindRecordById(collections.APIKeys, issued.ID)
	if rec.GetString("hash") != gateway.Hash(issued.Key) {
		t.Fatal("stored hash is not the key's")
	}
	for _, f := range rec.Collection().Fields {
		if v := rec.GetString(f.GetName()); strings.Contains(v, issued.Key[13:]) {
			t.Fatalf("the secret is stored in %s", f.GetName())
		}
	}
	view := gwCall(h, "GET", "/api/collections/api_keys/records/"+issued.ID, "", ops, "")
	if view.Code != 200 || strings.Contains(view.Body.String(), issued.Key[13:]) || strings.Contains(view.Body.String(), `"hash"`) {
		t.Fatalf("the key record shows its secret or hash: %s", view.Body)
	}
	// Nor can ops staff write a hash or a prefix of their choosing.
	if res := gwCall(h, "PATCH", "/api/collections/api_keys/records/"+issued.ID, "", ops, `{"prefix":"mine0000"}`); res.Code != 404 {
		t.Fatalf("prefix written through the API: %d", res.Code)
	}
	gwCall(h, "PATCH", "/api/collections/api_keys/records/"+issued.ID, "", ops, `{"hash":"x"}`)
	if rec, _ := app.FindRecordById(collections.APIKeys, issued.ID); rec.GetString("hash") != gateway.Hash(issued.Key) {
		t.Fatal("hash written through the API")
	}

	// Who issued the key is in the audit log, with the fields' names only.
	if n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "api_keys", "record": issued.ID, "action": "create", "actor": fx.IDs["city_admin"]}); n != 1 {
		t.Fatalf("%d audit entries for the issued key, want 1", n)
	}
	// The new key works at once.
	if res := gwCall(h, "GET", "/test/gated/1", issued.Key, "", ""); res.Code != 200 {
		t.Fatalf("new key answered %d %s", res.Code, res.Body)
	}

	// Rotation: a new key with the same settings; the old stops at once.
	res = gwCall(h, "POST", "/api/lifestage/gateway/keys/"+issued.ID+"/rotate", "", ops, "")
	var rotated struct {
		ID, Key, Replaces string
		Scopes            []string
		RateLimit         int
		MonthlyQuota      int64
	}
	if err := json.Unmarshal(res.Body.Bytes(), &rotated); err != nil || res.Code != 201 {
		t.Fatalf("rotate answered %d %s", res.Code, res.Body)
	}
	if rotated.Replaces != issued.ID || rotated.RateLimit != 120 || rotated.MonthlyQuota != 5000 || len(rotated.Scopes) != 2 || rotated.Key == issued.Key {
		t.Fatalf("rotated %+v", rotated)
	}
	if n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "api_keys", "record": issued.ID, "action": "update", "actor": fx.IDs["city_admin"]},
		dbx.Like("fields", "revokedAt")); n != 1 {
		t.Fatalf("%d audit entries for the revocation by rotation, want 1", n)
	}
	if res := gwCall(h, "GET", "/test/gated/1", issued.Key, "", ""); res.Code != 401 || !strings.Contains(res.Body.String(), "revoked_key") {
		t.Fatalf("the rotated-out key answered %d %s", res.Code, res.Body)
	}
	if res := gwCall(h, "GET", "/test/gated/1", rotated.Key, "", ""); res.Code != 200 {
		t.Fatalf("the rotated-in key answered %d", res.Code)
	}
	if res := gwCall(h, "POST", "/api/lifestage/gateway/keys/"+issued.ID+"/rotate", "", ops, ""); res.Code != 400 || !strings.Contains(res.Body.String(), "key_revoked") {
		t.Fatalf("rotating a revoked key answered %d %s", res.Code, res.Body)
	}

	// Revocation stops the key at once, though it was cached.
	res = gwCall(h, "POST", "/api/lifestage/gateway/keys/"+rotated.ID+"/revoke", "", ops, "")
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"revokedAt":"`) {
		t.Fatalf("revoke answered %d %s", res.Code, res.Body)
	}
	if res := gwCall(h, "GET", "/test/gated/1", rotated.Key, "", ""); res.Code != 401 {
		t.Fatalf("the revoked key answered %d", res.Code)
	}
	if res := gwCall(h, "POST", "/api/lifestage/gateway/keys/"+rotated.ID+"/revoke", "", ops, ""); res.Code != 200 {
		t.Fatalf("revoking twice answered %d", res.Code)
	}

	// Deactivating the partner stops its keys at once.
	other, key, err := gatewaydb.Issue(context.Background(), app, partner.Id, gatewaydb.KeySpec{Scopes: []string{"facilities:read"}})
	if err != nil || other == nil {
		t.Fatal(err)
	}
	if res := gwCall(h, "GET", "/test/gated/1", key, "", ""); res.Code != 200 {
		t.Fatalf("key answered %d", res.Code)
	}
	if res := gwCall(h, "PATCH", "/api/collections/partners/records/"+partner.Id, "", ops, `{"active":false}`); res.Code != 200 {
		t.Fatalf("deactivate answered %d %s", res.Code, res.Body)
	}
	if res := gwCall(h, "GET", "/test/gated/1", key, "", ""); res.Code != 401 || !strings.Contains(res.Body.String(), "inactive_partner") {
		t.Fatalf("key of a deactivated partner answered %d %s", res.Code, res.Body)
	}
}

func TestGatewayOpsRoutes(t *testing.T) {
	app := fx.NewApp(t)
	partner := demoPartner(t, app).Id
	key, err := app.FindFirstRecordByFilter(collections.APIKeys, "partner = {:p} && revokedAt = ''", dbx.Params{"p": partner})
	app.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	issueURL := "/api/lifestage/gateway/partners/" + partner + "/keys"
	post := func(name, url, body string, status int, want string) tests.ApiScenario {
		s := tests.ApiScenario{Name: name, Method: "POST", URL: url, Headers: auth("city_admin"), ExpectedStatus: status, ExpectedContent: []string{want}}
		if body != "" {
			s.Body = strings.NewReader(body)
		}
		return s
	}
	get := func(name, url string, status int, want ...string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: "GET", URL: url, Headers: auth("city_admin"), ExpectedStatus: status, ExpectedContent: want}
	}
	scenarios := []tests.ApiScenario{
		get("ops usage of a partner", "/api/lifestage/gateway/usage?partner="+partner, 200,
			`"partnerName":"`+seed.DemoPartnerName+`"`, `"endpoint":"GET /ngsi/v2/entities"`, `"status":429`),
		get("ops usage of no such partner", "/api/lifestage/gateway/usage?partner=nonexistent0000", 200, `"items":[]`, `"total":0`),
		get("bad range", "/api/lifestage/gateway/usage?from=2026-02-01&to=2026-01-01", 400, `"code":"invalid_range"`),
		get("long range", "/api/lifestage/gateway/usage?from=2024-01-01&to=2026-01-01", 400, `"code":"range_too_long"`),
		get("scopes", "/api/lifestage/gateway/scopes", 200, `"scope":"facilities:read"`, `"scope":"personal:read","dataset":"personal","action":"read"`),
		post("issue with defaults", issueURL, `{"scopes":["events:read"]}`, 201, `"rateLimit":60,"monthlyQuota":100000`),
		post("unknown scope", issueURL, `{"scopes":["facilities:write"]}`, 400, `"code":"invalid_scope"`),
		post("no scope", issueURL, `{"label":"x"}`, 400, `"code":"invalid_scope"`),
		post("scopes not a list", issueURL, `{"scopes":"events:read"}`, 400, `"status":400`),
		post("past expiry", issueURL, `{"scopes":["events:read"],"expiresAt":"2020-01-01"}`, 400, `"code":"past_expiry"`),
		post("bad expiry", issueURL, `{"scopes":["events:read"],"expiresAt":"来月"}`, 400, `"code":"invalid_expiry"`),
		post("negative rate", issueURL, `{"scopes":["events:read"],"rateLimit":-1}`, 400, `"code":"invalid_rate"`),
		post("unknown partner", "/api/lifestage/gateway/partners/nonexistent0000/keys", `{"scopes":["events:read"]}`, 404, `"status":404`),
		post("unknown key", "/api/lifestage/gateway/keys/nonexistent0000/rotate", "", 404, `"status":404`),
		{Name: "inactive partner", Method: "POST", URL: "/api/lifestage/gateway/partners/" + partner + "/keys",
			Body: strings.NewReader(`{"scopes":["events:read"]}`), Headers: auth("city_admin"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				p := demoPartner(t, app)
				p.Set("active", false)
				if err := app.Save(p); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"partner_inactive"`}},
	}
	for _, r := range [][3]string{
		{"POST", issueURL, `{"scopes":["events:read"]}`},
		{"POST", "/api/lifestage/gateway/keys/" + key.Id + "/rotate", ""},
		{"POST", "/api/lifestage/gateway/keys/" + key.Id + "/revoke", ""},
		{"GET", "/api/lifestage/gateway/usage", ""},
		{"GET", "/api/lifestage/gateway/scopes", ""},
	} {
		for _, s := range refusedRoles(r[0], r[1], r[2], "city_admin") {
			s.Name = r[0] + " " + r[1] + " " + s.Name
			scenarios = append(scenarios, s)
		}
	}
	runScenarios(t, scenarios)
}

// TestDemoPartnerKey: the demo prints a working key for the public
// datasets at each start, and the one printed before stops working.
func TestDemoPartnerKey(t *testing.T) {
	app, h := gatewayHandler(t)
	first, err := seed.DemoAPIKey(app)
	if err != nil {
		t.Fatal(err)
	}
	res := gwCall(h, "GET", partnerUsageURL, first, "", "")
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"endpoint":"GET /ngsi/v2/entities"`) ||
		!strings.Contains(res.Body.String(), `"rateLimit":60,"monthlyQuota":100000,"month":"`+gateway.Month(time.Now())+`","monthUsed":`) {
		t.Fatalf("demo key answered %d %s", res.Code, res.Body)
	}
	if res := gwCall(h, "GET", "/test/gated/1", first, "", ""); res.Code != 200 {
		t.Fatalf("demo key cannot read facilities: %d", res.Code)
	}
	second, err := seed.DemoAPIKey(app)
	if err != nil || second == first {
		t.Fatal(err)
	}
	if res := gwCall(h, "GET", partnerUsageURL, first, "", ""); res.Code != 401 {
		t.Fatalf("the previous demo key answered %d", res.Code)
	}
	if n, _ := app.CountRecords(collections.APIKeys, dbx.HashExp{"hash": gateway.Hash(second)}); n != 1 {
		t.Fatal("the new demo key is not stored hashed")
	}
}

// TestGatewayFlushesOnTerminate: usage counted in memory is written when
// the app shuts down, not lost.
func TestGatewayFlushesOnTerminate(t *testing.T) {
	app, h := gatewayHandler(t)
	k := addKey(t, app, "shutdown", keyOpts{})
	for range 2 {
		gwCall(h, "GET", "/test/gated/1", testKey("shutdown"), "", "")
	}
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	if n := usageCount(t, app, k.Id, "GET /test/gated/{id}", 200); n != 2 {
		t.Fatalf("after shutdown %d uses written, want 2", n)
	}
}
