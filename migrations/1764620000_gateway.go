package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the partner API gateway (データ連携基盤): partners, API keys and
// metered usage.
func init() {
	m.Register(collections.Sync, nil)
}
