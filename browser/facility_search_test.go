package browser

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/testutil"
)

// geolocation grants (or denies) the location permission and places the
// browser at lat,lng, as a phone's GPS would.
func geolocation(setting browser.PermissionSetting, lat, lng float64) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: setting,
		})
		if err != nil {
			return chromedp.Void{}, err
		}
		acc := 10.0
		_, err = cdp.Call(ctx, t, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
			Latitude: &lat, Longitude: &lng, Accuracy: &acc,
		})
		return chromedp.Void{}, err
	}
}

func resultTexts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+jsString(sel)+`)].map((e) => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func currentURL(t *testing.T, ctx context.Context) url.Values {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := url.ParseQuery(strings.TrimPrefix(loc, "?"))
	return v
}

func TestFacilitySearchByTextAndVaccine(t *testing.T) {
	base, app := siteApp(t)
	// The hidden facility would match: only its public flag keeps it out.
	hidden, err := app.FindFirstRecordByData("facilities", "code", testutil.HiddenFacilityCode)
	if err != nil {
		t.Fatal(err)
	}
	hidden.Set("name", "非公開こどもクリニック")
	hidden.Set("vaccines", []string{"mr1"})
	if err := app.Save(hidden); err != nil {
		t.Fatal(err)
	}
	ctx := browse(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/facilities/"),
		chromedp.WaitVisible(chromedp.CSS(`#results li`)),
		chromedp.SendKeys(chromedp.ID(`q`), "ｸﾘﾆｯｸ"), // half-width katakana finds クリニック
		chromedp.SetValue(chromedp.ID(`vaccine`), "mr1"),
		chromedp.Click(chromedp.CSS(`#search-form button[type="submit"]`)),
		waitText(`#results-status`, "件を表示しています"),
	)
	if err != nil {
		t.Fatal(err)
	}
	cards := resultTexts(t, ctx, `#results li`)
	if len(cards) == 0 {
		t.Fatal("no clinic giving MR found")
	}
	for _, c := range cards {
		if !strings.Contains(c, "クリニック") || !strings.Contains(c, "麻しん風しん（1期）") || strings.Contains(c, "非公開") {
			t.Errorf("card %q", c)
		}
	}
	if v := currentURL(t, ctx); v.Get("q") != "ｸﾘﾆｯｸ" || v.Get("vaccine") != "mr1" {
		t.Errorf("search not kept in the address: %v", v)
	}
	// Phone links and map links are there.
	if links := resultTexts(t, ctx, `#results a.map-link`); len(links) != len(cards) {
		t.Errorf("%d map links for %d cards", len(links), len(cards))
	}
}

func TestFacilitySearchNearby(t *testing.T) {
	base, app := siteApp(t)
	clinic, err := app.FindFirstRecordByFilter("facilities", `public = true && type = "clinic"`)
	if err != nil {
		t.Fatal(err)
	}
	loc := clinic.Get("location").(types.GeoPoint)
	ctx := browse(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/facilities/"),
		chromedp.WaitVisible(chromedp.CSS(`#results li`)),
		geolocation(browser.PermissionSettingGranted, loc.Lat, loc.Lon),
		chromedp.SetValue(chromedp.ID(`radiusKm`), "20"),
		chromedp.Click(chromedp.ID(`locate`)),
		waitText(`#near-status`, "現在地の近く（20km以内）"),
		chromedp.WaitVisible(chromedp.CSS(`#results li .distance`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results li").dataset.code`))
	if err != nil {
		t.Fatal(err)
	}
	dists := resultTexts(t, ctx, `#results li .distance`)
	km := make([]float64, len(dists))
	for i, d := range dists {
		km[i] = parseKm(d)
	}
	if len(km) < 2 || km[0] != 0 || !slices.IsSorted(km) {
		t.Fatalf("distances %v", dists)
	}
	if first != clinic.GetString("code") && km[1] != 0 {
		t.Errorf("first hit %s, want %s", first, clinic.GetString("code"))
	}
	if v := currentURL(t, ctx); v.Get("near") == "" || v.Get("radiusKm") != "20" {
		t.Errorf("near not kept in the address: %v", v)
	}

	// Refused: the page offers the district centres instead.
	ctx = browse(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/facilities/"),
		chromedp.WaitVisible(chromedp.CSS(`#results li`)),
		geolocation(browser.PermissionSettingDenied, loc.Lat, loc.Lon),
		chromedp.Click(chromedp.ID(`locate`)),
		waitText(`#near-status`, "現在地を使えませんでした"),
		chromedp.WaitVisible(chromedp.ID(`centre`)),
		waitJS(`document.querySelectorAll("#centre option").length > 1`),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("centre"); s.selectedIndex = 1; s.dispatchEvent(new Event("change")); })()`),
		waitText(`#near-status`, "の中心の近く"),
		chromedp.WaitVisible(chromedp.CSS(`#results li .distance`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if d := resultTexts(t, ctx, `#results li .distance`); len(d) == 0 {
		t.Fatal("no distances from a district centre")
	}
}

// parseKm reads "1.2km" (or "1.2 km", "1.2公里").
func parseKm(s string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimRight(s, "km 公里"), 64)
	return f
}

func TestFacilitySearchInEnglish(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/facilities/?lang=en&type=clinic&open=mon"),
		waitText(`h1`, "Find facilities"),
		waitText(`#results-status`, "Showing"),
		waitText(`label[for="vaccine"]`, "Vaccination"),
	)
	if err != nil {
		t.Fatal(err)
	}
	cards := resultTexts(t, ctx, `#results li`)
	if len(cards) == 0 {
		t.Fatal("no clinics open on Mondays")
	}
	for _, c := range cards {
		if !strings.Contains(c, "Clinic") || !strings.Contains(c, "Address") || !strings.Contains(c, "Mon") {
			t.Errorf("card not in English: %q", c)
		}
	}
	opts := resultTexts(t, ctx, `#open option`)
	if !slices.Contains(opts, "Open on Monday") || !slices.Contains(opts, "Open now") {
		t.Errorf("open options %q", opts)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil || lang != "en" {
		t.Errorf("html lang %q (%v)", lang, err)
	}
}
