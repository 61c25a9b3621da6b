package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
)

// bindEvents checks every save of a public event (record API, open data
// import, demo) for a schedule people can attend and apply for, and binds
// the online applications.
func bindEvents(app core.App) {
	app.OnRecordValidate(collections.Events).BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		qs, err := eventQuestions(r)
		if err != nil {
			return fieldValidation("questions", "invalid_questions", "質問の形式が正しくありません（質問の一覧をJSONの配列で入れてください）。")
		}
		problems := events.Check(events.Event{
			StartsAt: r.GetDateTime("startsAt").Time(), EndsAt: r.GetDateTime("endsAt").Time(),
			ApplicationOpens: r.GetDateTime("applicationOpens").Time(), ApplicationCloses: r.GetDateTime("applicationCloses").Time(),
			MinAgeMonths: r.GetInt("minAgeMonths"), MaxAgeMonths: r.GetInt("maxAgeMonths"),
			Questions: qs,
		})
		if len(problems) > 0 {
			errs := validation.Errors{}
			for _, p := range problems {
				errs[p.Field] = validation.NewError(p.Code, p.Message)
			}
			return errs
		}
		return e.Next()
	})
	bindEventApplications(app)
}

// eventQuestions reads an event's extra questions; an empty field is none.
func eventQuestions(r *core.Record) ([]events.Question, error) {
	var qs []events.Question
	if raw := r.GetString("questions"); raw == "" || raw == "null" {
		return nil, nil
	}
	err := r.UnmarshalJSONField("questions", &qs)
	return qs, err
}
