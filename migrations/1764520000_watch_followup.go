package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/watchplan"
)

// Adds the watch-over follow-through (見守りの督促と家族への開示):
// escalation steps and their state, family consents, and the coordinator
// flag of volunteers. A new installation gets the default escalation chain,
// so missed visits are followed up before anyone configures it.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		return LoadEscalationDefaults(app)
	}, nil)
}

// LoadEscalationDefaults adds the default escalation chain when no step is
// stored; a chain the city already set is left alone.
func LoadEscalationDefaults(app core.App) error {
	col, err := app.FindCollectionByNameOrId("watch_escalation_steps")
	if err != nil {
		return err
	}
	if n, err := app.CountRecords(col); err != nil || n > 0 {
		return err
	}
	for _, s := range watchplan.DefaultSteps {
		r := core.NewRecord(col)
		r.Set("level", s.Level)
		r.Set("daysOverdue", s.DaysOverdue)
		r.Set("notify", s.Notify)
		r.Set("active", true)
		if err := app.Save(r); err != nil {
			return err
		}
	}
	return nil
}
