package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/backup"
)

// Daily automatic backups at 03:00 Japan time, 14 generations kept (spec
// §5(6)オ, 別紙1 1(3)). PocketBase runs Backups.Cron on app.Cron(), which
// lifestage sets to Asia/Tokyo at bootstrap. LIFESTAGE_BACKUP_* environment
// variables may override these at start (hooks/backups.go).
func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.Backups.Cron = backup.DefaultCron
		s.Backups.CronMaxKeep = backup.DefaultKeep
		return app.Save(s)
	}, nil)
}
