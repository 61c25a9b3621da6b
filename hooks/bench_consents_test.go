package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/testutil"
)

// BenchmarkPartnerConsentRead times one partner read of a child's
// immunizations under an active consent through the real router: the
// gateway, the consent lookup and check, the records, and the audit entry
// written before the data leaves. Also reports the refused read of a
// revoked consent.
//
//	go test ./hooks/ -run '^$' -bench PartnerConsentRead -benchtime 2000x
func BenchmarkPartnerConsentRead(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	consentWorld(b, app)
	// PocketBase's own per-IP limit on /api/ would stop the loop; partners
	// are limited by their key.
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		b.Fatal(err)
	}
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	send := func(id string, want int) time.Duration {
		req := httptest.NewRequest(http.MethodGet, partnerConsentsURL+"/"+id+"/immunizations", nil)
		req.Header.Set("X-API-Key", testKey("personal"))
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != want {
			b.Fatalf("%s answered %d %s", id, rec.Code, rec.Body)
		}
		return d
	}
	send(consentActive, http.StatusOK) // warm the key cache
	reads := make([]time.Duration, 0, b.N)
	refused := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		reads = append(reads, send(consentActive, http.StatusOK))
		refused = append(refused, send(consentRevoked, http.StatusForbidden))
	}
	b.StopTimer()
	b.ReportMetric(float64(median(reads).Nanoseconds()), "read-median-ns")
	b.ReportMetric(float64(percentile(reads, 99).Nanoseconds()), "read-p99-ns")
	b.ReportMetric(float64(median(refused).Nanoseconds()), "refused-median-ns")
}
