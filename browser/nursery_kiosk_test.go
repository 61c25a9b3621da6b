package browser

// The check-in kiosk (登降園端末): staff sign the tablet in once, a parent
// taps 登園, types the child's PIN and sees the child's first name.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
)

func TestKioskChecksAChildInByPIN(t *testing.T) {
	base, app := siteApp(t)
	staff, err := app.FindRecordById("nursery_staff", fx.IDs["nursery_staff"])
	if err != nil {
		t.Fatal(err)
	}
	e, err := app.FindFirstRecordByFilter("enrolments", "nursery = {:n} && child.guardians ~ {:p}",
		dbx.Params{"n": staff.GetString("nursery"), "p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal("parent has no child in the demo nursery")
	}
	childID := e.GetString("child")
	child, _ := app.FindRecordById("children", childID)
	code, err := app.FindFirstRecordByData("checkin_codes", "child", childID)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := hooks.DecryptField(app, code, "pin")
	if err != nil || len(pin) != 5 {
		t.Fatalf("PIN %q: %v", pin, err)
	}
	// Today starts empty, so the kiosk records a check-in.
	if _, err := app.DB().Delete("attendance", dbx.HashExp{"child": childID, "date": civil.Today().String()}).Execute(); err != nil {
		t.Fatal(err)
	}

	a := fx.Accounts["nursery_staff"]
	ctx := browse(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/nursery/kiosk/"),
		chromedp.WaitVisible(chromedp.ID(`login`)),
		chromedp.SendKeys(chromedp.ID(`k-email`), a.Email),
		chromedp.SendKeys(chromedp.ID(`k-password`), a.Password),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID(`kiosk`)),
		chromedp.Click(chromedp.ID(`mode-in`)),
	)
	if err != nil {
		t.Fatalf("kiosk login: %v", err)
	}
	var taps []chromedp.Action[chromedp.Void]
	for _, d := range pin {
		taps = append(taps, chromedp.Click(chromedp.CSS(`#k-keys button[data-key="`+string(d)+`"]`)))
	}
	taps = append(taps,
		chromedp.Click(chromedp.ID(`k-submit`)),
		chromedp.WaitVisible(chromedp.ID(`result`)),
		waitText(`#result-who`, child.GetString("givenName")),
	)
	if err := chromedp.Do(ctx, taps...); err != nil {
		t.Fatalf("PIN check-in: %v", err)
	}
	who, what := text(t, ctx, `#result-who`), text(t, ctx, `#result-what`)
	if !strings.Contains(who, child.GetString("givenName")+"ちゃん") || !strings.Contains(what, "登園") {
		t.Fatalf("kiosk shows %q / %q", who, what)
	}
	if strings.Contains(who, child.GetString("familyName")) {
		t.Errorf("the kiosk shows the family name: %q", who)
	}
	rec, err := app.FindFirstRecordByFilter("attendance", "child = {:c} && date = {:d}", dbx.Params{"c": childID, "d": civil.Today().String()})
	if err != nil || rec.GetString("inMethod") != "pin" || rec.GetDateTime("checkIn").IsZero() {
		t.Fatalf("no PIN check-in recorded: %v", err)
	}

	// The same PIN again at once (typed this time) is the same check-in.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(`result`)),
		chromedp.WaitNotVisible(chromedp.ID(`result`)),
		chromedp.SendKeys(chromedp.ID(`k-pin`), pin),
		chromedp.Click(chromedp.ID(`k-submit`)),
		waitText(`#result-what`, "記録済み"),
	)
	if err != nil {
		t.Fatalf("repeat: %v", err)
	}
}

