package hooks_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/text/encoding/japanese"

	"github.com/saijo-dx/lifestage/access"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/register"
)

const importURL = "/api/lifestage/watch/import"

const registerHeader = "世帯番号,氏名,カナ,生年月日,性別,住所,地区,続柄\n"

// registerCSV is a made-up extract: two good households (a woman of 85
// living alone, an elderly couple), and four bad rows.
const registerCSV = registerHeader +
	"8800001,検証 ウメ,ケンショウ ウメ,S16.5.5,女,愛媛県西条市神拝甲9-1,神拝,世帯主\n" +
	"8800002,検証 一夫,ケンショウ カズオ,1943/2/1,男,愛媛県西条市大町9-2,saijo-omachi,世帯主\n" +
	"8800002,検証 二葉,ケンショウ フタバ,1945-03-03,女,愛媛県西条市大町9-2,saijo-omachi,妻\n" +
	"8800003,,,1940-01-01,男,愛媛県西条市玉津9-3,玉津,世帯主\n" + // row 5: no name
	"8800004,検証 未来,,2099-01-01,女,愛媛県西条市玉津9-4,玉津,世帯主\n" + // row 6: future
	"8800005,検証 遠方,,1940-01-01,男,東京都千代田区,東京,世帯主\n" + // row 7: unknown area
	"8800001,検証 ウメ,ケンショウ ウメ,1941-05-05,女,愛媛県西条市神拝甲9-1,神拝,世帯主\n" // row 8: duplicate

// uploadTo posts a file to the import route.
func uploadTo(t testing.TB, h http.Handler, token, name string, data []byte) reply {
	req := httptest.NewRequest(http.MethodPost, importURL, strings.NewReader(multipartBody(t, "file", nil, name, data)))
	req.Header.Set("Content-Type", matrixUploadType)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return reply{rec.Code, rec.Body.String(), rec.Header().Get("Content-Type")}
}

func importScenario(t testing.TB, name, file string, data []byte) tests.ApiScenario {
	return tests.ApiScenario{
		Method: http.MethodPost, URL: importURL, Body: strings.NewReader(multipartBody(t, "file", nil, file, data)),
		Headers: map[string]string{"Authorization": fx.Tokens["city_elderly"], "Content-Type": matrixUploadType},
		Name:    name, TestAppFactory: fx.NewApp,
	}
}

// residentNamed finds a resident by full name.
func residentNamed(t testing.TB, app core.App, family, given string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter("residents", "familyName = {:f} && givenName = {:g}", dbx.Params{"f": family, "g": given})
	if err != nil {
		t.Fatalf("no resident %s %s: %v", family, given, err)
	}
	return r
}

