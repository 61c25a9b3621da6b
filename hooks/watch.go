package hooks

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/watchtoken"
)

const (
	watchTargets = "watch_targets"
	watchVisits  = "watch_visits"
	// watchRepeatWindow: a second scan by the same volunteer at the same
	// home within it corrects the visit (a wrong button, a second thought)
	// instead of counting another visit.
	watchRepeatWindow = 10 * time.Minute
	// watchKeyPurpose derives the QR signing key from the field key.
	watchKeyPurpose = "watch-qr"
)

// bindWatch binds the watch-over (見守り) routes: the city prints and
// reissues each target's QR code; volunteers scan it to record a visit.
func bindWatch(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		city := requireCityStaff(collections.DeptElderly)
		limit := apis.BodyLimit(bodyLimit)
		se.Router.GET("/api/lifestage/watch/targets/{id}/qr.json", watchQRJSON).Bind(city)
		se.Router.GET("/api/lifestage/watch/targets/{id}/qr.png", watchQRPNG).Bind(city)
		se.Router.POST("/api/lifestage/watch/targets/{id}/rotate", watchRotate).Bind(city, limit)
		se.Router.POST("/api/lifestage/watch/checkin", watchCheckin).Bind(requireVolunteer(), limit)
		return se.Next()
	})
}

// requireVolunteer lets only active volunteers through: 401 for guests, 403
// for everyone else.
func requireVolunteer() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "lifestageRequireVolunteer",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("ログインしてください。", nil)
			}
			if e.Auth.Collection().Name != collections.Volunteers || !e.Auth.GetBool("active") {
				return e.ForbiddenError("この操作は見守り協力員だけが行えます。", nil)
			}
			return e.Next()
		},
	}
}

// watchSigner signs with LIFESTAGE_WATCH_KEY when set, else with a key
// derived from the field-encryption key (see package watchtoken).
func watchSigner(app core.App) (*watchtoken.Signer, error) {
	if s := os.Getenv(watchtoken.KeyEnv); s != "" {
		key, err := watchtoken.ParseKey(s)
		if err != nil {
			return nil, err
		}
		return watchtoken.New(key)
	}
	ring := FieldKeyring(app)
	if ring == nil {
		return nil, errors.New("lifestage: no key to sign watch QR codes (" + watchtoken.KeyEnv + " or " + FieldKeyEnv + ")")
	}
	return watchtoken.New(ring.Derive(watchKeyPurpose))
}

// watchURL is what a target's QR code holds: the check-in page with the token.
func watchURL(app core.App, token string) string {
	return strings.TrimRight(app.Settings().Meta.AppURL, "/") + "/watch/checkin/?t=" + url.QueryEscape(token)
}

// issueWatchCode gives the target a fresh nonce and the next version, so
// every earlier code of it stops working.
func issueWatchCode(app core.App, ctx context.Context, target *core.Record) error {
	nonce, err := watchtoken.NewNonce()
	if err != nil {
		return err
	}
	target.Set("tokenVersion", target.GetInt("tokenVersion")+1)
	target.Set("tokenNonce", nonce)
	return app.SaveWithContext(ctx, target)
}

// watchTargetURL loads the target of the path, issuing its first code when
// it has none, and returns the QR code's URL.
func watchTargetURL(e *core.RequestEvent, rotate bool) (string, error) {
	target, err := e.App.FindRecordById(watchTargets, e.Request.PathValue("id"))
	if err != nil {
		return "", e.NotFoundError("見守り対象者が見つかりません。", nil)
	}
	signer, err := watchSigner(e.App)
	if err != nil {
		return "", e.InternalServerError("", err)
	}
	if rotate || target.GetString("tokenNonce") == "" {
		if err := issueWatchCode(e.App, actorContext(e), target); err != nil {
			return "", e.InternalServerError("QRコードを発行できませんでした。", err)
		}
	}
	token := signer.Sign(watchtoken.Claims{Target: target.Id, Version: target.GetInt("tokenVersion"), Nonce: target.GetString("tokenNonce")})
	return watchURL(e.App, token), nil
}

func watchQRJSON(e *core.RequestEvent) error {
	u, err := watchTargetURL(e, false)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]string{"url": u})
}

func watchQRPNG(e *core.RequestEvent) error {
	u, err := watchTargetURL(e, false)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(u, qrcode.Medium, 320)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/png", png)
}

// watchRotate reissues the code (a sticker lost or taken): the old one is
// refused from now on.
func watchRotate(e *core.RequestEvent) error {
	u, err := watchTargetURL(e, true)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]string{"url": u})
}

// checkinBody is a volunteer's report after a visit.
type checkinBody struct {
	Token   string         `json:"token"`
	Status  string         `json:"status"`
	Answers map[string]any `json:"answers"`
	Note    string         `json:"note"`
	Lat     *float64       `json:"lat"`
	Lng     *float64       `json:"lng"`
}

func (b checkinBody) validate() error {
	switch {
	case strings.TrimSpace(b.Token) == "":
		return fieldError("token", "missing_token", "QRコードを読み取ってください。")
	case !slices.Contains(collections.VisitStatuses, b.Status):
		return fieldError("status", "invalid_status", "様子（元気・不在・気になる・緊急）を選んでください。")
	case b.Lat != nil && (math.IsNaN(*b.Lat) || *b.Lat < -90 || *b.Lat > 90):
		return fieldError("lat", "invalid_lat", "緯度が正しくありません。")
	case b.Lng != nil && (math.IsNaN(*b.Lng) || *b.Lng < -180 || *b.Lng > 180):
		return fieldError("lng", "invalid_lng", "経度が正しくありません。")
	}
	// Only the fixed checklist, so every visit can be read the same way.
	for key, v := range b.Answers {
		if !slices.Contains(collections.VisitChecklist, key) {
			return fieldError("answers", "unknown_answer", "聞き取りの項目は体調・食事・睡眠・外出・困りごとだけです。")
		}
		if v != collections.VisitAnswerOK && v != collections.VisitAnswerConcern {
			return fieldError("answers", "invalid_answer", "聞き取りの回答は「良い」か「気になる」を選んでください。")
		}
	}
	return nil
}

