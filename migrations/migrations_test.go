package migrations_test

import (
	"os"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/migrations"
	"github.com/saijo-dx/lifestage/saijo"
	"github.com/saijo-dx/lifestage/testutil"
)

var fx *testutil.Fixture

func TestMain(m *testing.M) { os.Exit(testutil.Main(m, &fx)) }

func TestSecureDefaults(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	s := app.Settings()
	if !s.RateLimits.Enabled {
		t.Error("rate limiter is off")
	}
	rules := s.RateLimits.Rules
	if len(rules) == 0 || rules[0].Label != "*:auth" || rules[0].MaxRequests > 20 {
		t.Errorf("the first rate limit rule must be a strict auth rule, got %+v", rules[:1])
	}
	for i, r := range rules {
		if r.Label == "/api/" && i != len(rules)-1 {
			t.Errorf("the catch-all /api/ rule must come last (PocketBase takes the first match)")
		}
	}
	// The test app zeroes log retention on purpose; read what the migration stored.
	if migrations.RequestLogDays < 90 {
		t.Errorf("request logs kept %d days, want >= 90", migrations.RequestLogDays)
	}
	if !s.Batch.Enabled || s.Batch.MaxRequests <= 0 || s.Batch.MaxRequests > 100 || s.Batch.MaxBodySize <= 0 {
		t.Errorf("batch API must be on with limits: %+v", s.Batch)
	}
	if !s.Logs.LogIP {
		t.Error("request logs must keep the IP")
	}
}

func TestAccountPolicies(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	cases := []struct {
		collection  string
		maxToken    int64
		minPassword int
	}{
		{core.CollectionNameSuperusers, 1800, 12},
		{collections.CityStaff, 1800, 12},
		{collections.NurseryStaff, 1800, 12},
		{collections.MedicalStaff, 1800, 12},
		{collections.Volunteers, 4 * 3600, 12},
		{collections.Users, 5 * 24 * 3600, 10},
	}
	for _, c := range cases {
		col, err := app.FindCollectionByNameOrId(c.collection)
		if err != nil {
			t.Fatal(err)
		}
		if col.AuthToken.Duration > c.maxToken {
			t.Errorf("%s tokens last %ds, want <= %d", c.collection, col.AuthToken.Duration, c.maxToken)
		}
		pw, _ := col.Fields.GetByName("password").(*core.PasswordField)
		if pw == nil || pw.Min < c.minPassword {
			t.Errorf("%s password minimum is not %d", c.collection, c.minPassword)
		}
	}
}

func TestAreasAreReferenceData(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	for _, a := range saijo.All() {
		rec, err := app.FindFirstRecordByData("areas", "code", a.Code)
		if err != nil {
			t.Fatalf("area %s missing", a.Code)
		}
		if (a.Parent == "") != (rec.GetString("parent") == "") {
			t.Errorf("area %s parent link wrong", a.Code)
		}
	}
	n, _ := app.CountRecords("areas")
	if int(n) != len(saijo.All()) {
		t.Errorf("%d areas stored, want %d (the seed must reuse them)", n, len(saijo.All()))
	}
}

// TestSchemaMatchesSpecs proves the migrated database carries every field,
// index and rule of collections/, the single source of truth.
func TestSchemaMatchesSpecs(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	for _, s := range collections.All() {
		col, err := app.FindCollectionByNameOrId(s.Name)
		if err != nil {
			t.Fatalf("%s missing", s.Name)
		}
		for _, f := range s.Fields {
			got := col.Fields.GetByName(f.GetName())
			if got == nil || got.Type() != f.Type() {
				t.Errorf("%s.%s missing or of another type", s.Name, f.GetName())
			}
		}
		for _, idx := range s.Indexes {
			if col.GetIndex(idx.Name) == "" {
				t.Errorf("%s lacks index %s", s.Name, idx.Name)
			}
		}
		if !sameRule(col.ListRule, s.Rules.List) || !sameRule(col.ViewRule, s.Rules.View) ||
			!sameRule(col.CreateRule, s.Rules.Create) || !sameRule(col.UpdateRule, s.Rules.Update) || !sameRule(col.DeleteRule, s.Rules.Delete) {
			t.Errorf("%s rules differ from the spec", s.Name)
		}
	}
}

func sameRule(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