func TestWatchImport(t *testing.T) {
	var scenarios []tests.ApiScenario
	for _, role := range access.Roles {
		if role == "city_elderly" {
			continue
		}
		s := importScenario(t, role+" refused", "register.csv", []byte(registerCSV))
		s.Headers["Authorization"] = fx.Tokens[role]
		s.ExpectedStatus, s.ExpectedContent = http.StatusForbidden, []string{`"status":403`}
		if role == "anonymous" {
			s.ExpectedStatus, s.ExpectedContent = http.StatusUnauthorized, []string{`"status":401`}
		}
		s.ExpectedEvents = map[string]int{"OnModelCreate": 0}
		scenarios = append(scenarios, s)
	}
	bad := func(name, file string, data []byte, code string) tests.ApiScenario {
		s := importScenario(t, name, file, data)
		s.ExpectedStatus = 400
		s.ExpectedContent = []string{`"file":{"code":"` + code + `"`}
		s.ExpectedEvents = map[string]int{"OnModelCreate": 0}
		return s
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	oversize := append([]byte(registerHeader), bytes.Repeat([]byte("x"), 5<<20)...)
	scenarios = append(scenarios,
		bad("an image is refused", "photo.png", png, "invalid_file_type"),
		bad("a spreadsheet renamed to .csv is refused", "register.csv", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), "invalid_file_type"),
		bad("an Excel file is refused", "register.xlsx", []byte(registerCSV), "invalid_file_type"),
		bad("a file over 5 MB is refused", "register.csv", oversize, "file_too_large"),
		bad("a file without the columns is refused", "register.csv", []byte("番号,名前\n1,検証 太郎\n"), "missing_column"),
		bad("an empty file is refused", "register.csv", []byte{}, "empty_file"),
		tests.ApiScenario{
			Name: "no file", Method: http.MethodPost, URL: importURL, Body: strings.NewReader(multipartBody(t, "file", nil, "", nil)),
			Headers:        map[string]string{"Authorization": fx.Tokens["city_elderly"], "Content-Type": matrixUploadType},
			ExpectedStatus: 400, ExpectedContent: []string{`"file":{"code":"missing_file"`}, TestAppFactory: fx.NewApp,
		},
	)
	good := importScenario(t, "good rows land, bad rows are reported with their codes", "register.csv", []byte(registerCSV))
	good.ExpectedStatus = 200
	good.ExpectedContent = []string{
		`"imported":3`, `"updated":0`, `"rejected":4`, `"households":2`, `"encoding":"UTF-8"`,
		`{"row":5,"column":"氏名","code":"missing_name",`,
		`{"row":6,"column":"生年月日","code":"future_birth_date",`,
		`{"row":7,"column":"地区","code":"unknown_area",`,
		`{"row":8,"column":"氏名","code":"duplicate_person",`,
	}
	good.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		ume := residentNamed(t, app, "検証", "ウメ")
		if ume.GetString("birthDate") != "1941-05-05" || ume.GetString("sex") != "female" || ume.GetString("familyNameKana") != "ケンショウ" ||
			ume.GetString("key") != register.DeriveKey("8800001", "検証ウメ", civil.Date{Year: 1941, Month: 5, Day: 5}) {
			t.Fatalf("resident %v", ume.FieldsData())
		}
		alone, _ := app.FindRecordById("households", ume.GetString("household"))
		couple, _ := app.FindFirstRecordByData("households", "code", "8800002")
		if alone.GetString("address") != "愛媛県西条市神拝甲9-1" || alone.GetInt("memberCount") != 1 || !alone.GetBool("livingAlone") || !alone.GetBool("elderlyOnly") {
			t.Fatalf("household %v", alone.FieldsData())
		}
		if couple == nil || couple.GetInt("memberCount") != 2 || couple.GetBool("livingAlone") || !couple.GetBool("elderlyOnly") {
			t.Fatalf("couple %v", couple)
		}
		area, _ := app.FindFirstRecordByData("areas", "code", "saijo-omachi")
		if couple.GetString("area") != area.Id || residentNamed(t, app, "検証", "二葉").GetString("area") != area.Id {
			t.Fatal("the area code should name 大町")
		}
		for _, code := range []string{"8800003", "8800004", "8800005"} {
			if h, _ := app.FindFirstRecordByData("households", "code", code); h != nil {
				t.Fatalf("a household of bad rows only was written: %s", code)
			}
		}
		// One import entry, and every written record, name the staff member.
		var entries []struct {
			Action, Collection, Record string
		}
		err := app.DB().NewQuery(`SELECT action, collection, record FROM audit_log WHERE actor = {:a} ORDER BY seq`).
			Bind(dbx.Params{"a": fx.IDs["city_elderly"]}).All(&entries)
		if err != nil {
			t.Fatal(err)
		}
		var imports, creates int
		for _, e := range entries {
			switch e.Action {
			case "import":
				imports++
				if e.Collection != "residents" || e.Record != "3" {
					t.Fatalf("import entry %+v", e)
				}
			case "create":
				creates++
			}
		}
		if imports != 1 || creates != 5 { // 3 residents + 2 households
			t.Fatalf("audit: %d import, %d create entries by the staff member", imports, creates)
		}
	}
	scenarios = append(scenarios, good)

	sjis, err := japanese.ShiftJIS.NewEncoder().String(registerHeader + "8800009,試験 シズ,シケン シズ,昭和10年1月2日,女,愛媛県西条市丹原町田野上方9,田野,世帯主\r\n")
	if err != nil {
		t.Fatal(err)
	}
	sj := importScenario(t, "a Shift_JIS file", "juki.CSV", []byte(sjis))
	sj.ExpectedStatus = 200
	sj.ExpectedContent = []string{`"encoding":"Shift_JIS"`, `"imported":1`, `"rejected":0`, `"errors":[]`}
	sj.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		r := residentNamed(t, app, "試験", "シズ")
		if r.GetString("birthDate") != "1935-01-02" || r.GetString("givenNameKana") != "シズ" {
			t.Fatalf("%v", r.FieldsData())
		}
	}
	scenarios = append(scenarios, sj)

	sample := tests.ApiScenario{
		Name: "city_elderly downloads the sample", Method: http.MethodGet, URL: importURL + "/sample.csv",
		Headers: auth("city_elderly"), ExpectedStatus: 200, ExpectedContent: []string{"世帯番号,氏名,カナ,生年月日", "見本 ハナ"},
	}
	refused := sample
	refused.Name, refused.Headers, refused.ExpectedStatus, refused.ExpectedContent = "a volunteer may not", auth("volunteer"), 403, []string{`"status":403`}
	scenarios = append(scenarios, sample, refused)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// importCounts reads an import's counts.
