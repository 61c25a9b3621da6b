package hooks

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/saijo-dx/lifestage/attendance"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

const codesCollection = "checkin_codes"

// bindNurseryCodes serves the children's check-in codes: guardians see
// their child's QR code and PIN, the nursery's staff print the cards and
// issue new codes when one is lost.
func bindNurseryCodes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := requireNurseryStaff(false)
		se.Router.GET("/api/lifestage/nursery/children/{id}/checkin-code", guardianCheckinCode).Bind(apis.RequireAuth(collections.Users))
		se.Router.GET("/api/lifestage/nursery/children/{id}/checkin-code/qr.png", guardianCheckinQR).Bind(apis.RequireAuth(collections.Users))
		se.Router.POST("/api/lifestage/nursery/children/{id}/checkin-code/rotate", rotateCheckinCode).Bind(staff, apis.BodyLimit(bodyLimit))
		se.Router.GET("/api/lifestage/nursery/checkin-cards", checkinCards).Bind(staff)
		return se.Next()
	})
}

// checkinCard is a child's code in clear text, as a card or the app shows it.
type checkinCard struct {
	Child      string `json:"child"`
	FamilyName string `json:"familyName,omitempty"`
	GivenName  string `json:"givenName"`
	ClassName  string `json:"className"`
	QR         string `json:"qr"`
	QRImage    string `json:"qrImage,omitempty"` // data: URL of a PNG
	PIN        string `json:"pin"`
	RotatedAt  string `json:"rotatedAt"`
}

// qrPNG draws a QR payload.
func qrPNG(payload string, size int) ([]byte, error) {
	return qrcode.Encode(payload, qrcode.Medium, size)
}

// cardOf fills a card from a code record (token and PIN decrypted), with
// the QR code drawn qrSize pixels wide (0: none).
func cardOf(app core.App, rec *core.Record, qrSize int) (checkinCard, error) {
	token, err := DecryptField(app, rec, "token")
	if err != nil {
		return checkinCard{}, err
	}
	pin, err := DecryptField(app, rec, "pin")
	if err != nil {
		return checkinCard{}, err
	}
	card := checkinCard{
		Child: rec.GetString("child"), QR: attendance.QRPayload(token), PIN: pin,
		RotatedAt: rec.GetDateTime("rotatedAt").Time().In(civil.Tokyo).Format(time.RFC3339),
	}
	if qrSize > 0 {
		png, err := qrPNG(card.QR, qrSize)
		if err != nil {
			return checkinCard{}, err
		}
		card.QRImage = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}
	return card, nil
}

// issueCode gives the record a fresh token and a PIN unused in the nursery,
// and saves it: the old QR code and PIN stop working at once.
func issueCode(app core.App, ctx context.Context, rec *core.Record, nursery string) error {
	token, err := attendance.NewToken()
	if err != nil {
		return err
	}
	var pin string
	for range 50 {
		if pin, err = attendance.NewPIN(); err != nil {
			return err
		}
		taken, err := app.CountRecords(codesCollection, dbx.HashExp{"pinHash": attendance.PINHash(nursery, pin)})
		if err != nil {
			return err
		}
		if taken == 0 {
			break
		}
	}
	rec.Set("nursery", nursery)
	rec.Set("token", token)
	rec.Set("tokenHash", attendance.TokenHash(token))
	rec.Set("pin", pin)
	rec.Set("pinHash", attendance.PINHash(nursery, pin))
	rec.Set("rotatedAt", time.Now())
	return app.SaveWithContext(ctx, rec)
}

// codeRecord is the child's code record, or a new unsaved one.
func codeRecord(app core.App, childID string) (*core.Record, error) {
	rec, err := app.FindFirstRecordByData(codesCollection, "child", childID)
	if errors.Is(err, sql.ErrNoRows) {
		col, err := app.FindCachedCollectionByNameOrId(codesCollection)
		if err != nil {
			return nil, err
		}
		rec = core.NewRecord(col)
		rec.Set("child", childID)
		return rec, nil
	}
	return rec, err
}

// codeFor is the child's code at the nursery, issued on first use and
// issued anew when the child has moved from another nursery.
func codeFor(app core.App, ctx context.Context, childID, nursery string, qrSize int) (checkinCard, error) {
	rec, err := codeRecord(app, childID)
	if err != nil {
		return checkinCard{}, err
	}
	if rec.IsNew() || rec.GetString("nursery") != nursery {
		if err := issueCode(app, ctx, rec, nursery); err != nil {
			return checkinCard{}, err
		}
	}
	return cardOf(app, rec, qrSize)
}

