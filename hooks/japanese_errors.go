package hooks

import (
	"errors"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// PocketBase ends every error message with "." unless it already ends with
// an ASCII stop, which turns Japanese "…ください。" into "…ください。.". This
// outermost middleware takes the stray dot off again.
func bindJapaneseErrors(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "lifestageJapaneseErrors",
			Priority: -99999,
			Func: func(e *core.RequestEvent) error {
				err := e.Next()
				var apiErr *router.ApiError
				if errors.As(err, &apiErr) {
					apiErr.Message = trimStrayDot(apiErr.Message)
					tidyData(apiErr.Data)
				}
				return err
			},
		})
		return se.Next()
	})
}

func trimStrayDot(s string) string {
	if strings.HasSuffix(s, "。.") {
		return strings.TrimSuffix(s, ".")
	}
	return s
}

func tidyData(data map[string]any) {
	for _, v := range data {
		item, ok := v.(map[string]any)
		if !ok {
			continue
		}
		if msg, ok := item["message"].(string); ok {
			item["message"] = trimStrayDot(msg)
		} else {
			tidyData(item)
		}
	}
}