func importCounts(t testing.TB, r reply) (imported, updated, unchanged int) {
	t.Helper()
	var out struct{ Imported, Updated, Unchanged int }
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &out) != nil {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	return out.Imported, out.Updated, out.Unchanged
}

func TestWatchReimportIsIdempotent(t *testing.T) {
	app, h := handlerFor(t)
	tok := fx.Tokens["city_elderly"]
	before, _ := app.CountRecords("residents")
	if i, u, n := importCounts(t, uploadTo(t, h, tok, "a.csv", []byte(registerCSV))); i != 3 || u != 0 || n != 0 {
		t.Fatalf("first import: %d %d %d", i, u, n)
	}
	if i, u, n := importCounts(t, uploadTo(t, h, tok, "a.csv", []byte(registerCSV))); i != 0 || u != 0 || n != 3 {
		t.Fatalf("second import: %d %d %d", i, u, n)
	}
	after, _ := app.CountRecords("residents")
	if after != before+3 {
		t.Fatalf("residents %d -> %d", before, after)
	}
	// The couple's kana corrected: an update of that person alone.
	fixed := strings.Replace(registerCSV, "ケンショウ フタバ", "ケンショウ フタバ", 1)
	fixed = strings.Replace(fixed, "ケンショウ フタバ", "ケンショウ フタ", 1)
	if i, u, n := importCounts(t, uploadTo(t, h, tok, "a.csv", []byte(fixed))); i != 0 || u != 1 || n != 2 {
		t.Fatalf("corrected import: %d %d %d", i, u, n)
	}
	// The demo imported the sample extract: importing it again changes nothing.
	if i, u, n := importCounts(t, uploadTo(t, h, tok, "sample.csv", register.SampleCSV)); i != 0 || u != 0 || n != 8 {
		t.Fatalf("sample: %d %d %d", i, u, n)
	}
}

// candidatePage is the candidates route's answer.
type candidatePage struct {
	TotalItems int `json:"totalItems"`
	Rules      []struct {
		ID, Name string
	} `json:"rules"`
	Items []struct {
		Resident, Name, HouseholdKind, AreaName string
		Age                                     int
		Rules                                   []struct{ ID, Name string }
	} `json:"items"`
}

func candidates(t testing.TB, h http.Handler, query string) candidatePage {
	t.Helper()
	r := call(h, http.MethodGet, "/api/lifestage/watch/candidates"+query, fx.Tokens["city_elderly"], "")
	var p candidatePage
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &p) != nil {
		t.Fatalf("candidates%s: %d %s", query, r.Status, r.Body)
	}
	return p
}

func (p candidatePage) has(resident string) bool {
	return slices.ContainsFunc(p.Items, func(c struct {
		Resident, Name, HouseholdKind, AreaName string
		Age                                     int
		Rules                                   []struct{ ID, Name string }
	}) bool {
		return c.Resident == resident
	})
}

