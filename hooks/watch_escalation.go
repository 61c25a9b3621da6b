package hooks

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/watchplan"
)

const (
	watchEscalations     = "watch_escalations"
	watchEscalationSteps = "watch_escalation_steps"
	watchEscalationJobID = "lifestageWatchEscalation"
	// 08:30 in Tokyo: volunteers and coordinators read it in the morning,
	// the city at the start of office hours.
	watchEscalationSchedule = "30 8 * * *"
)

// bindWatchEscalation schedules the daily follow-up of missed visits and
// lets every new visit resolve the person's open escalations.
func bindWatchEscalation(app core.App) {
	bindJob(app, watchEscalationJobID, watchEscalationSchedule, func(a core.App) {
		n, err := RunWatchEscalations(a, civil.Today())
		if err != nil {
			a.Logger().Error("watch escalation failed", "escalations", n, "error", err)
			return
		}
		a.Logger().Info("watch escalation", "escalations", n)
	})
	// In the visit's own transaction: a visit and the end of its
	// escalation are one fact.
	app.OnRecordCreate(watchVisits).BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return resolveWatchEscalations(e.App, e.Record)
	})
}

// resolveWatchEscalations closes the target's open escalations with visit.
func resolveWatchEscalations(app core.App, visit *core.Record) error {
	open, err := app.FindAllRecords(watchEscalations, dbx.HashExp{"target": visit.GetString("target"), "resolvedAt": ""})
	if err != nil {
		return err
	}
	for _, esc := range open {
		esc.Set("resolvedAt", time.Now())
		esc.Set("resolvedBy", visit.Id)
		if err := app.Save(esc); err != nil {
			return err
		}
	}
	return nil
}

// watchDueRow is an active, consented target with its latest visit.
type watchDueRow struct {
	ID           string `db:"id"`
	Resident     string `db:"resident"`
	Volunteer    string `db:"volunteer"`
	Organization string `db:"organization"`
	Frequency    string `db:"frequency"`
	Area         string `db:"area"`
	AreaName     string `db:"areaName"`
	Created      string `db:"created"`
	LastAt       string `db:"lastAt"`
}

// loadWatchDue reads every active, consented target and its latest visit
// in one query.
func loadWatchDue(app core.App) ([]watchDueRow, error) {
	var rows []watchDueRow
	// The correlated MAX reads one entry of the (target, at) index per
	// target; a GROUP BY over the joined visits would read them all.
	err := app.DB().NewQuery(`SELECT t.id, t.resident, t.volunteer, t.organization, t.frequency, t.area,
			COALESCE(a.name, '') AS areaName, t.created,
			COALESCE((SELECT MAX(v.at) FROM watch_visits v WHERE v.target = t.id), '') AS lastAt
		FROM watch_targets t
		LEFT JOIN areas a ON a.id = t.area
		WHERE t.active = TRUE AND t.consentStatus = {:consented}`).Bind(dbx.Params{"consented": collections.ConsentGiven}).All(&rows)
	return rows, err
}

// plan is the row as the pure planner sees it, on Tokyo dates.
func (r watchDueRow) plan() watchplan.Target {
	return watchplan.Target{Frequency: r.Frequency, Since: tokyoDateOf(r.Created), LastVisit: tokyoDateOf(r.LastAt)}
}

// tokyoDateOf is the Tokyo day of a stored instant; zero when empty.
func tokyoDateOf(stored string) civil.Date {
	t := parseInstant(stored)
	if t.IsZero() {
		return civil.Date{}
	}
	return civil.DateOf(t)
}

// activeWatchSteps are the chain's active steps in level order.
func activeWatchSteps(app core.App) ([]watchplan.Step, error) {
	recs, err := app.FindRecordsByFilter(watchEscalationSteps, "active = true", "level", 0, 0)
	if err != nil {
		return nil, err
	}
	steps := make([]watchplan.Step, len(recs))
	for i, r := range recs {
		steps[i] = watchplan.Step{ID: r.Id, Level: r.GetInt("level"), DaysOverdue: r.GetInt("daysOverdue"), Notify: r.GetString("notify")}
	}
	return steps, nil
}

