package seed

import (
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/consent"
)

// DemoConsentPurpose is the purpose of the demo parent's grant.
const DemoConsentPurpose = "子育て応援アプリ（デモ）で、お子さまの予防接種の予定と成長曲線を表示するため"

// consents adds the consent broker's demo data: the demo parent's grant
// to the demo partner for the youngest child (in force), an older grant
// the parent revoked, and parent2's grant that has expired. The demo key
// may use the broker (personal:read), so a read with the printed key shows
// in the parent's /me/access/. No read is faked into the audit log: it
// records only what happened. Receipts are built when asked for (the
// pseudonyms need the server key, which the seed does not hold).
func (d *demo) consents() error {
	partner, err := d.tx.FindFirstRecordByData(collections.Partners, "name", DemoPartnerName)
	if err != nil {
		return err
	}
	key, err := d.tx.FindFirstRecordByFilter(collections.APIKeys, "partner = {:p} && label = {:l} && revokedAt = ''",
		map[string]any{"p": partner.Id, "l": demoKeyLabel})
	if err != nil {
		return err
	}
	if scopes := key.GetStringSlice("scopes"); !slices.Contains(scopes, consent.KeyScope) {
		key.Set("scopes", append(scopes, consent.KeyScope))
		if err := d.tx.Save(key); err != nil {
			return err
		}
	}
	now := time.Now()
	type grant struct {
		role      string
		from      int // days from today
		months    int
		scopes    []string
		purpose   string
		revokedAt time.Time
	}
	for _, g := range []grant{
		{role: "parent", from: -60, months: 1, scopes: []string{"growth:read"}, purpose: "成長曲線アプリ（デモ）の試用のため",
			revokedAt: now.AddDate(0, 0, -40)},
		{role: "parent", from: -14, months: 12, scopes: []string{"immunizations:read", "growth:read", "checkups:read"},
			purpose: DemoConsentPurpose},
		{role: "parent2", from: -120, months: 3, scopes: []string{"immunizations:read"}, purpose: "予防接種の予定をアプリで通知するため（デモ）"},
	} {
		kids, err := d.tx.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, map[string]any{"p": d.records[g.role].Id})
		if err != nil || len(kids) == 0 {
			continue
		}
		if err := d.partnerConsent(d.records[g.role], kids[0], partner, g.scopes, g.purpose, g.from, g.months, g.revokedAt); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) partnerConsent(u, child, partner *core.Record, scopes []string, purpose string, fromDays, months int, revokedAt time.Time) error {
	col, err := d.tx.FindCollectionByNameOrId(collections.PartnerConsents)
	if err != nil {
		return err
	}
	from := d.today.AddDays(fromDays)
	r := core.NewRecord(col)
	r.Set("user", u.Id)
	r.Set("child", child.Id)
	r.Set("partner", partner.Id)
	r.Set("purpose", purpose)
	r.Set("scopes", scopes)
	r.Set("validFrom", from.String())
	r.Set("validUntil", from.AddMonthsClamped(months).AddDays(-1).String())
	r.Set("grantedAt", from.Time().Add(10*time.Hour))
	if !revokedAt.IsZero() {
		r.Set("revokedAt", revokedAt)
	}
	return d.tx.Save(r)
}
