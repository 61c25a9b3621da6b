package browser

// Languages: a guest picks English in the header and keeps it across pages;
// a parent's choice of Vietnamese is saved on the account, so notifications
// created afterwards are written in Vietnamese.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
)

// chooseLanguage picks a language in the header's switcher, which reloads
// the page, and waits for the page to be drawn in it.
func chooseLanguage(code, htmlLang string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(`#lang-slot select`)),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#lang-slot select");
			s.value = `+jsString(code)+`; s.dispatchEvent(new Event("change", { bubbles: true })); })()`),
		acrossReload(`document.documentElement.lang === `+jsString(htmlLang)+` && document.querySelector("#lang-slot select")?.value === `+jsString(code)),
	)
}

// acrossReload polls like waitJS while the page may be reloading, when an
// evaluation fails because its document went away.
func acrossReload(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			if ok, err := chromedp.Evaluate[bool](expr)(ctx, t); err == nil && ok {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

func TestGuestReadsThePagesInEnglish(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		waitText(`#hero-title`, "西条市"), // Japanese first for a Japanese browser
		chooseLanguage("en", "en"),
		waitText(`#hero-title`, "Saijo City lifestage"),
		waitText(`main h2`, "What you can do with lifestage"),
		waitText(`.portal-actions a[href="/login/"]`, "Log in"),
	)
	if err != nil {
		t.Fatalf("home in English: %v", err)
	}
	if home := text(t, ctx, `main`); strings.Contains(home, "できること") || strings.Contains(home, "新規登録") {
		t.Errorf("the English home still shows Japanese: %q", home)
	}

	// The choice stays on this device: the login page opens in English.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.portal-actions a[href="/login/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="type"][value="citizen"]`)),
		waitJS(`document.documentElement.lang === "en"`),
		waitText(`main h1`, "Log in"),
		waitText(`#type-choices`, "Resident"),
		waitText(`label[for="login-email"]`, "Email address"),
		waitText(`title`, "Log in"),
	)
	if err != nil {
		t.Fatalf("login page in English: %v", err)
	}
	// A form error a guest causes is English too.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		waitText(`#login-status`, "Please check what you entered."),
		waitText(`#login-form .field-error`, "Please enter your email address."),
	)
	if err != nil {
		t.Fatalf("login errors in English: %v", err)
	}
}

func TestParentsLanguageReachesTheirNotifications(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		waitText(`main h1`, "マイページ"),
		chooseLanguage("vi", "vi"),
		waitText(`main h1`, "Trang của tôi"),
		waitText(`#children-title`, "Con của bạn"),
	)
	if err != nil {
		t.Fatalf("switch to Vietnamese: %v", err)
	}
	parent, err := app.FindRecordById(collections.Users, fx.IDs["parent"])
	if err != nil {
		t.Fatal(err)
	}
	if got := parent.GetString("language"); got != "vi" {
		t.Fatalf("the account's language is %q, want vi", got)
	}

	// A notification made now is written in the account's language.
	if _, err := notify.Send(app, notify.Message{
		Recipient: parent, Kind: "nursery.checked_out", Key: "notify.nursery.checked_out",
		Vars: map[string]string{"child": "Hana", "time": "16:05"}, Link: "/me/nursery/", Reason: "i18n-browser-test",
	}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Reload(),
		acrossReload(`document.documentElement.lang === "vi"`),
		waitText(`#notices`, "Bé Hana đã rời nhà trẻ lúc 16:05."),
		waitText(`#notices`, "Đã đón bé"),
		waitText(`#notices .section-head`, "Thông báo"),
	)
	if err != nil {
		t.Fatalf("the notification in Vietnamese: %v (inbox %q)", err, inbox(ctx))
	}

	// The handbook follows: headings, the schedule's doses and statuses.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#children-list a[href^="/me/child/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule-list .status-badge`)),
		waitText(`#schedule-title`, "Lịch tiêm chủng"),
		waitText(`#schedule-list`, "Mũi 1"),
		waitText(`#child-name`, "Sổ tay sức khỏe bà mẹ và trẻ em"),
	)
	if err != nil {
		t.Fatalf("the handbook in Vietnamese: %v", err)
	}
	if s := text(t, ctx, `#schedule-list`); strings.Contains(s, "回目") {
		t.Errorf("the Vietnamese schedule still says 回目: %q", s[:min(300, len(s))])
	}
}

func inbox(ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID(`notices`)))
	return s
}
