package hooks

import "github.com/pocketbase/pocketbase/core"

// onRecordChange runs fn after every committed create, update or delete of
// the named collections: the in-memory caches (gateway keys, NGSI
// snapshots) go stale on any write, whichever kind it is.
func onRecordChange(app core.App, fn func(*core.RecordEvent) error, names ...string) {
	for _, name := range names {
		app.OnRecordAfterCreateSuccess(name).BindFunc(fn)
		app.OnRecordAfterUpdateSuccess(name).BindFunc(fn)
		app.OnRecordAfterDeleteSuccess(name).BindFunc(fn)
	}
}
