package browser

// The operations page (/staff/ops/), the login steps around it (email code,
// lockout, expired password), the password reset pages, the previous login on
// the staff home, the staff session keeper and the citizen's access history.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// loginAs fills the login page for an account type and submits it.
func loginAs(typ, email, password string, base string) chromedp.Action[chromedp.Void] {
	sel := `input[name="type"][value="` + typ + `"]`
	return chromedp.Steps(
		chromedp.Navigate(base+"/login/"),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.ID(`login-email`), email),
		chromedp.SendKeys(chromedp.ID(`login-password`), password),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
	)
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return waitJS(`(document.querySelector(` + jsString(sel) + `)?.textContent || "").includes(` + jsString(want) + `)`)
}

// clearInput empties an input (SetValue cannot set "").
// waitJS polls until the expression is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}

func clearInput(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + jsString(id) + `).value = ""`)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// newOpsAccount adds a 運用 account outside the demo domain, which must log
// in with an email code.
func newOpsAccount(t *testing.T, app core.App, email string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("city_staff")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("name", "テスト 運用")
	r.Set("department", "ops")
	r.Set("role", "staff")
	r.Set("active", true)
	r.SetEmail(email)
	r.SetPassword("ops-password-long")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOpsPage(t *testing.T) {
	base, _ := siteApp(t)
	ctx := browseLong(t)
	a := fx.Accounts["city_admin"]

	// First login: nothing to show yet. Second login: the first one.
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/staff/ops/"]`)),
		waitText(`#previous-login`, "前回のログイン記録はありません"),
		chromedp.Evaluate[chromedp.Void](`localStorage.removeItem("pocketbase_auth")`),
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/staff/ops/"]`)),
		waitText(`#previous-login`, "前回のログイン："),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#previous-login`); !regexp.MustCompile(`前回のログイン：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（IPアドレス 127\.0\.0\.1）`).MatchString(got) {
		t.Errorf("previous login = %q", got)
	}
	if got := text(t, ctx, `#systems`); strings.Contains(got, "準備中") {
		t.Errorf("the ops menu entry is still marked 準備中: %q", got)
	}

	// Status summary, then the fixture's open security event.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/staff/ops/"),
		chromedp.WaitVisible(chromedp.CSS(`#status-facts dd`)),
		waitText(`#events`, "テスト用の事案"),
	)
	if err != nil {
		t.Fatal(err)
	}
	facts := text(t, ctx, `#status-facts`)
	for _, want := range []string{"最新のバックアップ", "バックアップがありません", "監査ログ", "未検証", "データベースの大きさ", "1件"} {
		if !strings.Contains(facts, want) {
			t.Errorf("status summary lacks %q: %q", want, facts)
		}
	}
	if counts := text(t, ctx, `#counts`); !strings.Contains(counts, "子ども") || !strings.Contains(counts, "住民記録") {
		t.Errorf("record counts lack Japanese names: %q", counts)
	}

	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`#events li button`)),
		chromedp.WaitVisible(chromedp.ID(`events-empty`)),
		waitText(`#open-events`, "0件"),
		// Verify now.
		chromedp.Click(chromedp.ID(`verify`)),
		waitText(`#status-status`, "改ざんはありません"),
		// Audit search: the logins above changed lastLoginAt.
		chromedp.SetValue(chromedp.ID(`audit-action`), "update"),
		chromedp.SetValue(chromedp.ID(`audit-collection`), "city_staff"),
		chromedp.SetValue(chromedp.ID(`audit-from`), time.Now().In(tokyo(t)).Format("2006-01-02")),
		chromedp.Click(chromedp.CSS(`#audit-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#audit-results li`)),
		// Usage report on screen, and the download.
		chromedp.Click(chromedp.ID(`report-show`)),
		chromedp.WaitVisible(chromedp.ID(`report-table-wrap`)),
		chromedp.Click(chromedp.ID(`report-download`)),
		waitText(`#report-status`, ".xlsx をダウンロードしました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	audit := text(t, ctx, `#audit-results`)
	for _, want := range []string{"変更", "運用管理・管理職", "lastLoginAt", "127.0.0.1"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit results lack %q: %q", want, audit[:min(400, len(audit))])
		}
	}
	if rows := text(t, ctx, `#report-rows`); !strings.Contains(rows, "市民") {
		t.Errorf("usage report rows: %q", rows)
	}
}

