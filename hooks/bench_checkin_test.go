package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/attendance"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/hooks"
)

// kiosks is the number of kiosks scanning at once in BenchmarkCheckin.
const kiosks = 20

// scan is one child's code and the kiosk of its nursery.
type scan struct{ code, kiosk string }

var checkinPool struct {
	once  sync.Once
	scans []scan
	err   error
}

// checkinScans gives every nursery of the bench city a kiosk account and
// lists every enrolled child's code (QR and PIN alternately) with it.
func checkinScans(b *testing.B) []scan {
	benchHandler(b)
	checkinPool.once.Do(func() {
		app := benchCity.app
		col, err := app.FindCollectionByNameOrId(collections.NurseryStaff)
		if checkinPool.err = err; err != nil {
			return
		}
		codes, err := app.FindAllRecords("checkin_codes")
		if checkinPool.err = err; err != nil {
			return
		}
		tokens := map[string]string{}
		for i, c := range codes {
			nursery := c.GetString("nursery")
			if _, ok := tokens[nursery]; !ok {
				k := core.NewRecord(col)
				k.Load(map[string]any{"name": "登降園端末", "nursery": nursery, "role": collections.NurseryKiosk, "active": true})
				k.SetEmail("kiosk-" + nursery + "@bench.lifestage.example")
				k.SetPassword("long-enough-password")
				if checkinPool.err = app.Save(k); checkinPool.err != nil {
					return
				}
				saved, err := app.FindRecordById(col, k.Id)
				if checkinPool.err = err; err != nil {
					return
				}
				tokens[nursery], _ = saved.NewStaticAuthToken(0)
			}
			code, _ := hooks.DecryptField(app, c, "pin")
			if i%2 == 0 {
				token, _ := hooks.DecryptField(app, c, "token")
				code = attendance.QRPayload(token)
			}
			checkinPool.scans = append(checkinPool.scans, scan{code, tokens[nursery]})
		}
	})
	if checkinPool.err != nil {
		b.Fatal(checkinPool.err)
	}
	return checkinPool.scans
}

// BenchmarkCheckin sends check-ins from 20 kiosks at once, with no pause
// between scans (far busier than a real morning), against a city of
// LIFESTAGE_BENCH_RESIDENTS. Every child is checked in, then out, so each
// scan writes the day's record (and its audit entry; a check-out also
// notifies the guardians). It reports the median and 95th percentile of
// one scan's latency as seen by a kiosk.
func BenchmarkCheckin(b *testing.B) {
	h, _ := benchHandler(b)
	scans := checkinScans(b)
	// Each round starts from a day with no attendance yet.
	if _, err := benchCity.app.DB().Delete("attendance", dbx.HashExp{"date": civil.Today().String()}).Execute(); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	writes := atomic.Int64{}
	b.SetParallelism((kiosks + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := int(next.Add(1) - 1)
			s := scans[i%len(scans)]
			dir := "in"
			if (i/len(scans))%2 == 1 {
				dir = "out"
			}
			req := httptest.NewRequest(http.MethodPost, "/api/lifestage/nursery/checkin", strings.NewReader(`{"code":"`+s.code+`","direction":"`+dir+`"}`))
			req.Header.Set("Authorization", s.kiosk)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, req)
			mine = append(mine, time.Since(start))
			switch {
			case rec.Code == http.StatusOK && !strings.Contains(rec.Body.String(), `"duplicate":true`):
				writes.Add(1)
			case rec.Code == http.StatusOK || rec.Code == http.StatusConflict:
				// a repeat or a conflict: only when b.N outruns 2 × the children
			default:
				b.Errorf("check-in answered %d: %s", rec.Code, rec.Body)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	b.ReportMetric(float64(writes.Load())/float64(len(lat)), "writes/op")
	b.ReportMetric(float64(len(scans)), "children")
}
