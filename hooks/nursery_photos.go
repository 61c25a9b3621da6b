package hooks

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/photos"
)

const photosCollection = "nursery_photos"

// audienceFields decide who sees a photo; a change to any of them recomputes
// its viewers.
var audienceFields = []string{"children", "classWide", "class", "takenOn"}

// readerFields of a child decide who reads its records, photos included.
var readerFields = []string{"guardians", "familyViewers", "familyManagers"}

// bindPhotoSales binds photo sales (写真販売): the photos and their orders.
func bindPhotoSales(app core.App) {
	bindNurseryPhotos(app)
	bindPhotoOrders(app)
}

// bindNurseryPhotos keeps each photo's viewers current, checks uploads and
// tags, tells families about new photos, serves originals only to buyers
// of the data, and adds the staff routes (class roster, delete).
func bindNurseryPhotos(app core.App) {
	app.OnRecordCreateRequest(photosCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth != nil && e.Auth.Collection().Name == collections.NurseryStaff {
			e.Record.Set("uploadedBy", e.Auth.Id)
		}
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", photos.Draft)
		}
		return e.Next()
	})
	app.OnRecordValidate(photosCollection).BindFunc(validatePhoto)
	app.OnRecordCreate(photosCollection).BindFunc(func(e *core.RecordEvent) error { return savePhoto(e, true) })
	app.OnRecordUpdate(photosCollection).BindFunc(func(e *core.RecordEvent) error { return savePhoto(e, false) })
	app.OnRecordEnrich(photosCollection).BindFunc(func(e *core.RecordEnrichEvent) error {
		// Families never learn which other children are in a photo, nor
		// which member of staff uploaded it.
		if auth := e.RequestInfo.Auth; auth == nil || (auth.Collection().Name != collections.NurseryStaff && !auth.IsSuperuser()) {
			e.Record.Hide("children", "uploadedBy")
		}
		return e.Next()
	})
	app.OnFileDownloadRequest(photosCollection).BindFunc(gateOriginal)

	// Sharing changes (hooks/family.go) and guardian changes both save the
	// child, so this one hook keeps every photo's viewers in step.
	app.OnRecordUpdate("children").BindFunc(func(e *core.RecordEvent) error {
		readersChanged := changed(e.Record, readerFields...)
		if err := e.Next(); err != nil || !readersChanged {
			return err
		}
		return refreshChildPhotos(e.Context, e.App, e.Record.Id)
	})
	// An enrolment decides who was in a class on the day of a class-wide
	// photo: refresh the photos of the class it leaves and the one it joins.
	refreshEnrolment := func(e *core.RecordEvent) error {
		classes := []string{e.Record.GetString("class"), e.Record.Original().GetString("class")}
		if err := e.Next(); err != nil {
			return err
		}
		slices.Sort(classes)
		return refreshClassPhotos(e.Context, e.App, slices.Compact(classes)...)
	}
	app.OnRecordCreate("enrolments").BindFunc(refreshEnrolment)
	app.OnRecordUpdate("enrolments").BindFunc(func(e *core.RecordEvent) error {
		if !changed(e.Record, "child", "class", "start", "end") {
			return e.Next()
		}
		return refreshEnrolment(e)
	})
	app.OnRecordDelete("enrolments").BindFunc(refreshEnrolment)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/nursery/photos")
		g.Bind(apis.RequireAuth(collections.NurseryStaff), apis.BodyLimit(bodyLimit))
		g.GET("/roster", photoRoster)
		g.DELETE("/{id}", deletePhoto)
		return se.Next()
	})
}

// changed reports whether a saved record differs from its original in any
// of the fields (always true for a new record).
func changed(r *core.Record, fields ...string) bool {
	orig := r.Original()
	if orig == nil || orig.IsNew() {
		return true
	}
	for _, f := range fields {
		if fmt.Sprint(orig.Get(f)) != fmt.Sprint(r.Get(f)) {
			return true
		}
	}
	return false
}

