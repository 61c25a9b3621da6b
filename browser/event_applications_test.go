package browser

// イベント・教室の申込: a guest sees the seats and is asked to log in; the
// demo parent applies with a child and an answer, finds it in 申請履歴 and
// cancels it; 子育て staff see the applicants.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
)

// browserEvent adds an open event of one seat that asks for a child and
// the reason for coming.
func browserEvent(t *testing.T, app core.App) *core.Record {
	col, err := app.FindCollectionByNameOrId("events")
	if err != nil {
		t.Fatal(err)
	}
	d := civil.Today().AddDays(9).Time()
	start := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, civil.Tokyo)
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"code": "T-BROWSER", "title": "ブラウザテスト教室", "kind": "class", "place": "テスト会場",
		"startsAt": start.UTC(), "capacity": 1, "onlineApplication": true, "requiresChild": true,
		"applicationOpens": start.AddDate(0, 0, -14).UTC(), "applicationCloses": start.AddDate(0, 0, -1).UTC(),
		"public": true, "published": true,
		"questions": `[{"id":"reason","label":"参加の理由","kind":"choice","required":true,"options":["学びたい","友だちづくり"]}]`,
	})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEventApplicationPages(t *testing.T) {
	base, app := siteApp(t)
	ev := browserEvent(t, app)

	guest := browse(t)
	err := chromedp.Do(guest,
		chromedp.Navigate(base+"/events/"),
		chromedp.WaitVisible(chromedp.CSS(`#event-list li`)),
		waitText(`#event-list`, "一時預かり"),
		waitText(`#event-list`, "キャンセル待ち"),
		chromedp.Navigate(base+"/events/?id="+ev.Id),
		waitText(`#detail h1`, "ブラウザテスト教室"),
		chromedp.WaitVisible(chromedp.CSS(`#apply-body a.btn`)),
	)
	if err != nil {
		t.Fatalf("guest: %v", err)
	}
	if got := text(t, guest, `#apply-body`); !strings.Contains(got, "ログイン") {
		t.Errorf("a guest is not asked to log in: %q", got)
	}
	// The same page in English: static marks and the texts built in JS.
	err = chromedp.Do(guest,
		chromedp.Navigate(base+"/events/?lang=en"),
		waitText(`h1`, "Events and classes"),
		waitText(`#event-list`, "join the waiting list"),
		waitText(`#list-status`, "events found"),
	)
	if err != nil {
		t.Fatalf("English: %v", err)
	}

	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/events/?id="+ev.Id),
		chromedp.WaitVisible(chromedp.ID(`q-reason`)),
		chromedp.SetValue(chromedp.ID(`q-reason`), "学びたい"),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("childId"); if (!s.value) s.selectedIndex = 1; })()`),
		chromedp.Click(chromedp.CSS(`#apply-body button[type="submit"]`)),
		waitText(`#apply-status`, "確定しました"),
		chromedp.WaitVisible(chromedp.CSS(`#apply-body a[href="/me/applications/"]`)),
		chromedp.Navigate(base+"/me/applications/"),
		chromedp.WaitVisible(chromedp.CSS(`#list li`)),
		waitText(`#list`, "ブラウザテスト教室"),
		waitText(`#list`, "キャンセル待ち"), // the demo 一時預かり
	)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	stored, err := app.FindFirstRecordByData("event_applications", "event", ev.Id)
	if err != nil || stored.GetString("status") != "confirmed" || !strings.Contains(stored.GetString("answers"), "学びたい") {
		t.Fatalf("stored application: %v %v", stored, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`#list li:first-child button`)),
		waitText(`#status`, "取り消しました"),
	)
	if err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("申請履歴 scrolls sideways by %dpx on a phone (err %v)", w, err)
	}

	staff := browseLong(t)
	a := fx.Accounts["city_child"]
	err = chromedp.Do(staff,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/child/events/"]`)),
		chromedp.Navigate(base+"/child/events/"),
		chromedp.WaitVisible(chromedp.CSS(`#event-rows tr`)),
		waitText(`#event-rows`, "一時預かり"),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#event-rows tr")].find((r) => r.textContent.includes("一時預かり")).querySelector("button").click()`),
		chromedp.WaitVisible(chromedp.CSS(`#roster-rows tr`)),
		waitText(`#roster-rows`, "キャンセル待ち"),
		waitText(`#roster-rows`, "通院"),
	)
	if err != nil {
		t.Fatalf("staff: %v", err)
	}
}
