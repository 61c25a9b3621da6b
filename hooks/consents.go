package hooks

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/consent"
)

// The consent broker (データ連携基盤): residents grant partners access to
// their own or a child's personal data; partners read it only while the
// grant is in force, and every read is audited with the resident's data as
// the subject, so it shows in the resident's access history.
//
//	GET  /api/lifestage/consents/options           public: active partners (names only) and datasets
//	GET  /api/lifestage/me/consents                the caller's grants, every state
//	POST /api/lifestage/me/consents                {partner, child?, purpose, scopes, validFrom?, validUntil?} (verified identity)
//	POST /api/lifestage/me/consents/{id}/revoke    at once, always allowed to the resident
//	GET  /api/lifestage/me/consents/{id}/receipt   the consent receipt (JSON download)
//	GET  /api/lifestage/partner/consents           partner key with personal:read: its grants in force
//	GET  /api/lifestage/partner/consents/{id}/{dataset}  the data, minimised and pseudonymous
//
// Granting needs a card-verified identity (requireVerifiedIdentity): the
// grant hands official health records to a company. Revoking never does.

// consentPseudonymPurpose derives the key of the subject ids partners see.
const consentPseudonymPurpose = "consent-pseudonym"

// partnerActorRole is the role of partner reads in the audit log; the actor
// is the API key, in the api_keys collection.
const partnerActorRole = "partner"

func bindConsents(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/consents/options", consentOptions)
		me := se.Router.Group("/api/lifestage/me/consents")
		me.Bind(apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit))
		me.GET("", myConsents)
		me.POST("", grantConsent).Bind(requireVerifiedIdentity())
		me.POST("/{id}/revoke", revokeConsent)
		me.GET("/{id}/receipt", consentReceipt)
		p := se.Router.Group("/api/lifestage/partner/consents")
		p.Bind(requirePartner(consent.KeyScope))
		p.GET("", partnerConsents)
		p.GET("/{id}/{dataset}", partnerRead)
		return se.Next()
	})
}

type partnerOption struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type datasetOption struct {
	Scope   string `json:"scope"`
	Label   string `json:"label"`
	Subject string `json:"subject"` // child or self
}

// consentOptions lists what a grant may name: active partners (names only:
// contacts and notes stay with the city) and the datasets.
func consentOptions(e *core.RequestEvent) error {
	recs, err := e.App.FindRecordsByFilter(collections.Partners, "active = true", "name", 0, 0)
	if err != nil {
		return e.InternalServerError("", err)
	}
	partners := make([]partnerOption, len(recs))
	for i, r := range recs {
		partners[i] = partnerOption{ID: r.Id, Name: r.GetString("name")}
	}
	datasets := make([]datasetOption, len(consent.Datasets))
	for i, d := range consent.Datasets {
		datasets[i] = datasetOption{Scope: consent.Scopes()[i], Label: d.Label, Subject: d.Subject}
	}
	return e.JSON(http.StatusOK, map[string]any{"partners": partners, "datasets": datasets, "maxMonths": consent.MaxMonths})
}

// grantOf reads a consent record as the broker's grant.
func grantOf(r *core.Record, partnerName string) consent.Grant {
	from, _ := civil.Parse(r.GetString("validFrom"))
	until, _ := civil.Parse(r.GetString("validUntil"))
	return consent.Grant{
		ID: r.Id, Partner: r.GetString("partner"), PartnerName: partnerName, User: r.GetString("user"), Child: r.GetString("child"),
		Purpose: r.GetString("purpose"), Scopes: r.GetStringSlice("scopes"), Period: consent.Period{From: from, Until: until},
		GrantedAt: r.GetDateTime("grantedAt").Time(), RevokedAt: r.GetDateTime("revokedAt").Time(),
	}
}

// pseudonymKey is the server key of partner-facing subject ids.
func pseudonymKey(e *core.RequestEvent) ([]byte, error) {
	ring := FieldKeyring(e.App)
	if ring == nil {
		return nil, e.InternalServerError("匿名化の鍵が設定されていないため、処理できません。", nil)
	}
	return ring.Derive(consentPseudonymPurpose), nil
}

