package hooks

import "github.com/pocketbase/pocketbase/core"

// bindFHIR serves a child's immunizations as a FHIR R4 Bundle (JP Core).
func bindFHIR(app core.App) {}
