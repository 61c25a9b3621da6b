package hooks

// The NGSI-v2 standard interface (FIWARE Orion's subset) over the public
// datasets, at its standard paths /ngsi/v2/…. Every route needs a partner
// key (requirePartner); a type is released only to keys with its dataset's
// read scope (ngsi.Types is the one table type → dataset). Errors have
// Orion's shape {"error","description"}, so Orion clients parse them.
//
// Entities are built per type with one query (ngsi_sources.go) and kept in
// a snapshot per type. A write to a source collection marks its types
// dirty; the next read, or the background worker shortly after, rebuilds
// the snapshot and compares it with the previous one. Each changed entity
// gives history rows and subscription notifications (ngsi_notify.go).
// Snapshots also expire after a minute and at the Tokyo date change, since
// vacancies depend on today's enrolments.

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/ngsi"
)

const (
	ngsiStoreKey  = "lifestage.ngsi"
	ngsiTTL       = time.Minute
	ngsiBodyLimit = 64 << 10
)

// NGSIOptions tune the notifier; tests shorten the waits and allow
// notifications to loopback subscribers.
type NGSIOptions struct {
	AllowPrivate  bool          // notify private and loopback addresses (off in production)
	Debounce      time.Duration // wait after a write before rebuilding, so a batch gives one change
	Attempts      int           // tries per notification (the first and its retries)
	Backoff       time.Duration // wait before the first retry; doubles each retry
	MaxFailsLimit int           // consecutive failed tries that deactivate a subscription
	Timeout       time.Duration // per try
}

// DefaultNGSIOptions are the production settings. LIFESTAGE_NGSI_ALLOW_PRIVATE=1
// turns AllowPrivate on (a closed network with subscribers inside it).
var DefaultNGSIOptions = NGSIOptions{Debounce: 500 * time.Millisecond, Attempts: 3, Backoff: 2 * time.Second, MaxFailsLimit: 3, Timeout: 10 * time.Second}

type ngsiSnapshot struct {
	list  []ngsi.Entity // by id
	byID  map[string]int
	built time.Time
	day   civil.Date
}

// ngsiChange is one entity whose attributes changed.
type ngsiChange struct {
	entity ngsi.Entity
	attrs  []string
	at     time.Time
}

type ngsiState struct {
	app  core.App
	opts NGSIOptions

	mu    sync.Mutex
	snaps map[string]*ngsiSnapshot
	dirty map[string]bool

	pendingMu sync.Mutex
	pending   []ngsiChange

	kick       chan struct{}
	stop       chan struct{}
	closed     atomic.Bool // after shutdown no worker starts
	startOnce  sync.Once
	stopOnce   sync.Once
	work       sync.WaitGroup // the rebuild worker
	deliveries sync.WaitGroup // notifications in flight
	procMu     sync.Mutex     // one change batch at a time
}

func bindNGSI(app core.App) {
	st := &ngsiState{app: app, opts: DefaultNGSIOptions, snaps: map[string]*ngsiSnapshot{}, dirty: map[string]bool{},
		kick: make(chan struct{}, 1), stop: make(chan struct{})}
	if v, _ := strconv.ParseBool(os.Getenv("LIFESTAGE_NGSI_ALLOW_PRIVATE")); v {
		st.opts.AllowPrivate = true
	}
	app.Store().Set(ngsiStoreKey, st)
	bySource := map[string][]string{}
	for typ, src := range ngsiSources {
		for _, c := range src.sources {
			bySource[c] = append(bySource[c], typ)
		}
	}
	for coll, types := range bySource {
		mark := func(e *core.RecordEvent) error {
			st.markDirty(types)
			return e.Next()
		}
		onRecordChange(app, mark, coll)
	}
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		st.shutdown()
		return e.Next()
	})
	// Commands and test fixtures close the database without terminating:
	// stop the worker before that too.
	app.OnBootstrapClear().BindFunc(func(e *core.BootstrapEvent) error {
		st.shutdown()
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		bindNGSIRoutes(se)
		return se.Next()
	})
}

func ngsiOf(app core.App) *ngsiState {
	st, _ := app.Store().Get(ngsiStoreKey).(*ngsiState)
	return st
}

// SetNGSIOptions replaces the notifier settings (tests).
func SetNGSIOptions(app core.App, o NGSIOptions) { ngsiOf(app).opts = o }

