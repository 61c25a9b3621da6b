package hooks

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
)

// Online applications to events (issue 8):
//
//	GET  /api/lifestage/events/upcoming              public: upcoming events with seats left
//	POST /api/lifestage/events/{id}/apply            {childId?, answers?} → confirmed | waitlisted
//	POST /api/lifestage/applications/{id}/cancel     the applicant or 子育て staff; promotes the waitlist
//	GET  /api/lifestage/me/applications              申請履歴, newest first
//	GET  /api/lifestage/events/{id}/applications     子育て staff: the applicants (.xlsx: the export)
//	GET  /api/lifestage/events/counts                子育て staff: confirmed/waitlisted per event
//	POST /api/lifestage/events/{id}/slots            子育て staff: copy an event into time slots
func bindEventApplications(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/events/upcoming", upcomingEvents)
		se.Router.POST("/api/lifestage/events/{id}/apply", applyToEvent).
			Bind(apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit))
		se.Router.POST("/api/lifestage/applications/{id}/cancel", cancelApplication).
			Bind(apis.RequireAuth(collections.Users, collections.CityStaff), apis.BodyLimit(bodyLimit))
		se.Router.GET("/api/lifestage/me/applications", myApplications).Bind(apis.RequireAuth(collections.Users))
		staff := requireCityStaff(collections.DeptChild)
		se.Router.GET("/api/lifestage/events/{id}/applications", eventApplicants).Bind(staff)
		se.Router.GET("/api/lifestage/events/{id}/applications.xlsx", eventApplicantsXLSX).Bind(staff)
		se.Router.GET("/api/lifestage/events/counts", eventCounts).Bind(staff)
		se.Router.POST("/api/lifestage/events/{id}/slots", createSlots).Bind(staff, apis.BodyLimit(bodyLimit))
		return se.Next()
	})
	bindEventReminders(app)
}

// applyResult is the answer to an application.
type applyResult struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Position int    `json:"position,omitzero"` // place on the waitlist, from 1
}

// applyToEvent takes one application. The checks that need no lock (the
// window, the child, the age, the answers) run first; the count of seats
// and the insert then run in one transaction. PocketBase runs every
// RunInTransaction on its non-concurrent pool, a single SQLite connection
// (core/base.go initDataDB: SetMaxOpenConns(1)), so write transactions
// queue one behind the other: no two applications can read the same count.
// The partial unique indexes of event_applications catch a double
// application even if that ever changed.
func applyToEvent(e *core.RequestEvent) error {
	var body struct {
		ChildID string         `json:"childId"`
		Answers map[string]any `json:"answers"`
	}
	if err := e.BindBody(&body); err != nil {
		return fieldError("answers", "invalid_body", "申込の内容を読み取れませんでした。")
	}
	ev, err := e.App.FindRecordById(collections.Events, e.Request.PathValue("id"))
	if err != nil || !canView(e, ev) {
		return e.NotFoundError("イベントが見つかりません。", nil)
	}
	if err := applicationWindow(ev, time.Now()); err != nil {
		return err
	}
	child, err := applicantChild(e, ev, body.ChildID)
	if err != nil {
		return err
	}
	answers, err := applicationAnswers(ev, body.Answers)
	if err != nil {
		return err
	}
	var res applyResult
	var refusal error
	err = e.App.RunInTransaction(func(tx core.App) error {
		rec, position, err := insertApplication(tx, e, ev, child, answers)
		if r := (refused{}); errors.As(err, &r) {
			refusal = r.error
		}
		if err != nil {
			return err
		}
		res = applyResult{ID: rec.Id, Status: rec.GetString("status"), Position: position}
		return nil
	})
	switch {
	case refusal != nil:
		return refusal
	case collections.IsUniqueViolation(err):
		return alreadyApplied()
	case err != nil:
		return e.InternalServerError("", err)
	}
	notifyApplied(e.App, e.Auth, ev, res)
	return e.JSON(http.StatusCreated, res)
}

// applicationWindow refuses outside the event's application window.
func applicationWindow(ev *core.Record, now time.Time) error {
	w := events.WindowAt(now, ev.GetBool("onlineApplication"), ev.GetDateTime("applicationOpens").Time(),
		ev.GetDateTime("applicationCloses").Time(), ev.GetDateTime("startsAt").Time())
	switch w {
	case events.WindowNoOnline:
		return codedError(http.StatusConflict, "event", w, "このイベントはオンラインでの申込を受け付けていません。")
	case events.WindowNotOpen:
		return codedError(http.StatusConflict, "event", w, "申込の受付はまだ始まっていません（"+
			ev.GetDateTime("applicationOpens").Time().In(civil.Tokyo).Format("1月2日 15:04")+"から）。")
	case events.WindowClosed:
		return codedError(http.StatusConflict, "event", w, "申込の受付は終了しました。")
	}
	return nil
}

// needsChild is true when an event asks who comes: it says so, or it has an
// age range, which only a child's birth date can meet.
func needsChild(ev *core.Record) bool {
	return ev.GetBool("requiresChild") || ev.GetInt("minAgeMonths") > 0 || ev.GetInt("maxAgeMonths") > 0
}

