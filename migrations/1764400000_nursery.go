package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the nursery system's core (保育): nursery settings, classes,
// enrolments, fee bases and attendance.
func init() {
	m.Register(func(app core.App) error {
		return collections.Sync(app)
	}, nil)
}
