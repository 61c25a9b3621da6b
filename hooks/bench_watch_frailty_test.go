package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/frailty"
	"github.com/saijo-dx/lifestage/testutil"
)

// benchAssessments is the size for the analysis benchmark.
const benchAssessments = 10000

// BenchmarkWatchFrailtyAnalysis answers the analysis route (JSON and xlsx)
// over 10,000 assessments: every resident of the test city made a watch
// target and screened every half-year, alternately with the checklist and
// the questionnaire. The issue asks for under 2 s.
func BenchmarkWatchFrailtyAnalysis(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	fillAssessments(b, app, benchAssessments)
	if n, _ := app.CountRecords(collections.FrailtyAssessments); n < benchAssessments {
		b.Fatalf("%d assessments", n)
	}
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, url string }{
		{"json", analysisURL}, {"json,half-years", analysisURL + "?period=half"}, {"xlsx", analysisURL + ".xlsx"},
	} {
		u := c.url
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, u, nil)
				req.Header.Set("Authorization", fx.Tokens["city_elderly"])
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s answered %d: %s", u, rec.Code, rec.Body)
				}
			}
		})
	}
}

// fillAssessments makes a watch target of every resident without one and
// inserts n assessments straight into the table (set-up, not the
// measurement), scored like the route scores them.
func fillAssessments(b *testing.B, app core.App, n int) {
	err := app.RunInTransaction(func(tx core.App) error {
		now := types.NowDateTime().String()
		_, err := tx.DB().NewQuery(`INSERT INTO watch_targets (id, resident, area, consentStatus, frequency, active, created, updated)
			SELECT lower(hex(randomblob(8))), id, area, 'consented', 'monthly', 1, {:now}, {:now} FROM residents
			WHERE id NOT IN (SELECT resident FROM watch_targets)`).Bind(dbx.Params{"now": now}).Execute()
		if err != nil {
			return err
		}
		var targets []struct {
			ID       string `db:"id"`
			Resident string `db:"resident"`
		}
		if err := tx.DB().NewQuery(`SELECT id, resident FROM watch_targets ORDER BY id`).All(&targets); err != nil {
			return err
		}
		start := civil.Today().AddDays(-182 * (n/len(targets) + 1))
		for i := range n {
			t := targets[i%len(targets)]
			round := i / len(targets)
			on := start.AddDays(182 * round)
			row := dbx.Params{
				"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"), "target": t.ID, "resident": t.Resident,
				"assessedOn": on.String(), "created": now, "updated": now, "recordedByCollection": collections.CityStaff,
			}
			fields := benchKouki(i)
			row["instrument"] = collections.InstrumentKouki
			if round%2 == 0 {
				fields = benchKihon(i)
				row["instrument"] = collections.InstrumentKihon
			}
			for k, v := range fields {
				if raw, err := json.Marshal(v); err == nil && (k == "domains" || k == "criteria" || k == "flags") {
					v = string(raw)
				}
				row[k] = v
			}
			if _, err := tx.DB().Insert(collections.FrailtyAssessments, row).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchKihon scores a checklist whose risk items vary with i.
func benchKihon(i int) map[string]any {
	in := frailty.Input{HeightCm: 155, WeightKg: 45 + float64(i%20)}
	for k, it := range frailty.Checklist {
		in.Yes[k] = it.RiskYes == ((i*7+k*3)%11 < 3)
	}
	return collections.KihonResultFields(frailty.Score(in, frailty.DefaultCutoffs))
}

func benchKouki(i int) map[string]any {
	flags := []int{1 + i%15}
	if i%3 == 0 {
		flags = append(flags, 1+(i/3)%15)
	}
	return collections.KoukiResultFields(flags)
}
