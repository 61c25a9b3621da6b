package hooks_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/testutil"
)

// BenchmarkAnnouncementDelivery delivers one announcement aimed at parents
// of 3–4-month-olds to fanoutSize parents: targeting over the city's
// children, one recipient row each, and the notifications through
// notify.Fanout, while a parent keeps reading their inbox.
//
//	go test ./hooks/ -run '^$' -bench AnnouncementDelivery -benchtime 1x
func BenchmarkAnnouncementDelivery(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	birth := civil.Today().AddMonthsClamped(-3).AddDays(-7).String()
	err = app.RunInTransaction(func(tx core.App) error {
		for i := range fanoutSize {
			id := fmt.Sprintf("annbench%07d", i)
			if _, err := tx.DB().NewQuery(`INSERT INTO users (id, email, password, tokenKey) VALUES ({:id}, {:e}, 'x', {:id})`).
				Bind(dbx.Params{"id": id, "e": id + "@bench.lifestage.example"}).Execute(); err != nil {
				return err
			}
			if _, err := tx.DB().NewQuery(`INSERT INTO children (id, familyName, givenName, birthDate, guardians) VALUES ({:c}, '試験', '太郎', {:b}, {:g})`).
				Bind(dbx.Params{"c": fmt.Sprintf("annkid%09d", i), "b": birth, "g": `["` + id + `"]`}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		now := time.Now()
		ann := newAnnouncement(b, app, `{"minAgeMonths":3,"maxAgeMonths":4}`, now.Add(-time.Second))
		var lat []time.Duration
		var stop atomic.Bool
		reqDone := make(chan struct{})
		go func() {
			defer close(reqDone)
			for !stop.Load() {
				t0 := time.Now()
				if r := call(h, http.MethodGet, "/api/lifestage/me/announcements", fx.Tokens["parent"], ""); r.Status != 200 {
					b.Errorf("request during delivery: %d", r.Status)
				}
				lat = append(lat, time.Since(t0))
				time.Sleep(50 * time.Millisecond)
			}
		}()
		start := time.Now()
		sent, err := announcedb.RunDue(app, now)
		took := time.Since(start)
		stop.Store(true)
		<-reqDone
		if err != nil || sent < fanoutSize {
			b.Fatalf("sent %d, %v", sent, err)
		}
		if n, _ := app.CountRecords("announcement_recipients", dbx.HashExp{"announcement": ann.Id}); int(n) != sent {
			b.Fatalf("%d rows for %d notifications", n, sent)
		}
		slices.Sort(lat)
		b.ReportMetric(float64(sent), "recipients")
		b.ReportMetric(took.Seconds(), "s-delivered")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-req-median")
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-req-p95")
	}
}
