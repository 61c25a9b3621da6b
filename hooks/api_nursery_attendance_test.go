package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/attendance"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

const (
	kioskEmail    = "kiosk-nursery_staff@test.lifestage.example"
	outsiderEmail = "outsider-nursery_staff@test.lifestage.example" // director of another nursery
)

// checkinWorld is what the check-in tests need from the fixture: parent's
// child in the demo nursery with its codes, parent2's child in another
// nursery, and tokens of the fixture's kiosk and outsider.
type checkinWorld struct {
	child, otherChild     string
	givenName, className  string
	nursery               string
	pin, qr               string
	otherPIN, otherQR     string
	unusedPIN             string
	kiosk, outsider       string
	staffAttendanceOfThem string // a staff_attendance record of the outsider's nursery
}

var cw *checkinWorld

func checkins(t testing.TB) checkinWorld {
	if cw != nil {
		return *cw
	}
	app := fx.NewApp(t)
	defer app.Cleanup()
	w := &checkinWorld{nursery: account(t, app, "nursery_staff").GetString("nursery")}
	enrolled := func(role string, here bool) *core.Record {
		op := "="
		if !here {
			op = "!="
		}
		e, err := app.FindFirstRecordByFilter("enrolments", "nursery "+op+" {:n} && child.guardians ~ {:p}", dbx.Params{"n": w.nursery, "p": fx.IDs[role]})
		if err != nil {
			t.Fatalf("%s has no enrolled child: %v", role, err)
		}
		return e
	}
	codes := func(childID string) (pin, qr string) {
		c, err := app.FindFirstRecordByData("checkin_codes", "child", childID)
		if err != nil {
			t.Fatalf("child %s has no code: %v", childID, err)
		}
		pin, _ = hooks.DecryptField(app, c, "pin")
		token, _ := hooks.DecryptField(app, c, "token")
		return pin, attendance.QRPayload(token)
	}
	mine, theirs := enrolled("parent", true), enrolled("parent2", false)
	w.child, w.otherChild = mine.GetString("child"), theirs.GetString("child")
	child, _ := app.FindRecordById("children", w.child)
	class, _ := app.FindRecordById("nursery_classes", mine.GetString("class"))
	w.givenName, w.className = child.GetString("givenName"), class.GetString("name")
	w.pin, w.qr = codes(w.child)
	w.otherPIN, w.otherQR = codes(w.otherChild)
	for n := 0; n < 10000; n++ {
		body := fmt.Sprintf("%04d", n)
		pin := body + string(rune('0'+attendance.DammDigit(body)))
		if c, _ := app.CountRecords("checkin_codes", dbx.HashExp{"pinHash": attendance.PINHash(w.nursery, pin)}); c == 0 {
			w.unusedPIN = pin
			break
		}
	}
	w.kiosk, w.outsider = tokenOf(t, app, "nursery_staff", kioskEmail), tokenOf(t, app, "nursery_staff", outsiderEmail)
	outsider, _ := app.FindAuthRecordByEmail("nursery_staff", outsiderEmail)
	sa, err := app.FindFirstRecordByFilter("staff_attendance", "nursery = {:n}", dbx.Params{"n": outsider.GetString("nursery")})
	if err != nil {
		t.Fatal("the outsider's nursery has no staff attendance")
	}
	w.staffAttendanceOfThem = sa.Id
	cw = w
	return *w
}

func today() string { return civil.Today().String() }

