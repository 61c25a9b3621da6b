package hooks_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkEventApply30 sends 30 applications from 30 citizens at once to
// an event of capacity 10, through the real router, and checks that exactly
// 10 are confirmed and 20 waitlisted. Each iteration is a fresh event on a
// fresh app; the latencies of all iterations are pooled.
//
//	go test ./hooks/ -run '^$' -bench EventApply30 -benchtime 10x
func BenchmarkEventApply30(b *testing.B) {
	const capacity, people = 10, 30
	var lat []time.Duration
	for range b.N {
		b.StopTimer()
		app, h, tokens := concurrentApp(b, testEvent{days: 10, opensIn: -3, capacity: capacity}, people)
		b.StartTimer()
		codes, _, l := applyAll(b, h, tokens)
		b.StopTimer()
		for _, c := range codes {
			if c != http.StatusCreated {
				b.Fatalf("an application answered %d", c)
			}
		}
		if got := countStatus(b, app, "confirmed"); got != capacity {
			b.Fatalf("%d confirmed, want %d", got, capacity)
		}
		if got := countStatus(b, app, "waitlisted"); got != people-capacity {
			b.Fatalf("%d waitlisted, want %d", got, people-capacity)
		}
		lat = append(lat, l...)
		app.Cleanup()
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max")
}
