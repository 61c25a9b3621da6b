package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// addFacilities adds n public facilities spread over a 20 km square
// around Saijo city hall, in one transaction.
func addFacilities(tb testing.TB, app core.App, n int) {
	tb.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("facilities")
		if err != nil {
			return err
		}
		kinds := []string{"nursery", "clinic", "hospital", "community_center"}
		for i := range n {
			r := core.NewRecord(col)
			r.Set("code", fmt.Sprintf("B%05d", i))
			r.Set("name", fmt.Sprintf("ベンチ施設%05d", i))
			r.Set("type", kinds[i%len(kinds)])
			r.Set("public", true)
			r.Set("capacity", i%120)
			// A grid of 71×71 points 0.003° (~300 m) apart.
			r.Set("location", types.GeoPoint{Lat: 33.82 + float64(i%71)*0.003, Lon: 133.08 + float64(i/71)*0.003})
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkNGSIGeoQuery times GET /ngsi/v2/entities with a geo filter
// (near, 1 km, about 35 hits) and a q filter over 5,000 PointOfInterest
// entities, through the router and the gateway, at 20 concurrent clients,
// and reports the median and 95th percentile latency. The snapshot is
// built before timing; BenchmarkNGSIRebuild times a rebuild.
//
//	go test ./hooks/ -run '^$' -bench NGSIGeoQuery -benchtime 4000x
func BenchmarkNGSIGeoQuery(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	addFacilities(b, app, 5000-12) // with the demo's 12, 5,000
	addKey(b, app, "benchngs", keyOpts{scopes: []string{"facilities:read"}})
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	if err := hooks.NGSISync(app); err != nil {
		b.Fatal(err)
	}
	url := "/ngsi/v2/entities?type=PointOfInterest&georel=near;maxDistance:1000&geometry=point&coords=33.92,133.18&q=capacity>=0&limit=100&options=count"
	key := testKey("benchngs")
	send := func() time.Duration {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK || rec.Header().Get("Fiware-Total-Count") == "0" {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return d
	}
	send()
	var mu sync.Mutex
	all := make([]time.Duration, 0, b.N)
	b.SetParallelism(max(1, 20/runtime.GOMAXPROCS(0))) // 20 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 256)
		for pb.Next() {
			local = append(local, send())
		}
		mu.Lock()
		all = append(all, local...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(median(all).Microseconds()), "median-µs")
	b.ReportMetric(float64(percentile(all, 95).Microseconds()), "p95-µs")
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	b.ReportMetric(float64(sum.Microseconds())/float64(len(all)), "mean-µs")
	if err := hooks.FlushUsage(app); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNGSIRebuild times building the 5,000-entity snapshot from the
// database (what the first read after a facility change pays).
func BenchmarkNGSIRebuild(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	addFacilities(b, app, 5000-12)
	b.ResetTimer()
	for range b.N {
		if err := hooks.RebuildNGSI(app, "PointOfInterest"); err != nil {
			b.Fatal(err)
		}
	}
}
