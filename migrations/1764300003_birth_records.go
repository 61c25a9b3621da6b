package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the birth record (出生の記録) of the electronic maternal-child
// handbook (birth_records).
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
