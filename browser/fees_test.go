package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFeeEstimatePage: a visitor with no account estimates a month's fee,
// and a bad entry is shown next to its field.
func TestFeeEstimatePage(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	set := func(id, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + jsString(id) + `).value = ` + jsString(v))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/nursery/fees/"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/nursery/fees/"]`)),
		chromedp.WaitVisible(chromedp.ID(`birthDate`)),
		set("birthDate", "2024-09-01"), set("month", "2026-06"), set("incomeTax", "150000"),
		chromedp.Click(chromedp.CSS(`#fee-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`result`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// 1歳児クラス, 所得割 150,000 (C9), 保育標準時間: 38,000円 in Saijo's FY2026 table.
	if facts := text(t, ctx, `#facts`); !strings.Contains(facts, "C9") || !strings.Contains(facts, "38,000円") {
		t.Errorf("result = %q", facts)
	}
	err = chromedp.Do(ctx,
		set("birthDate", "2030-01-01"),
		chromedp.Click(chromedp.CSS(`#fee-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#birthDate[aria-invalid="true"]`)),
	)
	if err != nil {
		t.Fatalf("a future birth date is not marked: %v", err)
	}
}

// TestFeeEstimateAndManualsInChinese: a link shared with ?lang=zh opens the
// public fee estimate in Chinese, result included, and the manuals page says
// its manuals are in Japanese.
func TestFeeEstimateAndManualsInChinese(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	set := func(id, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + jsString(id) + `).value = ` + jsString(v))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/nursery/fees/?lang=zh"),
		waitJS(`document.documentElement.lang === "zh-Hans"`),
		waitText(`main h1`, "保育费估算"),
		waitText(`#fee-form button[type="submit"]`, "计算"),
		set("birthDate", "2024-09-01"), set("month", "2026-06"), set("incomeTax", "150000"),
		chromedp.Click(chromedp.CSS(`#fee-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`result`)),
		waitText(`#facts`, "月保育费"),
		waitText(`#facts`, "38,000日元"),
		chromedp.WaitVisible(chromedp.ID(`server-text-note`)),
	)
	if err != nil {
		t.Fatalf("fee estimate in Chinese: %v", err)
	}
	// The choice was remembered, so the manuals open in Chinese without ?lang.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/manuals/"),
		waitText(`#list-view h1`, "使用手册"),
		chromedp.WaitVisible(chromedp.ID(`japanese-only`)),
		waitText(`#list-note`, "初次使用"),
	)
	if err != nil {
		t.Fatalf("manuals page in Chinese: %v", err)
	}
}
