package hooks

// The partner API gateway (データ連携基盤). Every partner route binds
// requirePartner:
//
//	se.Router.GET("/ngsi/v2/entities", h).Bind(requirePartner("facilities:read"))
//
// and the handler reads the caller with partnerOf(e). The middleware
//
//   - reads the X-API-Key header and finds the key by its SHA-256 hash in an
//     in-memory cache (entries live 30 s, unknown keys 5 s; the cache is
//     cleared whenever a key or partner is saved in this process, and keys
//     issued by the CLI in another process are found by the database lookup
//     on a miss);
//   - refuses with 401 (missing_key, invalid_key, revoked_key, expired_key,
//     inactive_partner), 403 (scope_denied), or 429 with Retry-After
//     (rate_limited; quota_exceeded until the next Tokyo month). The body is
//     {status, code, message, data:{apiKey:{code, message}}}, in Japanese;
//   - meters every request of a known key by key, "METHOD pattern", Tokyo
//     day and status. The meter is flushed every few seconds, before usage
//     reports, and when the app terminates.
//
// Scopes come from gateway.Scopes (one list for NGSI, OpenAPI and pages).
// An empty scope admits any valid key.

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
)

const (
	gatewayStoreKey = "lifestage.gateway"
	partnerEventKey = "lifestage.partner"
	apiKeyHeader    = "X-API-Key"
	flushEvery      = 5 * time.Second
)

// gatewayState is one app's gateway: key cache, rate limiter, monthly
// quota counts and usage meter. It lives in the app's store, so each test
// app has its own.
type gatewayState struct {
	app     core.App
	cache   *gateway.Cache
	limiter *gateway.Limiter
	quota   *gateway.Quota
	meter   *gateway.Meter

	startOnce, stopOnce sync.Once
	stop                chan struct{}
	done                chan struct{}
}

func newGatewayState(app core.App) *gatewayState {
	st := &gatewayState{
		app: app, cache: gateway.NewCache(30*time.Second, 5*time.Second),
		limiter: gateway.NewLimiter(), quota: gateway.NewQuota(),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	st.meter = gateway.NewMeter(func(rows []gateway.Count) error {
		return gatewaydb.FlushUsage(app, rows, time.Now())
	})
	return st
}

// bindGateway sets up the gateway state, its cache invalidation and its
// flushes, and the key and usage routes.
func bindGateway(app core.App) {
	st := newGatewayState(app)
	app.Store().Set(gatewayStoreKey, st)
	forget := func(e *core.RecordEvent) error {
		st.cache.Clear()
		return e.Next()
	}
	onRecordChange(app, forget, collections.APIKeys, collections.Partners)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		st.shutdown()
		return e.Next()
	})
	bindGatewayRoutes(app)
}

// gatewayOf returns the app's gateway state.
func gatewayOf(app core.App) *gatewayState {
	st, _ := app.Store().Get(gatewayStoreKey).(*gatewayState)
	return st
}

// FlushUsage writes the metered usage now (tests, and before reports).
func FlushUsage(app core.App) error {
	if st := gatewayOf(app); st != nil {
		return st.meter.Flush()
	}
	return nil
}

// run flushes the meter every few seconds until shutdown. It starts with
// the first metered request, so commands and tests without partner calls
// start no goroutine.
func (st *gatewayState) run() {
	defer close(st.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := st.meter.Flush(); err != nil {
				st.app.Logger().Warn("gateway: usage flush failed; will retry", "error", err)
			}
		case <-st.stop:
			return
		}
	}
}

// shutdown stops the flusher and writes what is left, before the database
// closes.
func (st *gatewayState) shutdown() {
	st.stopOnce.Do(func() {
		// If the flusher never started, this keeps it from starting.
		st.startOnce.Do(func() { close(st.done) })
		close(st.stop)
		<-st.done
		if err := st.meter.Flush(); err != nil {
			st.app.Logger().Error("gateway: final usage flush failed", "error", err)
		}
	})
}

