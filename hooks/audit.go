package hooks

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
)

// pendingActors remembers who is behind a record save that PocketBase's own
// CRUD routes make (they do not pass the request context down to the save).
var pendingActors sync.Map // *core.Record -> audit.Actor

func bindAudit(app core.App) {
	var personal, all []string
	for _, s := range collections.All() {
		all = append(all, s.Name)
		if s.Personal || s.Audited {
			personal = append(personal, s.Name)
		}
	}

	remember := func(e *core.RecordRequestEvent) error {
		pendingActors.Store(e.Record, actorOf(e.RequestEvent))
		defer pendingActors.Delete(e.Record)
		return e.Next()
	}
	app.OnRecordCreateRequest(personal...).BindFunc(remember)
	app.OnRecordUpdateRequest(personal...).BindFunc(remember)
	app.OnRecordDeleteRequest(personal...).BindFunc(remember)

	// The entry is written in the same transaction as the change, so there
	// is never a change without its entry.
	logChange := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			if audit.IsBulk(e.Context) {
				return e.Next()
			}
			return e.App.RunInTransaction(func(tx core.App) error {
				outer := e.App
				e.App = tx
				defer func() { e.App = outer }()
				if err := e.Next(); err != nil {
					return err
				}
				return auditlog.Append(tx, changeEntry(e, action))
			})
		}
	}
	app.OnRecordCreateExecute(personal...).BindFunc(logChange(audit.ActionCreate))
	app.OnRecordUpdateExecute(personal...).BindFunc(logChange(audit.ActionUpdate))
	app.OnRecordDeleteExecute(personal...).BindFunc(logChange(audit.ActionDelete))

	// Staff reads of sensitive records are logged before the data leaves:
	// no entry, no read.
	app.OnRecordViewRequest(all...).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := logSensitiveReads(e.RequestEvent, e.Collection, []*core.Record{e.Record}); err != nil {
			return e.InternalServerError("", err)
		}
		return e.Next()
	})
	app.OnRecordsListRequest(all...).BindFunc(func(e *core.RecordsListRequestEvent) error {
		if err := logSensitiveReads(e.RequestEvent, e.Collection, e.Records); err != nil {
			return e.InternalServerError("", err)
		}
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/me/access-log", myAccessLog).Bind(apis.RequireAuth(collections.Users))
		return se.Next()
	})
}

// actorOf describes the caller of a request.
func actorOf(e *core.RequestEvent) audit.Actor {
	a := audit.Actor{Role: "guest", IP: e.RealIP(), UserAgent: e.Request.UserAgent()}
	if len(a.UserAgent) > 300 {
		a.UserAgent = a.UserAgent[:300]
	}
	if e.Auth == nil {
		return a
	}
	a.ID, a.Collection = e.Auth.Id, e.Auth.Collection().Name
	a.Role = roleOf(e.Auth)
	return a
}

// roleOf is the role written in the log, e.g. "ops:manager" for city staff.
func roleOf(auth *core.Record) string {
	switch auth.Collection().Name {
	case core.CollectionNameSuperusers:
		return "superuser"
	case collections.Users:
		return "citizen"
	case collections.CityStaff:
		return auth.GetString("department") + ":" + auth.GetString("role")
	case collections.Volunteers:
		return "volunteer"
	}
	return auth.GetString("role")
}

// actorContext carries the caller into saves made by custom routes.
func actorContext(e *core.RequestEvent) context.Context {
	return audit.WithActor(e.Request.Context(), actorOf(e))
}

func actorForSave(e *core.RecordEvent) audit.Actor {
	if a, ok := audit.ActorFrom(e.Context); ok {
		return a
	}
	if a, ok := pendingActors.Load(e.Record); ok {
		return a.(audit.Actor)
	}
	return audit.System
}

func changeEntry(e *core.RecordEvent, action string) audit.Entry {
	a := actorForSave(e)
	return audit.Entry{
		At: audit.Stamp(time.Now()), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: action, Collection: e.Record.Collection().Name, Record: e.Record.Id,
		Subject: subjectOf(e.Record), Fields: changedFields(e.Record, action), IP: a.IP, UserAgent: a.UserAgent,
	}
}

// subjectOf is the person a record is about, per the collection's spec.
func subjectOf(r *core.Record) string {
	spec := collections.Get(r.Collection().Name)
	if spec == nil || spec.Subject == "" {
		return ""
	}
	if spec.Subject == "id" {
		return r.Id
	}
	return r.GetString(spec.Subject)
}

