// Package migrations applies the schema defined in collections/ and the
// settings and reference data lifestage needs. Each migration that changes
// the schema calls collections.Sync, which brings every collection in line
// with its spec.
package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

func init() {
	m.Register(collections.Sync, nil)
}
