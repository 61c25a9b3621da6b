package hooks

import (
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/delivery"
)

func bindPushPreferences(se *core.ServeEvent) {
	g := se.Router.Group("/api/lifestage/push/preferences")
	g.Bind(apis.RequireAuth(), apis.BodyLimit(bodyLimit))
	g.GET("", getPushPreferences)
	g.PUT("", putPushPreferences)
}

type pushPreferences struct {
	QuietStart string   `json:"quietStart"`
	QuietEnd   string   `json:"quietEnd"`
	OptOut     []string `json:"optOut"`
	NoEmail    bool     `json:"noEmail"`
}

type categoryView struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// preferencesView is what the 「通知の設定」 page shows: the settings, the
// categories, and whether the caller has a working push subscription.
func preferencesView(e *core.RequestEvent, p pushPreferences) error {
	cats := make([]categoryView, len(delivery.Categories))
	for i, c := range delivery.Categories {
		cats[i] = categoryView{string(c.Code), c.Label}
	}
	subs, _ := e.App.CountRecords(collections.PushSubscriptions, dbx.HashExp{"owner": e.Auth.Id, "ownerCollection": e.Auth.Collection().Name},
		dbx.NewExp("failures < {:max}", dbx.Params{"max": delivery.MaxFailures}))
	if p.OptOut == nil {
		p.OptOut = []string{}
	}
	return e.JSON(http.StatusOK, map[string]any{"preferences": p, "categories": cats, "pushSubscriptions": subs})
}

func myPreferences(e *core.RequestEvent) (*core.Record, error) {
	return e.App.FindFirstRecordByFilter(collections.NotificationPreferences,
		"owner = {:o} && ownerCollection = {:c}", dbx.Params{"o": e.Auth.Id, "c": e.Auth.Collection().Name})
}

func getPushPreferences(e *core.RequestEvent) error {
	var p pushPreferences
	if rec, err := myPreferences(e); err == nil {
		p = pushPreferences{rec.GetString("quietStart"), rec.GetString("quietEnd"), rec.GetStringSlice("optOut"), rec.GetBool("noEmail")}
	}
	return preferencesView(e, p)
}

// putPushPreferences replaces the caller's preferences. Quiet hours come as
// a pair (both empty turns them off); unknown categories are refused.
func putPushPreferences(e *core.RequestEvent) error {
	var p pushPreferences
	if err := e.BindBody(&p); err != nil {
		return e.BadRequestError("送信内容を読み取れません", err)
	}
	hhmm := validation.By(func(v any) error {
		if s := v.(string); s != "" && !delivery.ValidHHMM(s) {
			return validation.NewError("invalid_time", "時刻はHH:MMの形式で入力してください")
		}
		return nil
	})
	errs := validation.Errors{
		"quietStart": validation.Validate(p.QuietStart, hhmm),
		"quietEnd":   validation.Validate(p.QuietEnd, hhmm),
		"optOut": validation.Validate(p.OptOut, validation.By(func(any) error {
			for _, c := range p.OptOut {
				if !slices.Contains(delivery.CategoryCodes(), c) {
					return validation.NewError("invalid_category", "通知の種類が正しくありません")
				}
			}
			return nil
		})),
	}
	if (p.QuietStart == "") != (p.QuietEnd == "") && errs["quietEnd"] == nil {
		errs["quietEnd"] = validation.NewError("quiet_hours_pair", "通知しない時間帯は開始と終了の両方を入力してください")
	}
	if err := errs.Filter(); err != nil {
		return apis.NewBadRequestError("入力内容を確認してください", err)
	}
	rec, err := myPreferences(e)
	if err != nil {
		col, cerr := e.App.FindCachedCollectionByNameOrId(collections.NotificationPreferences)
		if cerr != nil {
			return e.InternalServerError("", cerr)
		}
		rec = core.NewRecord(col)
		rec.Set("owner", e.Auth.Id)
		rec.Set("ownerCollection", e.Auth.Collection().Name)
	}
	rec.Set("quietStart", p.QuietStart)
	rec.Set("quietEnd", p.QuietEnd)
	rec.Set("optOut", p.OptOut)
	rec.Set("noEmail", p.NoEmail)
	if err := e.App.SaveWithContext(actorContext(e), rec); err != nil {
		return e.BadRequestError("設定を保存できませんでした", err)
	}
	return preferencesView(e, p)
}
