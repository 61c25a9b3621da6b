package hooks_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/access"
	"github.com/saijo-dx/lifestage/civil"
)

// TestAccessMatrix proves every cell of access.Matrix (rendered as
// docs/access.md) against the API rules, with real requests as each role.
func TestAccessMatrix(t *testing.T) {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	w := &world{app: app}
	for _, c := range access.Matrix {
		// Each scenario runs on its own cloned app, so collections can run
		// side by side.
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			for _, row := range c.Rows {
				for _, s := range w.scenarios(t, row) {
					s.Test(t)
				}
			}
		})
	}
}

type world struct{ app *tests.TestApp }

func (w *world) auth(role string) *core.Record {
	a, ok := fx.Accounts[role]
	if !ok {
		return nil
	}
	rec, err := w.app.FindAuthRecordByEmail(a.Collection, a.Email)
	if err != nil {
		panic(err)
	}
	return rec
}

// allIDs lists every record id of a collection, sorted.
func (w *world) allIDs(t testing.TB, collection string) []string {
	recs, err := w.app.FindAllRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Id
	}
	sort.Strings(ids)
	return ids
}

// ownIDs states, independently of the API rules, which records a role is
// tied to: what "some" means in the matrix. forUpdate narrows it where
// writing needs more than reading.
func (w *world) ownIDs(t testing.TB, collection, role string, forUpdate bool) []string {
	me := w.auth(role)
	if me == nil {
		// An anonymous visitor owns nothing, but may see public records.
		if !slices.Contains([]string{"facilities", "events", "qa_threads", "qa_posts", "faqs"}, collection) {
			return nil
		}
		me = &core.Record{}
	}
	recs, err := w.app.FindAllRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	has := func(r *core.Record, field string) bool { return slices.Contains(r.GetStringSlice(field), me.Id) }
	var keep func(r *core.Record) bool
	switch collection {
	case "users", "city_staff", "medical_staff", "volunteers":
		keep = func(r *core.Record) bool { return r.Id == me.Id && me.Collection().Name == collection }
	case "nursery_staff":
		keep = func(r *core.Record) bool {
			if forUpdate {
				return r.Id == me.Id && me.Collection().Name == collection
			}
			return me.Collection().Name == collection && r.GetString("nursery") == me.GetString("nursery")
		}
	case "areas", "audit_log", "security_events", "nursery_classes", "fee_tables", "photo_prices":
		keep = func(*core.Record) bool { return false } // nobody owns these
	case "facilities":
		keep = func(r *core.Record) bool { return r.GetBool("public") }
	case "events":
		keep = func(r *core.Record) bool { return r.GetBool("public") && r.GetBool("published") }
	case "organizations":
		keep = func(r *core.Record) bool { return r.Id == me.GetString("organization") }
	case "households":
		keep = func(r *core.Record) bool { return me.GetString("household") != "" && r.Id == me.GetString("household") }
	case "residents":
		keep = func(r *core.Record) bool { return r.GetString("user") == me.Id }
	case "children":
		keep = func(r *core.Record) bool {
			if forUpdate {
				return has(r, "guardians") || has(r, "familyManagers")
			}
			return has(r, "guardians") || has(r, "familyViewers") || has(r, "familyManagers")
		}
	case "family_shares":
		keep = func(r *core.Record) bool {
			if r.GetString("grantedBy") == me.Id || r.GetString("member") == me.Id {
				return true
			}
			child, err := w.app.FindRecordById("children", r.GetString("child"))
			return err == nil && has(child, "guardians")
		}
	case "notifications":
		keep = func(r *core.Record) bool {
			return r.GetString("recipient") == me.Id && r.GetString("recipientCollection") == me.Collection().Name
		}
	case "growth_measurements", "immunizations", "infant_checkups", "allergies", "weaning_logs", "birth_records":
		mine := map[string]bool{}
		for _, id := range w.ownIDs(t, "children", role, forUpdate) {
			mine[id] = true
		}
		keep = func(r *core.Record) bool { return mine[r.GetString("child")] }
	case "pregnancies", "prenatal_checkups":
		keep = func(r *core.Record) bool { return r.GetString("mother") == me.Id }
	case "nurseries":
		keep = func(r *core.Record) bool {
			staff := me.Collection().Name == "nursery_staff" && r.GetString("nursery") == me.GetString("nursery")
			return staff && (!forUpdate || me.GetString("role") == "director")
		}
	case "fee_assessments":
		keep = func(r *core.Record) bool {
			return me.GetString("household") != "" && r.GetString("household") == me.GetString("household")
		}
	case "nursery_journals", "guidance_plans", "nursery_events":
		keep = func(r *core.Record) bool {
			if me.Collection().Name != "nursery_staff" || r.GetString("nursery") != me.GetString("nursery") {
				return false
			}
			switch {
			case !forUpdate:
				return true
			case collection == "nursery_events":
				return r.GetString("status") != "cancelled"
			}
			return r.GetString("status") != "approved" || me.GetString("role") == "director"
		}
	case "enrolments", "attendance", "nap_sessions", "nap_checks", "checkin_codes":
		mine := map[string]bool{}
		if me.Collection().Name == "users" {
			for _, id := range w.ownIDs(t, "children", role, false) {
				mine[id] = true
			}
		}
		keep = func(r *core.Record) bool {
			if me.Collection().Name == "nursery_staff" {
				return r.GetString("nursery") == me.GetString("nursery")
			}
			return mine[r.GetString("child")]
		}
	case "absence_notices", "notebook_home", "notebook_nursery":
		mine := map[string]bool{}
		if me.Collection().Name == "users" {
			for _, id := range w.ownIDs(t, "children", role, forUpdate) {
				mine[id] = true
			}
		}
		keep = func(r *core.Record) bool {
			switch {
			case me.Collection().Name == "nursery_staff":
				return r.GetString("nursery") == me.GetString("nursery")
			case collection == "absence_notices" && forUpdate:
				return mine[r.GetString("child")] && r.GetDateTime("acknowledgedAt").IsZero()
			case collection == "notebook_nursery":
				return mine[r.GetString("child")] && r.GetString("status") == "published"
			}
			return mine[r.GetString("child")]
		}
	case "infection_notices":
		keep = func(r *core.Record) bool {
			if me.Collection().Name == "nursery_staff" {
				return r.GetString("nursery") == me.GetString("nursery")
			}
			return has(r, "audience")
		}
	case "invoices":
		keep = func(r *core.Record) bool {
			if me.Collection().Name == "nursery_staff" {
				return r.GetString("nursery") == me.GetString("nursery") && (!forUpdate || me.GetString("role") == "director")
			}
			return !forUpdate && me.GetString("household") != "" && r.GetString("household") == me.GetString("household") &&
				r.GetString("status") != "draft"
		}
	case "watch_targets":
		keep = func(r *core.Record) bool {
			return me.Collection().Name == "volunteers" && r.GetString("volunteer") == me.Id
		}
	case "watch_candidate_rules":
		keep = func(*core.Record) bool { return false } // nobody owns these
	case "frailty_assessments":
		keep = func(r *core.Record) bool {
			t, err := w.app.FindRecordById("watch_targets", r.GetString("target"))
			return err == nil && me.Collection().Name == "volunteers" && t.GetString("volunteer") == me.Id
		}
	case "watch_visits":
		mine := map[string]bool{}
		for _, id := range w.ownIDs(t, "watch_targets", role, false) {
			mine[id] = true
		}
		keep = func(r *core.Record) bool { return mine[r.GetString("target")] }
	case "watch_escalation_steps", "watch_escalations":
		keep = func(*core.Record) bool { return false } // the city's alone
	case "watch_family_consents":
		keep = func(r *core.Record) bool { return me.Collection().Name == "users" && r.GetString("user") == me.Id }
	case "staff_attendance":
		keep = func(r *core.Record) bool {
			return me.Collection().Name == "nursery_staff" && r.GetString("nursery") == me.GetString("nursery")
		}
	case "vaccination_questionnaires":
		mine := map[string]bool{}
		for _, id := range w.ownIDs(t, "children", role, forUpdate) {
			mine[id] = true
		}
		keep = func(r *core.Record) bool {
			if me.Collection().Name == "medical_staff" {
				return r.GetString("institution") == me.GetString("institution") && r.GetString("status") != "draft"
			}
			return mine[r.GetString("child")]
		}
	case "mynaportal_consents":
		keep = func(r *core.Record) bool { return r.GetString("user") == me.Id }
	case "partner_consents":
		keep = func(r *core.Record) bool { return r.GetString("user") == me.Id }
	case "nursery_photos":
		keep = w.seesPhoto(t, me, role)
	case "photo_orders":
		keep = func(r *core.Record) bool {
			if me.Collection().Name == "nursery_staff" {
				return r.GetString("nursery") == me.GetString("nursery")
			}
			child, err := w.app.FindRecordById("children", r.GetString("child"))
			return r.GetString("user") == me.Id || (err == nil && has(child, "guardians"))
		}
	case "push_subscriptions", "notification_preferences":
		keep = func(r *core.Record) bool {
			return r.GetString("owner") == me.Id && r.GetString("ownerCollection") == me.Collection().Name
		}
	case "announcements", "surveys":
		keep = func(r *core.Record) bool {
			st := r.GetString("status")
			return me.Collection().Name == "city_staff" && me.GetString("department") == "child" && (st == "draft" || st == "scheduled")
		}
	case "announcement_recipients", "survey_responses":
		keep = func(r *core.Record) bool { return r.GetString("user") == me.Id }
	case "partners", "api_keys", "api_usage", "ngsi_subscriptions", "ngsi_history":
		keep = func(*core.Record) bool { return false } // the gateway's records belong to no demo role
	case "event_applications":
		keep = func(r *core.Record) bool { return r.GetString("user") == me.Id }
	case "qa_profiles":
		keep = func(r *core.Record) bool { return me.Id != "" && r.GetString("user") == me.Id }
	case "qa_threads", "qa_posts":
		keep = w.qaReadable(t, me.Id)
	case "qa_reports", "qa_words":
		keep = func(*core.Record) bool { return false } // 子育て staff only
	case "faqs":
		keep = func(r *core.Record) bool { return r.GetBool("published") }
	default:
		t.Fatalf("no ownership statement for %s", collection)
	}
	var ids []string
	for _, r := range recs {
		if keep(r) {
			ids = append(ids, r.Id)
		}
	}
	sort.Strings(ids)
	return ids
}