// setDay replaces the child's attendance today (zero times: none).
func setDay(t testing.TB, app core.App, collection string, key dbx.HashExp, fields map[string]any, in, out time.Time) {
	if _, err := app.DB().Delete(collection, key).Execute(); err != nil {
		t.Fatal(err)
	}
	if in.IsZero() && out.IsZero() {
		return
	}
	col, _ := app.FindCollectionByNameOrId(collection)
	r := core.NewRecord(col)
	r.Load(fields)
	if !in.IsZero() {
		r.Set("checkIn", in)
	}
	if !out.IsZero() {
		r.Set("checkOut", out)
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func setChildDay(t testing.TB, app core.App, w checkinWorld, in, out time.Time) {
	setDay(t, app, "attendance", dbx.HashExp{"child": w.child, "date": today()},
		map[string]any{"child": w.child, "nursery": w.nursery, "date": today()}, in, out)
}

func childDay(t testing.TB, app core.App, childID string) *core.Record {
	r, err := app.FindFirstRecordByFilter("attendance", "child = {:c} && date = {:d}", dbx.Params{"c": childID, "d": today()})
	if err != nil {
		t.Fatalf("no attendance today for %s", childID)
	}
	return r
}

func checkinBody(code, dir string) *strings.Reader {
	return strings.NewReader(nurseryCheckinJSON(code, dir))
}

func nurseryCheckinJSON(code, dir string) string {
	raw, _ := json.Marshal(map[string]string{"code": code, "direction": dir})
	return string(raw)
}

func TestNurseryCheckin(t *testing.T) {
	w := checkins(t)
	url := "/api/lifestage/nursery/checkin"
	clear := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		setChildDay(t, app, w, time.Time{}, time.Time{})
	}
	noWrite := map[string]int{"OnModelCreate": 0, "OnModelUpdate": 0}
	refused := func(name string, headers map[string]string, status int, want string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Headers: headers, Body: checkinBody(w.pin, "in"),
			ExpectedStatus: status, ExpectedContent: []string{want}, ExpectedEvents: noWrite, BeforeTestFunc: clear}
	}
	scenarios := []tests.ApiScenario{
		refused("anonymous", nil, 401, `"status":401`),
		refused("a parent", auth("parent"), 403, `"status":403`),
		refused("city nursery staff", auth("city_nursery"), 403, `"status":403`),
		refused("medical staff", auth("medical_staff"), 403, `"status":403`),
		refused("a volunteer", auth("volunteer"), 403, `"status":403`),
		{
			Name: "staff check a child in by PIN", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"), Body: checkinBody(w.pin, "in"),
			BeforeTestFunc: clear, ExpectedStatus: 200,
			ExpectedContent:    []string{`"direction":"in"`, `"givenName":"` + w.givenName + `"`, `"className":"` + w.className + `"`, `"duplicate":false`, `登園`},
			NotExpectedContent: []string{w.child, `"familyName"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				r := childDay(t, app, w.child)
				if r.GetString("inMethod") != "pin" || r.GetDateTime("checkIn").IsZero() || r.GetString("class") == "" || r.GetString("nursery") != w.nursery {
					t.Fatalf("recorded %v", r.PublicExport())
				}
				e := lastEntry(t, app, "attendance", r.Id)
				if e.GetString("actor") != fx.IDs["nursery_staff"] || e.GetString("action") != "create" || e.GetString("subject") != w.child {
					t.Fatalf("audit entry %v", e.PublicExport())
				}
			},
		},
		{
			Name: "the kiosk checks a child in by QR code", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.qr, "in"),
			BeforeTestFunc: clear, ExpectedStatus: 200, ExpectedContent: []string{`"direction":"in"`, `"givenName":"` + w.givenName + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if m := childDay(t, app, w.child).GetString("inMethod"); m != "qr" {
					t.Fatalf("inMethod %q", m)
				}
			},
		},
		{
			Name: "a repeat within two minutes is ignored", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "in"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Now().Add(-time.Minute), time.Time{})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"duplicate":true`, `記録済み`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a second check-in later is refused with the time on record", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "in"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Now().Add(-30*time.Minute), time.Time{})
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"code":"already_in"`, w.givenName}, ExpectedEvents: noWrite,
		},
		{
			Name: "check-out records the time and tells the guardians", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.qr, "out"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Now().Add(-8*time.Hour), time.Time{})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"direction":"out"`, `"missingCheckIn":false`, `降園`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				r := childDay(t, app, w.child)
				if r.GetString("outMethod") != "qr" || r.GetDateTime("checkOut").IsZero() {
					t.Fatalf("recorded %v", r.PublicExport())
				}
				n, err := app.FindFirstRecordByFilter("notifications", "recipient = {:p} && kind = 'nursery.checked_out' && reason = {:r}", dbx.Params{"p": fx.IDs["parent"], "r": r.Id})
				if err != nil || n.GetString("title") != "お迎え完了" {
					t.Fatalf("no お迎え完了 notification: %v", err)
				}
			},
		},
		{
			Name: "check-out without check-in is recorded and flagged", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "out"),
			BeforeTestFunc: clear, ExpectedStatus: 200, ExpectedContent: []string{`"missingCheckIn":true`, `登園の記録がありません`},
		},
		{
			Name: "out right after in is taken for the wrong button", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "out"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Now().Add(-time.Minute), time.Time{})
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"code":"too_soon"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "an unknown PIN", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.unusedPIN, "in"),
			ExpectedStatus: 404, ExpectedContent: []string{`"code":"unknown_code"`, `登録されていないコード`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a mistyped PIN is caught by its check digit", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk),
			Body:           checkinBody(w.pin[:4]+string(rune('0'+(int(w.pin[4]-'0')+1)%10)), "in"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_pin"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "some other QR code", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody("https://example.com/", "in"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_code"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "no code", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(" ", "in"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"missing_code"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a bad direction", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "sideways"),
			ExpectedStatus: 400, ExpectedContent: []string{`"direction":{"code":"invalid_direction"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "another nursery's QR code", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.otherQR, "in"),
			ExpectedStatus: 403, ExpectedContent: []string{`"code":"other_nursery"`, `この園のコードではありません`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a child who has left the nursery", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: checkinBody(w.pin, "in"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				clear(t, app, e)
				_, err := app.DB().Update("enrolments", dbx.Params{"end": civil.Today().AddDays(-1).String()}, dbx.HashExp{"child": w.child}).Execute()
				if err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"code":"not_enrolled"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "staff of another nursery cannot check our child in", Method: http.MethodPost, URL: url, Headers: bearer(w.outsider), Body: checkinBody(w.qr, "in"),
			ExpectedStatus: 403, ExpectedContent: []string{`"code":"other_nursery"`}, ExpectedEvents: noWrite,
		},
	}
	if w.otherPIN != w.pin {
		// A PIN is looked up within the caller's nursery only.
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "another nursery's PIN is unknown here", Method: http.MethodPost, URL: url, Headers: bearer(w.outsider), Body: checkinBody(w.pin, "in"),
			ExpectedStatus: 404, ExpectedContent: []string{`"code":"unknown_code"`}, ExpectedEvents: noWrite,
		})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestNurseryCheckinStopsGuessing sends unknown PINs from a kiosk until it
