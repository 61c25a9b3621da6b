package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds targeted announcements and surveys (子育て): announcements, their
// recipients with read receipts, surveys and one response per resident.
func init() {
	m.Register(collections.Sync, nil)
}
