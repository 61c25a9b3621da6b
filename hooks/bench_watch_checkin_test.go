package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
)

// Size of the bench city's watch-over: volunteers, each with
// watchBenchPerVolunteer people (Saijo has about 4,000 people living alone
// aged 65 or more; a volunteer visits some 10 to 30).
const (
	watchBenchVolunteers   = 40
	watchBenchPerVolunteer = 25
)

// watchScan is one home's code and the token of its volunteer.
type watchScan struct{ code, volunteer string }

var watchPool struct {
	once  sync.Once
	scans []watchScan
	err   error
}

// watchScans gives the bench city watchBenchVolunteers volunteers with their
// people (residents living alone first), and the QR code of each person as
// the city's qr.json route issues it.
func watchScans(b *testing.B) []watchScan {
	h, tokens := benchHandler(b)
	watchPool.once.Do(func() {
		watchPool.scans, watchPool.err = buildWatchScans(benchCity.app, h, tokens["city_elderly"])
	})
	if watchPool.err != nil {
		b.Fatal(watchPool.err)
	}
	return watchPool.scans
}

func buildWatchScans(app core.App, h http.Handler, city string) ([]watchScan, error) {
	var residents []string
	err := app.DB().NewQuery(`SELECT r.id FROM residents r JOIN households h ON h.id = r.household
		WHERE r.id NOT IN (SELECT resident FROM watch_targets) ORDER BY h.livingAlone DESC, r.id LIMIT {:n}`).
		Bind(map[string]any{"n": watchBenchVolunteers * watchBenchPerVolunteer}).Column(&residents)
	if err != nil {
		return nil, err
	}
	volunteers, err := app.FindCollectionByNameOrId(collections.Volunteers)
	if err != nil {
		return nil, err
	}
	colleague, err := app.FindFirstRecordByFilter(collections.Volunteers, "organization != ''")
	if err != nil {
		return nil, err
	}
	targets, err := app.FindCollectionByNameOrId("watch_targets")
	if err != nil {
		return nil, err
	}
	var scans []watchScan
	var v *core.Record
	var token string
	for i, resident := range residents {
		if i%watchBenchPerVolunteer == 0 {
			v = core.NewRecord(volunteers)
			v.Load(map[string]any{"name": fmt.Sprintf("ベンチ協力員%d", i/watchBenchPerVolunteer), "organization": colleague.GetString("organization"), "active": true})
			v.SetEmail(fmt.Sprintf("bench-volunteer-%d@bench.lifestage.example", i/watchBenchPerVolunteer))
			v.SetPassword("long-enough-password")
			if err := app.Save(v); err != nil {
				return nil, err
			}
			if token, err = v.NewStaticAuthToken(0); err != nil {
				return nil, err
			}
		}
		t := core.NewRecord(targets)
		t.Load(map[string]any{"resident": resident, "consentStatus": collections.ConsentGiven, "frequency": "weekly", "volunteer": v.Id, "active": true})
		if err := app.Save(t); err != nil {
			return nil, err
		}
		r := call(h, http.MethodGet, "/api/lifestage/watch/targets/"+t.Id+"/qr.json", city, "")
		var out struct {
			URL string `json:"url"`
		}
		if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &out) != nil {
			return nil, fmt.Errorf("qr.json answered %d: %s", r.Status, r.Body)
		}
		u, err := url.Parse(out.URL)
		if err != nil {
			return nil, err
		}
		scans = append(scans, watchScan{u.Query().Get("t"), token})
	}
	return scans, nil
}

// BenchmarkWatchCheckin: volunteers record visits through the real router
// (token check, assignment, the repeat window, the save with its audit
// entry), one at a time and 20 at once, against the bench city. One visit in
// 20 is a concern, which also notifies 高齢福祉担当. The issue requires a
// median under 20 ms. writes/op below 1 means b.N outran the homes and the
// rest updated a visit made in the last 10 minutes (also a write).
func BenchmarkWatchCheckin(b *testing.B) {
	for _, c := range []struct {
		volunteers int
		pace       time.Duration
	}{{1, 0}, {20, 0}, {20, 250 * time.Millisecond}} {
		name := fmt.Sprintf("volunteers=%d", c.volunteers)
		if c.pace > 0 {
			name += fmt.Sprintf(",every=%s", c.pace)
		}
		b.Run(name, func(b *testing.B) { benchWatchCheckins(b, c.volunteers, c.pace) })
	}
}

func benchWatchCheckins(b *testing.B, volunteers int, pace time.Duration) {
	h, _ := benchHandler(b)
	scans := watchScans(b)
	// Start with no recent visit, so the first round creates visits.
	if _, err := benchCity.app.DB().NewQuery("DELETE FROM watch_visits WHERE at >= {:since}").
		Bind(map[string]any{"since": time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")}).Execute(); err != nil {
		b.Fatal(err)
	}
	benchLoad(b, h, volunteers, pace, func(i int) (*http.Request, func(*httptest.ResponseRecorder) (bool, error)) {
		s, status := scans[i%len(scans)], "fine"
		if i%20 == 19 {
			status = "concern"
		}
		body := `{"token":"` + s.code + `","status":"` + status + `","answers":{"health":"ok","meals":"ok"},"note":"玄関先で会話"}`
		req := httptest.NewRequest(http.MethodPost, "/api/lifestage/watch/checkin", strings.NewReader(body))
		req.Header.Set("Authorization", s.volunteer)
		req.Header.Set("Content-Type", "application/json")
		return req, func(rec *httptest.ResponseRecorder) (bool, error) {
			if rec.Code != http.StatusOK {
				return false, fmt.Errorf("check-in answered %d: %s", rec.Code, rec.Body)
			}
			return !strings.Contains(rec.Body.String(), `"updated":true`), nil
		}
	})
}
