package hooks

import (
	"io/fs"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// ServePages serves the pages (pb_public) after every API route. main passes
// the copy embedded in the binary; browser tests pass the working tree.
func ServePages(app core.App, pages fs.FS) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Priority: 999,
		Func: func(se *core.ServeEvent) error {
			if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
				se.Router.GET("/{path...}", apis.Static(pages, false))
			}
			return se.Next()
		},
	})
}
