package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the birth record (出生の記録) of the electronic maternal-child
// handbook (birth_records).
func init() {
	m.Register(collections.Sync, nil)
}