// NGSISync builds every snapshot, applies pending changes and waits for
// the notifications they cause, retries included (tests, and the
// benchmark's warm-up).
func NGSISync(app core.App) error {
	st := ngsiOf(app)
	for _, t := range ngsi.Types {
		if _, err := st.snapshot(t.Name); err != nil {
			return err
		}
	}
	st.process()
	st.deliveries.Wait()
	return nil
}

func (st *ngsiState) markDirty(types []string) {
	st.mu.Lock()
	for _, t := range types {
		st.dirty[t] = true
	}
	st.mu.Unlock()
	st.wake()
}

// wake starts the worker if needed and tells it there is work.
func (st *ngsiState) wake() {
	if st.closed.Load() {
		return
	}
	st.startOnce.Do(func() {
		st.work.Add(1)
		go st.run()
	})
	select {
	case st.kick <- struct{}{}:
	default:
	}
}

// run rebuilds dirty snapshots shortly after writes, so history and
// notifications do not wait for a reader.
func (st *ngsiState) run() {
	defer st.work.Done()
	for {
		select {
		case <-st.stop:
			return
		case <-st.kick:
		}
		select {
		case <-st.stop:
			return
		case <-time.After(st.opts.Debounce):
		}
		if st.closed.Load() {
			return
		}
		st.mu.Lock()
		var types []string
		for t := range st.dirty {
			types = append(types, t)
		}
		st.mu.Unlock()
		for _, t := range types {
			if _, err := st.snapshot(t); err != nil {
				st.app.Logger().Warn("ngsi: rebuild failed", "type", t, "error", err)
			}
		}
		st.process()
	}
}

func (st *ngsiState) shutdown() {
	st.stopOnce.Do(func() {
		st.closed.Store(true)
		close(st.stop)
		st.work.Wait()
		st.deliveries.Wait()
	})
}

