package hooks

import (
	"errors"
	"net/http"
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
)

const (
	watchFamilyConsents = "watch_family_consents"
	// familyVisitLimit is how many visits a family member sees per person:
	// about a year of weekly visits.
	familyVisitLimit = 60
	// familyViewLimit caps the family-views list of a target.
	familyViewLimit = 200
	// familyAnswerMax drops longer answers: free text told in confidence
	// belongs in the note, which families never see.
	familyAnswerMax = 40
)

// bindWatchFamily binds the family consents (set by the city, revoked at
// once) and the family's audited view of the visits.
func bindWatchFamily(app core.App) {
	app.OnRecordCreateRequest(watchFamilyConsents).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := checkNoActiveConsent(e.App, e.Record); err != nil {
			return err
		}
		e.Record.Set("grantedBy", e.Auth.Id)
		return e.Next()
	})
	// Whatever instant the client sends, a revocation takes effect now.
	app.OnRecordUpdateRequest(watchFamilyConsents).BindFunc(func(e *core.RecordRequestEvent) error {
		if !e.Record.GetDateTime("revokedAt").IsZero() {
			e.Record.Set("revokedAt", time.Now())
			e.Record.Set("revokedBy", e.Auth.Id)
		}
		return e.Next()
	})
	// The person the consent is about comes from the target, for every
	// save path (API, seed), so the audit log files it under them.
	app.OnRecordCreate(watchFamilyConsents).BindFunc(func(e *core.RecordEvent) error {
		t, err := e.App.FindRecordById(watchTargets, e.Record.GetString("target"))
		if err != nil {
			return fieldError("target", "invalid_target", "見守り対象者が見つかりません。")
		}
		e.Record.Set("resident", t.GetString("resident"))
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/me/watch", myWatch).Bind(apis.RequireAuth(collections.Users))
		city := requireCityStaff(collections.DeptElderly)
		se.Router.GET("/api/lifestage/watch/targets/{id}/family-views", watchFamilyViews).Bind(city)
		se.Router.POST("/api/lifestage/watch/targets/{id}/family-consents", watchGrantFamilyConsent).Bind(city, apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

// checkNoActiveConsent refuses a second active consent for the same
// person and family member: one record states one disclosure.
func checkNoActiveConsent(app core.App, consent *core.Record) error {
	n, err := app.CountRecords(watchFamilyConsents, dbx.HashExp{
		"target": consent.GetString("target"), "user": consent.GetString("user"), "revokedAt": "",
	})
	if err != nil {
		return err
	}
	if n > 0 {
		return fieldError("user", "consent_exists", "この家族への同意はすでに有効です。範囲を変えるときは撤回してから登録し直してください。")
	}
	return nil
}

// familyVisit is a visit as a family member sees it: when and how the
// person was, and the short checklist answers. The volunteer's name, the
// note and the position stay out: the volunteer is a neighbour who
// answers to the city, and the note may hold what the person told in
// confidence.
type familyVisit struct {
	At      string         `json:"at"`
	Status  string         `json:"status"`
	Answers map[string]any `json:"answers"`
}

// familyTarget is one person a family member may follow.
type familyTarget struct {
	Consent   string        `json:"consent"`
	Target    string        `json:"target"`
	GivenName string        `json:"givenName"`
	AreaName  string        `json:"areaName"`
	Scope     string        `json:"scope"`
	GrantedOn string        `json:"grantedOn"`
	Frequency string        `json:"frequency"`
	Visits    []familyVisit `json:"visits"`
}

// myWatch shows a family member the visit history of each person whose
// consent names them and is not revoked. Each person shown is one audited
// read, written before the data leaves; without an active consent the list
// is empty.
func myWatch(e *core.RequestEvent) error {
	consents, err := e.App.FindRecordsByFilter(watchFamilyConsents, `user = {:u} && revokedAt = ""`, "grantedOn", 0, 0, dbx.Params{"u": e.Auth.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]familyTarget, 0, len(consents))
	for _, c := range consents {
		ft, target, err := loadFamilyTarget(e.App, c)
		if errors.Is(err, errTargetGone) {
			continue
		}
		if err != nil {
			return e.InternalServerError("", err)
		}
		if err := logFamilyView(e, target); err != nil {
			return e.InternalServerError("", err)
		}
		out = append(out, ft)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"targets": out})
}

var errTargetGone = errors.New("watch target gone")

func loadFamilyTarget(app core.App, consent *core.Record) (familyTarget, *core.Record, error) {
	target, err := app.FindRecordById(watchTargets, consent.GetString("target"))
	if err != nil {
		return familyTarget{}, nil, errTargetGone
	}
	ft := familyTarget{
		Consent: consent.Id, Target: target.Id, Scope: consent.GetString("scope"),
		GrantedOn: consent.GetString("grantedOn"), Frequency: target.GetString("frequency"), Visits: []familyVisit{},
	}
	if r, err := app.FindRecordById("residents", target.GetString("resident")); err == nil {
		ft.GivenName = r.GetString("givenName")
	}
	if a, err := app.FindRecordById("areas", target.GetString("area")); err == nil {
		ft.AreaName = a.GetString("name")
	}
	visits, err := app.FindRecordsByFilter(watchVisits, "target = {:t}", "-at", familyVisitLimit, 0, dbx.Params{"t": target.Id})
	if err != nil {
		return familyTarget{}, nil, err
	}
	for _, v := range visits {
		var answers map[string]any
		_ = v.UnmarshalJSONField("answers", &answers)
		ft.Visits = append(ft.Visits, familyVisit{
			At: rfc3339(v.GetDateTime("at").Time()), Status: v.GetString("status"), Answers: shortAnswers(answers),
		})
	}
	return ft, target, nil
}

// shortAnswers keeps the checklist's short answers (codes, yes/no,
// numbers) and drops anything longer.
func shortAnswers(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		switch x := v.(type) {
		case bool, float64:
			out[k] = x
		case string:
			if len([]rune(x)) <= familyAnswerMax {
				out[k] = x
			}
		}
	}
	return out
}

// logFamilyView files the family member's read of the person's visits
// under the person, like a staff read of a sensitive record.
func logFamilyView(e *core.RequestEvent, target *core.Record) error {
	a := actorOf(e)
	return auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(time.Now()), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: audit.ActionView, Collection: watchTargets, Record: target.Id, Subject: target.GetString("resident"),
		IP: a.IP, UserAgent: a.UserAgent,
	})
}

