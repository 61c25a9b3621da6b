package browser

// The nursery staff's class day (nap checks, staffing ratios, journal) and
// events pages, and the families' events page.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/civil"
)

func TestNurseryClassDay(t *testing.T) {
	base, app := siteApp(t)
	staffRec, err := app.FindRecordById("nursery_staff", fx.IDs["nursery_staff"])
	if err != nil {
		t.Fatal(err)
	}
	nursery := staffRec.GetString("nursery")
	class, err := app.FindFirstRecordByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy} && ageClass = 0",
		dbx.Params{"n": nursery, "fy": civil.FiscalYear(civil.Today())})
	if err != nil {
		t.Fatal(err)
	}
	// Everyone awake to begin with.
	for _, q := range []string{
		"DELETE FROM nap_checks WHERE session IN (SELECT id FROM nap_sessions WHERE date = {:d})",
		"DELETE FROM nap_sessions WHERE date = {:d}",
	} {
		if _, err := app.DB().NewQuery(q).Bind(dbx.Params{"d": civil.Today().String()}).Execute(); err != nil {
			t.Fatal(err)
		}
	}

	ctx := browseLong(t)
	a := fx.Accounts["nursery_staff"]
	err = chromedp.Do(ctx,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/nursery/day/?class="+class.Id),
		chromedp.WaitVisible(chromedp.CSS(`#awake li.awake-row button`)),
		waitText(`#ratio-rows`, class.GetString("name")),
	)
	if err != nil {
		t.Fatalf("class day: %v", err)
	}
	if rule := text(t, ctx, `#nap-rule`); !strings.Contains(rule, "5分ごと") || !strings.Contains(rule, "10分ごと") {
		t.Errorf("nap rule: %q", rule)
	}

	// Put the first child to sleep, find it face down (a baby: alert),
	// then wake it.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#awake li.awake-row button`)),
		chromedp.WaitVisible(chromedp.CSS(`#sleepers li.nap-card`)),
		chromedp.Click(chromedp.CSS(`#sleepers li.nap-card .pos-prone input`)),
		chromedp.Click(chromedp.ID(`check-all`)),
		waitText(`#nap-status`, "1人のチェックを記録しました"),
		waitText(`#nap-alert`, "うつぶせ"),
	)
	if err != nil {
		t.Fatalf("nap check: %v", err)
	}
	check, err := app.FindFirstRecordByFilter("nap_checks", "class = {:c} && checkedBy = {:s}", dbx.Params{"c": class.Id, "s": staffRec.Id})
	if err != nil || check.GetString("position") != "prone" || !check.GetBool("breathingOk") {
		t.Fatalf("the check was not stored as seen: %v %v", check, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#sleepers li.nap-card button')].find((b) => b.textContent === "起きた").click()`),
		waitText(`#nap-status`, "1人が起きました"),
		chromedp.WaitVisible(chromedp.CSS(`#awake li.awake-row`)),
	)
	if err != nil {
		t.Fatalf("wake up: %v", err)
	}

	// Today's journal.
	err = chromedp.Do(ctx,
		waitText(`#journal-facts`, "日誌はまだありません"),
		chromedp.Click(chromedp.CSS(`#weather-choices input[value="cloudy"]`)),
		chromedp.SendKeys(chromedp.ID(`journal-activities`), "園庭で砂あそび"),
		chromedp.Click(chromedp.ID(`journal-save`)),
		waitText(`#journal-status`, "保存しました"),
		waitText(`#journal-facts`, "出席"),
	)
	if err != nil {
		t.Fatalf("journal: %v", err)
	}
	j, err := app.FindFirstRecordByFilter("nursery_journals", "class = {:c} && date = {:d}", dbx.Params{"c": class.Id, "d": civil.Today().String()})
	if err != nil || j.GetString("weather") != "cloudy" || j.GetString("activities") != "園庭で砂あそび" || j.GetString("author") != staffRec.Id {
		t.Fatalf("journal stored: %v %v", j, err)
	}
}

func TestNurseryEventReachesFamilies(t *testing.T) {
	base, _ := siteApp(t)
	title := "テストのいも掘り遠足"
	day := civil.Today().AddDays(12).String()

	staff := browseLong(t)
	a := fx.Accounts["nursery_staff"]
	err := chromedp.Do(staff,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/nursery/events/"),
		chromedp.WaitVisible(chromedp.CSS(`#event-list article`)),
		chromedp.SendKeys(chromedp.ID(`event-title`), title),
		chromedp.SetValue(chromedp.ID(`event-date`), day),
		chromedp.SetValue(chromedp.ID(`event-start`), "09:30"),
		chromedp.SendKeys(chromedp.ID(`event-place`), "市民の森"),
		chromedp.Click(chromedp.ID(`event-save`)),
		waitText(`#form-status`, "下書きとして保存しました"),
		waitText(`#event-list`, title),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#event-list article')].find((a) => a.textContent.includes(`+jsString(title)+`))
			.querySelector('button').click()`),
		waitText(`#page-status`, "公開しました"),
	)
	if err != nil {
		t.Fatalf("staff publish: %v", err)
	}
	if got := text(t, staff, `#page-status`); strings.Contains(got, "通知 0件") {
		t.Errorf("nobody was told: %q", got)
	}

	parent := browseLong(t)
	login(t, parent, base, "parent")
	err = chromedp.Do(parent,
		chromedp.Navigate(base+"/me/events/"),
		waitText(`#event-list`, title),
	)
	if err != nil {
		t.Fatalf("parent sees the event: %v", err)
	}
	if got := text(t, parent, `#event-list`); !strings.Contains(got, "市民の森") {
		t.Errorf("event list: %q", got[:min(200, len(got))])
	}
	other := browseLong(t)
	login(t, other, base, "parent2")
	err = chromedp.Do(other,
		chromedp.Navigate(base+"/me/events/"),
		chromedp.Poll[chromedp.Void](`document.getElementById("event-list").getAttribute("aria-busy") === null`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, other, `#main`); strings.Contains(got, title) {
		t.Error("parent2, whose children are in another nursery, sees the event")
	}
}
