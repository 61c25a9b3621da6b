package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// Scale of the watch-over benchmarks: about the number of elderly people
// living alone in Saijo, each visited weekly for a year.
const (
	benchWatchTargets = 3000
	benchWatchVisits  = 52
)

// watchBenchApp is the fixture plus benchWatchTargets targets spread over
// the city's areas and their visits, inserted directly (the bench measures
// reading them, not writing them).
func watchBenchApp(b *testing.B) (core.App, int) {
	b.Helper()
	app := fx.NewApp(b)
	b.Cleanup(app.Cleanup)
	var areas []string
	if err := app.DB().NewQuery("SELECT id FROM areas").Column(&areas); err != nil || len(areas) == 0 {
		b.Fatalf("areas: %v", err)
	}
	// Real residents: escalations and consents point at them. The fixture
	// city may have fewer than benchWatchTargets; the bench says how many.
	var residents []string
	err := app.DB().NewQuery("SELECT id FROM residents WHERE id NOT IN (SELECT resident FROM watch_targets) ORDER BY id LIMIT {:n}").
		Bind(dbx.Params{"n": benchWatchTargets}).Column(&residents)
	if err != nil {
		b.Fatal(err)
	}
	freqs := []string{"weekly", "biweekly", "monthly"}
	now := time.Now().UTC()
	stamp := func(t time.Time) string { d, _ := types.ParseDateTime(t); return d.String() }
	err = app.RunInTransaction(func(tx core.App) error {
		for i, resident := range residents {
			id := security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
			_, err := tx.DB().Insert("watch_targets", dbx.Params{
				"id": id, "resident": resident, "area": areas[i%len(areas)], "consentStatus": "consented",
				"frequency": freqs[i%3], "volunteer": fx.IDs["volunteer"], "active": true, "created": stamp(now.AddDate(-1, 0, 0)), "updated": stamp(now),
			}).Execute()
			if err != nil {
				return err
			}
			// Some people were last visited long ago, so coverage varies.
			for k := range benchWatchVisits {
				at := now.AddDate(0, 0, -7*k-(i%20))
				_, err := tx.DB().Insert("watch_visits", dbx.Params{
					"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"), "target": id, "resident": resident,
					"volunteer": fx.IDs["volunteer"], "at": stamp(at), "status": []string{"fine", "fine", "fine", "absent", "concern"}[k%5],
					"method": "qr", "answers": "{}", "created": stamp(at), "updated": stamp(at),
				}).Execute()
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return app, len(residents)
}

// BenchmarkWatchActivity is one refresh of the city's live view over up to
// 3,000 targets with 52 visits each (audit entries of the 30 listed visits
// included).
func BenchmarkWatchActivity(b *testing.B) {
	app, targets := watchBenchApp(b)
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if r := call(h, http.MethodGet, "/api/lifestage/watch/activity?limit=30", fx.Tokens["city_elderly"], ""); r.Status != 200 {
			b.Fatalf("%d %s", r.Status, r.Body)
		}
	}
	b.ReportMetric(float64(targets), "targets")
}

// BenchmarkWatchEscalationSteadyDay is the daily job on a day with nothing
// new to send: what it costs every morning once the late visits of earlier
// days are escalated.
func BenchmarkWatchEscalationSteadyDay(b *testing.B) {
	app, targets := watchBenchApp(b)
	today := civil.Today()
	first, err := hooks.RunWatchEscalations(app, today)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if n, err := hooks.RunWatchEscalations(app, today); err != nil || n != 0 {
			b.Fatalf("%d %v", n, err)
		}
	}
	b.ReportMetric(float64(targets), "targets")
	b.ReportMetric(float64(first), "escalations-first-run")
}
