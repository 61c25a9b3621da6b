package hooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/delivery"
	"github.com/saijo-dx/lifestage/delivery/pushtest"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/notify"
)

// A browser-shaped subscription body (the keys are a real P-256 point and a
// 16-byte secret, base64url).
const (
	testP256dh = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
	testAuth   = "tBHItJI5svbpez7KI4CCXg"
)

func subscribeBody(endpoint string) string {
	return `{"endpoint":"` + endpoint + `","keys":{"p256dh":"` + testP256dh + `","auth":"` + testAuth + `"},"userAgent":"テスト端末"}`
}

func demoEndpoint(role string) string { return "https://push.invalid/demo/" + fx.IDs[role] }

func subscriptionExists(t testing.TB, app core.App, endpoint string) *core.Record {
	rec, _ := app.FindFirstRecordByData(collections.PushSubscriptions, "endpoint", endpoint)
	return rec
}

func TestPushRoutes(t *testing.T) {
	t.Setenv(hooks.PushHostsEnv, "push.example.com")
	const url = "/api/lifestage/push/subscriptions"
	scenarios := []tests.ApiScenario{
		{Name: "the VAPID public key is public", Method: http.MethodGet, URL: "/api/lifestage/push/key",
			ExpectedStatus: 200, ExpectedContent: []string{`"publicKey":"B`}, NotExpectedContent: []string{"private"}},
		{Name: "guests cannot subscribe", Method: http.MethodPost, URL: url, Body: strings.NewReader(subscribeBody("https://push.example.com/a")),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "a citizen subscribes", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body: strings.NewReader(subscribeBody("https://push.example.com/parent-phone")), ExpectedStatus: 200,
			ExpectedContent: []string{`"endpoint":"https://push.example.com/parent-phone"`},
			ExpectedEvents:  map[string]int{"OnRecordCreate": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				rec := subscriptionExists(t, app, "https://push.example.com/parent-phone")
				if rec == nil || rec.GetString("owner") != fx.IDs["parent"] || rec.GetString("ownerCollection") != "users" || rec.GetString("p256dh") != testP256dh {
					t.Fatalf("stored subscription = %v", rec)
				}
			}},
		{Name: "staff of another auth collection subscribe too", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			Body: strings.NewReader(subscribeBody("https://push.example.com/staff-pc")), ExpectedStatus: 200,
			ExpectedContent: []string{`"endpoint"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if rec := subscriptionExists(t, app, "https://push.example.com/staff-pc"); rec == nil || rec.GetString("ownerCollection") != "nursery_staff" {
					t.Fatalf("stored subscription = %v", rec)
				}
			}},
		{Name: "an http endpoint is refused", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body: strings.NewReader(subscribeBody("http://push.example.com/a")), ExpectedStatus: 400,
			ExpectedContent: []string{`"endpoint":{"code":"invalid_endpoint"`}},
		{Name: "an endpoint outside the push services is refused", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body: strings.NewReader(subscribeBody("https://10.0.0.1/internal")), ExpectedStatus: 400,
			ExpectedContent: []string{`"endpoint":{"code":"invalid_endpoint"`}},
		{Name: "a non-URL endpoint is refused", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body: strings.NewReader(subscribeBody("javascript:alert(1)")), ExpectedStatus: 400,
			ExpectedContent: []string{`"invalid_endpoint"`}},
		{Name: "malformed keys are refused", Method: http.MethodPost, URL: url, Headers: auth("parent"),
			Body:           strings.NewReader(`{"endpoint":"https://push.example.com/x","keys":{"p256dh":"abc","auth":""}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"p256dh":{"code":"invalid_key"`, `"auth":{"code":"validation_required"`}},
		{Name: "the owner unsubscribes", Method: http.MethodDelete, URL: url, Headers: auth("parent"),
			Body: strings.NewReader(`{"endpoint":"` + demoEndpoint("parent") + `"}`), ExpectedStatus: 204,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if subscriptionExists(t, app, demoEndpoint("parent")) != nil {
					t.Fatal("subscription still there")
				}
			}},
		{Name: "someone else's subscription cannot be deleted", Method: http.MethodDelete, URL: url + "?endpoint=" + demoEndpoint("parent2"),
			Headers: auth("parent"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if subscriptionExists(t, app, demoEndpoint("parent2")) == nil {
					t.Fatal("parent2's subscription was deleted by parent")
				}
			}},
		{Name: "guests cannot unsubscribe", Method: http.MethodDelete, URL: url + "?endpoint=" + demoEndpoint("parent"),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "the owner lists only their own subscriptions, without keys", Method: http.MethodGet,
			URL: "/api/collections/push_subscriptions/records", Headers: auth("parent"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"totalItems":1`, fx.IDs["parent"]},
			NotExpectedContent: []string{fx.IDs["parent2"], `"p256dh"`, `"auth":`}},
		{Name: "subscriptions cannot be created through the records API", Method: http.MethodPost,
			URL: "/api/collections/push_subscriptions/records", Headers: auth("parent"),
			Body: strings.NewReader(`{"owner":"` + fx.IDs["parent"] + `","ownerCollection":"users","endpoint":"https://push.example.com/y","p256dh":"x","auth":"y"}`), ExpectedStatus: 403,
			ExpectedContent: []string{`"status":403`}},
		{Name: "preferences: the owner reads theirs", Method: http.MethodGet, URL: "/api/lifestage/push/preferences", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"quietStart":"21:00"`, `"quietEnd":"07:00"`, `"optOut":["event"]`, `"code":"health"`}},
		{Name: "preferences: defaults when none are stored", Method: http.MethodGet, URL: "/api/lifestage/push/preferences", Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"quietStart":""`, `"optOut":[]`}},
		{Name: "preferences: guests are refused", Method: http.MethodGet, URL: "/api/lifestage/push/preferences",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "preferences: saved", Method: http.MethodPut, URL: "/api/lifestage/push/preferences", Headers: auth("city_child"),
			Body:           strings.NewReader(`{"quietStart":"22:00","quietEnd":"06:00","optOut":["watch","event"],"noEmail":true}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"quietStart":"22:00"`, `"optOut":["watch","event"]`, `"noEmail":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				rec, err := app.FindFirstRecordByFilter(collections.NotificationPreferences, "owner = {:o}", dbx.Params{"o": fx.IDs["city_child"]})
				if err != nil || rec.GetString("ownerCollection") != "city_staff" || rec.GetString("quietEnd") != "06:00" {
					t.Fatalf("stored preferences = %v %v", rec, err)
				}
			}},
		{Name: "preferences: a half quiet period, a bad time and an unknown category are refused", Method: http.MethodPut,
			URL: "/api/lifestage/push/preferences", Headers: auth("parent"),
			Body:           strings.NewReader(`{"quietStart":"25:00","quietEnd":"","optOut":["secret"]}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"quietStart":{"code":"invalid_time"`, `"optOut":{"code":"invalid_category"`}},
		{Name: "preferences: start without end is refused", Method: http.MethodPut,
			URL: "/api/lifestage/push/preferences", Headers: auth("parent"),
			Body:           strings.NewReader(`{"quietStart":"21:00","quietEnd":""}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"quietEnd":{"code":"quiet_hours_pair"`}},
		{Name: "preferences cannot be written through the records API", Method: http.MethodPatch,
			URL: "/api/collections/notification_preferences/records/" + preferencesID("parent"), Headers: auth("parent"),
			Body: strings.NewReader(`{"optOut":[]}`), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func preferencesID(role string) string {
	app := fxApp()
	defer app.Cleanup()
	rec, err := app.FindFirstRecordByFilter(collections.NotificationPreferences, "owner = {:o}", dbx.Params{"o": fx.IDs[role]})
	if err != nil {
		panic(err)
	}
	return rec.Id
}

func fxApp() *tests.TestApp {
	app, err := tests.NewTestApp(fx.Dir)
	if err != nil {
		panic(err)
	}
	return app
}

// pushWorld is a test app with a local push service and one working
// subscription for the role.
type pushWorld struct {
	app      *tests.TestApp
	svc      *pushtest.Server
	endpoint string
	who      *core.Record
}

func newPushWorld(t *testing.T, role string, prefs map[string]any) *pushWorld {
	t.Setenv(hooks.PushAllowHTTPEnv, "1")
	t.Cleanup(hooks.SetPushRetryBase(5 * time.Millisecond))
	w := &pushWorld{app: fx.NewApp(t), svc: pushtest.New()}
	t.Cleanup(func() {
		_ = hooks.WaitPushIdle(5 * time.Second)
		w.svc.Close()
		w.app.Cleanup()
	})
	w.who = account(t, w.app, role)
	w.endpoint = w.subscribe(t, "phone")
	w.setPrefs(t, prefs)
	return w
}

func (w *pushWorld) subscribe(t *testing.T, name string) string {
	endpoint, p256dh, authKey := w.svc.Subscribe(name)
	col, _ := w.app.FindCollectionByNameOrId(collections.PushSubscriptions)
	rec := core.NewRecord(col)
	for k, v := range map[string]any{"owner": w.who.Id, "ownerCollection": w.who.Collection().Name, "endpoint": endpoint, "p256dh": p256dh, "auth": authKey} {
		rec.Set(k, v)
	}
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	return endpoint
}

// setPrefs replaces the person's preferences (nil: none at all).
func (w *pushWorld) setPrefs(t *testing.T, prefs map[string]any) {
	if old, err := w.app.FindFirstRecordByFilter(collections.NotificationPreferences, "owner = {:o}", dbx.Params{"o": w.who.Id}); err == nil {
		if err := w.app.Delete(old); err != nil {
			t.Fatal(err)
		}
	}
	if prefs == nil {
		return
	}
	col, _ := w.app.FindCollectionByNameOrId(collections.NotificationPreferences)
	rec := core.NewRecord(col)
	rec.Set("owner", w.who.Id)
	rec.Set("ownerCollection", w.who.Collection().Name)
	for k, v := range prefs {
		rec.Set(k, v)
	}
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
}

// send stores a notification and waits until its delivery settled.
func (w *pushWorld) send(t *testing.T, kind, title, body string) *core.Record {
	rec, err := notify.Send(w.app, notify.Message{Recipient: w.who, Kind: kind, Title: title, Body: body, Link: "/me/child/", Reason: t.Name()})
	if err != nil || rec == nil {
		t.Fatalf("send: %v %v", rec, err)
	}
	time.Sleep(30 * time.Millisecond) // the after-commit hook hands it over in a goroutine
	if err := hooks.WaitPushIdle(5 * time.Second); err != nil {
		t.Fatalf("delivery did not settle: %v (%d pending)", err, hooks.PushPending())
	}
	return rec
}

func (w *pushWorld) mailsTo(email string) []string {
	var out []string
	for _, m := range w.app.TestMailer.Messages() {
		for _, to := range m.To {
			if to.Address == email {
				out = append(out, m.Subject+"\n"+m.Text+m.HTML)
			}
		}
	}
	return out
}

func TestPushDeliveryToLocalEndpoint(t *testing.T) {
	w := newPushWorld(t, "city_child", nil)
	n := w.send(t, "nursery.checked_out", "お迎え完了", "体温37.8度のためお迎えを依頼しました")
	got := w.svc.Delivered(w.endpoint)
	if len(got) != 1 {
		t.Fatalf("pushes = %+v", w.svc.Messages())
	}
	p := got[0].Payload
	if p["title"] != "お迎え完了" || p["link"] != "/me/child/" || p["tag"] != n.Id || p["body"] != delivery.HiddenBody {
		t.Fatalf("payload = %v (a health body must not leave the app)", p)
	}
	sub := subscriptionExists(t, w.app, w.endpoint)
	if sub.GetDateTime("lastSuccess").IsZero() || sub.GetInt("failures") != 0 {
		t.Fatalf("subscription not marked delivered: %v", sub)
	}
	if mails := w.mailsTo(w.who.Email()); len(mails) != 0 {
		t.Fatalf("pushed notification also mailed: %v", mails)
	}
}

func TestPushRetriesOn5xxAnd429(t *testing.T) {
	w := newPushWorld(t, "city_child", nil)
	w.svc.Script(w.endpoint, 500, 429, 503)
	w.send(t, "nursery.checked_out", "お迎え完了", "")
	if n := len(w.svc.Messages()); n != 4 || len(w.svc.Delivered(w.endpoint)) != 1 {
		t.Fatalf("%d attempts, delivered %d; want 3 retries then success", n, len(w.svc.Delivered(w.endpoint)))
	}
	if mails := w.mailsTo(w.who.Email()); len(mails) != 0 {
		t.Fatalf("a retried push also mailed: %v", mails)
	}
}

func TestPushGoneRemovesSubscriptionAndFallsBackToEmail(t *testing.T) {
	w := newPushWorld(t, "city_child", nil)
	w.svc.Script(w.endpoint, http.StatusGone)
	w.send(t, "child.vaccine_overdue", "予防接種の期限が過ぎています", "MR2期が未接種です")
	if subscriptionExists(t, w.app, w.endpoint) != nil {
		t.Fatal("a 410 subscription was kept")
	}
	mails := w.mailsTo(w.who.Email())
	if len(mails) != 1 || !strings.Contains(mails[0], "予防接種の期限が過ぎています") || !strings.Contains(mails[0], "/me/child/") || strings.Contains(mails[0], "MR2") {
		t.Fatalf("fallback email = %q (title and link, never the body)", mails)
	}
}

func TestPushExhaustedRetriesCountAFailureAndMail(t *testing.T) {
	w := newPushWorld(t, "city_child", nil)
	w.svc.Script(w.endpoint, 500, 500, 500, 500)
	w.send(t, "nursery.checked_out", "お迎え完了", "")
	if sub := subscriptionExists(t, w.app, w.endpoint); sub == nil || sub.GetInt("failures") != 1 {
		t.Fatalf("subscription after 4 failed attempts = %v", sub)
	}
	if len(w.mailsTo(w.who.Email())) != 1 {
		t.Fatal("no email after push failed for good")
	}
}

func TestPushOneOfTwoDevicesGoneStillNoEmail(t *testing.T) {
	w := newPushWorld(t, "city_child", nil)
	tablet := w.subscribe(t, "tablet")
	w.svc.Script(w.endpoint, http.StatusNotFound)
	w.send(t, "nursery.checked_out", "お迎え完了", "")
	if subscriptionExists(t, w.app, w.endpoint) != nil || len(w.svc.Delivered(tablet)) != 1 {
		t.Fatalf("404 device kept or tablet not reached: %+v", w.svc.Messages())
	}
	if len(w.mailsTo(w.who.Email())) != 0 {
		t.Fatal("mailed although the tablet got the push")
	}
}

func TestPushPreferences(t *testing.T) {
	t.Run("opted-out category is not delivered at all", func(t *testing.T) {
		w := newPushWorld(t, "city_child", map[string]any{"optOut": []string{"nursery"}})
		w.send(t, "nursery.checked_out", "お迎え完了", "")
		if len(w.svc.Messages()) != 0 || len(w.mailsTo(w.who.Email())) != 0 {
			t.Fatal("opted-out notification delivered")
		}
	})
	t.Run("statutory notices ignore opt-out", func(t *testing.T) {
		w := newPushWorld(t, "city_child", map[string]any{"optOut": delivery.CategoryCodes()})
		w.send(t, "child.checkup_soon", "1歳6か月児健診のご案内", "")
		if len(w.svc.Delivered(w.endpoint)) != 1 {
			t.Fatalf("statutory notice not delivered: %+v", w.svc.Messages())
		}
	})
	t.Run("quiet hours hold the push until they end", func(t *testing.T) {
		now := time.Now().In(time.FixedZone("JST", 9*3600))
		w := newPushWorld(t, "city_child", map[string]any{
			"quietStart": now.Add(-time.Hour).Format("15:04"), "quietEnd": now.Add(time.Hour).Format("15:04")})
		_, err := notify.Send(w.app, notify.Message{Recipient: w.who, Kind: "nursery.checked_out", Title: "お迎え完了", Reason: "quiet"})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		if len(w.svc.Messages()) != 0 || hooks.PushPending() == 0 {
			t.Fatalf("pushed during quiet hours (%d pending)", hooks.PushPending())
		}
	})
	t.Run("urgent alerts ignore quiet hours", func(t *testing.T) {
		w := newPushWorld(t, "city_child", map[string]any{"quietStart": "00:00", "quietEnd": "23:59", "optOut": []string{"nursery"}})
		if time.Now().In(time.FixedZone("JST", 9*3600)).Format("15:04") == "23:59" {
			t.Skip("the one minute outside the quiet period")
		}
		w.send(t, "nursery.nap_alert", "午睡チェックの警告", "")
		if len(w.svc.Delivered(w.endpoint)) != 1 {
			t.Fatal("urgent alert held back")
		}
	})
	t.Run("no working subscription: email, unless refused", func(t *testing.T) {
		w := newPushWorld(t, "city_child", nil)
		if err := w.app.Delete(subscriptionExists(t, w.app, w.endpoint)); err != nil {
			t.Fatal(err)
		}
		w.send(t, "nursery.checked_out", "お迎え完了", "")
		if len(w.mailsTo(w.who.Email())) != 1 {
			t.Fatal("no email without push")
		}
		w.setPrefs(t, map[string]any{"noEmail": true})
		w.send(t, "nursery.event_published", "運動会", "")
		if len(w.mailsTo(w.who.Email())) != 1 {
			t.Fatal("mailed although the person refused email")
		}
	})
}

func TestFanoutStoresInBatchesInTheBackground(t *testing.T) {
	app := fx.NewApp(t)
	defer func() { _ = hooks.WaitPushIdle(10 * time.Second); app.Cleanup() }()
	users, _ := app.FindCollectionByNameOrId(collections.Users)
	var recipients []*core.Record
	for i := range 600 {
		u := core.NewRecord(users)
		u.Id = fmt.Sprintf("fanouttest%05d", i)
		recipients = append(recipients, u)
	}
	recipients = append(recipients, recipients[0]) // a repeat is not stored twice
	m := notify.Message{Kind: "announcement.published", Title: "健診のお知らせ", Link: "/me/", Reason: "fanout-test"}
	start := time.Now()
	done := notify.Fanout(app, m, recipients, 250)
	if time.Since(start) > 50*time.Millisecond {
		t.Fatalf("Fanout blocked its caller for %v", time.Since(start))
	}
	res := <-done
	if res.Err != nil || res.Sent != 600 || res.Failed != 0 {
		t.Fatalf("fan-out = %+v", res)
	}
	n, err := app.CountRecords(notify.Collection, dbx.HashExp{"kind": "announcement.published", "reason": "fanout-test"})
	if err != nil || n != 600 {
		t.Fatalf("stored %d notifications (%v)", n, err)
	}
}
