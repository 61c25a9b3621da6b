package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/testutil"
)

// benchCity is a larger city built once, only when benchmarks run. Its size
// is LIFESTAGE_BENCH_RESIDENTS (default 20000; the whole city is 105000).
var benchCity struct {
	once    sync.Once
	dir     string
	app     core.App
	handler http.Handler
	tokens  map[string]string
	err     error
}

func benchHandler(b *testing.B) (http.Handler, map[string]string) {
	benchCity.once.Do(func() {
		n := 20000
		if v, err := strconv.Atoi(os.Getenv("LIFESTAGE_BENCH_RESIDENTS")); err == nil && v > 0 {
			n = v
		}
		// Not b.TempDir(): that is removed when the first benchmark ends,
		// and later ones (parallel ones open new connections) need it.
		if benchCity.dir, benchCity.err = os.MkdirTemp("", "lifestage_bench_*"); benchCity.err != nil {
			return
		}
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: benchCity.dir})
		if benchCity.err = app.Bootstrap(); benchCity.err != nil {
			return
		}
		if benchCity.err = app.RunAllMigrations(); benchCity.err != nil {
			return
		}
		if _, benchCity.err = commands.SeedCity(app, n, 1); benchCity.err != nil {
			return
		}
		accounts, err := seed.CreateDemo(app, civil.Today())
		if benchCity.err = err; err != nil {
			return
		}
		benchCity.tokens = map[string]string{}
		for _, a := range accounts {
			rec, _ := app.FindAuthRecordByEmail(a.Collection, a.Email)
			benchCity.tokens[a.Role], _ = rec.NewStaticAuthToken(0)
		}
		// Benchmarks measure rules and queries, not the rate limiter.
		app.Settings().RateLimits.Enabled = false
		hooks.Register(app)
		benchCity.app = app
		benchCity.handler, benchCity.err = testutil.Handler(app)
	})
	if benchCity.err != nil {
		b.Fatal(benchCity.err)
	}
	return benchCity.handler, benchCity.tokens
}

// benchApp is the larger city's app, for benchmarks of jobs.
func benchApp(b *testing.B) core.App {
	benchHandler(b)
	return benchCity.app
}

// removeBenchCity deletes the bench city's data dir, if one was built.
func removeBenchCity() {
	if benchCity.dir != "" {
		os.RemoveAll(benchCity.dir)
	}
}

func benchGet(b *testing.B, url, role string) {
	h, tokens := benchHandler(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		if role != "" {
			req.Header.Set("Authorization", tokens[role])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s answered %d", url, rec.Code)
		}
	}
}

// The rule `guardians:each ?= @request.auth.id` scans the children table;
// these numbers show what that costs at city scale.
func BenchmarkChildrenListAsParent(b *testing.B) {
	benchGet(b, "/api/collections/children/records?perPage=20&skipTotal=1", "parent")
}

func BenchmarkChildrenListAsCityStaff(b *testing.B) {
	benchGet(b, "/api/collections/children/records?perPage=50&skipTotal=1&sort=-birthDate", "city_child")
}

func BenchmarkResidentsOwnRecord(b *testing.B) {
	benchGet(b, "/api/collections/residents/records?perPage=20&skipTotal=1", "parent")
}

func BenchmarkFacilitiesAnonymous(b *testing.B) {
	benchGet(b, "/api/collections/facilities/records?perPage=50&skipTotal=1&sort=name", "")
}

func BenchmarkNotificationsOwn(b *testing.B) {
	benchGet(b, "/api/collections/notifications/records?perPage=20&skipTotal=1&sort=-created", "parent")
}

// The follow-up list reads every child under 17 with their immunizations
// and checkups in two queries, and audits one view per listed child.
func BenchmarkFollowupList(b *testing.B) {
	benchGet(b, "/api/lifestage/child/followups", "city_child")
}

// The history reads the children once and each handbook collection once,
// whatever the number of children or records.
func BenchmarkHistoryAsParent(b *testing.B) {
	benchGet(b, "/api/lifestage/me/history", "parent")
}
