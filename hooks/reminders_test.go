package hooks_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

func TestRemindersReachGuardiansOnce(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	today := civil.Today()
	sent, err := hooks.RunReminders(app, today)
	if err != nil || sent == 0 {
		t.Fatalf("first run sent %d (%v), want some", sent, err)
	}
	if again, err := hooks.RunReminders(app, today); err != nil || again != 0 {
		t.Fatalf("second run sent %d (%v), want 0", again, err)
	}
	// Make the first run look like yesterday's: notify.Send alone would send
	// them again today, the job must not.
	if _, err := app.DB().NewQuery("UPDATE notifications SET day = {:d} WHERE kind LIKE 'child.%'").
		Bind(dbx.Params{"d": today.AddDays(-1).String()}).Execute(); err != nil {
		t.Fatal(err)
	}
	if next, err := hooks.RunReminders(app, today); err != nil || next != 0 {
		t.Fatalf("a run on a later day repeated %d reminders (%v)", next, err)
	}

	recs, err := app.FindRecordsByFilter("notifications", "kind ~ 'child.%'", "", 0, 0)
	if err != nil || len(recs) != sent {
		t.Fatalf("%d stored for %d sent (%v)", len(recs), sent, err)
	}
	kinds := map[string]int{}
	for _, n := range recs {
		kinds[n.GetString("kind")]++
		if n.GetString("recipientCollection") != "users" || n.GetString("link") != "/me/" || n.GetString("title") == "" {
			t.Fatalf("bad notification %v", n.PublicExport())
		}
		parts := strings.Split(n.GetString("reason"), ":")
		if len(parts) != 4 || "child."+parts[3] != n.GetString("kind") {
			t.Fatalf("reason %q for kind %q", n.GetString("reason"), n.GetString("kind"))
		}
		child, err := app.FindRecordById("children", parts[0])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(child.GetStringSlice("guardians"), n.GetString("recipient")) {
			t.Fatalf("%s is not a guardian of %s", n.GetString("recipient"), child.Id)
		}
	}
	if kinds["child.vaccine_overdue"] == 0 {
		t.Errorf("no overdue vaccine reminders in a city with partial histories: %v", kinds)
	}
	t.Logf("sent %d: %v", sent, kinds)

	var dups int
	if err := app.DB().NewQuery(`SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE kind LIKE 'child.%'
		GROUP BY recipient, kind, reason HAVING COUNT(*) > 1)`).Row(&dups); err != nil || dups != 0 {
		t.Fatalf("%d duplicated reminders (%v)", dups, err)
	}
}

// A family member with view scope is never reminded; the guardians are.
func TestRemindersSkipViewSharedFamily(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	today := civil.Today()
	if _, err := hooks.RunReminders(app, today); err != nil {
		t.Fatal(err)
	}
	// Share a child who has reminders with someone who is not a guardian,
	// then forget what was sent and run again.
	first, err := app.FindFirstRecordByFilter("notifications", "kind ~ 'child.%'")
	if err != nil {
		t.Fatal(err)
	}
	child, err := app.FindRecordById("children", strings.Split(first.GetString("reason"), ":")[0])
	if err != nil {
		t.Fatal(err)
	}
	viewer := fx.IDs["parent2"]
	if slices.Contains(child.GetStringSlice("guardians"), viewer) {
		viewer = fx.IDs["parent"]
	}
	child.Set("familyViewers", []string{viewer})
	if err := app.Save(child); err != nil {
		t.Fatal(err)
	}
	if saved, _ := app.FindRecordById("children", child.Id); saved == nil || !slices.Contains(saved.GetStringSlice("familyViewers"), viewer) {
		t.Fatal("the share was not stored")
	}
	if _, err := app.DB().NewQuery("DELETE FROM notifications WHERE kind LIKE 'child.%'").Execute(); err != nil {
		t.Fatal(err)
	}
	if sent, err := hooks.RunReminders(app, today); err != nil || sent == 0 {
		t.Fatalf("sent %d (%v)", sent, err)
	}
	about := func(r string) int64 {
		n, _ := app.CountRecords("notifications", dbx.NewExp("recipient = {:r} AND kind LIKE 'child.%' AND reason LIKE {:c}",
			dbx.Params{"r": r, "c": child.Id + ":%"}))
		return n
	}
	if n := about(viewer); n != 0 {
		t.Fatalf("the view-shared family member got %d reminders", n)
	}
	for _, g := range child.GetStringSlice("guardians") {
		if about(g) == 0 {
			t.Fatalf("guardian %s got no reminder", g)
		}
	}
}

func TestReminderDaysFromEnv(t *testing.T) {
	for v, want := range map[string]int{"": 7, "abc": 7, "0": 7, "61": 7, "-3": 7, "1": 1, "14": 14, "60": 60} {
		t.Setenv(hooks.ReminderDaysEnv, v)
		if got := hooks.ReminderDays(); got != want {
			t.Errorf("%q: %d, want %d", v, got, want)
		}
	}
}

func TestRemindersCronJob(t *testing.T) {
	app := testutil.NewAppWithHooks(t)
	if got := cronJob(app, "lifestageReminders"); got != "0 9 * * *" {
		t.Fatalf("cron %q", got)
	}
}
