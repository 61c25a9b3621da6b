package hooks

import "github.com/pocketbase/pocketbase/core"

// bindSchedule serves the vaccination schedule routes.
func bindSchedule(app core.App) {}