// changedFields names what a save touched; autodate fields always change and
// say nothing.
func changedFields(r *core.Record, action string) []string {
	var names []string
	for _, f := range r.Collection().Fields {
		if f.Type() == core.FieldTypeAutodate {
			continue
		}
		names = append(names, f.GetName())
	}
	switch action {
	case audit.ActionCreate:
		empty := core.NewRecord(r.Collection())
		return audit.ChangedFields(names, func(n string) any { return comparable(empty, n) }, func(n string) any { return comparable(r, n) })
	case audit.ActionUpdate:
		orig := r.Original()
		return audit.ChangedFields(names, func(n string) any { return comparable(orig, n) }, func(n string) any { return comparable(r, n) })
	}
	return nil
}

// comparable reads a field for change detection; passwords compare by hash.
func comparable(r *core.Record, name string) any {
	if pw, ok := r.GetRaw(name).(*core.PasswordFieldValue); ok {
		return pw.Hash
	}
	return r.GetRaw(name)
}

func logSensitiveReads(e *core.RequestEvent, col *core.Collection, recs []*core.Record) error {
	spec := collections.Get(col.Name)
	if spec == nil || !spec.Sensitive || !isStaff(e.Auth) || len(recs) == 0 {
		return nil
	}
	a := actorOf(e)
	return e.App.RunInTransaction(func(tx core.App) error {
		for _, r := range recs {
			err := auditlog.Append(tx, audit.Entry{
				At: audit.Stamp(time.Now()), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
				Action: audit.ActionView, Collection: col.Name, Record: r.Id, Subject: subjectOf(r),
				IP: a.IP, UserAgent: a.UserAgent,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// accessLogItem is one line of a person's own access history.
type accessLogItem struct {
	At         string `json:"at"`
	Action     string `json:"action"`
	Collection string `json:"collection"`
	Record     string `json:"record"`
	Subject    string `json:"subject"`
	ActorKind  string `json:"actorKind"`
	ActorRole  string `json:"actorRole"`
	ActorName  string `json:"actorName,omitempty"` // the partner, for reads under a consent
	Self       bool   `json:"self"`
}

// myAccessLog lists who created, changed, read or deleted records about the
// caller, the caller's children or household (fee bases, invoices) (自分の
// 情報の閲覧履歴), newest first.
func myAccessLog(e *core.RequestEvent) error {
	subjects := []any{e.Auth.Id}
	if h := e.Auth.GetString("household"); h != "" {
		subjects = append(subjects, h)
	}
	var kids []string
	err := e.App.DB().NewQuery("SELECT id FROM children WHERE guardians LIKE {:p}").
		Bind(dbx.Params{"p": "%\"" + e.Auth.Id + "\"%"}).Column(&kids)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, k := range kids {
		subjects = append(subjects, k)
	}
	page, _ := strconv.Atoi(e.Request.URL.Query().Get("page"))
	page = max(1, page)
	const perPage = 50
	var rows []struct {
		At              string `db:"at"`
		Action          string `db:"action"`
		Collection      string `db:"collection"`
		Record          string `db:"record"`
		Subject         string `db:"subject"`
		Actor           string `db:"actor"`
		ActorCollection string `db:"actorCollection"`
		ActorRole       string `db:"actorRole"`
	}
	err = e.App.DB().Select("at", "action", "collection", "record", "subject", "actor", "actorCollection", "actorRole").
		From(auditlog.Collection).Where(dbx.In("subject", subjects...)).
		OrderBy("seq DESC").Limit(perPage).Offset(int64((page - 1) * perPage)).All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]accessLogItem, len(rows))
	partners := map[string]string{} // api key id -> partner name
	for i, r := range rows {
		items[i] = accessLogItem{At: r.At, Action: r.Action, Collection: r.Collection, Record: r.Record, Subject: r.Subject,
			ActorKind: r.ActorCollection, ActorRole: r.ActorRole, Self: r.Actor == e.Auth.Id}
		if r.ActorCollection == collections.APIKeys {
			if _, ok := partners[r.Actor]; !ok {
				partners[r.Actor] = keyPartnerName(e.App, r.Actor)
			}
			items[i].ActorName = partners[r.Actor]
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"page": page, "perPage": perPage, "items": items})
}

// keyPartnerName is the name of the partner holding an API key, so the
// resident reads who looked at their data, not a key id.
func keyPartnerName(app core.App, keyID string) string {
	key, err := app.FindRecordById(collections.APIKeys, keyID)
	if err != nil {
		return ""
	}
	return partnerName(app, key.GetString("partner"))
}
