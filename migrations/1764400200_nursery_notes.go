package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the nursery's notes (保育): absence notices with symptoms and
// infections, infection notices to parents, and the contact notebook.
func init() {
	m.Register(collections.Sync, nil)
}
