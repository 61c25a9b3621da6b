package hooks

import (
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
)

// maxRateLimit caps a key's per-minute limit: beyond it the gateway is no
// longer what limits a partner.
const maxRateLimit = 100000

// bindGatewayRoutes serves key management to 運用 staff and the usage page
// to partners.
func bindGatewayRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/gateway")
		g.Bind(requireCityStaff(collections.DeptOps), apis.BodyLimit(bodyLimit))
		g.POST("/partners/{id}/keys", issueKeyRoute)
		g.POST("/keys/{id}/rotate", rotateKeyRoute)
		g.POST("/keys/{id}/revoke", revokeKeyRoute)
		g.GET("/usage", opsUsageRoute)
		g.GET("/scopes", scopesRoute)
		se.Router.GET("/api/lifestage/partner/usage", partnerUsageRoute).Bind(requirePartner(""))
		return se.Next()
	})
}

// issuedKey is the only response that ever holds a key.
type issuedKey struct {
	ID           string   `json:"id"`
	Partner      string   `json:"partner"`
	Prefix       string   `json:"prefix"`
	Key          string   `json:"key"`
	Label        string   `json:"label"`
	Scopes       []string `json:"scopes"`
	ExpiresAt    string   `json:"expiresAt"`
	RateLimit    int      `json:"rateLimit"`
	MonthlyQuota int64    `json:"monthlyQuota"`
	Replaces     string   `json:"replaces"`
}

func issuedKeyOf(rec *core.Record, key string) issuedKey {
	exp := ""
	if t := rec.GetDateTime("expiresAt"); !t.IsZero() {
		exp = t.Time().In(civil.Tokyo).Format(time.RFC3339)
	}
	return issuedKey{
		ID: rec.Id, Partner: rec.GetString("partner"), Prefix: rec.GetString("prefix"), Key: key,
		Label: rec.GetString("label"), Scopes: rec.GetStringSlice("scopes"), ExpiresAt: exp,
		RateLimit: rec.GetInt("rateLimit"), MonthlyQuota: rec.GetInt64("monthlyQuota"), Replaces: rec.GetString("replaces"),
	}
}

// sendKey answers with a new key, which must not be cached anywhere.
func sendKey(e *core.RequestEvent, rec *core.Record, key string) error {
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusCreated, issuedKeyOf(rec, key))
}

