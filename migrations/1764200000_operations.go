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
		su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			return err
		}
		su.Fields.Add(&core.DateField{Name: "passwordChangedAt", Help: "パスワードを最後に変更した日時（180日で失効）"})
		collections.RequireEmailOTP(su, "")
		return app.Save(su)
	}, nil)
}
