package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the pregnancy part of the electronic maternal-child handbook
// (pregnancies, prenatal_checkups).
func init() {
	m.Register(collections.Sync, nil)
}