// receiptOf builds a grant's receipt as it stands today.
func receiptOf(e *core.RequestEvent, g consent.Grant) (consent.Receipt, error) {
	key, err := pseudonymKey(e)
	if err != nil {
		return consent.Receipt{}, err
	}
	return consent.BuildReceipt(g, consent.ReceiptInput{
		PrincipalID: consent.Pseudonym(key, g.Partner, g.User),
		SubjectID:   consent.Pseudonym(key, g.Partner, g.Subject()),
		PolicyURL:   strings.TrimRight(e.App.Settings().Meta.AppURL, "/") + "/me/consents/policy.html",
		Today:       civil.Today(),
	}), nil
}

// managedChild is the request's child if the caller may manage it (a
// guardian, or family it is shared with to manage): 404 when the caller
// cannot see it, 403 when they may only view it.
func managedChild(e *core.RequestEvent, id string) (*core.Record, error) {
	child, err := e.App.FindRecordById("children", id)
	if err != nil || !canView(e, child) {
		return nil, e.NotFoundError("お子さまが見つかりません。", nil)
	}
	me := e.Auth.Id
	if !slices.Contains(child.GetStringSlice("guardians"), me) && !slices.Contains(child.GetStringSlice("familyManagers"), me) {
		return nil, forbiddenField("child", "child_not_managed", "このお子さまのデータの提供に同意できるのは、保護者と管理を共有された家族だけです。")
	}
	return child, nil
}

func grantConsent(e *core.RequestEvent) error {
	body := struct {
		Partner    string   `json:"partner"`
		Child      string   `json:"child"`
		Purpose    string   `json:"purpose"`
		Scopes     []string `json:"scopes"`
		ValidFrom  string   `json:"validFrom"`
		ValidUntil string   `json:"validUntil"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("partner", "invalid_body", "リクエストの形式が正しくありません。")
	}
	partner, err := e.App.FindRecordById(collections.Partners, body.Partner)
	if err != nil || !partner.GetBool("active") {
		return fieldError("partner", "unknown_partner", "提供先の事業者を一覧から選んでください。")
	}
	scopes, period, ferr := consent.Validate(consent.Request{Scopes: body.Scopes, Purpose: body.Purpose,
		ValidFrom: body.ValidFrom, ValidUntil: body.ValidUntil, Child: body.Child != ""}, civil.Today())
	if ferr != nil {
		return fieldError(ferr.Field, ferr.Code, ferr.Message)
	}
	var child *core.Record
	if body.Child != "" {
		if child, err = managedChild(e, body.Child); err != nil {
			return err
		}
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.PartnerConsents)
	if err != nil {
		return e.InternalServerError("", err)
	}
	rec := core.NewRecord(col)
	// The id is the receipt's id, so it is made before the one save.
	rec.Id = core.GenerateDefaultRandomId()
	rec.Set("user", e.Auth.Id)
	rec.Set("child", body.Child)
	rec.Set("partner", partner.Id)
	rec.Set("purpose", strings.TrimSpace(body.Purpose))
	rec.Set("scopes", scopes)
	rec.Set("validFrom", period.From.String())
	rec.Set("validUntil", period.Until.String())
	rec.Set("grantedAt", time.Now())
	receipt, err := receiptOf(e, grantOf(rec, partner.GetString("name")))
	if err != nil {
		return err
	}
	rec.Set("receipt", receipt)
	if err := e.App.SaveWithContext(actorContext(e), rec); err != nil {
		return e.BadRequestError("同意を記録できませんでした。", err)
	}
	return e.JSON(http.StatusCreated, myConsentOf(rec, partner.GetString("name"), child, civil.Today()))
}

// ownConsent is the caller's consent of the path, else 404.
func ownConsent(e *core.RequestEvent) (*core.Record, error) {
	rec, err := e.App.FindRecordById(collections.PartnerConsents, e.Request.PathValue("id"))
	if err != nil || rec.GetString("user") != e.Auth.Id {
		return nil, e.NotFoundError("同意が見つかりません。", nil)
	}
	return rec, nil
}

func partnerName(app core.App, id string) string {
	p, err := app.FindRecordById(collections.Partners, id)
	if err != nil {
		return ""
	}
	return p.GetString("name")
}

func revokeConsent(e *core.RequestEvent) error {
	rec, err := ownConsent(e)
	if err != nil {
		return err
	}
	if !rec.GetDateTime("revokedAt").IsZero() {
		return fieldError("revokedAt", "already_revoked", "この同意はすでに取り消されています。")
	}
	rec.Set("revokedAt", time.Now())
	name := partnerName(e.App, rec.GetString("partner"))
	receipt, err := receiptOf(e, grantOf(rec, name))
	if err != nil {
		return err
	}
	rec.Set("receipt", receipt)
	if err := e.App.SaveWithContext(actorContext(e), rec); err != nil {
		return e.BadRequestError("同意を取り消せませんでした。", err)
	}
	return e.JSON(http.StatusOK, myConsentOf(rec, name, nil, civil.Today()))
}

func consentReceipt(e *core.RequestEvent) error {
	rec, err := ownConsent(e)
	if err != nil {
		return err
	}
	receipt, err := receiptOf(e, grantOf(rec, partnerName(e.App, rec.GetString("partner"))))
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="consent-receipt-`+rec.Id+`.json"`)
	return e.JSON(http.StatusOK, receipt)
}