func firstNotIn(all, own []string) string {
	for _, id := range all {
		if !slices.Contains(own, id) {
			return id
		}
	}
	return ""
}

// denyStatus is what PocketBase answers when a rule refuses: 403 for a
// locked (superuser-only) action, otherwise 404 (the record is invisible),
// or 400 for a refused create.
func denyStatus(rule *string, create bool) int {
	switch {
	case rule == nil:
		return http.StatusForbidden
	case create:
		return http.StatusBadRequest
	default:
		return http.StatusNotFound
	}
}

func (w *world) scenarios(t *testing.T, row access.Row) []tests.ApiScenario {
	col, err := w.app.FindCollectionByNameOrId(row.Collection)
	if err != nil {
		t.Fatal(err)
	}
	all := w.allIDs(t, row.Collection)
	if len(all) == 0 {
		t.Fatalf("fixture has no %s; the matrix would prove nothing", row.Collection)
	}
	own := w.ownIDs(t, row.Collection, row.Role, false)
	ownW := w.ownIDs(t, row.Collection, row.Role, true)
	foreign := firstNotIn(all, own)
	headers := map[string]string{}
	if tok := fx.Tokens[row.Role]; tok != "" {
		headers["Authorization"] = tok
	}
	base := "/api/collections/" + row.Collection + "/records"
	name := func(action, what string) string {
		return fmt.Sprintf("%s/%s/%s %s", row.Collection, row.Role, action, what)
	}
	var out []tests.ApiScenario
	add := func(s tests.ApiScenario) {
		s.Headers = maps.Clone(headers)
		if strings.HasPrefix(s.Name, "nursery_photos/") && s.Method == http.MethodPost {
			s.Headers["Content-Type"] = matrixUploadType // the photo is a file upload
		}
		s.TestAppFactory = fx.NewApp
		out = append(out, s)
	}
	must := func(ok bool, msg string) {
		if !ok {
			t.Fatalf("%s/%s: %s", row.Collection, row.Role, msg)
		}
	}

	// list
	wantList := map[access.Outcome][]string{access.All: all, access.Some: own, access.None: nil}[row.List]
	if row.List == access.Some {
		must(len(own) > 0 && len(own) < len(all), "'some' needs own and foreign records in the fixture")
	}
	add(tests.ApiScenario{
		Name: name("list", string(row.List)), Method: http.MethodGet, URL: base + "?perPage=1000&fields=id&sort=id",
		ExpectedStatus: 200, ExpectedContent: []string{`"items":`},
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			// One page holds at most 1000 ids (sorted by id): compare that
			// page and the total the API counted.
			got, total := listedIDs(t, res)
			want := wantList[:min(1000, len(wantList))]
			if !slices.Equal(got, want) || total != len(wantList) {
				t.Errorf("listed %d of %d ids, want %d of %d (first got %v, want %v)", len(got), total, len(want), len(wantList), head(got), head(want))
			}
		},
	})

	// view, update and delete share one shape
	type action struct {
		name    string
		outcome access.Outcome
		method  string
		body    string
		okCode  int
		rule    *string
		ownList []string
	}
	for _, a := range []action{
		{"view", row.View, http.MethodGet, "", 200, col.ViewRule, own},
		{"update", row.Update, http.MethodPatch, updateBody[row.Collection], 200, col.UpdateRule, ownW},
		{"delete", row.Delete, http.MethodDelete, "", 204, col.DeleteRule, ownW},
	} {
		target := func(id string, allowed bool) {
			s := tests.ApiScenario{Method: a.method, URL: base + "/" + id}
			if a.body != "" {
				s.Body = strings.NewReader(a.body)
			}
			if allowed {
				s.Name = name(a.name, "allowed "+id)
				s.ExpectedStatus = a.okCode
				if a.okCode == 200 {
					s.ExpectedContent = []string{`"id":"` + id + `"`}
				}
			} else {
				s.Name = name(a.name, "denied "+id)
				s.ExpectedStatus = denyStatus(a.rule, false)
				s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, s.ExpectedStatus)}
				s.ExpectedEvents = map[string]int{"OnModelUpdate": 0, "OnModelDelete": 0}
			}
			add(s)
		}
		switch a.outcome {
		case access.All:
			target(firstNotIn(all, a.ownList), true)
		case access.Some:
			must(len(a.ownList) > 0, a.name+" 'some' needs an own record in the fixture")
			target(a.ownList[0], true)
			target(firstNotIn(all, a.ownList), false)
		case access.None:
			target(foreign, false)
			if len(a.ownList) > 0 {
				target(a.ownList[0], false)
			}
		}
	}

	// create
	cs := tests.ApiScenario{
		Name: name("create", string(row.Create)), Method: http.MethodPost, URL: base,
		Body: strings.NewReader(w.createBody(t, row.Collection, row.Role)),
	}
	if row.Create == access.Yes {
		cs.ExpectedStatus = 200
		cs.ExpectedContent = []string{`"id":`}
	} else {
		cs.ExpectedStatus = denyStatus(col.CreateRule, true)
		cs.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, cs.ExpectedStatus)}
		cs.ExpectedEvents = map[string]int{"OnModelCreate": 0}
	}
	add(cs)
	return out
}

