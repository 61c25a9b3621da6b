package hooks

// NGSI history and subscriptions: what happens to a changed entity, and
// the partner's subscription routes.
//
// A notification is POSTed as {subscriptionId, data:[entities]} with the
// header X-Lifestage-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
// "<unix>.<body>")> (ngsi.Sign). It runs in its own goroutine, never in
// the request that changed the record. A try fails on a network error or
// a non-2xx answer; it is retried after Backoff, 2·Backoff, … up to
// Attempts tries. failsCounter counts consecutive failed tries (a success
// resets it); at maxFailsLimit the subscription's status becomes "failed"
// and nothing more is sent. Subscribers must be public http(s) addresses:
// the dialer refuses private, loopback and link-local addresses after
// name resolution (so DNS cannot point inside), redirects are not
// followed, unless NGSIOptions.AllowPrivate.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/ngsi"
)

const (
	maxSubscriptionsPerPartner = 100
	historyMaxRows             = 1000
	observedFormat             = "2006-01-02T15:04:05.000Z07:00"
)

// process writes the history of the pending changes and notifies the
// subscriptions they match.
func (st *ngsiState) process() {
	st.procMu.Lock()
	defer st.procMu.Unlock()
	st.pendingMu.Lock()
	changes := st.pending
	st.pending = nil
	st.pendingMu.Unlock()
	if len(changes) == 0 {
		return
	}
	if err := st.writeHistory(changes); err != nil {
		st.app.Logger().Error("ngsi: history write failed", "error", err)
	}
	subs, err := st.activeSubscriptions()
	if err != nil {
		st.app.Logger().Error("ngsi: reading subscriptions failed", "error", err)
		return
	}
	now := time.Now()
	for _, s := range subs {
		var hits []ngsi.Entity
		for _, c := range changes {
			if s.sub.Matches(c.entity, c.attrs) {
				hits = append(hits, c.entity)
			}
		}
		if len(hits) > 0 {
			st.dispatch(s, hits, now)
		}
	}
}

