package hooks

import "github.com/pocketbase/pocketbase/core"

// RebuildNGSI rebuilds one type's snapshot now (benchmarks).
func RebuildNGSI(app core.App, typ string) error {
	st := ngsiOf(app)
	st.mu.Lock()
	st.dirty[typ] = true
	st.mu.Unlock()
	_, err := st.snapshot(typ)
	return err
}
