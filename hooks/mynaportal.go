package hooks

import (
	"errors"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/consent"
	"github.com/saijo-dx/lifestage/mynaportal"
)

// マイナポータル connector (PMH情報連携API): a guardian consents, then
// imports the child's immunization and checkup records into the handbook.
//
//	GET  /api/lifestage/mynaportal/status               {enabled, identityVerified}
//	POST /api/lifestage/mynaportal/consents             {child, scopes, validUntil?} (verified identity)
//	POST /api/lifestage/mynaportal/consents/{id}/revoke (always allowed to the consenter)
//	POST /api/lifestage/mynaportal/import               {child} (verified identity, active consent)
//
// Giving consent and importing require a card-verified identity: PMH
// matches the resident by the 基本4情報, so only the card holder's own
// verified data may ask for a child's official health records. Revoking
// never does: withdrawing consent must stay one tap away.

// maxConsentMonths bounds a consent's period; the guardian renews it.
const maxConsentMonths = 12

var consentCategories = map[string]string{
	collections.MynaScopeImmunizations: mynaportal.CategoryImmunization,
	collections.MynaScopeCheckups:      mynaportal.CategoryInfantCheckup,
}

func bindMynaportal(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/mynaportal")
		g.Bind(apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit))
		g.GET("/status", mynaportalStatus)
		g.POST("/consents", grantMynaportalConsent).Bind(requireVerifiedIdentity())
		g.POST("/consents/{id}/revoke", revokeMynaportalConsent)
		g.POST("/import", importFromMynaportal).Bind(requireVerifiedIdentity())
		return se.Next()
	})
}

func mynaportalStatus(e *core.RequestEvent) error {
	_, on := mynaportal.FromEnv(os.Getenv)
	return e.JSON(http.StatusOK, map[string]any{"enabled": on, "identityVerified": identityVerified(e.Auth)})
}

// guardedChild is the child of the request if the caller is its guardian:
// 404 when the caller cannot see it, 403 for shared family.
func guardedChild(e *core.RequestEvent, id string) (*core.Record, error) {
	child, err := e.App.FindRecordById("children", id)
	if err != nil || !canView(e, child) {
		return nil, e.NotFoundError("お子さまが見つかりません。", nil)
	}
	if !slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id) {
		return nil, e.ForbiddenError("マイナポータルからの取り込みは保護者だけが行えます。", nil)
	}
	return child, nil
}

