package browser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

// TestWatchRegisterPage: 高齢福祉担当 imports an extract with a bad row,
// sees the row reported, picks a candidate of the demo's sample extract and
// makes them a watch target of the demo volunteer.
func TestWatchRegisterPage(t *testing.T) {
	base, app := siteApp(t)
	hana, err := app.FindFirstRecordByFilter("residents", "familyName = '見本' && givenName = 'ハナ'")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "juki.csv")
	csv := "世帯番号,氏名,カナ,生年月日,性別,住所,地区,続柄\n" +
		"8700001,画面 トヨ,ガメン トヨ,S13.8.1,女,愛媛県西条市大町1,大町,世帯主\n" +
		"8700002,画面 誤記,,昭和99年1月1日,男,愛媛県西条市大町2,大町,世帯主\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browseLong(t)
	a := fx.Accounts["city_elderly"]
	err = chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/watch/register/"),
		chromedp.WaitVisible(chromedp.ID(`import-form`)),
		waitJS(`document.getElementById("candidates").getAttribute("aria-busy") === "false"`),
		chromedp.SetUploadFiles(chromedp.ID(`import-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`#import-form button[type="submit"]`)),
		waitText(`#import-errors`, "生年月日「昭和99年1月1日」を読み取れません"),
		waitText(`#import-facts`, "1人"),
	)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	shot(t, ctx, "watch-register-import")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID(`filter-area`), hana.GetString("area")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("filter-area").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.CSS(`#candidates input[value="`+hana.Id+`"]`)),
		chromedp.Click(chromedp.CSS(`#candidates input[value="`+hana.Id+`"]`)),
		waitText(`#selected-count`, "見本 ハナ"),
		chromedp.SetValue(chromedp.ID(`consentStatus`), "consented"),
		chromedp.SetValue(chromedp.ID(`volunteer`), fx.IDs["volunteer"]),
		chromedp.Click(chromedp.CSS(`#confirm-form button[type="submit"]`)),
		waitText(`#confirm-status`, "1人を見守り対象者にしました"),
		waitJS(`!document.querySelector('#candidates input[value="`+hana.Id+`"]')`),
	)
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	target, err := app.FindFirstRecordByFilter("watch_targets", "resident = {:r}", dbx.Params{"r": hana.Id})
	if err != nil || target.GetString("volunteer") != fx.IDs["volunteer"] || target.GetString("consentStatus") != "consented" || target.GetInt("tokenVersion") != 1 {
		t.Fatalf("target %v %v", err, target)
	}
}
