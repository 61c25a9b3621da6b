package hooks

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/photos"
)

const ordersCollection = "photo_orders"

// bindPhotoOrders adds the order routes: guardians order prints and data of
// the photos they see, priced by the server from the nursery's price list;
// the family or the nursery cancel until the order is invoiced.
func bindPhotoOrders(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/nursery/photo-orders")
		g.Bind(apis.BodyLimit(bodyLimit))
		g.POST("", placeOrder).Bind(apis.RequireAuth(collections.Users))
		g.POST("/{id}/cancel", cancelOrder).Bind(apis.RequireAuth(collections.Users, collections.NurseryStaff))
		return se.Next()
	})
}

// orderItem is a stored order line: what was charged, and enough of the
// photo to read the invoice even after the photo is gone.
type orderItem struct {
	photos.PricedLine
	Title   string `json:"title"`
	TakenOn string `json:"takenOn"`
}

func placeOrder(e *core.RequestEvent) error {
	body := struct {
		Child string        `json:"child"`
		Items []photos.Line `json:"items"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("items", "invalid_body", "リクエストの形式が正しくありません。")
	}
	child, err := e.App.FindRecordById("children", body.Child)
	if err != nil || !canView(e, child) {
		return fieldError("child", "not_found", "お子さまが見つかりません。")
	}
	// The order goes onto the household's invoice: guardians only.
	if !slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id) {
		return e.ForbiddenError("写真を注文できるのは保護者の方だけです。", nil)
	}
	if n := len(body.Items); n == 0 || n > photos.MaxLines {
		_, _, prob := photos.Quote(body.Items, nil) // explains the count
		return fieldError(prob.Field, prob.Code, prob.Message)
	}
	pics, err := orderablePhotos(e, body.Items)
	if err != nil {
		return err
	}
	nursery := pics[body.Items[0].Photo].GetString("nursery")
	today := civil.Today()
	ok, err := enrolledOn(e.App, child.Id, nursery, today.String())
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return fieldError("child", "not_enrolled", "このお子さまは写真の園に在籍していないため、注文できません。")
	}
	prices, err := priceList(e.App, nursery)
	if err != nil {
		return e.InternalServerError("", err)
	}
	priced, total, prob := photos.Quote(body.Items, prices)
	if prob != nil {
		return fieldError(prob.Field, prob.Code, prob.Message)
	}
	items := make([]orderItem, len(priced))
	for i, l := range priced {
		p := pics[l.Photo]
		items[i] = orderItem{PricedLine: l, Title: p.GetString("title"), TakenOn: p.GetString("takenOn")}
	}
	col, err := e.App.FindCachedCollectionByNameOrId(ordersCollection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	order := core.NewRecord(col)
	order.Load(map[string]any{
		"user": e.Auth.Id, "child": child.Id, "household": child.GetString("household"), "nursery": nursery,
		"items": items, "total": total, "month": photos.BillingMonth(time.Now()), "status": photos.Ordered,
	})
	if err := e.App.SaveWithContext(actorContext(e), order); err != nil {
		return e.BadRequestError("注文できませんでした。", err)
	}
	return e.JSON(http.StatusOK, order)
}

// orderablePhotos loads the photos of the lines: each must be one the caller
// sees, on sale today, and all from one nursery (one invoice per nursery).
func orderablePhotos(e *core.RequestEvent, lines []photos.Line) (map[string]*core.Record, error) {
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.Photo
	}
	recs, err := e.App.FindRecordsByIds(photosCollection, ids)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	byID := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		byID[r.Id] = r
	}
	today := civil.Today()
	nursery := ""
	for i, l := range lines {
		field := "items." + strconv.Itoa(i) + ".photo"
		p, ok := byID[l.Photo]
		if !ok || !canView(e, p) {
			return nil, fieldError(field, "photo_unavailable", "選んだ写真が見つかりません。")
		}
		if !photos.OnSale(p.GetString("status"), p.GetString("salesUntil"), today) {
			return nil, fieldError(field, "sales_closed", "販売期間が終わった写真は注文できません。")
		}
		if nursery == "" {
			nursery = p.GetString("nursery")
		}
		if p.GetString("nursery") != nursery {
			return nil, fieldError(field, "mixed_nurseries", "1回の注文は、1つの園の写真にしてください。")
		}
	}
	return byID, nil
}

// priceList is the nursery's price by size.
func priceList(app core.App, nursery string) (map[string]int, error) {
	recs, err := app.FindAllRecords("photo_prices", dbx.HashExp{"nursery": nursery})
	if err != nil {
		return nil, err
	}
	prices := make(map[string]int, len(recs))
	for _, r := range recs {
		prices[r.GetString("size")] = r.GetInt("price")
	}
	return prices, nil
}

// cancelOrder cancels an order that is not yet invoiced. The family (the
// orderer or a guardian of the child) and the nursery's staff may; when the
// nursery cancels, the orderer is told.
func cancelOrder(e *core.RequestEvent) error {
	order, err := e.App.FindRecordById(ordersCollection, e.Request.PathValue("id"))
	if err != nil || !canView(e, order) {
		return e.NotFoundError("注文が見つかりません。", nil)
	}
	if !photos.CanCancel(order.GetString("status")) {
		return fieldError("status", "not_cancellable", "請求済みまたは取消済みの注文は取り消せません。")
	}
	byNursery := e.Auth.Collection().Name == collections.NurseryStaff
	err = e.App.RunInTransaction(func(tx core.App) error {
		order.Set("status", photos.Cancelled)
		order.Set("cancelledAt", time.Now())
		if err := tx.SaveWithContext(actorContext(e), order); err != nil {
			return err
		}
		buyer, err := tx.FindRecordById(collections.Users, order.GetString("user"))
		if !byNursery || err != nil {
			return nil
		}
		_, err = notify.Send(tx, notify.Message{
			Recipient: buyer,
			Kind:      "nursery.photo_order_cancelled",
			Key:       "notify.nursery.photo_order_cancelled",
			Vars:      map[string]string{"total": strconv.Itoa(order.GetInt("total"))},
			Link:      "/me/photos/",
			Reason:    order.Id,
		})
		return err
	})
	if err != nil {
		return e.BadRequestError("注文を取り消せませんでした。", err)
	}
	return e.JSON(http.StatusOK, order)
}
