package hooks

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/delivery"
	"github.com/saijo-dx/lifestage/notify"
)

// Environment settings of web push delivery (see docs/operations.md).
const (
	VAPIDPublicEnv  = "LIFESTAGE_VAPID_PUBLIC_KEY"
	VAPIDPrivateEnv = "LIFESTAGE_VAPID_PRIVATE_KEY"
	VAPIDSubjectEnv = "LIFESTAGE_VAPID_SUBJECT"
	// PushAllowHTTPEnv=1 accepts http:// endpoints: only for tests against a
	// local push service. Browsers' push services are always https.
	PushAllowHTTPEnv = "LIFESTAGE_PUSH_ALLOW_HTTP"
	// PushHostsEnv adds push service hosts (comma separated) to
	// delivery.PushServices, for a browser whose service is not listed.
	PushHostsEnv = "LIFESTAGE_PUSH_HOSTS"
	vapidFile    = "vapid.json"
)

// Delivery tuning. Retries wait pushRetryBase, 2×, 4× (tests shorten it).
var (
	pushRetryBase   = 30 * time.Second
	pushMaxAttempts = 4
	// How long a notification waits for room in the full delivery queue
	// before only its in-app copy remains.
	pushQueueWait = 30 * time.Second
)

var (
	pushOnce  sync.Once
	pushQueue *delivery.Queue
	vapidMu   sync.Mutex
	vapidKeys = map[string]delivery.Keys{} // by data dir
)

func bindPush(app core.App) {
	pushOnce.Do(func() {
		// One process-wide queue and channel: the channel delivers with the
		// app each notification came from.
		pushQueue = delivery.NewQueue(4, 10000)
		notify.RegisterChannel(pushChannel{})
	})
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		deliveries.Delete(e.App.DataDir()) // a restarted app delivers again
		return e.Next()
	})
	app.OnBootstrapClear().BindFunc(func(e *core.BootstrapEvent) error {
		deliveriesOf(e.App).close(10 * time.Second)
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/push/key", pushKey).Bind(apis.BodyLimit(bodyLimit))
		g := se.Router.Group("/api/lifestage/push/subscriptions")
		g.Bind(apis.RequireAuth(), apis.BodyLimit(bodyLimit))
		g.POST("", subscribePush)
		g.DELETE("", unsubscribePush)
		bindPushPreferences(se)
		return se.Next()
	})
}

// appDeliveries tracks one app's deliveries, so that shutting the app down
// (or a test cleaning it up) waits for those in flight and drops the rest
// instead of querying a closing database. The in-app copies stay.
type appDeliveries struct {
	mu      sync.Mutex
	closed  bool
	running int
}

var deliveries sync.Map // data dir -> *appDeliveries

// deliveriesOf keys by data dir: a transaction's app shares its parent's.
func deliveriesOf(app core.App) *appDeliveries {
	d, _ := deliveries.LoadOrStore(app.DataDir(), &appDeliveries{})
	return d.(*appDeliveries)
}

func (d *appDeliveries) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.running++
	return true
}

func (d *appDeliveries) end() {
	d.mu.Lock()
	d.running--
	d.mu.Unlock()
}

func (d *appDeliveries) close(timeout time.Duration) {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		d.mu.Lock()
		n := d.running
		d.mu.Unlock()
		if n == 0 {
			return
		}
	}
}

// guarded runs fn only while the app is open, counting it as in flight.
func guarded(app core.App, fn func()) func() {
	return func() {
		d := deliveriesOf(app)
		if !d.begin() {
			return
		}
		defer d.end()
		fn()
	}
}

// vapid returns the VAPID keys: from the environment, or from a file in the
// data dir that is made on first use, so subscriptions survive restarts.
func vapid(app core.App) (delivery.Keys, error) {
	if pub, priv := os.Getenv(VAPIDPublicEnv), os.Getenv(VAPIDPrivateEnv); pub != "" && priv != "" {
		return delivery.Keys{Public: pub, Private: priv}, nil
	}
	vapidMu.Lock()
	defer vapidMu.Unlock()
	dir := app.DataDir()
	if k, ok := vapidKeys[dir]; ok {
		return k, nil
	}
	path := filepath.Join(dir, vapidFile)
	var k delivery.Keys
	if raw, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(raw, &k); err != nil || k.Public == "" || k.Private == "" {
			return k, errors.New("push: " + path + " is not a VAPID key file")
		}
	} else {
		if k, err = delivery.GenerateKeys(); err != nil {
			return k, err
		}
		raw, _ := json.Marshal(k)
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return k, err
		}
	}
	vapidKeys[dir] = k
	return k, nil
}

