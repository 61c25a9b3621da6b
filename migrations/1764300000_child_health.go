package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the electronic maternal-child handbook's child records.
func init() {
	m.Register(collections.Sync, nil)
}
