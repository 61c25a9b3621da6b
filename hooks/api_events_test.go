package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/opendata"
	"github.com/saijo-dx/lifestage/reports"
)

// The demo has 8 events EV-0001…EV-0008; EV-0008 is an unpublished draft.
const (
	demoEventCount = 8
	draftEvent     = "EV-0008"
)

// hideEvent makes a published demo event staff-only before the request.
func hideEvent(code string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		r, err := app.FindFirstRecordByData("events", "code", code)
		if err != nil {
			t.Fatal(err)
		}
		r.Set("public", false)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
}

// eventCodes checks the codes a records list answer holds.
func eventCodes(want int, absent ...string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		var page struct{ Items []struct{ Code string } }
		if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != want {
			t.Errorf("%d events, want %d", len(page.Items), want)
		}
		for _, it := range page.Items {
			if slices.Contains(absent, it.Code) {
				t.Errorf("event %s listed", it.Code)
			}
		}
	}
}

func TestEventsCollectionRules(t *testing.T) {
	const list = "/api/collections/events/records?perPage=100&sort=startsAt"
	create := `{"code":"EV-T1","title":"テスト教室","kind":"class","startsAt":"2026-12-01 01:00:00.000Z","public":true,"published":true}`
	runScenarios(t, []tests.ApiScenario{
		{Name: "guest sees public published events only", Method: http.MethodGet, URL: list, ExpectedStatus: 200,
			BeforeTestFunc: hideEvent("EV-0002"), ExpectedContent: []string{`"totalItems":`}, AfterTestFunc: eventCodes(demoEventCount-2, draftEvent, "EV-0002")},
		{Name: "parent sees the same", Method: http.MethodGet, URL: list, Headers: map[string]string{"Authorization": fx.Tokens["parent"]},
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":`}, AfterTestFunc: eventCodes(demoEventCount-1, draftEvent)},
		{Name: "保育 staff see no drafts", Method: http.MethodGet, URL: list, Headers: map[string]string{"Authorization": fx.Tokens["city_nursery"]},
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":`}, AfterTestFunc: eventCodes(demoEventCount-1, draftEvent)},
		{Name: "子育て staff see all, drafts too", Method: http.MethodGet, URL: list, Headers: map[string]string{"Authorization": fx.Tokens["city_child"]},
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":`}, AfterTestFunc: eventCodes(demoEventCount)},
		{Name: "guest cannot filter a draft into view", Method: http.MethodGet, URL: list + "&filter=" + "code%3D%22" + draftEvent + "%22",
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		{Name: "parent cannot create", Method: http.MethodPost, URL: "/api/collections/events/records", Body: strings.NewReader(create),
			Headers: map[string]string{"Authorization": fx.Tokens["parent"]}, ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}},
		{Name: "保育 staff cannot create", Method: http.MethodPost, URL: "/api/collections/events/records", Body: strings.NewReader(create),
			Headers: map[string]string{"Authorization": fx.Tokens["city_nursery"]}, ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}},
		{Name: "子育て staff create", Method: http.MethodPost, URL: "/api/collections/events/records", Body: strings.NewReader(create),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, ExpectedStatus: 200,
			ExpectedContent: []string{`"code":"EV-T1"`}},
		{Name: "a schedule that cannot be kept is refused", Method: http.MethodPost, URL: "/api/collections/events/records",
			Body:    strings.NewReader(strings.Replace(create, `"public"`, `"endsAt":"2026-12-01 00:30:00.000Z","applicationCloses":"2026-12-02 00:00:00.000Z","minAgeMonths":5,"maxAgeMonths":3,"public"`, 1)),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, ExpectedStatus: 400,
			ExpectedContent: []string{`"endsAt":{"code":"end_before_start"`, `"applicationCloses":{"code":"closes_after_start"`, `"maxAgeMonths":{"code":"age_range"`}},
		{Name: "kind must be one of the five", Method: http.MethodPost, URL: "/api/collections/events/records",
			Body:    strings.NewReader(strings.Replace(create, `"class"`, `"party"`, 1)),
			Headers: map[string]string{"Authorization": fx.Tokens["city_child"]}, ExpectedStatus: 400, ExpectedContent: []string{`"kind":{"code":"validation_invalid_value"`}},
	})
}

func TestOpenDataEventsDownload(t *testing.T) {
	runScenarios(t, []tests.ApiScenario{
		{Name: "index lists イベント一覧 with its file", Method: http.MethodGet, URL: "/api/lifestage/opendata", ExpectedStatus: 200,
			ExpectedContent: []string{`"url":"/api/lifestage/opendata/events.csv"`}, NotExpectedContent: []string{`"status":`}},
		{Name: "イベント一覧: public published events, BOM, standard columns", Method: http.MethodGet, URL: "/api/lifestage/opendata/events.csv",
			BeforeTestFunc: hideEvent("EV-0003"), ExpectedStatus: 200,
			ExpectedContent: []string{"都道府県コード又は市区町村コード,NO,イベント名,イベント名_カナ"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "382060_events.csv") {
					t.Errorf("disposition %q", cd)
				}
				body, _ := io.ReadAll(res.Body)
				rows := readOpenDataCSV(t, opendata.Events, body)
				if len(rows) != demoEventCount-2 {
					t.Fatalf("%d rows, want %d", len(rows), demoEventCount-2)
				}
				col := func(name string) int { return slices.Index(opendata.Events.Columns, name) }
				for _, r := range rows {
					if r[1] == draftEvent || r[1] == "EV-0003" {
						t.Fatalf("event %s exported", r[1])
					}
					if r[0] != "382060" || r[col("開始日")] == "" || r[col("開始時間")] == "" || r[col("緯度")] == "" || r[col("主催者")] != "西条市" {
						t.Fatalf("row %q", r)
					}
				}
				first := rows[0] // EV-0002 育児相談, 3 days on at 9:30, 120 minutes, free
				if first[1] != "EV-0002" || first[col("開始時間")] != "09:30" || first[col("終了時間")] != "11:30" || first[col("料金(基本)")] != "無料" || first[col("定員")] != "10" {
					t.Fatalf("first row %q", first)
				}
			}},
	})
}

func eventsCSV(t testing.TB, events ...opendata.Event) []byte {
	rows := make([][]string, len(events))
	for i, e := range events {
		rows[i] = opendata.EventRow(e)
	}
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, reports.UTF8BOM, opendata.Events.Columns, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenDataEventsImport(t *testing.T) {
	const url = "/api/lifestage/opendata/events/import"
	look := fx.NewApp(t)
	venue, err := look.FindFirstRecordByFilter("facilities", `type = "health_center" && public = true`)
	look.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	newEvent := opendata.Event{No: "OD-E1", Name: "離乳食教室（中期）", StartDate: "2027-01-15", StartTime: "10:00", EndTime: "11:30",
		Fee: "300円", Place: venue.GetString("name"), Capacity: 12, HasCapacity: true, ApplyFrom: "2027-01-01", ApplyUntil: "2027-01-10"}
	update := opendata.Event{No: "EV-0001", Name: "離乳食教室（初期・改）", StartDate: "2027-02-01", Fee: "無料"}
	good := multipartBody(t, "file", nil, "events.csv", eventsCSV(t, newEvent, update))
	upload := func(name, role, body string, status int, content ...string) tests.ApiScenario {
		h := map[string]string{"Content-Type": matrixUploadType}
		if role != "" {
			h["Authorization"] = fx.Tokens[role]
		}
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: strings.NewReader(body), Headers: h,
			ExpectedStatus: status, ExpectedContent: content, AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if status != 200 || strings.Contains(name, "dry run") {
					if r, _ := app.FindFirstRecordByData("events", "code", "OD-E1"); r != nil {
						t.Fatal("an event was saved from a refused or dry-run file")
					}
				}
			}}
	}
	created := upload("子育て staff create one and update one", "city_child", good, 200,
		`"dataset":"events"`, `"rows":2`, `"created":1`, `"updated":1`, `"dryRun":false`)
	created.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		n, err := app.FindFirstRecordByData("events", "code", "OD-E1")
		if err != nil {
			t.Fatal(err)
		}
		if n.GetString("kind") != "class" || n.GetInt("fee") != 300 || n.GetInt("capacity") != 12 || !n.GetBool("public") || !n.GetBool("published") ||
			n.GetString("facility") != venue.Id || n.GetDateTime("startsAt").String() != "2027-01-15 01:00:00.000Z" ||
			n.GetDateTime("endsAt").String() != "2027-01-15 02:30:00.000Z" || n.GetDateTime("applicationCloses").String() != "2027-01-10 14:59:00.000Z" {
			t.Fatalf("created %v", n.PublicExport())
		}
		u, _ := app.FindFirstRecordByData("events", "code", "EV-0001")
		if u.GetString("title") != "離乳食教室（初期・改）" || u.GetString("kind") != "class" || u.GetInt("minAgeMonths") != 4 || !u.GetDateTime("endsAt").IsZero() {
			t.Fatalf("updated %v", u.PublicExport())
		}
	}
	bad := eventsCSV(t, opendata.Event{No: "OD-E2", Name: "教室", StartDate: "2027-01-15", StartTime: "25:00", Fee: "要問合せ"},
		opendata.Event{No: "OD-E2", StartDate: "2027/01/15"})
	dry := upload("dry run saves nothing", "city_child", good, 200, `"created":1`, `"updated":1`, `"dryRun":true`)
	dry.URL += "?dryRun=true"
	runScenarios(t, []tests.ApiScenario{
		upload("anonymous is refused", "", good, 401, `"status":401`),
		upload("parent is refused", "parent", good, 403, `"status":403`),
		upload("nursery staff are refused", "nursery_staff", good, 403, `"status":403`),
		upload("高齢福祉 staff are refused", "city_elderly", good, 403, `"status":403`),
		upload("保育 staff may import facilities but not events", "city_nursery", good, 403, `"status":403`),
		upload("運用 staff likewise", "city_admin", good, 403, `"status":403`),
		created,
		dry,
		upload("bad rows: every bad cell named, nothing saved", "city_child", multipartBody(t, "file", nil, "e.csv", bad), 400,
			`"message":"CSV に誤りが5件あります。何も保存していません。"`, `"row2.開始時間":{"code":"invalid_time"`, `"row2.料金(基本)":{"code":"invalid_fee"`,
			`"row3.イベント名":{"code":"required"`, `"row3.開始日":{"code":"invalid_date"`, `"row3.NO":{"code":"duplicate_no"`),
		upload("facility layout is refused", "city_child", multipartBody(t, "file", nil, "e.csv", childFacilitiesCSV(t, childRow(nil))), 400, `"file":{"code":"missing_columns"`),
		upload("Shift_JIS file", "city_child", multipartBody(t, "file", nil, "e.csv", []byte{0x82, 0xa0, ',', 'a'}), 400, `"file":{"code":"not_utf8"`),
	})
}

