package browser

// The volunteer's watch pages: scanning a home's QR code opens the check-in
// page, which records "元気" in two taps, keeps a visit on the phone when
// there is no network and sends it when the network is back; the volunteer
// home and the city's QR cards.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/hooks"
)

// watchTarget is one of the demo volunteer's people and the path of its
// check-in page, as the city's qr.json route gives it.
func watchTarget(t *testing.T, app core.App, base string) (*core.Record, string) {
	t.Helper()
	target, err := app.FindFirstRecordByFilter("watch_targets", "volunteer = {:v} && active = true", dbx.Params{"v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatalf("the demo volunteer has no target: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/lifestage/watch/targets/"+target.Id+"/qr.json", nil)
	req.Header.Set("Authorization", fx.Tokens["city_elderly"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("qr.json answered %d (%v)", res.StatusCode, err)
	}
	u, err := url.Parse(body.URL)
	if err != nil || u.Path != "/watch/checkin/" || u.Query().Get("t") == "" {
		t.Fatalf("check-in URL %q", body.URL)
	}
	return target, u.Path + "?" + u.RawQuery
}

// newVisits lists the volunteer's visits to the target since the start.
func newVisits(t *testing.T, app core.App, target string, since time.Time) []*core.Record {
	t.Helper()
	recs, err := app.FindRecordsByFilter("watch_visits", "target = {:t} && volunteer = {:v}", "-at", 0, 0,
		dbx.Params{"t": target, "v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatal(err)
	}
	var out []*core.Record
	for _, r := range recs {
		if !r.GetDateTime("at").Time().Before(since) {
			out = append(out, r)
		}
	}
	return out
}

// checkinLogin opens the check-in page logged out and logs in on it as the
// demo volunteer; the page then offers the statuses for the same code.
func checkinLogin(base, path string) chromedp.Action[chromedp.Void] {
	a := fx.Accounts["volunteer"]
	return chromedp.Steps(
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID(`login`)),
		chromedp.SendKeys(chromedp.ID(`w-email`), a.Email),
		chromedp.SendKeys(chromedp.ID(`w-password`), a.Password),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`st-fine`)),
	)
}

func TestVolunteerRecordsFineByQR(t *testing.T) {
	base, app := siteApp(t)
	target, path := watchTarget(t, app, base)
	since := time.Now().Add(-time.Second)
	ctx := browseLong(t)
	if err := chromedp.Do(ctx, checkinLogin(base, path)); err != nil {
		t.Fatalf("login on the check-in page: %v", err)
	}
	// Logged in once: the next scan opens straight on the statuses, and
	// "元気" takes two taps (元気, 記録する).
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID(`st-fine`)),
		waitText(`#who`, "さん宅の訪問"),
	)
	if err != nil {
		t.Fatalf("second scan: %v", err)
	}
	shot(t, ctx, "watch-checkin")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`st-fine`)),
		chromedp.Click(chromedp.ID(`record`)),
		waitText(`#done-title`, "記録しました"),
	)
	if err != nil {
		t.Fatalf("record fine: %v", err)
	}
	shot(t, ctx, "watch-done")
	if login, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("login").hidden`)); login {
		t.Fatal("the second scan asked to log in again")
	}
	got := newVisits(t, app, target.Id, since)
	if len(got) != 1 || got[0].GetString("status") != "fine" || got[0].GetString("method") != "qr" {
		t.Fatalf("want one fine QR visit, got %d", len(got))
	}
	// The done screen offers the frailty checklist for this person and visit.
	assess, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.getElementById("assess-link"); return a.hidden ? "" : a.getAttribute("href"); })()`))
	if want := "/watch/assess/?target=" + target.Id + "&visit=" + got[0].Id; assess != want {
		t.Fatalf("assessment link %q, want %q", assess, want)
	}

	// The volunteer's home lists the person with today's visit.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/watch/my/"),
		chromedp.WaitVisible(chromedp.CSS(`#targets li[data-target="`+target.Id+`"]`)),
		waitText(`#targets li[data-target="`+target.Id+`"]`, "元気"),
		chromedp.WaitVisible(chromedp.CSS(`#visits li[data-visit="`+got[0].Id+`"]`)),
	)
	if err != nil {
		t.Fatalf("volunteer home: %v", err)
	}
	shot(t, ctx, "watch-my")
}

