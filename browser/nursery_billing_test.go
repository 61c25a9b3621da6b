package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/reports"
)

// demoInvoice is a demo family's invoice of the month the demo billed.
func demoInvoice(t *testing.T, app core.App, role string) *core.Record {
	t.Helper()
	u, err := app.FindRecordById("users", fx.IDs[role])
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.FindFirstRecordByFilter("invoices", "household = {:h} && month = {:m}",
		dbx.Params{"h": u.GetString("household"), "m": reports.LastCompleted(time.Now()).String()})
	if err != nil {
		t.Fatalf("no %s invoice in the demo", role)
	}
	return r
}

func TestFamilyOpensTheirInvoice(t *testing.T) {
	base, app := siteApp(t)
	inv := demoInvoice(t, app, "parent")
	ctx := browse(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/me/invoices/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#invoices-list li`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	listed := text(t, ctx, `#invoices-list`)
	for _, want := range []string{"分", inv.GetString("nurseryName"), "発行済"} {
		if !strings.Contains(listed, want) {
			t.Errorf("the list lacks %q: %q", want, listed)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#invoices-list a.btn`)),
		chromedp.WaitVisible(chromedp.ID(`invoice`)),
		chromedp.WaitVisible(chromedp.ID(`print`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	page := text(t, ctx, `#invoice`)
	for _, want := range []string{"請求書", inv.GetString("addressee") + " 様", "内訳", "保育料", "合計", "口座振替", "口座振替日: 翌月27日（デモ）"} {
		if !strings.Contains(page, want) {
			t.Errorf("the invoice lacks %q: %q", want, page[:min(500, len(page))])
		}
	}
	if strings.Contains(page, "確認事項") && !strings.Contains(page, "職員のみ") {
		t.Error("staff checks shown to the family")
	}
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("warnings").hidden`)); !hidden {
		t.Error("the staff checks are visible to the family")
	}
}

func TestDraftInvoicesStayHidden(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "parent2")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/invoices/"),
		chromedp.WaitVisible(chromedp.ID(`invoices-empty`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestBillingPageForStaff(t *testing.T) {
	base, app := siteApp(t)
	mine := demoInvoice(t, app, "parent")
	draft := demoInvoice(t, app, "parent2")
	month := draft.GetString("month")

	// 保育担当 reruns parent2's nursery: nothing changes.
	ctx := browse(t)
	city := fx.Accounts["city_nursery"]
	err := chromedp.Do(ctx,
		loginAs("city", city.Email, city.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems`)),
		chromedp.Navigate(base+"/nursery/billing/?month="+month+"&nursery="+draft.GetString("nursery")),
		chromedp.WaitVisible(chromedp.CSS(`#invoice-list li`)),
		chromedp.WaitVisible(chromedp.ID(`run`)),
		chromedp.Click(chromedp.ID(`run`)),
		waitText(`#billing-status`, "計算しました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#billing-status`); !strings.Contains(got, "新規 0件・更新 0件") {
		t.Errorf("a rerun changed invoices: %q", got)
	}
	if got := text(t, ctx, `#invoice-list`); !strings.Contains(got, draft.GetString("addressee")) || !strings.Contains(got, "下書き") {
		t.Errorf("parent2's draft is not listed: %q", got)
	}

	// The demo nursery's staff see their own nursery only, and no run.
	ctx = browse(t)
	staff := fx.Accounts["nursery_staff"]
	err = chromedp.Do(ctx,
		loginAs("nursery", staff.Email, staff.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems`)),
		chromedp.Navigate(base+"/nursery/billing/?month="+month),
		chromedp.WaitVisible(chromedp.CSS(`#invoice-list li`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, ctx, `#invoice-list`)
	if !strings.Contains(got, mine.GetString("addressee")) || strings.Contains(got, draft.GetString("addressee")+" 様") {
		t.Errorf("the nursery's list: %q", got[:min(400, len(got))])
	}
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("city-actions").hidden`)); !hidden {
		t.Error("nursery staff are offered the city's run")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#invoice-list a.btn`)),
		chromedp.WaitVisible(chromedp.ID(`invoice`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if page := text(t, ctx, `#invoice`); !strings.Contains(page, "請求書") || !strings.Contains(page, "内訳") {
		t.Errorf("staff invoice page: %q", page[:min(300, len(page))])
	}
}
