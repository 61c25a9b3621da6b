package hooks_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/opendata"
	"github.com/saijo-dx/lifestage/reports"
)

// readOpenDataCSV checks the BOM and the header and returns the rows.
func readOpenDataCSV(t testing.TB, l *opendata.Layout, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Fatalf("%s has no BOM", l.ID)
	}
	rows, err := opendata.ReadCSV(body)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], l.Columns) {
		t.Fatalf("%s header %v", l.ID, rows[0])
	}
	return rows[1:]
}

func publicFacilityCount(t testing.TB, app core.App, l *opendata.Layout) int {
	types := []any{}
	for _, ty := range l.FacilityTypes() {
		types = append(types, ty)
	}
	n, err := app.CountRecords("facilities", dbx.HashExp{"public": true}, dbx.In("type", types...))
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestOpenDataDownloads(t *testing.T) {
	const base = "/api/lifestage/opendata/"
	var hidden string
	scenarios := []tests.ApiScenario{
		{
			Name: "anyone lists the datasets", Method: http.MethodGet, URL: "/api/lifestage/opendata", ExpectedStatus: 200,
			ExpectedContent: []string{`"cityCode":"382060"`, `"title":"子育て施設一覧"`, `"title":"医療機関一覧"`, `"title":"イベント一覧"`},
		},
		{
			Name: "子育て施設一覧: public facilities only, BOM, standard columns", Method: http.MethodGet, URL: base + "child-facilities.csv", ExpectedStatus: 200,
			ExpectedContent: []string{"都道府県コード又は市区町村コード,NO,名称,名称_カナ,種別", "382060,"},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				// Hide one nursery: it must leave the file.
				r, err := app.FindFirstRecordByFilter("facilities", `type = "nursery" && public = true`)
				if err != nil {
					t.Fatal(err)
				}
				hidden = r.GetString("code")
				r.Set("public", false)
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
					t.Errorf("content type %q", ct)
				}
				body, _ := io.ReadAll(res.Body)
				rows := readOpenDataCSV(t, opendata.ChildFacilities, body)
				if want := publicFacilityCount(t, app, opendata.ChildFacilities); len(rows) != want || want < 5 {
					t.Fatalf("%d rows, %d public child facilities", len(rows), want)
				}
				for _, r := range rows {
					if r[1] == hidden {
						t.Fatalf("non-public facility %s exported", hidden)
					}
					if r[4] == "" || r[2] == "" {
						t.Fatalf("row without 名称 or 種別: %v", r)
					}
				}
			},
		},
		{
			Name: "医療機関一覧", Method: http.MethodGet, URL: base + "medical-institutions.csv", ExpectedStatus: 200,
			ExpectedContent: []string{"医療機関の種類", "診療科目", ",診療所,"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				body, _ := io.ReadAll(res.Body)
				rows := readOpenDataCSV(t, opendata.MedicalInstitutions, body)
				if want := publicFacilityCount(t, app, opendata.MedicalInstitutions); len(rows) != want || want < 3 {
					t.Fatalf("%d rows, %d public medical institutions", len(rows), want)
				}
			},
		},
		{Name: "unknown dataset", Method: http.MethodGet, URL: base + "residents.csv", ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "no .csv suffix", Method: http.MethodGet, URL: base + "child-facilities", ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// importFile is the fixture's own 子育て施設一覧 with edits: rows that
// change an existing facility and add a new one.
func childFacilitiesCSV(t testing.TB, rows ...[]string) []byte {
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, reports.UTF8BOM, opendata.ChildFacilities.Columns, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func childRow(edit map[string]string) []string {
	l := opendata.ChildFacilities
	row := l.FacilityRow(opendata.Facility{Code: "od-new-1", Name: "オープンデータ保育園", Type: "nursery",
		Address: "愛媛県西条市明屋敷164", Lat: 33.9196, Lng: 133.1833, HasLocation: true, Hours: "7:00〜19:00", Capacity: 60, HasCapacity: true})
	for col, v := range edit {
		row[slices.Index(l.Columns, col)] = v
	}
	return row
}

func TestOpenDataImport(t *testing.T) {
	const url = "/api/lifestage/opendata/child-facilities/import"
	good := multipartBody(t, "file", nil, "kosodate.csv", childFacilitiesCSV(t, childRow(nil)))
	upload := func(name, role, body string, status int, content ...string) tests.ApiScenario {
		h := map[string]string{"Content-Type": matrixUploadType}
		if role != "" {
			h["Authorization"] = fx.Tokens[role]
		}
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: strings.NewReader(body), Headers: h,
			ExpectedStatus: status, ExpectedContent: content}
	}
	notSaved := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if r, _ := app.FindFirstRecordByData("facilities", "code", "od-new-1"); r != nil {
			t.Fatal("a facility was saved from a refused or dry-run file")
		}
	}
	refused := func(name, role string) tests.ApiScenario {
		s := upload(name, role, good, 403, `"status":403`)
		s.AfterTestFunc = notSaved
		return s
	}
	// Codes of fixture facilities, read before the scenarios build bodies.
	look := fx.NewApp(t)
	kinder, err1 := look.FindFirstRecordByFilter("facilities", `type = "kindergarten" && public = true`)
	nursery, err2 := look.FindFirstRecordByFilter("facilities", `type = "nursery"`)
	look.Cleanup()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	updatedCode := kinder.GetString("code")
	updateRow := opendata.ChildFacilities.FacilityRow(opendata.Facility{Code: updatedCode, Name: "名前を変えた幼稚園", Type: "kindergarten", Phone: "0897-00-0000"})
	medical := opendata.MedicalInstitutions
	var medicalCSV bytes.Buffer
	_ = reports.WriteCSV(&medicalCSV, reports.UTF8BOM, medical.Columns, [][]string{medical.FacilityRow(opendata.Facility{Code: nursery.GetString("code"), Name: "診療所", Type: "clinic"})})
	scenarios := []tests.ApiScenario{
		func() tests.ApiScenario {
			s := upload("anonymous is refused", "", good, 401, `"status":401`)
			s.AfterTestFunc = notSaved
			return s
		}(),
		refused("parent is refused", "parent"),
		refused("nursery staff are refused", "nursery_staff"),
		refused("medical staff are refused", "medical_staff"),
		refused("高齢福祉 staff are refused", "city_elderly"),
		func() tests.ApiScenario {
			body := multipartBody(t, "file", nil, "kosodate.csv", childFacilitiesCSV(t, childRow(nil), updateRow))
			s := upload("運用 staff create one and update one", "city_admin", body, 200, `"dataset":"child-facilities"`, `"rows":2`, `"created":1`, `"updated":1`, `"dryRun":false`)
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
				n, err := app.FindFirstRecordByData("facilities", "code", "od-new-1")
				if err != nil || n.GetString("name") != "オープンデータ保育園" || !n.GetBool("public") || n.GetInt("capacity") != 60 || n.GetString("hours") != "7:00〜19:00" {
					t.Fatalf("created %v %v", n, err)
				}
				u, _ := app.FindFirstRecordByData("facilities", "code", updatedCode)
				if u.GetString("name") != "名前を変えた幼稚園" || u.GetString("phone") != "0897-00-0000" {
					t.Fatalf("updated %v", u)
				}
			}
			return s
		}(),
		func() tests.ApiScenario {
			s := upload("子育て staff dry run saves nothing", "city_child", good, 200, `"created":1`, `"dryRun":true`)
			s.URL += "?dryRun=true"
			s.AfterTestFunc = notSaved
			return s
		}(),
		func() tests.ApiScenario {
			bad := childFacilitiesCSV(t, childRow(map[string]string{"緯度": "133.2", "経度": "33.9"}), childRow(map[string]string{"NO": "od-new-2", "種別": "病院", "名称": ""}))
			s := upload("bad rows: every bad cell named, nothing saved", "city_nursery", multipartBody(t, "file", nil, "k.csv", bad), 400,
				`"message":"CSV に誤りが4件あります。何も保存していません。"`,
				`"row2.緯度":{"code":"invalid_lat"`, `"row2.経度":{"code":"invalid_lng"`,
				`"row3.名称":{"code":"required"`, `"row3.種別":{"code":"unknown_type"`)
			s.AfterTestFunc = notSaved
			return s
		}(),
		upload("Shift_JIS file", "city_admin", multipartBody(t, "file", nil, "k.csv", []byte{0x82, 0xa0, ',', 'a'}), 400, `"file":{"code":"not_utf8"`),
		upload("not a CSV file", "city_admin", multipartBody(t, "file", nil, "k.xlsx", []byte("PK")), 400, `"file":{"code":"not_csv"`),
		upload("no file", "city_admin", multipartBody(t, "file", [][2]string{{"x", "y"}}, "", nil), 400, `"file":{"code":"required"`),
		upload("wrong layout", "city_admin", multipartBody(t, "file", nil, "k.csv", []byte("NO,名称\r\n1,a\r\n")), 400, `"file":{"code":"missing_columns"`, "列が足りません"),
		upload("too large", "city_admin", multipartBody(t, "file", nil, "k.csv", bytes.Repeat([]byte("a"), 2<<20+10)), 400, `"file":{"code":"too_large"`),
		func() tests.ApiScenario {
			s := upload("a medical file may not take a nursery's NO", "city_admin", multipartBody(t, "file", nil, "iryo.csv", medicalCSV.Bytes()), 400, `"row2.NO":{"code":"code_in_use"`)
			s.URL = "/api/lifestage/opendata/medical-institutions/import"
			return s
		}(),
		upload("unknown dataset", "city_admin", good, 404, `"status":404`),
	}
	scenarios[len(scenarios)-1].URL = "/api/lifestage/opendata/residents/import"
	for i := range scenarios {
		scenarios[i].TestAppFactory = fx.NewApp
		scenarios[i].Test(t)
	}
}

// BenchmarkOpenDataExport writes 子育て施設一覧 and 医療機関一覧 for the demo
// city (the test fixture).
func BenchmarkOpenDataExport(b *testing.B) {
	app := fx.NewApp(b)
	defer app.Cleanup()
	rows := 0
	for _, l := range opendata.FacilityLayouts {
		rows += publicFacilityCount(b, app, l)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range opendata.FacilityLayouts {
			if err := hooks.WriteFacilitiesCSV(app, l, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows), "facilities")
}

// BenchmarkOpenDataExportBenchCity is the same on the benchmark city
// (LIFESTAGE_BENCH_RESIDENTS residents; 105000 is the whole city, whose
// facility counts scale with it).
func BenchmarkOpenDataExportBenchCity(b *testing.B) {
	app := benchApp(b)
	rows := 0
	for _, l := range opendata.FacilityLayouts {
		rows += publicFacilityCount(b, app, l)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range opendata.FacilityLayouts {
			if err := hooks.WriteFacilitiesCSV(app, l, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows), "facilities")
}
