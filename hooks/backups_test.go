package hooks_test

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/cron"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/backup"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

func TestBackupSettingsFromMigration(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	b := app.Settings().Backups
	if b.Cron != "0 3 * * *" || b.CronMaxKeep != 14 {
		t.Errorf("backups %q keep %d, want \"0 3 * * *\" keep 14", b.Cron, b.CronMaxKeep)
	}
	stored := storedBackups(t, app)
	if stored.Cron != "0 3 * * *" || stored.CronMaxKeep != 14 {
		t.Errorf("stored backups %+v", stored)
	}
}

// storedBackups reads the backup settings as saved in the database.
func storedBackups(t testing.TB, app core.App) (b struct {
	Cron        string         `json:"cron"`
	CronMaxKeep int            `json:"cronMaxKeep"`
	S3          map[string]any `json:"s3"`
	raw         string
}) {
	t.Helper()
	var raw string
	if err := app.DB().NewQuery("SELECT value FROM _params WHERE id = 'settings'").Row(&raw); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Backups json.RawMessage `json:"backups"`
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("settings not plain JSON: %v", err)
	}
	if err := json.Unmarshal(s.Backups, &b); err != nil {
		t.Fatal(err)
	}
	b.raw = raw
	return b
}

func TestBackupCarriesAuditHead(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	head, err := auditlog.Head(app)
	if err != nil || head.Seq == 0 {
		t.Fatalf("fixture head %+v %v", head, err)
	}
	if err := app.CreateBackup(t.Context(), "head_test.zip"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(app.DataDir(), "backups", "head_test.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(backup.HeadFile)
	if err != nil {
		t.Fatalf("no %s in the backup: %v", backup.HeadFile, err)
	}
	raw, _ := io.ReadAll(f)
	f.Close()
	h, err := backup.ParseHead(raw)
	if err != nil || h.Seq != head.Seq || h.Hash != head.Hash {
		t.Errorf("recorded %+v %v, want %+v", h, err, head)
	}
	if at, err := time.Parse(time.RFC3339, h.At); err != nil || time.Since(at) > time.Minute || !strings.HasSuffix(h.At, "+09:00") {
		t.Errorf("recorded at %q (%v)", h.At, err)
	}
	if _, err := zr.Open("data.db"); err != nil {
		t.Errorf("no data.db in the backup: %v", err)
	}
	if _, err := os.Stat(filepath.Join(app.DataDir(), backup.HeadFile)); !os.IsNotExist(err) {
		t.Errorf("%s left in the live data dir", backup.HeadFile)
	}
	if logged, err := hooks.LogAuditHead(app); err != nil || logged.Seq != head.Seq {
		t.Errorf("LogAuditHead %+v %v", logged, err)
	}
}

func TestBackupFailureAlertsOperations(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	// A file where the backups folder should be: the upload cannot happen
	// (reliable even when the tests run as root).
	backups := filepath.Join(app.DataDir(), "backups")
	if err := os.RemoveAll(backups); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(backups, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := app.CreateBackup(t.Context(), "fails.zip"); err == nil {
		t.Fatal("the backup should have failed")
	}
	ev, err := app.FindFirstRecordByFilter("security_events", "kind = 'backup_failed'")
	if err != nil {
		t.Fatalf("no security event: %v", err)
	}
	if ev.GetString("severity") != "critical" || ev.GetString("status") != "open" || !strings.Contains(ev.GetString("message"), "バックアップ") {
		t.Errorf("event %v", ev)
	}
	n, _ := app.CountRecords("notifications", dbx.HashExp{
		"recipient": fx.IDs["city_admin"], "recipientCollection": "city_staff", "kind": "security.backup_failed",
	})
	if n != 1 {
		t.Errorf("operations staff got %d notifications, want 1", n)
	}
	others, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["city_child"], "kind": "security.backup_failed"})
	if others != 0 {
		t.Errorf("non-operations staff got %d notifications", others)
	}
	// The same day's further failures do not flood the staff.
	_ = app.CreateBackup(t.Context(), "fails_again.zip")
	if n, _ := app.CountRecords("security_events", dbx.HashExp{"kind": "backup_failed"}); n != 1 {
		t.Errorf("%d events for one day's failures", n)
	}
}

func TestMissedBackupAlertsOperations(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	now := time.Now()
	if hooks.CheckBackups(app, now.Add(-72*time.Hour), now) != true {
		t.Fatal("no backup at all must be reported")
	}
	if n, _ := app.CountRecords("security_events", dbx.HashExp{"kind": "backup_failed", "severity": "critical"}); n != 1 {
		t.Errorf("%d events, want 1", n)
	}

	fresh := fx.NewApp(t)
	defer fresh.Cleanup()
	if hooks.CheckBackups(fresh, now, now) {
		t.Error("a run from before the start is not missed")
	}
	if err := fresh.CreateBackup(t.Context(), "tonight.zip"); err != nil {
		t.Fatal(err)
	}
	if hooks.CheckBackups(fresh, now.Add(-72*time.Hour), time.Now()) {
		t.Error("a fresh backup is not missed")
	}
	if n, _ := fresh.CountRecords("security_events", dbx.HashExp{"kind": "backup_failed"}); n != 0 {
		t.Errorf("%d events for a healthy night", n)
	}
}

func cronJob(app core.App, id string) string {
	for _, j := range app.Cron().Jobs() {
		if j.Id() == id {
			return j.Expression()
		}
	}
	return ""
}

func TestBackupEnvironmentOverrides(t *testing.T) {
	const secret = "very-secret-value-123"
	for k, v := range map[string]string{
		backup.EnvCron: "30 2 * * *", backup.EnvKeep: "21",
		backup.EnvS3Endpoint: "https://s3.example.jp", backup.EnvS3Bucket: "lifestage-backups", backup.EnvS3Region: "jp-west",
		backup.EnvS3AccessKey: "access-key-id", backup.EnvS3Secret: secret, backup.EnvS3ForcePathStyle: "true",
	} {
		t.Setenv(k, v)
	}
	app := testutil.NewAppWithHooks(t)
	b := app.Settings().Backups
	if b.Cron != "30 2 * * *" || b.CronMaxKeep != 21 {
		t.Errorf("in force: %q keep %d", b.Cron, b.CronMaxKeep)
	}
	if !b.S3.Enabled || b.S3.Bucket != "lifestage-backups" || b.S3.Secret != secret || !b.S3.ForcePathStyle || b.S3.Endpoint != "https://s3.example.jp" {
		t.Errorf("S3 in force: %+v", b.S3)
	}
	// PocketBase's job runs what is in force, on the Tokyo cron; lifestage's
	// own daily jobs are there too.
	if got := cronJob(app, "__pbAutoBackup__"); got != "30 2 * * *" {
		t.Errorf("auto backup job %q", got)
	}
	if cronJob(app, "lifestageAuditHead") != "5 0 * * *" || cronJob(app, "lifestageBackupCheck") == "" {
		t.Errorf("jobs: audit head %q, check %q", cronJob(app, "lifestageAuditHead"), cronJob(app, "lifestageBackupCheck"))
	}

	// The database keeps the migration's values and never the secret, also
	// after a later settings save (the dashboard's).
	checkStored := func(when string) {
		st := storedBackups(t, app)
		if st.Cron != "0 3 * * *" || st.CronMaxKeep != 14 {
			t.Errorf("%s: stored %q keep %d", when, st.Cron, st.CronMaxKeep)
		}
		if strings.Contains(st.raw, secret) || st.S3["enabled"] == true {
			t.Errorf("%s: the S3 override reached the database: %v", when, st.S3)
		}
	}
	checkStored("after migrations")
	clone, err := app.Settings().Clone()
	if err != nil {
		t.Fatal(err)
	}
	clone.Meta.AppName = "lifestage 西条市 (test)"
	if err := app.Save(clone); err != nil {
		t.Fatal(err)
	}
	checkStored("after a settings save")
	if b := app.Settings().Backups; b.Cron != "30 2 * * *" || b.S3.Secret != secret || app.Settings().Meta.AppName != "lifestage 西条市 (test)" {
		t.Errorf("after reload: %q %v %q", b.Cron, b.S3.Enabled, app.Settings().Meta.AppName)
	}
	// A deliberate change in the dashboard is saved.
	clone.Backups.Cron = "15 1 * * *"
	if err := app.Save(clone); err != nil {
		t.Fatal(err)
	}
	if st := storedBackups(t, app); st.Cron != "15 1 * * *" {
		t.Errorf("a changed schedule must be saved, stored %q", st.Cron)
	}
}

func TestInvalidBackupSettingsKeepThePolicy(t *testing.T) {
	t.Setenv(backup.EnvCron, "0 7 * * *")
	t.Setenv(backup.EnvKeep, "3")
	t.Setenv(backup.EnvS3Bucket, "only-a-bucket")
	app := testutil.NewAppWithHooks(t)
	b := app.Settings().Backups
	if b.Cron != "0 3 * * *" || b.CronMaxKeep != 14 || b.S3.Enabled {
		t.Errorf("invalid overrides applied: %q keep %d s3 %v", b.Cron, b.CronMaxKeep, b.S3.Enabled)
	}
	if cronJob(app, "__pbAutoBackup__") != "0 3 * * *" {
		t.Errorf("auto backup job %q", cronJob(app, "__pbAutoBackup__"))
	}

	// A daytime or disabled schedule saved in the dashboard is not run.
	for _, stored := range []string{"0 12 * * *", ""} {
		s, _ := app.Settings().Clone()
		s.Backups.Cron = stored
		s.Backups.CronMaxKeep = 5
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
		if b := app.Settings().Backups; b.Cron != "0 3 * * *" || b.CronMaxKeep != 14 {
			t.Errorf("stored %q: in force %q keep %d", stored, b.Cron, b.CronMaxKeep)
		}
		if got := cronJob(app, "__pbAutoBackup__"); got != "0 3 * * *" {
			t.Errorf("stored %q: auto backup job %q", stored, got)
		}
	}
}

// TestScheduleParserMatchesPocketBase keeps backup.ParseCron in step with
// the parser that runs the schedule.
func TestScheduleParserMatchesPocketBase(t *testing.T) {
	exprs := []string{
		"0 3 * * *", "@daily", "@hourly", "@weekly", "*/15 0-5 * * *", "0 1,4 * * *", "0 0-5/2 * * 1-5",
		"0 3/2 * * *", "0 5-3 * * *", "*/0 * * * *", "60 * * * *", "0  3 * * *", "0 3 * *", "a b c d e",
		"1-59/60 * * * *", "0 3 31 2 *", "0 0 1 1 0", "5,10-20/5 */6 1-31/2 * 0,6",
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, civil.Tokyo)
	for _, expr := range exprs {
		ours, ourErr := backup.ParseCron(expr)
		theirs, theirErr := cron.NewSchedule(expr)
		if (ourErr == nil) != (theirErr == nil) {
			t.Errorf("%q: ours %v, PocketBase %v", expr, ourErr, theirErr)
			continue
		}
		if ourErr != nil {
			continue
		}
		for m := 0; m < 8*24*60; m += 7 {
			tm := start.Add(time.Duration(m) * time.Minute)
			if ours.Due(tm) != theirs.IsDue(cron.NewMoment(tm)) {
				t.Errorf("%q at %s: ours %t, PocketBase %t", expr, tm, ours.Due(tm), theirs.IsDue(cron.NewMoment(tm)))
				break
			}
		}
	}
}
