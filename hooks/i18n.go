package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/i18n"
)

// bindI18n serves each language's message catalogue to the pages. It is
// public: guests read the public pages in their language too.
func bindI18n(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/i18n/{lang}", serveCatalogue)
		return se.Next()
	})
}

func serveCatalogue(e *core.RequestEvent) error {
	lang := e.Request.PathValue("lang")
	if i18n.Supported(lang) != lang {
		return e.NotFoundError("この言語には対応していません。", nil)
	}
	b, err := i18n.BundleFor(lang)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Language", i18n.HTMLLang[lang])
	return serveEncodedJSON(e, b.ETag, b.JSON, b.Gzip)
}