func head(ids []string) []string { return ids[:min(3, len(ids))] }

func listedIDs(t testing.TB, res *http.Response) ([]string, int) {
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	sort.Strings(ids)
	return ids, page.TotalItems
}

// updateBody is a harmless change per collection.
var updateBody = map[string]string{
	"users":                      `{"nameKana":"テスト"}`,
	"city_staff":                 `{"nameKana":"テスト"}`,
	"nursery_staff":              `{"nameKana":"テスト"}`,
	"medical_staff":              `{"nameKana":"テスト"}`,
	"volunteers":                 `{"nameKana":"テスト"}`,
	"areas":                      `{"kana":"てすと"}`,
	"facilities":                 `{"hours":"月〜金 9:00〜17:00"}`,
	"organizations":              `{"phone":"0897-55-0000"}`,
	"households":                 `{"address":"愛媛県西条市テスト1-1"}`,
	"residents":                  `{"relationship":"子"}`,
	"children":                   `{"givenNameKana":"テスト"}`,
	"family_shares":              `{"label":"テスト"}`,
	"notifications":              `{"readAt":"2026-11-26 00:00:00.000Z"}`,
	"audit_log":                  `{"actor":"abcdefghijklmno"}`,
	"growth_measurements":        `{"weightKg":9.1}`,
	"immunizations":              `{"lot":"AB12"}`,
	"infant_checkups":            `{"result":"normal"}`,
	"allergies":                  `{"severity":"moderate"}`,
	"weaning_logs":               `{"reaction":"mild"}`,
	"birth_records":              `{"apgar5":9}`,
	"security_events":            `{"status":"closed"}`,
	"vaccination_questionnaires": `{"warning":"テスト"}`,
	"pregnancies":                `{"status":"ongoing"}`,
	"prenatal_checkups":          `{"urineProtein":"±"}`,
	"nurseries":                  `{"sideDishFee":4600}`,
	"nursery_classes":            `{"capacity":12}`,
	"enrolments":                 `{"certifiedHours":10}`,
	"fee_assessments":            `{"incomeTax":123456}`,
	"attendance":                 `{"note":"テスト"}`,
	"fee_tables":                 `{"label":"テスト"}`,
	"absence_notices":            `{"pickupPerson":"テスト"}`,
	"infection_notices":          `{"title":"テスト"}`,
	"notebook_home":              `{"mealNote":"テスト"}`,
	"notebook_nursery":           `{"activities":"テスト"}`,
	"nursery_journals":           `{"reflection":"テスト"}`,
	"guidance_plans":             `{"evaluation":"テスト"}`,
	"nursery_events":             `{"place":"テスト"}`,
	"nap_sessions":               `{"endedAt":"2026-11-26 05:00:00.000Z"}`,
	"nap_checks":                 `{"note":"テスト"}`,
	"invoices":                   `{"note":"テスト"}`,
	"photo_prices":               `{"price":130}`,
	"nursery_photos":             `{"title":"テスト"}`,
	"photo_orders":               `{"status":"cancelled"}`,
	"checkin_codes":              `{"rotatedAt":"2026-01-01 00:00:00.000Z"}`,
	"staff_attendance":           `{"note":"テスト"}`,
	"watch_targets":              `{"frequency":"weekly"}`,
	"watch_visits":               `{"status":"concern"}`,
	"watch_candidate_rules":      `{"minAge":76}`,
	"frailty_assessments":        `{"heightCm":160}`,
	"watch_escalation_steps":     `{"active":true}`,
	"watch_escalations":          `{"daysOverdue":2}`,
	"watch_family_consents":      `{"evidenceNote":"テスト"}`,
	"partners":                   `{"note":"テスト"}`,
	"api_keys":                   `{"label":"テスト"}`,
	"api_usage":                  `{"count":5}`,
	"mynaportal_consents":        `{"status":"revoked"}`,
	"partner_consents":           `{"purpose":"テスト"}`,
	"ngsi_subscriptions":         `{"status":"inactive"}`,
	"ngsi_history":               `{"attrType":"Text"}`,
	"push_subscriptions":         `{"failures":0}`,
	"event_applications":         `{"status":"cancelled"}`,
	"notification_preferences":   `{"noEmail":true}`,
	"events":                     `{"place":"テスト会場"}`,
	"announcements":              `{"title":"更新したお知らせ"}`,
	"announcement_recipients":    `{"readAt":"2026-01-01 00:00:00.000Z"}`,
	"surveys":                    `{"description":"更新した説明"}`,
	"survey_responses":           `{"answers":"{}"}`,
	"qa_profiles":                `{"nickname":"かえたい"}`,
	"qa_threads":                 `{"title":"テスト"}`,
	"qa_posts":                   `{"body":"テスト"}`,
	"qa_reports":                 `{"note":"テスト"}`,
	"qa_words":                   `{"note":"テスト"}`,
	"faqs":                       `{"answer":"テスト"}`,
}

