package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chooseOperation selects the console's operation whose option text starts
// with "METHOD path".
func chooseOperation(methodPath string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById("op");
		const o = [...s.options].find((o) => o.text.startsWith(` + jsString(methodPath+" ") + `));
		s.value = o.value;
		s.dispatchEvent(new Event("change"));
	})()`)
}

// TestDeveloperPortal reads the portal as a guest: datasets and scopes from
// openapi.json, the open data downloads, and the try-it console answering
// for a public route, an open data file and a route that needs a login.
func TestDeveloperPortal(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/developers/"]`)),
		chromedp.Navigate(base+"/developers/"),
		waitText("#datasets tbody", "facilities:read"),
		waitText("#opendata", "子育て施設一覧（CSV）をダウンロード"),
		waitText("#doc-status", "OpenAPI 3.1.0"),
		// The console starts on the public facility list.
		chromedp.Click(chromedp.CSS(`#console button[type="submit"]`)),
		waitText("#result-status", "200"),
		waitText("#result-body", `"items"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "developers")
	for _, want := range []string{"nursery_vacancies:read", "subscriptions:write", "個人"} {
		if got := text(t, ctx, "#datasets"); !strings.Contains(got, want) {
			t.Fatalf("datasets lack %q: %s", want, got)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID(`op-filter`), "opendata"),
		chooseOperation("GET /api/lifestage/opendata/{file}"),
		chromedp.SendKeys(chromedp.ID(`param-0`), "medical-institutions.csv"),
		waitText("#curl", "/api/lifestage/opendata/medical-institutions.csv"),
		chromedp.Click(chromedp.CSS(`#console button[type="submit"]`)),
		waitText("#result-body", "医療機関の種類"),
		waitText("#result-headers", "text/csv"),
	)
	shot(t, ctx, "developers-console")
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		clearInput("op-filter"),
		chromedp.SendKeys(chromedp.ID(`op-filter`), "history"),
		chooseOperation("GET /api/lifestage/me/history"),
		chromedp.Click(chromedp.CSS(`#console button[type="submit"]`)),
		waitText("#result-status", "401"),
	)
	if err != nil {
		t.Fatal(err)
	}
}
