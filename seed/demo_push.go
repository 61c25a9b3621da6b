package seed

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/delivery"
)

// demoPreferences gives the demo accounts different delivery preferences to
// look at on 「通知の設定」: quiet hours, opted-out categories, no email.
var demoPreferences = map[string]map[string]any{
	"parent":        {"quietStart": "21:00", "quietEnd": "07:00", "optOut": []string{"event"}},
	"parent2":       {"quietStart": "22:00", "quietEnd": "06:30"},
	"grandparent":   {"optOut": []string{"nursery", "event"}, "noEmail": true},
	"nursery_staff": {"quietStart": "20:00", "quietEnd": "07:00"},
}

// pushDemo stores one browser subscription and a preferences record for every
// demo account. The demo browsers do not exist, so their subscriptions start
// as no longer working (failures at the limit): the demo never calls a push
// service, and its notifications fall back to email as real ones would.
func (d *demo) pushDemo() error {
	subs, err := d.tx.FindCollectionByNameOrId(collections.PushSubscriptions)
	if err != nil {
		return err
	}
	prefs, err := d.tx.FindCollectionByNameOrId(collections.NotificationPreferences)
	if err != nil {
		return err
	}
	for _, role := range DemoRoles {
		acc := d.records[role]
		s := core.NewRecord(subs)
		p := core.NewRecord(prefs)
		for _, r := range []*core.Record{s, p} {
			r.Set("owner", acc.Id)
			r.Set("ownerCollection", acc.Collection().Name)
		}
		s.Set("endpoint", "https://push.invalid/demo/"+acc.Id)
		// A valid P-256 point and auth secret shape, never used.
		s.Set("p256dh", "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM")
		s.Set("auth", "tBHItJI5svbpez7KI4CCXg")
		s.Set("userAgent", "デモ用の端末（架空）")
		s.Set("failures", delivery.MaxFailures)
		for k, v := range demoPreferences[role] {
			p.Set(k, v)
		}
		for _, r := range []*core.Record{s, p} {
			if err := d.tx.Save(r); err != nil {
				return fmt.Errorf("demo push %s: %w", role, err)
			}
		}
	}
	return nil
}
