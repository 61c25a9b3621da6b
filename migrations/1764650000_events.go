package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the public events (events): the base of イベント一覧 and the NGSI Event type.
func init() {
	m.Register(collections.Sync, nil)
}
