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
