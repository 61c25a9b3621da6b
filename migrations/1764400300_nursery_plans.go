package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the nursery's journals, guidance plans, events schedule, nap
// sessions and nap checks (保育日誌・指導計画・行事予定・午睡チェック).
func init() {
	m.Register(collections.Sync, nil)
}
