package hooks

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
)

// The events schedule (行事予定): staff write events under the collection's
// rules, publish them to the families of the children enrolled (the whole
// nursery or one class) and cancel them; families read them through a route.

const (
	eventsCollection = "nursery_events"
	eventsLink       = "/me/events/"
	// maxFamilyEvents caps the families' list: a year of a nursery's events.
	maxFamilyEvents = 200
)

// Kinds of the notifications families get about events.
const (
	kindEventPublished = "nursery.event_published"
	kindEventChanged   = "nursery.event_changed"
	kindEventCancelled = "nursery.event_cancelled"
)

// eventChangeFields are the fields whose change on a published event the
// families hear about.
var eventChangeFields = []string{"title", "date", "startTime", "endTime", "place"}

func bindNurseryEvents(app core.App) {
	app.OnRecordCreate(eventsCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", collections.EventDraft)
		}
		return e.Next()
	})
	app.OnRecordCreateRequest(eventsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if isNurseryStaff(e.Auth) {
			e.Record.Set("author", e.Auth.Id)
		}
		return e.Next()
	})
	app.OnRecordValidate(eventsCollection).BindFunc(func(e *core.RecordEvent) error {
		if err := validEvent(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdate(eventsCollection).BindFunc(func(e *core.RecordEvent) error {
		orig := e.Record.Original()
		changed := orig.GetString("status") == collections.EventPublished &&
			e.Record.GetString("status") == collections.EventPublished && fieldsChanged(orig, e.Record, eventChangeFields)
		if err := e.Next(); err != nil || !changed {
			return err
		}
		// The change is saved; a failed notice must not undo it.
		if _, err := notifyEventFamilies(e.App, e.Record, kindEventChanged); err != nil {
			e.App.Logger().Error("event change notice failed", "event", e.Record.Id, "error", err)
		}
		return nil
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := apis.RequireAuth(collections.NurseryStaff)
		se.Router.POST("/api/lifestage/nursery/events/{id}/publish", publishEvent).Bind(staff, apis.BodyLimit(bodyLimit))
		se.Router.POST("/api/lifestage/nursery/events/{id}/cancel", cancelEvent).Bind(staff, apis.BodyLimit(bodyLimit))
		se.Router.GET("/api/lifestage/nursery/events", familyEvents).Bind(apis.RequireAuth(collections.Users))
		return se.Next()
	})
}

func fieldsChanged(a, b *core.Record, fields []string) bool {
	for _, f := range fields {
		if a.GetString(f) != b.GetString(f) {
			return true
		}
	}
	return false
}

// validEvent: a class event names a class of the nursery, a nursery-wide
// one none; an end time is not before the start.
func validEvent(app core.App, r *core.Record) error {
	if _, err := civil.Parse(r.GetString("date")); err != nil {
		return fieldValidation("date", "invalid_date", "日付は YYYY-MM-DD の形式で入力してください。")
	}
	switch r.GetString("audience") {
	case collections.AudienceClass:
		if r.GetString("class") == "" {
			return fieldValidation("class", "class_required", "対象のクラスを選んでください。")
		}
	default:
		r.Set("class", "")
	}
	if err := classOfNursery(app, r); err != nil {
		return err
	}
	start, end := r.GetString("startTime"), r.GetString("endTime")
	if end != "" && (start == "" || end < start) {
		return fieldValidation("endTime", "end_before_start", "終了時刻は開始時刻より後にしてください。")
	}
	return nil
}

// staffEvent is the event of the path for staff of its nursery; anyone else
// gets a 404, as the collection's rules would answer.
func staffEvent(e *core.RequestEvent) (*core.Record, error) {
	ev, err := e.App.FindRecordById(eventsCollection, e.Request.PathValue("id"))
	if err != nil || !isNurseryStaffOf(e.Auth, ev.GetString("nursery")) {
		return nil, e.NotFoundError("行事が見つかりません。", nil)
	}
	return ev, nil
}

// publishEvent makes a draft event visible to the families and tells them,
// in the same transaction: an event is never published unannounced.
func publishEvent(e *core.RequestEvent) error {
	ev, err := staffEvent(e)
	if err != nil {
		return err
	}
	if ev.GetString("status") != collections.EventDraft {
		return fieldError("status", "not_draft", "この行事はすでに公開または中止されています。")
	}
	if d, _ := civil.Parse(ev.GetString("date")); d.Before(civil.Today()) {
		return fieldError("date", "past_event", "過ぎた日の行事は公開できません。")
	}
	ev.Set("status", collections.EventPublished)
	ev.Set("publishedAt", types.NowDateTime())
	return saveAndNotify(e, ev, kindEventPublished)
}

// cancelEvent calls an event off; families hear of it if it was published.
func cancelEvent(e *core.RequestEvent) error {
	ev, err := staffEvent(e)
	if err != nil {
		return err
	}
	was := ev.GetString("status")
	if was == collections.EventCancelled {
		return fieldError("status", "already_cancelled", "この行事はすでに中止になっています。")
	}
	ev.Set("status", collections.EventCancelled)
	kind := kindEventCancelled
	if was != collections.EventPublished {
		kind = "" // nobody knew of it
	}
	return saveAndNotify(e, ev, kind)
}

func saveAndNotify(e *core.RequestEvent, ev *core.Record, kind string) error {
	var notified int
	err := e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.SaveWithContext(actorContext(e), ev); err != nil {
			return err
		}
		if kind == "" {
			return nil
		}
		n, err := notifyEventFamilies(tx, ev, kind)
		notified = n
		return err
	})
	if err != nil {
		return e.BadRequestError("行事を保存できませんでした。", err)
	}
	if err := apis.EnrichRecord(e, ev); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"event": ev, "notified": notified})
}