func (st *ngsiState) writeHistory(changes []ngsiChange) error {
	return st.app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(collections.NGSIHistory)
		if err != nil {
			return err
		}
		for _, c := range changes {
			for _, name := range c.attrs {
				r := core.NewRecord(col)
				r.Set("entityId", c.entity.ID)
				r.Set("entityType", c.entity.Type)
				r.Set("attr", name)
				a, ok := c.entity.Attrs[name]
				if ok {
					r.Set("attrType", a.Type)
					r.Set("value", a.Value)
				}
				r.Set("observedAt", c.at.UTC().Format(observedFormat))
				if err := tx.Save(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// subRow is a subscription as the notifier reads it.
type subRow struct {
	ID               string         `db:"id"`
	Partner          string         `db:"partner"`
	Description      string         `db:"description"`
	Entities         types.JSONRaw  `db:"entities"`
	ConditionAttrs   types.JSONRaw  `db:"conditionAttrs"`
	ConditionQ       string         `db:"conditionQ"`
	URL              string         `db:"url"`
	Attrs            types.JSONRaw  `db:"attrs"`
	AttrsFormat      string         `db:"attrsFormat"`
	Secret           string         `db:"secret"`
	Expires          types.DateTime `db:"expires"`
	Throttling       int            `db:"throttling"`
	Status           string         `db:"status"`
	MaxFailsLimit    int            `db:"maxFailsLimit"`
	TimesSent        int            `db:"timesSent"`
	FailsCounter     int            `db:"failsCounter"`
	LastNotification types.DateTime `db:"lastNotification"`
	LastSuccess      types.DateTime `db:"lastSuccess"`
	LastSuccessCode  int            `db:"lastSuccessCode"`
	LastFailure      types.DateTime `db:"lastFailure"`
	LastFailureRsn   string         `db:"lastFailureReason"`
	sub              ngsi.Subscription
}

const subColumns = `id, partner, description, entities, conditionAttrs, conditionQ, url, attrs, attrsFormat, secret,
	expires, throttling, status, maxFailsLimit, timesSent, failsCounter, lastNotification, lastSuccess,
	lastSuccessCode, lastFailure, lastFailureReason`

func (s *subRow) compile() error {
	s.sub = ngsi.Subscription{ID: s.ID, KeyValues: s.AttrsFormat == "keyValues"}
	_ = json.Unmarshal(s.Entities, &s.sub.Entities)
	_ = json.Unmarshal(s.ConditionAttrs, &s.sub.Conditions)
	_ = json.Unmarshal(s.Attrs, &s.sub.Attrs)
	var err error
	if s.sub.Q, err = ngsi.ParseQ(s.ConditionQ); err != nil {
		return err
	}
	return s.sub.Compile()
}

func (st *ngsiState) activeSubscriptions() ([]*subRow, error) {
	var rows []*subRow
	err := st.app.DB().NewQuery(`SELECT ` + subColumns + ` FROM ngsi_subscriptions WHERE status = 'active'`).All(&rows)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if r.compile() == nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func (st *ngsiState) exec(sql string, p dbx.Params) {
	if _, err := st.app.DB().NewQuery(sql).Bind(p).Execute(); err != nil {
		st.app.Logger().Error("ngsi: subscription update failed", "error", err)
	}
}

// dispatch starts the delivery of one notification, unless the
// subscription has expired or is throttled. The counters are updated in
// SQL: they are delivery statistics, not edits worth an audit row.
func (st *ngsiState) dispatch(s *subRow, hits []ngsi.Entity, now time.Time) {
	if !s.Expires.IsZero() && now.After(s.Expires.Time()) {
		st.exec(`UPDATE ngsi_subscriptions SET status = 'expired' WHERE id = {:id}`, dbx.Params{"id": s.ID})
		return
	}
	if s.Throttling > 0 && !s.LastNotification.IsZero() && now.Sub(s.LastNotification.Time()) < time.Duration(s.Throttling)*time.Second {
		return
	}
	body, err := json.Marshal(s.sub.Notify(hits))
	if err != nil {
		st.app.Logger().Error("ngsi: notification encoding failed", "error", err)
		return
	}
	st.exec(`UPDATE ngsi_subscriptions SET lastNotification = {:at} WHERE id = {:id}`, dbx.Params{"id": s.ID, "at": dbTime(now)})
	limit := s.MaxFailsLimit
	if limit <= 0 {
		limit = st.opts.MaxFailsLimit
	}
	st.deliveries.Add(1)
	go func() {
		defer st.deliveries.Done()
		st.deliver(s, body, limit)
	}()
}

func dbTime(t time.Time) string {
	d, _ := types.ParseDateTime(t)
	return d.String()
}

// deliver tries a notification until it arrives, the tries run out, the
// subscription stops or the app shuts down.
func (st *ngsiState) deliver(s *subRow, body []byte, limit int) {
	client := st.client()
	for try := 1; try <= max(1, st.opts.Attempts); try++ {
		if try > 1 {
			select {
			case <-st.stop:
				return
			case <-time.After(ngsi.Backoff(st.opts.Backoff, try-1)):
			}
		}
		code, err := st.post(client, s, body)
		now := time.Now()
		if err == nil {
			st.exec(`UPDATE ngsi_subscriptions SET timesSent = timesSent + 1, failsCounter = 0, lastSuccess = {:at},
				lastSuccessCode = {:code} WHERE id = {:id}`, dbx.Params{"id": s.ID, "at": dbTime(now), "code": code})
			return
		}
		reason := err.Error()
		if len(reason) > 300 {
			reason = reason[:300]
		}
		st.exec(`UPDATE ngsi_subscriptions SET failsCounter = failsCounter + 1, lastFailure = {:at}, lastFailureReason = {:reason},
			status = CASE WHEN failsCounter + 1 >= {:limit} THEN 'failed' ELSE status END WHERE id = {:id}`,
			dbx.Params{"id": s.ID, "at": dbTime(now), "reason": reason, "limit": limit})
		var status string
		_ = st.app.DB().NewQuery(`SELECT status FROM ngsi_subscriptions WHERE id = {:id}`).Bind(dbx.Params{"id": s.ID}).Row(&status)
		if status != collections.SubActive {
			return // deactivated, deleted or stopped by staff
		}
	}
}

var errPrivateAddress = errors.New("内部ネットワークのアドレスには通知できません")

// client dials only public addresses unless AllowPrivate; the check runs
// on the resolved address, so a name cannot point inside.
func (st *ngsiState) client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || (!st.opts.AllowPrivate && !ngsi.PublicIP(ip)) {
			return errPrivateAddress
		}
		return nil
	}}
	return &http.Client{
		Timeout:       st.opts.Timeout,
		Transport:     &http.Transport{DialContext: d.DialContext, Proxy: nil, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (st *ngsiState) post(client *http.Client, s *subRow, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), st.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lifestage-ngsi/2")
	req.Header.Set(ngsi.SignatureHeader, ngsi.Sign(s.Secret, body, time.Now()))
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return res.StatusCode, nil
}

// ---- routes ----

func bindNGSISubscriptionRoutes(g *router.RouterGroup[*core.RequestEvent]) {
	g.POST("/subscriptions", ngsiCreateSubscription).Bind(requirePartner(gateway.Scope("subscriptions", gateway.Write)))
	g.GET("/subscriptions", ngsiListSubscriptions).Bind(requirePartner(gateway.Scope("subscriptions", gateway.Read)))
	g.GET("/subscriptions/{id}", ngsiGetSubscription).Bind(requirePartner(gateway.Scope("subscriptions", gateway.Read)))
	g.DELETE("/subscriptions/{id}", ngsiDeleteSubscription).Bind(requirePartner(gateway.Scope("subscriptions", gateway.Write)))
}

// subscriptionBody is Orion's subscription payload.
type subscriptionBody struct {
	Description string `json:"description"`
	Subject     struct {
		Entities  []ngsi.Selector `json:"entities"`
		Condition struct {
			Attrs      []string `json:"attrs"`
			Expression struct {
				Q string `json:"q"`
			} `json:"expression"`
		} `json:"condition"`
	} `json:"subject"`
	Notification struct {
		HTTP struct {
			URL string `json:"url"`
		} `json:"http"`
		Attrs         []string `json:"attrs"`
		AttrsFormat   string   `json:"attrsFormat"`
		MaxFailsLimit int      `json:"maxFailsLimit"`
	} `json:"notification"`
	Expires    string `json:"expires"`
	Throttling int    `json:"throttling"`
	Status     string `json:"status"`
}

func (b *subscriptionBody) validate(allowPrivate bool, now time.Time) (types.DateTime, error) {
	var exp types.DateTime
	if len(b.Description) > 500 {
		return exp, ngsi.BadRequest("description は500文字以内にしてください")
	}
	if len(b.Subject.Entities) == 0 || len(b.Subject.Entities) > 50 {
		return exp, ngsi.BadRequest("subject.entities を1〜50件指定してください")
	}
	for _, s := range b.Subject.Entities {
		if _, ok := ngsi.TypeByName(s.Type); !ok {
			return exp, ngsi.BadRequest("subject.entities の各項目に type（%s など）を指定してください", ngsi.PointOfInterest)
		}
	}
	sub := ngsi.Subscription{Entities: slices.Clone(b.Subject.Entities)}
	if err := sub.Compile(); err != nil {
		return exp, err
	}
	if _, err := ngsi.ParseQ(b.Subject.Condition.Expression.Q); err != nil {
		return exp, err
	}
	if err := ngsi.CheckURL(b.Notification.HTTP.URL, allowPrivate); err != nil {
		return exp, err
	}
	switch b.Notification.AttrsFormat {
	case "", "normalized", "keyValues":
	default:
		return exp, ngsi.BadRequest("notification.attrsFormat は normalized か keyValues です")
	}
	switch b.Status {
	case "", collections.SubActive, collections.SubInactive:
	default:
		return exp, ngsi.BadRequest("status は active か inactive です")
	}
	if b.Throttling < 0 || b.Notification.MaxFailsLimit < 0 {
		return exp, ngsi.BadRequest("throttling と maxFailsLimit は0以上にしてください")
	}
	if b.Expires != "" {
		t, err := time.Parse(time.RFC3339, b.Expires)
		if err != nil || !t.After(now) {
			return exp, ngsi.BadRequest("expires は未来の日時（RFC 3339）にしてください")
		}
		exp, _ = types.ParseDateTime(t)
	}
	return exp, nil
}

func ngsiCreateSubscription(e *core.RequestEvent) error {
	st := ngsiOf(e.App)
	cred := partnerOf(e)
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, ngsiBodyLimit+1))
	if err != nil || len(raw) > ngsiBodyLimit {
		return ngsiFail(e, ngsi.BadRequest("本文が大きすぎるか、読み取れません（上限 64KB）"))
	}
	var b subscriptionBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return ngsiFail(e, ngsi.BadRequest("本文が正しい JSON ではありません"))
	}
	exp, err := b.validate(st.opts.AllowPrivate, time.Now())
	if err != nil {
		return ngsiFail(e, err)
	}
	var typesAsked []string
	for _, s := range b.Subject.Entities {
		typesAsked = append(typesAsked, s.Type)
	}
	if _, err := typesFor(e, typesAsked); err != nil || e.Written() {
		return err
	}
	n, err := e.App.CountRecords(collections.NGSISubscriptions, dbx.HashExp{"partner": cred.Partner})
	if err != nil {
		return ngsiFail(e, err)
	}
	if n >= maxSubscriptionsPerPartner {
		return ngsiFail(e, &ngsi.Error{Status: http.StatusForbidden, Code: "TooManySubscriptions",
			Description: fmt.Sprintf("1事業者のサブスクリプションは%d件までです。不要なものを削除してください", maxSubscriptionsPerPartner)})
	}
	secret, err := newSecret()
	if err != nil {
		return ngsiFail(e, err)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.NGSISubscriptions)
	if err != nil {
		return ngsiFail(e, err)
	}
	r := core.NewRecord(col)
	r.Set("partner", cred.Partner)
	r.Set("apiKey", cred.KeyID)
	r.Set("description", b.Description)
	r.Set("entities", b.Subject.Entities)
	r.Set("conditionAttrs", orEmpty(b.Subject.Condition.Attrs))
	r.Set("conditionQ", b.Subject.Condition.Expression.Q)
	r.Set("url", b.Notification.HTTP.URL)
	r.Set("attrs", orEmpty(b.Notification.Attrs))
	r.Set("attrsFormat", cmpOr(b.Notification.AttrsFormat, "normalized"))
	r.Set("secret", secret)
	r.Set("expires", exp)
	r.Set("throttling", b.Throttling)
	r.Set("status", cmpOr(b.Status, collections.SubActive))
	r.Set("maxFailsLimit", b.Notification.MaxFailsLimit)
	if err := e.App.SaveWithContext(e.Request.Context(), r); err != nil {
		return ngsiFail(e, err)
	}
	// Changes are found by comparing snapshots: build them now, so the
	// first change after subscribing is seen.
	for _, t := range typesAsked {
		if _, err := st.snapshot(t); err != nil {
			return ngsiFail(e, err)
		}
	}
	e.Response.Header().Set("Location", "/ngsi/v2/subscriptions/"+r.Id)
	return e.JSON(http.StatusCreated, map[string]string{"id": r.Id, "secret": secret,
		"signature": "X-Lifestage-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, \"<unix>.<body>\")>"})
}

func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// render is Orion's subscription representation (the secret never).
func (s *subRow) render(defaultLimit int) map[string]any {
	var entities, cond, attrs any
	_ = json.Unmarshal(s.Entities, &entities)
	_ = json.Unmarshal(s.ConditionAttrs, &cond)
	_ = json.Unmarshal(s.Attrs, &attrs)
	limit := s.MaxFailsLimit
	if limit <= 0 {
		limit = defaultLimit
	}
	notification := map[string]any{
		"http": map[string]string{"url": s.URL}, "attrs": attrs, "attrsFormat": s.AttrsFormat,
		"timesSent": s.TimesSent, "failsCounter": s.FailsCounter, "maxFailsLimit": limit,
	}
	for k, v := range map[string]types.DateTime{"lastNotification": s.LastNotification, "lastSuccess": s.LastSuccess, "lastFailure": s.LastFailure} {
		if !v.IsZero() {
			notification[k] = v.Time().UTC().Format(observedFormat)
		}
	}
	if s.LastSuccessCode != 0 {
		notification["lastSuccessCode"] = s.LastSuccessCode
	}
	if s.LastFailureRsn != "" {
		notification["lastFailureReason"] = s.LastFailureRsn
	}
	out := map[string]any{
		"id": s.ID, "description": s.Description, "status": s.Status, "throttling": s.Throttling,
		"subject":      map[string]any{"entities": entities, "condition": map[string]any{"attrs": cond, "expression": map[string]string{"q": s.ConditionQ}}},
		"notification": notification,
	}
	if !s.Expires.IsZero() {
		out["expires"] = s.Expires.Time().UTC().Format(observedFormat)
	}
	return out
}

// ownSubscription finds the caller's subscription; another partner's is
// "not found", so ids do not leak.
func ownSubscription(e *core.RequestEvent) (*subRow, error) {
	var s subRow
	err := e.App.DB().NewQuery(`SELECT ` + subColumns + ` FROM ngsi_subscriptions WHERE id = {:id} AND partner = {:p}`).
		Bind(dbx.Params{"id": e.Request.PathValue("id"), "p": partnerOf(e).Partner}).One(&s)
	if err != nil {
		return nil, ngsiFail(e, ngsi.NotFound("指定されたサブスクリプションはありません"))
	}
	return &s, nil
}

func ngsiGetSubscription(e *core.RequestEvent) error {
	s, err := ownSubscription(e)
	if s == nil {
		return err
	}
	return e.JSON(http.StatusOK, s.render(ngsiOf(e.App).opts.MaxFailsLimit))
}

func ngsiDeleteSubscription(e *core.RequestEvent) error {
	s, err := ownSubscription(e)
	if s == nil {
		return err
	}
	r, err := e.App.FindRecordById(collections.NGSISubscriptions, s.ID)
	if err == nil {
		err = e.App.DeleteWithContext(e.Request.Context(), r)
	}
	if err != nil {
		return ngsiFail(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

func ngsiListSubscriptions(e *core.RequestEvent) error {
	v := ngsi.ParseRawQuery(e.Request.URL.RawQuery)
	limit, offset := ngsi.DefaultLimit, 0
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > ngsi.MaxLimit {
			return ngsiFail(e, ngsi.BadRequest("limit は1〜%dの整数で指定してください", ngsi.MaxLimit))
		}
		limit = n
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return ngsiFail(e, ngsi.BadRequest("offset は0以上の整数で指定してください"))
		}
		offset = n
	}
	var rows []*subRow
	p := dbx.Params{"p": partnerOf(e).Partner, "limit": limit, "offset": offset}
	if err := e.App.DB().NewQuery(`SELECT ` + subColumns + ` FROM ngsi_subscriptions WHERE partner = {:p}
		ORDER BY created, id LIMIT {:limit} OFFSET {:offset}`).Bind(p).All(&rows); err != nil {
		return ngsiFail(e, err)
	}
	if slices.Contains(splitComma(v.Get("options")), "count") {
		n, err := e.App.CountRecords(collections.NGSISubscriptions, dbx.HashExp{"partner": partnerOf(e).Partner})
		if err != nil {
			return ngsiFail(e, err)
		}
		e.Response.Header().Set("Fiware-Total-Count", strconv.FormatInt(n, 10))
	}
	out := make([]map[string]any, len(rows))
	for i, s := range rows {
		out[i] = s.render(ngsiOf(e.App).opts.MaxFailsLimit)
	}
	return e.JSON(http.StatusOK, out)
}

// ---- history ----

// historyBound reads fromDate/toDate: an RFC 3339 instant, or a Tokyo date
// (toDate's whole day included).
func historyBound(s string, end bool) (string, error) {
	if s == "" {
		return "", nil
	}
	if d, err := civil.Parse(s); err == nil {
		if end {
			d = d.AddDays(1)
		}
		return d.Time().UTC().Format(observedFormat), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", ngsi.BadRequest("fromDate・toDate は YYYY-MM-DD か RFC 3339 の日時で指定してください")
	}
	if end {
		t = t.Add(time.Millisecond) // inclusive
	}
	return t.UTC().Format(observedFormat), nil
}

// ngsiHistory answers an attribute's history in QuantumLeap's shape:
// {entityId, entityType, attrName, index:[observedAt…], values:[…]}, oldest
// first. lastN keeps the newest N; at most 1000 rows.
func ngsiHistory(e *core.RequestEvent) error {
	v := ngsi.ParseRawQuery(e.Request.URL.RawQuery)
	ent, err := findEntity(e, e.Request.PathValue("id"), v.Get("type"))
	if ent == nil {
		return err
	}
	attr := e.Request.PathValue("attr")
	from, err := historyBound(v.Get("fromDate"), false)
	if err != nil {
		return ngsiFail(e, err)
	}
	to, err := historyBound(v.Get("toDate"), true)
	if err != nil {
		return ngsiFail(e, err)
	}
	n := historyMaxRows
	if s := v.Get("lastN"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > historyMaxRows {
			return ngsiFail(e, ngsi.BadRequest("lastN は1〜%dの整数で指定してください", historyMaxRows))
		}
	}
	where := dbx.NewExp("entityId = {:id} AND attr = {:attr}", dbx.Params{"id": ent.ID, "attr": attr})
	q := e.App.DB().Select("observedAt", "value").From(collections.NGSIHistory).Where(where)
	if from != "" {
		q.AndWhere(dbx.NewExp("observedAt >= {:from}", dbx.Params{"from": from}))
	}
	if to != "" {
		q.AndWhere(dbx.NewExp("observedAt < {:to}", dbx.Params{"to": to}))
	}
	var rows []struct {
		ObservedAt string        `db:"observedAt"`
		Value      types.JSONRaw `db:"value"`
	}
	if err := q.OrderBy("observedAt DESC", "id DESC").Limit(int64(n)).All(&rows); err != nil {
		return ngsiFail(e, err)
	}
	slices.Reverse(rows)
	index, values := make([]string, len(rows)), make([]json.RawMessage, len(rows))
	for i, r := range rows {
		index[i] = r.ObservedAt
		values[i] = json.RawMessage(cmpOr(string(r.Value), "null"))
	}
	return e.JSON(http.StatusOK, map[string]any{"entityId": ent.ID, "entityType": ent.Type, "attrName": attr, "index": index, "values": values})
}
