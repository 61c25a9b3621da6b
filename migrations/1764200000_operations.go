package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// Adds the operations layer: the audit log, security events, login fields
// on staff accounts, and MFA by email code for superusers and the 運用 role.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		// PocketBase's default avatar is not part of lifestage's schema
		// (collections/ is the single source of truth) and no page uses it.
		users, err := app.FindCollectionByNameOrId(collections.Users)
		if err != nil {
			return err
		}
		if users.Fields.GetByName("avatar") != nil {
			users.Fields.RemoveByName("avatar")
			if err := app.Save(users); err != nil {
				return err
			}
		}
		su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			return err
		}
		su.Fields.Add(&core.DateField{Name: "passwordChangedAt", Help: "パスワードを最後に変更した日時（180日で失効）"})
		collections.RequireEmailOTP(su, "")
		if err := app.Save(su); err != nil {
			return err
		}
		// Accounts that existed before password ages were tracked start
		// their 180 days now, instead of being locked out at once.
		for _, table := range []string{core.CollectionNameSuperusers, collections.CityStaff, collections.NurseryStaff, collections.MedicalStaff, collections.Volunteers} {
			if _, err := app.DB().NewQuery("UPDATE {{" + table + "}} SET [[passwordChangedAt]] = strftime('%Y-%m-%d %H:%M:%fZ') WHERE [[passwordChangedAt]] = ''").Execute(); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
