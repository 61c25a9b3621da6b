package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds online applications to events (issue 8): the application settings
// of events and the event_applications collection.
func init() {
	m.Register(collections.Sync, nil)
}
