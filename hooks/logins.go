package hooks

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/lockout"
	"github.com/saijo-dx/lifestage/secevents"
)

// PasswordMaxAge is how long a privileged password lasts (別紙1 2(2)イ: 半年毎に変更).
const PasswordMaxAge = 180 * 24 * time.Hour

const lockoutStoreKey = "lifestage.lockout"

var loginTracked = []string{collections.CityStaff, collections.NurseryStaff, collections.MedicalStaff, collections.Volunteers, core.CollectionNameSuperusers}

func bindLogins(app core.App) {
	app.OnRecordAuthWithPasswordRequest().BindFunc(limitPasswordLogins)
	app.OnRecordAuthRequest(loginTracked...).BindFunc(checkAndRecordLogin)
	stamp := func(e *core.RecordEvent) error {
		if pw, ok := e.Record.GetRaw("password").(*core.PasswordFieldValue); ok && pw.Plain != "" {
			e.Record.Set("passwordChangedAt", time.Now())
		}
		return e.Next()
	}
	app.OnRecordCreate(loginTracked...).BindFunc(stamp)
	app.OnRecordUpdate(loginTracked...).BindFunc(stamp)
}

func tracker(app core.App) *lockout.Tracker {
	return app.Store().GetOrSet(lockoutStoreKey, func() any { return lockout.New(lockout.Default) }).(*lockout.Tracker)
}

// limitPasswordLogins refuses logins to a locked account or from a locked
// address, even with the right password, and counts failures.
func limitPasswordLogins(e *core.RecordAuthWithPasswordRequestEvent) error {
	t := tracker(e.App)
	account := e.Collection.Name + ":" + strings.ToLower(strings.TrimSpace(e.Identity))
	ip := e.RealIP()
	now := time.Now()
	if lock, locked := t.Check(account, ip, now); locked {
		return lockedError(lock)
	}
	err := e.Next()
	if err == nil {
		t.Succeed(account)
		return nil
	}
	if !isBadCredentials(err) {
		return err
	}
	for _, lock := range t.Fail(account, ip, now) {
		recordLockout(e, lock)
	}
	return err
}

func isBadCredentials(err error) bool {
	apiErr := apis.ToApiError(err)
	return apiErr.Status == http.StatusBadRequest && strings.HasPrefix(apiErr.Message, "Failed to authenticate")
}

func lockedError(lock lockout.Lock) error {
	until := lock.Until.In(civil.Tokyo).Format("15:04")
	msg := fmt.Sprintf("ログインに続けて失敗したため、%s までログインできません。時間をおいてからお試しください。", until)
	if !lock.Account {
		msg = fmt.Sprintf("この接続元からのログイン失敗が多いため、%s までログインできません。", until)
	}
	return apis.NewApiError(http.StatusTooManyRequests, msg, validation.Errors{"identity": validation.NewError("login_locked", msg)})
}

// recordLockout writes the lockout to the audit log and raises a security
// event; neither holds the identity typed, only the account's record id.
func recordLockout(e *core.RecordAuthWithPasswordRequestEvent, lock lockout.Lock) {
	record, what := "", "address"
	if lock.Account {
		what = "account"
		if e.Record != nil {
			record = e.Record.Id
		}
	}
	a := actorOf(e.RequestEvent)
	err := auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(time.Now()), ActorRole: a.Role, Action: audit.ActionLockout,
		Collection: e.Collection.Name, Record: record, Fields: []string{what}, IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		e.App.Logger().Error("audit: lockout not logged", "error", err)
	}
	msg := fmt.Sprintf("ログイン失敗によるロック（%s、%s、%s まで）", e.Collection.Name, map[bool]string{true: "アカウント", false: "接続元"}[lock.Account],
		lock.Until.In(civil.Tokyo).Format("15:04"))
	_, err = secevents.Raise(e.App, secevents.Event{
		Kind: secevents.Lockout, Critical: e.Collection.Name == core.CollectionNameSuperusers || e.Collection.Name == collections.CityStaff,
		Message: msg, Details: map[string]any{"collection": e.Collection.Name, "lock": what, "record": record, "ip": a.IP, "until": lock.Until.UTC()},
		Reason: fmt.Sprintf("lockout:%s:%s:%s:%d", e.Collection.Name, what, record+a.IP, lock.Until.Unix()/60),
	})
	if err != nil {
		e.App.Logger().Error("security event not raised", "error", err)
	}
}

// isPrivileged marks superusers and the 運用 role.
func isPrivileged(r *core.Record) bool {
	return r.IsSuperuser() || (r.Collection().Name == collections.CityStaff && r.GetString("department") == collections.DeptOps)
}

// checkAndRecordLogin refuses an expired privileged password, and after a
// completed login (MFA included) remembers it so the next login can show it.
func checkAndRecordLogin(e *core.RecordAuthRequestEvent) error {
	if e.AuthMethod == "" { // a token refresh, not a login
		return e.Next()
	}
	if isPrivileged(e.Record) {
		changed := e.Record.GetDateTime("passwordChangedAt").Time()
		if changed.IsZero() || time.Since(changed) > PasswordMaxAge {
			msg := "パスワードの有効期限（180日）が切れています。「パスワードを忘れた方」から新しいパスワードを設定してください。"
			return apis.NewForbiddenError(msg, validation.Errors{"password": validation.NewError("password_expired", msg)})
		}
	}
	if err := e.Next(); err != nil {
		return err
	}
	rec, err := e.App.FindRecordById(e.Collection, e.Record.Id)
	if err != nil {
		return nil // the login stands; the record vanished meanwhile
	}
	rec.Set("previousLoginAt", rec.GetDateTime("lastLoginAt"))
	rec.Set("previousLoginIP", rec.GetString("lastLoginIP"))
	rec.Set("lastLoginAt", time.Now())
	rec.Set("lastLoginIP", e.RealIP())
	self := audit.Actor{ID: rec.Id, Collection: e.Collection.Name, Role: roleOf(rec), IP: e.RealIP(), UserAgent: e.Request.UserAgent()}
	if err := e.App.SaveWithContext(audit.WithActor(e.Request.Context(), self), rec); err != nil {
		e.App.Logger().Warn("login time not recorded", "error", err)
	}
	return nil
}