// applicantChild is the child the application is for (nil for none): one
// the caller is a guardian of or manages through family sharing, of the
// right age on the day of the event.
func applicantChild(e *core.RequestEvent, ev *core.Record, id string) (*core.Record, error) {
	if id == "" {
		if needsChild(ev) {
			return nil, fieldError("childId", "child_required", "参加するお子さまを選んでください。")
		}
		return nil, nil
	}
	child, err := e.App.FindRecordById("children", id)
	if err != nil || !(slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id) ||
		slices.Contains(child.GetStringSlice("familyManagers"), e.Auth.Id)) {
		// The same answer for a missing child and another family's.
		return nil, fieldError("childId", "not_your_child", "このお子さまの申込はできません。保護者または管理を共有された方が申し込んでください。")
	}
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	day := civil.DateOf(ev.GetDateTime("startsAt").Time())
	lo, hi := ev.GetInt("minAgeMonths"), ev.GetInt("maxAgeMonths")
	if !events.AgeFits(birth, day, lo, hi) {
		msg := "このイベントの対象は" + events.AgeLabel(lo, hi) + "のお子さまです（イベントの日に" + civil.AgeText(birth, day) + "）。"
		if day.Before(birth) {
			msg = "このお子さまはイベントの日にまだ生まれていません。"
		}
		return nil, fieldError("childId", "age_not_eligible", msg)
	}
	return child, nil
}

// applicationAnswers checks the answers against the event's questions.
func applicationAnswers(ev *core.Record, given map[string]any) (map[string]any, error) {
	qs, err := eventQuestions(ev)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	answers, problems := events.CheckAnswers(qs, given)
	if len(problems) > 0 {
		errs := validation.Errors{}
		for _, p := range problems {
			errs["answers."+p.Field] = validation.NewError(p.Code, p.Message)
		}
		return nil, apis.NewBadRequestError(problems[0].Message, errs)
	}
	return answers, nil
}

// refused marks an API error decided inside the transaction, so that it
// reaches the caller as it is.
type refused struct{ error }

func alreadyApplied() error {
	return codedError(http.StatusConflict, "event", "already_applied", "このイベントにはすでに申し込んでいます。申請履歴をご覧ください。")
}

// insertApplication counts and inserts under the write lock (see
// applyToEvent). position is the place on the waitlist, 0 when confirmed.
func insertApplication(tx core.App, e *core.RequestEvent, ev, child *core.Record, answers map[string]any) (*core.Record, int, error) {
	childID := ""
	if child != nil {
		childID = child.Id
	}
	// The same person for this event, or the same child whoever applies.
	dup := dbx.And(dbx.HashExp{"event": ev.Id}, dbx.NewExp("status != 'cancelled'"),
		dbx.Or(dbx.HashExp{"user": e.Auth.Id, "child": childID}, dbx.And(dbx.HashExp{"child": childID}, dbx.NewExp("child != ''"))))
	if n, err := tx.CountRecords(collections.EventApplications, dup); err != nil {
		return nil, 0, err
	} else if n > 0 {
		return nil, 0, refused{alreadyApplied()}
	}
	seats, err := seatCounts(tx, []string{ev.Id})
	if err != nil {
		return nil, 0, err
	}
	s := seats[ev.Id]
	status, ok := events.Decide(ev.GetInt("capacity"), s.Confirmed, s.Waitlisted, ev.GetInt("waitlistLimit"))
	if !ok {
		return nil, 0, refused{codedError(http.StatusConflict, "event", "full", "定員に達し、キャンセル待ちもいっぱいのため申し込めません。")}
	}
	col, err := tx.FindCachedCollectionByNameOrId(collections.EventApplications)
	if err != nil {
		return nil, 0, err
	}
	rec := core.NewRecord(col)
	rec.Set("event", ev.Id)
	rec.Set("user", e.Auth.Id)
	rec.Set("child", childID)
	rec.Set("status", status)
	rec.Set("answers", answers)
	at, err := nextAppliedAt(tx, ev.Id, time.Now())
	if err != nil {
		return nil, 0, err
	}
	rec.Set("appliedAt", at)
	if err := tx.SaveWithContext(actorContext(e), rec); err != nil {
		return nil, 0, err
	}
	position := 0
	if status == events.Waitlisted {
		position = s.Waitlisted + 1
	}
	return rec, position, nil
}

// nextAppliedAt is now, or a millisecond after the event's latest
// application when that is not earlier (dates are stored to the
// millisecond). appliedAt orders the waitlist, and under the write lock this
// keeps it strictly increasing per event, so the position told at apply
// time is the order of promotion even for two applications within one
// millisecond.
func nextAppliedAt(tx core.App, event string, now time.Time) (time.Time, error) {
	var last string
	err := tx.DB().NewQuery("SELECT COALESCE(MAX(appliedAt), '') FROM event_applications WHERE event = {:e}").
		Bind(dbx.Params{"e": event}).Row(&last)
	if err != nil || last == "" {
		return now, err
	}
	prev, err := types.ParseDateTime(last)
	if err != nil {
		return now, err
	}
	if floor := prev.Time().Add(time.Millisecond); now.Before(floor) {
		return floor, nil
	}
	return now, nil
}