// eventFamilies are the guardians of the children enrolled today in the
// event's nursery (or class), in one query. Family members a child is
// shared with read the schedule but are not notified: the guardians decide.
func eventFamilies(app core.App, ev *core.Record, today civil.Date) ([]*core.Record, error) {
	params := dbx.Params{"n": ev.GetString("nursery"), "d": today.String()}
	class := ""
	if ev.GetString("audience") == collections.AudienceClass {
		class = " AND e.class = {:c}"
		params["c"] = ev.GetString("class")
	}
	var users []*core.Record
	err := app.RecordQuery(collections.Users).AndWhere(dbx.NewExp(`[[users.id]] IN (
		SELECT g.value FROM enrolments e JOIN children c ON c.id = e.child, json_each(c.guardians) g
		WHERE e.nursery = {:n}`+class+` AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d}))`, params)).
		All(&users)
	return users, err
}

// notifyEventFamilies tells every family of the event's audience. notify
// drops a repeat of the same notice on the same day.
func notifyEventFamilies(app core.App, ev *core.Record, kind string) (int, error) {
	users, err := eventFamilies(app, ev, civil.Today())
	if err != nil {
		return 0, err
	}
	msg := eventMessage(app, ev, kind)
	sent := 0
	err = app.RunInTransaction(func(tx core.App) error {
		n, err := notify.SendEach(tx, msg, users)
		sent = n
		return err
	})
	return sent, err
}

// eventKeys are each kind's templates without and with a place; a
// cancelled event does not say where it would have been.
var eventKeys = map[string][2]string{
	kindEventPublished: {"notify.nursery.event_published", "notify.nursery.event_published_place"},
	kindEventChanged:   {"notify.nursery.event_changed", "notify.nursery.event_changed_place"},
	kindEventCancelled: {"notify.nursery.event_cancelled", ""},
}

func eventMessage(app core.App, ev *core.Record, kind string) notify.Message {
	nursery := ""
	if f, err := app.FindRecordById("facilities", ev.GetString("nursery")); err == nil {
		nursery = f.GetString("name")
	}
	vars := map[string]string{"nursery": nursery, "title": ev.GetString("title"), "time": eventTime(ev), "place": ev.GetString("place")}
	keys := eventKeys[kind]
	key := keys[0]
	if vars["place"] != "" && keys[1] != "" {
		key = keys[1]
	}
	m := notify.Message{Kind: kind, Link: eventsLink, Reason: ev.Id, Key: key, Vars: vars}
	if d, err := civil.Parse(ev.GetString("date")); err == nil {
		m.Dates = map[string]civil.Date{"date": d}
	} else {
		vars["date"] = ev.GetString("date")
	}
	if kind == kindEventChanged {
		// Each distinct change is news; the same one twice a day is not.
		h := fnv.New32a()
		for _, f := range eventChangeFields {
			h.Write([]byte(ev.GetString(f) + "\x00"))
		}
		m.Reason = fmt.Sprintf("%s:%08x", ev.Id, h.Sum32())
	}
	return m
}

