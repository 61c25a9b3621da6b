package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
)

func bindChildren(app core.App) {
	// A citizen who registers a child becomes its only guardian; the other
	// parent joins through family sharing, so nobody can claim a child by
	// naming themselves in someone else's record.
	app.OnRecordCreateRequest("children").BindFunc(func(e *core.RecordRequestEvent) error {
		if isCitizen(e.RequestEvent) {
			e.Record.Set("guardians", []string{e.Auth.Id})
			e.Record.Set("household", e.Auth.GetString("household"))
			if e.Record.GetString("area") == "" {
				e.Record.Set("area", e.Auth.GetString("area"))
			}
		}
		return e.Next()
	})

	app.OnRecordValidate("children").BindFunc(func(e *core.RecordEvent) error {
		birth, err := civil.Parse(e.Record.GetString("birthDate"))
		if err != nil {
			return fieldValidation("birthDate", "invalid_date", "生年月日をYYYY-MM-DDの形式で正しく入力してください。")
		}
		if birth.After(civil.Today()) {
			return fieldValidation("birthDate", "future_date", "生年月日に未来の日付は入力できません。")
		}
		return e.Next()
	})
}
