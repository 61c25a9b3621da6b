package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/ngsi"
	"github.com/saijo-dx/lifestage/testutil"
)

// The demo's first public nursery F0001 (こすもすの丘保育園) stands at
// 33.89071361894162, 133.14368347698814; F0002 is about 6.6 km west.
const (
	f0001        = "urn:ngsi-ld:PointOfInterest:saijo:F0001"
	f0002        = "urn:ngsi-ld:PointOfInterest:saijo:F0002"
	f0001Coords  = "33.89071361894162,133.14368347698814"
	vacancyF0001 = "urn:ngsi-ld:NurseryVacancy:saijo:F0001:1"
	allPublic    = "ngsiallk"
)

var publicScopes = []string{"facilities:read", "nursery_vacancies:read", "infections:read", "subscriptions:read", "subscriptions:write"}

// withKey stores testKey(tag) with the scopes before the request.
func withKey(tag string, scopes ...string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		addKey(t, app, tag, keyOpts{scopes: scopes})
	}
}

func ngsiError(code string) []string { return []string{`"error":"` + code + `"`} }

func header(name, want string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		if got := res.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// count checks the number of items of a JSON array answer.
func count(want int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		var items []json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&items); err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("%d items, want %d", len(items), want)
		}
	}
}

func TestNGSIEntities(t *testing.T) {
	all := withKey(allPublic, publicScopes...)
	h := keyHeader(allPublic)
	polygon := "33.880,133.130;33.880,133.150;33.900,133.150;33.900,133.130;33.880,133.130"
	runScenarios(t, []tests.ApiScenario{
		{Name: "no key", Method: http.MethodGet, URL: "/ngsi/v2/entities",
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "no NGSI scope", Method: http.MethodGet, URL: "/ngsi/v2/entities", Headers: keyHeader("peronlyk"),
			BeforeTestFunc: withKey("peronlyk", "personal:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "type not granted", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=NurseryVacancy", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "facilities key sees only points of interest", Method: http.MethodGet, URL: "/ngsi/v2/entities?limit=1000", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 200,
			ExpectedContent: []string{`"id":"` + f0001 + `"`, `"type":"PointOfInterest"`}, NotExpectedContent: []string{"NurseryVacancy", "InfectionCount"}},
		{Name: "default page of 20, normalized", Method: http.MethodGet, URL: "/ngsi/v2/entities", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"name":{`, `"type":"Text"`, `"metadata":{}`}, AfterTestFunc: count(20)},
		{Name: "hidden facility is not published", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&limit=1000&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + f0001 + `"`}, NotExpectedContent: []string{"非公開"}},
		{Name: "count", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&options=count&limit=1", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + f0001 + `"`}, AfterTestFunc: header("Fiware-Total-Count", "12")},
		{Name: "offset", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&offset=1&limit=1", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + f0002 + `"`}, NotExpectedContent: []string{f0001}},
		{Name: "id and keyValues with attrs", Method: http.MethodGet, URL: "/ngsi/v2/entities?id=" + f0001 + "&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"name":"こすもすの丘保育園"`}, NotExpectedContent: []string{`"category"`, `"metadata"`}},
		{Name: "idPattern", Method: http.MethodGet, URL: "/ngsi/v2/entities?idPattern=F0001&limit=100&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{vacancyF0001, f0001}, NotExpectedContent: []string{"F0002"}},
		{Name: "q on numbers with ranges and AND", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=NurseryVacancy&q=ageClass==1;capacity==1..1000;vacancies>=0&limit=100&options=keyValues", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{vacancyF0001}, NotExpectedContent: []string{`"ageClass":0`, `"ageClass":2`}},
		{Name: "q on an array attribute", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&q=category==hospital,clinic&limit=100&options=keyValues&attrs=category", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, NotExpectedContent: []string{`"nursery"`}, ExpectedContent: []string{`"category":[`}},
		{Name: "q pattern and dotted path", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&q=name~=保育園;address.addressLocality==西条市&limit=100&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"name":"こすもすの丘保育園"`}},
		{Name: "bad q is Orion's BadRequest", Method: http.MethodGet, URL: "/ngsi/v2/entities?q=capacity>1..3", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "limit over 1000", Method: http.MethodGet, URL: "/ngsi/v2/entities?limit=1001", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: []string{`"error":"BadRequest"`, `"description":"limit は1〜1000`}},
		{Name: "orderBy descending", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&orderBy=!id&limit=1&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, NotExpectedContent: []string{f0001}, ExpectedContent: []string{`"id":"urn:ngsi-ld:PointOfInterest:saijo:`}},
		{Name: "geo near", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&georel=near;maxDistance:500&geometry=point&coords=" + f0001Coords + "&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{f0001}, NotExpectedContent: []string{f0002}},
		{Name: "geo near minDistance", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&georel=near;minDistance:500&geometry=point&coords=" + f0001Coords + "&limit=100&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{f0002}, NotExpectedContent: []string{`"` + f0001 + `"`}},
		{Name: "geo coveredBy", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=PointOfInterest&georel=coveredBy&geometry=polygon&coords=" + polygon + "&options=keyValues&attrs=name", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{f0001}, NotExpectedContent: []string{f0002}},
		{Name: "geo without coords", Method: http.MethodGet, URL: "/ngsi/v2/entities?georel=near;maxDistance:5&geometry=point", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "unknown type is empty", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=Vehicle", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`[]`}},
		{Name: "infection counts withhold small numbers", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=InfectionCount&options=keyValues", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"suppressed":true`, `"count":0`}, NotExpectedContent: []string{`"child"`, `"class"`}},
	})
}

func TestNGSIEntityTypesAndQuery(t *testing.T) {
	all := withKey(allPublic, publicScopes...)
	h := keyHeader(allPublic)
	runScenarios(t, []tests.ApiScenario{
		{Name: "entity", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + f0001, Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + f0001 + `"`, `"type":"geo:json"`, `"coordinates":[133.14368347698814,33.89071361894162]`}},
		{Name: "entity keyValues attrs", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "?options=keyValues&attrs=vacancies", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"vacancies":`}, NotExpectedContent: []string{`"capacity"`}},
		{Name: "entity without key", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + f0001,
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "entity of a type not granted", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001, Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "unknown entity", Method: http.MethodGet, URL: "/ngsi/v2/entities/urn:ngsi-ld:PointOfInterest:saijo:NOPE", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 404, ExpectedContent: []string{`"error":"NotFound"`, `"description":"指定された id のエンティティはありません"`}},
		{Name: "types", Method: http.MethodGet, URL: "/ngsi/v2/types", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"type":"PointOfInterest"`, `"type":"NurseryVacancy"`, `"type":"InfectionCount"`, `"count":12`, `"vacancies":{"types":["Number"]}`}},
		{Name: "types of a facilities key", Method: http.MethodGet, URL: "/ngsi/v2/types", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 200,
			ExpectedContent: []string{`"type":"PointOfInterest"`}, NotExpectedContent: []string{"NurseryVacancy"}},
		{Name: "one type", Method: http.MethodGet, URL: "/ngsi/v2/types/NurseryVacancy", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"count":24`, `"ageClass":{"types":["Number"]}`}},
		{Name: "unknown type", Method: http.MethodGet, URL: "/ngsi/v2/types/Vehicle", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 404, ExpectedContent: ngsiError("NotFound")},
		{Name: "types without key", Method: http.MethodGet, URL: "/ngsi/v2/types", ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "op/query", Method: http.MethodPost, URL: "/ngsi/v2/op/query?options=keyValues,count&limit=5", Headers: h, BeforeTestFunc: all,
			Body: strings.NewReader(`{"entities":[{"idPattern":".*","type":"NurseryVacancy"}],"attrs":["vacancies","ageClass"],
				"expression":{"q":"ageClass==1","georel":"near;maxDistance:500","geometry":"point","coords":"` + f0001Coords + `"}}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + vacancyF0001 + `"`, `"ageClass":1`}, NotExpectedContent: []string{`"name"`, "F0002"},
			AfterTestFunc: header("Fiware-Total-Count", "1")},
		{Name: "op/query by ids", Method: http.MethodPost, URL: "/ngsi/v2/op/query?options=keyValues", Headers: h, BeforeTestFunc: all,
			Body:           strings.NewReader(`{"entities":[{"id":"` + f0001 + `"},{"id":"` + f0002 + `"}],"attrs":["name"]}`),
			ExpectedStatus: 200, ExpectedContent: []string{f0001, f0002}, AfterTestFunc: count(2)},
		{Name: "op/query bad json", Method: http.MethodPost, URL: "/ngsi/v2/op/query", Headers: h, BeforeTestFunc: all,
			Body: strings.NewReader(`{"entities":`), ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "op/query of a type not granted", Method: http.MethodPost, URL: "/ngsi/v2/op/query", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), Body: strings.NewReader(`{"entities":[{"type":"InfectionCount"}]}`),
			ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "op/query without key", Method: http.MethodPost, URL: "/ngsi/v2/op/query", Body: strings.NewReader(`{}`),
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
	})
}

func TestNGSIAggregateAndHistory(t *testing.T) {
	all := withKey(allPublic, publicScopes...)
	h := keyHeader(allPublic)
	runScenarios(t, []tests.ApiScenario{
		{Name: "sum of vacancies by age class", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=NurseryVacancy&op=sum&attr=vacancies&groupBy=ageClass", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"op":"sum"`, `"group":0`, `"group":5`, `"count":4`}},
		{Name: "count by week of infections", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=InfectionCount&op=count&groupBy=infection&bucket=week&timeAttr=dateObserved", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"bucket":"`, `"group":"influenza"`}},
		{Name: "avg near a point", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=NurseryVacancy&op=avg&attr=capacity&georel=near;maxDistance:500&geometry=point&coords=" + f0001Coords, Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"op":"avg"`, `"count":6`}},
		{Name: "aggregate bad op", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=NurseryVacancy&op=max", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "aggregate without type", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?op=count", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "aggregate of a type not granted", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=InfectionCount&op=count", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "aggregate without key", Method: http.MethodGet, URL: "/ngsi/v2/aggregate?type=InfectionCount&op=count",
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
		{Name: "demo history", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"entityId":"` + vacancyF0001 + `"`, `"attrName":"vacancies"`, `"values":[3,3,2,2,1,2,1`}},
		{Name: "history lastN", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history?lastN=2", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"values":[`}, AfterTestFunc: historyLength(2)},
		{Name: "history window", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history?toDate=2000-01-01", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 200, ExpectedContent: []string{`"values":[]`, `"index":[]`}},
		{Name: "history bad date", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history?fromDate=yesterday", Headers: h, BeforeTestFunc: all,
			ExpectedStatus: 400, ExpectedContent: ngsiError("BadRequest")},
		{Name: "history of a type not granted", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history", Headers: keyHeader("faconlyk"),
			BeforeTestFunc: withKey("faconlyk", "facilities:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "history without key", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + vacancyF0001 + "/attrs/vacancies/history",
			ExpectedStatus: 401, ExpectedContent: refusal("missing_key")},
	})
}

// ngsiClient sends requests with a key to one app.
type ngsiClient struct {
	t   *testing.T
	h   http.Handler
	key string
}

func (c ngsiClient) do(method, url, body string) (int, http.Header, string) {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, r)
	req.Header.Set("X-API-Key", c.key)
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.String()
}

func newNGSIApp(t *testing.T) (*tests.TestApp, http.Handler) {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	// The worker's debounce is long so the test decides when changes are
	// processed (NGSISync); deliveries retry quickly.
	hooks.SetNGSIOptions(app, hooks.NGSIOptions{AllowPrivate: true, Debounce: time.Hour, Attempts: 3,
		Backoff: 5 * time.Millisecond, MaxFailsLimit: 3, Timeout: 2 * time.Second})
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	return app, h
}

// changeCapacity changes the capacity of F0001's 1-year class this year,
// which changes its NurseryVacancy entity.
func changeCapacity(t *testing.T, app core.App, delta int) {
	t.Helper()
	f, err := app.FindFirstRecordByData("facilities", "code", "F0001")
	if err != nil {
		t.Fatal(err)
	}
	cls, err := app.FindFirstRecordByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy} && ageClass = 1",
		dbx.Params{"n": f.Id, "fy": civil.FiscalYear(civil.Today())})
	if err != nil {
		t.Fatal(err)
	}
	cls.Set("capacity", cls.GetInt("capacity")+delta)
	if err := app.Save(cls); err != nil {
		t.Fatal(err)
	}
}

func historyLength(want int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		var got struct{ Index, Values []any }
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil || len(got.Index) != want || len(got.Values) != want {
			t.Errorf("history %v (%v), want %d points", got, err, want)
		}
	}
}

func TestNGSIHistoryRecordsChanges(t *testing.T) {
	app, h := newNGSIApp(t)
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	c := ngsiClient{t, h, testKey(allPublic)}
	before, _ := app.CountRecords(collections.NGSIHistory, dbx.HashExp{"entityId": vacancyF0001, "attr": "vacancies"})
	if err := hooks.NGSISync(app); err != nil { // the snapshot the change is compared with
		t.Fatal(err)
	}
	changeCapacity(t, app, 2)
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	code, _, body := c.do(http.MethodGet, "/ngsi/v2/entities/"+vacancyF0001+"/attrs/capacity/history", "")
	var got struct {
		Index  []string
		Values []float64
	}
	_ = json.Unmarshal([]byte(body), &got)
	if code != 200 || len(got.Values) != 1 || len(got.Index) != 1 {
		t.Fatalf("%d %s", code, body)
	}
	_, _, ent := c.do(http.MethodGet, "/ngsi/v2/entities/"+vacancyF0001+"?options=keyValues", "")
	var e struct{ Capacity float64 }
	_ = json.Unmarshal([]byte(ent), &e)
	if e.Capacity != got.Values[0] {
		t.Errorf("history %v, entity capacity %v", got.Values, e.Capacity)
	}
	if _, err := time.Parse(time.RFC3339, got.Index[0]); err != nil {
		t.Errorf("index %q: %v", got.Index[0], err)
	}
	// vacancies changed too; dateObserved alone is never history.
	n, _ := app.CountRecords(collections.NGSIHistory, dbx.HashExp{"entityId": vacancyF0001, "attr": "vacancies"})
	if n != before+1 {
		t.Errorf("vacancies history rows %d", n)
	}
	if n, _ := app.CountRecords(collections.NGSIHistory, dbx.HashExp{"attr": "dateObserved"}); n != 0 {
		t.Errorf("dateObserved history rows %d", n)
	}
}

// subscriber is a partner's notification endpoint that answers with the
// scripted statuses (then 200) and keeps what it received.
type subscriber struct {
	mu       sync.Mutex
	statuses []int
	bodies   [][]byte
	sigs     []string
	srv      *httptest.Server
}

func newSubscriber(t *testing.T, statuses ...int) *subscriber {
	s := &subscriber{statuses: statuses}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.bodies = append(s.bodies, body)
		s.sigs = append(s.sigs, r.Header.Get(ngsi.SignatureHeader))
		status := http.StatusOK
		if len(s.statuses) > 0 {
			status, s.statuses = s.statuses[0], s.statuses[1:]
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *subscriber) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func subscribe(t *testing.T, c ngsiClient, url string, extra string) (id, secret string) {
	t.Helper()
	code, hdr, body := c.do(http.MethodPost, "/ngsi/v2/subscriptions", `{"description":"空きの通知",
		"subject":{"entities":[{"idPattern":"F0001","type":"NurseryVacancy"}],"condition":{"attrs":["capacity"]}},
		"notification":{"http":{"url":"`+url+`"},"attrs":["capacity","vacancies"],"attrsFormat":"keyValues"`+extra+`}}`)
	var out struct{ ID, Secret string }
	_ = json.Unmarshal([]byte(body), &out)
	if code != http.StatusCreated || out.Secret == "" || hdr.Get("Location") != "/ngsi/v2/subscriptions/"+out.ID {
		t.Fatalf("subscribe: %d %s", code, body)
	}
	return out.ID, out.Secret
}

func subscriptionOf(t *testing.T, c ngsiClient, id string) map[string]any {
	t.Helper()
	code, _, body := c.do(http.MethodGet, "/ngsi/v2/subscriptions/"+id, "")
	var out map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("get subscription: %d %s", code, body)
	}
	if strings.Contains(body, "secret") {
		t.Error("the secret is shown again")
	}
	return out
}

func notificationField(sub map[string]any, k string) any {
	return sub["notification"].(map[string]any)[k]
}

func TestNGSISubscriptionNotifiesSigned(t *testing.T) {
	app, h := newNGSIApp(t)
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	c := ngsiClient{t, h, testKey(allPublic)}
	s := newSubscriber(t)
	id, secret := subscribe(t, c, s.srv.URL+"/notify", "")

	changeCapacity(t, app, 3)
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	if s.received() != 1 {
		t.Fatalf("%d notifications", s.received())
	}
	if err := ngsi.Verify(secret, s.bodies[0], s.sigs[0], time.Now(), 5*time.Minute); err != nil {
		t.Fatalf("signature %q: %v", s.sigs[0], err)
	}
	if err := ngsi.Verify("wrong", s.bodies[0], s.sigs[0], time.Now(), 5*time.Minute); err == nil {
		t.Error("a wrong secret verified")
	}
	var n struct {
		SubscriptionID string `json:"subscriptionId"`
		Data           []map[string]any
	}
	if err := json.Unmarshal(s.bodies[0], &n); err != nil || n.SubscriptionID != id || len(n.Data) != 1 {
		t.Fatalf("body %s", s.bodies[0])
	}
	if d := n.Data[0]; d["id"] != vacancyF0001 || d["capacity"] == nil || d["vacancies"] == nil || d["name"] != nil {
		t.Errorf("data %v", d)
	}
	sub := subscriptionOf(t, c, id)
	if notificationField(sub, "timesSent") != 1.0 || notificationField(sub, "lastSuccessCode") != 200.0 || sub["status"] != "active" {
		t.Errorf("subscription %v", sub)
	}
	// A change of an attribute outside condition.attrs notifies nobody.
	f, _ := app.FindFirstRecordByData("facilities", "code", "F0001")
	f.Set("phone", "0897-00-0000")
	if err := app.Save(f); err != nil {
		t.Fatal(err)
	}
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	if s.received() != 1 {
		t.Errorf("%d notifications after an unrelated change", s.received())
	}
}

func TestNGSISubscriptionRetriesThenSucceeds(t *testing.T) {
	app, h := newNGSIApp(t)
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	c := ngsiClient{t, h, testKey(allPublic)}
	s := newSubscriber(t, 500, 503) // then 200
	id, secret := subscribe(t, c, s.srv.URL, "")
	changeCapacity(t, app, 1)
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	if s.received() != 3 {
		t.Fatalf("%d tries, want 3", s.received())
	}
	for i := range s.bodies {
		if err := ngsi.Verify(secret, s.bodies[i], s.sigs[i], time.Now(), time.Minute); err != nil {
			t.Errorf("try %d: %v", i+1, err)
		}
	}
	sub := subscriptionOf(t, c, id)
	if notificationField(sub, "timesSent") != 1.0 || notificationField(sub, "failsCounter") != 0.0 || sub["status"] != "active" ||
		notificationField(sub, "lastFailureReason") != "HTTP 503" {
		t.Errorf("subscription %v", sub)
	}
}

func TestNGSISubscriptionDeactivatesAfterFailures(t *testing.T) {
	app, h := newNGSIApp(t)
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	c := ngsiClient{t, h, testKey(allPublic)}
	s := newSubscriber(t, 500, 500, 500, 500, 500, 500)
	id, _ := subscribe(t, c, s.srv.URL, `,"maxFailsLimit":2`)
	changeCapacity(t, app, 1)
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	if s.received() != 2 {
		t.Fatalf("%d tries, want 2 (maxFailsLimit)", s.received())
	}
	sub := subscriptionOf(t, c, id)
	if sub["status"] != "failed" || notificationField(sub, "failsCounter") != 2.0 || notificationField(sub, "timesSent") != 0.0 ||
		notificationField(sub, "maxFailsLimit") != 2.0 {
		t.Errorf("subscription %v", sub)
	}
	changeCapacity(t, app, 1)
	if err := hooks.NGSISync(app); err != nil {
		t.Fatal(err)
	}
	if s.received() != 2 {
		t.Errorf("a failed subscription was notified again (%d)", s.received())
	}
}

func TestNGSISubscriptionRoutes(t *testing.T) {
	app, h := newNGSIApp(t)
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	other := addPartner(t, app, "別の事業者", true)
	addKey(t, app, "otherkey", keyOpts{scopes: publicScopes, partner: other.Id})
	addKey(t, app, "readsubs", keyOpts{scopes: []string{"nursery_vacancies:read", "subscriptions:read"}})
	addKey(t, app, "facsubsk", keyOpts{scopes: []string{"facilities:read", "subscriptions:read", "subscriptions:write"}})
	mine := ngsiClient{t, h, testKey(allPublic)}
	theirs := ngsiClient{t, h, testKey("otherkey")}
	id, _ := subscribe(t, mine, "https://partner.example.jp/notify", "")
	theirID, _ := subscribe(t, theirs, "https://other.example.jp/notify", "")

	code, hdr, body := mine.do(http.MethodGet, "/ngsi/v2/subscriptions?options=count", "")
	// The demo partner's stopped demo subscription is listed too.
	if code != 200 || !strings.Contains(body, id) || strings.Contains(body, theirID) || hdr.Get("Fiware-Total-Count") != "2" {
		t.Errorf("list: %d %s %v", code, body, hdr)
	}
	if code, _, body := mine.do(http.MethodGet, "/ngsi/v2/subscriptions/"+theirID, ""); code != 404 || !strings.Contains(body, `"error":"NotFound"`) {
		t.Errorf("another partner's subscription: %d %s", code, body)
	}
	if code, _, _ := mine.do(http.MethodDelete, "/ngsi/v2/subscriptions/"+theirID, ""); code != 404 {
		t.Errorf("delete another partner's: %d", code)
	}
	sub := subscriptionOf(t, mine, id)
	if sub["status"] != "active" || notificationField(sub, "attrsFormat") != "keyValues" || notificationField(sub, "maxFailsLimit") != 3.0 {
		t.Errorf("subscription %v", sub)
	}
	cases := []struct {
		name   string
		c      ngsiClient
		method string
		url    string
		body   string
		status int
		want   string
	}{
		{"no key", ngsiClient{t, h, ""}, http.MethodGet, "/ngsi/v2/subscriptions", "", 401, "missing_key"},
		{"no key create", ngsiClient{t, h, ""}, http.MethodPost, "/ngsi/v2/subscriptions", "{}", 401, "missing_key"},
		{"read-only key creates", ngsiClient{t, h, testKey("readsubs")}, http.MethodPost, "/ngsi/v2/subscriptions", "{}", 403, "scope_denied"},
		{"read-only key deletes", ngsiClient{t, h, testKey("readsubs")}, http.MethodDelete, "/ngsi/v2/subscriptions/" + id, "", 403, "scope_denied"},
		{"type not granted", ngsiClient{t, h, testKey("facsubsk")}, http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"type":"InfectionCount"}]},"notification":{"http":{"url":"https://p.example.jp/n"}}}`, 403, "scope_denied"},
		{"private address", mine, http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"type":"PointOfInterest"}]},"notification":{"http":{"url":"ftp://p.example.jp/n"}}}`, 400, "BadRequest"},
		{"no type", mine, http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"idPattern":".*"}]},"notification":{"http":{"url":"https://p.example.jp/n"}}}`, 400, "BadRequest"},
		{"expired", mine, http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"type":"PointOfInterest"}]},"notification":{"http":{"url":"https://p.example.jp/n"}},"expires":"2020-01-01T00:00:00Z"}`, 400, "BadRequest"},
		{"bad q", mine, http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"type":"PointOfInterest"}],"condition":{"expression":{"q":"a>1..2"}}},"notification":{"http":{"url":"https://p.example.jp/n"}}}`, 400, "BadRequest"},
		{"list limit", mine, http.MethodGet, "/ngsi/v2/subscriptions?limit=0", "", 400, "BadRequest"},
	}
	for _, tc := range cases {
		code, _, body := tc.c.do(tc.method, tc.url, tc.body)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s", tc.name, code, body)
		}
	}
	if code, _, _ := mine.do(http.MethodDelete, "/ngsi/v2/subscriptions/"+id, ""); code != 204 {
		t.Errorf("delete: %d", code)
	}
	if code, _, _ := mine.do(http.MethodGet, "/ngsi/v2/subscriptions/"+id, ""); code != 404 {
		t.Errorf("after delete: %d", code)
	}
	if code, _, _ := theirs.do(http.MethodGet, "/ngsi/v2/subscriptions/"+theirID, ""); code != 200 {
		t.Errorf("the other partner lost theirs: %d", code)
	}
}

func TestNGSISubscriptionRefusesPrivateAddresses(t *testing.T) {
	app, h := newNGSIApp(t)
	hooks.SetNGSIOptions(app, hooks.DefaultNGSIOptions) // production: AllowPrivate off
	addKey(t, app, allPublic, keyOpts{scopes: publicScopes})
	c := ngsiClient{t, h, testKey(allPublic)}
	for _, url := range []string{"http://127.0.0.1:8090/n", "http://localhost/n", "http://10.0.0.5/n", "http://169.254.169.254/latest"} {
		code, _, body := c.do(http.MethodPost, "/ngsi/v2/subscriptions",
			`{"subject":{"entities":[{"type":"PointOfInterest"}]},"notification":{"http":{"url":"`+url+`"}}}`)
		if code != 400 || !strings.Contains(body, "内部ネットワーク") {
			t.Errorf("%s: %d %s", url, code, body)
		}
	}
}
