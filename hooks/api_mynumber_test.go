package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/mynumber"
	"github.com/saijo-dx/lifestage/mynumber/mynumbertest"
	"github.com/saijo-dx/lifestage/testutil"
)

var cardHolder = mynumbertest.Person{
	Subject: "pairwise-7f3a", Name: "西条 みらい", Address: "愛媛県西条市明屋敷164",
	Birthdate: "1992-08-15", Gender: "female",
}

// cardWorld is lifestage served over HTTP next to an in-test OpenID
// provider standing in for デジタル認証アプリ, and a browser with cookies.
type cardWorld struct {
	app     *tests.TestApp
	site    *httptest.Server
	idp     *mynumbertest.Provider
	browser *http.Client
	landed  *url.URL // where lifestage last sent the browser (our pages)
}

func newCardWorld(t *testing.T) *cardWorld {
	t.Helper()
	w := &cardWorld{app: fx.NewApp(t)}
	t.Cleanup(w.app.Cleanup)
	h, err := testutil.Handler(w.app)
	if err != nil {
		t.Fatal(err)
	}
	w.site = httptest.NewServer(h)
	t.Cleanup(w.site.Close)
	w.idp = mynumbertest.Start(t)
	callback := w.site.URL + "/api/lifestage/auth/mynumber/callback"
	w.idp.AllowRedirect(callback)
	w.idp.LogInAs(cardHolder)
	t.Setenv(mynumber.EnvIssuer, w.idp.Issuer)
	t.Setenv(mynumber.EnvClientID, w.idp.ClientID)
	t.Setenv(mynumber.EnvKeyFile, w.idp.KeyFile)
	t.Setenv(mynumber.EnvKeyID, w.idp.KeyID)
	t.Setenv(mynumber.EnvRedirectURL, callback)
	jar, _ := cookiejar.New(nil)
	w.browser = &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		// Stop when lifestage hands the browser to one of its pages.
		if r.URL.Host == strings.TrimPrefix(w.site.URL, "http://") && !strings.HasPrefix(r.URL.Path, "/api/") {
			w.landed = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return w
}

// visit makes a top-level GET as the browser, following redirects.
func (w *cardWorld) visit(t *testing.T, u string) reply {
	t.Helper()
	w.landed = nil
	res, err := w.browser.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, string(b), res.Header.Get("Content-Type")}
}

// post sends JSON as the browser (cookies included).
func (w *cardWorld) post(t *testing.T, path, token, body string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.site.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := w.browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, string(b), res.Header.Get("Content-Type")}
}

// login runs the card login up to the page and returns the ticket.
func (w *cardWorld) login(t *testing.T) string {
	t.Helper()
	r := w.visit(t, w.site.URL+"/api/lifestage/auth/mynumber/start")
	if w.landed == nil || w.landed.Path != "/login/" || !strings.HasPrefix(w.landed.Fragment, "mynumber=") {
		t.Fatalf("login did not land on /login/#mynumber=…: %d %s (landed %v)", r.Status, r.Body, w.landed)
	}
	return strings.TrimPrefix(w.landed.Fragment, "mynumber=")
}

func (w *cardWorld) cardAccounts(t *testing.T) []*core.Record {
	t.Helper()
	recs, err := w.app.FindAllRecords("users")
	if err != nil {
		t.Fatal(err)
	}
	var out []*core.Record
	hash := mynumber.SubjectHash(w.idp.Issuer, cardHolder.Subject)
	for _, r := range recs {
		if r.GetString("jpkiSubject") == hash {
			out = append(out, r)
		}
	}
	return out
}

func TestMyNumberLoginCreatesVerifiedAccount(t *testing.T) {
	w := newCardWorld(t)
	ticket := w.login(t)
	if w.idp.Assertions() != 1 {
		t.Fatalf("the provider verified %d client assertions, want 1", w.idp.Assertions())
	}
	r := w.post(t, "/api/lifestage/auth/mynumber/token", "", `{"ticket":"`+ticket+`"}`)
	expect(t, "token", r, 200, `"token":"`, `"name":"西条 みらい"`, `"identityVerifiedMethod":"jpki"`, `"identityLevel":3`,
		`"birthDate":"1992-08-15"`, `"sex":"female"`, `"address":"愛媛県西条市明屋敷164"`)
	if strings.Contains(r.Body, "jpkiSubject") || strings.Contains(r.Body, cardHolder.Subject) {
		t.Fatalf("the card link must never leave the server: %s", r.Body)
	}
	var auth struct{ Token string }
	json.Unmarshal([]byte(r.Body), &auth)
	if rec, err := w.app.FindAuthRecordByToken(auth.Token, core.TokenTypeAuth); err != nil || rec.GetString("identityVerifiedAt") == "" {
		t.Fatalf("the token must authenticate the verified account: %v", err)
	}
	expect(t, "ticket reused", w.post(t, "/api/lifestage/auth/mynumber/token", "", `{"ticket":"`+ticket+`"}`), 400, `"code":"invalid_ticket"`)

	// A second login with the same card lands on the same account.
	ticket = w.login(t)
	expect(t, "second login", w.post(t, "/api/lifestage/auth/mynumber/token", "", `{"ticket":"`+ticket+`"}`), 200, `"token":"`)
	if n := len(w.cardAccounts(t)); n != 1 {
		t.Fatalf("%d accounts for one card, want 1", n)
	}
}