func staffBody(role, extra string) string {
	return fmt.Sprintf(`{"email":"new-%s@test.lifestage.example","password":"long-enough-pass","passwordConfirm":"long-enough-pass","name":"新規 職員","active":true%s}`, role, extra)
}

// firstID returns the id of the first record matching the filter.
func (w *world) firstID(t testing.TB, collection, filter string) string {
	r, err := w.app.FindFirstRecordByFilter(collection, filter)
	if err != nil {
		t.Fatalf("fixture has no %s matching %s", collection, filter)
	}
	return r.Id
}

// childFor is the child a role would write about: one it may read (shared
// or its own), else any child.
func (w *world) childFor(t testing.TB, role string) string {
	if own := w.ownIDs(t, "children", role, false); len(own) > 0 {
		return own[0]
	}
	return w.firstID(t, "children", `id != ""`)
}

// nurseryFor is the nursery a role would write about: its own, else any.
func (w *world) nurseryFor(t testing.TB, role string) string {
	if me := w.auth(role); me != nil && me.GetString("nursery") != "" {
		return me.GetString("nursery")
	}
	r, err := w.app.FindFirstRecordByFilter("nurseries", `id != ""`)
	if err != nil {
		t.Fatal("fixture has no nursery settings")
	}
	return r.GetString("nursery")
}

