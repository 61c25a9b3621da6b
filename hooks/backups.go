package hooks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/backup"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/secevents"
)

// PocketBase schedules its automatic backups (Settings.Backups.Cron, job
// "__pbAutoBackup__") on app.Cron(), so they run in the cron's time zone,
// which lifestage sets to Tokyo. Its own failure report is only a log line
// and an email to superusers; lifestage adds a security event for the
// operations staff and a morning check that the night's backup exists.
const (
	backupHookID        = "lifestageBackup"
	auditHeadJobID      = "lifestageAuditHead"
	auditHeadSchedule   = "5 0 * * *" // 00:05 Tokyo
	backupCheckJobID    = "lifestageBackupCheck"
	backupCheckSchedule = "30 6 * * *" // 06:30 Tokyo, after the night window
	// backupGrace leaves a run time to finish before it is looked for.
	backupGrace = 30 * time.Minute
	paramsTable = "_params"
)

func bindBackups(app core.App) {
	o := &backupOverrides{}
	// Settings are (re)loaded at bootstrap, after every settings save and
	// when another process changes them; each load replaces the in-memory
	// values, so the overrides are applied again every time. PocketBase's
	// own reload hook runs outside this one and reschedules its backup job
	// with the values set here.
	app.OnSettingsReload().BindFunc(func(e *core.SettingsReloadEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		o.apply(e.App)
		return nil
	})
	app.OnModelCreate(paramsTable).BindFunc(o.keepOutOfDB)
	app.OnModelUpdate(paramsTable).BindFunc(o.keepOutOfDB)

	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		a, started := e.App, time.Now()
		// Also set in Register; repeated here because the night window
		// depends on it.
		a.Cron().SetTimezone(civil.Tokyo)
		if err := a.Cron().Add(auditHeadJobID, auditHeadSchedule, func() {
			if _, err := LogAuditHead(a); err != nil {
				a.Logger().Error("audit chain head not logged", "error", err.Error())
			}
		}); err != nil {
			return err
		}
		if err := a.Cron().Add(backupCheckJobID, backupCheckSchedule, func() { CheckBackups(a, started, time.Now()) }); err != nil {
			return err
		}
		b := a.Settings().Backups
		a.Logger().Info("backup schedule (Asia/Tokyo)", "cron", b.Cron, "keep", b.CronMaxKeep,
			"s3", b.S3.Enabled, "bucket", b.S3.Bucket, "endpoint", b.S3.Endpoint)
		return nil
	})

	// Outermost, so that it sees every failure, its own included.
	app.OnBackupCreate().Bind(&hook.Handler[*core.BackupEvent]{Id: backupHookID, Priority: -100, Func: recordHeadAndAlert})
}

// recordHeadAndAlert puts the audit chain head into the data dir for the
// zip to carry, and raises a security event when the backup fails.
func recordHeadAndAlert(e *core.BackupEvent) error {
	path := filepath.Join(e.App.DataDir(), backup.HeadFile)
	if err := writeAuditHead(e.App, path, e.Name); err != nil {
		// A backup without the head is still worth more than no backup;
		// restore-test reports the missing file.
		e.App.Logger().Error("audit chain head not recorded in backup", "backup", e.Name, "error", err.Error())
	}
	defer os.Remove(path)
	err := e.Next()
	if err != nil {
		alertBackupFailure(e.App, secevents.Event{
			Message: "バックアップの作成に失敗しました",
			Details: map[string]any{"backup": e.Name, "error": err.Error()},
		})
	}
	return err
}

