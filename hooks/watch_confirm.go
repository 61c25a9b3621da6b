package hooks

import (
	"context"
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/registerdb"
)

// confirmBody makes residents watch targets, all with the same consent,
// frequency and assignment.
type confirmBody struct {
	Residents     []string `json:"residents"`
	ConsentStatus string   `json:"consentStatus"`
	Frequency     string   `json:"frequency"`
	Volunteer     string   `json:"volunteer"`
	Organization  string   `json:"organization"`
}

// selectValues are the values of a select field of a collection, so the
// route accepts exactly what the schema does.
func selectValues(app core.App, collection, field string) []string {
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil
	}
	if f, ok := col.Fields.GetByName(field).(*core.SelectField); ok {
		return f.Values
	}
	return nil
}

// validate checks the body and fills the organization from the volunteer
// when only the volunteer is given.
func (b *confirmBody) validate(app core.App) error {
	b.Residents = slices.Compact(slices.Sorted(slices.Values(b.Residents)))
	if i := slices.Index(b.Residents, ""); i >= 0 {
		b.Residents = slices.Delete(b.Residents, i, i+1)
	}
	switch {
	case len(b.Residents) == 0:
		return fieldError("residents", "missing_residents", "見守り対象にする人を選んでください。")
	case len(b.Residents) > confirmMax:
		return fieldError("residents", "too_many_residents", "一度に確定できるのは200人までです。")
	case !slices.Contains(selectValues(app, watchTargets, "consentStatus"), b.ConsentStatus):
		return fieldError("consentStatus", "invalid_consent_status", "本人の同意の状況を選んでください。")
	case !slices.Contains(selectValues(app, watchTargets, "frequency"), b.Frequency):
		return fieldError("frequency", "invalid_frequency", "訪問の頻度を選んでください。")
	case b.Volunteer == "" && b.Organization == "":
		return fieldError("volunteer", "missing_assignee", "担当の見守り協力員か団体を選んでください。")
	}
	if b.Volunteer != "" {
		v, err := app.FindRecordById(collections.Volunteers, b.Volunteer)
		if err != nil || !v.GetBool("active") {
			return fieldError("volunteer", "unknown_volunteer", "担当の見守り協力員が見つかりません。")
		}
		if b.Organization == "" {
			b.Organization = v.GetString("organization")
		}
	}
	if b.Organization != "" {
		if _, err := app.FindRecordById("organizations", b.Organization); err != nil {
			return fieldError("organization", "unknown_organization", "担当の団体が見つかりません。")
		}
	}
	return nil
}

type confirmed struct {
	Resident string `json:"resident"`
	Target   string `json:"target"`
}

// watchConfirm creates the watch targets in one transaction, each with its
// first QR code. Residents already watched are reported, not duplicated.
func watchConfirm(e *core.RequestEvent) error {
	var body confirmBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("送信内容を読み取れませんでした。", err)
	}
	if err := body.validate(e.App); err != nil {
		return err
	}
	var created []confirmed
	var already, missing []string
	err := e.App.RunInTransaction(func(tx core.App) error {
		var err error
		created, already, missing = nil, nil, nil
		residents, err := registerdb.RecordsBy(tx, "residents", "id", body.Residents)
		if err != nil {
			return err
		}
		watched, err := registerdb.RecordsBy(tx, watchTargets, "resident", body.Residents)
		if err != nil {
			return err
		}
		for _, id := range body.Residents {
			switch r := residents[id]; {
			case r == nil:
				missing = append(missing, id)
			case watched[id] != nil:
				already = append(already, id)
			default:
				t, err := newWatchTarget(tx, actorContext(e), r, body)
				if err != nil {
					return err
				}
				created = append(created, confirmed{id, t.Id})
			}
		}
		return nil
	})
	if err != nil {
		return e.InternalServerError("見守り対象を登録できませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"created": created, "alreadyTargeted": already, "notFound": missing})
}

// newWatchTarget saves the target with its first QR code. Someone who
// declined is recorded (so they are not proposed again) but not visited.
func newWatchTarget(tx core.App, ctx context.Context, resident *core.Record, b confirmBody) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId(watchTargets)
	if err != nil {
		return nil, err
	}
	t := core.NewRecord(col)
	t.Load(map[string]any{
		"resident": resident.Id, "area": resident.GetString("area"), "consentStatus": b.ConsentStatus,
		"frequency": b.Frequency, "volunteer": b.Volunteer, "organization": b.Organization,
		"active": b.ConsentStatus != collections.ConsentDeclined,
	})
	return t, issueWatchCode(tx, ctx, t)
}