// myConsent is one grant on the resident's page.
type myConsent struct {
	ID          string   `json:"id"`
	Partner     string   `json:"partner"`
	PartnerName string   `json:"partnerName"`
	Child       string   `json:"child,omitempty"`
	ChildName   string   `json:"childName,omitempty"`
	Purpose     string   `json:"purpose"`
	Scopes      []string `json:"scopes"`
	ValidFrom   string   `json:"validFrom"`
	ValidUntil  string   `json:"validUntil"`
	GrantedAt   string   `json:"grantedAt"`
	RevokedAt   string   `json:"revokedAt,omitempty"`
	State       string   `json:"state"` // active, pending, expired, revoked
}

func myConsentOf(r *core.Record, partnerName string, child *core.Record, today civil.Date) myConsent {
	g := grantOf(r, partnerName)
	c := myConsent{
		ID: r.Id, Partner: g.Partner, PartnerName: partnerName, Child: g.Child, Purpose: g.Purpose, Scopes: g.Scopes,
		ValidFrom: g.Period.From.String(), ValidUntil: g.Period.Until.String(),
		GrantedAt: g.GrantedAt.In(civil.Tokyo).Format(time.RFC3339), State: g.State(today),
	}
	if !g.RevokedAt.IsZero() {
		c.RevokedAt = g.RevokedAt.In(civil.Tokyo).Format(time.RFC3339)
	}
	if child != nil {
		c.ChildName = strings.TrimSpace(child.GetString("familyName") + " " + child.GetString("givenName"))
	}
	return c
}

// maxMyConsents caps the list; a resident has a handful of grants.
const maxMyConsents = 200

