package hooks_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/docs"
)

var manualSystems = []string{"child", "nursery", "watch", "platform"}

// manualEntries are the fragments a list answer holds for these kinds of
// every system.
func manualEntries(kinds ...string) []string {
	var out []string
	for _, s := range manualSystems {
		for _, k := range kinds {
			out = append(out, `"system":"`+s+`","systemLabel":`, `"kind":"`+k+`"`)
		}
	}
	return out
}

func TestManualList(t *testing.T) {
	const url = "/api/lifestage/manuals"
	everyone := append(manualEntries("user", "faq"),
		`{"system":"child","systemLabel":"子育て","kind":"user","kindLabel":"利用者マニュアル","title":"子育て 利用者マニュアル"}`,
		`"kind":"faq","kindLabel":"よくある質問"`)
	scenarios := []tests.ApiScenario{
		{
			Name: "a guest gets the user manuals and FAQs of every system, no admin manual", Method: http.MethodGet, URL: url,
			ExpectedStatus: 200, ExpectedContent: everyone,
			NotExpectedContent: []string{`"kind":"admin"`, `管理者マニュアル`},
		},
		{
			Name: "a citizen gets no admin manual", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: everyone,
			NotExpectedContent: []string{`"kind":"admin"`},
		},
		{
			Name: "city staff get the admin manuals too", Method: http.MethodGet, URL: url, Headers: auth("city_admin"),
			ExpectedStatus: 200, ExpectedContent: append(manualEntries("user", "admin", "faq"), `"kindLabel":"管理者マニュアル"`),
		},
		{
			Name: "a volunteer is staff and gets the admin manuals", Method: http.MethodGet, URL: url, Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: manualEntries("admin"),
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.ExpectedEvents = map[string]int{"*": 0}
		s.Test(t)
	}
}

func TestManualView(t *testing.T) {
	const base = "/api/lifestage/manuals/"
	scenarios := []tests.ApiScenario{
		{
			Name: "a guest reads a user manual", Method: http.MethodGet, URL: base + "child/user",
			ExpectedStatus: 200,
			ExpectedContent: []string{`"system":"child"`, `"kind":"user"`, `"title":"子育て 利用者マニュアル"`,
				`"html":"<h1>子育て 利用者マニュアル</h1>`, `<h2>`,
				// Links between manuals point to the manuals page.
				`href=\"/manuals/?m=platform/user\"`},
			NotExpectedContent: []string{`.md\"`},
		},
		{
			Name: "a guest reads an FAQ", Method: http.MethodGet, URL: base + "watch/faq",
			ExpectedStatus: 200, ExpectedContent: []string{`"kind":"faq"`, `<h1>見守り よくある質問</h1>`},
		},
		{
			Name: "a guest may not read an admin manual", Method: http.MethodGet, URL: base + "child/admin",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`, `職員のアカウントでログインしてください。`},
			NotExpectedContent: []string{`"html"`},
		},
		{
			Name: "a citizen may not read an admin manual", Method: http.MethodGet, URL: base + "child/admin", Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`, `職員の方だけが読めます。`},
			NotExpectedContent: []string{`"html"`},
		},
		{
			Name: "nursery staff read an admin manual", Method: http.MethodGet, URL: base + "nursery/admin", Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"kind":"admin"`, `"html":"<h1>保育 管理者マニュアル</h1>`, `<table>`},
		},
		{
			Name: "city staff read the platform admin manual", Method: http.MethodGet, URL: base + "platform/admin", Headers: auth("city_admin"),
			ExpectedStatus: 200, ExpectedContent: []string{`"title":"データ連携基盤 管理者マニュアル（職員共通・運用管理）"`, `<h1>`},
		},
		{
			Name: "an unknown system is 404 in Japanese", Method: http.MethodGet, URL: base + "taxes/user",
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`, `"message":"マニュアルが見つかりません。"`},
		},
		{
			Name: "an unknown kind is 404 even for staff", Method: http.MethodGet, URL: base + "child/secret", Headers: auth("city_admin"),
			ExpectedStatus: 404, ExpectedContent: []string{`マニュアルが見つかりません。`},
		},
		{
			Name: "no path tricks", Method: http.MethodGet, URL: base + "child/..%2Fadmin",
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.ExpectedEvents = map[string]int{"*": 0}
		s.Test(t)
	}
}

// Every system has the three manuals the spec asks for, each with a title.
func TestManualFilesComplete(t *testing.T) {
	for _, s := range manualSystems {
		for _, k := range []string{"user", "admin", "faq"} {
			if _, err := fs.Stat(docs.Manuals, "manuals/"+s+"/"+k+".md"); err != nil {
				t.Errorf("missing manual %s/%s: %v", s, k, err)
			}
		}
	}
	all, err := docs.Library()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(manualSystems)*3 {
		t.Fatalf("library has %d manuals, want %d", len(all), len(manualSystems)*3)
	}
	for _, m := range all {
		if m.Title == "" || !strings.HasPrefix(m.HTML, "<h1>") {
			t.Errorf("%s/%s must start with a # title", m.System, m.Kind)
		}
		if strings.Contains(m.HTML, `.md"`) {
			t.Errorf("%s/%s links to a Markdown file that is not a manual", m.System, m.Kind)
		}
		// Emphasis next to Japanese punctuation can fail to parse and show
		// its asterisks.
		if strings.Contains(m.HTML, "**") {
			t.Errorf("%s/%s shows a literal ** (unparsed emphasis)", m.System, m.Kind)
		}
	}
	// No stray files that the routes would never serve.
	_ = fs.WalkDir(docs.Manuals, "manuals", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(path, "manuals/"), ".md"), "/")
			if len(parts) != 2 {
				t.Errorf("unexpected file %s", path)
			} else if _, ok, _ := docs.Find(parts[0], parts[1]); !ok {
				t.Errorf("%s is not served", path)
			}
		}
		return nil
	})
}

// Raw HTML and script links in Markdown never reach the page.
func TestManualRenderIsSafe(t *testing.T) {
	src := "# 題名 **太字**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [よくある質問](faq.md) [共通](../platform/user.md)\n"
	title, html, err := docs.Render([]byte(src), "child")
	if err != nil {
		t.Fatal(err)
	}
	if title != "題名 太字" {
		t.Errorf("title = %q", title)
	}
	for _, bad := range []string{"<script", "<img", "javascript:", "onerror"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, html)
		}
	}
	for _, want := range []string{`href="/manuals/?m=child/faq"`, `href="/manuals/?m=platform/user"`} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered HTML lacks %s:\n%s", want, html)
		}
	}
	if _, _, err := docs.Render([]byte("no title\n"), "child"); err == nil {
		t.Error("a manual without a # title must be refused")
	}
}
