package hooks

import (
	"errors"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
	"github.com/saijo-dx/lifestage/notify"
)

const (
	eventRemindersJobID = "lifestageEventReminders"
	// 17:00 in Tokyo the day before: late enough that the day's
	// cancellations and promotions are settled, early enough to plan.
	eventRemindersSchedule = "0 17 * * *"
	applicationsLink       = "/me/applications/"
)

// bindEventReminders schedules the day-before reminders of events.
func bindEventReminders(app core.App) {
	bindJob(app, eventRemindersJobID, eventRemindersSchedule, func(a core.App) {
		sent, err := RunEventReminders(a, civil.Today())
		if err != nil {
			a.Logger().Error("event reminders failed", "sent", sent, "error", err)
			return
		}
		a.Logger().Info("event reminders sent", "sent", sent)
	})
}

// RunEventReminders tells every confirmed applicant of an event that starts
// tomorrow (Tokyo date of today) about it, once: the application is stamped
// with reminderSentAt, and notify drops a repeat of the same day anyway.
func RunEventReminders(app core.App, today civil.Date) (sent int, err error) {
	from, to := today.AddDays(1).Time(), today.AddDays(2).Time()
	var due []*core.Record
	err = app.RecordQuery(collections.EventApplications).
		InnerJoin("events", dbx.NewExp("events.id = event_applications.event")).
		AndWhere(dbx.HashExp{"event_applications.status": events.Confirmed, "event_applications.reminderSentAt": ""}).
		AndWhere(dbx.Between("events.startsAt", utcText(from), utcText(to.Add(-time.Millisecond)))).
		OrderBy("event_applications.appliedAt").All(&due)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, a := range due {
		ev, err := app.FindRecordById(collections.Events, a.GetString("event"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		user, err := app.FindRecordById(collections.Users, a.GetString("user"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n, err := sendEventNotice(app, user, "events.reminder", "events.notify.reminder", a.Id, ev, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sent += n
		a.Set("reminderSentAt", time.Now())
		if err := app.Save(a); err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}

// utcText is a time as PocketBase stores dates, for comparisons in SQL.
func utcText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// notifyApplied confirms an application to the applicant: a seat, or the
// place on the waitlist. A failure is logged: the application stands.
func notifyApplied(app core.App, user, ev *core.Record, res applyResult) {
	key, vars := "events.notify.confirmed", map[string]string(nil)
	if res.Status == events.Waitlisted {
		key, vars = "events.notify.waitlisted", map[string]string{"position": strconv.Itoa(res.Position)}
	}
	if _, err := sendEventNotice(app, user, "events.applied", key, res.ID, ev, vars); err != nil {
		app.Logger().Error("application notice failed", "application", res.ID, "error", err)
	}
}

// notifyPromoted tells an applicant moved up from the waitlist.
func notifyPromoted(app core.App, application, ev *core.Record) {
	user, err := app.FindRecordById(collections.Users, application.GetString("user"))
	if err == nil {
		_, err = sendEventNotice(app, user, "events.promoted", "events.notify.promoted", application.Id, ev, nil)
	}
	if err != nil {
		app.Logger().Error("promotion notice failed", "application", application.Id, "error", err)
	}
}

// sendEventNotice sends one notification about an event, with the event's
// title, day and place as the variables of the catalogue template key
// (i18n/locales/*/events.json). It returns 1 when stored.
func sendEventNotice(app core.App, user *core.Record, kind, key, reason string, ev *core.Record, extra map[string]string) (int, error) {
	vars := map[string]string{
		"title": ev.GetString("title"),
		"date":  ev.GetDateTime("startsAt").Time().In(civil.Tokyo).Format("2006-01-02 15:04"),
		"place": ev.GetString("place"),
	}
	for k, v := range extra {
		vars[k] = v
	}
	rec, err := notify.Send(app, notify.Message{
		Recipient: user, Kind: kind, Reason: reason, Link: applicationsLink,
		Key: key, Vars: vars, // rendered in the applicant's language
	})
	if rec == nil {
		return 0, err
	}
	return 1, err
}