func TestCheckinShowsAnEmergencyReminderAndRefusedCodes(t *testing.T) {
	base, app := siteApp(t)
	target, path := watchTarget(t, app, base)
	ctx := browseLong(t)
	err := chromedp.Do(ctx,
		checkinLogin(base, path),
		chromedp.Click(chromedp.ID(`st-emergency`)),
		chromedp.WaitVisible(chromedp.ID(`emergency-note`)),
		waitText(`#emergency-note`, "119"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("more").open = true`),
	)
	if err != nil {
		t.Fatalf("emergency: %v", err)
	}
	shot(t, ctx, "watch-emergency")
	// The city reissues the code: the old card is refused in plain words.
	req, _ := http.NewRequest(http.MethodPost, base+"/api/lifestage/watch/targets/"+target.Id+"/rotate", nil)
	req.Header.Set("Authorization", fx.Tokens["city_elderly"])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("rotate: %v", err)
	}
	res.Body.Close()
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`back`)),
		chromedp.Click(chromedp.ID(`st-fine`)),
		chromedp.Click(chromedp.ID(`record`)),
		waitText(`#confirm-status`, "このQRコードは使えません。市にご連絡ください。"),
	)
	if err != nil {
		t.Fatalf("revoked code: %v", err)
	}
	if n := len(newVisits(t, app, target.Id, time.Now().Add(-time.Minute))); n != 0 {
		t.Fatalf("a revoked code recorded %d visits", n)
	}
}

// setOffline cuts (or restores) the page's network, service worker included.
func setOffline(offline bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		})
		if err != nil {
			return chromedp.Void{}, err
		}
		_, err = cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		return chromedp.Void{}, err
	}
}

func TestVisitQueuedOfflineIsSentLater(t *testing.T) {
	base, app := siteApp(t)
	target, path := watchTarget(t, app, base)
	since := time.Now().Add(-time.Second)
	ctx := browseLong(t)
	queued := `JSON.parse(localStorage.getItem("lifestage.watch.queue") || "[]").length`
	err := chromedp.Do(ctx,
		checkinLogin(base, path),
		// The service worker has the page shell before the network goes.
		waitJS(`navigator.serviceWorker.controller !== null`),
		setOffline(true),
		// The page itself opens with no network.
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID(`st-fine`)),
		chromedp.Click(chromedp.ID(`st-fine`)),
		chromedp.Click(chromedp.ID(`record`)),
		waitText(`#done-text`, "通信できないため、端末に保存しました。通信が戻ると自動で送信します"),
		waitText(`#queue-note`, "1 件"),
	)
	if err != nil {
		t.Fatalf("offline visit: %v", err)
	}
	// Really offline: the server cannot be reached (the page came from the
	// service worker's cache).
	reach, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/lifestage/meta").then(() => "reached", () => "offline")`, chromedp.EvalAwaitPromise))
	if err != nil || reach != "offline" {
		t.Fatalf("network emulation: %q (%v)", reach, err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](queued)); n != 1 {
		t.Fatalf("%d visits queued, want 1", n)
	}
	if n := len(newVisits(t, app, target.Id, since)); n != 0 {
		t.Fatalf("%d visits reached the server while offline", n)
	}
	// Back online: the page sends the visit by itself.
	if err := chromedp.Do(ctx, setOffline(false), waitJS(queued+` === 0`)); err != nil {
		t.Fatalf("the queue was not sent: %v", err)
	}
	got := newVisits(t, app, target.Id, since)
	if len(got) != 1 || got[0].GetString("status") != "fine" || got[0].GetString("method") != "qr" {
		t.Fatalf("want one fine QR visit after reconnecting, got %d", len(got))
	}
	if note, err := hooks.DecryptField(app, got[0], "note"); err != nil || !strings.Contains(note, "端末に保存") {
		t.Errorf("the queued visit's note lacks its real time: %q (%v)", note, err)
	}
}

// TestCityPrintsWatchCards: 高齢福祉担当 finds a person, makes the card with
// the QR image, and reissues it after a confirmation.
func TestCityPrintsWatchCards(t *testing.T) {
	base, app := siteApp(t)
	target, _ := watchTarget(t, app, base)
	resident, err := app.FindRecordById("residents", target.GetString("resident"))
	if err != nil {
		t.Fatal(err)
	}
	version := target.GetInt("tokenVersion")
	a := fx.Accounts["city_elderly"]
	ctx := browseLong(t)
	row := `#rows tr[data-target="` + target.Id + `"]`
	err = chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/watch/cards/"]`)),
		chromedp.Click(chromedp.CSS(`#systems a[href="/watch/cards/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rows tr`)),
		chromedp.SendKeys(chromedp.ID(`q`), resident.GetString("familyName")),
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.Click(chromedp.CSS(row+` input[type="checkbox"]`)),
		chromedp.Click(chromedp.ID(`make`)),
		chromedp.WaitVisible(chromedp.CSS(`#cards li[data-target="`+target.Id+`"] img`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#cards li[data-target="`+target.Id+`"] img').naturalWidth > 0`),
		waitText(`#cards`, resident.GetString("givenName")),
	)
	if err != nil {
		t.Fatalf("cards: %v", err)
	}
	shot(t, ctx, "watch-cards")
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(row+` button`)),
		waitText(`#cards-status`, "再発行しました"),
	)
	if err != nil {
		t.Fatalf("cards: %v", err)
	}
	after, _ := app.FindRecordById("watch_targets", target.Id)
	if after.GetInt("tokenVersion") != version+1 {
		t.Fatalf("token version %d after reissue, want %d", after.GetInt("tokenVersion"), version+1)
	}
}
