package browser

// Targeted announcements and surveys: a parent opens an unread notice (which
// marks it read), parent2 answers the demo survey with every question type,
// in English too, and 子育て staff see the live recipient count.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

func TestNoticesInboxMarksRead(t *testing.T) {
	base, app := siteApp(t)
	var unread []string
	err := app.DB().NewQuery(`SELECT announcement FROM announcement_recipients WHERE user = {:u} AND readAt = '' AND deliveredAt != '' LIMIT 1`).
		Bind(dbx.Params{"u": fx.IDs["parent"]}).Column(&unread)
	if err != nil || len(unread) == 0 {
		t.Fatalf("the demo parent needs an unread notice: %v", err)
	}
	ctx := browse(t)
	login(t, ctx, base, "parent")
	sel := `#n-` + unread[0]
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/notices/"),
		chromedp.WaitVisible(chromedp.CSS(sel+` summary`)),
		waitJS(`!document.getElementById("unread-badge").hidden`),
		chromedp.Click(chromedp.CSS(sel+` summary`)),
		waitJS(`!document.querySelector(`+jsString(sel)+`).classList.contains("is-unread")`),
	)
	if err != nil {
		t.Fatalf("open a notice: %v", err)
	}
	for range 50 { // the read request lands after the page changed
		r, _ := app.FindFirstRecordByFilter("announcement_recipients", "announcement = {:a} && user = {:u}", dbx.Params{"a": unread[0], "u": fx.IDs["parent"]})
		if r != nil && !r.GetDateTime("readAt").IsZero() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("opening the notice did not mark it read")
}

func TestSurveyAnsweredInEnglish(t *testing.T) {
	base, app := siteApp(t)
	s, err := app.FindFirstRecordByFilter("surveys", "status = 'open'")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browseLong(t)
	login(t, ctx, base, "parent2")
	card := `#s-` + s.Id
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/surveys/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(card+` form`)),
		waitText(`h1`, "Surveys"),
		waitText(card+` button[type="submit"]`, "Send my answers"),
		// Sending with nothing chosen names the required questions.
		chromedp.Click(chromedp.CSS(card+` button[type="submit"]`)),
		waitText(card+` [data-question="satisfaction"] .field-error`, "Please answer this question."),
		chromedp.Click(chromedp.CSS(card+` input[name="s-`+s.Id+`-satisfaction"][value="1"]`)),
		chromedp.Click(chromedp.CSS(card+` input[name="s-`+s.Id+`-facilities"][value="0"]`)),
		chromedp.Click(chromedp.CSS(card+` input[name="s-`+s.Id+`-facilities"][value="2"]`)),
		chromedp.Click(chromedp.CSS(card+` input[name="s-`+s.Id+`-ease"][value="4"]`)),
		chromedp.SendKeys(chromedp.ID(`s-`+s.Id+`-comment`), "雨の日の遊び場がほしい"),
		chromedp.Click(chromedp.CSS(card+` button[type="submit"]`)),
		waitText(`#page-status`, "Thank you for your answers."),
		waitText(card+` h2`, "Answered"),
	)
	if err != nil {
		t.Fatalf("answer the survey: %v", err)
	}
	r, err := app.FindFirstRecordByFilter("survey_responses", "survey = {:s} && user = {:u}", dbx.Params{"s": s.Id, "u": fx.IDs["parent2"]})
	if err != nil {
		t.Fatalf("no response stored: %v", err)
	}
	if strings.Contains(r.GetString("answers"), "遊び場") {
		t.Error("answers stored in clear text")
	}
}

func TestStaffNoticePreview(t *testing.T) {
	base, _ := siteApp(t)
	ctx := browse(t)
	a := fx.Accounts["city_child"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/child/surveys/"]`)),
		chromedp.Navigate(base+"/child/notices/"),
		chromedp.WaitVisible(chromedp.ID(`aud-all`)),
		chromedp.Click(chromedp.ID(`aud-all`)),
		waitText(`#audience .status`, "人に届きます"),
		waitJS(`document.querySelectorAll("#rows tr").length >= 4`),
	)
	if err != nil {
		t.Fatalf("staff preview: %v", err)
	}
}
