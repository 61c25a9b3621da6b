package hooks

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
)

// createSlots copies an event into a series of time slots (a consultation
// with 30-minute slots is one event per slot, so each slot has its own
// capacity and waitlist): POST /api/lifestage/events/{id}/slots
// {"starts": [RFC 3339, …]}. Each copy is a draft until staff publish it;
// its code is the original's plus the slot's Tokyo date and time.
func createSlots(e *core.RequestEvent) error {
	var body struct {
		Starts []time.Time `json:"starts"`
	}
	if err := e.BindBody(&body); err != nil {
		return fieldError("starts", "invalid_time", "開始日時は RFC 3339 形式（例: 2026-12-03T10:00:00+09:00）の配列で指定してください。")
	}
	if len(body.Starts) == 0 || len(body.Starts) > events.MaxSlots {
		return fieldError("starts", "invalid_count", fmt.Sprintf("枠は1〜%d個で指定してください。", events.MaxSlots))
	}
	orig, err := e.App.FindRecordById(collections.Events, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("イベントが見つかりません。", nil)
	}
	base := events.Event{StartsAt: orig.GetDateTime("startsAt").Time(), EndsAt: orig.GetDateTime("endsAt").Time(),
		ApplicationOpens: orig.GetDateTime("applicationOpens").Time(), ApplicationCloses: orig.GetDateTime("applicationCloses").Time()}
	var ids []string
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, start := range body.Starts {
			s := events.Slot(base, start)
			r := core.NewRecord(orig.Collection())
			for _, f := range orig.Collection().Fields {
				if name := f.GetName(); name != "id" && name != "created" && name != "updated" {
					r.Set(name, orig.Get(name))
				}
			}
			r.Set("code", orig.GetString("code")+"-"+start.In(civil.Tokyo).Format("0102-1504"))
			r.Set("published", false)
			for field, t := range map[string]time.Time{"startsAt": s.StartsAt, "endsAt": s.EndsAt, "applicationOpens": s.ApplicationOpens, "applicationCloses": s.ApplicationCloses} {
				if !t.IsZero() {
					r.Set(field, t.UTC())
				}
			}
			if err := tx.SaveWithContext(actorContext(e), r); err != nil {
				return err
			}
			ids = append(ids, r.Id)
		}
		return nil
	})
	if err != nil {
		return e.BadRequestError("枠を作成できませんでした（同じ開始日時の枠がすでにあるか、内容に誤りがあります）。", err)
	}
	return e.JSON(http.StatusCreated, map[string]any{"ids": ids})
}