// issueKeyRoute answers POST /api/lifestage/gateway/partners/{id}/keys
// {label, scopes, expiresAt, rateLimit, monthlyQuota} with the new key,
// shown this once.
func issueKeyRoute(e *core.RequestEvent) error {
	partner, err := e.App.FindRecordById(collections.Partners, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("事業者が見つかりません。", nil)
	}
	if !partner.GetBool("active") {
		return fieldError("partner", "partner_inactive", "利用停止中の事業者にはキーを発行できません。")
	}
	var body struct {
		Label        string   `json:"label"`
		Scopes       []string `json:"scopes"`
		ExpiresAt    string   `json:"expiresAt"`
		RateLimit    *int     `json:"rateLimit"`
		MonthlyQuota *int64   `json:"monthlyQuota"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("リクエストの形式が正しくありません。", err)
	}
	spec, err := keySpecOf(body.Label, body.Scopes, body.ExpiresAt, body.RateLimit, body.MonthlyQuota, time.Now())
	if err != nil {
		return err
	}
	rec, key, err := gatewaydb.Issue(actorContext(e), e.App, partner.Id, spec)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return sendKey(e, rec, key)
}

// keySpecOf validates a key's settings, with field errors in Japanese.
func keySpecOf(label string, scopes []string, expires string, rate *int, quota *int64, now time.Time) (gatewaydb.KeySpec, error) {
	spec := gatewaydb.KeySpec{Label: label, RateLimit: gatewaydb.DefaultRateLimit, MonthlyQuota: gatewaydb.DefaultMonthlyQuota}
	if len([]rune(label)) > 100 {
		return spec, fieldError("label", "too_long", "用途の名前は100文字以内で入力してください。")
	}
	var err error
	if spec.Scopes, err = gateway.ParseScopes(scopes); err != nil {
		return spec, fieldError("scopes", "invalid_scope", "スコープを1つ以上、一覧から選んでください。")
	}
	switch spec.ExpiresAt, err = gateway.ParseExpiry(expires, now); {
	case errors.Is(err, gateway.ErrPastExpiry):
		return spec, fieldError("expiresAt", "past_expiry", "有効期限は今より後の日時を指定してください。")
	case err != nil:
		return spec, fieldError("expiresAt", "invalid_expiry", "有効期限は YYYY-MM-DD の形式で指定してください。")
	}
	if rate != nil {
		if *rate < 0 || *rate > maxRateLimit {
			return spec, fieldError("rateLimit", "invalid_rate", "1分あたりの上限は0〜100000で指定してください（0は無制限）。")
		}
		spec.RateLimit = *rate
	}
	if quota != nil {
		if *quota < 0 {
			return spec, fieldError("monthlyQuota", "invalid_quota", "月間上限は0以上で指定してください（0は無制限）。")
		}
		spec.MonthlyQuota = *quota
	}
	return spec, nil
}

// rotateKeyRoute answers POST /api/lifestage/gateway/keys/{id}/rotate: a
// new key with the same settings, the old one revoked at once.
func rotateKeyRoute(e *core.RequestEvent) error {
	rec, key, err := gatewaydb.Rotate(actorContext(e), e.App, e.Request.PathValue("id"), time.Now())
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return e.NotFoundError("APIキーが見つかりません。", nil)
	case errors.Is(err, gatewaydb.ErrRevoked):
		return fieldError("key", "key_revoked", "失効したキーは更新できません。新しいキーを発行してください。")
	case err != nil:
		return e.InternalServerError("", err)
	}
	return sendKey(e, rec, key)
}

// revokeKeyRoute answers POST /api/lifestage/gateway/keys/{id}/revoke. The
// key stops at once; revoking twice changes nothing.
func revokeKeyRoute(e *core.RequestEvent) error {
	rec, err := gatewaydb.Revoke(actorContext(e), e.App, e.Request.PathValue("id"), time.Now())
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return e.NotFoundError("APIキーが見つかりません。", nil)
	case err != nil && !errors.Is(err, gatewaydb.ErrRevoked):
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": rec.Id, "prefix": rec.GetString("prefix"),
		"revokedAt": rec.GetDateTime("revokedAt").Time().In(civil.Tokyo).Format(time.RFC3339),
	})
}

// usageReport is the body of both usage routes.
type usageReport struct {
	From  string               `json:"from"`
	To    string               `json:"to"`
	Total int64                `json:"total"`
	Items []gatewaydb.UsageRow `json:"items"`
	// Key is the calling key's limits and this month's count (partner
	// route only).
	Key *callerKey `json:"key,omitzero"`
}

// callerKey tells a partner where its key stands.
type callerKey struct {
	Prefix       string   `json:"prefix"`
	Partner      string   `json:"partnerName"`
	Scopes       []string `json:"scopes"`
	RateLimit    int      `json:"rateLimit"`
	MonthlyQuota int64    `json:"monthlyQuota"`
	Month        string   `json:"month"`
	MonthUsed    int64    `json:"monthUsed"`
	ExpiresAt    string   `json:"expiresAt"`
}

func callerKeyOf(e *core.RequestEvent, c *gateway.Credential) *callerKey {
	now := time.Now()
	exp := ""
	if !c.ExpiresAt.IsZero() {
		exp = c.ExpiresAt.In(civil.Tokyo).Format(time.RFC3339)
	}
	return &callerKey{
		Prefix: c.Prefix, Partner: c.PartnerName, Scopes: c.Scopes, RateLimit: c.RateLimit, MonthlyQuota: c.MonthlyQuota,
		Month: gateway.Month(now), MonthUsed: gatewayOf(e.App).quota.Used(c.KeyID, now), ExpiresAt: exp,
	}
}

func usage(e *core.RequestEvent, partner string, key *callerKey) error {
	q := e.Request.URL.Query()
	from, to, err := gateway.UsageRange(q.Get("from"), q.Get("to"), civil.Today())
	switch {
	case errors.Is(err, gateway.ErrLongRange):
		return fieldError("from", "range_too_long", "期間は366日以内で指定してください。")
	case err != nil:
		return fieldError("from", "invalid_range", "期間は from と to に YYYY-MM-DD の形式で、from が to 以前になるよう指定してください。")
	}
	// Reports include the last few seconds too.
	if err := FlushUsage(e.App); err != nil {
		return e.InternalServerError("", err)
	}
	rows, err := gatewaydb.Usage(e.App, gatewaydb.UsageFilter{From: from.String(), To: to.String(), Partner: partner})
	if err != nil {
		return e.InternalServerError("", err)
	}
	r := usageReport{From: from.String(), To: to.String(), Items: rows, Key: key}
	for _, row := range rows {
		r.Total += row.Count
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, r)
}

// opsUsageRoute answers GET /api/lifestage/gateway/usage?from=&to=&partner=
// for 運用 staff: usage per day, key, endpoint and status.
func opsUsageRoute(e *core.RequestEvent) error {
	return usage(e, e.Request.URL.Query().Get("partner"), nil)
}

// partnerUsageRoute answers GET /api/lifestage/partner/usage?from=&to= with
// the calling partner's own usage, every key of theirs included, and the
// calling key's limits and count this month.
func partnerUsageRoute(e *core.RequestEvent) error {
	c := partnerOf(e)
	return usage(e, c.Partner, callerKeyOf(e, c))
}

// scopeItem describes one scope for the key form.
type scopeItem struct {
	Scope    string `json:"scope"`
	Dataset  string `json:"dataset"`
	Action   string `json:"action"`
	Label    string `json:"label"`
	Personal bool   `json:"personal"`
}

// scopesRoute answers GET /api/lifestage/gateway/scopes: every scope a key
// can be given, from gateway.Datasets, so the page lists no scope itself.
func scopesRoute(e *core.RequestEvent) error {
	items := []scopeItem{}
	for _, d := range gateway.Datasets {
		for _, a := range d.Actions {
			items = append(items, scopeItem{Scope: gateway.Scope(d.Name, a), Dataset: d.Name, Action: string(a), Label: d.Label, Personal: d.Personal})
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
