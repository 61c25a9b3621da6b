package seed

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/ngsi"
)

// DemoNGSI adds the NGSI interface's demo data: one subscription of the
// demo partner (stopped, as its address is fictitious; it shows the shape
// in the staff screens) and a week of vacancy history of the first public
// nursery, so the history route has something to show.
func DemoNGSI(app core.App, now time.Time) error {
	partner, err := app.FindFirstRecordByData(collections.Partners, "name", DemoPartnerName)
	if err != nil {
		return err
	}
	subs, err := app.FindCachedCollectionByNameOrId(collections.NGSISubscriptions)
	if err != nil {
		return err
	}
	s := core.NewRecord(subs)
	s.Set("partner", partner.Id)
	s.Set("description", "保育所の空きが変わったら通知（デモ）")
	s.Set("entities", []map[string]string{{"idPattern": ".*", "type": ngsi.NurseryVacancy}})
	s.Set("conditionAttrs", []string{"vacancies"})
	s.Set("url", "https://partner.example.jp/ngsi/notify")
	s.Set("attrs", []string{"name", "ageClass", "vacancies"})
	s.Set("attrsFormat", "keyValues")
	s.Set("secret", "demo-secret-not-used-anywhere")
	s.Set("status", collections.SubInactive)
	if err := app.Save(s); err != nil {
		return err
	}
	nursery, err := app.FindFirstRecordByFilter("facilities", `type = "nursery" && public = true`)
	if err != nil {
		return nil // a data set without nurseries has no vacancy history
	}
	hist, err := app.FindCachedCollectionByNameOrId(collections.NGSIHistory)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("urn:ngsi-ld:NurseryVacancy:saijo:%s:1", nursery.GetString("code"))
	for i, v := range []int{3, 3, 2, 2, 1, 2, 1} {
		h := core.NewRecord(hist)
		h.Set("entityId", id)
		h.Set("entityType", ngsi.NurseryVacancy)
		h.Set("attr", "vacancies")
		h.Set("attrType", ngsi.TypeNumber)
		h.Set("value", v)
		h.Set("observedAt", now.AddDate(0, 0, i-7).UTC().Format("2006-01-02T15:04:05.000Z07:00"))
		if err := app.Save(h); err != nil {
			return err
		}
	}
	return nil
}