func grantMynaportalConsent(e *core.RequestEvent) error {
	body := struct {
		Child      string   `json:"child"`
		Scopes     []string `json:"scopes"`
		ValidUntil string   `json:"validUntil"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("child", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if len(body.Scopes) == 0 {
		return fieldError("scopes", "required", "取り込む記録（予防接種・乳幼児健診）を選んでください。")
	}
	for _, s := range body.Scopes {
		if _, ok := consentCategories[s]; !ok {
			return fieldError("scopes", "invalid_scope", "取り込む記録は immunizations（予防接種）か infant_checkups（乳幼児健診）から選んでください。")
		}
	}
	today := civil.Today()
	latest := today.AddMonthsClamped(maxConsentMonths).AddDays(-1)
	until := latest
	if body.ValidUntil != "" {
		d, err := civil.Parse(body.ValidUntil)
		if err != nil || d.Before(today) || d.After(latest) {
			return fieldError("validUntil", "invalid_period", "同意の終了日は、今日から1年以内の日付にしてください。")
		}
		until = d
	}
	child, err := guardedChild(e, body.Child)
	if err != nil {
		return err
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.MynaportalConsents)
	if err != nil {
		return e.InternalServerError("", err)
	}
	consent := core.NewRecord(col)
	ctx := actorContext(e)
	err = e.App.RunInTransaction(func(tx core.App) error {
		// A new consent replaces the guardian's earlier one for the child;
		// the old one stays, revoked, as history.
		old, err := tx.FindAllRecords(collections.MynaportalConsents, dbx.HashExp{"user": e.Auth.Id, "child": child.Id, "status": collections.MynaConsentActive})
		if err != nil {
			return err
		}
		for _, o := range old {
			o.Set("status", collections.MynaConsentRevoked)
			o.Set("revokedAt", time.Now())
			if err := tx.SaveWithContext(ctx, o); err != nil {
				return err
			}
		}
		consent.Set("user", e.Auth.Id)
		consent.Set("child", child.Id)
		consent.Set("scopes", slices.Compact(slices.Sorted(slices.Values(body.Scopes))))
		consent.Set("purpose", collections.MynaportalPurpose)
		consent.Set("validFrom", today.String())
		consent.Set("validUntil", until.String())
		consent.Set("status", collections.MynaConsentActive)
		consent.Set("grantedAt", time.Now())
		return tx.SaveWithContext(ctx, consent)
	})
	if err != nil {
		return e.BadRequestError("同意を記録できませんでした。", err)
	}
	return e.JSON(http.StatusOK, consent)
}

func revokeMynaportalConsent(e *core.RequestEvent) error {
	consent, err := e.App.FindRecordById(collections.MynaportalConsents, e.Request.PathValue("id"))
	if err != nil || consent.GetString("user") != e.Auth.Id {
		return e.NotFoundError("同意が見つかりません。", nil)
	}
	if consent.GetString("status") == collections.MynaConsentRevoked {
		return fieldError("status", "already_revoked", "この同意はすでに取り消されています。")
	}
	consent.Set("status", collections.MynaConsentRevoked)
	consent.Set("revokedAt", time.Now())
	if err := e.App.SaveWithContext(actorContext(e), consent); err != nil {
		return e.BadRequestError("同意を取り消せませんでした。", err)
	}
	return e.JSON(http.StatusOK, consent)
}

// activeConsent is the caller's consent for the child that is in force
// today, or nil.
func activeConsent(app core.App, user, child string, today civil.Date) *core.Record {
	recs, err := app.FindAllRecords(collections.MynaportalConsents, dbx.HashExp{"user": user, "child": child, "status": collections.MynaConsentActive})
	if err != nil {
		return nil
	}
	for _, r := range recs {
		from, err1 := civil.Parse(r.GetString("validFrom"))
		until, err2 := civil.Parse(r.GetString("validUntil"))
		if err1 == nil && err2 == nil && (consent.Period{From: from, Until: until}).Contains(today) {
			return r
		}
	}
	return nil
}

func mynaportalError(status int, code, msg string) error {
	return apis.NewApiError(status, msg, validation.Errors{"mynaportal": validation.NewError(code, msg)})
}

// importFromMynaportal asks PMH for the child's records and adds the ones
// the handbook does not have yet, marked with their source.
func importFromMynaportal(e *core.RequestEvent) error {
	cfg, on := mynaportal.FromEnv(os.Getenv)
	if !on {
		return mynaportalError(http.StatusServiceUnavailable, "mynaportal_disabled", "マイナポータルとの連携は、現在ご利用いただけません。")
	}
	client, err := mynaportal.New(cfg, nil)
	if err != nil {
		e.App.Logger().Error("マイナポータル connector misconfigured", "error", err)
		return mynaportalError(http.StatusServiceUnavailable, "mynaportal_misconfigured", "マイナポータルとの連携の設定に誤りがあります。市にお問い合わせください。")
	}
	body := struct {
		Child string `json:"child"`
	}{}
	if err := e.BindBody(&body); err != nil || body.Child == "" {
		return fieldError("child", "required", "お子さまを選んでください。")
	}
	child, err := guardedChild(e, body.Child)
	if err != nil {
		return err
	}
	consent := activeConsent(e.App, e.Auth.Id, child.Id, civil.Today())
	if consent == nil {
		return mynaportalError(http.StatusForbidden, "no_consent", "取り込みへの同意がないか、同意の期間が過ぎています。先に同意してください。")
	}
	scopes := consent.GetStringSlice("scopes")
	q := mynaportal.Query{
		RequestID: security.RandomString(24), ConsentID: consent.Id, Purpose: consent.GetString("purpose"),
		Requester: mynaportal.BasicInfo{
			Name: e.Auth.GetString("name"), Address: e.Auth.GetString("address"),
			DateOfBirth: e.Auth.GetString("birthDate"), Sex: mynaportal.SexCode(e.Auth.GetString("sex")),
		},
		Subject: mynaportal.BasicInfo{
			Name:        child.GetString("familyName") + " " + child.GetString("givenName"),
			NameKana:    child.GetString("familyNameKana") + " " + child.GetString("givenNameKana"),
			DateOfBirth: child.GetString("birthDate"), Sex: mynaportal.SexCode(child.GetString("sex")),
		},
	}
	for _, s := range scopes {
		q.Categories = append(q.Categories, consentCategories[s])
	}
	res, err := client.Query(e.Request.Context(), q)
	switch {
	case errors.Is(err, mynaportal.ErrNotConsented):
		return mynaportalError(http.StatusForbidden, "pmh_not_authorised", "マイナポータルで、この連携が許可されていません。マイナポータルで連携を許可してから、もう一度お試しください。")
	case errors.Is(err, mynaportal.ErrNotFound):
		return mynaportalError(http.StatusNotFound, "pmh_no_record", "マイナポータルにお子さまの記録が見つかりませんでした。")
	case err != nil:
		e.App.Logger().Warn("マイナポータル query failed", "error", err)
		return mynaportalError(http.StatusBadGateway, "pmh_unavailable", "マイナポータルに接続できませんでした。時間をおいてからお試しください。")
	}
	entries, skipped := mynaportal.Plan(res, scopes)
	added, already, err := saveImported(e, child.Id, consent, entries)
	if err != nil {
		return e.BadRequestError("記録を取り込めませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"consent": consent.Id, "imported": added, "alreadyImported": already, "skipped": skipped,
	})
}

// importCounts is how many entries an import added, per handbook part.
type importCounts struct {
	Immunizations  int `json:"immunizations"`
	InfantCheckups int `json:"infant_checkups"`
}

func (c *importCounts) add(collection string) {
	if collection == mynaportal.Immunizations {
		c.Immunizations++
	} else {
		c.InfantCheckups++
	}
}

// saveImported adds the entries the handbook lacks, in one transaction, and
// stamps the consent. An entry is known by its source id: importing again
// adds nothing twice (the unique index on source and sourceRecordId backs
// this up).
func saveImported(e *core.RequestEvent, child string, consent *core.Record, entries []mynaportal.Entry) (importCounts, int, error) {
	var added importCounts
	already := 0
	ctx := actorContext(e)
	err := e.App.RunInTransaction(func(tx core.App) error {
		for _, en := range entries {
			_, err := tx.FindFirstRecordByFilter(en.Collection, "source = {:s} && sourceRecordId = {:id}",
				dbx.Params{"s": mynaportal.Source, "id": en.SourceRecordID})
			if err == nil {
				already++
				continue
			}
			col, err := tx.FindCachedCollectionByNameOrId(en.Collection)
			if err != nil {
				return err
			}
			r := core.NewRecord(col)
			for k, v := range en.Fields {
				r.Set(k, v)
			}
			r.Set("child", child)
			r.Set("source", mynaportal.Source)
			r.Set("sourceRecordId", en.SourceRecordID)
			if err := tx.SaveWithContext(ctx, r); err != nil {
				return err
			}
			added.add(en.Collection)
		}
		consent.Set("lastImportAt", time.Now())
		consent.Set("lastImportCount", added.Immunizations+added.InfantCheckups)
		return tx.SaveWithContext(ctx, consent)
	})
	return added, already, err
}