func tokyo(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestOpsPageRefusesOtherStaff(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	a := fx.Accounts["city_child"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a`)),
		chromedp.Navigate(base+"/staff/ops/"),
		chromedp.WaitVisible(chromedp.ID(`denied`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// 運用 staff outside the demo give the code mailed to them.
func TestLoginWithEmailCode(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	newOpsAccount(t, app, "ops-mfa@test.lifestage.example")

	err := chromedp.Do(ctx,
		loginAs("city", "ops-mfa@test.lifestage.example", "ops-password-long", base),
		chromedp.WaitVisible(chromedp.ID(`otp-form`)),
		waitText(`#otp-form label[for="otp-code"]`, "メールに届いた6桁の確認コード"),
		waitText(`#otp-status`, "送りました"),
		chromedp.SendKeys(chromedp.ID(`otp-code`), "000000"),
		chromedp.Click(chromedp.CSS(`#otp-form button[type="submit"]`)),
		waitText(`#otp-status`, "確認コードが正しくないか"),
	)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for i := 0; i < 50 && code == ""; i++ {
		for _, m := range app.TestMailer.Messages() {
			if c := regexp.MustCompile(`<strong>(\d{6})</strong>`).FindStringSubmatch(m.HTML); c != nil {
				code = c[1]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code == "" {
		t.Fatal("no code was mailed")
	}
	err = chromedp.Do(ctx,
		clearInput(`otp-code`),
		chromedp.SendKeys(chromedp.ID(`otp-code`), code),
		chromedp.Click(chromedp.CSS(`#otp-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/staff/ops/"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoginShowsLockout(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	email := "ops-lock@test.lifestage.example"
	newOpsAccount(t, app, email)
	for i := 0; i < 5; i++ {
		res, err := http.Post(base+"/api/collections/city_staff/auth-with-password", "application/json",
			strings.NewReader(`{"identity":"`+email+`","password":"wrong-password-123"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	err := chromedp.Do(ctx,
		loginAs("city", email, "ops-password-long", base),
		waitText(`#login-status`, "までログインできません"),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoginShowsExpiredPassword(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	email := "ops-old@test.lifestage.example"
	r := newOpsAccount(t, app, email)
	if _, err := app.DB().Update("city_staff", dbx.Params{"passwordChangedAt": "2020-01-01 00:00:00.000Z"}, dbx.HashExp{"id": r.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		loginAs("city", email, "ops-password-long", base),
		waitText(`#login-status`, "有効期限（180日）"),
		chromedp.WaitVisible(chromedp.CSS(`#login-status a[href="/reset/?type=city"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// The request page answers the same for any address; the mailed link's token
// sets a new password on the confirm page.
func TestPasswordReset(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	a := fx.Accounts["parent"]

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/reset/?type=citizen"),
		chromedp.SendKeys(chromedp.ID(`reset-email`), "nobody@test.lifestage.example"),
		chromedp.Click(chromedp.CSS(`#reset-form button[type="submit"]`)),
		waitText(`#reset-status`, "登録されていれば、再設定のメールを送りました"),
		clearInput(`reset-email`),
		chromedp.SendKeys(chromedp.ID(`reset-email`), a.Email),
		chromedp.Click(chromedp.CSS(`#reset-form button[type="submit"]`)),
		waitText(`#reset-status`, "登録されていれば、再設定のメールを送りました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	var token string
	for i := 0; i < 50 && token == ""; i++ {
		for _, m := range app.TestMailer.Messages() {
			if tok := regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]+`).FindString(m.HTML); tok != "" {
				token = tok
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if token == "" {
		t.Fatal("no reset mail")
	}

	const newPassword = "a-new-password-2026"
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/reset/confirm/?token="+url.QueryEscape(token)),
		chromedp.WaitVisible(chromedp.ID(`confirm-form`)),
		// Too short for the client check (citizens need 10).
		chromedp.SendKeys(chromedp.ID(`confirm-password`), "short"),
		chromedp.SendKeys(chromedp.ID(`confirm-password2`), "short"),
		chromedp.Click(chromedp.CSS(`#confirm-form button[type="submit"]`)),
		waitText(`#confirm-form`, "10文字以上"),
		clearInput(`confirm-password`),
		clearInput(`confirm-password2`),
		chromedp.SendKeys(chromedp.ID(`confirm-password`), newPassword),
		chromedp.SendKeys(chromedp.ID(`confirm-password2`), newPassword),
		chromedp.Click(chromedp.CSS(`#confirm-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`done`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(loc, "token") {
		t.Errorf("the token stays in the address bar: %s", loc)
	}
	rec, err := app.FindAuthRecordByEmail("users", a.Email)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.ValidatePassword(newPassword) {
		t.Fatal("the new password was not set")
	}
}

// A staff token that runs out unused sends the page to the login page, which
// says why.
func TestStaffIdleLogout(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	a := fx.Accounts["nursery_staff"]
	err := chromedp.Do(ctx,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a`)),
		// Pretend the token ends in 2 seconds.
		chromedp.Evaluate[chromedp.Void](`(() => {
			const s = JSON.parse(localStorage.getItem("pocketbase_auth"));
			const [h, p, sig] = s.token.split(".");
			const payload = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
			payload.exp = Math.floor(Date.now() / 1000) + 2;
			const enc = btoa(JSON.stringify(payload)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
			s.token = [h, enc, sig].join(".");
			localStorage.setItem("pocketbase_auth", JSON.stringify(s));
		})()`),
		chromedp.Navigate(base+"/facilities/"),
		chromedp.Sleep(4*time.Second),
		chromedp.WaitVisible(chromedp.ID(`notice`)),
		waitText(`#notice`, "30分間操作がなかったため、ログアウトしました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "/login/?next=%2Ffacilities%2F") {
		t.Errorf("after the idle logout the page is %s", loc)
	}
}

// Using a page renews a token older than 5 minutes.
func TestStaffSessionRenewedOnUse(t *testing.T) {
	base, app := siteApp(t)
	// 20-minute tokens look 10 minutes old to the page's 30-minute clock.
	col, err := app.FindCollectionByNameOrId("city_staff")
	if err != nil {
		t.Fatal(err)
	}
	col.AuthToken.Duration = 20 * 60
	if err := app.Save(col); err != nil {
		t.Fatal(err)
	}
	ctx := browse(t)
	a := fx.Accounts["city_child"]
	err = chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a`)),
		waitText(`#previous-login`, "前回のログイン"),
		chromedp.Poll[chromedp.Void](`!document.getElementById("previous-login").textContent.includes("確認しています")`),
		chromedp.Sleep(1100*time.Millisecond), // a new token differs from its second on
	)
	if err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.parse(localStorage.getItem("pocketbase_auth")).token`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`h1`)),
		chromedp.Poll[chromedp.Void](`JSON.parse(localStorage.getItem("pocketbase_auth")).token !== `+jsString(before)),
	)
	if err != nil {
		t.Fatalf("the token was not renewed on use: %v", err)
	}
}

func TestAccessHistory(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/me/access/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#access-list li`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, ctx, `#access-list`)
	if !strings.Contains(got, "しました。") || !strings.Contains(got, "システム") {
		t.Errorf("access history: %q", got[:min(400, len(got))])
	}
}
