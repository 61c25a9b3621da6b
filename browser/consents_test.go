package browser

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/seed"
)

// TestConsentsPage: the demo parent sees the demo grant, grants the demo
// partner the growth records of a child, revokes it, and after the demo
// key reads under the demo grant, finds the read in the access history.
func TestConsentsPage(t *testing.T) {
	base, app := siteApp(t)
	partner, err := app.FindFirstRecordByData(collections.Partners, "name", seed.DemoPartnerName)
	if err != nil {
		t.Fatal(err)
	}
	const purpose = "ブラウザテストの目的"
	mine := `[...document.querySelectorAll("#consent-list li")].find((li) => li.textContent.includes(` + jsString(purpose) + `))`
	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`a[href="/me/consents/"]`)), // the way in from /me/
		chromedp.Navigate(base+"/me/consents/"),
		waitText(`#consent-list`, seed.DemoPartnerName),
		waitText(`#consent-list`, "提供中"),
		chromedp.WaitVisible(chromedp.ID(`grant-form`)),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.SetValue(chromedp.ID(`c-partner`), partner.Id),
		chromedp.WaitVisible(chromedp.CSS(`input[name="scopes"][value="growth:read"]`)),
		chromedp.Click(chromedp.CSS(`input[name="scopes"][value="growth:read"]`)),
		chromedp.SendKeys(chromedp.ID(`c-purpose`), purpose),
		chromedp.Click(chromedp.CSS(`#grant-form button[type="submit"]`)),
		waitText(`#grant-status`, "同意しました"),
		waitJS(`!!(`+mine+`)`),
	)
	shot(t, ctx, "me-consents")
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#main`)))
		t.Fatalf("%v; page: %s", err, got)
	}
	rec, err := app.FindFirstRecordByFilter(collections.PartnerConsents, "purpose = {:p}", dbx.Params{"p": purpose})
	if err != nil || rec.GetString("user") != fx.IDs["parent"] || strings.Join(rec.GetStringSlice("scopes"), ",") != "growth:read" {
		t.Fatalf("grant not stored as asked: %v %v", err, rec)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(`+mine+`).querySelector(".btn-danger").click()`),
		waitJS(`(`+mine+`).textContent.includes("取消済み")`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rec, _ = app.FindRecordById(collections.PartnerConsents, rec.Id); rec.GetDateTime("revokedAt").IsZero() {
		t.Fatal("revoke not stored")
	}
	// The demo partner reads under the demo grant with the demo's key.
	key, err := seed.DemoAPIKey(app)
	if err != nil {
		t.Fatal(err)
	}
	grant, err := app.FindFirstRecordByData(collections.PartnerConsents, "purpose", seed.DemoConsentPurpose)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/lifestage/partner/consents/"+grant.Id+"/growth", nil)
	req.Header.Set("X-API-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("demo partner read: %v %v", err, res)
	}
	res.Body.Close()
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/access/"),
		waitText(`#access-list`, "連携事業者「"+seed.DemoPartnerName+"」"),
	)
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#main`)))
		t.Fatalf("%v; access page: %s", err, got)
	}
}

// TestConsentsNeedVerifiedIdentity: an account without the card check sees
// why it cannot grant, and no form.
func TestConsentsNeedVerifiedIdentity(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "grandparent")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/consents/"),
		waitText(`#identity-state`, "マイナンバーカードによる本人確認が必要です"),
	)
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("grant-form").hidden`))
	if err != nil || !hidden {
		t.Fatalf("grant form shown to an unverified account (%v)", err)
	}
}