// RunWatchEscalations notifies, for every late target, each step its
// lateness has reached on today and that was not notified yet for the same
// due day, in chain order. It returns the escalations it created. Running
// it twice on a day, or every day, repeats nothing: an escalation is
// stored once per target, step and due day, and a visit resolves it.
func RunWatchEscalations(app core.App, today civil.Date) (created int, err error) {
	steps, err := activeWatchSteps(app)
	if err != nil || len(steps) == 0 {
		return 0, err
	}
	rows, err := loadWatchDue(app)
	if err != nil {
		return 0, err
	}
	done, err := storedEscalations(app)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, row := range rows {
		plan := row.plan()
		due := plan.DueOn().String()
		for _, step := range watchplan.Reached(steps, plan, today) {
			if done[row.ID+"|"+step.ID+"|"+due] {
				continue
			}
			if err := escalate(app, row, step, due, plan.DaysOverdue(today)); err != nil {
				errs = append(errs, fmt.Errorf("escalation of %s level %d: %w", row.ID, step.Level, err))
				break // the later steps wait for tomorrow, keeping the order
			}
			created++
		}
	}
	return created, errors.Join(errs...)
}

// storedEscalations are the keys (target|step|dueOn) of the open
// escalations: a resolved one belongs to an earlier due day.
func storedEscalations(app core.App) (map[string]bool, error) {
	var rows []struct {
		Target string `db:"target"`
		Step   string `db:"step"`
		DueOn  string `db:"dueOn"`
	}
	err := app.DB().Select("target", "step", "dueOn").From(watchEscalations).
		Where(dbx.HashExp{"resolvedAt": ""}).All(&rows)
	keys := make(map[string]bool, len(rows))
	for _, r := range rows {
		keys[r.Target+"|"+r.Step+"|"+r.DueOn] = true
	}
	return keys, err
}

// escalate stores one escalation and notifies its recipients together: a
// stored escalation is a notified one.
func escalate(app core.App, row watchDueRow, step watchplan.Step, due string, late int) error {
	return app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(watchEscalations)
		if err != nil {
			return err
		}
		esc := core.NewRecord(col)
		esc.Set("target", row.ID)
		esc.Set("resident", row.Resident)
		esc.Set("step", step.ID)
		esc.Set("dueOn", due)
		esc.Set("daysOverdue", late)
		esc.Set("notifiedAt", time.Now())
		if err := tx.Save(esc); err != nil {
			return err
		}
		recipients, err := escalationRecipients(tx, row, step.Notify)
		if err != nil {
			return err
		}
		_, err = notify.SendEach(tx, escalationMessage(tx, row, step, due, late, esc.Id), recipients)
		return err
	})
}

// escalationRecipients: the assigned volunteer; the active coordinators of
// the target's organisation (else of the volunteer's); or 高齢福祉担当.
func escalationRecipients(app core.App, row watchDueRow, who string) ([]*core.Record, error) {
	switch who {
	case collections.NotifyCity:
		return elderlyStaff(app)
	case collections.NotifyVolunteer, collections.NotifyOrganization:
		var volunteer *core.Record
		if row.Volunteer != "" {
			volunteer, _ = app.FindRecordById(collections.Volunteers, row.Volunteer)
		}
		if who == collections.NotifyVolunteer {
			if volunteer == nil || !volunteer.GetBool("active") {
				return nil, nil
			}
			return []*core.Record{volunteer}, nil
		}
		org := row.Organization
		if org == "" && volunteer != nil {
			org = volunteer.GetString("organization")
		}
		if org == "" {
			return nil, nil
		}
		return app.FindAllRecords(collections.Volunteers, dbx.HashExp{"organization": org, "coordinator": true, "active": true})
	}
	return nil, nil
}

// escalationKeys are the templates of each step: each asks its recipient
// for a different action.
var escalationKeys = map[string]string{
	collections.NotifyVolunteer:    "notify.watch.overdue.volunteer",
	collections.NotifyOrganization: "notify.watch.overdue.organization",
	collections.NotifyCity:         "notify.watch.overdue.city",
}

func escalationMessage(app core.App, row watchDueRow, step watchplan.Step, due string, late int, reason string) notify.Message {
	who := watchResidentName(app, row.Resident)
	m := notify.Message{
		Kind:   "watch.overdue." + step.Notify,
		Key:    escalationKeys[step.Notify],
		Vars:   map[string]string{"resident": who, "due": due, "days": strconv.Itoa(late)},
		Link:   "/watch/my/",
		Reason: reason,
	}
	if step.Notify == collections.NotifyCity {
		m.Link = "/watch/"
	}
	return m
}
