package hooks_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
)

// watchFamilyTarget is the watch target of the family role's elder, the
// one the demo consent names.
func watchFamilyTarget(t testing.TB, app core.App) *core.Record {
	t.Helper()
	c, err := app.FindFirstRecordByData("watch_family_consents", "user", fx.IDs["family"])
	if err != nil {
		t.Fatalf("fixture has no family consent: %v", err)
	}
	target, err := app.FindRecordById("watch_targets", c.GetString("target"))
	if err != nil {
		t.Fatal(err)
	}
	return target
}

func TestWatchVolunteerSeesVisitsOfTheirTargets(t *testing.T) {
	app := fx.NewApp(t)
	// The demo has a visit a colleague made in the demo volunteer's stead.
	var standIn struct {
		ID     string `db:"id"`
		Target string `db:"target"`
	}
	err := app.DB().NewQuery(`SELECT v.id, v.target FROM watch_visits v JOIN watch_targets t ON t.id = v.target
		WHERE t.volunteer = {:me} AND v.volunteer != {:me} LIMIT 1`).Bind(dbx.Params{"me": fx.IDs["volunteer"]}).One(&standIn)
	if err != nil {
		t.Fatalf("fixture has no stand-in visit: %v", err)
	}
	outsider := tokenOf(t, app, "volunteers", outsiderVolunteer)
	outsiderID, _ := app.FindAuthRecordByEmail("volunteers", outsiderVolunteer)
	app.Cleanup()
	url := "/api/collections/watch_visits/records?perPage=200&filter=" + strings.ReplaceAll(`target="`+standIn.Target+`"`, `"`, "%22")
	scenarios := []tests.ApiScenario{
		{
			Name: "the assigned volunteer sees a visit a colleague recorded", Method: http.MethodGet, URL: url, Headers: auth("volunteer"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + standIn.ID + `"`},
		},
		{
			Name: "a volunteer not assigned sees none", Method: http.MethodGet, URL: "/api/collections/watch_visits/records",
			Headers: map[string]string{"Authorization": outsider}, ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "after reassignment the new volunteer sees the history and the former one not", Method: http.MethodGet, URL: url,
			Headers: map[string]string{"Authorization": outsider},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				target, _ := app.FindRecordById("watch_targets", standIn.Target)
				target.Set("volunteer", outsiderID.Id)
				if err := app.Save(target); err != nil {
					t.Fatal(err)
				}
				if code, body := during(t, e, http.MethodGet, url, fx.Tokens["volunteer"], ""); code != 200 || !strings.Contains(body, `"totalItems":0`) {
					t.Fatalf("the former volunteer still sees the visits: %d %s", code, body)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + standIn.ID + `"`},
		},
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "a volunteer cannot make another one a coordinator", Method: http.MethodPatch, URL: "/api/collections/volunteers/records/" + fx.IDs["volunteer"],
			Headers: map[string]string{"Authorization": outsider}, Body: strings.NewReader(`{"coordinator":true}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		tests.ApiScenario{
			Name: "nor themselves", Method: http.MethodPatch, URL: "/api/collections/volunteers/records/" + outsiderID.Id,
			Headers: map[string]string{"Authorization": outsider}, Body: strings.NewReader(`{"coordinator":true}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		tests.ApiScenario{
			Name: "運用管理 sets the coordinator flag", Method: http.MethodPatch, URL: "/api/collections/volunteers/records/" + outsiderID.Id,
			Headers: auth("city_admin"), Body: strings.NewReader(`{"coordinator":true}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"coordinator":true`},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// newWatchTarget adds a consented weekly target of the demo volunteer,
// with a visit on lastVisit (10:00 Tokyo) unless it is zero.
func newWatchTarget(t testing.TB, app core.App, lastVisit civil.Date) *core.Record {
	t.Helper()
	var resident string
	if err := app.DB().NewQuery(`SELECT id FROM residents WHERE id NOT IN (SELECT resident FROM watch_targets) ORDER BY id LIMIT 1`).Row(&resident); err != nil {
		t.Fatal(err)
	}
	me, _ := app.FindRecordById("volunteers", fx.IDs["volunteer"])
	col, _ := app.FindCollectionByNameOrId("watch_targets")
	target := core.NewRecord(col)
	target.Set("resident", resident)
	target.Set("consentStatus", "consented")
	target.Set("frequency", "weekly")
	target.Set("volunteer", me.Id)
	target.Set("organization", me.GetString("organization"))
	target.Set("active", true)
	if err := app.Save(target); err != nil {
		t.Fatal(err)
	}
	if !lastVisit.IsZero() {
		vcol, _ := app.FindCollectionByNameOrId("watch_visits")
		v := core.NewRecord(vcol)
		v.Set("target", target.Id)
		v.Set("resident", resident)
		v.Set("volunteer", me.Id)
		v.Set("at", lastVisit.Time().Add(10*time.Hour))
		v.Set("status", "fine")
		v.Set("method", "qr")
		if err := app.Save(v); err != nil {
			t.Fatal(err)
		}
	}
	return target
}

// escalationLevels lists the target's escalations as "level:open|resolved"
// in the order they were stored.
func escalationLevels(t testing.TB, app core.App, target string) []string {
	t.Helper()
	var rows []struct {
		Level    int    `db:"level"`
		Resolved string `db:"resolvedAt"`
	}
	err := app.DB().NewQuery(`SELECT s.level, e.resolvedAt FROM watch_escalations e JOIN watch_escalation_steps s ON s.id = e.step
		WHERE e.target = {:t} ORDER BY e.rowid`).Bind(dbx.Params{"t": target}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		state := "open"
		if r.Resolved != "" {
			state = "resolved"
		}
		out = append(out, string(rune('0'+r.Level))+":"+state)
	}
	return out
}

func overdueNotices(t testing.TB, app core.App, recipient, kind string) int {
	t.Helper()
	n, err := app.CountRecords("notifications", dbx.HashExp{"recipient": recipient, "kind": "watch.overdue." + kind})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestWatchEscalationChain(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	day := func(s string) civil.Date {
		d, err := civil.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Weekly, last visited on 2 November: due on the 9th.
	target := newWatchTarget(t, app, day("2026-11-02"))
	colleague, err := app.FindAuthRecordByEmail("volunteers", "volunteer-colleague@demo.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		today string
		want  []string
	}{
		{"2026-11-09", nil}, // the due day itself is not late
		{"2026-11-10", []string{"1:open"}},
		{"2026-11-10", []string{"1:open"}}, // a second run that day repeats nothing
		{"2026-11-11", []string{"1:open"}},
		{"2026-11-12", []string{"1:open", "2:open"}}, // 3 days late
		{"2026-11-15", []string{"1:open", "2:open"}},
		{"2026-11-16", []string{"1:open", "2:open", "3:open"}}, // 7 days late
		{"2026-11-20", []string{"1:open", "2:open", "3:open"}},
	}
	for _, s := range steps {
		if _, err := hooks.RunWatchEscalations(app, day(s.today)); err != nil {
			t.Fatalf("%s: %v", s.today, err)
		}
		if got := escalationLevels(t, app, target.Id); !slices.Equal(got, s.want) {
			t.Fatalf("%s: escalations %v, want %v", s.today, got, s.want)
		}
	}
	// Step 1 told the volunteer, step 2 the organisation's coordinators
	// (the demo volunteer is one; the colleague is not), step 3 the city.
	esc, _ := app.FindAllRecords("watch_escalations", dbx.HashExp{"target": target.Id})
	for _, e := range esc {
		for _, n := range []string{"volunteer", "organization", "city"} {
			c, _ := app.CountRecords("notifications", dbx.HashExp{"reason": e.Id, "kind": "watch.overdue." + n})
			step, _ := app.FindRecordById("watch_escalation_steps", e.GetString("step"))
			want := map[bool]int64{true: 1, false: 0}[step.GetString("notify") == n]
			if n == "city" && want == 1 {
				staff, _ := app.CountRecords("city_staff", dbx.HashExp{"department": "elderly", "active": true})
				want = staff
			}
			if c != want {
				t.Errorf("escalation level %d: %d %s notices, want %d", step.GetInt("level"), c, n, want)
			}
		}
	}
	if overdueNotices(t, app, fx.IDs["city_elderly"], "city") < 1 || overdueNotices(t, app, fx.IDs["city_child"], "city") != 0 {
		t.Error("the city step must reach 高齢福祉担当 only")
	}
	if overdueNotices(t, app, colleague.Id, "organization") != 0 {
		t.Error("a volunteer who is not a coordinator got the organisation's notice")
	}

	// A visit resolves every open step at once.
	token := qrToken(t, app, target.Id)
	if code, body := send(t, app, http.MethodPost, "/api/lifestage/watch/checkin", fx.Tokens["volunteer"], checkinJSON(token, "fine")); code != 200 {
		t.Fatalf("check-in: %d %s", code, body)
	}
	if got := escalationLevels(t, app, target.Id); !slices.Equal(got, []string{"1:resolved", "2:resolved", "3:resolved"}) {
		t.Fatalf("after the visit: %v", got)
	}
	resolved, _ := app.FindFirstRecordByData("watch_escalations", "target", target.Id)
	if v, err := app.FindRecordById("watch_visits", resolved.GetString("resolvedBy")); err != nil || v.GetString("target") != target.Id {
		t.Fatalf("resolvedBy %q: %v", resolved.GetString("resolvedBy"), err)
	}
	// The next run counts from today's visit: nothing new for a week.
	if _, err := hooks.RunWatchEscalations(app, civil.Today().AddDays(7)); err != nil {
		t.Fatal(err)
	}
	if got := escalationLevels(t, app, target.Id); len(got) != 3 {
		t.Fatalf("a visited target escalated again: %v", got)
	}
	if _, err := hooks.RunWatchEscalations(app, civil.Today().AddDays(8)); err != nil {
		t.Fatal(err)
	}
	if got := escalationLevels(t, app, target.Id); !slices.Equal(got, []string{"1:resolved", "2:resolved", "3:resolved", "1:open"}) {
		t.Fatalf("a week and a day after the visit: %v", got)
	}
}

func TestWatchEscalationEdges(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	today := civil.Today()
	// Never visited: due a week after it was registered (today).
	fresh := newWatchTarget(t, app, civil.Date{})
	if _, err := hooks.RunWatchEscalations(app, today.AddDays(7)); err != nil {
		t.Fatal(err)
	}
	if got := escalationLevels(t, app, fresh.Id); len(got) != 0 {
		t.Fatalf("due day itself: %v", got)
	}
	if _, err := hooks.RunWatchEscalations(app, today.AddDays(8)); err != nil {
		t.Fatal(err)
	}
	if got := escalationLevels(t, app, fresh.Id); !slices.Equal(got, []string{"1:open"}) {
		t.Fatalf("a day late: %v", got)
	}
	// A step switched off is skipped; a target not consented or inactive
	// is not followed up.
	off, _ := app.FindFirstRecordByData("watch_escalation_steps", "level", 2)
	off.Set("active", false)
	if err := app.Save(off); err != nil {
		t.Fatal(err)
	}
	paused := newWatchTarget(t, app, today.AddDays(-30))
	paused.Set("active", false)
	if err := app.Save(paused); err != nil {
		t.Fatal(err)
	}
	if _, err := hooks.RunWatchEscalations(app, today.AddDays(30)); err != nil {
		t.Fatal(err)
	}
	if got := escalationLevels(t, app, fresh.Id); !slices.Equal(got, []string{"1:open", "3:open"}) {
		t.Fatalf("with level 2 off: %v", got)
	}
	if got := escalationLevels(t, app, paused.Id); len(got) != 0 {
		t.Fatalf("an inactive target escalated: %v", got)
	}
}

func TestWatchActivity(t *testing.T) {
	app := fx.NewApp(t)
	// The demo's late target has its escalations open.
	var late string
	if err := app.DB().NewQuery(`SELECT target FROM watch_escalations WHERE resolvedAt = '' LIMIT 1`).Row(&late); err != nil {
		t.Fatalf("fixture has no open escalation: %v", err)
	}
	mine := watchTargetOf(t, app, fx.IDs["volunteer"])
	token := qrToken(t, app, mine.Id)
	app.Cleanup()
	url := "/api/lifestage/watch/activity"
	var scenarios []tests.ApiScenario
	for role, status := range map[string]int{"anonymous": 401, "volunteer": 403, "city_child": 403, "city_nursery": 403, "parent": 403, "family": 403, "nursery_staff": 403} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: role + " refused", Method: http.MethodGet, URL: url, Headers: auth(role),
			ExpectedStatus: status, ExpectedContent: []string{`"status":`}, NotExpectedContent: []string{`"recent"`},
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "city_elderly sees counts, recent visits, open escalations and coverage", Method: http.MethodGet, URL: url + "?limit=5",
			Headers: auth("city_elderly"), ExpectedStatus: 200,
			ExpectedContent: []string{`"asOf":"` + civil.Today().String() + `"`, `"week":{`, `"recent":[{`, `"escalations":[{`, `"target":"` + late + `"`,
				`"level":2`, `"notify":"organization"`, `"areas":[{`, `"percent":`, `"total":{"area":"","areaName":"全体"`},
			// Notes are encrypted and never shown here.
			NotExpectedContent: []string{`"note"`, "郵便受け"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var out struct {
					Recent []struct{ ID, Status string } `json:"recent"`
					Total  struct{ Targets, Covered, Pending, Overdue int }
				}
				if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
					t.Fatal(err)
				}
				if len(out.Recent) != 5 || out.Total.Targets == 0 || out.Total.Overdue == 0 ||
					out.Total.Covered+out.Total.Pending+out.Total.Overdue != out.Total.Targets {
					t.Fatalf("activity %+v", out)
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "view", "collection": "watch_visits", "actor": fx.IDs["city_elderly"]})
				if n != 5 {
					t.Fatalf("%d audited reads, want 5", n)
				}
			},
		},
		tests.ApiScenario{
			Name: "a concern just reported is first and counted today", Method: http.MethodGet, URL: url,
			Headers: auth("city_elderly"), ExpectedStatus: 200,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if code, body := during(t, e, http.MethodPost, "/api/lifestage/watch/checkin", fx.Tokens["volunteer"], checkinJSON(token, "concern")); code != 200 {
					t.Fatalf("check-in: %d %s", code, body)
				}
			},
			ExpectedContent: []string{`"recent":[{"id":`, `"target":"` + mine.Id + `"`, `"status":"concern","method":"qr"`, `"today":{"fine":0,"absent":0,"concern":1,"emergency":0,"total":1}`},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// myWatch is the family view as a role sees it now.
func myWatch(t testing.TB, app core.App, token string) (int, []struct {
	Target string
	Visits []map[string]any
}) {
	t.Helper()
	code, body := send(t, app, http.MethodGet, "/api/lifestage/me/watch", token, "")
	var out struct {
		Targets []struct {
			Target string
			Visits []map[string]any
		}
	}
	if code == 200 {
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
	}
	return code, out.Targets
}

func familyViews(t testing.TB, app core.App, target, actor string) int64 {
	t.Helper()
	n, err := app.CountRecords("audit_log", dbx.HashExp{"action": "view", "collection": "watch_targets", "record": target, "actor": actor})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWatchFamilyView(t *testing.T) {
	app := fx.NewApp(t)
	target := watchFamilyTarget(t, app)
	app.Cleanup()
	url := "/api/lifestage/me/watch"
	scenarios := []tests.ApiScenario{
		{Name: "anonymous", Method: http.MethodGet, URL: url, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "a volunteer is not a family member", Method: http.MethodGet, URL: url, Headers: auth("volunteer"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff use the city's views", Method: http.MethodGet, URL: url, Headers: auth("city_elderly"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{
			Name: "a citizen without a consent sees nothing and no read is logged", Method: http.MethodGet, URL: url, Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"targets":[]`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n, _ := app.CountRecords("audit_log", dbx.HashExp{"actor": fx.IDs["parent"], "collection": "watch_targets"}); n != 0 {
					t.Fatalf("%d entries", n)
				}
			},
		},
		{
			Name: "the family member with a consent sees the visits, without names or notes, and the read is audited", Method: http.MethodGet, URL: url,
			Headers: auth("family"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"target":"` + target.Id + `"`, `"scope":"visits"`, `"visits":[{"at":"`, `"status":"fine"`, `"answers":{`},
			NotExpectedContent: []string{"見守り 協力員", "volunteer", `"note"`, "訪問は午前中", `"lat"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				e, err := app.FindFirstRecordByFilter("audit_log", "actor = {:a} && collection = 'watch_targets'", dbx.Params{"a": fx.IDs["family"]})
				if err != nil || e.GetString("record") != target.Id || e.GetString("subject") != target.GetString("resident") ||
					e.GetString("action") != "view" || e.GetString("actorRole") != "citizen" {
					t.Fatalf("audit entry %v: %v", e, err)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestWatchFamilyConsentGrantedThenRevoked(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	// A target of the demo volunteer that no family member follows yet.
	var free string
	if err := app.DB().NewQuery(`SELECT id FROM watch_targets WHERE volunteer = {:v}
		AND id NOT IN (SELECT target FROM watch_family_consents) ORDER BY id LIMIT 1`).Bind(dbx.Params{"v": fx.IDs["volunteer"]}).Row(&free); err != nil {
		t.Fatal(err)
	}
	target, _ := app.FindRecordById("watch_targets", free)
	member := fx.Tokens["parent2"]
	consents := "/api/collections/watch_family_consents/records"
	body := `{"target":"` + target.Id + `","user":"` + fx.IDs["parent2"] + `","scope":"visits","grantedOn":"2026-11-20","evidence":"in_person","evidenceNote":"本人宅で確認"}`

	// Before: nothing to see.
	if code, got := myWatch(t, app, member); code != 200 || len(got) != 0 {
		t.Fatalf("before the consent: %d %v", code, got)
	}
	// Only 高齢福祉担当 records a consent, and never on someone's behalf.
	for _, role := range []string{"parent2", "volunteer", "city_child"} {
		if code, _ := send(t, app, http.MethodPost, consents, fx.Tokens[role], body); code != 400 {
			t.Fatalf("%s created a consent: %d", role, code)
		}
	}
	forged := strings.Replace(body, `"scope"`, `"grantedBy":"`+fx.IDs["city_admin"]+`","scope"`, 1)
	if code, _ := send(t, app, http.MethodPost, consents, fx.Tokens["city_elderly"], forged); code != 400 {
		t.Fatalf("grantedBy in the body accepted: %d", code)
	}
	code, resp := send(t, app, http.MethodPost, consents, fx.Tokens["city_elderly"], body)
	if code != 200 {
		t.Fatalf("grant: %d %s", code, resp)
	}
	var consent struct{ ID, GrantedBy, Resident string }
	_ = json.Unmarshal([]byte(resp), &consent)
	if consent.GrantedBy != fx.IDs["city_elderly"] || consent.Resident != target.GetString("resident") {
		t.Fatalf("consent %s", resp)
	}
	if code, resp := send(t, app, http.MethodPost, consents, fx.Tokens["city_elderly"], body); code != 400 || !strings.Contains(resp, `"code":"consent_exists"`) {
		t.Fatalf("a second active consent: %d %s", code, resp)
	}

	// Granted: the family member sees the history, and the read is logged.
	code, got := myWatch(t, app, member)
	if code != 200 || len(got) != 1 || got[0].Target != target.Id || len(got[0].Visits) == 0 {
		t.Fatalf("granted: %d %v", code, got)
	}
	if n := familyViews(t, app, target.Id, fx.IDs["parent2"]); n != 1 {
		t.Fatalf("%d audited views, want 1", n)
	}
	// The member lists their own consent; another citizen does not.
	if _, resp := send(t, app, http.MethodGet, consents, member, ""); !strings.Contains(resp, consent.ID) {
		t.Fatalf("own consents: %s", resp)
	}
	if _, resp := send(t, app, http.MethodGet, consents, fx.Tokens["parent"], ""); strings.Contains(resp, consent.ID) {
		t.Fatal("another citizen sees the consent")
	}

	// Revoked: at once, at the server's time, by the city only.
	if code, _ := send(t, app, http.MethodPatch, consents+"/"+consent.ID, member, `{"revokedAt":"2026-11-26 00:00:00.000Z"}`); code != 404 {
		t.Fatalf("the family member revoked through the API: %d", code)
	}
	before := time.Now().Add(-time.Second)
	code, resp = send(t, app, http.MethodPatch, consents+"/"+consent.ID, fx.Tokens["city_elderly"], `{"revokedAt":"2000-01-01 00:00:00.000Z"}`)
	if code != 200 {
		t.Fatalf("revoke: %d %s", code, resp)
	}
	rec, _ := app.FindRecordById("watch_family_consents", consent.ID)
	if at := rec.GetDateTime("revokedAt").Time(); at.Before(before) || rec.GetString("revokedBy") != fx.IDs["city_elderly"] {
		t.Fatalf("revokedAt %v by %q", at, rec.GetString("revokedBy"))
	}
	if code, got := myWatch(t, app, member); code != 200 || len(got) != 0 {
		t.Fatalf("revoked, still sees: %d %v", code, got)
	}
	if n := familyViews(t, app, target.Id, fx.IDs["parent2"]); n != 1 {
		t.Fatalf("the revoked view was logged: %d entries", n)
	}
	// A revoked consent stays as it is: no revival, no deletion.
	if code, _ := send(t, app, http.MethodPatch, consents+"/"+consent.ID, fx.Tokens["city_elderly"], `{"evidenceNote":"復活"}`); code != 404 {
		t.Fatalf("a revoked consent was changed: %d", code)
	}
	if code, _ := send(t, app, http.MethodDelete, consents+"/"+consent.ID, fx.Tokens["city_elderly"], ""); code != 403 {
		t.Fatalf("a consent was deleted: %d", code)
	}

	// The city sees who viewed when, and the consents with their state.
	code, resp = send(t, app, http.MethodGet, "/api/lifestage/watch/targets/"+target.Id+"/family-views", fx.Tokens["city_elderly"], "")
	if code != 200 || !strings.Contains(resp, `"user":"`+fx.IDs["parent2"]+`"`) || !strings.Contains(resp, `"id":"`+consent.ID+`"`) ||
		strings.Count(resp, `"user":"`+fx.IDs["parent2"]+`"`) != 2 || strings.Contains(resp, `"revokedAt":""`) {
		t.Fatalf("family views: %d %s", code, resp)
	}
}

func TestWatchFamilyViewsRoute(t *testing.T) {
	app := fx.NewApp(t)
	target := watchFamilyTarget(t, app)
	app.Cleanup()
	url := "/api/lifestage/watch/targets/" + target.Id + "/family-views"
	var scenarios []tests.ApiScenario
	for role, status := range map[string]int{"anonymous": 401, "family": 403, "volunteer": 403, "city_child": 403, "parent": 403} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: role + " refused", Method: http.MethodGet, URL: url, Headers: auth(role),
			ExpectedStatus: status, ExpectedContent: []string{`"status":`}, NotExpectedContent: []string{`"views"`},
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "city_elderly sees the family's read", Method: http.MethodGet, URL: url, Headers: auth("city_elderly"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if code, body := during(t, e, http.MethodGet, "/api/lifestage/me/watch", fx.Tokens["family"], ""); code != 200 {
					t.Fatalf("family view: %d %s", code, body)
				}
			},
			ExpectedStatus: 200,
			ExpectedContent: []string{`"consents":[{`, `"evidence":"paper"`, `"revokedAt":""`,
				`"views":[{"at":"`, `"user":"` + fx.IDs["family"] + `"`},
		},
		tests.ApiScenario{
			Name: "unknown target", Method: http.MethodGet, URL: "/api/lifestage/watch/targets/nosuchtarget123/family-views",
			Headers: auth("city_elderly"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
	)
	// The city's form names the family member by email.
	grantURL := "/api/lifestage/watch/targets/" + target.Id + "/family-consents"
	grant := func(email string) string {
		return `{"email":"` + email + `","scope":"visits_frailty","grantedOn":"2026-11-25","evidence":"paper","evidenceNote":"同意書"}`
	}
	noConsent := map[string]int{"OnModelCreate": 0}
	for role, status := range map[string]int{"anonymous": 401, "family": 403, "volunteer": 403, "city_child": 403} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: role + " cannot grant", Method: http.MethodPost, URL: grantURL, Headers: auth(role), Body: strings.NewReader(grant(fx.Accounts["parent2"].Email)),
			ExpectedStatus: status, ExpectedContent: []string{`"status":`}, ExpectedEvents: noConsent,
		})
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "grant by email", Method: http.MethodPost, URL: grantURL, Headers: auth("city_elderly"), Body: strings.NewReader(grant(fx.Accounts["parent2"].Email)),
			ExpectedStatus: 200, ExpectedContent: []string{`"user":"` + fx.IDs["parent2"] + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c, err := app.FindFirstRecordByData("watch_family_consents", "user", fx.IDs["parent2"])
				if err != nil || c.GetString("grantedBy") != fx.IDs["city_elderly"] || c.GetString("resident") != target.GetString("resident") ||
					c.GetString("scope") != "visits_frailty" || !c.GetDateTime("revokedAt").IsZero() {
					t.Fatalf("consent %v: %v", c, err)
				}
				n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "create", "collection": "watch_family_consents", "actor": fx.IDs["city_elderly"]})
				if n != 1 {
					t.Fatalf("%d audited creates", n)
				}
			},
		},
		tests.ApiScenario{
			Name: "an email without a citizen account", Method: http.MethodPost, URL: grantURL, Headers: auth("city_elderly"), Body: strings.NewReader(grant("nobody@test.lifestage.example")),
			ExpectedStatus: 400, ExpectedContent: []string{`"email":{"code":"unknown_user"`}, ExpectedEvents: noConsent,
		},
		tests.ApiScenario{
			Name: "the family member who already has an active consent", Method: http.MethodPost, URL: grantURL, Headers: auth("city_elderly"), Body: strings.NewReader(grant(fx.Accounts["family"].Email)),
			ExpectedStatus: 400, ExpectedContent: []string{`"user":{"code":"consent_exists"`}, ExpectedEvents: noConsent,
		},
		tests.ApiScenario{
			Name: "a bad date and evidence", Method: http.MethodPost, URL: grantURL, Headers: auth("city_elderly"),
			Body:           strings.NewReader(`{"email":"` + fx.Accounts["parent2"].Email + `","scope":"visits","grantedOn":"25/11/2026","evidence":"phone"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"grantedOn":{"code":`, `"evidence":{"code":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n, _ := app.CountRecords("watch_family_consents", dbx.HashExp{"user": fx.IDs["parent2"]}); n != 0 {
					t.Fatal("an invalid consent was stored")
				}
			},
		},
	)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
