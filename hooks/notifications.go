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

// markAllRead marks every unread notification of the caller as read. Each
// goes through a normal save, so the audit log sees the change like any other.
func markAllRead(e *core.RequestEvent) error {
	unread, err := e.App.FindRecordsByFilter(notify.Collection,
		"recipient = {:r} && recipientCollection = {:c} && readAt = ''", "", 0, 0,
		dbx.Params{"r": e.Auth.Id, "c": e.Auth.Collection().Name})
	if err != nil {
		return e.InternalServerError("", err)
	}
	ctx := actorContext(e)
	now := types.NowDateTime()
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, n := range unread {
			n.Set("readAt", now)
			if err := tx.SaveWithContext(ctx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"updated": len(unread)})
}
