package hooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/schedule"
)

const (
	remindersJobID    = "lifestageReminders"
	remindersSchedule = "0 9 * * *" // 09:00 in Tokyo (cron runs in Tokyo time)
	// ReminderDaysEnv sets how many days ahead a "soon" reminder is sent.
	ReminderDaysEnv     = "LIFESTAGE_REMINDER_DAYS"
	defaultReminderDays = 7
	reminderKindPrefix  = "child."
)

// bindReminders schedules the daily vaccination and checkup reminders.
func bindReminders(app core.App) {
	bindJob(app, remindersJobID, remindersSchedule, func(a core.App) {
		sent, err := RunReminders(a, civil.Today())
		if err != nil {
			a.Logger().Error("reminders failed", "sent", sent, "error", err)
			return
		}
		a.Logger().Info("reminders sent", "sent", sent)
	})
}

// ReminderDays reads LIFESTAGE_REMINDER_DAYS: 1 to 60, else the default 7.
func ReminderDays() int {
	n, err := strconv.Atoi(os.Getenv(ReminderDaysEnv))
	if err != nil || n < 1 || n > 60 {
		return defaultReminderDays
	}
	return n
}

// RunReminders tells the guardians of every child under 17 about vaccine
// doses and checkups that open soon or are overdue on today. Each reminder
// (child, code, dose, kind) reaches a guardian once ever, whatever the day,
// so the job can run daily, or twice, without repeating itself. Family
// members the child is shared with are not told: the guardians decide.
func RunReminders(app core.App, today civil.Date) (sent int, err error) {
	h, err := loadChildHealth(app, today, "")
	if err != nil {
		return 0, err
	}
	days := ReminderDays()
	type due struct {
		kid       childRow
		guardians []string
		reminders []schedule.Reminder
	}
	var todo []due
	ids := map[string]bool{}
	for _, k := range h.kids {
		var guardians []string
		if json.Unmarshal([]byte(k.Guardians), &guardians) != nil || len(guardians) == 0 {
			continue
		}
		birth, perr := civil.Parse(k.BirthDate)
		if perr != nil {
			continue
		}
		rs := schedule.Reminders(birth, k.Sex, today, h.doses[k.ID], h.checkups[k.ID], days)
		if len(rs) == 0 {
			continue
		}
		todo = append(todo, due{kid: k, guardians: guardians, reminders: rs})
		for _, g := range guardians {
			ids[g] = true
		}
	}
	users, err := usersByID(app, ids)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, d := range todo {
		for _, r := range d.reminders {
			msg := reminderMessage(d.kid, r)
			for _, g := range d.guardians {
				user := users[g]
				if user == nil {
					continue
				}
				// notify.Send only drops repeats on the same day; a reminder
				// is worth one notification, ever.
				if prev, _ := app.FindFirstRecordByFilter(notify.Collection,
					"recipientCollection = {:c} && recipient = {:r} && kind = {:k} && reason = {:x}",
					dbx.Params{"c": collections.Users, "r": user.Id, "k": msg.Kind, "x": msg.Reason}); prev != nil {
					continue
				}
				msg.Recipient = user
				rec, serr := notify.Send(app, msg)
				if serr != nil {
					errs = append(errs, fmt.Errorf("reminder %s to %s: %w", msg.Reason, user.Id, serr))
					continue
				}
				if rec != nil {
					sent++
				}
			}
		}
	}
	return sent, errors.Join(errs...)
}

// usersByID loads the guardians' accounts in a few queries, not one per child.
func usersByID(app core.App, ids map[string]bool) (map[string]*core.Record, error) {
	const chunk = 500 // well under SQLite's bound-parameter limit
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	out := make(map[string]*core.Record, len(list))
	for i := 0; i < len(list); i += chunk {
		recs, err := app.FindRecordsByIds(collections.Users, list[i:min(i+chunk, len(list))])
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[r.Id] = r
		}
	}
	return out, nil
}

// reminderKeys are the notification templates of each reminder kind,
// written out so a test finds every key in the catalogue.
var reminderKeys = map[string]string{
	schedule.ReminderVaccineSoon:    "notify.reminder.vaccine_soon",
	schedule.ReminderVaccineOverdue: "notify.reminder.vaccine_overdue",
	schedule.ReminderCheckupSoon:    "notify.reminder.checkup_soon",
	schedule.ReminderCheckupOverdue: "notify.reminder.checkup_overdue",
}

// reminderMessage words one reminder. The child's name goes only in the
// body, which is stored encrypted; givenName is required, so there is
// always one.
func reminderMessage(k childRow, r schedule.Reminder) notify.Message {
	return notify.Message{Kind: reminderKindPrefix + r.Kind, Link: "/me/",
		Reason: k.ID + ":" + r.Code + ":" + strconv.Itoa(r.Dose) + ":" + r.Kind,
		Key:    reminderKeys[r.Kind],
		Vars:   map[string]string{"child": k.GivenName, "label": r.Label},
		Dates:  map[string]civil.Date{"date": r.Date},
	}
}
