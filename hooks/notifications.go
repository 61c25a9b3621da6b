package hooks

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/notify"
)

func bindNotifications(app core.App) {
	app.OnRecordAfterCreateSuccess(notify.Collection).BindFunc(func(e *core.RecordEvent) error {
		rec, a := e.Record, e.App
		routine.FireAndForget(func() { notify.Deliver(a, rec) })
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/lifestage/notifications/read-all", markAllRead).
			Bind(apis.RequireAuth(), apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

// markAllRead marks every unread notification of the caller as read.
func markAllRead(e *core.RequestEvent) error {
	res, err := e.App.DB().Update(notify.Collection,
		dbx.Params{"readAt": types.NowDateTime().String(), "updated": types.NowDateTime().String()},
		dbx.NewExp("recipient = {:r} AND recipientCollection = {:c} AND (readAt = '' OR readAt IS NULL)",
			dbx.Params{"r": e.Auth.Id, "c": e.Auth.Collection().Name}),
	).Execute()
	if err != nil {
		return e.InternalServerError("", err)
	}
	n, _ := res.RowsAffected()
	return e.JSON(http.StatusOK, map[string]any{"updated": n})
}
