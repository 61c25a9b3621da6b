package browser

// 子育て相談: a resident picks a nickname (once) and asks; a 保健師 answers
// from the staff page; the resident sees the answer with the badge. A guest
// reads the list in English.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

func TestQANicknameQuestionAndStaffAnswer(t *testing.T) {
	base, app := siteApp(t)
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	u := core.NewRecord(users)
	u.SetEmail("qa-browser@test.lifestage.example")
	u.SetPassword("long-enough-password")
	u.Set("name", "相談 テスト")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}

	parent := browseLong(t)
	err = chromedp.Do(parent,
		loginAs("citizen", "qa-browser@test.lifestage.example", "long-enough-password", base),
		chromedp.WaitVisible(chromedp.ID(`children-empty`)),
		chromedp.Navigate(base+"/qa/ask/"),
		chromedp.WaitVisible(chromedp.ID(`nick-form`)),
		waitText(`#nick-section`, "一度決めると変更できません"),
		chromedp.SendKeys(chromedp.ID(`nickname`), "ゆずママ"),
		chromedp.Click(chromedp.CSS(`#nick-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`ask-form`)),
		waitText(`#my-nickname`, "ゆずママ"),
		chromedp.SendKeys(chromedp.ID(`title`), "卒乳の時期について"),
		chromedp.SetValue(chromedp.ID(`category`), "feeding"),
		chromedp.SendKeys(chromedp.ID(`body`), "1歳2か月です。いつごろ卒乳すればよいでしょうか。"),
		chromedp.Click(chromedp.CSS(`#ask-form button[type="submit"]`)),
		waitText(`#ask-status`, "質問を公開しました"),
	)
	if err != nil {
		t.Fatalf("nickname and question: %v", err)
	}
	thread, err := app.FindFirstRecordByData("qa_threads", "title", "卒乳の時期について")
	if err != nil {
		t.Fatal(err)
	}
	if thread.GetString("nickname") != "ゆずママ" {
		t.Fatalf("thread nickname %q", thread.GetString("nickname"))
	}

	staff := browseLong(t)
	a := fx.Accounts["city_child"]
	err = chromedp.Do(staff,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/child/qa/"]`)),
		chromedp.Navigate(base+"/child/qa/"),
		chromedp.WaitVisible(chromedp.CSS(`#threads li`)),
		waitText(`#threads`, "卒乳の時期について"),
		waitText(`#me-badge`, "保健師"),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#threads button")].find((b) => b.textContent === "卒乳の時期について").click()`),
		chromedp.WaitVisible(chromedp.ID(`detail`)),
		waitText(`#detail-body`, "ゆずママさん"),
		chromedp.SendKeys(chromedp.ID(`answer-body`), "卒乳の時期は親子で決めて大丈夫です。食事がしっかりとれていれば、急がなくてよいですよ。"),
		chromedp.Click(chromedp.CSS(`#answer-form button[type="submit"]`)),
		waitText(`#status`, "回答しました"),
		waitText(`#detail-answers`, "市の保健師"),
	)
	if err != nil {
		t.Fatalf("staff answer: %v", err)
	}
	if body := text(t, staff, `#detail`); strings.Contains(body, u.Email()) || strings.Contains(body, u.GetString("name")) {
		t.Errorf("staff page shows the account behind the nickname: %q", body)
	}

	err = chromedp.Do(parent,
		chromedp.Navigate(base+"/qa/thread/?id="+thread.Id),
		chromedp.WaitVisible(chromedp.CSS(`#answers .qa-staff-badge`)),
		waitText(`#answers .qa-staff-badge`, "市の保健師"),
		waitText(`#answers`, "卒乳の時期は親子で決めて"),
		waitText(`#thread`, "ゆずママさんの質問"),
	)
	if err != nil {
		t.Fatalf("parent sees the badge: %v", err)
	}
	if n, err := app.CountRecords("notifications", dbx.HashExp{"recipient": u.Id, "kind": "qa.answered"}); err == nil && n != 1 {
		t.Errorf("asker notifications: %d", n)
	}

	guest := browse(t)
	err = chromedp.Do(guest,
		chromedp.Navigate(base+"/qa/?lang=en"),
		waitText(`h1`, "Parenting Q&A"),
		waitText(`#thread-list`, "卒乳の時期について"),
		waitText(`#thread-list`, "Answered by a professional"),
	)
	if err != nil {
		t.Fatalf("guest list in English: %v", err)
	}
}