// childWithoutBirthRecord is a child a role would enter the birth record
// of: one it manages that has none yet, else any child without one (a
// child has one birth record, so a child that has it would fail on the
// unique index whatever the rule says).
func (w *world) childWithoutBirthRecord(t testing.TB, role string) string {
	candidates := append(w.ownIDs(t, "children", role, true), w.allIDs(t, "children")...)
	for _, id := range candidates {
		if _, err := w.app.FindFirstRecordByData("birth_records", "child", id); err != nil {
			return id
		}
	}
	t.Fatal("every child has a birth record; the create cell would prove nothing")
	return ""
}

// enrolledChildFor is a child in a nursery that a role would write a note
// about (its own, its nursery's, else any) and a day with no notebook yet:
// the demo's notebooks cover the last six days.
func (w *world) enrolledChildFor(t testing.TB, role string) (string, string) {
	own := map[string]bool{}
	for _, id := range w.ownIDs(t, "children", role, false) {
		own[id] = true
	}
	enrolments, err := w.app.FindAllRecords("enrolments")
	if err != nil {
		t.Fatal(err)
	}
	me := w.auth(role)
	var mine, ofNursery *core.Record
	for _, e := range enrolments {
		if mine == nil && own[e.GetString("child")] {
			mine = e
		}
		if ofNursery == nil && me != nil && me.GetString("nursery") != "" && e.GetString("nursery") == me.GetString("nursery") {
			ofNursery = e
		}
	}
	pick := cmp.Or(mine, ofNursery, enrolments[0])
	start, _ := civil.Parse(pick.GetString("start"))
	return pick.GetString("child"), civil.Later(start, civil.Today().AddDays(-6)).String()
}

// classFor is a class of the nursery a role would write about.
func (w *world) classFor(t testing.TB, role string) string {
	r, err := w.app.FindFirstRecordByFilter("nursery_classes", "nursery = {:n}", map[string]any{"n": w.nurseryFor(t, role)})
	if err != nil {
		t.Fatal("fixture has no class in the nursery")
	}
	return r.Id
}

