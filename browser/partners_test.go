package browser

// The partners and API keys page (/staff/ops/partners/): the demo partner's
// keys and usage, issuing a key shown once with a copy button, rotating and
// revoking it, and the refusal for other staff.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/seed"
)

func TestPartnersPage(t *testing.T) {
	base, app := siteApp(t)
	ctx := browseLong(t)
	a := fx.Accounts["city_admin"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/staff/ops/partners/"]`)),
		chromedp.Navigate(base+"/staff/ops/partners/"),
		waitText(`#partners`, seed.DemoPartnerName),
		waitText(`#partners`, "停止中"),
		waitText(`#partners`, "施設（子育て施設・医療機関・公共施設）（読み取り）"),
	)
	if err != nil {
		t.Fatal(err)
	}

	// Register a partner, then issue it a key.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID(`partner-name`), "ブラウザテスト株式会社"),
		chromedp.SendKeys(chromedp.ID(`partner-email`), "dev@test.lifestage.example"),
		chromedp.Click(chromedp.CSS(`#partner-form button[type="submit"]`)),
		waitText(`#partner-status`, "登録しました"),
		waitText(`#partners`, "ブラウザテスト株式会社"),
		chromedp.Evaluate[chromedp.Void](`(() => {
			const art = [...document.querySelectorAll("#partners article")].find((a) => a.textContent.includes("ブラウザテスト株式会社"));
			art.querySelector('input[name="label"]').value = "本番";
			art.querySelector('input[value="events:read"]').click();
			art.querySelector('.key-form button[type="submit"]').click();
		})()`),
		chromedp.WaitVisible(chromedp.ID(`issued`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	key, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(`issued-key`)))
	if err != nil {
		t.Fatal(err)
	}
	prefix, ok := gateway.ParseKey(key)
	if !ok {
		t.Fatalf("the page shows %q, not a key", key)
	}
	rec, err := app.FindFirstRecordByData("api_keys", "prefix", prefix)
	if err != nil || rec.GetString("hash") != gateway.Hash(key) {
		t.Fatalf("issued key not stored as its hash: %v", err)
	}
	if got := text(t, ctx, `#partners`); !strings.Contains(got, prefix) || strings.Contains(got, key) {
		t.Fatalf("the list must show the prefix and never the key: %q", got)
	}

	// Closing the box forgets the key; rotating shows the new one once.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`issued-close`)),
		waitJS(`document.getElementById("issued").hidden && document.getElementById("issued-key").value === ""`),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#partners .key")].find((k) => k.textContent.includes(`+jsString(prefix)+`)).querySelector("button").click()`),
		chromedp.WaitVisible(chromedp.ID(`issued`)),
		waitText(`#issued-facts`, "は失効"),
	)
	if err != nil {
		t.Fatal(err)
	}
	newKey, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID(`issued-key`)))
	newPrefix, ok := gateway.ParseKey(newKey)
	if !ok || newKey == key {
		t.Fatalf("rotation showed %q", newKey)
	}
	if old, _ := app.FindFirstRecordByData("api_keys", "prefix", prefix); old.GetDateTime("revokedAt").IsZero() {
		t.Fatal("rotation left the old key working")
	}

	// Revoke the new key; then the usage table.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`issued-close`)),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#partners .key")].find((k) => k.textContent.includes(`+jsString(newPrefix)+`)).querySelector(".btn-danger").click()`),
		waitText(`#partners-status`, "失効させました"),
		chromedp.Click(chromedp.CSS(`#usage-form button[type="submit"]`)),
		waitText(`#usage-rows`, "GET /ngsi/v2/entities"),
		waitText(`#usage-caption`, "合計"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := app.FindFirstRecordByData("api_keys", "prefix", newPrefix); cur.GetDateTime("revokedAt").IsZero() {
		t.Fatal("revoke did not stick")
	}
}

func TestPartnersPageRefusesOtherStaff(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	a := fx.Accounts["city_child"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#systems`); strings.Contains(got, "APIキー") {
		t.Errorf("city_child sees the partners menu entry")
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/staff/ops/partners/"),
		chromedp.WaitVisible(chromedp.ID(`denied`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}