// seats are the applications of an event by state.
type seats struct {
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
	Cancelled  int `json:"cancelled"`
}

// seatCounts counts the applications of the events (all of them when ids
// is nil) by state, in one query.
func seatCounts(app core.App, ids []string) (map[string]seats, error) {
	q := app.DB().Select("event", "status", "count(*) AS n").From(collections.EventApplications).GroupBy("event", "status")
	if ids != nil {
		q.Where(dbx.In("event", anySlice(ids)...))
	}
	var rows []struct {
		Event  string `db:"event"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := q.All(&rows); err != nil {
		return nil, err
	}
	out := map[string]seats{}
	for _, r := range rows {
		s := out[r.Event]
		switch r.Status {
		case events.Confirmed:
			s.Confirmed = r.N
		case events.Waitlisted:
			s.Waitlisted = r.N
		case events.Cancelled:
			s.Cancelled = r.N
		}
		out[r.Event] = s
	}
	return out, nil
}

// waitlistPosition is an application's place on its event's waitlist: 1 +
// those who applied before it (by appliedAt, then id, the order of
// promotion).
func waitlistPosition(app core.App, rec *core.Record) (int, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM event_applications WHERE event = {:e} AND status = 'waitlisted'
		AND (appliedAt < {:at} OR (appliedAt = {:at} AND id < {:id}))`).
		Bind(dbx.Params{"e": rec.GetString("event"), "at": rec.GetString("appliedAt"), "id": rec.Id}).Row(&n)
	return n + 1, err
}

// cancelApplication cancels an application for its applicant, or for 子育て
// staff on their behalf. In the same transaction, freed seats go to the
// waitlist in order; those moved up are told after the commit.
func cancelApplication(e *core.RequestEvent) error {
	rec, err := e.App.FindRecordById(collections.EventApplications, e.Request.PathValue("id"))
	if err != nil || !canView(e, rec) {
		return e.NotFoundError("申込が見つかりません。", nil)
	}
	staff := isCityStaffIn(e.Auth, collections.DeptChild)
	if !staff && rec.GetString("user") != e.Auth.Id {
		return e.NotFoundError("申込が見つかりません。", nil)
	}
	var promoted []*core.Record
	var event *core.Record
	var refusal error
	err = e.App.RunInTransaction(func(tx core.App) error {
		// Read again under the write lock: a second cancel must not pass.
		rec, err := tx.FindRecordById(collections.EventApplications, rec.Id)
		if err != nil {
			return err
		}
		ev, err := tx.FindRecordById(collections.Events, rec.GetString("event"))
		if err != nil {
			return err
		}
		switch {
		case rec.GetString("status") == events.Cancelled:
			refusal = codedError(http.StatusConflict, "application", "already_cancelled", "この申込はすでに取り消されています。")
			return refusal
		case !staff && !time.Now().Before(ev.GetDateTime("startsAt").Time()):
			refusal = codedError(http.StatusConflict, "application", "started", "イベントが始まった後は取り消せません。担当課にご連絡ください。")
			return refusal
		}
		by := "applicant"
		if staff {
			by = "staff"
		}
		rec.Set("status", events.Cancelled)
		rec.Set("cancelledAt", time.Now())
		rec.Set("cancelledBy", by)
		if err := tx.SaveWithContext(actorContext(e), rec); err != nil {
			return err
		}
		promoted, err = promoteWaitlist(tx, e, ev)
		event = ev
		return err
	})
	switch {
	case refusal != nil:
		return refusal
	case err != nil:
		return e.InternalServerError("", err)
	}
	for _, p := range promoted {
		notifyPromoted(e.App, p, event)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": rec.Id, "status": events.Cancelled, "promoted": len(promoted)})
}

// promoteWaitlist fills the free seats of an event from its waitlist, first
// come first served (appliedAt, then id). It runs inside the transaction of
// the cancellation that freed the seat.
func promoteWaitlist(tx core.App, e *core.RequestEvent, ev *core.Record) ([]*core.Record, error) {
	counts, err := seatCounts(tx, []string{ev.Id})
	if err != nil {
		return nil, err
	}
	free := ev.GetInt("capacity") - counts[ev.Id].Confirmed
	if ev.GetInt("capacity") <= 0 {
		free = counts[ev.Id].Waitlisted // no limit: everyone waiting gets in
	}
	if free <= 0 {
		return nil, nil
	}
	next, err := tx.FindRecordsByFilter(collections.EventApplications, "event = {:e} && status = 'waitlisted'",
		"appliedAt,id", free, 0, dbx.Params{"e": ev.Id})
	if err != nil {
		return nil, err
	}
	for _, r := range next {
		r.Set("status", events.Confirmed)
		r.Set("promotedAt", time.Now())
		if err := tx.SaveWithContext(actorContext(e), r); err != nil {
			return nil, err
		}
	}
	return next, nil
}
