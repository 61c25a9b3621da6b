package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the citizen's language (画面と通知の言語) to users.
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