// createBody is a valid record; whether it may be created is the rule's call.
func (w *world) createBody(t testing.TB, collection, role string) string {
	slug := strings.ReplaceAll(role, "_", "-")
	switch collection {
	case "users":
		return fmt.Sprintf(`{"email":"new-%s@test.lifestage.example","password":"long-enough","passwordConfirm":"long-enough","name":"新規 市民"}`, role)
	case "city_staff":
		return staffBody(role, `,"department":"child","role":"staff"`)
	case "nursery_staff":
		return staffBody(role, `,"nursery":"`+w.firstID(t, "facilities", `type = "nursery"`)+`","role":"staff"`)
	case "medical_staff":
		return staffBody(role, `,"institution":"`+w.firstID(t, "facilities", `type = "clinic"`)+`","role":"nurse"`)
	case "volunteers":
		return staffBody(role, `,"organization":"`+w.firstID(t, "organizations", `id != ""`)+`"`)
	case "areas":
		return fmt.Sprintf(`{"code":"test-%s","name":"テスト地区"}`, slug)
	case "facilities":
		return fmt.Sprintf(`{"code":"new-%s","name":"テスト施設","type":"clinic","public":true}`, slug)
	case "organizations":
		return fmt.Sprintf(`{"code":"new-%s","name":"テスト団体","kind":"npo"}`, slug)
	case "households":
		return fmt.Sprintf(`{"code":"T-%s"}`, slug)
	case "residents":
		return fmt.Sprintf(`{"key":"T-%s","household":"%s","familyName":"試験","givenName":"太郎","birthDate":"1990-01-01"}`, slug, w.firstID(t, "households", `id != ""`))
	case "children":
		return `{"familyName":"試験","givenName":"花子","birthDate":"2025-05-01","sex":"female"}`
	case "family_shares":
		return fmt.Sprintf(`{"child":"%s","grantedBy":"%s","scope":"view","status":"active"}`, w.firstID(t, "children", `id != ""`), fx.IDs["parent"])
	case "notifications":
		return `{"recipient":"abcdefghijklmno","recipientCollection":"users","kind":"x","title":"x","reason":"x","day":"2026-11-26"}`
	case "audit_log":
		return `{"seq":999999,"at":"2026-11-26T00:00:00.000Z","action":"view","prevHash":"x","hash":"x"}`
	case "growth_measurements":
		return `{"child":"` + w.childFor(t, role) + `","date":"2026-01-01","weightKg":8.5}`
	case "immunizations":
		return `{"child":"` + w.childFor(t, role) + `","vaccine":"hepb","dose":1,"date":"2026-01-01"}`
	case "infant_checkups":
		return `{"child":"` + w.childFor(t, role) + `","code":"1m","date":"2026-01-01"}`
	case "allergies":
		return `{"child":"` + w.childFor(t, role) + `","substance":"小麦","date":"2026-01-01"}`
	case "weaning_logs":
		return `{"child":"` + w.childFor(t, role) + `","date":"2026-01-01","food":"りんご"}`
	case "birth_records":
		return `{"child":"` + w.childWithoutBirthRecord(t, role) + `","weightG":3050,"gestationalWeeks":39,"gestationalDays":2}`
	case "security_events":
		return `{"kind":"lockout","severity":"warning","message":"x","status":"open"}`
	case "vaccination_questionnaires":
		return `{"child":"` + w.childFor(t, role) + `","vaccine":"je1","dose":1,"plannedDate":"2027-01-01","institution":"` +
			w.firstID(t, "facilities", `type = "clinic"`) + `","status":"draft"}`
	case "pregnancies":
		// Names another mother: a citizen's pregnancy is her own anyway.
		return `{"mother":"` + fx.IDs["parent2"] + `","lmpDate":"2026-03-01"}`
	case "prenatal_checkups":
		p := w.firstID(t, "pregnancies", `id != ""`)
		if own := w.ownIDs(t, "pregnancies", role, false); len(own) > 0 {
			p = own[0]
		}
		return `{"pregnancy":"` + p + `","date":"2026-11-20","week":12,"weightKg":55.2}`
	case "nurseries":
		// A kindergarten has no settings yet; every nursery has.
		return `{"nursery":"` + w.firstID(t, "facilities", `type = "kindergarten"`) + `","sideDishFee":4500}`
	case "nursery_classes":
		return `{"nursery":"` + w.nurseryFor(t, role) + `","fiscalYear":2026,"ageClass":0,"name":"テスト組-` + slug + `"}`
	case "enrolments":
		return `{"child":"` + w.childFor(t, role) + `","nursery":"` + w.nurseryFor(t, role) + `","certification":"3","hours":"standard","start":"2026-04-01"}`
	case "fee_assessments":
		return `{"household":"` + w.firstID(t, "households", `id != ""`) + `","taxYear":2040,"incomeTax":100000}`
	case "attendance":
		return `{"child":"` + w.childFor(t, role) + `","nursery":"` + w.nurseryFor(t, role) + `","date":"2020-01-01"}`
	case "fee_tables":
		// A year the migration does not load, so the unique index allows it.
		return `{"fiscalYear":2099,"tier":"C1","label":"テスト","incomeTaxFrom":0,"incomeTaxBelow":1,"standard":14800,"short":14500}`
	case "absence_notices":
		child, _ := w.enrolledChildFor(t, role)
		return `{"child":"` + child + `","date":"` + civil.Today().String() + `","kind":"absence","symptoms":["fever"],"infection":"influenza"}`
	case "infection_notices":
		return `{"infection":"influenza","title":"インフルエンザの発生について","body":"園内でインフルエンザが確認されています。"}`
	case "notebook_home":
		child, day := w.enrolledChildFor(t, role)
		return `{"child":"` + child + `","date":"` + day + `","temperature":36.6,"mood":"good"}`
	case "notebook_nursery":
		child, day := w.enrolledChildFor(t, role)
		return `{"child":"` + child + `","date":"` + day + `","activities":"砂場遊び","status":"draft"}`
	case "nursery_journals":
		return `{"nursery":"` + w.nurseryFor(t, role) + `","class":"` + w.classFor(t, role) + `","date":"2020-01-06","activities":"テスト"}`
	case "guidance_plans":
		return `{"nursery":"` + w.nurseryFor(t, role) + `","class":"` + w.classFor(t, role) + `","kind":"monthly","fiscalYear":2019,"month":5}`
	case "nursery_events":
		return `{"nursery":"` + w.nurseryFor(t, role) + `","title":"テスト行事","date":"2030-01-01","audience":"all"}`
	case "nap_sessions":
		return `{"child":"` + w.childFor(t, role) + `","nursery":"` + w.nurseryFor(t, role) + `","class":"` + w.classFor(t, role) +
			`","date":"2020-01-01","startedAt":"2020-01-01 03:30:00.000Z"}`
	case "nap_checks":
		return `{"session":"` + w.firstID(t, "nap_sessions", `id != ""`) + `","child":"` + w.childFor(t, role) + `","nursery":"` +
			w.nurseryFor(t, role) + `","class":"` + w.classFor(t, role) + `","at":"2020-01-01 03:35:00.000Z","position":"supine"}`
	case "invoices":
		return `{"household":"` + w.firstID(t, "households", `id != ""`) + `","nursery":"` + w.nurseryFor(t, role) + `","month":"2020-01","status":"draft","total":0}`
	case "photo_prices":
		// A size that nursery does not sell yet, so the record is valid.
		other := w.firstID(t, "photo_prices", `size = "data" && nursery != "`+w.nurseryFor(t, "nursery_staff")+`"`)
		r, _ := w.app.FindRecordById("photo_prices", other)
		return `{"nursery":"` + r.GetString("nursery") + `","size":"A4","price":500}`
	case "nursery_photos":
		return matrixUpload(t, w.nurseryFor(t, role))
	case "photo_orders":
		return `{"user":"` + fx.IDs["parent"] + `","child":"` + w.childFor(t, role) + `","nursery":"` + w.nurseryFor(t, role) +
			`","items":[],"total":0,"month":"2026-11","status":"ordered"}`
	case "checkin_codes":
		return `{"child":"` + w.childFor(t, role) + `","nursery":"` + w.nurseryFor(t, role) + `","tokenHash":"t-` + slug + `","pinHash":"p-` + slug + `"}`
	case "staff_attendance":
		return `{"staff":"` + fx.IDs["nursery_staff"] + `","nursery":"` + w.nurseryFor(t, "nursery_staff") + `","date":"2020-01-01"}`
	case "watch_targets":
		return `{"resident":"` + w.unwatchedResident(t) + `","consentStatus":"pending","active":true}`
	case "watch_visits":
		return `{"target":"` + w.firstID(t, "watch_targets", `id != ""`) + `","status":"fine","at":"2026-11-26 00:00:00.000Z","method":"manual"}`
	case "watch_candidate_rules":
		return `{"name":"テスト条件-` + slug + `","minAge":85,"household":"any","active":false}`
	case "frailty_assessments":
		return `{"target":"` + w.firstID(t, "watch_targets", `id != ""`) + `","instrument":"kihon","assessedOn":"2026-01-01","total":0,"frailty":"robust"}`
	case "watch_escalation_steps":
		return `{"level":9,"daysOverdue":14,"notify":"city","active":true}`
	case "watch_escalations":
		return `{"target":"` + w.firstID(t, "watch_targets", `id != ""`) + `","step":"` + w.firstID(t, "watch_escalation_steps", `id != ""`) + `","dueOn":"2020-01-01"}`
	case "watch_family_consents":
		return `{"target":"` + w.firstID(t, "watch_targets", `id != ""`) + `","user":"` + fx.IDs["parent2"] + `","scope":"visits","grantedOn":"2026-11-01","evidence":"paper"}`
	case "partners":
		return `{"name":"テスト事業者 ` + slug + `","active":true}`
	case "api_keys":
		return `{"partner":"` + w.firstID(t, "partners", `id != ""`) + `","prefix":"test` + slug + `","hash":"h-` + slug + `","scopes":["facilities:read"]}`
	case "api_usage":
		return `{"apiKey":"` + w.firstID(t, "api_keys", `id != ""`) + `","partner":"` + w.firstID(t, "partners", `id != ""`) + `","day":"2026-01-01","endpoint":"GET /test","status":200,"count":1}`
	case "ngsi_subscriptions":
		return `{"partner":"` + w.firstID(t, "partners", `id != ""`) + `","url":"https://partner.example.jp/n","secret":"s-` + slug + `","status":"active","entities":[]}`
	case "ngsi_history":
		return `{"entityId":"urn:x:` + slug + `","entityType":"PointOfInterest","attr":"name","observedAt":"2026-01-01T00:00:00.000Z"}`
	case "push_subscriptions":
		return `{"owner":"` + fx.IDs[role] + `","ownerCollection":"users","endpoint":"https://push.example.com/` + slug + `","p256dh":"x","auth":"x"}`
	case "notification_preferences":
		return `{"owner":"` + fx.IDs[role] + `","ownerCollection":"users","quietStart":"21:00","quietEnd":"07:00"}`
	case "mynaportal_consents":
		return `{"user":"` + fx.IDs["parent"] + `","child":"` + w.childFor(t, role) + `","scopes":["immunizations"],"validFrom":"2026-01-01","validUntil":"2026-12-31","status":"active"}`
	case "qa_profiles":
		return `{"user":"` + fx.IDs["parent"] + `","nickname":"テスト` + slug + `","nicknameKey":"てすと` + slug + `"}`
	case "qa_threads":
		return `{"author":"` + w.firstID(t, "qa_profiles", `id != ""`) + `","title":"テスト","body":"テスト","category":"life","status":"visible"}`
	case "qa_posts":
		return `{"thread":"` + w.firstID(t, "qa_threads", `id != ""`) + `","body":"テスト","status":"visible","staffBadge":"保健師"}`
	case "qa_reports":
		return `{"thread":"` + w.firstID(t, "qa_threads", `id != ""`) + `","reporter":"` + fx.IDs["parent"] + `","category":"other"}`
	case "qa_words":
		return `{"word":"テスト語` + slug + `","action":"review","active":true}`
	case "faqs":
		return `{"question":"テスト","answer":"テスト","category":"life","published":false}`
	case "events":
		return `{"code":"T-` + slug + `","title":"テスト教室","kind":"class","startsAt":"2026-12-01 01:00:00.000Z","public":true,"published":false}`
	case "event_applications":
		return `{"event":"` + w.firstID(t, "events", `published = true`) + `","user":"` + fx.IDs[role] + `","status":"confirmed","appliedAt":"2026-01-01 00:00:00.000Z"}`
	case "partner_consents":
		return `{"user":"` + fx.IDs["parent"] + `","child":"` + w.childFor(t, role) + `","partner":"` + w.firstID(t, "partners", `id != ""`) + `","purpose":"テスト","scopes":["growth:read"],"validFrom":"2026-01-01","validUntil":"2026-12-31","grantedAt":"2026-01-01 00:00:00.000Z"}`
	case "announcements":
		return `{"title":"テストのお知らせ","body":"本文","category":"general","audience":{"all":true},"status":"draft"}`
	case "announcement_recipients":
		return `{"announcement":"` + w.firstID(t, "announcements", `id != ""`) + `","user":"` + fx.IDs["parent"] + `"}`
	case "surveys":
		return `{"title":"テストのアンケート","questions":[{"id":"q1","type":"text","label":"ご意見"}],"audience":{"all":true},"opensAt":"2026-12-01 00:00:00.000Z","closesAt":"2026-12-31 00:00:00.000Z","status":"draft"}`
	case "survey_responses":
		return `{"survey":"` + w.firstID(t, "surveys", `id != ""`) + `","user":"` + fx.IDs["parent"] + `","answers":"{}"}`
	}
	t.Fatalf("no create body for %s", collection)
	return ""
}