func validatePhoto(e *core.RecordEvent) error {
	r := e.Record
	p := photos.Photo{
		Status: r.GetString("status"), TakenOn: r.GetString("takenOn"), SalesUntil: r.GetString("salesUntil"),
		Class: r.GetString("class"), ClassWide: r.GetBool("classWide"), Tagged: len(r.GetStringSlice("children")),
	}
	if prob := photos.CheckPhoto(p, civil.Today()); prob != nil {
		return fieldValidation(prob.Field, prob.Code, prob.Message)
	}
	nursery := r.GetString("nursery")
	if class := r.GetString("class"); class != "" && changed(r, "class", "nursery") {
		c, err := e.App.FindRecordById("nursery_classes", class)
		if err != nil || c.GetString("nursery") != nursery {
			return fieldValidation("class", "other_nursery", "この園のクラスを選んでください。")
		}
	}
	// Only new tags are checked, so a later change to an enrolment never
	// blocks editing an old photo's title.
	var before []string
	if orig := r.Original(); orig != nil && !orig.IsNew() {
		before = orig.GetStringSlice("children")
	}
	for _, child := range r.GetStringSlice("children") {
		if slices.Contains(before, child) {
			continue
		}
		ok, err := enrolledOn(e.App, child, nursery, p.TakenOn)
		if err != nil {
			return err
		}
		if !ok {
			return fieldValidation("children", "not_enrolled", "撮影日にこの園に在籍していないお子さまは選べません。")
		}
	}
	return e.Next()
}

// enrolledOn reports whether the child was enrolled at the nursery on the day.
func enrolledOn(app core.App, child, nursery, day string) (bool, error) {
	n, err := app.CountRecords("enrolments", dbx.HashExp{"child": child, "nursery": nursery},
		dbx.NewExp("start <= {:d} AND ([[end]] = '' OR [[end]] >= {:d})", dbx.Params{"d": day}))
	return n > 0, err
}

// savePhoto recomputes the viewers when the audience changed and, once the
// photo is published, tells its families.
func savePhoto(e *core.RecordEvent, isNew bool) error {
	wasPublished := !isNew && e.Record.Original().GetString("status") == photos.Published
	if isNew || changed(e.Record, audienceFields...) {
		viewers, err := photoAudience(e.App, e.Record)
		if err != nil {
			return err
		}
		e.Record.Set("viewers", viewers)
	}
	if err := e.Next(); err != nil {
		return err
	}
	// A bulk load (an import, the demo) tells nobody.
	if wasPublished || e.Record.GetString("status") != photos.Published || audit.IsBulk(e.Context) {
		return nil
	}
	return notifyPublished(e.App, e.Record)
}

// photoAudience lists the accounts that read any child the photo concerns: the
// tagged children and, for a class-wide photo, every child enrolled in the
// class on the day it was taken.
func photoAudience(app core.App, photo *core.Record) ([]string, error) {
	ids := photo.GetStringSlice("children")
	if photo.GetBool("classWide") && photo.GetString("class") != "" {
		var mates []string
		err := app.DB().Select("child").From("enrolments").
			Where(dbx.HashExp{"nursery": photo.GetString("nursery"), "class": photo.GetString("class")}).
			AndWhere(dbx.NewExp("start <= {:d} AND ([[end]] = '' OR [[end]] >= {:d})", dbx.Params{"d": photo.GetString("takenOn")})).
			Column(&mates)
		if err != nil {
			return nil, err
		}
		ids = append(ids, mates...)
	}
	if len(ids) == 0 {
		return []string{}, nil
	}
	kids, err := app.FindRecordsByIds("children", ids)
	if err != nil {
		return nil, err
	}
	readers := make([][]string, 0, len(kids)*len(readerFields))
	for _, k := range kids {
		for _, f := range readerFields {
			readers = append(readers, k.GetStringSlice(f))
		}
	}
	return photos.Audience(readers...), nil
}