func TestNGSIEvents(t *testing.T) {
	const ev1 = "urn:ngsi-ld:Event:saijo:EV-0001"
	runScenarios(t, []tests.ApiScenario{
		{Name: "events key gets Event entities, no drafts", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=Event&limit=100", Headers: keyHeader("eventkey"),
			BeforeTestFunc: withKey("eventkey", "events:read"), ExpectedStatus: 200,
			ExpectedContent: []string{`"id":"` + ev1 + `"`, `"type":"Event"`, `"startDate":{"type":"DateTime","value":"20`, `"category":{"type":"StructuredValue","value":["class"]`,
				`"location":{"type":"geo:json"`, `"refPointOfInterest":{"type":"Relationship","value":"urn:ngsi-ld:PointOfInterest:saijo:`, `"eligibleAge"`, `"applicationPeriod"`},
			NotExpectedContent: []string{draftEvent}, AfterTestFunc: count(demoEventCount - 1)},
		{Name: "keyValues of one event", Method: http.MethodGet, URL: "/ngsi/v2/entities/" + ev1 + "?options=keyValues&attrs=name,capacity,fee", Headers: keyHeader("eventkey"),
			BeforeTestFunc: withKey("eventkey", "events:read"), ExpectedStatus: 200,
			ExpectedContent: []string{`"name":"離乳食教室（初期）"`, `"capacity":12`, `"fee":0`}},
		{Name: "a key without events:read gets 403 for Event", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=Event", Headers: keyHeader("facevkey"),
			BeforeTestFunc: withKey("facevkey", "facilities:read"), ExpectedStatus: 403, ExpectedContent: refusal("scope_denied")},
		{Name: "a facilities key never sees events", Method: http.MethodGet, URL: "/ngsi/v2/entities?limit=1000", Headers: keyHeader("facevkey"),
			BeforeTestFunc: withKey("facevkey", "facilities:read"), ExpectedStatus: 200, NotExpectedContent: []string{`"type":"Event"`}},
		{Name: "an event made non-public leaves NGSI", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=Event&limit=100", Headers: keyHeader("eventkey"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				withKey("eventkey", "events:read")(t, app, e)
				hideEvent("EV-0001")(t, app, e)
			}, ExpectedStatus: 200, NotExpectedContent: []string{ev1, draftEvent}, AfterTestFunc: count(demoEventCount - 2)},
		{Name: "near the venue", Method: http.MethodGet, URL: "/ngsi/v2/entities?type=Event&options=count&georel=near;maxDistance:100000&geometry=point&coords=" + f0001Coords,
			Headers: keyHeader("eventkey"), BeforeTestFunc: withKey("eventkey", "events:read"), ExpectedStatus: 200,
			ExpectedContent: []string{`"type":"Event"`}, AfterTestFunc: header("Fiware-Total-Count", "7")},
	})
}

