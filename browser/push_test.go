package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/collections"
)

// TestPushSettingsPage: a parent sees 「通知の設定」 on /me/ with their quiet
// hours, stops a category and changes the hours; the root service worker
// registers for the whole site while the watch pages keep their own.
func TestPushSettingsPage(t *testing.T) {
	base, app := siteApp(t)
	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#push-preferences`)),
		waitJS(`document.querySelector("#pref-quietStart").value === "21:00"`),
		waitJS(`!document.querySelector('input[name="receive"][value="event"]').checked`), // opted out in the demo
		waitJS(`document.querySelector("#push-state").textContent.length > 0`),
		chromedp.SetValue(chromedp.CSS(`#pref-quietStart`), "22:00"),
		chromedp.SetValue(chromedp.CSS(`#pref-quietEnd`), "06:00"),
		chromedp.Click(chromedp.CSS(`input[name="receive"][value="nursery"]`)),
		chromedp.Click(chromedp.CSS(`#push-preferences button[type="submit"]`)),
		waitText(`#push-settings .status`, "通知の設定を保存しました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := app.FindFirstRecordByFilter(collections.NotificationPreferences, "owner = {:o}", dbx.Params{"o": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("quietStart") != "22:00" || rec.GetString("quietEnd") != "06:00" || len(rec.GetStringSlice("optOut")) != 2 {
		t.Fatalf("saved preferences = %v %v %v", rec.GetString("quietStart"), rec.GetString("quietEnd"), rec.GetStringSlice("optOut"))
	}
	scopes, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const root = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
		const watch = await navigator.serviceWorker.register("/watch/sw.js", { scope: "/watch/" });
		return new URL(root.scope).pathname + " " + new URL(watch.scope).pathname;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || scopes != "/ /watch/" {
		t.Fatalf("service worker scopes = %q %v", scopes, err)
	}
}

// TestPushSettingsOnStaffHome: staff accounts get the same settings.
func TestPushSettingsOnStaffHome(t *testing.T) {
	base, _ := siteApp(t)
	ctx := browseLong(t)
	a := fx.Accounts["nursery_staff"]
	err := chromedp.Do(ctx,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#push-preferences`)),
		waitJS(`document.querySelector("#pref-quietStart").value === "20:00"`),
		waitText(`#push-settings`, "法定の健診・定期予防接種"),
	)
	if err != nil {
		t.Fatal(err)
	}
}