// is stopped; a known PIN is refused too while the stop lasts.
func TestNurseryCheckinStopsGuessing(t *testing.T) {
	w := checkins(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	post := func(code string) int {
		return call(h, http.MethodPost, "/api/lifestage/nursery/checkin", w.kiosk, nurseryCheckinJSON(code, "in")).Status
	}
	for i := range 10 {
		if got := post(w.unusedPIN); got != http.StatusNotFound {
			t.Fatalf("unknown PIN %d answered %d", i+1, got)
		}
	}
	if got := post(w.pin); got != http.StatusTooManyRequests {
		t.Fatalf("after 10 unknown PINs the kiosk answered %d, want 429", got)
	}
}

func TestStaffCheckin(t *testing.T) {
	w := checkins(t)
	url := "/api/lifestage/nursery/staff-checkin"
	me := fx.IDs["nursery_staff"]
	clear := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		setDay(t, app, "staff_attendance", dbx.HashExp{"staff": me, "date": today()}, nil, time.Time{}, time.Time{})
	}
	classOf := func(t testing.TB, app core.App, nursery string) string {
		c, err := app.FindFirstRecordByFilter("nursery_classes", "nursery = {:n}", dbx.Params{"n": nursery})
		if err != nil {
			t.Fatal(err)
		}
		return c.Id
	}
	app := fx.NewApp(t)
	outsider, _ := app.FindAuthRecordByEmail("nursery_staff", outsiderEmail)
	mine, other := classOf(t, app, w.nursery), classOf(t, app, outsider.GetString("nursery"))
	app.Cleanup()
	body := func(dir, class string) *strings.Reader {
		return strings.NewReader(`{"direction":"` + dir + `","class":"` + class + `"}`)
	}
	noWrite := map[string]int{"OnModelCreate": 0, "OnModelUpdate": 0}
	scenarios := []tests.ApiScenario{
		{Name: "anonymous", Method: http.MethodPost, URL: url, Body: body("in", ""), ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, ExpectedEvents: noWrite},
		{Name: "a parent", Method: http.MethodPost, URL: url, Headers: auth("parent"), Body: body("in", ""), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noWrite},
		{Name: "city staff", Method: http.MethodPost, URL: url, Headers: auth("city_nursery"), Body: body("in", ""), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noWrite},
		{Name: "the kiosk is no person", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), Body: body("in", ""), ExpectedStatus: 403, ExpectedContent: []string{`登降園端末`}, ExpectedEvents: noWrite},
		{
			Name: "staff check in with today's class", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"), Body: body("in", mine),
			BeforeTestFunc: clear, ExpectedStatus: 200, ExpectedContent: []string{`"direction":"in"`, `出勤`, `"duplicate":false`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				r, err := app.FindFirstRecordByFilter("staff_attendance", "staff = {:s} && date = {:d}", dbx.Params{"s": me, "d": today()})
				if err != nil || r.GetString("nursery") != w.nursery || r.GetString("class") != mine || r.GetString("inMethod") != "staff" || r.GetDateTime("checkIn").IsZero() {
					t.Fatalf("recorded %v (%v)", r, err)
				}
			},
		},
		{
			Name: "staff check out", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"), Body: body("out", ""),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setDay(t, app, "staff_attendance", dbx.HashExp{"staff": me, "date": today()},
					map[string]any{"staff": me, "nursery": w.nursery, "date": today()}, time.Now().Add(-8*time.Hour), time.Time{})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"direction":"out"`, `退勤`},
		},
		{
			Name: "another nursery's class", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"), Body: body("in", other),
			BeforeTestFunc: clear, ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_class"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a bad direction", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"), Body: body("up", ""),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_direction"`}, ExpectedEvents: noWrite,
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestCheckinCodes(t *testing.T) {
	w := checkins(t)
	code := "/api/lifestage/nursery/children/" + w.child + "/checkin-code"
	app := fx.NewApp(t)
	shared := sharedChild(t, app).Id
	app.Cleanup()
	scenarios := []tests.ApiScenario{
		{
			Name: "a guardian sees the QR code and PIN", Method: http.MethodGet, URL: code, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"pin":"` + w.pin + `"`, `"qr":"` + w.qr + `"`, `"qrImage":"data:image/png;base64,`, `"givenName":"` + w.givenName + `"`, `"nurseryName":"`},
		},
		{Name: "another parent", Method: http.MethodGet, URL: code, Headers: auth("parent2"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "anonymous", Method: http.MethodGet, URL: code, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "nursery staff use the cards", Method: http.MethodGet, URL: code, Headers: auth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff", Method: http.MethodGet, URL: code, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{
			Name: "view-only family may not get a code that checks the child out", Method: http.MethodGet,
			URL: "/api/lifestage/nursery/children/" + shared + "/checkin-code", Headers: auth("grandparent"),
			ExpectedStatus: 403, ExpectedContent: []string{`保護者と管理を共有された家族だけ`},
		},
		{
			Name: "the QR code as a PNG", Method: http.MethodGet, URL: code + "/qr.png", Headers: auth("parent"), ExpectedStatus: 200,
			ExpectedContent: []string{"PNG"},
		},
		{Name: "the PNG for another parent", Method: http.MethodGet, URL: code + "/qr.png", Headers: auth("parent2"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{
			Name: "a child with no code yet gets one on first look", Method: http.MethodGet, URL: code, Headers: auth("parent"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if _, err := app.DB().Delete("checkin_codes", dbx.HashExp{"child": w.child}).Execute(); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"qr":"LSN1:`}, NotExpectedContent: []string{w.qr},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n, _ := app.CountRecords("checkin_codes", dbx.HashExp{"child": w.child, "nursery": w.nursery}); n != 1 {
					t.Fatalf("%d codes", n)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestRotateCheckinCode(t *testing.T) {
	w := checkins(t)
	url := "/api/lifestage/nursery/children/" + w.child + "/checkin-code/rotate"
	noWrite := map[string]int{"OnModelUpdate": 0}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff issue a new code; the old one stops working", Method: http.MethodPost, URL: url, Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"pin":"`, `"qr":"LSN1:`, `"givenName":"` + w.givenName + `"`}, NotExpectedContent: []string{w.qr},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, _ := app.FindFirstRecordByData("checkin_codes", "child", w.child)
				if c.GetString("tokenHash") == attendance.TokenHash(strings.TrimPrefix(w.qr, attendance.QRPrefix)) {
					t.Fatal("the old QR code still matches")
				}
				pin, _ := hooks.DecryptField(app, c, "pin")
				if !attendance.ValidPIN(pin) || c.GetString("pinHash") != attendance.PINHash(w.nursery, pin) {
					t.Fatalf("new PIN %q does not match its hash", pin)
				}
				if raw := rawColumn(t, app, "checkin_codes", "pin", c.Id); strings.Contains(raw, pin) {
					t.Fatalf("PIN stored in clear: %q", raw)
				}
				e := lastEntry(t, app, "checkin_codes", c.Id)
				if e.GetString("actor") != fx.IDs["nursery_staff"] {
					t.Fatalf("audit entry %v", e.PublicExport())
				}
			},
		},
		{Name: "the kiosk cannot", Method: http.MethodPost, URL: url, Headers: bearer(w.kiosk), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noWrite},
		{Name: "another nursery's director cannot", Method: http.MethodPost, URL: url, Headers: bearer(w.outsider), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: noWrite},
		{Name: "a parent cannot", Method: http.MethodPost, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noWrite},
		{Name: "city staff cannot", Method: http.MethodPost, URL: url, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: noWrite},
		{Name: "anonymous", Method: http.MethodPost, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, ExpectedEvents: noWrite},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestCheckinCards(t *testing.T) {
	w := checkins(t)
	url := "/api/lifestage/nursery/checkin-cards"
	scenarios := []tests.ApiScenario{
		{
			Name: "staff get a card for each child of their nursery", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"child":"` + w.child + `"`, `"pin":"` + w.pin + `"`, `"qrImage":"data:image/png;base64,`},
			NotExpectedContent: []string{w.otherChild, w.otherQR},
		},
		{Name: "the kiosk cannot", Method: http.MethodGet, URL: url, Headers: bearer(w.kiosk), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a parent cannot", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff cannot", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "anonymous", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestKioskReadsNothing: the kiosk account records check-ins and nothing
// else; the staff rules leave it out.
func TestKioskReadsNothing(t *testing.T) {
	w := checkins(t)
	var scenarios []tests.ApiScenario
	for _, c := range []string{"attendance", "enrolments", "checkin_codes", "staff_attendance", "nurseries", "children", "fee_assessments"} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "kiosk lists " + c, Method: http.MethodGet, URL: "/api/collections/" + c + "/records", Headers: bearer(w.kiosk),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "kiosk sees only its own account", Method: http.MethodGet, URL: "/api/collections/nursery_staff/records", Headers: bearer(w.kiosk),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":1`, `"role":"kiosk"`},
		},
		tests.ApiScenario{
			Name: "kiosk cannot correct attendance", Method: http.MethodPatch, URL: "/api/collections/attendance/records/" + anyAttendanceOf(t, w.nursery),
			Headers: bearer(w.kiosk), Body: strings.NewReader(`{"note":"x"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func anyAttendanceOf(t testing.TB, nursery string) string {
	app := fx.NewApp(t)
	defer app.Cleanup()
	r, err := app.FindFirstRecordByFilter("attendance", "nursery = {:n}", dbx.Params{"n": nursery})
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// TestAttendanceCorrections: staff correct times through the records API
// with a reason; the change is marked manual and audited.
func TestAttendanceCorrections(t *testing.T) {
	w := checkins(t)
	id := anyAttendanceOf(t, w.nursery)
	url := "/api/collections/attendance/records/" + id
	noWrite := map[string]int{"OnModelUpdate": 0}
	scenarios := []tests.ApiScenario{
		{
			Name: "a time without a reason", Method: http.MethodPatch, URL: url, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"checkIn":"2026-01-05 22:40:00.000Z"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"note":{"code":"reason_required"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a blank reason", Method: http.MethodPatch, URL: url, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"checkOut":"2026-01-06 09:40:00.000Z","note":"  "}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"code":"reason_required"`}, ExpectedEvents: noWrite,
		},
		{
			Name: "a time with a reason is marked manual and audited", Method: http.MethodPatch, URL: url, Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"checkIn":"2026-01-05 22:40:00.000Z","note":"QRを読み忘れ。保護者に確認"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"inMethod":"manual"`, `"note":"QRを読み忘れ。保護者に確認"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				e := lastEntry(t, app, "attendance", id)
				if e.GetString("actor") != fx.IDs["nursery_staff"] || e.GetString("action") != "update" || !strings.Contains(e.GetString("fields"), "checkIn") {
					t.Fatalf("audit entry %v", e.PublicExport())
				}
			},
		},
		{
			Name: "a note alone needs no reason", Method: http.MethodPatch, URL: url, Headers: auth("nursery_staff"),
			Body: strings.NewReader(`{"pickupBy":"祖母"}`), ExpectedStatus: 200, ExpectedContent: []string{`"pickupBy":"祖母"`},
		},
		{
			Name: "a day entered by hand needs a reason", Method: http.MethodPost, URL: "/api/collections/attendance/records", Headers: auth("nursery_staff"),
			Body:           strings.NewReader(`{"child":"` + w.child + `","nursery":"` + w.nursery + `","date":"2020-01-06","checkIn":"2020-01-05 22:40:00.000Z"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"reason_required"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "the director corrects a colleague's hours with a reason", Method: http.MethodPatch,
			URL: "/api/collections/staff_attendance/records/" + w.staffAttendanceOfThem, Headers: bearer(w.outsider),
			Body:           strings.NewReader(`{"checkOut":"2026-01-06 09:40:00.000Z","note":"退勤の打刻漏れ"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"outMethod":"manual"`},
		},
		{
			Name: "… and not without", Method: http.MethodPatch,
			URL: "/api/collections/staff_attendance/records/" + w.staffAttendanceOfThem, Headers: bearer(w.outsider),
			Body: strings.NewReader(`{"checkOut":"2026-01-06 09:40:00.000Z"}`), ExpectedStatus: 400, ExpectedContent: []string{`"code":"reason_required"`},
		},
		{
			Name: "the director enters a forgotten day for their own staff, with a reason", Method: http.MethodPost,
			URL: "/api/collections/staff_attendance/records", Headers: bearer(w.outsider),
			Body: func() *strings.Reader {
				app := fx.NewApp(t)
				defer app.Cleanup()
				o, _ := app.FindAuthRecordByEmail("nursery_staff", outsiderEmail)
				return strings.NewReader(`{"staff":"` + o.Id + `","nursery":"` + o.GetString("nursery") + `","date":"2020-01-06","checkIn":"2020-01-05 23:00:00.000Z","note":"打刻漏れ"}`)
			}(),
			ExpectedStatus: 200, ExpectedContent: []string{`"inMethod":"manual"`},
		},
		{
			Name: "the director may not enter hours for another nursery's staff", Method: http.MethodPost,
			URL: "/api/collections/staff_attendance/records", Headers: bearer(w.outsider),
			Body: func() *strings.Reader {
				app := fx.NewApp(t)
				defer app.Cleanup()
				o, _ := app.FindAuthRecordByEmail("nursery_staff", outsiderEmail)
				return strings.NewReader(`{"staff":"` + fx.IDs["nursery_staff"] + `","nursery":"` + o.GetString("nursery") + `","date":"2020-01-06","note":"x"}`)
			}(),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestCheckinRealtime: a guardian subscribed to attendance hears a check-in
// at once; another parent does not.
func TestCheckinRealtime(t *testing.T) {
	w := checkins(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	setChildDay(t, app, w, time.Time{}, time.Time{})
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := subscribeAs(t, app, "parent", "attendance/*"), subscribeAs(t, app, "parent2", "attendance/*")
	req := httptest.NewRequest(http.MethodPost, "/api/lifestage/nursery/checkin", checkinBody(w.pin, "in"))
	req.Header.Set("Authorization", w.kiosk)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("check-in answered %d: %s", rec.Code, rec.Body)
	}
	select {
	case msg := <-mine.Channel():
		var payload struct {
			Action string `json:"action"`
			Record struct {
				Child    string `json:"child"`
				CheckIn  string `json:"checkIn"`
				InMethod string `json:"inMethod"`
			} `json:"record"`
		}
		if err := json.Unmarshal(msg.Data, &payload); err != nil || payload.Action != "create" || payload.Record.Child != w.child || payload.Record.CheckIn == "" {
			t.Fatalf("unexpected message %s (%v)", msg.Data, err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the guardian got no realtime message")
	}
	select {
	case msg := <-theirs.Channel():
		t.Fatalf("another parent received %s", msg.Data)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestAttendanceBoard(t *testing.T) {
	w := checkins(t)
	url := "/api/lifestage/nursery/attendance"
	scenarios := []tests.ApiScenario{
		{
			Name: "staff see today's children with their records", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Now().Add(-time.Hour), time.Time{})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"date":"` + today() + `"`, `"child":"` + w.child + `"`, `"givenName":"` + w.givenName + `"`, `"checkIn":"`},
			NotExpectedContent: []string{w.otherChild},
		},
		{
			Name: "a child not yet in has no record", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setChildDay(t, app, w, time.Time{}, time.Time{})
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"attendance":null`},
		},
		{Name: "a past day", Method: http.MethodGet, URL: url + "?date=" + civil.Today().AddDays(-7).String(), Headers: auth("nursery_staff"), ExpectedStatus: 200, ExpectedContent: []string{`"date":"` + civil.Today().AddDays(-7).String() + `"`}},
		{Name: "a future day", Method: http.MethodGet, URL: url + "?date=" + civil.Today().AddDays(1).String(), Headers: auth("nursery_staff"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_date"`}},
		{Name: "the kiosk cannot", Method: http.MethodGet, URL: url, Headers: bearer(w.kiosk), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a parent cannot", Method: http.MethodGet, URL: url, Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff cannot", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "anonymous", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{
			Name: "another nursery's staff see their own nursery", Method: http.MethodGet, URL: url, Headers: bearer(w.outsider),
			ExpectedStatus: 200, ExpectedContent: []string{`"children":[`}, NotExpectedContent: []string{w.child},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestKioskFence: a check-in kiosk may call the check-in route and no other
// lifestage route, whoever wrote it and whatever it checks itself.
func TestKioskFence(t *testing.T) {
	app := fx.NewApp(t)
	kiosk := tokenOf(t, app, "nursery_staff", kioskEmail)
	app.Cleanup()
	get := []string{
		"/api/lifestage/nursery/notebook/day", "/api/lifestage/nursery/attendance", "/api/lifestage/nursery/infections",
		"/api/lifestage/nursery/infections/draft", "/api/lifestage/nursery/photos/roster", "/api/lifestage/nursery/checkin-cards",
		"/api/lifestage/nursery/ratios", "/api/lifestage/nursery/codes", "/api/lifestage/me/history",
	}
	var scenarios []tests.ApiScenario
	for _, url := range get {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: "kiosk refused " + url, Method: http.MethodGet, URL: url, Headers: bearer(kiosk),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "kiosk refused staff check-in", Method: http.MethodPost, URL: "/api/lifestage/nursery/staff-checkin", Headers: bearer(kiosk),
			Body: strings.NewReader(`{"direction":"in"}`), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		tests.ApiScenario{
			Name: "the same routes still answer nursery staff", Method: http.MethodGet, URL: "/api/lifestage/nursery/notebook/day",
			Headers: auth("nursery_staff"), ExpectedStatus: 200, ExpectedContent: []string{`"children":`},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
