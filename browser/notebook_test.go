package browser

// The contact notebook: the family has the notebook open; the nursery
// publishes today's entry and the family sees it arrive without a reload;
// the family sends an absence notice with symptoms and the nursery
// acknowledges it.

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

// shot saves a screenshot when LIFESTAGE_SHOTS names a folder (for looking
// at the pages while working on them).
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("LIFESTAGE_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err == nil {
		err = os.WriteFile(dir+"/"+name+".png", png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

func TestNotebookBetweenNurseryAndFamily(t *testing.T) {
	base, app := siteApp(t)
	draft, err := app.FindFirstRecordByFilter("notebook_nursery", "status = 'draft'")
	if err != nil {
		t.Fatal(err)
	}
	kid := draft.GetString("child")

	family := browseLong(t)
	login(t, family, base, "parent")
	err = chromedp.Do(family,
		chromedp.Navigate(base+"/me/notebook/?child="+kid),
		chromedp.WaitVisible(chromedp.CSS(`#nursery-list .note-day`)),
		chromedp.WaitVisible(chromedp.ID(`home-form`)),
	)
	if err != nil {
		t.Fatalf("family notebook: %v", err)
	}
	if list := text(t, family, `#nursery-list`); strings.Contains(list, "（記入中）") {
		t.Fatal("the family sees the nursery's draft")
	}
	shot(t, family, "family-notebook")

	staff := browseLong(t)
	a := fx.Accounts["nursery_staff"]
	card := `details.kid[data-id="` + kid + `"]`
	err = chromedp.Do(staff,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/nursery/notebook/"),
		chromedp.WaitVisible(chromedp.CSS(card)),
		chromedp.Click(chromedp.CSS(card+` > summary`)),
		chromedp.WaitVisible(chromedp.CSS(card+` textarea[name="staffComment"]`)),
		chromedp.SendKeys(chromedp.CSS(card+` textarea[name="staffComment"]`), "お散歩でどんぐりを拾いました。"),
	)
	if err != nil {
		t.Fatalf("staff day: %v", err)
	}
	shot(t, staff, "staff-day")
	err = chromedp.Do(staff,
		chromedp.Click(chromedp.CSS(card+` button[value="published"]`)),
		waitText(card+` > summary`, "公開済み"),
	)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}

	// The family's page hears of it at once.
	err = chromedp.Do(family,
		waitText(`#nursery-status`, "連絡帳が届きました"),
		waitText(`#nursery-list`, "お散歩でどんぐりを拾いました。"),
	)
	if err != nil {
		t.Fatalf("the family did not see the published entry arrive: %v", err)
	}

	err = chromedp.Do(family,
		chromedp.Click(chromedp.CSS(`#absence-details > summary`)),
		chromedp.Click(chromedp.CSS(`#absence-kind input[value="absence"]`)),
		chromedp.Click(chromedp.CSS(`#absence-symptoms input[value="fever"]`)),
		chromedp.Click(chromedp.CSS(`#absence-symptoms input[value="cough"]`)),
		chromedp.SetValue(chromedp.ID(`absence-infection`), "influenza"),
		chromedp.SendKeys(chromedp.ID(`absence-temp`), "38.6"),
		chromedp.Click(chromedp.CSS(`#absence-form button[type="submit"]`)),
		waitText(`#absence-status`, "園へ連絡しました"),
		waitText(`#absence-list`, "インフルエンザ"),
	)
	if err != nil {
		t.Fatalf("absence notice: %v", err)
	}
	shot(t, family, "family-absence")
	n, err := app.FindFirstRecordByFilter("absence_notices", "child = {:c} && infection = 'influenza' && submittedBy = {:p}",
		dbx.Params{"c": kid, "p": fx.IDs["parent"]})
	if err != nil || !slices.Contains(n.GetStringSlice("symptoms"), "fever") {
		t.Fatalf("stored notice: %v", err)
	}

	err = chromedp.Do(staff,
		waitText(`#page-status`, "新しい連絡"),
		chromedp.Click(chromedp.CSS(`#page-status button`)),
		chromedp.WaitVisible(chromedp.CSS(card+` .kid-body button.btn-small`)),
	)
	if err != nil {
		t.Fatalf("staff did not hear of the notice: %v", err)
	}
	err = chromedp.Do(staff,
		// The list re-renders as notices arrive: wait for this one's row.
		waitJS(`[...document.querySelectorAll(`+jsString(card+` .kid-body li.notice`)+`)].some((li) => li.textContent.includes("インフルエンザ") && li.querySelector("button"))`),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll(`+jsString(card+` .kid-body li.notice`)+`)].find((li) => li.textContent.includes("インフルエンザ")).querySelector("button").click()`),
		waitText(card+` .kid-body`, "確認"),
	)
	if err != nil {
		t.Fatalf("acknowledge: %v", err)
	}
	shot(t, staff, "staff-ack")
}

func TestCityInfectionCounts(t *testing.T) {
	base, app := siteApp(t)
	ctx := browse(t)
	a := fx.Accounts["city_nursery"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/nursery/infections/"),
		chromedp.WaitVisible(chromedp.CSS(`#rows table`)),
		waitText(`#totals`, "インフルエンザ"),
	)
	if err != nil {
		t.Fatalf("city counts: %v", err)
	}
	shot(t, ctx, "city-infections")
	page := text(t, ctx, `#main`)
	kids, err := app.FindAllRecords("children")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if name := k.GetString("familyName") + " " + k.GetString("givenName"); strings.Contains(page, name) {
			t.Fatalf("the city's counts page names %s", name)
		}
	}
}