// unwatchedResident is a resident with no watch target yet (a target is
// unique per resident).
func (w *world) unwatchedResident(t testing.TB) string {
	var id string
	err := w.app.DB().NewQuery(`SELECT id FROM residents WHERE id NOT IN (SELECT resident FROM watch_targets) ORDER BY id LIMIT 1`).Row(&id)
	if err != nil {
		t.Fatalf("fixture has no resident without a watch target: %v", err)
	}
	return id
}

// qaReadable states who reads a Q&A thread or post: published public ones,
// the author's own, and (posts) published answers to the caller's own thread.
func (w *world) qaReadable(t testing.TB, userID string) func(r *core.Record) bool {
	mine := ""
	if p, err := w.app.FindFirstRecordByData("qa_profiles", "user", userID); err == nil && userID != "" {
		mine = p.Id
	}
	public := func(r *core.Record) bool { return r.GetString("status") == "visible" && !r.GetBool("private") }
	return func(r *core.Record) bool {
		if r.Collection().Name == "qa_threads" {
			return public(r) || (mine != "" && r.GetString("author") == mine)
		}
		thread, err := w.app.FindRecordById("qa_threads", r.GetString("thread"))
		if err != nil {
			t.Fatal(err)
		}
		visible := r.GetString("status") == "visible"
		own := mine != "" && r.GetString("author") == mine
		return (visible && public(thread)) || own || (visible && mine != "" && thread.GetString("author") == mine)
	}
}