func TestWatchCandidates(t *testing.T) {
	app, h := handlerFor(t)
	all := candidates(t, h, "?perPage=200")
	if all.TotalItems == 0 || len(all.Rules) != 2 {
		t.Fatalf("candidates %d, active rules %+v", all.TotalItems, all.Rules)
	}
	// Every candidate is unwatched and 75 or over (the loosest active rule).
	for _, c := range all.Items {
		if n, _ := app.CountRecords("watch_targets", dbx.HashExp{"resident": c.Resident}); n > 0 {
			t.Fatalf("%s is watched already", c.Name)
		}
		if c.Age < 75 || len(c.Rules) == 0 || c.AreaName == "" {
			t.Fatalf("candidate %+v", c)
		}
	}
	// The query narrows nobody away: the rules over every unwatched
	// resident give the same count.
	var rows []struct {
		BirthDate   string `db:"birthDate"`
		Area        string `db:"area"`
		LivingAlone bool   `db:"livingAlone"`
		ElderlyOnly bool   `db:"elderlyOnly"`
	}
	err := app.DB().NewQuery(`SELECT r.birthDate, r.area, h.livingAlone, h.elderlyOnly FROM residents r JOIN households h ON h.id = r.household
		WHERE r.id NOT IN (SELECT resident FROM watch_targets)`).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	rules := []register.Rule{}
	for _, r := range all.Rules {
		rec, _ := app.FindRecordById("watch_candidate_rules", r.ID)
		rules = append(rules, register.Rule{ID: rec.Id, MinAge: rec.GetInt("minAge"), Household: rec.GetString("household"), Areas: rec.GetStringSlice("areas")})
	}
	want := 0
	for _, r := range rows {
		b, _ := civil.Parse(r.BirthDate)
		if len(register.Matching(rules, register.Resident{BirthDate: b, AreaID: r.Area, LivingAlone: r.LivingAlone, ElderlyOnly: r.ElderlyOnly}, civil.Today())) > 0 {
			want++
		}
	}
	if all.TotalItems != want {
		t.Fatalf("route found %d candidates, the rules %d", all.TotalItems, want)
	}

	// The sample's people: 82 living alone and an elderly couple are in;
	// 70 living alone and 78 living with a son are not.
	hana, ichiro := residentNamed(t, app, "見本", "ハナ").Id, residentNamed(t, app, "試作", "一郎").Id
	masao, tome := residentNamed(t, app, "例示", "正夫").Id, residentNamed(t, app, "模擬", "トメ").Id
	for _, id := range []string{hana, ichiro} {
		if !candidatesHave(t, h, "", id) {
			t.Fatalf("%s should be a candidate", id)
		}
	}
	for _, id := range []string{masao, tome} {
		if candidatesHave(t, h, "", id) {
			t.Fatalf("%s should not be a candidate", id)
		}
	}
	alone, _ := app.FindFirstRecordByData("watch_candidate_rules", "name", "75歳以上の一人暮らし")
	if candidatesHave(t, h, "&rule="+alone.Id, ichiro) || !candidatesHave(t, h, "&rule="+alone.Id, hana) {
		t.Fatal("the rule filter should keep the people living alone")
	}
	// Switching a rule off takes its candidates away.
	alone.Set("active", false)
	if err := app.Save(alone); err != nil {
		t.Fatal(err)
	}
	if p := candidates(t, h, "?perPage=1&page=2"); p.TotalItems >= all.TotalItems || len(p.Items) != 1 || len(p.Rules) != 1 {
		t.Fatalf("after switching a rule off: %d of %d, %d rules", p.TotalItems, all.TotalItems, len(p.Rules))
	}
	expect(t, "unknown rule", call(h, http.MethodGet, "/api/lifestage/watch/candidates?rule="+alone.Id, fx.Tokens["city_elderly"], ""),
		400, `"rule":{"code":"unknown_rule"`)
}