func vapidSubject(app core.App) string {
	if s := os.Getenv(VAPIDSubjectEnv); s != "" {
		return s
	}
	return "mailto:" + app.Settings().Meta.SenderAddress
}

// pushKey serves the public key browsers subscribe with.
func pushKey(e *core.RequestEvent) error {
	k, err := vapid(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"publicKey": k.Public})
}

type pushSubscriptionBody struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	UserAgent string `json:"userAgent"`
}

// keyOfLength checks a base64url browser key of n decoded bytes.
func keyOfLength(n int) validation.RuleFunc {
	return func(v any) error {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v.(string), "="))
		if err != nil || len(b) != n {
			return validation.NewError("invalid_key", "ブラウザの鍵の形式が正しくありません")
		}
		return nil
	}
}

// subscribePush stores the caller's browser subscription. An endpoint is a
// secret only that browser knows, so re-subscribing it under another account
// (someone else logged in on the same device) moves it to that account.
func subscribePush(e *core.RequestEvent) error {
	var body pushSubscriptionBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("送信内容を読み取れません", err)
	}
	allowHTTP := os.Getenv(PushAllowHTTPEnv) == "1"
	errs := validation.Errors{
		"endpoint": validation.Validate(body.Endpoint, validation.Required.Error("送信先URLは必須です"),
			validation.By(func(any) error {
				if !delivery.ValidEndpoint(body.Endpoint, allowHTTP, pushHosts()) {
					return validation.NewError("invalid_endpoint", "送信先URLはブラウザのプッシュサービスのhttpsのURLでなければなりません")
				}
				return nil
			})),
		"p256dh": validation.Validate(body.Keys.P256dh, validation.Required.Error("鍵p256dhは必須です"), validation.By(keyOfLength(65))),
		"auth":   validation.Validate(body.Keys.Auth, validation.Required.Error("鍵authは必須です"), validation.By(keyOfLength(16))),
	}
	if err := errs.Filter(); err != nil {
		return apis.NewBadRequestError("入力内容を確認してください", err)
	}
	rec, err := e.App.FindFirstRecordByData(collections.PushSubscriptions, "endpoint", body.Endpoint)
	if err != nil {
		col, cerr := e.App.FindCachedCollectionByNameOrId(collections.PushSubscriptions)
		if cerr != nil {
			return e.InternalServerError("", cerr)
		}
		rec = core.NewRecord(col)
		rec.Set("endpoint", body.Endpoint)
	}
	rec.Set("owner", e.Auth.Id)
	rec.Set("ownerCollection", e.Auth.Collection().Name)
	rec.Set("p256dh", body.Keys.P256dh)
	rec.Set("auth", body.Keys.Auth)
	rec.Set("userAgent", truncateRunes(body.UserAgent, 300))
	rec.Set("failures", 0)
	if err := e.App.SaveWithContext(actorContext(e), rec); err != nil {
		return e.BadRequestError("購読を登録できませんでした", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": rec.Id, "endpoint": rec.GetString("endpoint")})
}

// unsubscribePush deletes the caller's subscription with the endpoint given
// in the body or the query. Another person's endpoint is "not found".
func unsubscribePush(e *core.RequestEvent) error {
	var body struct {
		Endpoint string `json:"endpoint"`
	}
	_ = e.BindBody(&body)
	if body.Endpoint == "" {
		body.Endpoint = e.Request.URL.Query().Get("endpoint")
	}
	if body.Endpoint == "" {
		return fieldError("endpoint", "validation_required", "送信先URLは必須です")
	}
	rec, err := e.App.FindFirstRecordByFilter(collections.PushSubscriptions,
		"endpoint = {:e} && owner = {:o} && ownerCollection = {:c}",
		dbx.Params{"e": body.Endpoint, "o": e.Auth.Id, "c": e.Auth.Collection().Name})
	if err != nil {
		return e.NotFoundError("この購読は見つかりません", nil)
	}
	if err := e.App.DeleteWithContext(actorContext(e), rec); err != nil {
		return e.InternalServerError("", err)
	}
	return e.NoContent(http.StatusNoContent)
}

func pushHosts() []string {
	hosts := slices.Clone(delivery.PushServices)
	for _, h := range strings.Split(os.Getenv(PushHostsEnv), ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(len(r), n)])
}

// pushChannel delivers every stored notification by web push, or by email
// when the person has no working subscription or push failed for good.
type pushChannel struct{}

func (pushChannel) Name() string { return "push" }

