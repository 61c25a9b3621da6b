package hooks

import "github.com/pocketbase/pocketbase/core"

// LoadPublicFacilities reads the search's in-memory list (benchmarks: what
// the first search after a facility write pays) and returns its length.
func LoadPublicFacilities(app core.App) (int, error) {
	list, err := loadPublicFacilities(app)
	return len(list), err
}
