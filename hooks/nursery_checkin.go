package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/attendance"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/lockout"
	"github.com/saijo-dx/lifestage/notify"
)

// checkinGuardKey keeps the failed-scan counter of the kiosks.
const checkinGuardKey = "lifestage.checkinGuard"

// checkinGuard stops a kiosk that keeps sending unknown codes (someone
// trying PINs) for a few minutes. Typos of a PIN never count: the check
// digit catches them before any lookup.
var checkinGuardPolicy = lockout.Policy{AccountFailures: 10, IPFailures: 30, Window: 10 * time.Minute, LockFor: 3 * time.Minute}

// bindNurseryAttendance binds check-in (登降園): the kiosk and staff
// check-in routes, manual corrections, and the children's codes.
func bindNurseryAttendance(app core.App) {
	bindNurseryCheckin(app)
	bindNurseryCodes(app)
	bindKioskFence(app)
}

// kioskRoutes are the only lifestage routes a check-in kiosk may call. The
// record rules already leave kiosks out (nurseryStaffOf); this fence does
// the same for every custom route, including ones written later, instead of
// trusting each route to remember.
var kioskRoutes = map[string]bool{"POST /api/lifestage/nursery/checkin": true}

func bindKioskFence(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(func(e *core.RequestEvent) error {
			path := e.Request.URL.Path
			if strings.HasPrefix(path, "/api/lifestage/") && !kioskRoutes[e.Request.Method+" "+path] && isNurseryKiosk(e.Auth) {
				return e.ForbiddenError("登降園端末のアカウントでは、この操作はできません。", nil)
			}
			return e.Next()
		})
		return se.Next()
	})
}

func bindNurseryCheckin(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		limit := apis.BodyLimit(bodyLimit)
		se.Router.POST("/api/lifestage/nursery/checkin", childCheckin).Bind(requireNurseryStaff(true), limit)
		se.Router.POST("/api/lifestage/nursery/staff-checkin", staffCheckin).Bind(requireNurseryStaff(false), limit)
		se.Router.GET("/api/lifestage/nursery/attendance", attendanceBoard).Bind(requireNurseryStaff(false))
		return se.Next()
	})
	// Corrections through the records API need a reason and say they were
	// made by hand; the audit log records who made them.
	for _, c := range []string{"attendance", "staff_attendance"} {
		app.OnRecordCreateRequest(c).BindFunc(markCorrection)
		app.OnRecordUpdateRequest(c).BindFunc(markCorrection)
	}
}

// isNurseryKiosk reports whether the account is a check-in terminal.
func isNurseryKiosk(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == collections.NurseryStaff && auth.GetString("role") == collections.NurseryKiosk
}

// requireNurseryStaff lets only active nursery staff through (kiosks too
// when allowed): 401 for guests, 403 for everyone else.
func requireNurseryStaff(allowKiosk bool) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "lifestageRequireNurseryStaff",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("ログインしてください。", nil)
			}
			if e.Auth.Collection().Name != collections.NurseryStaff || !e.Auth.GetBool("active") || e.Auth.GetString("nursery") == "" {
				return e.ForbiddenError("この操作は保育施設の職員だけが行えます。", nil)
			}
			if !allowKiosk && isNurseryKiosk(e.Auth) {
				return e.ForbiddenError("登降園端末のアカウントでは、この操作はできません。", nil)
			}
			return e.Next()
		},
	}
}

// codedError is an API error whose data names the field with a stable code.
func codedError(status int, field, code, message string) error {
	return apis.NewApiError(status, message, validation.Errors{field: validation.NewError(code, message)})
}

// checkinResult is what a kiosk shows after a scan.
type checkinResult struct {
	Direction      string `json:"direction"`
	GivenName      string `json:"givenName"`
	ClassName      string `json:"className"`
	Time           string `json:"time"`  // RFC 3339, Tokyo
	Clock          string `json:"clock"` // "7:32"
	Duplicate      bool   `json:"duplicate"`
	MissingCheckIn bool   `json:"missingCheckIn"`
	Message        string `json:"message"`
}