// eventTime is the event's times as " 9:30〜11:30", or "" for an event
// without a start time.
func eventTime(ev *core.Record) string {
	start := ev.GetString("startTime")
	if start == "" {
		return ""
	}
	return " " + strings.TrimPrefix(start, "0") + "〜" + strings.TrimPrefix(ev.GetString("endTime"), "0")
}

// familyEvent is one event as a family sees it.
type familyEvent struct {
	ID          string `json:"id"`
	Nursery     string `json:"nursery"`
	NurseryName string `json:"nurseryName"`
	Title       string `json:"title"`
	Date        string `json:"date"`
	StartTime   string `json:"startTime"`
	EndTime     string `json:"endTime"`
	Place       string `json:"place"`
	Description string `json:"description"`
	Audience    string `json:"audience"`
	ClassName   string `json:"className"`
	Status      string `json:"status"`
}

// familyEvents lists the published (and called-off) events, from ?from=
// (default today), of the nurseries and classes where the caller's
// children, or children shared with the caller, are enrolled today.
func familyEvents(e *core.RequestEvent) error {
	today := civil.Today()
	from := today
	if s := e.Request.URL.Query().Get("from"); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			return fieldError("from", "invalid_date", "from は YYYY-MM-DD の形式で指定してください。")
		}
		from = d
	}
	var places []struct {
		Nursery string `db:"nursery"`
		Class   string `db:"class"`
	}
	like := "%\"" + e.Auth.Id + "\"%"
	err := e.App.DB().NewQuery(`SELECT DISTINCT e.nursery, e.class FROM enrolments e JOIN children c ON c.id = e.child
		WHERE (c.guardians LIKE {:p} OR c.familyViewers LIKE {:p} OR c.familyManagers LIKE {:p})
		AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d})`).
		Bind(dbx.Params{"p": like, "d": today.String()}).All(&places)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := []familyEvent{}
	if len(places) == 0 {
		return e.JSON(http.StatusOK, map[string]any{"items": items})
	}
	var nurseries, classes []any
	for _, p := range places {
		nurseries = append(nurseries, p.Nursery)
		if p.Class != "" {
			classes = append(classes, p.Class)
		}
	}
	audience := dbx.HashExp{"audience": collections.AudienceAll}
	var forClass dbx.Expression = audience
	if len(classes) > 0 {
		forClass = dbx.Or(audience, dbx.In("class", classes...))
	}
	var recs []*core.Record
	err = e.App.RecordQuery(eventsCollection).
		AndWhere(dbx.In("nursery", nurseries...)).
		AndWhere(dbx.In("status", collections.EventPublished, collections.EventCancelled)).
		AndWhere(dbx.NewExp("date >= {:from}", dbx.Params{"from": from.String()})).
		AndWhere(forClass).
		OrderBy("date", "startTime").Limit(maxFamilyEvents).All(&recs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	names, err := recordNames(e.App, recs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, r := range recs {
		items = append(items, familyEvent{
			ID: r.Id, Nursery: r.GetString("nursery"), NurseryName: names[r.GetString("nursery")],
			Title: r.GetString("title"), Date: r.GetString("date"), StartTime: r.GetString("startTime"),
			EndTime: r.GetString("endTime"), Place: r.GetString("place"), Description: r.GetString("description"),
			Audience: r.GetString("audience"), ClassName: names[r.GetString("class")], Status: r.GetString("status"),
		})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// recordNames are the names of the events' nurseries and classes, in two
// queries whatever the number of events.
func recordNames(app core.App, events []*core.Record) (map[string]string, error) {
	var nurseries, classes []string
	for _, r := range events {
		nurseries = append(nurseries, r.GetString("nursery"))
		if c := r.GetString("class"); c != "" {
			classes = append(classes, c)
		}
	}
	return nurseryAndClassNames(app, nurseries, classes)
}
