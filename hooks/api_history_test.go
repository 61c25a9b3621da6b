package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

type historyAnswer struct {
	Items []struct {
		Collection string `json:"collection"`
		RecordID   string `json:"recordId"`
		ChildID    string `json:"childId"`
		ChildName  string `json:"childName"`
		Title      string `json:"title"`
		Date       string `json:"date"`
		CreatedAt  string `json:"createdAt"`
		Source     string `json:"source"`
	} `json:"items"`
	PerPage    int    `json:"perPage"`
	NextCursor string `json:"nextCursor"`
}

// childHistoryCollections hold records about a child; the mother's own are
// pregnancies and prenatal_checkups.
var childHistoryCollections = []string{"birth_records", "growth_measurements", "immunizations", "infant_checkups",
	"allergies", "weaning_logs", "vaccination_questionnaires"}

// expectedHistory states, apart from the route, which records a citizen's
// history holds: every record about a child they are guardian of or share,
// and their own pregnancy records.
func expectedHistory(t testing.TB, app core.App, role string) map[string]bool {
	me := fx.IDs[role]
	kids, err := app.FindRecordsByFilter("children", "guardians ~ {:m} || familyViewers ~ {:m} || familyManagers ~ {:m}", "", 0, 0, dbx.Params{"m": me})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]any, len(kids))
	for i, k := range kids {
		ids[i] = k.Id
	}
	want := map[string]bool{}
	add := func(recs []*core.Record, err error) {
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			want[r.Id] = true
		}
	}
	if len(ids) > 0 {
		for _, c := range childHistoryCollections {
			add(app.FindAllRecords(c, dbx.In("child", ids...)))
		}
	}
	for _, c := range []string{"pregnancies", "prenatal_checkups"} {
		add(app.FindAllRecords(c, dbx.HashExp{"mother": me}))
	}
	return want
}

// readHistory follows the cursor through every page.
func readHistory(t *testing.T, role string, perPage int) (historyAnswer, int) {
	t.Helper()
	_, h := handlerFor(t)
	var all historyAnswer
	pages, cursor := 0, ""
	for {
		u := "/api/lifestage/me/history?perPage=" + itoa(perPage)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		r := call(h, "GET", u, fx.Tokens[role], "")
		expect(t, "history page", r, 200, `"items":[`)
		var page historyAnswer
		if err := json.Unmarshal([]byte(r.Body), &page); err != nil {
			t.Fatal(err)
		}
		pages++
		all.Items = append(all.Items, page.Items...)
		if len(page.Items) > perPage {
			t.Fatalf("page of %d items, perPage %d", len(page.Items), perPage)
		}
		if cursor = page.NextCursor; cursor == "" || pages > 100 {
			return all, pages
		}
	}
}

func TestHistoryHoldsWhatTheFamilyMayRead(t *testing.T) {
	app := fx.NewApp(t)
	wants := map[string]map[string]bool{}
	for _, role := range []string{"parent", "parent2", "grandparent"} {
		wants[role] = expectedHistory(t, app, role)
	}
	shared := sharedChild(t, app)
	app.Cleanup()

	for role, want := range wants {
		t.Run(role, func(t *testing.T) {
			got, pages := readHistory(t, role, 50)
			seen := map[string]bool{}
			for i, it := range got.Items {
				if seen[it.RecordID] {
					t.Errorf("%s %s listed twice", it.Collection, it.RecordID)
				}
				seen[it.RecordID] = true
				if !want[it.RecordID] {
					t.Errorf("%s sees %s %s, which is not theirs", role, it.Collection, it.RecordID)
				}
				if i > 0 && it.CreatedAt > got.Items[i-1].CreatedAt {
					t.Errorf("not newest first at %d: %s after %s", i, it.CreatedAt, got.Items[i-1].CreatedAt)
				}
				if it.Title == "" || it.CreatedAt == "" {
					t.Errorf("item without title or time: %+v", it)
				}
			}
			if len(seen) != len(want) {
				t.Errorf("%s: %d records in %d pages, want %d", role, len(seen), pages, len(want))
			}
			if role == "parent" && pages < 2 {
				t.Errorf("the parent's history fits one page of 50 (%d records); the cursor is untested", len(want))
			}
			if role == "grandparent" {
				for _, it := range got.Items {
					if it.ChildID != shared.Id {
						t.Errorf("the grandparent sees %s of another child", it.Collection)
					}
				}
			}
		})
	}
	// Nothing of the demo parent's family reaches the other household.
	for id := range wants["parent"] {
		if wants["parent2"][id] {
			t.Fatalf("the fixture gives %s to both households", id)
		}
	}
}

func TestHistoryShowsEveryKindOfEntry(t *testing.T) {
	got, _ := readHistory(t, "parent", 50)
	kinds := map[string]bool{}
	for _, it := range got.Items {
		kinds[it.Collection] = true
		if it.Collection != "pregnancies" && it.Collection != "prenatal_checkups" && (it.ChildID == "" || it.ChildName == "") {
			t.Errorf("%s %s names no child", it.Collection, it.RecordID)
		}
	}
	for _, c := range append(slices.Clone(childHistoryCollections), "pregnancies", "prenatal_checkups") {
		if !kinds[c] {
			t.Errorf("the demo parent's history has no %s", c)
		}
	}
}

func TestHistoryAccess(t *testing.T) {
	const u = "/api/lifestage/me/history"
	scenarios := []tests.ApiScenario{
		{
			Name: "a page of the parent's history", Method: http.MethodGet, URL: u + "?perPage=5", Headers: auth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[`, `"perPage":5`, `"nextCursor":"`},
			NotExpectedContent: []string{`"nextCursor":""`, `"totalItems"`},
		},
		{
			Name: "anonymous gets 401", Method: http.MethodGet, URL: u,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "子育て staff use their own screens", Method: http.MethodGet, URL: u, Headers: auth("city_child"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: []string{`"items"`},
		},
		{
			Name: "clinic staff have no family history", Method: http.MethodGet, URL: u, Headers: auth("medical_staff"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: []string{`"items"`},
		},
		{
			Name: "a forged cursor", Method: http.MethodGet, URL: u + "?cursor=bm90LWEtY3Vyc29y", Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"cursor":{"code":"invalid_cursor"`},
		},
		{
			Name: "perPage out of range", Method: http.MethodGet, URL: u + "?perPage=500", Headers: auth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"perPage":{"code":"invalid_per_page"`},
		},
		{
			Name: "someone with no family has an empty history", Method: http.MethodGet, URL: u, Headers: auth("family"),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`, `"nextCursor":""`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}