// credential finds a key's credential: from the cache, else from the
// database (then cached, unknown keys too).
func (st *gatewayState) credential(app core.App, key string, now time.Time) (*gateway.Credential, error) {
	if _, ok := gateway.ParseKey(key); !ok {
		return nil, nil
	}
	hash := gateway.Hash(key)
	if cred, ok := st.cache.Get(hash, now); ok {
		return cred, nil
	}
	cred, err := gatewaydb.Lookup(app, hash)
	if err != nil {
		return nil, err
	}
	st.cache.Put(hash, cred, now)
	return cred, nil
}

// requirePartner admits requests that carry a valid API key granted the
// scope ("" for any valid key), within its rate limit and monthly quota,
// and meters them. See the top of this file.
func requirePartner(scope string) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:   "lifestageRequirePartner",
		Func: func(e *core.RequestEvent) error { return admitPartner(e, scope) },
	}
}

func admitPartner(e *core.RequestEvent, scope string) error {
	st := gatewayOf(e.App)
	key := e.Request.Header.Get(apiKeyHeader)
	if key == "" {
		return refuse(e, gateway.ErrMissingKey, 0)
	}
	now := time.Now()
	cred, err := st.credential(e.App, key, now)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if cred == nil {
		return refuse(e, gateway.ErrInvalidKey, 0)
	}
	if r := cred.Check(scope, now); r != nil {
		return st.refuseMetered(e, cred, r, 0, now)
	}
	if ok, retry := st.limiter.Allow(cred.KeyID, cred.RateLimit, now); !ok {
		return st.refuseMetered(e, cred, gateway.ErrRate, retry, now)
	}
	ok, err := st.quota.Take(cred.KeyID, cred.MonthlyQuota, now, func(month string) (int64, error) {
		// Uses of this key not flushed yet are already in the count: the
		// count starts with this process's first request in the month.
		return gatewaydb.MonthUsage(e.App, cred.KeyID, month)
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return st.refuseMetered(e, cred, gateway.ErrQuota, gateway.SecondsUntil(now, gateway.NextMonth(now)), now)
	}
	e.Set(partnerEventKey, cred)
	err = e.Next()
	status := e.Status()
	switch {
	case err != nil && !e.Written():
		status = router.ToApiError(err).Status
	case status == 0:
		status = http.StatusOK // net/http's answer to a handler that wrote nothing
	}
	st.record(e, cred, status, now)
	return err
}

// partnerOf returns the credential requirePartner admitted, or nil.
func partnerOf(e *core.RequestEvent) *gateway.Credential {
	cred, _ := e.Get(partnerEventKey).(*gateway.Credential)
	return cred
}

func (st *gatewayState) refuseMetered(e *core.RequestEvent, cred *gateway.Credential, r *gateway.Refusal, retry int, now time.Time) error {
	err := refuse(e, r, retry)
	st.record(e, cred, r.Status, now)
	return err
}

// record meters one request of a known key.
func (st *gatewayState) record(e *core.RequestEvent, cred *gateway.Credential, status int, now time.Time) {
	st.startOnce.Do(func() { go st.run() })
	st.meter.Add(gateway.Use{Key: cred.KeyID, Partner: cred.Partner, Day: gateway.DayOf(now), Endpoint: endpointOf(e.Request), Status: status})
}

// endpointOf is the route, not the URL, so ids in paths do not split the
// counts: "GET /ngsi/v2/entities/{id}".
func endpointOf(r *http.Request) string {
	p := r.Pattern
	if p == "" {
		p = r.URL.Path
	}
	if strings.HasPrefix(p, r.Method+" ") {
		return p
	}
	return r.Method + " " + p
}

// refusalBody is PocketBase's error shape with the stable code also at the
// top level, for API clients.
type refusalBody struct {
	Status  int                      `json:"status"`
	Code    string                   `json:"code"`
	Message string                   `json:"message"`
	Data    map[string]refusalDetail `json:"data"`
}

type refusalDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// refuse answers a gateway refusal.
func refuse(e *core.RequestEvent, r *gateway.Refusal, retryAfter int) error {
	if retryAfter > 0 {
		e.Response.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	if r.Status == http.StatusUnauthorized {
		e.Response.Header().Set("WWW-Authenticate", `APIKey header="X-API-Key"`)
	}
	return e.JSON(r.Status, refusalBody{
		Status: r.Status, Code: r.Code, Message: r.Message,
		Data: map[string]refusalDetail{"apiKey": {Code: r.Code, Message: r.Message}},
	})
}