func TestMyNumberCallbackRefusals(t *testing.T) {
	w := newCardWorld(t)
	callback := w.site.URL + "/api/lifestage/auth/mynumber/callback"

	// Capture a real callback URL (code and state) without following it.
	var captured *url.URL
	plain := &http.Client{Jar: w.browser.Jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), callback) {
			captured = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := plain.Get(w.site.URL + "/api/lifestage/auth/mynumber/start")
	if err != nil || captured == nil {
		t.Fatalf("no callback captured: %v", err)
	}
	res.Body.Close()
	code := captured.Query().Get("code")

	wrong := callback + "?code=" + url.QueryEscape(code) + "&state=not-the-state"
	expect(t, "wrong state", w.visit(t, wrong), 400, `"code":"invalid_state"`)

	// The browser without the cookie that started the login (login CSRF).
	stranger := &http.Client{}
	sr, _ := stranger.Get(captured.String())
	if sr.StatusCode != 400 {
		t.Fatalf("callback from another browser: %d, want 400", sr.StatusCode)
	}
	sr.Body.Close()

	// The wrong-state attempt consumed nothing: the real callback works…
	if w.visit(t, captured.String()); w.landed == nil || w.landed.Path != "/login/" {
		t.Fatalf("the genuine callback failed")
	}
	// …once. Replaying it finds no pending login.
	expect(t, "replayed callback", w.visit(t, captured.String()), 400, `"code":"invalid_state"`)

	// A fresh login presenting the old code: the provider refuses it.
	captured = nil
	res, _ = plain.Get(w.site.URL + "/api/lifestage/auth/mynumber/start")
	res.Body.Close()
	replay := callback + "?code=" + url.QueryEscape(code) + "&state=" + url.QueryEscape(captured.Query().Get("state"))
	expect(t, "replayed code", w.visit(t, replay), 400, `"code":"code_rejected"`)

	// A browser asking for HTML gets a page, not JSON.
	req, _ := http.NewRequest(http.MethodGet, callback+"?code=x&state=y", nil)
	req.Header.Set("Accept", "text/html")
	hr, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(hr.Body)
	hr.Body.Close()
	if hr.StatusCode != 400 || !strings.Contains(string(b), "ログインできませんでした") || !strings.Contains(string(b), "invalid_state") {
		t.Fatalf("HTML error page: %d %s", hr.StatusCode, b)
	}
	if n := len(w.cardAccounts(t)); n != 1 {
		t.Fatalf("%d card accounts, want the one genuine login", n)
	}
}

func TestMyNumberBadNonce(t *testing.T) {
	w := newCardWorld(t)
	w.idp.TamperNonce(true)
	r := w.visit(t, w.site.URL+"/api/lifestage/auth/mynumber/start")
	expect(t, "forged nonce", r, 400, `"code":"invalid_nonce"`)
	if n := len(w.cardAccounts(t)); n != 0 {
		t.Fatalf("a login with a bad nonce made %d accounts", n)
	}
}

func TestMyNumberLinkToExistingAccount(t *testing.T) {
	w := newCardWorld(t)
	r := w.post(t, "/api/lifestage/auth/mynumber/link", fx.Tokens["grandparent"], "")
	expect(t, "link", r, 200, `"url":"`)
	var link struct{ URL string }
	json.Unmarshal([]byte(r.Body), &link)
	w.visit(t, link.URL)
	if w.landed == nil || w.landed.Path != "/me/" {
		t.Fatalf("link should land on /me/: %v", w.landed)
	}
	me, _ := w.app.FindRecordById("users", fx.IDs["grandparent"])
	if me.GetString("identityVerifiedMethod") != "jpki" || me.GetString("name") != cardHolder.Name ||
		me.GetString("jpkiSubject") != mynumber.SubjectHash(w.idp.Issuer, cardHolder.Subject) {
		t.Fatalf("grandparent not verified: %v", me.PublicExport())
	}

	// The same card cannot be linked to a second account.
	r = w.post(t, "/api/lifestage/auth/mynumber/link", fx.Tokens["family"], "")
	json.Unmarshal([]byte(r.Body), &link)
	expect(t, "card in use", w.visit(t, link.URL), 409, `"code":"card_in_use"`)
	other, _ := w.app.FindRecordById("users", fx.IDs["family"])
	if other.GetString("identityVerifiedMethod") != "" {
		t.Fatal("the second account must stay unverified")
	}

	expect(t, "link needs a citizen", w.post(t, "/api/lifestage/auth/mynumber/link", fx.Tokens["city_child"], ""), 403)
	expect(t, "link needs a login", w.post(t, "/api/lifestage/auth/mynumber/link", "", ""), 401)
}