// candidatesHave pages through the candidates looking for the resident.
func candidatesHave(t testing.TB, h http.Handler, filter, resident string) bool {
	for page := 1; ; page++ {
		p := candidates(t, h, "?perPage=200&page="+strconv.Itoa(page)+filter)
		if p.has(resident) {
			return true
		}
		if page*200 >= p.TotalItems {
			return false
		}
	}
}

func TestWatchCandidatesRefused(t *testing.T) {
	for _, role := range access.Roles {
		if role == "city_elderly" {
			continue
		}
		for _, r := range []struct{ method, url, body string }{
			{http.MethodGet, "/api/lifestage/watch/candidates", ""},
			{http.MethodPost, "/api/lifestage/watch/candidates/confirm", `{"residents":["abc"],"consentStatus":"pending","frequency":"weekly","organization":"x"}`},
		} {
			s := tests.ApiScenario{
				Name: role + " " + r.method + " " + r.url, Method: r.method, URL: r.url, Body: strings.NewReader(r.body),
				Headers: auth(role), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
				ExpectedEvents: map[string]int{"OnModelCreate": 0}, TestAppFactory: fx.NewApp,
			}
			if role == "anonymous" {
				s.ExpectedStatus, s.ExpectedContent = 401, []string{`"status":401`}
			}
			s.Test(t)
		}
	}
}

func confirmJSON(residents []string, consent, frequency, volunteer, org string) string {
	b, _ := json.Marshal(map[string]any{"residents": residents, "consentStatus": consent, "frequency": frequency, "volunteer": volunteer, "organization": org})
	return string(b)
}

func TestWatchConfirm(t *testing.T) {
	app := fx.NewApp(t)
	hana, ichiro := residentNamed(t, app, "見本", "ハナ").Id, residentNamed(t, app, "試作", "一郎").Id
	watched := watchTargetOf(t, app, fx.IDs["volunteer"]).GetString("resident")
	vol, _ := app.FindRecordById("volunteers", fx.IDs["volunteer"])
	org := vol.GetString("organization")
	app.Cleanup()
	me := fx.IDs["volunteer"]
	url := "/api/lifestage/watch/candidates/confirm"
	scenario := func(name, body string, status int, content ...string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: strings.NewReader(body),
			Headers: auth("city_elderly"), ExpectedStatus: status, ExpectedContent: content, TestAppFactory: fx.NewApp}
	}
	refuse := func(name, body, field, code string) tests.ApiScenario {
		s := scenario(name, body, 400, `"`+field+`":{"code":"`+code+`"`)
		s.ExpectedEvents = map[string]int{"OnModelCreate": 0}
		return s
	}
	ok := scenario("two candidates become targets of the demo volunteer", confirmJSON([]string{hana, ichiro}, "consented", "weekly", me, ""), 200,
		`"created":[{`, `"resident":"`+hana+`"`, `"resident":"`+ichiro+`"`, `"alreadyTargeted":[]`, `"notFound":[]`)
	ok.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		for _, id := range []string{hana, ichiro} {
			tg, err := app.FindFirstRecordByData("watch_targets", "resident", id)
			r, _ := app.FindRecordById("residents", id)
			if err != nil || tg.GetString("volunteer") != me || tg.GetString("organization") != org || tg.GetString("area") != r.GetString("area") ||
				!tg.GetBool("active") || tg.GetString("consentStatus") != "consented" || tg.GetString("frequency") != "weekly" ||
				tg.GetInt("tokenVersion") != 1 || tg.GetString("tokenNonce") == "" {
				t.Fatalf("target %v %v", err, tg)
			}
		}
	}
	again := scenario("confirming again reports, never duplicates", confirmJSON([]string{hana, watched, "nosuchresident1"}, "pending", "monthly", "", org), 200,
		`"created":[{"resident":"`+hana+`"`, `"alreadyTargeted":["`+watched+`"]`, `"notFound":["nosuchresident1"]`)
	again.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if n, _ := app.CountRecords("watch_targets", dbx.HashExp{"resident": watched}); n != 1 {
			t.Fatalf("%d targets for one resident", n)
		}
		tg, _ := app.FindFirstRecordByData("watch_targets", "resident", hana)
		if tg.GetString("volunteer") != "" || tg.GetString("organization") != org {
			t.Fatalf("an organisation alone: %v", tg.FieldsData())
		}
	}
	declined := scenario("a refusal is recorded but not visited", confirmJSON([]string{ichiro}, "declined", "monthly", me, ""), 200, `"created":[{`)
	declined.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if tg, _ := app.FindFirstRecordByData("watch_targets", "resident", ichiro); tg == nil || tg.GetBool("active") {
			t.Fatalf("declined target %v", tg)
		}
	}
	for _, s := range []tests.ApiScenario{
		ok, again, declined,
		refuse("nobody chosen", confirmJSON(nil, "pending", "weekly", me, ""), "residents", "missing_residents"),
		refuse("unknown consent", confirmJSON([]string{hana}, "maybe", "weekly", me, ""), "consentStatus", "invalid_consent_status"),
		refuse("unknown frequency", confirmJSON([]string{hana}, "pending", "daily", me, ""), "frequency", "invalid_frequency"),
		refuse("nobody assigned", confirmJSON([]string{hana}, "pending", "weekly", "", ""), "volunteer", "missing_assignee"),
		refuse("unknown volunteer", confirmJSON([]string{hana}, "pending", "weekly", "nosuchvolunte1", ""), "volunteer", "unknown_volunteer"),
		refuse("unknown organisation", confirmJSON([]string{hana}, "pending", "weekly", "", "nosuchorganiz1"), "organization", "unknown_organization"),
	} {
		s.Test(t)
	}
}

