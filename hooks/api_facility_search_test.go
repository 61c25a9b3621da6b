package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/testutil"
)

const searchURL = "/api/lifestage/facilities/search"

// searchHit is the part of a search answer the tests look at.
type searchHit struct {
	ID, Code, Name, Type, Area string
	Vaccines, Checkups         []string
	Services                   []string
	OpeningHours               map[string][][2]string
	DistanceKm                 *float64
	Location                   *struct{ Lat, Lon float64 }
}

type searchPage struct {
	Page, PerPage int
	HasMore       bool
	Items         []searchHit
}

func decodeSearch(t testing.TB, res *http.Response) searchPage {
	t.Helper()
	var p searchPage
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

// searchCheck decodes the answer, asks for at least min hits, never the
// hidden facility, and runs check on every hit.
func searchCheck(min int, check func(t testing.TB, h searchHit)) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		p := decodeSearch(t, res)
		if len(p.Items) < min {
			t.Fatalf("%d hits, want at least %d", len(p.Items), min)
		}
		for _, h := range p.Items {
			if h.Code == testutil.HiddenFacilityCode {
				t.Fatal("hidden facility listed")
			}
			if check != nil {
				check(t, h)
			}
		}
	}
}

// exposeHidden gives the fixture's hidden facility everything a search can
// ask for, so only its public flag keeps it out.
func exposeHidden(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
	r, err := app.FindFirstRecordByData("facilities", "code", testutil.HiddenFacilityCode)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("type", "clinic")
	r.Set("name", "ひまわりこどもクリニック非公開")
	r.Set("services", []string{"pediatrics", "vaccination"})
	r.Set("vaccines", []string{"bcg", "mr1"})
	r.Set("checkups", []string{"1m", "prenatal"})
	r.Set("location", types.GeoPoint{Lat: 33.9196, Lon: 133.1812})
	r.Set("openingHours", map[string]any{"sun": [][]string{{"00:00", "24:00"}}, "holiday": [][]string{{"00:00", "24:00"}}})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func TestFacilitySearchRoles(t *testing.T) {
	var scenarios []tests.ApiScenario
	roles := make([]string, 0, len(fx.Tokens))
	for role := range fx.Tokens {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	for _, role := range roles {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "search as " + role, Method: http.MethodGet, URL: searchURL + "?perPage=100",
			Headers: map[string]string{"Authorization": fx.Tokens[role]}, BeforeTestFunc: exposeHidden, ExpectedStatus: 200,
			ExpectedContent: []string{`"hasMore":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
					t.Errorf("Cache-Control %q", cc)
				}
				searchCheck(10, nil)(t, app, res)
			},
		})
	}
	runScenarios(t, scenarios)
}

func hasAll(have []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func TestFacilitySearchFilters(t *testing.T) {
	look := fx.NewApp(t)
	clinic, err := look.FindFirstRecordByFilter("facilities", `public = true && type = "clinic" && services:each ?= "pediatrics"`)
	if err != nil {
		t.Fatal(err)
	}
	area := clinic.GetString("area")
	kana := []rune(clinic.GetString("kana")) // katakana in the synthetic city
	halfWidth := map[rune]string{'コ': "ｺ", 'ド': "ﾄﾞ", 'モ': "ﾓ", 'ク': "ｸ", 'リ': "ﾘ", 'ニ': "ﾆ", 'ッ': "ｯ"}
	var half strings.Builder
	for _, r := range []rune("コドモクリニック") {
		half.WriteString(halfWidth[r])
	}
	hira := strings.Map(func(r rune) rune {
		if r >= 'ァ' && r <= 'ヶ' {
			return r - 0x60
		}
		return r
	}, string(kana[:3]))
	q := func(s string) string { return url.QueryEscape(s) }
	loc := clinic.Get("location").(types.GeoPoint)
	near := "near=" + q(strings.Join([]string{jsonNum(loc.Lat), jsonNum(loc.Lon)}, ","))

	runScenarios(t, []tests.ApiScenario{
		{Name: "q in hiragana finds a katakana reading", Method: http.MethodGet, URL: searchURL + "?q=" + q(hira),
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"code":"` + clinic.GetString("code") + `"`}},
		{Name: "q in half-width katakana", Method: http.MethodGet, URL: searchURL + "?perPage=100&q=" + q(half.String()),
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"code":"` + clinic.GetString("code") + `"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if !strings.Contains(h.Name, "こどもクリニック") {
					t.Errorf("%s does not match", h.Name)
				}
			})},
		{Name: "q by address", Method: http.MethodGet, URL: searchURL + "?q=" + q(clinic.GetString("address")),
			ExpectedStatus: 200, ExpectedContent: []string{`"code":"` + clinic.GetString("code") + `"`}},
		{Name: "hidden facility never found by its name", Method: http.MethodGet, URL: searchURL + "?q=" + q("非公開"),
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		{Name: "type, one or many", Method: http.MethodGet, URL: searchURL + "?perPage=100&type=clinic,hospital",
			ExpectedStatus: 200, ExpectedContent: []string{`"type":"hospital"`, `"type":"clinic"`},
			AfterTestFunc: searchCheck(3, func(t testing.TB, h searchHit) {
				if h.Type != "clinic" && h.Type != "hospital" {
					t.Errorf("type %s", h.Type)
				}
			})},
		{Name: "area", Method: http.MethodGet, URL: searchURL + "?perPage=100&area=" + area, ExpectedStatus: 200,
			ExpectedContent: []string{`"code":"` + clinic.GetString("code") + `"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if h.Area != area {
					t.Errorf("area %s", h.Area)
				}
			})},
		{Name: "service", Method: http.MethodGet, URL: searchURL + "?perPage=100&service=temporary_care", ExpectedStatus: 200,
			ExpectedContent: []string{`"temporary_care"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if !hasAll(h.Services, "temporary_care") {
					t.Errorf("%s has no temporary_care", h.Name)
				}
			})},
		{Name: "vaccines (all of them)", Method: http.MethodGet, URL: searchURL + "?perPage=100&vaccine=bcg&vaccine=hpv",
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"bcg"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if !hasAll(h.Vaccines, "bcg", "hpv") {
					t.Errorf("%s vaccines %v", h.Name, h.Vaccines)
				}
			})},
		{Name: "checkup: prenatal", Method: http.MethodGet, URL: searchURL + "?checkup=prenatal",
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"prenatal"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if !hasAll(h.Checkups, "prenatal") {
					t.Errorf("%s checkups %v", h.Name, h.Checkups)
				}
			})},
		{Name: "checkup: 3歳児 at the health centre", Method: http.MethodGet, URL: searchURL + "?checkup=3y",
			ExpectedStatus: 200, ExpectedContent: []string{`"type":"health_center"`}},
		// 2026-05-17 is a Sunday: the 24-hour hospital and the pediatric
		// clinic with Sunday mornings.
		{Name: "open at a Sunday morning", Method: http.MethodGet, URL: searchURL + "?openAt=2026-05-17T10:00",
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"type":"hospital"`, `"type":"clinic"`},
			AfterTestFunc: searchCheck(2, func(t testing.TB, h searchHit) {
				if len(h.OpeningHours["sun"]) == 0 {
					t.Errorf("%s is closed on Sundays", h.Name)
				}
			})},
		{Name: "open at a Sunday night: the 24-hour hospital only", Method: http.MethodGet, URL: searchURL + "?openAt=" + q("2026-05-17T22:00:00+09:00"),
			ExpectedStatus: 200, ExpectedContent: []string{`"24:00"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if h.OpeningHours["sun"][0] != [2]string{"00:00", "24:00"} {
					t.Errorf("%s listed", h.Name)
				}
			})},
		{Name: "open on holidays", Method: http.MethodGet, URL: searchURL + "?openOn=holiday",
			ExpectedStatus: 200, ExpectedContent: []string{`"type":"hospital"`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if len(h.OpeningHours["holiday"]) == 0 {
					t.Errorf("%s is closed on holidays", h.Name)
				}
			})},
		{Name: "open now answers", Method: http.MethodGet, URL: searchURL + "?openAt=now", ExpectedStatus: 200, ExpectedContent: []string{`"items":`}},
		{Name: "near: sorted by distance within the radius", Method: http.MethodGet, URL: searchURL + "?perPage=100&radiusKm=8&" + near,
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"distanceKm":0,`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				p := decodeSearch(t, res)
				if len(p.Items) < 2 || p.Items[0].Code != clinic.GetString("code") && *p.Items[0].DistanceKm != 0 {
					t.Fatalf("first hit %+v", p.Items)
				}
				for i, h := range p.Items {
					if h.Code == testutil.HiddenFacilityCode || h.DistanceKm == nil || *h.DistanceKm > 8 {
						t.Fatalf("hit %+v", h)
					}
					if i > 0 && *h.DistanceKm < *p.Items[i-1].DistanceKm {
						t.Fatalf("not sorted at %d", i)
					}
				}
			}},
		{Name: "near with text and vaccine", Method: http.MethodGet, URL: searchURL + "?radiusKm=50&vaccine=mr1&q=" + q("クリニック") + "&" + near,
			BeforeTestFunc: exposeHidden, ExpectedStatus: 200, ExpectedContent: []string{`"distanceKm":`},
			AfterTestFunc: searchCheck(1, func(t testing.TB, h searchHit) {
				if !hasAll(h.Vaccines, "mr1") {
					t.Errorf("%s vaccines %v", h.Name, h.Vaccines)
				}
			})},
		{Name: "paging says hasMore", Method: http.MethodGet, URL: searchURL + "?perPage=2", ExpectedStatus: 200,
			ExpectedContent: []string{`"page":1,"perPage":2,"hasMore":true`}},
		{Name: "a page past the end is empty", Method: http.MethodGet, URL: searchURL + "?page=500", ExpectedStatus: 200,
			ExpectedContent: []string{`"hasMore":false,"items":[]`}},
	})
}

func jsonNum(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestFacilitySearchBadParameters(t *testing.T) {
	bad := []struct{ query, field, code string }{
		{"near=33.9", "near", "invalid_near"},
		{"near=north,east", "near", "invalid_near"},
		{"near=33.9,133.1&radiusKm=51", "radiusKm", "radius_too_large"},
		{"near=33.9,133.1&radiusKm=-1", "radiusKm", "invalid_radius"},
		{"radiusKm=3", "radiusKm", "near_required"},
		{"vaccine=influenza", "vaccine", "unknown_vaccine"},
		{"checkup=2y", "checkup", "unknown_checkup"},
		{"type=castle", "type", "unknown_type"},
		{"openAt=2026-13-01T10:00", "openAt", "invalid_open_at"},
		{"openAt=soon", "openAt", "invalid_open_at"},
		{"openOn=funday", "openOn", "invalid_open_on"},
		{"perPage=500", "perPage", "invalid_per_page"},
		{"area=x", "area", "invalid_area"},
	}
	var scenarios []tests.ApiScenario
	for _, b := range bad {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: b.query, Method: http.MethodGet, URL: searchURL + "?" + b.query, ExpectedStatus: 400,
			ExpectedContent: []string{`"` + b.field + `":{"code":"` + b.code + `"`},
		})
	}
	scenarios = append(scenarios, tests.ApiScenario{
		Name: "every bad parameter is reported at once", Method: http.MethodGet, URL: searchURL + "?vaccine=x&near=1&openOn=y",
		ExpectedStatus: 400, ExpectedContent: []string{`"vaccine":{"code":"unknown_vaccine"`, `"near":{"code":"invalid_near"`, `"openOn":{"code":"invalid_open_on"`},
	})
	runScenarios(t, scenarios)
}

// Opening hours are checked on every save and fill the display text.
func TestFacilityOpeningHoursOnSave(t *testing.T) {
	look := fx.NewApp(t)
	f, err := look.FindFirstRecordByFilter("facilities", `public = true && type = "community_center"`)
	if err != nil {
		t.Fatal(err)
	}
	u := "/api/collections/facilities/records/" + f.Id
	admin := map[string]string{"Authorization": fx.Tokens["city_admin"]}
	runScenarios(t, []tests.ApiScenario{
		{Name: "a closing time before the opening is refused", Method: http.MethodPatch, URL: u, Headers: admin,
			Body:           strings.NewReader(`{"openingHours":{"mon":[["18:00","09:00"]]}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"openingHours":{"code":"end_before_start","message":"月曜の1番目の時間帯`}},
		{Name: "an unknown day is refused", Method: http.MethodPatch, URL: u, Headers: admin,
			Body: strings.NewReader(`{"openingHours":{"月":[["09:00","12:00"]]}}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"openingHours":{"code":"unknown_day"`}},
		{Name: "overlapping ranges are refused", Method: http.MethodPatch, URL: u, Headers: admin,
			Body: strings.NewReader(`{"openingHours":{"sat":[["09:00","12:00"],["11:30","13:00"]]}}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"openingHours":{"code":"overlapping_ranges"`}},
		{Name: "good hours with no text get a generated text", Method: http.MethodPatch, URL: u, Headers: admin,
			Body: strings.NewReader(`{"hours":"","openingHours":{"mon":[["09:00","12:00"]],"tue":[["09:00","12:00"]],"holiday":[]}}`), ExpectedStatus: 200,
			ExpectedContent: []string{`"hours":"月火 9:00〜12:00（水・木・金・土・日・祝休み）"`}},
		{Name: "a parent cannot change hours", Method: http.MethodPatch, URL: u, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			Body: strings.NewReader(`{"openingHours":{}}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
	})
}

// The in-memory list follows writes: a facility made public is found by
// the next request to the same server.
func TestFacilitySearchFollowsWrites(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	get := func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, searchURL+"?q="+url.QueryEscape("非公開テスト"), nil))
		var p searchPage
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if n := get(); n != 0 {
		t.Fatalf("hidden facility found before it is public: %d", n)
	}
	r, err := app.FindFirstRecordByData("facilities", "code", testutil.HiddenFacilityCode)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("public", true)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if n := get(); n != 1 {
		t.Fatalf("made public, found %d", n)
	}
	if err := app.Delete(r); err != nil {
		t.Fatal(err)
	}
	if n := get(); n != 0 {
		t.Fatalf("deleted, found %d", n)
	}
}
