package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/saijo-dx/lifestage/collections"
)

// isCityStaffIn reports whether the caller is active city staff of one of
// the departments.
func isCityStaffIn(auth *core.Record, depts ...string) bool {
	return auth != nil && auth.Collection().Name == collections.CityStaff &&
		auth.GetBool("active") && slices.Contains(depts, auth.GetString("department"))
}

// requireCityStaff lets only active city staff of the departments through:
// 401 for guests, 403 for everyone else.
func requireCityStaff(depts ...string) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "lifestageRequireCityStaff",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("ログインしてください。", nil)
			}
			if !isCityStaffIn(e.Auth, depts...) {
				return e.ForbiddenError("この操作を行う権限がありません。", nil)
			}
			return e.Next()
		},
	}
}

// isStaff reports whether the caller works for the city or a partner
// (any account that is not a citizen).
func isStaff(auth *core.Record) bool {
	if auth == nil {
		return false
	}
	switch auth.Collection().Name {
	case collections.CityStaff, collections.NurseryStaff, collections.MedicalStaff, collections.Volunteers:
		return true
	}
	return false
}

// isNurseryStaff reports whether the caller is active staff of a nursery.
func isNurseryStaff(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == collections.NurseryStaff && auth.GetBool("active") && auth.GetString("nursery") != ""
}

// isNurseryStaffOf reports whether auth is active staff of the nursery.
func isNurseryStaffOf(auth *core.Record, nursery string) bool {
	return isNurseryStaff(auth) && nursery != "" && auth.GetString("nursery") == nursery
}