// A confirmed candidate is on the volunteer's list and off the candidates.
func TestWatchConfirmedLeaveCandidates(t *testing.T) {
	app, h := handlerFor(t)
	hana := residentNamed(t, app, "見本", "ハナ").Id
	if !candidatesHave(t, h, "", hana) {
		t.Fatal("not a candidate to begin with")
	}
	body := confirmJSON([]string{hana}, "consented", "biweekly", fx.IDs["volunteer"], "")
	expect(t, "confirm", call(h, http.MethodPost, "/api/lifestage/watch/candidates/confirm", fx.Tokens["city_elderly"], body), 200, `"created":[{"resident":"`+hana+`"`)
	expect(t, "volunteer list", call(h, http.MethodGet, "/api/collections/watch_targets/records?perPage=500", fx.Tokens["volunteer"], ""), 200, `"resident":"`+hana+`"`)
	if candidatesHave(t, h, "", hana) {
		t.Fatal("a target is still proposed")
	}
	expect(t, "double confirm", call(h, http.MethodPost, "/api/lifestage/watch/candidates/confirm", fx.Tokens["city_elderly"], body), 200,
		`"created":[]`, `"alreadyTargeted":["`+hana+`"]`)
}

// A volunteer lists the targets assigned to them, and no others.
func TestWatchVolunteerListsOnlyTheirTargets(t *testing.T) {
	app, h := handlerFor(t)
	for _, v := range []struct{ token, id string }{
		{fx.Tokens["volunteer"], fx.IDs["volunteer"]},
		{tokenOf(t, app, "volunteers", outsiderVolunteer), ""},
	} {
		r := call(h, http.MethodGet, "/api/collections/watch_targets/records?perPage=500", v.token, "")
		var out struct {
			TotalItems int `json:"totalItems"`
			Items      []struct{ Volunteer string }
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &out) != nil {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		mine := 0
		if v.id != "" {
			n, _ := app.CountRecords("watch_targets", dbx.HashExp{"volunteer": v.id})
			mine = int(n)
		}
		all, _ := app.CountRecords("watch_targets")
		if len(out.Items) != mine || int(all) <= mine {
			t.Fatalf("listed %d of %d, assigned %d", len(out.Items), all, mine)
		}
		for _, it := range out.Items {
			if it.Volunteer != v.id {
				t.Fatalf("listed someone else's target: %+v", it)
			}
		}
	}
}
