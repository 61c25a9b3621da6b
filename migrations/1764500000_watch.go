package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the elderly watch-over system (高齢者見守り): watch targets and
// their visits.
func init() {
	m.Register(collections.Sync, nil)
}
