// Package testutil builds, once per test binary, a migrated data dir holding
// a small synthetic city with the demo accounts, and clones it for each test
// app. Cloning a prepared dir is much faster than migrating per test.
package testutil

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/hooks"
	_ "github.com/saijo-dx/lifestage/migrations"
	"github.com/saijo-dx/lifestage/secevents"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/sharing"
)

// Residents is the size of the test city.
const Residents = 800

// Fixture is a prepared data dir and the demo accounts in it.
type Fixture struct {
	Dir      string
	Accounts map[string]seed.Account // by role
	Tokens   map[string]string       // auth token by role; "" for anonymous
	IDs      map[string]string       // record id by role
}

// Build migrates and seeds a fresh data dir. Call Cleanup when done.
func Build() (*Fixture, error) {
	dir, err := os.MkdirTemp("", "lifestage_fixture_*")
	if err != nil {
		return nil, err
	}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, err
	}
	defer app.ClearBootstrap()
	hooks.Register(app) // seed through the same hooks as `lifestage seed`
	if err := app.RunAllMigrations(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if _, err := commands.SeedCity(app, Residents, 7); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	accounts, err := seed.CreateDemo(app, civil.Today())
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	fx := &Fixture{Dir: dir, Accounts: map[string]seed.Account{}, Tokens: map[string]string{"anonymous": ""}, IDs: map[string]string{}}
	for _, a := range accounts {
		rec, err := app.FindAuthRecordByEmail(a.Collection, a.Email)
		if err != nil {
			return nil, err
		}
		tok, err := rec.NewAuthToken()
		if err != nil {
			return nil, err
		}
		fx.Accounts[a.Role], fx.Tokens[a.Role], fx.IDs[a.Role] = a, tok, rec.Id
	}
	if err := addHiddenFacility(app); err != nil {
		return nil, err
	}
	if err := addColleagues(app); err != nil {
		return nil, err
	}
	if _, err := secevents.Raise(app, secevents.Event{Kind: secevents.FailedLogins, Message: "テスト用の事案", Reason: "fixture"}); err != nil {
		return nil, err
	}
	return fx, nil
}

// HiddenFacilityCode names a facility that is not public, so tests can prove
// that only public facilities are listed to the public.
const HiddenFacilityCode = "test-hidden"

func addHiddenFacility(app core.App) error {
	col, err := app.FindCollectionByNameOrId("facilities")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("code", HiddenFacilityCode)
	r.Set("name", "非公開テスト施設")
	r.Set("type", "community_center")
	r.Set("public", false)
	return app.Save(r)
}

// addColleagues gives each staff kind a colleague and an outsider, so a rule
// that should show "only my nursery" or "only me" has something to hide,
// and the demo nursery a check-in kiosk (kiosk-nursery_staff@…).
func addColleagues(app core.App) error {
	nurseries, err := app.FindRecordsByFilter("facilities", `type = "nursery"`, "code", 2, 0)
	if err != nil || len(nurseries) < 2 {
		return fmt.Errorf("fixture needs two nurseries: %v", err)
	}
	clinic, err := app.FindFirstRecordByFilter("facilities", `type = "hospital"`)
	if err != nil {
		return err
	}
	org, err := app.FindFirstRecordByFilter("organizations", `kind = "npo"`)
	if err != nil {
		return err
	}
	demoNursery, err := app.FindAuthRecordByEmail("nursery_staff", "nursery_staff@"+seed.DemoEmailDomain)
	if err != nil {
		return err
	}
	other := nurseries[0].Id
	if other == demoNursery.GetString("nursery") {
		other = nurseries[1].Id
	}
	extra := []struct {
		collection, email string
		fields            map[string]any
	}{
		{"nursery_staff", "colleague", map[string]any{"nursery": demoNursery.GetString("nursery"), "role": "staff"}},
		{"nursery_staff", "outsider", map[string]any{"nursery": other, "role": "director"}},
		{"nursery_staff", "kiosk", map[string]any{"nursery": demoNursery.GetString("nursery"), "role": "kiosk"}},
		{"medical_staff", "outsider", map[string]any{"institution": clinic.Id, "role": "doctor"}},
		{"volunteers", "outsider", map[string]any{"organization": org.Id}},
		{"city_staff", "outsider", map[string]any{"department": "elderly", "role": "viewer"}},
	}
	if err := addPendingShare(app); err != nil {
		return err
	}
	if err := addFoodRecords(app); err != nil {
		return err
	}
	if err := addQuestionnaires(app); err != nil {
		return err
	}
	if err := addPregnancy(app); err != nil {
		return err
	}
	for _, x := range extra {
		col, err := app.FindCollectionByNameOrId(x.collection)
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		for k, v := range x.fields {
			r.Set(k, v)
		}
		r.Set("name", "テスト 職員")
		r.Set("active", true)
		r.SetEmail(x.email + "-" + x.collection + "@test.lifestage.example")
		r.SetPassword("long-enough-password")
		if err := app.Save(r); err != nil {
			return fmt.Errorf("%s %s: %w", x.collection, x.email, err)
		}
	}
	// The colleague and the outsider work too, so a nursery's staff see
	// their own nursery's attendance and not another's.
	return seed.StaffDays(app, civil.Today(), time.Now())
}