// snapshot returns the type's entities, rebuilding them when dirty, stale
// or of another day. The first build of a process has nothing to compare
// with, so it records no change.
func (st *ngsiState) snapshot(typ string) (*ngsiSnapshot, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	today := civil.DateOf(now)
	old := st.snaps[typ]
	if old != nil && !st.dirty[typ] && now.Sub(old.built) < ngsiTTL && old.day == today {
		return old, nil
	}
	src, ok := ngsiSources[typ]
	if !ok {
		return &ngsiSnapshot{byID: map[string]int{}}, nil
	}
	delete(st.dirty, typ) // a write during the build marks it again
	list, err := src.build(st.app, today)
	if err != nil {
		st.dirty[typ] = true
		return nil, err
	}
	slices.SortFunc(list, func(a, b ngsi.Entity) int { return cmpString(a.ID, b.ID) })
	snap := &ngsiSnapshot{list: list, byID: make(map[string]int, len(list)), built: now, day: today}
	for i, e := range list {
		snap.byID[e.ID] = i
	}
	st.snaps[typ] = snap
	if old != nil {
		st.diff(old, snap, now)
	}
	return snap, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// diff queues the entities that are new or changed. Removed entities are
// not notified (Orion notifies deletions only on request) and keep their
// history.
func (st *ngsiState) diff(old, cur *ngsiSnapshot, at time.Time) {
	var changes []ngsiChange
	for i := range cur.list {
		e := &cur.list[i]
		var prev *ngsi.Entity
		if j, ok := old.byID[e.ID]; ok {
			prev = &old.list[j]
		}
		// dateObserved moves every day on its own; it is no change.
		attrs := slices.DeleteFunc(ngsi.Changed(prev, e), func(a string) bool { return a == "dateObserved" })
		if len(attrs) > 0 {
			changes = append(changes, ngsiChange{entity: *e, attrs: attrs, at: at})
		}
	}
	if len(changes) == 0 {
		return
	}
	st.pendingMu.Lock()
	st.pending = append(st.pending, changes...)
	st.pendingMu.Unlock()
	// A rebuild by a reader (expiry, a new day) has no write to wake the
	// worker; the history and notifications must not wait for one.
	st.wake()
}

// readable lists the types a key may read, in ngsi.Types order.
func readable(cred *gateway.Credential) []string {
	var out []string
	for _, t := range ngsi.Types {
		if slices.Contains(cred.Scopes, gateway.Scope(t.Dataset, gateway.Read)) {
			out = append(out, t.Name)
		}
	}
	return out
}

// ngsiFail answers an NGSI error in Orion's shape.
func ngsiFail(e *core.RequestEvent, err error) error {
	if ne, ok := err.(*ngsi.Error); ok {
		return e.JSON(ne.Status, ne)
	}
	e.App.Logger().Error("ngsi: internal error", "error", err)
	return e.JSON(http.StatusInternalServerError, &ngsi.Error{Code: "InternalServerError", Description: "サーバーの内部エラーです。時間をおいて再度お試しください。"})
}

// typesFor resolves the requested types against the key's scopes: nil
// asks for every readable type; a type the key may not read is refused
// with the gateway's 403; an unknown type is simply empty, as in Orion.
func typesFor(e *core.RequestEvent, asked []string) ([]string, error) {
	cred := partnerOf(e)
	mine := readable(cred)
	if len(asked) == 0 {
		if len(mine) == 0 {
			return nil, refuse(e, gateway.ErrScope, 0)
		}
		return mine, nil
	}
	var out []string
	for _, t := range asked {
		if _, known := ngsi.TypeByName(t); !known {
			continue
		}
		if !slices.Contains(mine, t) {
			return nil, refuse(e, gateway.ErrScope, 0)
		}
		out = append(out, t)
	}
	return out, nil
}

// lists returns the snapshots' entity lists of the types.
func (st *ngsiState) lists(types []string) ([][]ngsi.Entity, error) {
	out := make([][]ngsi.Entity, 0, len(types))
	for _, t := range types {
		s, err := st.snapshot(t)
		if err != nil {
			return nil, err
		}
		out = append(out, s.list)
	}
	return out, nil
}

func bindNGSIRoutes(se *core.ServeEvent) {
	g := se.Router.Group("/ngsi/v2")
	g.GET("/entities", ngsiEntities).Bind(requirePartner(""))
	g.GET("/entities/{id}", ngsiEntity).Bind(requirePartner(""))
	g.GET("/entities/{id}/attrs/{attr}/history", ngsiHistory).Bind(requirePartner(""))
	g.GET("/types", ngsiTypes).Bind(requirePartner(""))
	g.GET("/types/{type}", ngsiType).Bind(requirePartner(""))
	g.POST("/op/query", ngsiOpQuery).Bind(requirePartner(""))
	g.GET("/aggregate", ngsiAggregate).Bind(requirePartner(""))
	bindNGSISubscriptionRoutes(g)
}

func ngsiEntities(e *core.RequestEvent) error {
	q, err := ngsi.ParseQuery(ngsi.ParseRawQuery(e.Request.URL.RawQuery))
	if err != nil {
		return ngsiFail(e, err)
	}
	return answerQuery(e, q)
}

func ngsiOpQuery(e *core.RequestEvent) error {
	var b ngsi.Body
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, ngsiBodyLimit+1))
	if err != nil || len(raw) > ngsiBodyLimit {
		return ngsiFail(e, ngsi.BadRequest("本文が大きすぎるか、読み取れません（上限 64KB）"))
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return ngsiFail(e, ngsi.BadRequest("本文が正しい JSON ではありません"))
	}
	q, err := ngsi.ParseBody(b, ngsi.ParseRawQuery(e.Request.URL.RawQuery))
	if err != nil {
		return ngsiFail(e, err)
	}
	return answerQuery(e, q)
}

// answerQuery runs an entity query and writes the page (and the total
// with options=count, in Fiware-Total-Count as Orion does).
func answerQuery(e *core.RequestEvent, q *ngsi.Query) error {
	types, err := typesFor(e, q.Types)
	if err != nil || e.Written() {
		return err
	}
	lists, err := ngsiOf(e.App).lists(types)
	if err != nil {
		return ngsiFail(e, err)
	}
	page, total := q.Run(lists...)
	if q.Count {
		e.Response.Header().Set("Fiware-Total-Count", strconv.Itoa(total))
	}
	out := make([]map[string]any, len(page))
	for i, ent := range page {
		out[i] = ent.Render(q.Attrs, q.KeyValues)
	}
	return e.JSON(http.StatusOK, out)
}

