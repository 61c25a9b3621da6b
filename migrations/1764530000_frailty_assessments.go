package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the recorded frailty screenings of watch targets
// (frailty_assessments).
func init() {
	m.Register(collections.Sync, nil)
}