// addPendingShare gives parent2 an open invitation, so parent has a share to
// be kept from.
func addPendingShare(app core.App) error {
	parent2, err := app.FindAuthRecordByEmail("users", "parent2@"+seed.DemoEmailDomain)
	if err != nil {
		return err
	}
	child, err := app.FindFirstRecordByFilter("children", "guardians:each ?= {:p}", map[string]any{"p": parent2.Id})
	if err != nil {
		return err
	}
	col, err := app.FindCollectionByNameOrId("family_shares")
	if err != nil {
		return err
	}
	share := core.NewRecord(col)
	share.Set("child", child.Id)
	share.Set("grantedBy", parent2.Id)
	share.Set("scope", "manage")
	share.Set("status", "pending")
	share.Set("codeHash", sharing.HashCode(PendingShareCode))
	share.Set("expiresAt", time.Now().Add(sharing.InviteTTL))
	return app.Save(share)
}

// addFoodRecords makes sure both demo households have an allergy and a
// weaning entry, which the demo city gives only to some children.
func addFoodRecords(app core.App) error {
	for _, role := range []string{"parent", "parent2"} {
		u, err := app.FindAuthRecordByEmail("users", role+"@"+seed.DemoEmailDomain)
		if err != nil {
			return err
		}
		kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, map[string]any{"p": u.Id})
		if err != nil || len(kids) == 0 {
			return fmt.Errorf("%s has no child", role)
		}
		for name, fields := range map[string]map[string]any{
			"allergies":    {"substance": "小麦", "severity": "mild", "date": "2026-01-01"},
			"weaning_logs": {"food": "りんご", "date": "2026-01-02", "reaction": "none"},
		} {
			col, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			r := core.NewRecord(col)
			r.Set("child", kids[0].Id)
			for k, v := range fields {
				r.Set(k, v)
			}
			if err := app.Save(r); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// addQuestionnaires gives the demo clinic a submitted 予診票 from parent's
// and from parent2's youngest child, and parent a draft the clinic must not
// see.
func addQuestionnaires(app core.App) error {
	nurse, err := app.FindAuthRecordByEmail("medical_staff", "medical_staff@"+seed.DemoEmailDomain)
	if err != nil {
		return err
	}
	col, err := app.FindCollectionByNameOrId("vaccination_questionnaires")
	if err != nil {
		return err
	}
	for i, x := range []struct{ role, status string }{{"parent", "submitted"}, {"parent", "draft"}, {"parent2", "submitted"}} {
		u, err := app.FindAuthRecordByEmail("users", x.role+"@"+seed.DemoEmailDomain)
		if err != nil {
			return err
		}
		kids, err := app.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, map[string]any{"p": u.Id})
		if err != nil || len(kids) == 0 {
			return fmt.Errorf("%s has no child", x.role)
		}
		r := core.NewRecord(col)
		r.Set("child", kids[0].Id)
		r.Set("vaccine", "je1")
		r.Set("dose", 1)
		r.Set("plannedDate", civil.Today().AddDays(7).String())
		r.Set("institution", nurse.GetString("institution"))
		r.Set("status", x.status)
		r.Set("childName", kids[0].GetString("familyName")+" "+kids[0].GetString("givenName"))
		r.Set("birthDate", kids[0].GetString("birthDate"))
		r.Set("guardianName", u.GetString("name"))
		r.Set("answers", `{"unwellToday":{"yes":false}}`)
		if x.status == "submitted" {
			r.Set("submittedAt", time.Now())
			r.Set("qrToken", fmt.Sprintf("fixture-token-%d", i))
		}
		if err := app.Save(r); err != nil {
			return fmt.Errorf("questionnaire: %w", err)
		}
	}
	return nil
}

// addPregnancy gives parent2 a pregnancy (due in about five months) with one
// checkup, so the demo parent's pregnancy has a neighbour to be kept from.
func addPregnancy(app core.App) error {
	mother, err := app.FindAuthRecordByEmail("users", "parent2@"+seed.DemoEmailDomain)
	if err != nil {
		return err
	}
	col, err := app.FindCollectionByNameOrId("pregnancies")
	if err != nil {
		return err
	}
	p := core.NewRecord(col)
	p.Set("mother", mother.Id)
	p.Set("lmpDate", civil.Today().AddDays(-130).String()) // the hook fills dueDate
	p.Set("status", "ongoing")
	if err := app.Save(p); err != nil {
		return fmt.Errorf("pregnancy: %w", err)
	}
	checkups, err := app.FindCollectionByNameOrId("prenatal_checkups")
	if err != nil {
		return err
	}
	c := core.NewRecord(checkups)
	c.Set("pregnancy", p.Id) // the hook fills mother
	c.Set("date", civil.Today().AddDays(-130+7*16).String())
	c.Set("week", 16)
	c.Set("weightKg", 58.5)
	c.Set("urineProtein", "-")
	c.Set("source", "clinic")
	c.Set("status", "completed")
	if err := app.Save(c); err != nil {
		return fmt.Errorf("prenatal checkup: %w", err)
	}
	return nil
}

// PendingShareCode is the invitation code of parent2's open invitation.
const PendingShareCode = "TEST-CODE-2222"

// Cleanup removes the data dir.
func (f *Fixture) Cleanup() { os.RemoveAll(f.Dir) }

// NewApp clones the prepared dir into a test app with lifestage's hooks.
func (f *Fixture) NewApp(t testing.TB) *tests.TestApp {
	app, err := tests.NewTestApp(f.Dir)
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	return app
}

// FieldKey is the field-encryption key of every test app.
const FieldKey = "bGlmZXN0YWdlLXRlc3Qta2V5LTAxMjM0NTY3ODlhYmM="

// Main is a TestMain body: build the fixture, run the tests, clean up.
func Main(m *testing.M, fx **Fixture) int {
	if os.Getenv(hooks.FieldKeyEnv) == "" {
		os.Setenv(hooks.FieldKeyEnv, FieldKey)
	}
	built, err := Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "test fixture:", err)
		return 1
	}
	*fx = built
	defer built.Cleanup()
	defer RemoveTemplates()
	return m.Run()
}

// NewMigratedApp returns a bootstrapped, migrated app on an empty data dir
// that is removed after the test.
func NewMigratedApp(t testing.TB) *core.BaseApp { return newApp(t, false) }

// NewAppWithHooks binds lifestage's hooks before bootstrap, as `serve` does,
// so start-up hooks (settings, keys, cron jobs) run too.
func NewAppWithHooks(t testing.TB) *core.BaseApp { return newApp(t, true) }

func newApp(t testing.TB, withHooks bool) *core.BaseApp {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, migratedTemplate(t, withHooks), dir)
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if withHooks {
		hooks.Register(app)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.ClearBootstrap() })
	// Nothing left to apply; kept so a migration added later still runs.
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	return app
}

// Handler builds the app's HTTP handler with lifestage's routes, for tests
// that send several requests to one app.
func Handler(app core.App) (http.Handler, error) {
	router, err := apis.NewRouter(app)
	if err != nil {
		return nil, err
	}
	se := &core.ServeEvent{App: app, Router: router}
	if err := app.OnServe().Trigger(se, func(e *core.ServeEvent) error { return nil }); err != nil {
		return nil, err
	}
	return se.Router.BuildMux()
}
