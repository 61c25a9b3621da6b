package hooks

import "github.com/pocketbase/pocketbase/core"

// bindGrowth serves the growth assessment routes.
func bindGrowth(app core.App) {}
