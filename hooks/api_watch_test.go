package hooks_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/access"
	"github.com/saijo-dx/lifestage/testutil"
)

const outsiderVolunteer = "outsider-volunteers@test.lifestage.example" // another organization, no targets

// handlers keeps one handler per app: an app serves once.
var handlers sync.Map

// send makes one request to the app's handler and returns status and body.
func send(t testing.TB, app core.App, method, path, token, body string) (int, string) {
	t.Helper()
	h, ok := handlers.Load(app)
	if !ok {
		built, err := testutil.Handler(app)
		if err != nil {
			t.Fatal(err)
		}
		h, _ = handlers.LoadOrStore(app, built)
	}
	return sendTo(h.(http.Handler), method, path, token, body)
}

// during makes a request within a scenario's BeforeTestFunc, on the
// scenario's own router.
func during(t testing.TB, e *core.ServeEvent, method, path, token, body string) (int, string) {
	t.Helper()
	mux, err := e.Router.BuildMux()
	if err != nil {
		t.Fatal(err)
	}
	return sendTo(mux, method, path, token, body)
}

// sendTo is one request through the handler (see call).
func sendTo(h http.Handler, method, path, token, body string) (int, string) {
	r := call(h, method, path, token, body)
	return r.Status, r.Body
}

// watchTargetOf returns a watch target assigned to the volunteer.
func watchTargetOf(t testing.TB, app core.App, volunteer string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter("watch_targets", "volunteer = {:v}", dbx.Params{"v": volunteer})
	if err != nil {
		t.Fatalf("fixture has no watch target of %s: %v", volunteer, err)
	}
	return r
}

