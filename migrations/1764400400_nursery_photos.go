package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds photo sales (保育・写真販売): price lists, photos and orders.
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
