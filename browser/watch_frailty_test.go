package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

// TestVolunteerRecordsAChecklist: the demo volunteer opens the screening
// page for one of their targets, answers the 25 items (two of them with
// the risk answer) and sees the server's result.
func TestVolunteerRecordsAChecklist(t *testing.T) {
	base, app := siteApp(t)
	target, err := app.FindFirstRecordByFilter("watch_targets", "volunteer = {:v}", dbx.Params{"v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatal(err)
	}
	ctx := browseLong(t)
	a := fx.Accounts["volunteer"]
	// Every item gets its healthy answer: はい for 1–8, 16 and 19, else いいえ.
	healthy := `for (const fs of document.querySelectorAll('#kihon-items fieldset[data-field^="k"]')) {
		const no = Number(fs.dataset.field.slice(1));
		const yes = [1, 2, 3, 4, 5, 6, 7, 8, 16, 19].includes(no);
		fs.querySelector('input[value="' + (yes ? "yes" : "no") + '"]').checked = true;
	}`
	err = chromedp.Do(ctx,
		loginAs("volunteer", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#account-slot .who`)),
		chromedp.Navigate(base+"/watch/assess/?target="+target.Id),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[data-field="k25"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "watch-assess-form")
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](healthy),
		// 9 転んだ: はい and 21 充実感がない: はい, by tapping.
		chromedp.Click(chromedp.CSS(`fieldset[data-field="k9"] input[value="yes"]`)),
		chromedp.Click(chromedp.CSS(`fieldset[data-field="k21"] input[value="yes"]`)),
		chromedp.SendKeys(chromedp.ID(`heightCm`), "155"),
		chromedp.SendKeys(chromedp.ID(`weightKg`), "50"),
		chromedp.Click(chromedp.CSS(`#assess-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`result`)),
		waitText(`#result-facts`, "健常（2点）"),
		waitText(`#history-rows`, "2点"),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "watch-assess-result")
	if facts := text(t, ctx, `#result-facts`); !strings.Contains(facts, "20.8") || !strings.Contains(facts, "当てはまりません") {
		t.Errorf("result: %q", facts)
	}
	n, _ := app.CountRecords("frailty_assessments", dbx.HashExp{"target": target.Id, "instrument": "kihon", "recordedBy": fx.IDs["volunteer"], "total": 2})
	if n != 1 {
		t.Errorf("%d stored checklists with 2 points", n)
	}
}

// TestCityFrailtyAnalysisPage: 高齢福祉担当 sees the demo's eight people and
// the change table.
func TestCityFrailtyAnalysisPage(t *testing.T) {
	base := site(t)
	ctx := browseLong(t)
	a := fx.Accounts["city_elderly"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#account-slot .who`)),
		chromedp.Navigate(base+"/watch/frailty/"),
		waitText(`#overall`, "8人"),
		waitText(`#changes`, "全体"),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "watch-frailty-analysis")
	for sel, want := range map[string]string{"#by-age": "85歳以上", "#criteria": "② 運動機能の低下", "#kouki": "歩く速度", "#trend": "年度"} {
		if got := text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s lacks %q: %q", sel, want, got)
		}
	}
}
