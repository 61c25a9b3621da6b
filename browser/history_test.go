package browser

// 登録履歴: the demo parent's entries, newest first, page after page.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestHistoryPage(t *testing.T) {
	base, app := siteApp(t)
	own, err := app.FindFirstRecordByFilter("children", "guardians ~ {:p}", map[string]any{"p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	ctx := browse(t)
	login(t, ctx, base, "parent")
	count := `document.querySelectorAll("#history-list > li").length`
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/me/history/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#history-list > li`)),
		chromedp.WaitVisible(chromedp.ID(`history-more`)),
	)
	if err != nil {
		t.Fatalf("open the history: %v", err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[int](count))
	if err != nil || first != 20 {
		t.Fatalf("first page has %d entries, want 20 (err %v)", first, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`history-more`)),
		chromedp.Poll[chromedp.Void](count+` > 20`),
		waitText(`#history-status`, "追加で表示しました"),
	)
	if err != nil {
		t.Fatalf("next page: %v", err)
	}
	all := text(t, ctx, `#history-list`)
	for _, want := range []string{own.GetString("givenName"), "予診票", "記録: "} {
		if !strings.Contains(all, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("page scrolls sideways by %dpx on a phone (err %v)", w, err)
	}

	// Another household sees none of it.
	other := browse(t)
	login(t, other, base, "parent2")
	err = chromedp.Do(other,
		chromedp.Navigate(base+"/me/history/"),
		chromedp.WaitVisible(chromedp.CSS(`#history-list > li`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, other, `#history-list`); strings.Contains(got, own.GetString("familyName")+" "+own.GetString("givenName")) {
		t.Errorf("parent2's history shows the parent's child")
	}
}