// qrToken asks the city for the target's QR code and returns its token.
func qrToken(t testing.TB, app core.App, target string) string {
	t.Helper()
	code, body := send(t, app, http.MethodGet, "/api/lifestage/watch/targets/"+target+"/qr.json", fx.Tokens["city_elderly"], "")
	var out struct {
		URL string `json:"url"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("qr.json: %d %s", code, body)
	}
	u, err := url.Parse(out.URL)
	if err != nil || !strings.HasSuffix(u.Path, "/watch/checkin/") || u.Query().Get("t") == "" {
		t.Fatalf("qr url %q", out.URL)
	}
	return u.Query().Get("t")
}

func checkinJSON(token, status string) string {
	b, _ := json.Marshal(map[string]any{"token": token, "status": status, "answers": map[string]string{"health": "ok"}, "note": "玄関先で会話", "lat": 33.91, "lng": 133.18})
	return string(b)
}

func TestWatchQRRoutes(t *testing.T) {
	app := fx.NewApp(t)
	target := watchTargetOf(t, app, fx.IDs["volunteer"]).Id
	app.Cleanup()
	var scenarios []tests.ApiScenario
	for _, role := range access.Roles {
		if role == "city_elderly" {
			continue
		}
		status := http.StatusForbidden
		if role == "anonymous" {
			status = http.StatusUnauthorized
		}
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, "/qr.json"}, {http.MethodGet, "/qr.png"}, {http.MethodPost, "/rotate"},
		} {
			scenarios = append(scenarios, tests.ApiScenario{
				Name: role + " refused " + r.path, Method: r.method, URL: "/api/lifestage/watch/targets/" + target + r.path,
				Headers: auth(role), ExpectedStatus: status, ExpectedContent: []string{`"status":`},
				ExpectedEvents: map[string]int{"OnModelUpdate": 0},
			})
		}
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "city_elderly gets the check-in URL", Method: http.MethodGet, URL: "/api/lifestage/watch/targets/" + target + "/qr.json",
			Headers: auth("city_elderly"), ExpectedStatus: 200, ExpectedContent: []string{`"url":"`, `/watch/checkin/?t=`},
		},
		tests.ApiScenario{
			Name: "city_elderly gets the PNG", Method: http.MethodGet, URL: "/api/lifestage/watch/targets/" + target + "/qr.png",
			Headers: auth("city_elderly"), ExpectedStatus: 200, ExpectedContent: []string{"\x89PNG"},
		},
		tests.ApiScenario{
			Name: "unknown target", Method: http.MethodGet, URL: "/api/lifestage/watch/targets/nosuchtarget123/qr.json",
			Headers: auth("city_elderly"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		tests.ApiScenario{
			Name: "a target created without a code gets one on first request", Method: http.MethodGet, URL: "/api/lifestage/watch/targets/" + target + "/qr.json",
			Headers: auth("city_elderly"), ExpectedStatus: 200, ExpectedContent: []string{`/watch/checkin/?t=`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				r, _ := app.FindRecordById("watch_targets", target)
				r.Set("tokenNonce", "")
				r.Set("tokenVersion", 0)
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				r, _ := app.FindRecordById("watch_targets", target)
				if r.GetString("tokenNonce") == "" || r.GetInt("tokenVersion") != 1 {
					t.Fatalf("code not issued: %q v%d", r.GetString("tokenNonce"), r.GetInt("tokenVersion"))
				}
			},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestWatchCheckin(t *testing.T) {
	app := fx.NewApp(t)
	mine := watchTargetOf(t, app, fx.IDs["volunteer"])
	colleague, err := app.FindFirstRecordByFilter("watch_targets", "volunteer != {:v}", dbx.Params{"v": fx.IDs["volunteer"]})
	if err != nil {
		t.Fatal(err)
	}
	token := qrToken(t, app, mine.Id)
	otherToken := qrToken(t, app, colleague.Id)
	outsider := tokenOf(t, app, "volunteers", outsiderVolunteer)
	app.Cleanup()

	// A forged code: the payload names the colleague's target, the
	// signature is the one of ours.
	_, sig, _ := strings.Cut(token, ".")
	otherBody, _, _ := strings.Cut(otherToken, ".")
	forged := otherBody + "." + sig
	raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	altered := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), ".1.", ".2.", 1))) + "." + sig

	visitsOf := func(t testing.TB, app core.App, target string) []*core.Record {
		recs, err := app.FindRecordsByFilter("watch_visits", "target = {:t} && volunteer = {:v}", "-at", 0, 0,
			dbx.Params{"t": target, "v": fx.IDs["volunteer"]})
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	recent := func(t testing.TB, app core.App, target string) []*core.Record {
		var out []*core.Record
		for _, v := range visitsOf(t, app, target) {
			if time.Since(v.GetDateTime("at").Time()) < time.Minute {
				out = append(out, v)
			}
		}
		return out
	}
	noVisit := map[string]int{"OnModelCreate": 0, "OnModelUpdate": 0}
	url := "/api/lifestage/watch/checkin"
	scenarios := []tests.ApiScenario{
		{Name: "anonymous", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "fine")),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, ExpectedEvents: noVisit},
		{Name: "a citizen", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "fine")), Headers: auth("family"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noVisit},
		{Name: "city staff do not check in", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "fine")), Headers: auth("city_elderly"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noVisit},
		{Name: "unassigned volunteer", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "fine")),
			Headers: map[string]string{"Authorization": outsider}, ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noVisit},
		{Name: "a colleague's person", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(otherToken, "fine")), Headers: auth("volunteer"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noVisit},
		{Name: "forged token", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(forged, "fine")), Headers: auth("volunteer"),
			ExpectedStatus: 400, ExpectedContent: []string{`"token":{"code":"invalid_token"`}, ExpectedEvents: noVisit},
		{Name: "altered token", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(altered, "fine")), Headers: auth("volunteer"),
			ExpectedStatus: 400, ExpectedContent: []string{`"token":{"code":"invalid_token"`}, ExpectedEvents: noVisit},
		{Name: "not a token", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON("https://example.com/", "fine")), Headers: auth("volunteer"),
			ExpectedStatus: 400, ExpectedContent: []string{`"token":{"code":"invalid_token"`}, ExpectedEvents: noVisit},
		{Name: "unknown status", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "ok")), Headers: auth("volunteer"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"invalid_status"`}, ExpectedEvents: noVisit},
		{Name: "an answer outside the checklist", Method: http.MethodPost, URL: url, Headers: auth("volunteer"),
			Body:           strings.NewReader(`{"token":"` + token + `","status":"fine","answers":{"health":"ok","blood":"ok"}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"answers":{"code":"unknown_answer"`}, ExpectedEvents: noVisit},
		{Name: "an answer other than ok or concern", Method: http.MethodPost, URL: url, Headers: auth("volunteer"),
			Body:           strings.NewReader(`{"token":"` + token + `","status":"fine","answers":{"sleep":"good"}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"answers":{"code":"invalid_answer"`}, ExpectedEvents: noVisit},
		{Name: "a non-text answer", Method: http.MethodPost, URL: url, Headers: auth("volunteer"),
			Body:           strings.NewReader(`{"token":"` + token + `","status":"fine","answers":{"meals":1}}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"answers":{"code":"invalid_answer"`}, ExpectedEvents: noVisit},
		{
			Name: "rotated (revoked) token", Method: http.MethodPost, URL: url, Body: strings.NewReader(checkinJSON(token, "fine")), Headers: auth("volunteer"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if code, body := during(t, e, http.MethodPost, "/api/lifestage/watch/targets/"+mine.Id+"/rotate", fx.Tokens["city_elderly"], ""); code != 200 {
					t.Fatalf("rotate: %d %s", code, body)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"token":{"code":"revoked_token"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n := len(recent(t, app, mine.Id)); n != 0 {
					t.Fatalf("a revoked code recorded %d visits", n)
				}
			},
		},
		{
			Name: "a fine visit is recorded with the server's time", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(checkinJSON(token, "fine")), Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"fine"`, `"updated":false`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				got := recent(t, app, mine.Id)
				if len(got) != 1 || got[0].GetString("method") != "qr" || got[0].GetString("resident") != mine.GetString("resident") || got[0].GetFloat("lat") != 33.91 {
					t.Fatalf("visits %v", got)
				}
				var answers map[string]string
				if err := got[0].UnmarshalJSONField("answers", &answers); err != nil || answers["health"] != "ok" {
					t.Fatalf("answers %v (%v)", answers, err)
				}
				if n, _ := app.CountRecords("notifications", dbx.NewExp("kind LIKE 'watch.%'")); n != 0 {
					t.Fatalf("a fine visit notified %d", n)
				}
			},
		},
		{
			Name: "a repeat within 10 minutes updates the visit and a concern notifies 高齢福祉担当", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(checkinJSON(token, "concern")), Headers: auth("volunteer"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if code, body := during(t, e, http.MethodPost, url, fx.Tokens["volunteer"], checkinJSON(token, "fine")); code != 200 {
					t.Fatalf("first check-in: %d %s", code, body)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"concern"`, `"updated":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				got := recent(t, app, mine.Id)
				if len(got) != 1 || got[0].GetString("status") != "concern" {
					t.Fatalf("want one updated visit, got %d", len(got))
				}
				staff, _ := app.FindAllRecords("city_staff", dbx.HashExp{"department": "elderly", "active": true})
				if len(staff) < 2 {
					t.Fatal("fixture needs two elderly staff")
				}
				for _, s := range staff {
					n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": s.Id, "kind": "watch.concern", "reason": got[0].Id})
					if n != 1 {
						t.Errorf("%s got %d notifications", s.GetString("email"), n)
					}
				}
				if n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["city_child"], "kind": "watch.concern"}); n != 0 {
					t.Error("子育て staff must not be told")
				}
			},
		},
		{
			Name: "a visit after 10 minutes is a new one; an emergency notifies", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(checkinJSON(token, "emergency")), Headers: auth("volunteer"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				col, _ := app.FindCollectionByNameOrId("watch_visits")
				v := core.NewRecord(col)
				v.Set("target", mine.Id)
				v.Set("volunteer", fx.IDs["volunteer"])
				v.Set("at", time.Now().Add(-11*time.Minute))
				v.Set("status", "fine")
				v.Set("method", "qr")
				if err := app.Save(v); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"emergency"`, `"updated":false`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var n int
				for _, v := range visitsOf(t, app, mine.Id) {
					if time.Since(v.GetDateTime("at").Time()) < 12*time.Minute {
						n++
					}
				}
				if n != 2 {
					t.Fatalf("want 2 visits in 12 minutes, got %d", n)
				}
				if c, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["city_elderly"], "kind": "watch.emergency"}); c != 1 {
					t.Fatalf("city_elderly got %d emergency notifications", c)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestWatchContract follows the contract with the demo accounts:
// the volunteer sees their people, the city prints a code, the volunteer
// checks in with it and the city sees the visit.
func TestWatchContract(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	code, body := send(t, app, http.MethodGet, "/api/collections/watch_targets/records?perPage=1", fx.Tokens["volunteer"], "")
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) == 0 {
		t.Fatalf("volunteer's targets: %d %s", code, body)
	}
	target := page.Items[0].ID
	token := qrToken(t, app, target)
	code, body = send(t, app, http.MethodPost, "/api/lifestage/watch/checkin", fx.Tokens["volunteer"], `{"token":"`+token+`","status":"fine"}`)
	if code != 200 {
		t.Fatalf("check-in: %d %s", code, body)
	}
	code, body = send(t, app, http.MethodGet, "/api/collections/watch_visits/records?filter="+url.QueryEscape(`target = "`+target+`"`), fx.Tokens["city_elderly"], "")
	if code != 200 || !strings.Contains(body, `"target":"`+target+`"`) {
		t.Fatalf("city's visits: %d %s", code, body)
	}
}