// addEvents adds n public events to the demo's (a city's year of events
// is a few hundred to a few thousand).
func addEvents(b *testing.B, app core.App, n int) {
	col, err := app.FindCachedCollectionByNameOrId("events")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2027, 1, 1, 1, 0, 0, 0, time.UTC)
	for i := range n {
		r := core.NewRecord(col)
		r.Load(map[string]any{"code": fmt.Sprintf("BE-%05d", i), "title": "ベンチマーク教室", "kind": "class",
			"startsAt": start.Add(time.Duration(i) * time.Hour), "endsAt": start.Add(time.Duration(i)*time.Hour + time.Hour),
			"capacity": 10, "fee": 300, "place": "西条市総合福祉センター", "location": types.GeoPoint{Lon: 133.18, Lat: 33.92},
			"public": true, "published": true})
		if err := app.Save(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenDataEventsExport writes イベント一覧, and builds the NGSI
// Event entities, for the demo's events and for 2,000 more.
func BenchmarkOpenDataEventsExport(b *testing.B) {
	for _, extra := range []int{0, 2000} {
		app := fx.NewApp(b)
		addEvents(b, app, extra)
		b.Run(fmt.Sprintf("csv/%d", demoEventCount-1+extra), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := hooks.WriteEventsCSV(app, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("ngsi/%d", demoEventCount-1+extra), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := hooks.BuildEvents(app, civil.Today()); err != nil {
					b.Fatal(err)
				}
			}
		})
		app.Cleanup()
	}
}
