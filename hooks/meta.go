package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/seed"
)

func bindMeta(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Pages show a demo banner from this, so nobody mistakes synthetic
		// people for real ones.
		se.Router.GET("/api/lifestage/meta", func(e *core.RequestEvent) error {
			kind, err := seed.Kind(e.App)
			if err != nil {
				return e.InternalServerError("", err)
			}
			return e.JSON(http.StatusOK, map[string]any{
				"app":     "lifestage",
				"city":    "西条市",
				"demo":    kind == seed.KindDemo,
				"dataset": kind,
			})
		})
		return se.Next()
	})
}