// myConsents lists the caller's grants, newest first, in every state.
func myConsents(e *core.RequestEvent) error {
	recs, err := e.App.FindRecordsByFilter(collections.PartnerConsents, "user = {:u}", "-created", maxMyConsents, 0, dbx.Params{"u": e.Auth.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	names := map[string]string{}
	kids := map[string]*core.Record{}
	today := civil.Today()
	items := make([]myConsent, len(recs))
	for i, r := range recs {
		p := r.GetString("partner")
		if _, ok := names[p]; !ok {
			names[p] = partnerName(e.App, p)
		}
		var child *core.Record
		if id := r.GetString("child"); id != "" {
			if _, ok := kids[id]; !ok {
				kids[id], _ = e.App.FindRecordById("children", id)
			}
			child = kids[id]
		}
		items[i] = myConsentOf(r, names[p], child, today)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// partnerGrant is one grant as its partner sees it: no names, the subject
// under the partner's pseudonym.
type partnerGrant struct {
	ID          string   `json:"id"`
	Subject     string   `json:"subject"`
	SubjectKind string   `json:"subjectKind"` // child or self
	Purpose     string   `json:"purpose"`
	Scopes      []string `json:"scopes"`
	ValidFrom   string   `json:"validFrom"`
	ValidUntil  string   `json:"validUntil"`
}

// partnerConsents lists the calling partner's grants in force today.
func partnerConsents(e *core.RequestEvent) error {
	cred := partnerOf(e)
	key, err := pseudonymKey(e)
	if err != nil {
		return err
	}
	today := civil.Today().String()
	recs, err := e.App.FindRecordsByFilter(collections.PartnerConsents,
		"partner = {:p} && validUntil >= {:d} && validFrom <= {:d} && revokedAt = ''", "validUntil", 0, 0,
		dbx.Params{"p": cred.Partner, "d": today})
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]partnerGrant, len(recs))
	for i, r := range recs {
		g := grantOf(r, cred.PartnerName)
		kind := consent.SubjectSelf
		if g.Child != "" {
			kind = consent.SubjectChild
		}
		items[i] = partnerGrant{ID: g.ID, Subject: consent.Pseudonym(key, g.Partner, g.Subject()), SubjectKind: kind,
			Purpose: g.Purpose, Scopes: g.Scopes, ValidFrom: g.Period.From.String(), ValidUntil: g.Period.Until.String()}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// forbiddenField is a 403 whose data names the field with a stable code.
func forbiddenField(field, code, message string) error {
	return apis.NewForbiddenError(message, validation.Errors{field: validation.NewError(code, message)})
}

// refuseConsent answers a consent refusal in the gateway's error shape.
func refuseConsent(e *core.RequestEvent, r *consent.Refusal) error {
	return e.JSON(http.StatusForbidden, refusalBody{
		Status: http.StatusForbidden, Code: r.Code, Message: r.Message,
		Data: map[string]refusalDetail{"consent": {Code: r.Code, Message: r.Message}},
	})
}

// partnerRead serves a dataset under a consent. The consent is read from
// the database on every call, so a revocation stops the next read.
func partnerRead(e *core.RequestEvent) error {
	cred := partnerOf(e)
	var g consent.Grant
	if rec, err := e.App.FindRecordById(collections.PartnerConsents, e.Request.PathValue("id")); err == nil {
		g = grantOf(rec, cred.PartnerName)
	}
	name := e.Request.PathValue("dataset")
	if r := consent.Check(g, cred.Partner, name, civil.Today()); r != nil {
		return refuseConsent(e, r)
	}
	ds, _ := consent.DatasetOf(name)
	items, err := datasetItems(e.App, ds, g)
	if err != nil {
		return e.InternalServerError("", err)
	}
	key, err := pseudonymKey(e)
	if err != nil {
		return err
	}
	// No entry, no read: the audit entry is written before the data leaves.
	if err := auditPartnerRead(e, cred.KeyID, ds, g); err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{
		"consent": g.ID, "subject": consent.Pseudonym(key, g.Partner, g.Subject()), "dataset": ds.Name,
		"asOf": time.Now().In(civil.Tokyo).Format(time.RFC3339), "items": items,
	})
}

// datasetItems reads a dataset's records of the grant's subject, with only
// the dataset's fields, leaving empty values out and records entered in
// error out.
func datasetItems(app core.App, ds consent.Dataset, g consent.Grant) ([]map[string]any, error) {
	owner := dbx.HashExp{"child": g.Child}
	if ds.Subject == consent.SubjectSelf {
		owner = dbx.HashExp{"mother": g.User}
	}
	recs, err := app.FindAllRecords(ds.Collection, owner, dbx.NewExp("status != 'entered_in_error'"))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(recs, func(a, b *core.Record) int { return strings.Compare(a.GetString("date"), b.GetString("date")) })
	items := make([]map[string]any, len(recs))
	for i, r := range recs {
		item := map[string]any{}
		for _, f := range ds.Fields {
			switch v := r.Get(f).(type) {
			case string:
				if v != "" {
					item[f] = v
				}
			case float64:
				if v != 0 {
					item[f] = v
				}
			case int:
				if v != 0 {
					item[f] = v
				}
			default:
				item[f] = v
			}
		}
		items[i] = item
	}
	return items, nil
}

// auditPartnerRead logs a partner read with the consented person as the
// subject, so the resident sees it in their access history.
func auditPartnerRead(e *core.RequestEvent, keyID string, ds consent.Dataset, g consent.Grant) error {
	a := actorOf(e)
	return auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(time.Now()), Actor: keyID, ActorCollection: collections.APIKeys, ActorRole: partnerActorRole,
		Action: audit.ActionView, Collection: ds.Collection, Record: g.ID, Subject: g.Subject(), Fields: ds.Fields,
		IP: a.IP, UserAgent: a.UserAgent,
	})
}
