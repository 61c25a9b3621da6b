package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the nursery system's core (保育): nursery settings, classes,
// enrolments, fee bases and attendance.
func init() {
	m.Register(collections.Sync, nil)
}