// directionLabel is 登園/降園 for children, 出勤/退勤 for staff.
func directionLabel(dir attendance.Direction, staff bool) string {
	switch {
	case staff && dir == attendance.In:
		return "出勤"
	case staff:
		return "退勤"
	case dir == attendance.In:
		return "登園"
	}
	return "降園"
}

func parseScanDirection(raw string) (attendance.Direction, error) {
	dir, ok := attendance.ParseDirection(raw)
	if !ok {
		return "", fieldError("direction", "invalid_direction", "登園・出勤（in）か降園・退勤（out）を指定してください。")
	}
	return dir, nil
}

// childCheckin records a child's check-in or check-out from a kiosk or a
// staff member's device: the code (QR token or PIN) is looked up within
// the caller's nursery, and the day's attendance record is written.
func childCheckin(e *core.RequestEvent) error {
	body := struct {
		Code      string `json:"code"`
		Direction string `json:"direction"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("code", "invalid_body", "リクエストの形式が正しくありません。")
	}
	dir, err := parseScanDirection(body.Direction)
	if err != nil {
		return err
	}
	now := time.Now()
	nursery := e.Auth.GetString("nursery")
	guard := e.App.Store().GetOrSet(checkinGuardKey, func() any { return lockout.New(checkinGuardPolicy) }).(*lockout.Tracker)
	if lock, locked := guard.Check(e.Auth.Id, e.RealIP(), now); locked {
		msg := fmt.Sprintf("登録されていないコードが続いたため、%s まで受け付けを止めています。職員にお知らせください。", attendance.Clock(lock.Until))
		return codedError(http.StatusTooManyRequests, "code", "checkin_locked", msg)
	}
	today := civil.DateOf(now)
	kid, err := resolveScan(e.App, nursery, body.Code, today)
	if err != nil {
		var apiErr *router.ApiError
		if errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusForbidden) {
			guard.Fail(e.Auth.Id, e.RealIP(), now)
		}
		return err
	}
	fields := map[string]any{"child": kid.Child, "nursery": nursery, "class": kid.Class, "date": today.String()}
	var notifyOut func(app core.App, rec *core.Record) error
	if dir == attendance.Out {
		notifyOut = func(app core.App, rec *core.Record) error { return notifyPickup(app, kid.Child, kid.GivenName, rec) }
	}
	known := attendance.Day{CheckIn: parseInstant(kid.CheckIn), CheckOut: parseInstant(kid.CheckOut)}
	dec, err := recordScan(e, "attendance", dbx.HashExp{"child": kid.Child, "date": today.String()}, fields, &known, dir, string(kid.Kind), now, notifyOut)
	if err != nil {
		return err
	}
	name := kid.GivenName + "ちゃん"
	if kid.ClassName != "" {
		name += "（" + kid.ClassName + "）"
	}
	return respondScan(e, dec, dir, false, name, kid.GivenName, kid.ClassName)
}

// scanned is what a code leads to: the child, its enrolment in the caller's
// nursery today (if any) and today's times so far.
type scanned struct {
	Kind        attendance.Kind
	Child       string `db:"child"`
	CodeNursery string `db:"codeNursery"`
	GivenName   string `db:"givenName"`
	Enrolled    bool   `db:"enrolled"`
	Class       string `db:"class"`
	ClassName   string `db:"className"`
	CheckIn     string `db:"checkIn"`
	CheckOut    string `db:"checkOut"`
}

// resolveScan reads a code and everything a check-in needs in one indexed
// query: a kiosk at 7:30 waits for nothing else.
func resolveScan(app core.App, nursery, code string, day civil.Date) (scanned, error) {
	var s scanned
	kind, value, err := attendance.ParseCode(code)
	switch {
	case errors.Is(err, attendance.ErrEmpty):
		return s, fieldError("code", "missing_code", "QRコードを読み取るか、PINを入力してください。")
	case errors.Is(err, attendance.ErrCheckDigit):
		return s, fieldError("code", "invalid_pin", "PINが正しくありません。もう一度入力してください。")
	case err != nil:
		return s, fieldError("code", "invalid_code", "登降園用のQRコードまたは5桁のPINではありません。")
	}
	match, hash := "c.tokenHash", attendance.TokenHash(value)
	if kind == attendance.KindPIN {
		match, hash = "c.pinHash", attendance.PINHash(nursery, value)
	}
	err = app.DB().NewQuery(`SELECT c.child AS child, c.nursery AS codeNursery, ch.givenName AS givenName,
			e.id IS NOT NULL AS enrolled, COALESCE(e.class, '') AS class, COALESCE(cl.name, '') AS className,
			COALESCE(a.checkIn, '') AS checkIn, COALESCE(a.checkOut, '') AS checkOut
		FROM checkin_codes c JOIN children ch ON ch.id = c.child
		LEFT JOIN enrolments e ON e.id = (SELECT x.id FROM enrolments x WHERE x.child = c.child AND x.nursery = {:n}
			AND x.start <= {:d} AND (x."end" = '' OR x."end" IS NULL OR x."end" >= {:d}) ORDER BY x.start DESC LIMIT 1)
		LEFT JOIN nursery_classes cl ON cl.id = e.class
		LEFT JOIN attendance a ON a.child = c.child AND a.date = {:d}
		WHERE ` + match + ` = {:h} LIMIT 1`).
		Bind(dbx.Params{"n": nursery, "d": day.String(), "h": hash}).One(&s)
	s.Kind = kind
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, codedError(http.StatusNotFound, "code", "unknown_code", "登録されていないコードです。新しいコードが発行されていないか、職員にお確かめください。")
	case err != nil:
		return s, apis.NewInternalServerError("", err)
	case s.CodeNursery != nursery:
		return s, codedError(http.StatusForbidden, "code", "other_nursery", "この園のコードではありません。通っている園の端末でお使いください。")
	case !s.Enrolled:
		return s, codedError(http.StatusConflict, "code", "not_enrolled", "このお子さまは今日この園に在籍していません。職員にお知らせください。")
	}
	return s, nil
}

// parseInstant reads a stored date field; zero when empty.
func parseInstant(s string) time.Time {
	dt, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}
	}
	return dt.Time()
}

// onDuty is an enrolled child as a kiosk needs it.
type onDuty struct {
	GivenName string `db:"givenName"`
	Class     string `db:"class"`
	ClassName string `db:"className"`
	Nursery   string `db:"nursery"`
}

// currentEnrolment is the child's enrolment on the day, in the nursery when
// one is given, with the class name; sql.ErrNoRows when there is none.
func currentEnrolment(app core.App, childID, nursery string, day civil.Date) (onDuty, error) {
	var kid onDuty
	where := ""
	if nursery != "" {
		where = " AND e.nursery = {:n}"
	}
	err := app.DB().NewQuery(`SELECT ch.givenName AS givenName, e.class AS class, COALESCE(cl.name, '') AS className, e.nursery AS nursery
		FROM enrolments e JOIN children ch ON ch.id = e.child LEFT JOIN nursery_classes cl ON cl.id = e.class
		WHERE e.child = {:c}` + where + ` AND e.start <= {:d} AND (e."end" = '' OR e."end" IS NULL OR e."end" >= {:d})
		ORDER BY e.start DESC LIMIT 1`).
		Bind(dbx.Params{"c": childID, "n": nursery, "d": day.String()}).One(&kid)
	return kid, err
}

// dayRecord is the day's record of a collection (children's or staff
// attendance), or a new one filled from fields.
func dayRecord(app core.App, collection string, day dbx.HashExp, fields map[string]any) (*core.Record, error) {
	rec := &core.Record{}
	err := app.RecordQuery(collection).AndWhere(day).Limit(1).One(rec)
	if errors.Is(err, sql.ErrNoRows) {
		col, err := app.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			return nil, err
		}
		rec = core.NewRecord(col)
		rec.Load(fields)
		return rec, nil
	}
	return rec, err
}

func decideScan(rec *core.Record, dir attendance.Direction, now time.Time) attendance.Decision {
	return attendance.Decide(attendance.Day{CheckIn: rec.GetDateTime("checkIn").Time(), CheckOut: rec.GetDateTime("checkOut").Time()}, dir, now)
}

// recordScan applies a scan to the day's record. A repeat or a conflict is
// answered from a plain read (known, when the caller already read the day);
// a write re-reads and decides again inside one
// transaction, so two kiosks reading the same card at once record it once.
// after, when set, runs once a write is committed: a failed notification
// must not undo a check-out, nor hold the other kiosks' writes meanwhile.
func recordScan(e *core.RequestEvent, collection string, day dbx.HashExp, fields map[string]any, known *attendance.Day,
	dir attendance.Direction, method string, now time.Time, after func(app core.App, rec *core.Record) error) (attendance.Decision, error) {
	failed := func(err error) (attendance.Decision, error) {
		return attendance.Decision{}, e.InternalServerError("記録できませんでした。もう一度お試しください。", err)
	}
	if known == nil {
		rec, err := dayRecord(e.App, collection, day, fields)
		if err != nil {
			return failed(err)
		}
		known = &attendance.Day{CheckIn: rec.GetDateTime("checkIn").Time(), CheckOut: rec.GetDateTime("checkOut").Time()}
	}
	if dec := attendance.Decide(*known, dir, now); dec.Outcome != attendance.Record {
		return dec, nil
	}
	var rec *core.Record
	var err error
	var dec attendance.Decision
	ctx := actorContext(e)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if rec, err = dayRecord(tx, collection, day, fields); err != nil {
			return err
		}
		if dec = decideScan(rec, dir, now); dec.Outcome != attendance.Record {
			return nil
		}
		if dir == attendance.In {
			rec.Set("checkIn", now)
			rec.Set("inMethod", method)
		} else {
			rec.Set("checkOut", now)
			rec.Set("outMethod", method)
		}
		return tx.SaveWithContext(ctx, rec)
	})
	if err != nil {
		return failed(err)
	}
	if dec.Outcome == attendance.Record && after != nil {
		if err := after(e.App, rec); err != nil {
			e.App.Logger().Error("check-in follow-up failed", "collection", collection, "record", rec.Id, "error", err)
		}
	}
	return dec, nil
}

// respondScan answers a scan: 200 for a recorded or repeated scan, 409 with
// the time on record when the scan would overwrite it.
func respondScan(e *core.RequestEvent, dec attendance.Decision, dir attendance.Direction, staff bool, who, givenName, className string) error {
	clock := attendance.Clock(dec.At)
	label := directionLabel(dir, staff)
	switch dec.Outcome {
	case attendance.AlreadyIn:
		return codedError(http.StatusConflict, "direction", "already_in",
			fmt.Sprintf("%sは %s に%sを記録済みです。訂正は職員にお申し出ください。", who, clock, directionLabel(attendance.In, staff)))
	case attendance.AlreadyOut:
		return codedError(http.StatusConflict, "direction", "already_out",
			fmt.Sprintf("%sは %s に%sを記録済みです。訂正は職員にお申し出ください。", who, clock, directionLabel(attendance.Out, staff)))
	case attendance.TooSoon:
		return codedError(http.StatusConflict, "direction", "too_soon",
			fmt.Sprintf("%sは %s に%sしたばかりです。%sの場合は少し待ってからもう一度どうぞ。", who, clock, directionLabel(attendance.In, staff), label))
	}
	msg := fmt.Sprintf("%s %s %s", who, label, clock)
	if dec.Outcome == attendance.Duplicate {
		msg += "（記録済み）"
	}
	if dec.MissingCheckIn {
		msg += "。" + directionLabel(attendance.In, staff) + "の記録がありません。職員にお知らせください。"
	}
	return e.JSON(http.StatusOK, checkinResult{
		Direction: string(dir), GivenName: givenName, ClassName: className,
		Time: dec.At.In(civil.Tokyo).Format(time.RFC3339), Clock: clock,
		Duplicate: dec.Outcome == attendance.Duplicate, MissingCheckIn: dec.MissingCheckIn, Message: msg,
	})
}

// notifyPickup tells the guardians that their child has left (お迎え完了).
func notifyPickup(app core.App, childID, givenName string, rec *core.Record) error {
	child, err := app.FindRecordById("children", childID)
	if err != nil {
		return err
	}
	clock := attendance.Clock(rec.GetDateTime("checkOut").Time())
	for _, id := range child.GetStringSlice("guardians") {
		g, err := app.FindRecordById(collections.Users, id)
		if err != nil {
			continue // an account that no longer exists
		}
		if _, err := notify.Send(app, notify.Message{
			Recipient: g, Kind: "nursery.checked_out", Key: "notify.nursery.checked_out",
			Vars: map[string]string{"child": givenName, "time": clock}, Link: "/me/nursery/", Reason: rec.Id,
		}); err != nil {
			return err
		}
	}
	return nil
}

// staffCheckin records the caller's own start or end of work, with the
// class they take today when given.
func staffCheckin(e *core.RequestEvent) error {
	body := struct {
		Direction string `json:"direction"`
		Class     string `json:"class"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("direction", "invalid_body", "リクエストの形式が正しくありません。")
	}
	dir, err := parseScanDirection(body.Direction)
	if err != nil {
		return err
	}
	nursery := e.Auth.GetString("nursery")
	className := ""
	if body.Class != "" {
		class, err := e.App.FindRecordById("nursery_classes", body.Class)
		if err != nil || class.GetString("nursery") != nursery {
			return fieldError("class", "invalid_class", "この園のクラスを選んでください。")
		}
		className = class.GetString("name")
	}
	now := time.Now()
	today := civil.DateOf(now).String()
	fields := map[string]any{"staff": e.Auth.Id, "nursery": nursery, "date": today, "class": body.Class}
	dec, err := recordScan(e, "staff_attendance", dbx.HashExp{"staff": e.Auth.Id, "date": today}, fields, nil, dir, "staff", now, nil)
	if err != nil {
		return err
	}
	return respondScan(e, dec, dir, true, displayName(e.Auth)+"さん", "", className)
}

