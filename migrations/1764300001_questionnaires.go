package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the digital vaccination questionnaire (デジタル予診票).
func init() {
	m.Register(collections.Sync, nil)
}