func writeAuditHead(app core.App, path, name string) error {
	h, err := LogAuditHead(app, "backup", name)
	if err != nil {
		return err
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// LogAuditHead writes the audit chain head into the app log (kept with the
// request logs) and returns it.
func LogAuditHead(app core.App, attrs ...any) (backup.Head, error) {
	head, err := auditlog.Head(app)
	if err != nil {
		return backup.Head{}, err
	}
	h := backup.Head{Seq: head.Seq, Hash: head.Hash, At: time.Now().In(civil.Tokyo).Format(time.RFC3339)}
	app.Logger().Info("audit chain head", append([]any{"seq", h.Seq, "hash", h.Hash}, attrs...)...)
	return h, nil
}

func alertBackupFailure(app core.App, ev secevents.Event) {
	ev.Kind, ev.Critical = secevents.BackupFailed, true
	// One event a day at most while it stays open.
	ev.Reason = "backup:" + civil.Today().String()
	app.Logger().Error("backup failed", "message", ev.Message, "details", ev.Details)
	if _, err := secevents.Raise(app, ev); err != nil {
		app.Logger().Error("security event not raised", "error", err.Error())
	}
}

// CheckBackups raises a security event when the last scheduled automatic
// backup is missing: a failure PocketBase reports only in its log (another
// backup running, the scheduler not firing) still reaches the operations
// staff. runningSince is when the scheduler started; earlier runs are not
// looked for. It reports whether it raised an alert.
func CheckBackups(app core.App, runningSince, now time.Time) bool {
	expr := app.Settings().Backups.Cron
	sched, err := backup.ParseCron(expr)
	if err != nil {
		alertBackupFailure(app, secevents.Event{
			Message: "自動バックアップが設定されていません",
			Details: map[string]any{"cron": expr, "error": err.Error()},
		})
		return true
	}
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		alertBackupFailure(app, secevents.Event{Message: "バックアップの保存先を開けません", Details: map[string]any{"error": err.Error()}})
		return true
	}
	defer fsys.Close()
	files, err := fsys.List("")
	if err != nil {
		alertBackupFailure(app, secevents.Event{Message: "バックアップの一覧を取得できません", Details: map[string]any{"error": err.Error()}})
		return true
	}
	var newest time.Time
	for _, f := range files {
		if f.ModTime.After(newest) {
			newest = f.ModTime
		}
	}
	missed, due := backup.Missed(sched, newest, runningSince, now, backupGrace, civil.Tokyo)
	if !missed {
		return false
	}
	details := map[string]any{"due": due.Format(time.RFC3339), "cron": expr}
	if !newest.IsZero() {
		details["newest"] = newest.In(civil.Tokyo).Format(time.RFC3339)
	}
	alertBackupFailure(app, secevents.Event{
		Message: fmt.Sprintf("%s の自動バックアップが作成されていません", due.Format("01/02 15:04")),
		Details: details,
	})
	return true
}

// backupOverrides applies LIFESTAGE_BACKUP_* and the backup policy to the
// in-memory settings, and keeps them out of the database: the S3 secret
// must not sit in data.db (and so in every backup), and removing a variable
// must bring the stored value back.
type backupOverrides struct {
	mu        sync.Mutex
	stored    core.BackupsConfig // as loaded, before overrides
	effective core.BackupsConfig
	env       backup.Env
}

func (o *backupOverrides) apply(app core.App) {
	env, envErr := backup.FromEnv(os.Getenv)
	if envErr != nil {
		app.Logger().Error("invalid LIFESTAGE_BACKUP_* settings ignored", "error", envErr.Error())
	}
	s := app.Settings()
	stored := s.Backups
	eff := stored
	if env.Cron != "" {
		eff.Cron = env.Cron
	}
	if env.Keep != 0 {
		eff.CronMaxKeep = env.Keep
	}
	if env.S3 != nil {
		eff.S3 = core.S3Config{Enabled: true, Endpoint: env.S3.Endpoint, Bucket: env.S3.Bucket, Region: env.S3.Region,
			AccessKey: env.S3.AccessKey, Secret: env.S3.Secret, ForcePathStyle: env.S3.ForcePathStyle}
	}
	// The policy holds whatever was stored (a dashboard edit included):
	// daily, in the night, at least 14 generations.
	if err := backup.ValidateSchedule(eff.Cron); err != nil {
		app.Logger().Error("backup schedule breaks the policy; using the default", "cron", eff.Cron, "default", backup.DefaultCron, "error", err.Error())
		eff.Cron = backup.DefaultCron
	}
	if err := backup.ValidateKeep(eff.CronMaxKeep); err != nil {
		app.Logger().Error("backup generations below the policy; using the default", "keep", eff.CronMaxKeep, "default", backup.DefaultKeep)
		eff.CronMaxKeep = backup.DefaultKeep
	}
	if err := eff.Validate(); err != nil {
		app.Logger().Error("backup S3 settings invalid; keeping the stored target", "error", err.Error())
		eff.S3 = stored.S3
	}
	o.mu.Lock()
	o.stored, o.effective, o.env = stored, eff, env
	o.mu.Unlock()
	s.Backups = eff
}

// keepOutOfDB runs before a settings save: values that came from the
// environment are saved as they were stored, unless the save changed them.
func (o *backupOverrides) keepOutOfDB(e *core.ModelEvent) error {
	s, ok := e.Model.(*core.Settings)
	if !ok {
		return e.Next()
	}
	o.mu.Lock()
	stored, eff, env := o.stored, o.effective, o.env
	o.mu.Unlock()
	saved := s.Backups
	persist := saved
	if env.Cron != "" && saved.Cron == eff.Cron && backup.ValidateSchedule(stored.Cron) == nil {
		persist.Cron = stored.Cron
	}
	if env.Keep != 0 && saved.CronMaxKeep == eff.CronMaxKeep && backup.ValidateKeep(stored.CronMaxKeep) == nil {
		persist.CronMaxKeep = stored.CronMaxKeep
	}
	if env.S3 != nil && saved.S3 == eff.S3 {
		persist.S3 = stored.S3
		// A settings load keeps an in-memory secret that the stored JSON
		// lacks, so the "stored" copy can still hold the variable's.
		if persist.S3.Secret == env.S3.Secret {
			persist.S3.Secret = ""
		}
	}
	if persist == saved {
		return e.Next()
	}
	s.Backups = persist
	defer func() { s.Backups = saved }()
	return e.Next()
}
