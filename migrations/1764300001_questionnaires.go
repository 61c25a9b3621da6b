package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the digital vaccination questionnaire (デジタル予診票).
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
