package commands_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/testutil"
)

type row struct {
	ID, Key, Name, Birth, Household string
}

func snapshot(t *testing.T, app core.App) []row {
	recs, err := app.FindAllRecords("residents")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]row, len(recs))
	for i, r := range recs {
		out[i] = row{r.Id, r.GetString("key"), r.GetString("familyName") + r.GetString("givenName"), r.GetString("birthDate"), r.GetString("household")}
	}
	slices.SortFunc(out, func(a, b row) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return out
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b, c := testutil.NewMigratedApp(t), testutil.NewMigratedApp(t), testutil.NewMigratedApp(t)
	for _, x := range []struct {
		app  core.App
		seed uint64
	}{{a, 5}, {b, 5}, {c, 6}} {
		stats, err := commands.SeedCity(x.app, 300, x.seed)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Residents != 300 || stats.Households == 0 || stats.Children == 0 {
			t.Fatalf("unexpected stats %s", stats)
		}
	}
	if !slices.Equal(snapshot(t, a), snapshot(t, b)) {
		t.Fatal("the same seed built different cities")
	}
	if slices.Equal(snapshot(t, a), snapshot(t, c)) {
		t.Fatal("different seeds built the same city")
	}
	if _, err := commands.SeedCity(a, 300, 5); !errors.Is(err, commands.ErrNotEmpty) {
		t.Fatalf("seeding over people must be refused, got %v", err)
	}
}

var requiredRoles = []string{"parent", "parent2", "family", "volunteer", "nursery_staff", "medical_staff",
	"city_child", "city_nursery", "city_elderly", "city_admin"}

func TestDemoLifecycle(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	accounts, err := commands.PrepareDemo(app)
	if err != nil {
		t.Fatal(err)
	}
	checkLogins(t, app, accounts)

	// demo-accounts.json has the contract shape.
	raw, err := os.ReadFile(filepath.Join(app.DataDir(), seed.AccountsFile))
	if err != nil {
		t.Fatal(err)
	}
	var file []map[string]any
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	for _, a := range file {
		for _, k := range []string{"role", "collection", "email", "password"} {
			if s, _ := a[k].(string); s == "" {
				t.Fatalf("account entry lacks %s: %v", k, a)
			}
		}
	}

	again, err := commands.PrepareDemo(app)
	if err != nil || !slices.Equal(again, accounts) {
		t.Fatalf("a restart must reuse the accounts file (%v)", err)
	}

	os.Remove(filepath.Join(app.DataDir(), seed.AccountsFile))
	reset, err := commands.PrepareDemo(app)
	if err != nil {
		t.Fatal(err)
	}
	if reset[0].Password == accounts[0].Password {
		t.Fatal("a lost accounts file must give new passwords")
	}
	checkLogins(t, app, reset)
}

func checkLogins(t *testing.T, app core.App, accounts []seed.Account) {
	t.Helper()
	byRole := map[string]seed.Account{}
	for _, a := range accounts {
		byRole[a.Role] = a
	}
	for _, role := range requiredRoles {
		a, ok := byRole[role]
		if !ok {
			t.Fatalf("no %s account", role)
		}
		rec, err := app.FindAuthRecordByEmail(a.Collection, a.Email)
		if err != nil || !rec.ValidatePassword(a.Password) {
			t.Fatalf("%s cannot log in with its password", role)
		}
	}
}

func TestDemoRefusesOtherData(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	if _, err := commands.SeedCity(app, 200, 1); err != nil {
		t.Fatal(err)
	}
	if err := seed.MarkSynthetic(app); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.PrepareDemo(app); !errors.Is(err, commands.ErrNotDemo) {
		t.Fatalf("demo on a seeded city: %v", err)
	}

	other := testutil.NewMigratedApp(t)
	col, _ := other.FindCollectionByNameOrId("users")
	u := core.NewRecord(col)
	u.SetEmail("someone@example.com")
	u.SetPassword("a-long-password")
	if err := other.Save(u); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.PrepareDemo(other); !errors.Is(err, commands.ErrNotDemo) {
		t.Fatalf("demo on unmarked data with people: %v", err)
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	if _, err := commands.PrepareDemo(app); err != nil {
		t.Fatal(err)
	}
	run := func() (string, error) {
		var out bytes.Buffer
		cmd := commands.NewAuditCommand(app)
		cmd.SetOut(&out)
		cmd.SetArgs([]string{"verify"})
		err := cmd.Execute()
		return strings.TrimSpace(out.String()), err
	}
	if out, err := run(); err != nil || out != "ok" {
		t.Fatalf("intact chain: %q %v", out, err)
	}
	var id string
	if err := app.DB().NewQuery("SELECT id FROM audit_log WHERE seq = 5").Row(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("UPDATE audit_log SET ip = '198.51.100.9' WHERE id = {:id}").Bind(dbx.Params{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
	out, err := run()
	if !errors.Is(err, commands.ErrAuditBroken) || out != id {
		t.Fatalf("tampered chain: %q %v, want %s", out, err, id)
	}
}
