package commands_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/testutil"
)

func setCreated(t *testing.T, app core.App, table, id, at string) {
	t.Helper()
	q := app.DB().Update(table, dbx.Params{"created": at}, dbx.HashExp{"id": id})
	if id == "" {
		q = app.DB().Update(table, dbx.Params{"created": at}, nil)
	}
	if _, err := q.Execute(); err != nil {
		t.Fatal(err)
	}
}

func demoID(t *testing.T, app core.App, collection, role string) string {
	t.Helper()
	r, err := app.FindAuthRecordByEmail(collection, role+"@"+seed.DemoEmailDomain)
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// guardiansBefore counts, the slow and obvious way, the citizens who are
// guardians of a child and existed with it before the cutoff.
func guardiansBefore(t *testing.T, app core.App, cutoff time.Time) int {
	t.Helper()
	children, err := app.FindAllRecords("children")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range children {
		if !c.GetDateTime("created").Time().Before(cutoff) {
			continue
		}
		for _, g := range c.GetStringSlice("guardians") {
			u, err := app.FindRecordById("users", g)
			if err == nil && u.GetDateTime("created").Time().Before(cutoff) {
				seen[g] = true
			}
		}
	}
	return len(seen)
}

// TestUsersReport backdates a small city to February 2025 and moves a few
// accounts across the month boundaries (in Tokyo) to check each count.
func TestUsersReport(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	if _, err := commands.SeedCity(app, 200, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.CreateDemo(app, civil.Today()); err != nil {
		t.Fatal(err)
	}
	const feb = "2025-02-10 00:00:00.000Z"
	for _, table := range []string{"users", "children", "family_shares", "city_staff", "nursery_staff", "medical_staff", "volunteers"} {
		setCreated(t, app, table, "", feb)
	}
	// Synthetic residents only: the demo grandparent must stay in February.
	users, err := app.FindRecordsByFilter("users", "email ~ {:d}", "id", 3, 0, dbx.Params{"d": seed.SyntheticEmailDomain})
	if err != nil || len(users) < 3 {
		t.Fatal("need three users", err)
	}
	setCreated(t, app, "users", users[0].Id, "2025-03-31 14:59:59.999Z") // 23:59:59.999 on March 31 in Tokyo: March
	setCreated(t, app, "users", users[1].Id, "2025-03-31 15:00:00.000Z") // April 1 in Tokyo: not yet
	setCreated(t, app, "users", users[2].Id, "2025-02-28 15:00:00.000Z") // March 1 in Tokyo: March, not February
	setCreated(t, app, "city_staff", demoID(t, app, "city_staff", "city_admin"), "2025-03-05 00:00:00.000Z")
	if _, err := app.DB().Update("city_staff", dbx.Params{"active": false}, dbx.HashExp{"id": demoID(t, app, "city_staff", "city_elderly")}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().Update("family_shares", dbx.Params{"acceptedAt": "2025-03-10 00:00:00.000Z"}, dbx.HashExp{"member": demoID(t, app, "users", "grandparent")}).Execute(); err != nil {
		t.Fatal(err)
	}
	totalUsers, _ := app.CountRecords("users")

	out := filepath.Join(t.TempDir(), "report.xlsx")
	cmd := commands.NewReportCommand(app)
	var stdout bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetArgs([]string{"users", "--month", "2025-03", "--out", out})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "利用者数報告 2025年3月") {
		t.Errorf("output: %s", stdout.String())
	}

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"利用者数"}) {
		t.Fatalf("sheets %v", got)
	}
	// Raw values: the 増減 column's "+" is a number format.
	rows, err := f.GetRows("利用者数", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "利用者数報告 2025年3月" || !slices.Equal(rows[2], []string{"区分", "当月末", "前月末", "増減"}) {
		t.Fatalf("title/header: %v / %v", rows[0], rows[2])
	}
	if !strings.HasPrefix(rows[len(rows)-1][0], "作成日時: ") {
		t.Errorf("no generated-at line: %v", rows[len(rows)-1])
	}
	byLabel := map[string][]string{}
	for _, r := range rows[3:] {
		if len(r) == 4 {
			byLabel[r[0]] = r[1:]
		}
	}
	m, _ := reports.ParseMonth("2025-03")
	g := func(cut time.Time) string { return itoa(guardiansBefore(t, app, cut)) }
	want := map[string][]string{
		reports.UsageUsers:         {itoa(int(totalUsers) - 1), itoa(int(totalUsers) - 3), "2"},
		reports.UsageGuardians:     {g(m.Cutoff()), g(m.Prev().Cutoff())},
		reports.UsageFamily:        {"1", "0", "1"},
		"city_staff":               {"3", "2", "1"}, // admin joins in March, elderly is disabled
		"city_staff.ops.manager":   {"1", "0", "1"},
		"city_staff.elderly.staff": {"0", "0", "0"},
		"city_staff.child.staff":   {"1", "1", "0"},
		"nursery_staff":            {"3", "3", "0"}, // the demo account and the two demo nurseries' directors
		"nursery_staff.staff":      {"1", "1", "0"},
		"nursery_staff.director":   {"2", "2", "0"},
		"medical_staff.nurse":      {"1", "1", "0"},
		"medical_staff.doctor":     {"0", "0", "0"},
		"volunteers":               {"2", "2", "0"}, // the demo volunteer and the colleague with the other watch targets
	}
	labels := map[string]string{}
	for _, c := range reports.UsageCategories() {
		labels[c.Key] = c.Label
	}
	for key, w := range want {
		got, ok := byLabel[labels[key]]
		if !ok {
			t.Errorf("no line for %s (%s)", key, labels[key])
			continue
		}
		if !slices.Equal(got[:len(w)], w) {
			t.Errorf("%s: got %v, want %v", key, got, w)
		}
	}

	// The same counts through the JSON payload.
	r, err := reports.UsersReport(app, m, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := r.Payload()
	if p.Month != "2025-03" || len(p.Rows) != len(reports.UsageCategories()) {
		t.Errorf("payload %+v", p)
	}

	for _, bad := range []string{"2025-13", "2025/03", "3000-01"} {
		cmd := commands.NewReportCommand(app)
		cmd.SetArgs([]string{"users", "--month", bad, "--out", out})
		cmd.SetErr(&bytes.Buffer{})
		if err := cmd.Execute(); err == nil {
			t.Errorf("--month %s accepted", bad)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
