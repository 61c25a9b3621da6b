package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
)

// privilegeFields are the fields whose change must end the account's open
// sessions at once.
var privilegeFields = []string{"active", "department", "role", "nursery", "institution", "organization", "areas"}

func bindStaffAccounts(app core.App) {
	staff := []string{collections.CityStaff, collections.NurseryStaff, collections.MedicalStaff, collections.Volunteers}
	app.OnRecordUpdate(staff...).BindFunc(func(e *core.RecordEvent) error {
		orig := e.Record.Original()
		for _, f := range privilegeFields {
			if e.Record.Collection().Fields.GetByName(f) == nil {
				continue
			}
			if !slices.Equal(orig.GetStringSlice(f), e.Record.GetStringSlice(f)) {
				e.Record.RefreshTokenKey()
				break
			}
		}
		return e.Next()
	})
}
