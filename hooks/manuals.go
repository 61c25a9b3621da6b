package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/docs"
)

// bindManuals serves the online manuals (docs/manuals) that the page
// /manuals/ shows. Everyone may read the user manuals and FAQs; only staff
// read the administrator manuals (spec §5(2)ア).
func bindManuals(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/manuals", listManuals)
		se.Router.GET("/api/lifestage/manuals/{system}/{kind}", viewManual)
		return se.Next()
	})
}

type manualItem struct {
	System      string `json:"system"`
	SystemLabel string `json:"systemLabel"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kindLabel"`
	Title       string `json:"title"`
}

// canReadAdminManuals: staff of the city and its partners, and the system
// administrators who create the first operations account.
func canReadAdminManuals(auth *core.Record) bool {
	return isStaff(auth) || (auth != nil && auth.IsSuperuser())
}

// listManuals lists the manuals the caller may read.
func listManuals(e *core.RequestEvent) error {
	all, err := docs.Library()
	if err != nil {
		return e.InternalServerError("", err)
	}
	staff := canReadAdminManuals(e.Auth)
	items := make([]manualItem, 0, len(all))
	for _, m := range all {
		if m.StaffOnly() && !staff {
			continue
		}
		items = append(items, manualItem{m.System, m.SystemLabel, m.Kind, m.KindLabel, m.Title})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// viewManual returns one manual as HTML rendered on the server. goldmark
// drops raw HTML, so the page may insert it as is.
func viewManual(e *core.RequestEvent) error {
	m, ok, err := docs.Find(e.Request.PathValue("system"), e.Request.PathValue("kind"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return e.NotFoundError("マニュアルが見つかりません。", nil)
	}
	if m.StaffOnly() && !canReadAdminManuals(e.Auth) {
		if e.Auth == nil {
			return e.UnauthorizedError("管理者マニュアルを読むには、職員のアカウントでログインしてください。", nil)
		}
		return e.ForbiddenError("管理者マニュアルは職員の方だけが読めます。", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"system":      m.System,
		"systemLabel": m.SystemLabel,
		"kind":        m.Kind,
		"kindLabel":   m.KindLabel,
		"title":       m.Title,
		"html":        m.HTML,
	})
}