// familyView is one read by a family member, as the city sees it.
type familyView struct {
	At    string `json:"at" db:"at"`
	User  string `json:"user" db:"actor"`
	Name  string `json:"name" db:"name"`
	Email string `json:"email" db:"email"`
}

// familyConsentRow is one consent of a target, active or revoked.
type familyConsentRow struct {
	ID        string `json:"id" db:"id"`
	User      string `json:"user" db:"user"`
	Name      string `json:"name" db:"name"`
	Scope     string `json:"scope" db:"scope"`
	GrantedOn string `json:"grantedOn" db:"grantedOn"`
	Evidence  string `json:"evidence" db:"evidence"`
	RevokedAt string `json:"revokedAt" db:"revokedAt"`
}

// watchFamilyViews lists, for 高齢福祉担当, the target's family consents
// and every read of its visits by a family member, newest first.
func watchFamilyViews(e *core.RequestEvent) error {
	target, err := e.App.FindRecordById(watchTargets, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("見守り対象者が見つかりません。", nil)
	}
	views := []familyView{}
	err = e.App.DB().NewQuery(`SELECT l.at, l.actor, COALESCE(u.name, '') AS name, COALESCE(u.email, '') AS email
		FROM audit_log l LEFT JOIN users u ON u.id = l.actor
		WHERE l.collection = {:c} AND l.record = {:r} AND l.action = {:a} AND l.actorCollection = {:u}
		ORDER BY l.seq DESC LIMIT {:n}`).
		Bind(dbx.Params{"c": watchTargets, "r": target.Id, "a": audit.ActionView, "u": collections.Users, "n": familyViewLimit}).All(&views)
	if err != nil {
		return e.InternalServerError("", err)
	}
	consents := []familyConsentRow{}
	err = e.App.DB().NewQuery(`SELECT c.id, c.user, COALESCE(u.name, '') AS name, c.scope, c.grantedOn, c.evidence, c.revokedAt
		FROM watch_family_consents c LEFT JOIN users u ON u.id = c.user
		WHERE c.target = {:t} ORDER BY c.grantedOn DESC`).Bind(dbx.Params{"t": target.Id}).All(&consents)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for i := range views {
		views[i].At = auditInstant(views[i].At)
	}
	for i := range consents {
		consents[i].RevokedAt = rfc3339(parseInstant(consents[i].RevokedAt))
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"target": target.Id, "consents": consents, "views": views})
}

// auditInstant turns the audit log's stamp into the wire format.
func auditInstant(s string) string {
	t, err := time.Parse(audit.TimeLayout, s)
	if err != nil {
		return s
	}
	return t.In(civil.Tokyo).Format(time.RFC3339)
}

// grantBody is a consent as the city's form sends it: the family member
// by the email address of their citizen account, which staff cannot list.
type grantBody struct {
	Email        string `json:"email"`
	Scope        string `json:"scope"`
	GrantedOn    string `json:"grantedOn"`
	Evidence     string `json:"evidence"`
	EvidenceNote string `json:"evidenceNote"`
}

// watchGrantFamilyConsent records a consent for the family member with
// the given email; the record's own rules and validation apply as they do
// through the collection API.
func watchGrantFamilyConsent(e *core.RequestEvent) error {
	target, err := e.App.FindRecordById(watchTargets, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("見守り対象者が見つかりません。", nil)
	}
	var body grantBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("送信内容を読み取れませんでした。", err)
	}
	user, err := e.App.FindAuthRecordByEmail(collections.Users, strings.TrimSpace(body.Email))
	if err != nil {
		return fieldError("email", "unknown_user", "このメールアドレスの市民アカウントがありません。ご家族に lifestage への登録をお願いしてください。")
	}
	col, err := e.App.FindCachedCollectionByNameOrId(watchFamilyConsents)
	if err != nil {
		return e.InternalServerError("", err)
	}
	c := core.NewRecord(col)
	c.Set("target", target.Id)
	c.Set("user", user.Id)
	c.Set("scope", body.Scope)
	c.Set("grantedOn", body.GrantedOn)
	c.Set("evidence", body.Evidence)
	c.Set("evidenceNote", strings.TrimSpace(body.EvidenceNote))
	c.Set("grantedBy", e.Auth.Id)
	if err := checkNoActiveConsent(e.App, c); err != nil {
		return err
	}
	err = e.App.SaveWithContext(actorContext(e), c)
	var verr validation.Errors
	if errors.As(err, &verr) {
		return e.BadRequestError("入力内容を確認してください。", verr)
	}
	if err != nil {
		return e.InternalServerError("同意を登録できませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": c.Id, "user": user.Id, "name": user.GetString("name")})
}
