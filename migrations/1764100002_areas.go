package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/saijo"
)

// Loads Saijo's districts and 地区 as reference data, so a production data
// dir has its areas without any seed.
func init() {
	m.Register(func(app core.App) error {
		col, err := app.FindCollectionByNameOrId("areas")
		if err != nil {
			return err
		}
		ids := map[string]string{}
		for _, a := range saijo.All() {
			rec, _ := app.FindFirstRecordByData(col, "code", a.Code)
			if rec == nil {
				rec = core.NewRecord(col)
			}
			rec.Set("code", a.Code)
			rec.Set("name", a.Name)
			rec.Set("kana", a.Kana)
			rec.Set("parent", ids[a.Parent])
			rec.Set("location", types.GeoPoint{Lat: a.Lat, Lon: a.Lng})
			if err := app.Save(rec); err != nil {
				return err
			}
			ids[a.Code] = rec.Id
		}
		return nil
	}, nil)
}