// findEntity looks an id up in the readable types. A found entity of a
// type the key may not read is refused, as its dataset is.
func findEntity(e *core.RequestEvent, id, typ string) (*ngsi.Entity, error) {
	st := ngsiOf(e.App)
	mine := readable(partnerOf(e))
	for _, t := range ngsi.Types {
		if typ != "" && t.Name != typ {
			continue
		}
		s, err := st.snapshot(t.Name)
		if err != nil {
			return nil, ngsiFail(e, err)
		}
		if i, ok := s.byID[id]; ok {
			if !slices.Contains(mine, t.Name) {
				return nil, refuse(e, gateway.ErrScope, 0)
			}
			return &s.list[i], nil
		}
	}
	return nil, ngsiFail(e, ngsi.NotFound("指定された id のエンティティはありません"))
}

func ngsiEntity(e *core.RequestEvent) error {
	v := ngsi.ParseRawQuery(e.Request.URL.RawQuery)
	keyValues := false
	for _, o := range splitComma(v.Get("options")) {
		switch o {
		case "keyValues":
			keyValues = true
		default:
			return ngsiFail(e, ngsi.BadRequest("options %q には対応していません（keyValues）", o))
		}
	}
	ent, err := findEntity(e, e.Request.PathValue("id"), v.Get("type"))
	if ent == nil {
		return err
	}
	return e.JSON(http.StatusOK, ent.Render(splitComma(v.Get("attrs")), keyValues))
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// typeSummary is /types' item: each attribute's types and the count.
type typeSummary struct {
	Type  string                    `json:"type,omitzero"`
	Attrs map[string]map[string]any `json:"attrs"`
	Count int                       `json:"count"`
}

func summarize(t ngsi.TypeInfo, s *ngsiSnapshot, withName bool) typeSummary {
	out := typeSummary{Attrs: map[string]map[string]any{}, Count: len(s.list)}
	if withName {
		out.Type = t.Name
	}
	for _, a := range t.Attrs {
		out.Attrs[a.Name] = map[string]any{"types": []string{a.Type}}
	}
	return out
}

func ngsiTypes(e *core.RequestEvent) error {
	st := ngsiOf(e.App)
	out := []typeSummary{}
	for _, name := range readable(partnerOf(e)) {
		t, _ := ngsi.TypeByName(name)
		s, err := st.snapshot(name)
		if err != nil {
			return ngsiFail(e, err)
		}
		out = append(out, summarize(t, s, true))
	}
	return e.JSON(http.StatusOK, out)
}

func ngsiType(e *core.RequestEvent) error {
	t, ok := ngsi.TypeByName(e.Request.PathValue("type"))
	if !ok {
		return ngsiFail(e, ngsi.NotFound("指定された型はありません"))
	}
	if _, err := typesFor(e, []string{t.Name}); err != nil || e.Written() {
		return err
	}
	s, err := ngsiOf(e.App).snapshot(t.Name)
	if err != nil {
		return ngsiFail(e, err)
	}
	return e.JSON(http.StatusOK, summarize(t, s, false))
}

// ngsiAggregate answers GET /ngsi/v2/aggregate: count, sum or avg of the
// entities of one type selected by the usual q/id/geo parameters.
func ngsiAggregate(e *core.RequestEvent) error {
	v := ngsi.ParseRawQuery(e.Request.URL.RawQuery)
	typ := v.Get("type")
	if _, ok := ngsi.TypeByName(typ); !ok {
		return ngsiFail(e, ngsi.BadRequest("type に集計するエンティティの型を1つ指定してください"))
	}
	agg, err := ngsi.ParseAgg(v)
	if err != nil {
		return ngsiFail(e, err)
	}
	v.Del("limit")
	v.Del("offset")
	v.Del("options")
	q, err := ngsi.ParseQuery(v)
	if err != nil {
		return ngsiFail(e, err)
	}
	if _, err := typesFor(e, []string{typ}); err != nil || e.Written() {
		return err
	}
	lists, err := ngsiOf(e.App).lists([]string{typ})
	if err != nil {
		return ngsiFail(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"type": typ, "op": agg.Op, "attr": agg.Attr, "groupBy": agg.GroupBy, "bucket": agg.Bucket, "timeAttr": agg.TimeAttr,
		"groups": agg.Run(q.Select(lists...)),
	})
}
