package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/register"
)

// Adds the watch-over candidate rules (見守り候補の抽出条件) and loads the
// default rules, so a production data dir proposes candidates from its
// first register import without any seed.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		return LoadWatchCandidateRules(app)
	}, nil)
}

// LoadWatchCandidateRules adds the default rules when the city has none;
// once staff have rules of their own they are left alone.
func LoadWatchCandidateRules(app core.App) error {
	col, err := app.FindCollectionByNameOrId(collections.WatchCandidateRules)
	if err != nil {
		return err
	}
	n, err := app.CountRecords(col)
	if err != nil || n > 0 {
		return err
	}
	for _, d := range register.DefaultRules {
		r := core.NewRecord(col)
		r.Load(map[string]any{"name": d.Name, "minAge": d.MinAge, "household": d.Household, "active": d.Active, "note": d.Note})
		if err := app.Save(r); err != nil {
			return err
		}
	}
	return nil
}
