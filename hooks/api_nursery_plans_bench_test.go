package hooks_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
)

// everyoneAsleep puts every child enrolled anywhere in the city to
// sleep 30 minutes ago with checks every 5 minutes until 8 minutes ago, so
// every infant is missed: the nap job's worst minute.
func everyoneAsleep(b *testing.B, app core.App) int {
	enrolments, err := app.FindAllRecords("enrolments")
	if err != nil {
		b.Fatal(err)
	}
	sessions, _ := app.FindCollectionByNameOrId("nap_sessions")
	checks, _ := app.FindCollectionByNameOrId("nap_checks")
	now := time.Now()
	err = app.RunInTransaction(func(tx core.App) error {
		for _, e := range enrolments {
			s := core.NewRecord(sessions)
			s.Load(map[string]any{"child": e.GetString("child"), "nursery": e.GetString("nursery"), "class": e.GetString("class"),
				"date": civil.Today().String(), "startedAt": now.Add(-30 * time.Minute)})
			if err := tx.Save(s); err != nil {
				return err
			}
			for ago := 25; ago >= 8; ago -= 5 {
				c := core.NewRecord(checks)
				c.Load(map[string]any{"session": s.Id, "child": e.GetString("child"), "nursery": e.GetString("nursery"),
					"class": e.GetString("class"), "at": now.Add(-time.Duration(ago) * time.Minute), "position": "supine", "breathingOk": true})
				if err := tx.Save(c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return len(enrolments)
}

// BenchmarkNapAlertsJob is one tick of the minute job with every enrolled
// child of the benchmark city asleep (the first tick sends, later ticks
// find the same misses already told).
func BenchmarkNapAlertsJob(b *testing.B) {
	app := benchApp(b)
	clearTodaysNaps(b, app)
	n := everyoneAsleep(b, app)
	now := time.Now()
	sent, err := hooks.RunNapAlerts(app, now)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := hooks.RunNapAlerts(app, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "sleeping")
	b.ReportMetric(float64(sent), "sent-first-tick")
}

// BenchmarkRatioAlertsJob is one tick of the five-minute job over every
// nursery of the benchmark city, with staff checking in.
func BenchmarkRatioAlertsJob(b *testing.B) {
	app := benchApp(b)
	now := time.Now()
	if _, err := hooks.RunRatioAlerts(app, now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := hooks.RunRatioAlerts(app, now); err != nil {
			b.Fatal(err)
		}
	}
	nurseries, _ := app.CountRecords("nurseries")
	present, _ := app.CountRecords("attendance", dbx.NewExp("date = {:d} AND checkIn != '' AND checkOut = ''", dbx.Params{"d": civil.Today().String()}))
	b.ReportMetric(float64(nurseries), "nurseries")
	b.ReportMetric(float64(present), "children-in")
}
