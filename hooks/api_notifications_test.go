package hooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/testutil"
)

func account(t testing.TB, app core.App, role string) *core.Record {
	rec, err := app.FindRecordById(fx.Accounts[role].Collection, fx.IDs[role])
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestNotifySendsOncePerReasonAndDay(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	parent := account(t, app, "parent")
	msg := notify.Message{Recipient: parent, Kind: "test.reminder", Title: "予防接種の時期です", Reason: "child-1"}
	first, err := notify.Send(app, msg)
	if err != nil || first == nil {
		t.Fatalf("first send: %v %v", first, err)
	}
	again, err := notify.Send(app, msg)
	if err != nil || again != nil {
		t.Fatalf("a repeat must be dropped, got %v %v", again, err)
	}
	msg.Reason = "child-2"
	if other, err := notify.Send(app, msg); err != nil || other == nil {
		t.Fatalf("another reason must be sent: %v", err)
	}
	n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": parent.Id, "kind": "test.reminder"})
	if n != 2 {
		t.Fatalf("stored %d, want 2", n)
	}
	staff := account(t, app, "city_child")
	rec, err := notify.Send(app, notify.Message{Recipient: staff, Kind: "test.reminder", Title: "x", Reason: "child-1"})
	if err != nil || rec.GetString("recipientCollection") != "city_staff" {
		t.Fatalf("staff notification: %v %v", rec, err)
	}
	if _, err := notify.Send(app, notify.Message{Kind: "x", Title: "x"}); err == nil {
		t.Fatal("a notification without recipient must fail")
	}
}

func TestNotificationsRoutes(t *testing.T) {
	app := fx.NewApp(t)
	var own, foreign string
	if rec, err := app.FindFirstRecordByFilter("notifications", "recipient = {:r}", dbx.Params{"r": fx.IDs["parent"]}); err == nil {
		own = rec.Id
	}
	if rec, err := app.FindFirstRecordByFilter("notifications", "recipient = {:r}", dbx.Params{"r": fx.IDs["parent2"]}); err == nil {
		foreign = rec.Id
	}
	// The demo gives parent a welcome and other news (an invoice, say).
	unread, err := app.CountRecords("notifications", dbx.NewExp("recipient = {:r} AND readAt = ''", dbx.Params{"r": fx.IDs["parent"]}))
	if err != nil || unread == 0 {
		t.Fatalf("parent has %d unread notifications (%v)", unread, err)
	}
	app.Cleanup()
	if own == "" || foreign == "" {
		t.Fatal("fixture lacks welcome notifications")
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "read-all marks only my unread", Method: http.MethodPost, URL: "/api/lifestage/notifications/read-all",
			Headers: auth("parent"), ExpectedStatus: 200, ExpectedContent: []string{fmt.Sprintf(`"updated":%d`, unread)},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				other, _ := app.FindRecordById("notifications", foreign)
				if !other.GetDateTime("readAt").IsZero() {
					t.Fatal("another person's notification was marked read")
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "notifications", "action": "update", "actor": fx.IDs["parent"]})
				if n != unread {
					t.Fatalf("%d audit entries for marking read, want %d", n, unread)
				}
			},
		},
		{
			Name: "read-all needs a login", Method: http.MethodPost, URL: "/api/lifestage/notifications/read-all",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "the owner may only mark read, not rewrite", Method: http.MethodPatch,
			URL: "/api/collections/notifications/records/" + own, Headers: auth("parent"),
			Body: strings.NewReader(`{"title":"書き換え"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// subscribeAs registers a realtime client logged in as the role and
// subscribed to the topic, as the browser's SDK would.
func subscribeAs(t testing.TB, app core.App, role, topic string) subscriptions.Client {
	c := subscriptions.NewDefaultClient()
	c.Set(apis.RealtimeClientAuthKey, account(t, app, role))
	c.Subscribe(topic)
	app.SubscriptionsBroker().Register(c)
	return c
}

// TestNotificationsRealtime subscribes two citizens and checks that only the
// recipient hears about a new notification.
func TestNotificationsRealtime(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	// Building the handler binds PocketBase's realtime record events.
	if _, err := testutil.Handler(app); err != nil {
		t.Fatal(err)
	}
	mine, theirs := subscribeAs(t, app, "parent", "notifications/*"), subscribeAs(t, app, "parent2", "notifications/*")

	if _, err := notify.Send(app, notify.Message{Recipient: account(t, app, "parent"), Kind: "test.live", Title: "お迎えの時間が変わりました"}); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-mine.Channel():
		var payload struct {
			Action string `json:"action"`
			Record struct {
				Title string `json:"title"`
			} `json:"record"`
		}
		if err := json.Unmarshal(msg.Data, &payload); err != nil || payload.Action != "create" || payload.Record.Title != "お迎えの時間が変わりました" {
			t.Fatalf("unexpected message %s (%v)", msg.Data, err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the recipient got no realtime message")
	}
	select {
	case msg := <-theirs.Channel():
		t.Fatalf("another citizen received %s", msg.Data)
	case <-time.After(200 * time.Millisecond):
	}
}

type recordingChannel struct{ got chan string }

func (c recordingChannel) Name() string { return "test" }
func (c recordingChannel) Deliver(_ context.Context, _ core.App, n *core.Record) error {
	select { // never block later tests' deliveries
	case c.got <- n.GetString("title"):
	default:
	}
	return nil
}

// TestChannelsGetCommittedNotifications plugs in a delivery channel: it
// receives a committed notification, and never one whose transaction rolled
// back.
func TestChannelsGetCommittedNotifications(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	ch := recordingChannel{got: make(chan string, 4)}
	notify.RegisterChannel(ch)
	parent := account(t, app, "parent")

	_ = app.RunInTransaction(func(tx core.App) error {
		if _, err := notify.Send(tx, notify.Message{Recipient: parent, Kind: "test.rollback", Title: "取り消される通知"}); err != nil {
			t.Fatal(err)
		}
		return errors.New("roll back")
	})
	if _, err := notify.Send(app, notify.Message{Recipient: parent, Kind: "test.push", Title: "届く通知"}); err != nil {
		t.Fatal(err)
	}
	select {
	case title := <-ch.got:
		if title != "届く通知" {
			t.Fatalf("channel got %q first", title)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the channel got nothing")
	}
	select {
	case title := <-ch.got:
		t.Fatalf("channel also got %q", title)
	case <-time.After(200 * time.Millisecond):
	}
}