// checkinTarget resolves a scanned token to its target: 400 on the token
// when it is forged, altered or reissued.
func checkinTarget(app core.App, token string) (*core.Record, error) {
	signer, err := watchSigner(app)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	claims, err := signer.Verify(token)
	if err != nil {
		return nil, fieldError("token", "invalid_token", "このQRコードは見守り用のものではないか、読み取れませんでした。")
	}
	target, err := app.FindRecordById(watchTargets, claims.Target)
	if err != nil {
		return nil, fieldError("token", "invalid_token", "このQRコードは見守り用のものではないか、読み取れませんでした。")
	}
	if claims.Current(target.GetInt("tokenVersion"), target.GetString("tokenNonce")) != nil {
		return nil, fieldError("token", "revoked_token", "このQRコードは再発行されたため使えません。新しいQRコードを読み取ってください。")
	}
	return target, nil
}

// watchCheckin records a visit from a scanned code, with the server's time.
func watchCheckin(e *core.RequestEvent) error {
	var body checkinBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("送信内容を読み取れませんでした。", err)
	}
	if err := body.validate(); err != nil {
		return err
	}
	target, err := checkinTarget(e.App, body.Token)
	if err != nil {
		return err
	}
	if target.GetString("volunteer") != e.Auth.Id {
		return e.ForbiddenError("この方の見守りの担当ではありません。", nil)
	}
	var visit *core.Record
	var updated bool
	err = e.App.RunInTransaction(func(tx core.App) error {
		visit, updated, err = saveVisit(tx, actorContext(e), target, e.Auth, body)
		if err != nil {
			return err
		}
		return notifyWatchConcern(tx, target, visit)
	})
	var verr validation.Errors
	if errors.As(err, &verr) {
		return e.BadRequestError("入力内容を確認してください。", verr)
	}
	if err != nil {
		return e.InternalServerError("訪問を記録できませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": visit.Id, "status": visit.GetString("status"), "at": visit.GetDateTime("at").Time().Format(time.RFC3339), "updated": updated,
	})
}

// saveVisit creates the visit, or updates this volunteer's visit to the
// target made within the repeat window.
func saveVisit(tx core.App, ctx context.Context, target, volunteer *core.Record, body checkinBody) (*core.Record, bool, error) {
	now := time.Now()
	since, _ := types.ParseDateTime(now.Add(-watchRepeatWindow))
	visit, err := tx.FindFirstRecordByFilter(watchVisits, "target = {:t} && volunteer = {:v} && at >= {:since}",
		dbx.Params{"t": target.Id, "v": volunteer.Id, "since": since.String()})
	updated := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, false, err
	}
	if !updated {
		col, err := tx.FindCachedCollectionByNameOrId(watchVisits)
		if err != nil {
			return nil, false, err
		}
		visit = core.NewRecord(col)
		visit.Set("target", target.Id)
		visit.Set("resident", target.GetString("resident"))
		visit.Set("volunteer", volunteer.Id)
		visit.Set("at", now)
		visit.Set("method", collections.VisitMethodQR)
	}
	visit.Set("status", body.Status)
	visit.Set("answers", body.Answers)
	visit.Set("note", strings.TrimSpace(body.Note))
	visit.Set("lat", body.Lat)
	visit.Set("lng", body.Lng)
	return visit, updated, tx.SaveWithContext(ctx, visit)
}

// watchAlerts are the statuses the city must hear about at once.
var watchAlerts = map[string]string{
	collections.VisitConcern:   "気になる様子",
	collections.VisitEmergency: "緊急",
}

// notifyWatchConcern tells every active 高齢福祉担当 about a visit reported
// as concern or emergency (realtime comes with the notification record).
func notifyWatchConcern(tx core.App, target, visit *core.Record) error {
	label, ok := watchAlerts[visit.GetString("status")]
	if !ok {
		return nil
	}
	staff, err := elderlyStaff(tx)
	if err != nil {
		return err
	}
	who := watchResidentName(tx, target.GetString("resident"))
	_, err = notify.SendEach(tx, notify.Message{
		Kind:   "watch." + visit.GetString("status"),
		Key:    "notify.watch.alert",
		Vars:   map[string]string{"status": label, "resident": who},
		Link:   "/watch/",
		Reason: visit.Id,
	}, staff)
	return err
}

// elderlyStaff are the active 高齢福祉担当 staff: whom the city's watch
// alerts and escalations go to.
func elderlyStaff(app core.App) ([]*core.Record, error) {
	return app.FindAllRecords(collections.CityStaff, dbx.HashExp{"department": collections.DeptElderly, "active": true})
}

// watchResidentName is how alerts name the person: full name and さん.
func watchResidentName(app core.App, resident string) string {
	if r, err := app.FindRecordById("residents", resident); err == nil {
		return r.GetString("familyName") + " " + r.GetString("givenName") + " さん"
	}
	return "見守り対象者"
}
