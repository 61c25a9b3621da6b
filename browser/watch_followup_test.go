package browser

// 見守りの実施状況 (/watch/) updating live, and the family's view (/me/watch/).

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

// request sends one JSON request to the site and decodes the answer.
func request(t *testing.T, method, u, token, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("%s %s: %d", method, u, res.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWatchLiveView(t *testing.T) {
	base, app := siteApp(t)
	target, err := app.FindFirstRecordByFilter("watch_targets", "volunteer = {:v}", dbx.Params{"v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatal(err)
	}
	resident, _ := app.FindRecordById("residents", target.GetString("resident"))
	name := resident.GetString("familyName") + " " + resident.GetString("givenName")
	ctx := browseLong(t)
	a := fx.Accounts["city_elderly"]
	err = chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.ID(`systems`)),
		chromedp.Navigate(base+"/watch/"),
		chromedp.WaitVisible(chromedp.CSS(`#recent tr`)),
		chromedp.WaitVisible(chromedp.CSS(`#escalations tr`)),
		waitText(`#live-state`, "自動更新中"),
	)
	if err != nil {
		t.Fatalf("open /watch/: %v", err)
	}
	if got := text(t, ctx, `#areas`); !strings.Contains(got, "全体") || !strings.Contains(got, "%") {
		t.Errorf("coverage table %q", got)
	}
	if got := text(t, ctx, `#escalations`); !strings.Contains(got, "第2段階") {
		t.Errorf("the demo's late visit is not shown at step 2: %q", got)
	}

	// A volunteer reports a concern: it appears without a reload, flagged.
	var qr struct{ URL string }
	request(t, http.MethodGet, base+"/api/lifestage/watch/targets/"+target.Id+"/qr.json", fx.Tokens["city_elderly"], "", &qr)
	u, _ := url.Parse(qr.URL)
	body, _ := json.Marshal(map[string]any{"token": u.Query().Get("t"), "status": "concern", "answers": map[string]string{"health": "concern"}})
	request(t, http.MethodPost, base+"/api/lifestage/watch/checkin", fx.Tokens["volunteer"], string(body), nil)
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#alerts`)),
		waitText(`#alert-list`, name),
		chromedp.WaitVisible(chromedp.CSS(`#recent tr.is-concern.is-new`)),
	)
	if err != nil {
		t.Fatalf("the concern did not arrive live: %v", err)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("page scrolls sideways by %dpx on a phone (err %v)", w, err)
	}
}

func TestWatchFamilyPage(t *testing.T) {
	base, app := siteApp(t)
	consent, err := app.FindFirstRecordByData("watch_family_consents", "user", fx.IDs["family"])
	if err != nil {
		t.Fatal(err)
	}
	ctx := browse(t)
	a := fx.Accounts["family"]
	err = chromedp.Do(ctx,
		loginAs("citizen", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.ID(`watch-link`)),
		chromedp.Click(chromedp.CSS(`#watch-link a`)),
		chromedp.WaitVisible(chromedp.CSS(`#targets li`)),
	)
	if err != nil {
		t.Fatalf("family view: %v", err)
	}
	got := text(t, ctx, `#targets`)
	if !strings.Contains(got, "元気") || strings.Contains(got, "協力員 ") {
		t.Errorf("family view %q", got)
	}
	if n, _ := app.CountRecords("audit_log", dbx.HashExp{"actor": fx.IDs["family"], "action": "view", "record": consent.GetString("target")}); n != 1 {
		t.Errorf("%d audited views, want 1", n)
	}

	// A citizen without a consent gets no link.
	other := browse(t)
	p := fx.Accounts["parent"]
	err = chromedp.Do(other,
		loginAs("citizen", p.Email, p.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#children-list h3`)),
		chromedp.WaitReady(chromedp.CSS(`#watch-link[data-checked]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if hidden, err := chromedp.Run(other, chromedp.Evaluate[bool](`document.getElementById("watch-link").hidden`)); err != nil || !hidden {
		t.Errorf("the parent is offered the watch link (err %v)", err)
	}
}
