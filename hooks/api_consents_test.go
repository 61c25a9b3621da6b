package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/seed"
)

const (
	myConsentsURL      = "/api/lifestage/me/consents"
	partnerConsentsURL = "/api/lifestage/partner/consents"

	// Fixed ids, so scenario URLs can name consents made in BeforeTestFunc.
	consentActive  = "cnsactive000001"
	consentRevoked = "cnsrevoked00001"
	consentExpired = "cnsexpired00001"
	consentPending = "cnspending00001"
	consentOwnData = "cnsowndata00001"
	otherPartner   = "他社テスト株式会社"
)

// consentWorld is what the partner scenarios read: keys with and without
// the broker's scope, another partner's key, and the parent's grants to the
// demo partner in every state, about the youngest child (given a growth
// record and an immunization) or the parent's own data.
func consentWorld(t testing.TB, app core.App) {
	t.Helper()
	addKey(t, app, "personal", keyOpts{scopes: []string{"personal:read"}})
	addKey(t, app, "publicsc", keyOpts{scopes: []string{"facilities:read"}})
	other := addPartner(t, app, otherPartner, true)
	addKey(t, app, "otherprt", keyOpts{scopes: []string{"personal:read"}, partner: other.Id})
	child := youngestChild(t, app, "parent")
	partner := demoPartner(t, app).Id
	today := civil.Today()
	for _, c := range []struct {
		id, child  string
		scopes     []string
		from, till civil.Date
		revoked    bool
	}{
		{consentActive, child.Id, []string{"immunizations:read", "growth:read"}, today.AddDays(-1), today.AddDays(30), false},
		{consentRevoked, child.Id, []string{"immunizations:read"}, today.AddDays(-10), today.AddDays(30), true},
		{consentExpired, child.Id, []string{"immunizations:read"}, today.AddDays(-40), today.AddDays(-1), false},
		{consentPending, child.Id, []string{"immunizations:read"}, today.AddDays(1), today.AddDays(30), false},
		{consentOwnData, "", []string{"prenatal_checkups:read"}, today, today.AddDays(30), false},
	} {
		col, _ := app.FindCollectionByNameOrId(collections.PartnerConsents)
		r := core.NewRecord(col)
		r.Id = c.id
		r.Set("user", fx.IDs["parent"])
		r.Set("child", c.child)
		r.Set("partner", partner)
		r.Set("purpose", "テストの目的")
		r.Set("scopes", c.scopes)
		r.Set("validFrom", c.from.String())
		r.Set("validUntil", c.till.String())
		r.Set("grantedAt", time.Now().Add(-time.Hour))
		if c.revoked {
			r.Set("revokedAt", time.Now().Add(-time.Minute))
		}
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	save := func(collection string, data map[string]any) {
		col, _ := app.FindCollectionByNameOrId(collection)
		r := core.NewRecord(col)
		r.Load(data)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	save("immunizations", map[string]any{"child": child.Id, "vaccine": "hib", "dose": 1, "date": today.AddDays(-3).String(),
		"lot": "LOT-SECRET-77", "status": "completed", "source": "clinic"})
	save("immunizations", map[string]any{"child": child.Id, "vaccine": "hib", "dose": 2, "date": "1999-12-31",
		"status": "entered_in_error", "source": "parent"})
}

// partnerReads counts the audited partner reads under a consent.
func partnerReads(t testing.TB, app core.App, consent, subject string) int {
	t.Helper()
	n, err := app.CountRecords("audit_log", dbx.HashExp{"actorCollection": collections.APIKeys, "actorRole": "partner", "action": "view",
		"record": consent, "subject": subject})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestConsentPartnerReads(t *testing.T) {
	before := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) { consentWorld(t, app) }
	readURL := func(id, dataset string) string { return partnerConsentsURL + "/" + id + "/" + dataset }
	audited := func(consent string, want int) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if got := partnerReads(t, app, consent, youngestChild(t, app, "parent").Id); got != want {
				t.Fatalf("partner reads audited: %d, want %d", got, want)
			}
		}
	}
	runScenarios(t, []tests.ApiScenario{
		{Name: "no key", Method: http.MethodGet, URL: readURL(consentActive, "immunizations"), BeforeTestFunc: before,
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key"), AfterTestFunc: audited(consentActive, 0)},
		{Name: "a resident's login is not a key", Method: http.MethodGet, URL: readURL(consentActive, "immunizations"), BeforeTestFunc: before,
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "key without the broker's scope", Method: http.MethodGet, URL: readURL(consentActive, "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("publicsc"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied"), AfterTestFunc: audited(consentActive, 0)},
		{Name: "active consent: minimised, pseudonymous, audited", Method: http.MethodGet, URL: readURL(consentActive, "immunizations"),
			BeforeTestFunc: before, Headers: keyHeader("personal"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"consent":"` + consentActive + `"`, `"dataset":"immunizations"`, `"subject":"ps-`, `"vaccine":"hib"`, `"dose":1`},
			NotExpectedContent: []string{"LOT-SECRET-77", "1999-12-31", "familyName", `"child"`, `"source"`},
			AfterTestFunc:      audited(consentActive, 1)},
		{Name: "dataset not consented", Method: http.MethodGet, URL: readURL(consentActive, "checkups"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("scope_not_consented"), AfterTestFunc: audited(consentActive, 0)},
		{Name: "unknown dataset", Method: http.MethodGet, URL: readURL(consentActive, "allergies"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("unknown_dataset")},
		{Name: "revoked consent", Method: http.MethodGet, URL: readURL(consentRevoked, "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("consent_revoked"), AfterTestFunc: audited(consentRevoked, 0)},
		{Name: "expired consent", Method: http.MethodGet, URL: readURL(consentExpired, "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("consent_expired"), AfterTestFunc: audited(consentExpired, 0)},
		{Name: "consent not started", Method: http.MethodGet, URL: readURL(consentPending, "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("consent_not_started")},
		{Name: "another partner cannot use the consent", Method: http.MethodGet, URL: readURL(consentActive, "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("otherprt"), ExpectedStatus: 403, ExpectedContent: refusal("no_consent"), AfterTestFunc: audited(consentActive, 0)},
		{Name: "unknown consent", Method: http.MethodGet, URL: readURL("nosuchconsent01", "immunizations"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 403, ExpectedContent: refusal("no_consent")},
		{Name: "resident's own data", Method: http.MethodGet, URL: readURL(consentOwnData, "prenatal_checkups"), BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 200, ExpectedContent: []string{`"dataset":"prenatal_checkups"`, `"items":[`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if got := partnerReads(t, app, consentOwnData, fx.IDs["parent"]); got != 1 {
					t.Fatalf("read of own data audited %d times", got)
				}
			}},
		{Name: "partner lists its grants in force, without names", Method: http.MethodGet, URL: partnerConsentsURL, BeforeTestFunc: before,
			Headers: keyHeader("personal"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"id":"` + consentActive + `"`, `"id":"` + consentOwnData + `"`, `"subjectKind":"child"`, `"subjectKind":"self"`, `"subject":"ps-`},
			NotExpectedContent: []string{consentRevoked, consentExpired, consentPending, "familyName", fx.IDs["parent"]}},
		{Name: "another partner does not see them", Method: http.MethodGet, URL: partnerConsentsURL, BeforeTestFunc: before,
			Headers: keyHeader("otherprt"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		{Name: "partner list needs the scope", Method: http.MethodGet, URL: partnerConsentsURL, BeforeTestFunc: before,
			Headers: keyHeader("publicsc"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
	})
}

func TestConsentGrant(t *testing.T) {
	body := func(t testing.TB, app core.App, role, partner string, scopes string, extra string) string {
		if partner == "" {
			partner = demoPartner(t, app).Id
		}
		child := ""
		if role != "" {
			child = `"child":"` + youngestChild(t, app, role).Id + `",`
		}
		return `{` + child + `"partner":"` + partner + `","purpose":"予防接種の予定の通知","scopes":[` + scopes + `]` + extra + `}`
	}
	type grantCase struct {
		name    string
		caller  string // fx role, "" for a guest
		owner   string // whose youngest child the body names; "" for own data
		partner func(testing.TB, core.App) string
		scopes  string
		extra   string
		prep    func(testing.TB, core.App)
		status  int
		want    []string
	}
	verify := func(role string) func(testing.TB, core.App) {
		return func(t testing.TB, app core.App) {
			u, _ := app.FindRecordById(collections.Users, fx.IDs[role])
			u.Set("identityVerifiedMethod", collections.IdentityMethodJPKI)
			u.Set("identityLevel", collections.IdentityLevelCard)
			if err := app.Save(u); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []grantCase{
		{name: "guest", owner: "parent", scopes: `"growth:read"`, status: 401},
		{name: "verified guardian", caller: "parent", owner: "parent", scopes: `"growth:read","immunizations:read"`, extra: `,"validUntil":"` + civil.Today().AddDays(90).String() + `"`,
			status: 201, want: []string{`"state":"active"`, `"partnerName":"` + seed.DemoPartnerName + `"`, `"scopes":["immunizations:read","growth:read"]`,
				`"validFrom":"` + civil.Today().String() + `"`, `"childName":`}},
		{name: "own data", caller: "parent", scopes: `"prenatal_checkups:read"`, status: 201, want: []string{`"state":"active"`}},
		{name: "not verified", caller: "grandparent", owner: "parent", scopes: `"growth:read"`, status: 403, want: []string{`"code":"identity_not_verified"`}},
		{name: "view share cannot consent for the child", caller: "grandparent", owner: "parent", scopes: `"growth:read"`, prep: verify("grandparent"),
			status: 403, want: []string{`"code":"child_not_managed"`}},
		{name: "another family's child", caller: "parent", owner: "parent2", scopes: `"growth:read"`, status: 404},
		{name: "public scope", caller: "parent", owner: "parent", scopes: `"facilities:read"`, status: 400, want: []string{`"code":"invalid_scope"`}},
		{name: "child data without a child", caller: "parent", scopes: `"growth:read"`, status: 400, want: []string{`"code":"scope_needs_child"`}},
		{name: "too long", caller: "parent", owner: "parent", scopes: `"growth:read"`, extra: `,"validUntil":"` + civil.Today().AddDays(400).String() + `"`,
			status: 400, want: []string{`"code":"invalid_period"`}},
		{name: "suspended partner", caller: "parent", owner: "parent", scopes: `"growth:read"`,
			partner: func(t testing.TB, app core.App) string { return addPartner(t, app, "停止中の事業者", false).Id },
			status:  400, want: []string{`"code":"unknown_partner"`}},
		{name: "city staff", caller: "city_admin", owner: "parent", scopes: `"growth:read"`, status: 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app, h := handlerFor(t)
			if c.prep != nil {
				c.prep(t, app)
			}
			partner := ""
			if c.partner != nil {
				partner = c.partner(t, app)
			}
			r := call(h, http.MethodPost, myConsentsURL, fx.Tokens[c.caller], body(t, app, c.owner, partner, c.scopes, c.extra))
			expect(t, c.name, r, c.status, c.want...)
			n, _ := app.CountRecords(collections.PartnerConsents, dbx.HashExp{"purpose": "予防接種の予定の通知"})
			if (c.status == 201) != (n == 1) {
				t.Fatalf("%d grants stored", n)
			}
		})
	}
}

// callKey calls a partner route with an API key.
func callKey(h http.Handler, url, tag string) reply {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("X-API-Key", testKey(tag))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return reply{rec.Code, rec.Body.String(), rec.Header().Get("Content-Type")}
}

// TestConsentGrantReadRevoke follows one grant: the resident grants, the
// partner reads, the resident sees the read and the receipt, revokes, and
// the partner's next read is refused.
func TestConsentGrantReadRevoke(t *testing.T) {
	app, h := handlerFor(t)
	consentWorld(t, app)
	child := youngestChild(t, app, "parent")
	grant := call(h, http.MethodPost, myConsentsURL, fx.Tokens["parent"],
		`{"child":"`+child.Id+`","partner":"`+demoPartner(t, app).Id+`","purpose":"成長曲線の表示","scopes":["growth:read"]}`)
	expect(t, "grant", grant, 201, `"state":"active"`)
	id, _ := grant.json(t)["id"].(string)
	read := partnerConsentsURL + "/" + id + "/growth"

	expect(t, "partner reads", callKey(h, read, "personal"), 200, `"dataset":"growth"`)
	expect(t, "resident sees the read", call(h, http.MethodGet, "/api/lifestage/me/access-log", fx.Tokens["parent"], ""), 200,
		`"collection":"growth_measurements","record":"`+id+`","subject":"`+child.Id+`","actorKind":"api_keys","actorRole":"partner","actorName":"`+seed.DemoPartnerName+`"`)
	other := call(h, http.MethodGet, "/api/lifestage/me/access-log", fx.Tokens["parent2"], "")
	expect(t, "another resident's access log", other, 200)
	if strings.Contains(other.Body, id) {
		t.Fatal("parent2 sees parent's partner read")
	}

	mine := call(h, http.MethodGet, myConsentsURL, fx.Tokens["parent"], "")
	expect(t, "resident lists every state", mine, 200, `"id":"`+id+`"`, `"id":"`+consentRevoked+`","`, `"state":"revoked"`, `"state":"expired"`, `"state":"pending"`)
	if strings.Contains(call(h, http.MethodGet, myConsentsURL, fx.Tokens["parent2"], "").Body, id) {
		t.Fatal("parent2 sees parent's grant")
	}
	expect(t, "collection API hides it from others", call(h, http.MethodGet, "/api/collections/partner_consents/records/"+id, fx.Tokens["parent2"], ""), 404)

	receipt := call(h, http.MethodGet, myConsentsURL+"/"+id+"/receipt", fx.Tokens["parent"], "")
	expect(t, "receipt", receipt, 200, `"consentReceiptID":"`+id+`"`, `"jurisdiction":"JP"`, `"thirdPartyName":"`+seed.DemoPartnerName+`"`,
		`"purpose":"成長曲線の表示"`, `"state":"active"`, `"piiPrincipalId":"ps-`)
	if !strings.HasPrefix(receipt.Type, "application/json") {
		t.Fatalf("receipt content type %q", receipt.Type)
	}
	var shape map[string]any
	if err := json.Unmarshal([]byte(receipt.Body), &shape); err != nil || shape["version"] != "KI-CR-v1.1.0" {
		t.Fatalf("receipt: %v %s", err, receipt.Body)
	}
	for _, leak := range []string{fx.IDs["parent"], child.Id, child.GetString("givenName")} {
		if strings.Contains(receipt.Body, leak) {
			t.Fatalf("receipt names %s", leak)
		}
	}
	expect(t, "receipt is the owner's", call(h, http.MethodGet, myConsentsURL+"/"+id+"/receipt", fx.Tokens["parent2"], ""), 404)

	expect(t, "another resident cannot revoke", call(h, http.MethodPost, myConsentsURL+"/"+id+"/revoke", fx.Tokens["parent2"], ""), 404)
	expect(t, "revoke", call(h, http.MethodPost, myConsentsURL+"/"+id+"/revoke", fx.Tokens["parent"], ""), 200, `"state":"revoked"`, `"revokedAt":"`)
	expect(t, "refused at once", callKey(h, read, "personal"), 403, `"code":"consent_revoked"`)
	expect(t, "revoke twice", call(h, http.MethodPost, myConsentsURL+"/"+id+"/revoke", fx.Tokens["parent"], ""), 400, `"code":"already_revoked"`)
	expect(t, "receipt records the withdrawal", call(h, http.MethodGet, myConsentsURL+"/"+id+"/receipt", fx.Tokens["parent"], ""), 200,
		`"state":"revoked"`, `{"type":"withdrawn","at":"`)
	stored, _ := app.FindRecordById(collections.PartnerConsents, id)
	if !strings.Contains(stored.GetString("receipt"), `"type":"withdrawn"`) {
		t.Fatalf("stored receipt not updated: %s", stored.GetString("receipt"))
	}
}

func TestConsentOptions(t *testing.T) {
	runScenarios(t, []tests.ApiScenario{
		{Name: "public list of partner names and datasets", Method: http.MethodGet, URL: "/api/lifestage/consents/options",
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"name":"` + seed.DemoPartnerName + `"`, `"scope":"immunizations:read"`, `"subject":"self"`},
			NotExpectedContent: []string{"利用停止中", "contactEmail", "contactName", "note"}},
	})
}
