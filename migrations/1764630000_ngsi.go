package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the NGSI-v2 interface's subscriptions and attribute history.
func init() {
	m.Register(collections.Sync, nil)
}
