// Package secevents raises security events (別紙1 6: detect incidents
// automatically and tell the city at once): a record in security_events and
// a notification to every active operations (運用) staff member.
package secevents

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
)

// Collection stores the events.
const Collection = "security_events"

// Kinds of events.
const (
	FailedLogins = "failed_logins"
	Lockout      = "lockout"
	DeniedBurst  = "denied_burst"
	AuditBroken  = "audit_broken"
	BackupFailed = "backup_failed"
)

// Event is what happened. Details must never hold personal values: say which
// kind of account or which address, not whose.
type Event struct {
	Kind     string
	Critical bool
	Message  string // Japanese, shown to operations staff
	Details  map[string]any
	// Reason deduplicates: an open event with the same reason is not raised
	// again (one lockout storm is one event).
	Reason string
}

// Raise stores the event unless an open one has the same reason, and
// notifies operations staff. It returns the stored record, or nil when the
// event was already open.
func Raise(app core.App, ev Event) (*core.Record, error) {
	if ev.Reason == "" {
		ev.Reason = ev.Kind
	}
	if open, _ := app.FindFirstRecordByFilter(Collection, "reason = {:r} && status = 'open'", dbx.Params{"r": ev.Reason}); open != nil {
		return nil, nil
	}
	col, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return nil, err
	}
	rec := core.NewRecord(col)
	rec.Set("kind", ev.Kind)
	rec.Set("severity", map[bool]string{true: "critical", false: "warning"}[ev.Critical])
	rec.Set("message", ev.Message)
	details, _ := json.Marshal(ev.Details)
	rec.Set("details", string(details))
	rec.Set("status", "open")
	rec.Set("reason", ev.Reason)
	if err := app.Save(rec); err != nil {
		return nil, err
	}
	return rec, notifyOps(app, rec)
}

func notifyOps(app core.App, ev *core.Record) error {
	staff, err := app.FindAllRecords(collections.CityStaff, dbx.HashExp{"department": collections.DeptOps, "active": true})
	if err != nil {
		return err
	}
	for _, s := range staff {
		if _, err := notify.Send(app, notify.Message{
			Recipient: s, Kind: "security." + ev.GetString("kind"), Key: "notify.security.event",
			Vars: map[string]string{"message": ev.GetString("message")}, Link: "/staff/ops/", Reason: ev.Id,
		}); err != nil {
			return err
		}
	}
	return nil
}
