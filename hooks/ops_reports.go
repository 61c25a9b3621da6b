package hooks

import "github.com/pocketbase/pocketbase/core"

// bindOpsReports serves the usage report to the 運用 role.
func bindOpsReports(app core.App) {}
