package seed

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/mynumber"
)

// demoIssuer stands for デジタル認証アプリ in the demo's synthetic card
// links; the demo never talks to a provider.
const demoIssuer = "https://demo-idp.lifestage.example"

// MyNumber gives the demo parents an identity verified with the My Number
// card, and each a consent to import their youngest child's records from
// マイナポータル, with one checkup already imported, so the /me/ page shows
// the verified badge, the consent and an entry marked マイナポータル.
func (d *demo) myNumber() error {
	for i, role := range []string{"parent", "parent2"} {
		u := d.records[role]
		u.Set("identityVerifiedMethod", collections.IdentityMethodJPKI)
		u.Set("identityLevel", collections.IdentityLevelCard)
		u.Set("identityVerifiedAt", time.Now().Add(-time.Duration(i+1)*24*time.Hour))
		u.Set("jpkiSubject", mynumber.SubjectHash(demoIssuer, "demo-"+role))
		if err := d.tx.Save(u); err != nil {
			return err
		}
		kids, err := d.tx.FindRecordsByFilter("children", "guardians ~ {:p}", "-birthDate", 1, 0, map[string]any{"p": u.Id})
		if err != nil || len(kids) == 0 {
			continue
		}
		consent, err := d.mynaportalConsent(u, kids[0])
		if err != nil {
			return err
		}
		if role == "parent" {
			if err := d.importedCheckup(kids[0], consent); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *demo) mynaportalConsent(u, child *core.Record) (*core.Record, error) {
	col, err := d.tx.FindCollectionByNameOrId(collections.MynaportalConsents)
	if err != nil {
		return nil, err
	}
	c := core.NewRecord(col)
	c.Set("user", u.Id)
	c.Set("child", child.Id)
	c.Set("scopes", []string{collections.MynaScopeImmunizations, collections.MynaScopeCheckups})
	c.Set("purpose", collections.MynaportalPurpose)
	c.Set("validFrom", d.today.AddDays(-30).String())
	c.Set("validUntil", d.today.AddDays(-30).AddMonthsClamped(12).AddDays(-1).String())
	c.Set("status", collections.MynaConsentActive)
	c.Set("grantedAt", time.Now().Add(-30*24*time.Hour))
	return c, d.tx.Save(c)
}

// importedCheckup adds the 1-month checkup as if imported from PMH, when
// the child is old enough and the handbook has none yet.
func (d *demo) importedCheckup(child, consent *core.Record) error {
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil || civil.MonthBoundary(birth, 2).After(d.today) {
		return nil
	}
	if _, err := d.tx.FindFirstRecordByFilter("infant_checkups", "child = {:c} && code = '1m'", map[string]any{"c": child.Id}); err == nil {
		return nil
	}
	col, err := d.tx.FindCollectionByNameOrId("infant_checkups")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("child", child.Id)
	r.Set("code", "1m")
	r.Set("date", civil.MonthBoundary(birth, 1).AddDays(3).String())
	r.Set("weightKg", 4.2)
	r.Set("heightCm", 54.0)
	r.Set("result", "normal")
	r.Set("source", collections.SourceMynaportal)
	r.Set("sourceRecordId", "demo-pmh-"+child.Id+"-1m")
	r.Set("status", "completed")
	if err := d.tx.Save(r); err != nil {
		return err
	}
	consent.Set("lastImportAt", time.Now().Add(-29*24*time.Hour))
	consent.Set("lastImportCount", 1)
	return d.tx.Save(consent)
}
