package hooks

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/audience"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

const (
	announcementsJobID    = "lifestageAnnouncements"
	announcementsSchedule = "* * * * *" // every minute: "send now" goes out within a minute
	myAnnouncementsMax    = 100
)

// announcementsRunning keeps a slow fan-out from overlapping the next tick,
// which would see the announcement still "sending" and resume it twice.
var announcementsRunning sync.Mutex

func bindAnnouncements(app core.App) {
	setCreator := func(e *core.RecordRequestEvent) error {
		if e.Auth != nil {
			e.Record.Set("createdBy", e.Auth.Id)
		}
		return e.Next()
	}
	app.OnRecordCreateRequest(collections.Announcements, collections.Surveys).BindFunc(setCreator)
	app.OnRecordValidate(collections.Announcements).BindFunc(func(e *core.RecordEvent) error {
		if _, err := announcedb.Audience(e.Record); err != nil {
			return err
		}
		// A scheduled announcement without a time would never go out.
		if e.Record.GetString("status") == collections.AnnouncementScheduled && e.Record.GetDateTime("scheduledAt").IsZero() {
			return fieldValidation("scheduledAt", "scheduled_without_time", "配信日時を指定してください（今すぐなら今の時刻）。")
		}
		return e.Next()
	})
	bindJob(app, announcementsJobID, announcementsSchedule, func(a core.App) {
		if !announcementsRunning.TryLock() {
			return
		}
		defer announcementsRunning.Unlock()
		if n, err := announcedb.RunDue(a, time.Now()); err != nil {
			a.Logger().Error("announcement delivery failed", "sent", n, "error", err)
		}
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := []*hook.Handler[*core.RequestEvent]{requireCityStaff(collections.DeptChild), apis.BodyLimit(bodyLimit)}
		citizens := []*hook.Handler[*core.RequestEvent]{apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit)}
		se.Router.POST("/api/lifestage/announcements/preview", previewAudience).Bind(staff...)
		se.Router.GET("/api/lifestage/me/announcements", myAnnouncements).Bind(citizens...)
		se.Router.POST("/api/lifestage/me/announcements/{id}/read", readAnnouncement).Bind(citizens...)
		return se.Next()
	})
}

// previewAudience counts who an audience would reach today, so staff see
// the size before they schedule.
func previewAudience(e *core.RequestEvent) error {
	var body struct {
		Audience audience.Audience `json:"audience"`
	}
	if err := e.BindBody(&body); err != nil {
		return fieldError("audience", "invalid_audience", "対象の形式が正しくありません。")
	}
	if ps := audience.Check(body.Audience); len(ps) > 0 {
		return fieldError("audience", ps[0].Code, ps[0].Message)
	}
	ids, err := announcedb.Recipients(e.App, body.Audience, civil.Today())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"count": len(ids), "on": civil.Today().String()})
}

type myAnnouncement struct {
	ID          string `db:"id" json:"id"`
	Title       string `db:"title" json:"title"`
	Body        string `db:"body" json:"body"`
	Category    string `db:"category" json:"category"`
	Event       string `db:"event" json:"event"`
	EventTitle  string `db:"eventTitle" json:"eventTitle"`
	Survey      string `db:"survey" json:"survey"`
	DeliveredAt string `db:"deliveredAt" json:"deliveredAt"`
	ReadAt      string `db:"readAt" json:"readAt"`
	Unread      bool   `db:"-" json:"unread"`
}

// myAnnouncements lists the caller's delivered announcements, newest first,
// with the unread ones marked and counted.
func myAnnouncements(e *core.RequestEvent) error {
	items := []myAnnouncement{}
	err := e.App.DB().NewQuery(`SELECT a.id, a.title, a.body, a.category, a.event, COALESCE(ev.title, '') AS eventTitle,
			a.survey, r.deliveredAt, r.readAt
		FROM announcement_recipients r
		JOIN announcements a ON a.id = r.announcement
		LEFT JOIN events ev ON ev.id = a.event
		WHERE r.user = {:u} AND r.deliveredAt != ''
		ORDER BY r.deliveredAt DESC, a.id LIMIT {:n}`).
		Bind(dbx.Params{"u": e.Auth.Id, "n": myAnnouncementsMax}).All(&items)
	if err != nil {
		return e.InternalServerError("", err)
	}
	unread := 0
	for i := range items {
		items[i].Unread = items[i].ReadAt == ""
		if items[i].Unread {
			unread++
		}
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"items": items, "unread": unread})
}

// readAnnouncement marks a delivered announcement read, once. The count is
// recomputed from the rows in the same transaction, so concurrent reads
// cannot lose an increment and a repeated read does not count twice.
func readAnnouncement(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	var readAt string
	err := e.App.RunInTransaction(func(tx core.App) error {
		row, err := tx.FindFirstRecordByFilter(collections.AnnouncementRecipients,
			"announcement = {:a} && user = {:u} && deliveredAt != ''", dbx.Params{"a": id, "u": e.Auth.Id})
		if err != nil {
			return e.NotFoundError("お知らせが見つかりません。", nil)
		}
		if !row.GetDateTime("readAt").IsZero() {
			readAt = row.GetDateTime("readAt").String()
			return nil
		}
		row.Set("readAt", types.NowDateTime())
		if err := tx.SaveWithContext(actorContext(e), row); err != nil {
			return err
		}
		readAt = row.GetDateTime("readAt").String()
		_, err = tx.DB().NewQuery(`UPDATE announcements SET readCount =
			(SELECT COUNT(*) FROM announcement_recipients WHERE announcement = {:a} AND readAt != '') WHERE id = {:a}`).
			Bind(dbx.Params{"a": id}).Execute()
		return err
	})
	if err != nil {
		var apiErr *router.ApiError
		if errors.As(err, &apiErr) {
			return apiErr
		}
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": id, "readAt": readAt})
}