// TestParentSeesCheckinLive: the parent's page shows a kiosk check-in at
// once, and the guardian sees the child's PIN.
func TestParentSeesCheckinLive(t *testing.T) {
	base, app := siteApp(t)
	staff, err := app.FindRecordById("nursery_staff", fx.IDs["nursery_staff"])
	if err != nil {
		t.Fatal(err)
	}
	e, err := app.FindFirstRecordByFilter("enrolments", "nursery = {:n} && child.guardians ~ {:p}",
		dbx.Params{"n": staff.GetString("nursery"), "p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal("parent has no child in the demo nursery")
	}
	childID := e.GetString("child")
	code, _ := app.FindFirstRecordByData("checkin_codes", "child", childID)
	pin, _ := hooks.DecryptField(app, code, "pin")
	if _, err := app.DB().Delete("attendance", dbx.HashExp{"child": childID, "date": civil.Today().String()}).Execute(); err != nil {
		t.Fatal(err)
	}

	ctx := browse(t)
	login(t, ctx, base, "parent")
	today := `#today-` + childID
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/nursery/"),
		chromedp.WaitVisible(chromedp.CSS(today)),
		chromedp.Click(chromedp.CSS(`#code-`+childID)),
		waitText(`.code-pin`, pin),
		// The page has subscribed to attendance.
		chromedp.WaitVisible(chromedp.CSS(`body[data-live="on"]`)),
	)
	if err != nil {
		t.Fatalf("parent's nursery page: %v", err)
	}
	if got := text(t, ctx, today); strings.Contains(got, ":") {
		t.Fatalf("today shows a time before any check-in: %q", got)
	}

	tok, err := staff.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/lifestage/nursery/checkin", strings.NewReader(`{"code":"`+pin+`","direction":"in"}`))
	req.Header.Set("Authorization", tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Clock string `json:"clock"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.Clock == "" {
		t.Fatalf("check-in answered %d (%v)", res.StatusCode, err)
	}
	clock := body.Clock
	if err := chromedp.Do(ctx, waitText(today, clock)); err != nil {
		t.Fatalf("the check-in at %s did not show live: %v (today: %q)", clock, err, text(t, ctx, today))
	}
}

// TestStaffClockInAndCorrect: a teacher clocks in, and corrects a child's
// check-in time, which needs a reason.
func TestStaffClockInAndCorrect(t *testing.T) {
	base, app := siteApp(t)
	staff, err := app.FindRecordById("nursery_staff", fx.IDs["nursery_staff"])
	if err != nil {
		t.Fatal(err)
	}
	e, err := app.FindFirstRecordByFilter("enrolments", "nursery = {:n} && child.guardians ~ {:p}",
		dbx.Params{"n": staff.GetString("nursery"), "p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	childID := e.GetString("child")
	day := civil.Today().String()
	for _, c := range []struct {
		collection string
		key        dbx.HashExp
	}{{"attendance", dbx.HashExp{"child": childID, "date": day}}, {"staff_attendance", dbx.HashExp{"staff": staff.Id, "date": day}}} {
		if _, err := app.DB().Delete(c.collection, c.key).Execute(); err != nil {
			t.Fatal(err)
		}
	}

	a := fx.Accounts["nursery_staff"]
	ctx := browseLong(t)
	row := `#fix-` + childID
	err = chromedp.Do(ctx,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.ID(`profile`)),
		chromedp.Navigate(base+"/nursery/attendance/"),
		chromedp.WaitVisible(chromedp.CSS(`#staff-today li`)),
		chromedp.Click(chromedp.CSS(`#me-form button[value="in"]`)),
		waitText(`#me-status`, "出勤"),
		waitText(`#me-today`, ":"),
		chromedp.WaitVisible(chromedp.CSS(`#board li`)),
	)
	if err != nil {
		t.Fatalf("clock in: %v", err)
	}
	if _, err := app.FindFirstRecordByFilter("staff_attendance", "staff = {:s} && date = {:d}", dbx.Params{"s": staff.Id, "d": day}); err != nil {
		t.Fatal("no staff attendance recorded")
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+`fix-`+childID+`-in").closest("details").open = true`),
		chromedp.SetValue(chromedp.CSS(row+`-in`), "07:45"),
		chromedp.Click(chromedp.CSS(`#board li details[open] button[type="submit"]`)),
		waitText(`#board li details[open] .field-error`, "理由"),
		chromedp.SendKeys(chromedp.CSS(row+`-note`), "QRの読み忘れ（保護者に確認）"),
		chromedp.Click(chromedp.CSS(`#board li details[open] button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#board li details[open]`)),
	)
	if err != nil {
		t.Fatalf("correction: %v", err)
	}
	rec, err := app.FindFirstRecordByFilter("attendance", "child = {:c} && date = {:d}", dbx.Params{"c": childID, "d": day})
	if err != nil || rec.GetString("inMethod") != "manual" || rec.GetString("note") == "" {
		t.Fatalf("correction not saved as manual with a reason: %v", err)
	}
	if got := rec.GetDateTime("checkIn").Time().In(civil.Tokyo).Format("15:04"); got != "07:45" {
		t.Fatalf("check-in %s, want 07:45", got)
	}

	// The printable cards: one per child, with the QR code drawn.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/nursery/cards/"),
		chromedp.WaitVisible(chromedp.CSS(`li[data-child="`+childID+`"] img`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('li[data-child="`+childID+`"] img').naturalWidth > 0`),
	)
	if err != nil {
		t.Fatalf("cards: %v", err)
	}
}
