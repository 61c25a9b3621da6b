package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the operations layer's collections (audit log, security events) and
// the fields privileged-account controls need.
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
