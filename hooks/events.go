package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
)

// bindEvents checks every save of a public event (record API, open data
// import, demo) for a schedule people can attend and apply for.
func bindEvents(app core.App) {
	app.OnRecordValidate(collections.Events).BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		problems := events.Check(events.Event{
			StartsAt: r.GetDateTime("startsAt").Time(), EndsAt: r.GetDateTime("endsAt").Time(),
			ApplicationOpens: r.GetDateTime("applicationOpens").Time(), ApplicationCloses: r.GetDateTime("applicationCloses").Time(),
			MinAgeMonths: r.GetInt("minAgeMonths"), MaxAgeMonths: r.GetInt("maxAgeMonths"),
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
}
