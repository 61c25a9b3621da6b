package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/fees"
)

// Adds the nursery fee table (fee_tables) and loads Saijo's FY2026 rows
// from the table embedded in fees, so a production data dir can estimate
// fees without any seed.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		return LoadFeeTable(app, 2026)
	}, nil)
}

// LoadFeeTable adds the rows of Saijo's embedded fee table for a fiscal
// year that are not stored yet. Rows already there are left alone: city
// staff may have corrected them.
func LoadFeeTable(app core.App, fiscalYear int) error {
	t, err := fees.Saijo(fiscalYear)
	if err != nil {
		return err
	}
	col, err := app.FindCollectionByNameOrId(collections.FeeTables)
	if err != nil {
		return err
	}
	for _, r := range t.Rows {
		n, err := app.CountRecords(col, dbx.HashExp{"fiscalYear": fiscalYear, "tier": string(r.Tier)})
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		rec := core.NewRecord(col)
		rec.Load(map[string]any{
			"fiscalYear": fiscalYear, "tier": string(r.Tier), "label": r.Label,
			"incomeTaxFrom": r.IncomeTaxFrom, "incomeTaxBelow": r.IncomeTaxBelow,
			"standard": r.Standard, "short": r.Short,
			"protectedStandard": r.ProtectedStandard, "protectedShort": r.ProtectedShort,
			"source": t.Source,
		})
		if err := app.Save(rec); err != nil {
			return err
		}
	}
	return nil
}
