package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds photo sales (保育・写真販売): price lists, photos and orders.
func init() {
	m.Register(collections.Sync, nil)
}
