package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// addSearchFacilities adds n public facilities with the fields the search
// reads (kana, address, services, vaccines, checkups, opening hours) on a
// 20 km grid around Saijo city hall, in one transaction.
func addSearchFacilities(tb testing.TB, app core.App, n int) {
	tb.Helper()
	names := []struct{ name, kana, typ string }{
		{"こどもクリニック", "コドモクリニック", "clinic"}, {"内科医院", "ナイカイイン", "clinic"},
		{"保育所", "ホイクショ", "nursery"}, {"病院", "ビョウイン", "hospital"}, {"公民館", "コウミンカン", "community_center"},
	}
	prefixes := []struct{ name, kana string }{{"ひまわり", "ヒマワリ"}, {"さくら", "サクラ"}, {"みなと", "ミナト"}, {"石鎚", "イシヅチ"}, {"加茂", "カモ"}}
	hours := map[string]any{
		"mon": [][]string{{"09:00", "12:00"}, {"15:00", "18:00"}}, "tue": [][]string{{"09:00", "12:00"}, {"15:00", "18:00"}},
		"wed": [][]string{{"09:00", "12:00"}}, "thu": [][]string{{"09:00", "12:00"}, {"15:00", "18:00"}},
		"fri": [][]string{{"09:00", "12:00"}, {"15:00", "18:00"}}, "sat": [][]string{{"09:00", "12:00"}}, "holiday": [][]string{},
	}
	err := app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("facilities")
		if err != nil {
			return err
		}
		for i := range n {
			k, p := names[i%len(names)], prefixes[(i/len(names))%len(prefixes)]
			r := core.NewRecord(col)
			r.Set("code", fmt.Sprintf("S%05d", i))
			r.Set("name", fmt.Sprintf("%s%s%d", p.name, k.name, i))
			r.Set("kana", p.kana+k.kana)
			r.Set("type", k.typ)
			r.Set("address", fmt.Sprintf("愛媛県西条市明屋敷%d番地", i))
			r.Set("public", true)
			if k.typ == "clinic" {
				r.Set("services", []string{"pediatrics", "vaccination"})
				r.Set("vaccines", []string{"bcg", "mr1", "hpv"}[:1+i%3])
				r.Set("checkups", []string{"1m", "3-4m"})
			}
			r.Set("openingHours", hours)
			// A grid of 55×55 points 0.004° (~400 m) apart.
			r.Set("location", types.GeoPoint{Lat: 33.82 + float64(i%55)*0.004, Lon: 133.08 + float64(i/55)*0.004})
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

// BenchmarkFacilitySearch times GET /api/lifestage/facilities/search over
// 3,000 public facilities (plus the fixture's), through the router, one
// request at a time, and reports the median and 95th percentile latency:
//   - text+near: 「クリニック」 within 5 km of city hall, by distance;
//   - filtered: clinics giving MR, open on a Monday morning, by reading.
//
// The in-memory list is read before timing; BenchmarkFacilitySearchLoad
// times that read, BenchmarkFacilitySearchSQL the geoDistance() query the
// list replaces.
//
//	go test ./hooks/ -run '^$' -bench FacilitySearch -benchtime 2000x
func BenchmarkFacilitySearch(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	addSearchFacilities(b, app, 3000)
	// The guest rate limit would answer 429 after 120 requests; this
	// measures the search, the limiter has its own benchmark.
	app.Settings().RateLimits.Enabled = false
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	queries := map[string]string{
		"text+near": "q=" + url.QueryEscape("クリニック") + "&near=33.92,133.18&radiusKm=5",
		"filtered":  "type=clinic&vaccine=mr1&openAt=2026-05-11T10:00",
	}
	for _, name := range []string{"text+near", "filtered"} {
		b.Run(name, func(b *testing.B) {
			target := searchURL + "?" + queries[name]
			send := func() time.Duration {
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				d := time.Since(start)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"hasMore":true`) {
					b.Fatalf("%d %.300s", rec.Code, rec.Body)
				}
				return d
			}
			send()
			all := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				all = append(all, send())
			}
			b.StopTimer()
			b.ReportMetric(float64(median(all).Microseconds()), "median-µs")
			b.ReportMetric(float64(percentile(all, 95).Microseconds()), "p95-µs")
		})
	}
}

// BenchmarkFacilitySearchLoad times reading the 3,000 facilities into the
// in-memory list: what the first search after any facility write pays.
func BenchmarkFacilitySearchLoad(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	addSearchFacilities(b, app, 3000)
	b.ResetTimer()
	for range b.N {
		if n, err := hooks.LoadPublicFacilities(app); err != nil || n < 3000 {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkFacilitySearchSQL is the alternative to the list: PocketBase's
// geoDistance() with a LIKE on name and kana, for the text+near query
// (which cannot fold hiragana and katakana). It is here to compare.
func BenchmarkFacilitySearchSQL(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	addSearchFacilities(b, app, 3000)
	filter := "public = true && (name ~ {:q} || kana ~ {:q} || address ~ {:q}) && geoDistance(location.lon, location.lat, {:lon}, {:lat}) <= {:r}"
	params := map[string]any{"q": "クリニック", "lon": 133.18, "lat": 33.92, "r": 5}
	all := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		recs, err := app.FindRecordsByFilter("facilities", filter, "", 0, 0, params)
		all = append(all, time.Since(start))
		if err != nil || len(recs) == 0 {
			b.Fatal(len(recs), err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(median(all).Microseconds()), "median-µs")
	b.ReportMetric(float64(percentile(all, 95).Microseconds()), "p95-µs")
}
