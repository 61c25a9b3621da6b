package hooks

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

const birthRecordsCollection = "birth_records"

// birthInstitutionTypes are the facility kinds a child can be born in.
var birthInstitutionTypes = []string{"clinic", "hospital"}

// bindBirthRecords checks what a field's bounds alone cannot: the days of
// the gestational age need its weeks, and a listed birth institution must
// be a medical one.
func bindBirthRecords(app core.App) {
	app.OnRecordValidate(birthRecordsCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetInt("gestationalDays") > 0 && e.Record.GetInt("gestationalWeeks") == 0 {
			return fieldValidation("gestationalWeeks", "weeks_required", "在胎週数の「週」も入力してください（例: 39週2日）。")
		}
		if id := e.Record.GetString("institution"); id != "" {
			f, err := e.App.FindRecordById("facilities", id)
			if err != nil || !slices.Contains(birthInstitutionTypes, f.GetString("type")) {
				return fieldValidation("institution", "invalid_institution", "出生した医療機関は、病院か診療所から選んでください。")
			}
		}
		return e.Next()
	})
}

// birthWeight is the child's birth weight in grams on file, or 0. The
// 予診票 asks for it, so a family that entered it once need not look it up
// again.
func birthWeight(app core.App, childID string) int {
	var g int
	err := app.DB().Select("weightG").From(birthRecordsCollection).
		Where(dbx.HashExp{"child": childID}).Limit(1).Row(&g)
	if err != nil {
		return 0
	}
	return g
}
