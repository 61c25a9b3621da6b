package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/i18n"
	"github.com/saijo-dx/lifestage/notify"
)

func TestCatalogueRoute(t *testing.T) {
	en, err := i18n.BundleFor("en")
	if err != nil {
		t.Fatal(err)
	}
	scenarios := []tests.ApiScenario{
		{Name: "guests read the English catalogue", Method: http.MethodGet, URL: "/api/lifestage/i18n/en",
			ExpectedStatus: 200, ExpectedContent: []string{`"lang":"en"`, `"common.lang.label":"Language"`, `"code":"vi","name":"Tiếng Việt"`}},
		{Name: "easy Japanese is served as Japanese to screen readers", Method: http.MethodGet, URL: "/api/lifestage/i18n/easy-ja",
			ExpectedStatus: 200, ExpectedContent: []string{`"lang":"easy-ja"`, `"htmlLang":"ja"`, `"common.lang.label":"ことば"`}},
		{Name: "an unsupported language is not found", Method: http.MethodGet, URL: "/api/lifestage/i18n/fr",
			ExpectedStatus: 404, ExpectedContent: []string{"対応していません"}},
		{Name: "a current copy is not sent again", Method: http.MethodGet, URL: "/api/lifestage/i18n/en",
			Headers: map[string]string{"If-None-Match": en.ETag}, ExpectedStatus: 304},
		{Name: "gzip when the browser takes it", Method: http.MethodGet, URL: "/api/lifestage/i18n/zh",
			Headers: map[string]string{"Accept-Encoding": "gzip"}, ExpectedStatus: 200,
			NotExpectedContent: []string{"common.lang.label"}, // compressed, so no plain key in the body
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Language") != "zh-Hans" {
					t.Errorf("headers = %v", res.Header)
				}
			}},
		{Name: "a citizen chooses Vietnamese for the account", Method: http.MethodPatch, URL: "/api/collections/users/records/" + fx.IDs["parent"],
			Headers: auth("parent"), Body: strings.NewReader(`{"language":"vi"}`), ExpectedStatus: 200,
			ExpectedContent: []string{`"language":"vi"`}, ExpectedEvents: map[string]int{"OnRecordUpdate": 1}},
		{Name: "a language lifestage lacks is refused", Method: http.MethodPatch, URL: "/api/collections/users/records/" + fx.IDs["parent"],
			Headers: auth("parent"), Body: strings.NewReader(`{"language":"fr"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"language"`}},
		{Name: "nobody sets another citizen's language", Method: http.MethodPatch, URL: "/api/collections/users/records/" + fx.IDs["parent"],
			Headers: auth("parent2"), Body: strings.NewReader(`{"language":"en"}`), ExpectedStatus: 404,
			ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// A notification with a template key is stored in each recipient's language.
func TestNotificationsFollowTheRecipientsLanguage(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	cases := []struct{ language, title, body string }{
		{"", "家族共有が始まりました", "リカさんが陽向さんの記録の共有を受け取りました。"},
		{"en", "Family sharing has started", "リカ accepted the shared records of 陽向."},
		{"vi", "Đã bắt đầu chia sẻ với gia đình", "リカ đã nhận chia sẻ hồ sơ của bé 陽向."},
		{"easy-ja", "かぞくと きろくを 見られるように なりました", "リカさんが 陽向さんの きろくを 見られるように なりました。"},
	}
	for _, c := range cases {
		user, err := app.FindRecordById("users", fx.IDs["parent2"])
		if err != nil {
			t.Fatal(err)
		}
		user.Set("language", c.language)
		if err := app.Save(user); err != nil {
			t.Fatal(err)
		}
		rec, err := notify.Send(app, notify.Message{Recipient: user, Kind: "family.share_accepted", Reason: "lang-" + c.language,
			Key: "notify.family.share_accepted", Vars: map[string]string{"member": "リカ", "child": "陽向"}, Title: "ignored"})
		if err != nil || rec == nil {
			t.Fatalf("%q: send = %v, %v", c.language, rec, err)
		}
		stored, _ := app.FindRecordById("notifications", rec.Id)
		body, err := hooks.FieldKeyring(app).Decrypt(stored.GetString("body"), rec.Id)
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]string{stored.GetString("title"), body}; got != [2]string{c.title, c.body} {
			t.Errorf("%q: stored %q, want %q / %q", c.language, got, c.title, c.body)
		}
	}
}
