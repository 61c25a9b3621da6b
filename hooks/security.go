package hooks

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/lockout"
	"github.com/saijo-dx/lifestage/secevents"
)

// deniedBurst is how many refusals (401/403) from one address within a few
// minutes look like someone probing rather than a mistake.
var deniedBurst = lockout.Policy{IPFailures: 30, AccountFailures: 1 << 30, Window: 5 * time.Minute, LockFor: 30 * time.Minute}

const (
	deniedStoreKey      = "lifestage.deniedBurst"
	auditStatusKey      = "lifestage.auditStatus"
	auditVerifyJobID    = "lifestageAuditVerify"
	auditVerifySchedule = "0 1 * * *" // 01:00 in Tokyo (cron runs in Tokyo time)
)

func bindSecurity(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "lifestageDeniedBurst",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 10,
			Func:     watchDenials,
		})
		se.Router.GET("/api/lifestage/ops/status", opsStatus).Bind(requireCityStaff(collections.DeptOps))
		return se.Next()
	})
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		a := e.App
		return a.Cron().Add(auditVerifyJobID, auditVerifySchedule, func() { _ = VerifyAuditAndAlert(a) })
	})
}

// watchDenials raises a security event when one address collects many
// refusals in a short time.
func watchDenials(e *core.RequestEvent) error {
	err := e.Next()
	if err == nil {
		return nil
	}
	status := apis.ToApiError(err).Status
	if status != http.StatusUnauthorized && status != http.StatusForbidden {
		return err
	}
	t := e.App.Store().GetOrSet(deniedStoreKey, func() any { return lockout.New(deniedBurst) }).(*lockout.Tracker)
	ip := e.RealIP()
	for range t.Fail("", ip, time.Now()) {
		_, raiseErr := secevents.Raise(e.App, secevents.Event{
			Kind: secevents.DeniedBurst, Message: fmt.Sprintf("短時間にアクセス拒否が%d回ありました（接続元 %s）", deniedBurst.IPFailures, ip),
			Details: map[string]any{"ip": ip, "window": deniedBurst.Window.String(), "lastPath": e.Request.URL.Path},
			Reason:  "denied:" + ip + ":" + time.Now().Format("2006010215"),
		})
		if raiseErr != nil {
			e.App.Logger().Error("security event not raised", "error", raiseErr)
		}
	}
	return err
}

// VerifyAuditAndAlert checks the whole chain, keeps the result for the status
// route, and raises a critical security event when it is broken.
func VerifyAuditAndAlert(app core.App) error {
	res, err := auditlog.Verify(app)
	if err != nil {
		return err
	}
	app.Store().Set(auditStatusKey, auditStatus{Result: res, At: time.Now()})
	if res.OK {
		return nil
	}
	_, err = secevents.Raise(app, secevents.Event{
		Kind: secevents.AuditBroken, Critical: true,
		Message: "監査ログの連鎖が壊れています（改ざんの可能性）",
		Details: map[string]any{"brokenId": res.BrokenID, "reason": res.Reason, "verifiedEntries": res.Entries},
		Reason:  "audit:" + res.BrokenID,
	})
	return errors.Join(err, fmt.Errorf("audit chain broken at %s", res.BrokenID))
}

type auditStatus struct {
	auditlog.Result
	At time.Time
}

// opsStatus is the operations dashboard's one call: record counts, the last
// backup and its age, the audit chain, database size and open security events.
func opsStatus(e *core.RequestEvent) error {
	counts := map[string]int64{}
	for _, s := range collections.All() {
		n, err := e.App.CountRecords(s.Name)
		if err != nil {
			return e.InternalServerError("", err)
		}
		counts[s.Name] = n
	}
	if e.Request.URL.Query().Get("verify") == "1" {
		_ = VerifyAuditAndAlert(e.App)
	}
	openEvents, err := e.App.CountRecords(secevents.Collection, dbx.HashExp{"status": "open"})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"counts":             counts,
		"lastBackup":         lastBackup(e.App),
		"audit":              auditSummary(e.App),
		"databaseBytes":      fileSize(filepath.Join(e.App.DataDir(), "data.db")) + fileSize(filepath.Join(e.App.DataDir(), "data.db-wal")),
		"openSecurityEvents": openEvents,
		"at":                 time.Now().UTC().Format(time.RFC3339),
	})
}

func auditSummary(app core.App) map[string]any {
	st, ok := app.Store().Get(auditStatusKey).(auditStatus)
	if !ok {
		head, err := auditlog.Head(app)
		if err != nil {
			return map[string]any{"verified": false}
		}
		return map[string]any{"verified": false, "headSeq": head.Seq, "note": "未検証（毎日01:00に検証、?verify=1 で今すぐ検証）"}
	}
	return map[string]any{
		"verified": true, "ok": st.OK, "entries": st.Entries, "headSeq": st.Head.Seq,
		"brokenId": st.BrokenID, "verifiedAt": st.At.UTC().Format(time.RFC3339),
	}
}

// lastBackup describes the newest backup, or is nil (JSON null) when there
// is none yet.
func lastBackup(app core.App) any {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return nil
	}
	defer fsys.Close()
	files, err := fsys.List("")
	if err != nil || len(files) == 0 {
		return nil
	}
	newest := files[0]
	for _, f := range files[1:] {
		if f.ModTime.After(newest.ModTime) {
			newest = f
		}
	}
	return map[string]any{
		"name": newest.Key, "size": newest.Size, "at": newest.ModTime.UTC().Format(time.RFC3339),
		"ageHours": int(time.Since(newest.ModTime).Hours()),
	}
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
