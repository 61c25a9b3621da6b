package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/mynaportal"
	"github.com/saijo-dx/lifestage/mynaportal/mynaportaltest"
	"github.com/saijo-dx/lifestage/mynumber"
	"github.com/saijo-dx/lifestage/mynumber/mynumbertest"
)

// TestCardLoginInTheBrowser logs in with the My Number card through the
// login page, against an in-test OpenID provider standing in for
// デジタル認証アプリ, and lands on /me/ as the card holder.
func TestCardLoginInTheBrowser(t *testing.T) {
	base, app := siteApp(t)
	idp := mynumbertest.Start(t)
	callback := base + "/api/lifestage/auth/mynumber/callback"
	idp.AllowRedirect(callback)
	idp.LogInAs(mynumbertest.Person{Subject: "browser-sub-1", Name: "西条 つばさ", Address: "愛媛県西条市明屋敷164", Birthdate: "1991-06-30", Gender: "male"})
	t.Setenv(mynumber.EnvIssuer, idp.Issuer)
	t.Setenv(mynumber.EnvClientID, idp.ClientID)
	t.Setenv(mynumber.EnvKeyFile, idp.KeyFile)
	t.Setenv(mynumber.EnvKeyID, idp.KeyID)
	t.Setenv(mynumber.EnvRedirectURL, callback)

	ctx := browseLong(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login/"),
		chromedp.WaitVisible(chromedp.ID(`mynumber-login`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "login-mynumber")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`mynumber-login`)),
		// Provider, callback, /login/ and then /me/: wait across the hops.
		chromedp.WaitVisible(chromedp.CSS(`#welcome`)),
		waitText(`#welcome`, "西条 つばさ"),
	)
	if err != nil {
		t.Fatal(err)
	}
	u, err := app.FindFirstRecordByFilter("users", "name = {:n}", dbx.Params{"n": "西条 つばさ"})
	if err != nil || u.GetString("identityVerifiedMethod") != "jpki" || u.GetString("birthDate") != "1991-06-30" {
		t.Fatalf("card account: %v %v", err, u)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/mynaportal/"),
		waitText(`#identity-state`, "本人確認済み"),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoginHidesCardButtonWhenOff(t *testing.T) {
	t.Setenv(mynumber.EnvIssuer, "")
	base := site(t)
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login/"),
		chromedp.WaitVisible(chromedp.ID(`login-form`)),
		waitJS(`performance.getEntriesByType("resource").some((e) => e.name.includes("/auth/mynumber/status") && e.responseEnd > 0)`),
	)
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("mynumber").hidden`))
	if err != nil || !hidden {
		t.Fatalf("the card login button must stay hidden when the login is off (hidden=%v, %v)", hidden, err)
	}
}

// TestMynaportalImportPage imports the demo parent's child's records from a
// fake PMH through /me/mynaportal/.
func TestMynaportalImportPage(t *testing.T) {
	fake := mynaportaltest.Start(t)
	for k, v := range fake.Env() {
		t.Setenv(k, v)
	}
	base, app := siteApp(t)
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, dbx.Params{"p": fx.IDs["parent"]})
	if err != nil || len(kids) == 0 {
		t.Fatal("parent has no child")
	}
	child := kids[0]
	fake.Set(child.GetString("familyName")+" "+child.GetString("givenName"), child.GetString("birthDate"), mynaportal.Response{
		Immunizations: []mynaportal.Immunization{{RecordID: "pmh-b-1", VaccineName: "BCG", DoseNumber: 1, VaccinationDate: "2026-06-01"}},
	})

	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	// The demo consented for the youngest child: press its import button.
	name := child.GetString("familyName") + " " + child.GetString("givenName")
	card := `[...document.querySelectorAll("#child-list article")].find((a) => a.querySelector("h3").textContent === ` + jsString(name) + `)`
	button := card + `?.querySelector("button:not(.btn-secondary)")`
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/mynaportal/"),
		waitText(`#identity-state`, "本人確認済み"),
		waitJS(`(`+button+`)?.textContent === "記録を取り込む"`),
		chromedp.Evaluate[chromedp.Void](`(`+button+`).click()`),
		waitJS(`(`+card+`).textContent.includes("取り込みました")`),
	)
	shot(t, ctx, "me-mynaportal")
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#main`)))
		t.Fatalf("%v; page: %s", err, got)
	}
	if got := text(t, ctx, `#child-list`); !strings.Contains(got, "予防接種 1件、乳幼児健診 0件を追加") {
		t.Fatalf("import result: %q", got)
	}
	if _, err := app.FindFirstRecordByFilter("immunizations", "sourceRecordId = 'pmh-b-1' && source = 'mynaportal'"); err != nil {
		t.Fatal("the imported dose is not in the handbook")
	}
}
