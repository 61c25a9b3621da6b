// Package migrations applies the schema defined in collections/ and the
// settings and reference data lifestage needs. Each migration that changes
// the schema calls collections.Sync, which brings every collection in line
// with its spec.
package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
