package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the consent broker (partner_consents): residents' grants to partners.
func init() {
	m.Register(collections.Sync, nil)
}