// refreshChildPhotos recomputes the viewers of every photo a child is in or
// was in the class of, after the child's guardians or sharing changed.
func refreshChildPhotos(ctx context.Context, app core.App, child string) error {
	// The tag search scans the photos, but sharing changes are rare, and a
	// scan cannot miss a photo the way a search by enrolment could.
	tagged, err := app.FindRecordsByFilter(photosCollection, "children ~ {:c}", "", 0, 0, dbx.Params{"c": child})
	if err != nil {
		return err
	}
	var classes []string
	err = app.DB().Select("class").Distinct(true).From("enrolments").
		Where(dbx.HashExp{"child": child}).AndWhere(dbx.NewExp("class != ''")).Column(&classes)
	if err != nil {
		return err
	}
	if err := refreshViewers(ctx, app, tagged); err != nil {
		return err
	}
	return refreshClassPhotos(ctx, app, classes...)
}

// refreshClassPhotos recomputes the viewers of the class-wide photos of the
// classes, after an enrolment in one of them changed.
func refreshClassPhotos(ctx context.Context, app core.App, classes ...string) error {
	for _, class := range classes {
		if class == "" {
			continue
		}
		recs, err := app.FindAllRecords(photosCollection, dbx.HashExp{"class": class, "classWide": true})
		if err != nil {
			return err
		}
		if err := refreshViewers(ctx, app, recs); err != nil {
			return err
		}
	}
	return nil
}

// refreshViewers stores recomputed viewers where they differ. The saves skip
// validation (an old photo must never block a sharing change) and the audit
// log: the change that caused them is logged, and viewers are derived.
func refreshViewers(ctx context.Context, app core.App, recs []*core.Record) error {
	for _, r := range recs {
		viewers, err := photoAudience(app, r)
		if err != nil {
			return err
		}
		if slices.Equal(viewers, r.GetStringSlice("viewers")) {
			continue
		}
		r.Set("viewers", viewers)
		if err := app.SaveNoValidateWithContext(audit.Bulk(ctx), r); err != nil {
			return fmt.Errorf("photo %s viewers: %w", r.Id, err)
		}
	}
	return nil
}