// markCorrection requires a reason for a time written by hand through the
// records API and marks the time as a manual entry.
func markCorrection(e *core.RecordRequestEvent) error {
	orig := e.Record.Original()
	changed := false
	for _, f := range []struct{ at, method string }{{"checkIn", "inMethod"}, {"checkOut", "outMethod"}} {
		before, after := orig.GetDateTime(f.at), e.Record.GetDateTime(f.at)
		if before.Equal(after) {
			continue
		}
		changed = true
		if after.IsZero() {
			e.Record.Set(f.method, "")
		} else {
			e.Record.Set(f.method, "manual")
		}
	}
	if changed || (!e.Record.IsNew() && orig.GetString("date") != e.Record.GetString("date")) {
		info, err := e.RequestInfo()
		if err != nil {
			return err
		}
		if note, _ := info.Body["note"].(string); strings.TrimSpace(note) == "" {
			return fieldError("note", "reason_required", "時刻を訂正するときは、理由をメモ（note）に入力してください。")
		}
	}
	return e.Next()
}

// attendanceBoard is a day of the caller's nursery for staff: every child
// enrolled that day with the day's record (null before check-in), so staff
// see who is missing and correct by hand. Children's names come from here
// because nursery staff do not read the children collection itself.
func attendanceBoard(e *core.RequestEvent) error {
	day := civil.Today()
	if raw := e.Request.URL.Query().Get("date"); raw != "" {
		d, err := civil.Parse(raw)
		if err != nil || d.After(civil.Today()) {
			return fieldError("date", "invalid_date", "日付は今日までを YYYY-MM-DD の形式で指定してください。")
		}
		day = d
	}
	nursery := e.Auth.GetString("nursery")
	kids, err := enrolledChildren(e.App, nursery, day)
	if err != nil {
		return e.InternalServerError("", err)
	}
	recs, err := e.App.FindAllRecords("attendance", dbx.HashExp{"nursery": nursery, "date": day.String()})
	if err != nil {
		return e.InternalServerError("", err)
	}
	byChild := map[string]map[string]any{}
	for _, r := range recs {
		byChild[r.GetString("child")] = r.PublicExport()
	}
	rows := make([]map[string]any, len(kids))
	for i, k := range kids {
		var day any // null, not {}, before check-in
		if r, ok := byChild[k.Child]; ok {
			day = r
		}
		rows[i] = map[string]any{"child": k.Child, "familyName": k.FamilyName, "givenName": k.GivenName,
			"class": k.Class, "className": k.ClassName, "attendance": day}
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"date": day.String(), "nursery": nursery, "nurseryName": nurseryName(e.App, nursery), "children": rows})
}