func TestMyNumberOffAndUnavailable(t *testing.T) {
	h := func(t *testing.T) http.Handler {
		app := fx.NewApp(t)
		t.Cleanup(app.Cleanup)
		handler, err := testutil.Handler(app)
		if err != nil {
			t.Fatal(err)
		}
		return handler
	}
	t.Run("off by default", func(t *testing.T) {
		t.Setenv(mynumber.EnvIssuer, "")
		handler := h(t)
		expect(t, "status", call(handler, "GET", "/api/lifestage/auth/mynumber/status", "", ""), 200, `"enabled":false`)
		expect(t, "start", call(handler, "GET", "/api/lifestage/auth/mynumber/start", "", ""), 503, `"code":"mynumber_disabled"`)
		expect(t, "callback", call(handler, "GET", "/api/lifestage/auth/mynumber/callback?code=x&state=y", "", ""), 503, `"code":"mynumber_disabled"`)
		expect(t, "token", call(handler, "POST", "/api/lifestage/auth/mynumber/token", "", `{"ticket":"x"}`), 503, `"code":"mynumber_disabled"`)
		expect(t, "link", call(handler, "POST", "/api/lifestage/auth/mynumber/link", fx.Tokens["parent"], ""), 503, `"code":"mynumber_disabled"`)
	})
	t.Run("provider unreachable", func(t *testing.T) {
		idp := mynumbertest.Start(t)
		t.Setenv(mynumber.EnvIssuer, "http://127.0.0.1:1")
		t.Setenv(mynumber.EnvClientID, "c")
		t.Setenv(mynumber.EnvKeyFile, idp.KeyFile)
		t.Setenv(mynumber.EnvRedirectURL, "http://127.0.0.1:2/cb")
		handler := h(t)
		expect(t, "status", call(handler, "GET", "/api/lifestage/auth/mynumber/status", "", ""), 200, `"enabled":true`)
		expect(t, "start", call(handler, "GET", "/api/lifestage/auth/mynumber/start", "", ""), 503, `"code":"provider_unavailable"`)
	})
}

func TestIdentityFieldsAreServerOnly(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name: "citizen cannot mark themself verified", Method: http.MethodPatch,
			URL: "/api/collections/users/records/" + fx.IDs["grandparent"], Headers: auth("grandparent"),
			Body: strings.NewReader(`{"identityVerifiedMethod":"jpki","identityLevel":3}`), ExpectedStatus: 404,
			ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "citizen cannot set the card link", Method: http.MethodPatch,
			URL: "/api/collections/users/records/" + fx.IDs["grandparent"], Headers: auth("grandparent"),
			// PocketBase drops hidden fields from a non-superuser's body.
			Body: strings.NewReader(`{"jpkiSubject":"x"}`), ExpectedStatus: 200, NotExpectedContent: []string{"jpkiSubject"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if me, _ := app.FindRecordById("users", fx.IDs["grandparent"]); me.GetString("jpkiSubject") != "" {
					t.Fatal("the card link was written through the API")
				}
			},
		},
		{
			Name: "ops cannot set a verified identity either", Method: http.MethodPatch,
			URL: "/api/collections/users/records/" + fx.IDs["grandparent"], Headers: auth("city_admin"),
			Body: strings.NewReader(`{"birthDate":"1950-01-01"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "sign-up cannot claim a verified identity", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           strings.NewReader(`{"email":"claim@test.lifestage.example","password":"long-enough-1","passwordConfirm":"long-enough-1","identityLevel":3}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
		},
		{
			Name: "the verified citizen sees their identity but not the card link", Method: http.MethodGet,
			URL: "/api/collections/users/records/" + fx.IDs["parent"], Headers: auth("parent"), ExpectedStatus: 200,
			ExpectedContent: []string{`"identityVerifiedMethod":"jpki"`, `"identityLevel":3`}, NotExpectedContent: []string{"jpkiSubject"},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
