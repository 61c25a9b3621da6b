package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the monthly nursery invoices (invoices).
func init() {
	m.Register(collections.Sync, nil)
}
