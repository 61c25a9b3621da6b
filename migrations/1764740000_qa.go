package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the nickname Q&A (子育て相談): profiles, threads, answers, reports,
// the word list and the FAQ, and the qualification of city staff.
func init() {
	m.Register(collections.Sync, nil)
}