// guardianCode is the code of the path's child for a guardian or a family
// member who manages the child: 404 for those who cannot see the child, 403
// for view-only family (a code checks the child in and out).
func guardianCode(e *core.RequestEvent, qrSize int) (checkinCard, onDuty, error) {
	child, _, err := viewableChild(e)
	if err != nil {
		return checkinCard{}, onDuty{}, err
	}
	if !isChildManager(e, child) {
		return checkinCard{}, onDuty{}, e.ForbiddenError("登降園のコードを表示できるのは、保護者と管理を共有された家族だけです。", nil)
	}
	kid, err := currentEnrolment(e.App, child.Id, "", civil.Today())
	if errors.Is(err, sql.ErrNoRows) {
		return checkinCard{}, onDuty{}, codedError(http.StatusNotFound, "child", "not_enrolled", "在籍中の保育施設がないため、登降園のコードはありません。")
	}
	if err != nil {
		return checkinCard{}, onDuty{}, e.InternalServerError("", err)
	}
	card, err := codeFor(e.App, actorContext(e), child.Id, kid.Nursery, qrSize)
	if err != nil {
		return checkinCard{}, onDuty{}, e.InternalServerError("", err)
	}
	card.GivenName, card.ClassName = kid.GivenName, kid.ClassName
	return card, kid, nil
}

// guardianCheckinCode answers the code for the parent's app.
func guardianCheckinCode(e *core.RequestEvent) error {
	card, kid, err := guardianCode(e, 320)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{
		"child": card.Child, "givenName": card.GivenName, "className": card.ClassName,
		"nursery": kid.Nursery, "nurseryName": nurseryName(e.App, kid.Nursery),
		"qr": card.QR, "qrImage": card.QRImage, "pin": card.PIN, "rotatedAt": card.RotatedAt,
		"qrUrl": "/api/lifestage/nursery/children/" + card.Child + "/checkin-code/qr.png",
	})
}

// guardianCheckinQR is the QR code alone, as a PNG.
func guardianCheckinQR(e *core.RequestEvent) error {
	card, _, err := guardianCode(e, 0)
	if err != nil {
		return err
	}
	png, err := qrPNG(card.QR, 320)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/png", png)
}

// rotateCheckinCode issues a new code to a child of the caller's nursery,
// for a lost card or a code seen by the wrong people.
func rotateCheckinCode(e *core.RequestEvent) error {
	nursery := e.Auth.GetString("nursery")
	childID := e.Request.PathValue("id")
	kid, err := currentEnrolment(e.App, childID, nursery, civil.Today())
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("この園に在籍しているお子さまが見つかりません。", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	rec, err := codeRecord(e.App, childID)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := issueCode(e.App, actorContext(e), rec, nursery); err != nil {
		return e.InternalServerError("新しいコードを発行できませんでした。", err)
	}
	card, err := cardOf(e.App, rec, 240)
	if err != nil {
		return e.InternalServerError("", err)
	}
	card.GivenName, card.ClassName = kid.GivenName, kid.ClassName
	return e.JSON(http.StatusOK, card)
}

// enrolledKid is a child enrolled in a nursery on a day, as staff lists show it.
type enrolledKid struct {
	Child      string `db:"child" json:"child"`
	FamilyName string `db:"familyName" json:"familyName"`
	GivenName  string `db:"givenName" json:"givenName"`
	Class      string `db:"class" json:"class"`
	ClassName  string `db:"className" json:"className"`
}

// enrolledChildren lists the children enrolled in the nursery on the day,
// by class (youngest first) and kana, each once.
func enrolledChildren(app core.App, nursery string, day civil.Date) ([]enrolledKid, error) {
	var rows []enrolledKid
	err := app.DB().NewQuery(`SELECT e.child AS child, ch.familyName AS familyName, ch.givenName AS givenName,
			e.class AS class, COALESCE(cl.name, '') AS className, COALESCE(cl.ageClass, 9) AS ageClass, ch.familyNameKana, ch.givenNameKana
		FROM enrolments e JOIN children ch ON ch.id = e.child LEFT JOIN nursery_classes cl ON cl.id = e.class
		WHERE e.nursery = {:n} AND e.start <= {:d} AND (e."end" = '' OR e."end" IS NULL OR e."end" >= {:d})
		ORDER BY ageClass, ch.familyNameKana, ch.givenNameKana, e.child, e.start DESC`).
		Bind(dbx.Params{"n": nursery, "d": day.String()}).All(&rows)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	kids := rows[:0]
	for _, r := range rows {
		if !seen[r.Child] {
			seen[r.Child] = true
			kids = append(kids, r)
		}
	}
	return kids, nil
}

// nurseryName is the facility's name, "" when it cannot be read.
func nurseryName(app core.App, id string) string {
	if f, err := app.FindRecordById("facilities", id); err == nil {
		return f.GetString("name")
	}
	return ""
}

// checkinCards lists a card for every child enrolled in the caller's
// nursery today, in class order, issuing the codes still missing.
func checkinCards(e *core.RequestEvent) error {
	nursery := e.Auth.GetString("nursery")
	kids, err := enrolledChildren(e.App, nursery, civil.Today())
	if err != nil {
		return e.InternalServerError("", err)
	}
	cards := make([]checkinCard, 0, len(kids))
	ctx := actorContext(e)
	for _, k := range kids {
		card, err := codeFor(e.App, ctx, k.Child, nursery, 200)
		if err != nil {
			return e.InternalServerError("", err)
		}
		card.FamilyName, card.GivenName, card.ClassName = k.FamilyName, k.GivenName, k.ClassName
		cards = append(cards, card)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"nursery": nursery, "nurseryName": nurseryName(e.App, nursery), "cards": cards})
}
