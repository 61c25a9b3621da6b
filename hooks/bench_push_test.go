package hooks_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/delivery/pushtest"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/testutil"
)

// fanoutSize is the fan-out: 5,000 notifications (all parents of
// children 3–4 months old, and more).
const fanoutSize = 5000

// BenchmarkPushFanout stores 5,000 notifications with notify.Fanout and
// pushes each to its own subscription on a local push service (VAPID signed,
// encrypted, decrypted by the service), while a logged-in parent keeps
// reading their notifications. It reports when the last notification was
// stored and the last push arrived, and the request latency meanwhile.
//
//	go test ./hooks/ -run '^$' -bench PushFanout -benchtime 1x
func BenchmarkPushFanout(b *testing.B) {
	b.Setenv(hooks.PushAllowHTTPEnv, "1")
	app := fx.NewApp(b)
	defer app.Cleanup()
	svc := pushtest.New()
	defer svc.Close()
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	recipients := fanoutRecipients(b, app, svc)
	for i := range b.N {
		before := len(svc.Messages())
		start := time.Now()
		done := notify.Fanout(app, notify.Message{Kind: "announcement.published", Title: "3〜4か月児健診のお知らせ",
			Link: "/me/", Reason: fmt.Sprintf("bench-%d", i)}, recipients, notify.DefaultBatch)

		var lat []time.Duration
		var stop atomic.Bool
		reqDone := make(chan struct{})
		go func() { // a parent using the app during the fan-out
			defer close(reqDone)
			for !stop.Load() {
				t0 := time.Now()
				if r := call(h, http.MethodGet, "/api/collections/notifications/records?perPage=20&skipTotal=1", fx.Tokens["parent"], ""); r.Status != 200 {
					b.Errorf("request during fan-out: %d", r.Status)
				}
				lat = append(lat, time.Since(t0))
				time.Sleep(50 * time.Millisecond) // within the /api/ rate limit
			}
		}()
		res := <-done
		stored := time.Since(start)
		if res.Err != nil || res.Sent != fanoutSize {
			b.Fatalf("fan-out: %+v", res)
		}
		got := svc.WaitFor(before+fanoutSize, 120*time.Second)
		pushed := time.Since(start)
		stop.Store(true)
		<-reqDone
		if len(got)-before != fanoutSize {
			b.Fatalf("%d pushes arrived, want %d", len(got)-before, fanoutSize)
		}
		for _, m := range got[before:] {
			if m.Status >= 300 {
				b.Fatalf("push refused: %+v", m)
			}
		}
		slices.Sort(lat)
		b.ReportMetric(stored.Seconds(), "s-stored")
		b.ReportMetric(pushed.Seconds(), "s-pushed")
		b.ReportMetric(float64(len(lat)), "requests")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-req-median")
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-req-p95")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-req-max")
	}
}

// fanoutRecipients makes fanoutSize parent accounts in memory (notifications
// address a record id, so they need not be saved: saving 5,000 accounts would
// hash 5,000 passwords) and stores one push subscription for each.
func fanoutRecipients(b *testing.B, app core.App, svc *pushtest.Server) []*core.Record {
	users, err := app.FindCollectionByNameOrId(collections.Users)
	if err != nil {
		b.Fatal(err)
	}
	subs, err := app.FindCollectionByNameOrId(collections.PushSubscriptions)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]*core.Record, fanoutSize)
	err = app.RunInTransaction(func(tx core.App) error {
		for i := range out {
			u := core.NewRecord(users)
			u.Id = fmt.Sprintf("fanout%09d", i)
			u.SetEmail(u.Id + "@bench.lifestage.example")
			out[i] = u
			endpoint, p256dh, auth := svc.Subscribe(u.Id)
			s := core.NewRecord(subs)
			s.Load(map[string]any{"owner": u.Id, "ownerCollection": collections.Users, "endpoint": endpoint, "p256dh": p256dh, "auth": auth})
			if err := tx.SaveNoValidate(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