// Deliver applies the person's preferences and queues the delivery; it never
// sends inline, so the caller (already off the request) only waits for room
// in the queue.
func (pushChannel) Deliver(ctx context.Context, app core.App, n *core.Record) error {
	d := deliveriesOf(app)
	if !d.begin() {
		return nil
	}
	defer d.end()
	prefs := preferencesOf(app, n.GetString("recipient"), n.GetString("recipientCollection"))
	decision := delivery.Decide(prefs, n.GetString("kind"), time.Now())
	if !decision.Deliver {
		return nil
	}
	job := guarded(app, func() { deliverNow(app, n, prefs) })
	if wait := time.Until(decision.At); wait > 0 {
		pushQueue.After(wait, job)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, pushQueueWait)
	defer cancel()
	if !pushQueue.Submit(ctx, job) {
		return errors.New("push: delivery queue full; the notification stays in the app only")
	}
	return nil
}

// preferencesOf loads a person's preferences; none means the defaults.
func preferencesOf(app core.App, owner, ownerCollection string) delivery.Prefs {
	rec, err := app.FindFirstRecordByFilter(collections.NotificationPreferences,
		"owner = {:o} && ownerCollection = {:c}", dbx.Params{"o": owner, "c": ownerCollection})
	if err != nil {
		return delivery.Prefs{}
	}
	return delivery.Prefs{QuietStart: rec.GetString("quietStart"), QuietEnd: rec.GetString("quietEnd"),
		OptOut: rec.GetStringSlice("optOut"), NoEmail: rec.GetBool("noEmail")}
}

// pushAttempt tracks one notification across its subscriptions: when the
// last one ends without any success, email takes over.
type pushAttempt struct {
	app       core.App
	n         *core.Record
	prefs     delivery.Prefs
	sender    *delivery.Sender
	payload   delivery.Payload
	open      atomic.Int32
	delivered atomic.Bool
}

func deliverNow(app core.App, n *core.Record, prefs delivery.Prefs) {
	subs, err := app.FindRecordsByFilter(collections.PushSubscriptions,
		"owner = {:o} && ownerCollection = {:c} && failures < {:max}", "", 0, 0,
		dbx.Params{"o": n.GetString("recipient"), "c": n.GetString("recipientCollection"), "max": delivery.MaxFailures})
	if err != nil {
		app.Logger().Warn("push: subscriptions unavailable", "error", err)
		return
	}
	if len(subs) == 0 {
		emailFallback(app, n, prefs)
		return
	}
	keys, err := vapid(app)
	if err != nil {
		app.Logger().Error("push: no VAPID keys", "error", err)
		emailFallback(app, n, prefs)
		return
	}
	a := &pushAttempt{app: app, n: n, prefs: prefs,
		sender:  &delivery.Sender{Keys: keys, Subject: vapidSubject(app)},
		payload: delivery.NewPayload(n.Id, n.GetString("kind"), n.GetString("title"), n.GetString("body"), n.GetString("link"))}
	a.open.Store(int32(len(subs)))
	for _, s := range subs {
		a.try(s, 1)
	}
}

// try sends to one subscription and books the outcome; retries go back on
// the queue after a backoff instead of holding a worker.
func (a *pushAttempt) try(sub *core.Record, attempt int) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := a.sender.Send(ctx, delivery.Subscription{Endpoint: sub.GetString("endpoint"),
		P256dh: sub.GetString("p256dh"), Auth: sub.GetString("auth")}, a.payload)
	switch {
	case res == delivery.Delivered:
		a.delivered.Store(true)
		sub.Set("lastSuccess", types.NowDateTime())
		sub.Set("failures", 0)
		a.saveQuietly(sub)
	case res == delivery.Gone:
		if err := a.app.Delete(sub); err != nil && !errors.Is(err, context.Canceled) {
			a.app.Logger().Warn("push: could not remove a dead subscription", "error", err)
		}
	case res == delivery.Retry && attempt < pushMaxAttempts:
		pushQueue.After(delivery.Backoff(attempt, pushRetryBase), guarded(a.app, func() { a.try(sub, attempt+1) }))
		return // still open
	default:
		a.app.Logger().Warn("push: delivery failed", "notification", a.n.Id, "attempt", attempt, "error", err)
		sub.Set("failures+", 1)
		a.saveQuietly(sub)
	}
	if a.open.Add(-1) == 0 && !a.delivered.Load() {
		emailFallback(a.app, a.n, a.prefs)
	}
}

func (a *pushAttempt) saveQuietly(sub *core.Record) {
	if err := a.app.Save(sub); err != nil {
		a.app.Logger().Warn("push: could not update a subscription", "error", err)
	}
}