// notifyPublished tells the photo's families, at most once a day per
// nursery, that there are new photos to see.
func notifyPublished(app core.App, photo *core.Record) error {
	viewers := photo.GetStringSlice("viewers")
	if len(viewers) == 0 {
		return nil
	}
	users, err := app.FindRecordsByIds(collections.Users, viewers)
	if err != nil {
		return err
	}
	for _, u := range users {
		_, err := notify.Send(app, notify.Message{
			Recipient: u,
			Kind:      "nursery.photos_published",
			Key:       "notify.nursery.photos_published",
			Vars:      map[string]string{"title": photo.GetString("title")},
			Link:      "/me/photos/",
			Reason:    photo.GetString("nursery"),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// gateOriginal serves a photo's full-size file only to the nursery's staff
// and to families who bought it as data; everyone the view rule lets in
// sees the thumbnails.
func gateOriginal(e *core.FileDownloadRequestEvent) error {
	if e.ServedName != e.Record.GetString("image") {
		return e.Next() // a thumbnail
	}
	auth, _ := e.App.FindAuthRecordByToken(e.Request.URL.Query().Get("token"), core.TokenTypeFile)
	if auth != nil && (auth.IsSuperuser() || auth.Collection().Name == collections.NurseryStaff) {
		return e.Next() // the view rule has already checked the nursery
	}
	if auth != nil && auth.Collection().Name == collections.Users {
		bought, err := boughtData(e.App, e.Record, auth)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if bought {
			return e.Next()
		}
	}
	return e.ForbiddenError("元の画像は、データを購入した方だけがダウンロードできます。", nil)
}

// boughtData reports whether the account, or its household, has a standing
// order of the photo's data.
func boughtData(app core.App, photo, auth *core.Record) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM photo_orders o, json_each(o.items) j
		WHERE o.nursery = {:n} AND o.status IN ({:ordered}, {:invoiced})
		AND (o.user = {:u} OR (o.household != '' AND o.household = {:h}))
		AND json_extract(j.value, '$.photo') = {:p} AND json_extract(j.value, '$.size') = {:data}`).
		Bind(dbx.Params{
			"n": photo.GetString("nursery"), "ordered": photos.Ordered, "invoiced": photos.Invoiced,
			"u": auth.Id, "h": auth.GetString("household"), "p": photo.Id, "data": photos.SizeData,
		}).Row(&n)
	return n > 0, err
}

// pendingOrders counts the orders of a photo that still wait to be printed
// and billed.
func pendingOrders(app core.App, photo *core.Record) (int, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM photo_orders o, json_each(o.items) j
		WHERE o.nursery = {:n} AND o.status = {:ordered} AND json_extract(j.value, '$.photo') = {:p}`).
		Bind(dbx.Params{"n": photo.GetString("nursery"), "ordered": photos.Ordered, "p": photo.Id}).Row(&n)
	return n, err
}

// deletePhoto removes a photo of the caller's nursery unless an order of it
// is still open; a photo families have ordered is withdrawn instead.
func deletePhoto(e *core.RequestEvent) error {
	photo, err := e.App.FindRecordById(photosCollection, e.Request.PathValue("id"))
	if err != nil || !isNurseryStaffOf(e.Auth, photo.GetString("nursery")) {
		return e.NotFoundError("写真が見つかりません。", nil)
	}
	n, err := pendingOrders(e.App, photo)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if n > 0 {
		return fieldError("id", "photo_ordered", "注文を受けている写真は削除できません。公開を停止してください。")
	}
	if err := e.App.DeleteWithContext(actorContext(e), photo); err != nil {
		return e.BadRequestError("写真を削除できませんでした。", err)
	}
	return e.NoContent(http.StatusNoContent)
}

// rosterChild is a child staff may tag: the name and class, nothing more.
type rosterChild struct {
	ID             string `json:"id"`
	FamilyName     string `json:"familyName"`
	GivenName      string `json:"givenName"`
	FamilyNameKana string `json:"familyNameKana"`
	GivenNameKana  string `json:"givenNameKana"`
	Class          string `json:"class"`
}

// photoRoster lists the children enrolled at the caller's nursery on a day
// (today unless ?on=), in one class when ?class= is given, for tagging
// photos and reading orders. Staff cannot read the children collection
// itself.
func photoRoster(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	nursery := e.Auth.GetString("nursery")
	if !isNurseryStaffOf(e.Auth, nursery) {
		return e.ForbiddenError("有効な保育施設職員のアカウントでログインしてください。", nil)
	}
	where := dbx.HashExp{"nursery": nursery}
	if id := q.Get("class"); id != "" {
		class, err := e.App.FindRecordById("nursery_classes", id)
		if err != nil || class.GetString("nursery") != nursery {
			return e.NotFoundError("クラスが見つかりません。", nil)
		}
		where["class"] = class.Id
	}
	day := civil.Today()
	if on := q.Get("on"); on != "" {
		var err error
		if day, err = civil.Parse(on); err != nil {
			return fieldError("on", "invalid_date", "日付をYYYY-MM-DDの形式で指定してください。")
		}
	}
	var rows []struct {
		Child string `db:"child"`
		Class string `db:"class"`
	}
	err := e.App.DB().Select("child", "class").From("enrolments").Where(where).
		AndWhere(dbx.NewExp("start <= {:d} AND ([[end]] = '' OR [[end]] >= {:d})", dbx.Params{"d": day.String()})).
		All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	classOf := make(map[string]string, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i], classOf[r.Child] = r.Child, r.Class
	}
	kids, err := e.App.FindRecordsByIds("children", ids)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]rosterChild, len(kids))
	for i, k := range kids {
		out[i] = rosterChild{k.Id, k.GetString("familyName"), k.GetString("givenName"), k.GetString("familyNameKana"), k.GetString("givenNameKana"), classOf[k.Id]}
	}
	slices.SortFunc(out, func(a, b rosterChild) int {
		if c := cmp.Compare(a.FamilyNameKana+a.GivenNameKana, b.FamilyNameKana+b.GivenNameKana); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return e.JSON(http.StatusOK, map[string]any{"on": day.String(), "items": out})
}
