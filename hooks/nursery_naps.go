package hooks

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/nap"
	"github.com/saijo-dx/lifestage/notify"
)

// Nap checks (午睡チェック): staff put children to sleep, check them at the
// nursery's intervals with one tap for the whole room, and wake them; a job
// tells the class's staff within two minutes when a check is missed.

const (
	napSessionsCollection = "nap_sessions"
	napChecksCollection   = "nap_checks"
	napJobID              = "lifestageNapChecks"
	napJobSchedule        = "* * * * *" // every minute
	// maxNapBatch bounds one request: more than a room of children.
	maxNapBatch = 60

	kindNapMissed = "nursery.nap_missed"
	kindNapAlert  = "nursery.nap_alert"
)

func bindNaps(app core.App) {
	bindJob(app, napJobID, napJobSchedule, func(a core.App) {
		if sent, err := RunNapAlerts(a, time.Now()); err != nil {
			a.Logger().Error("nap check alerts failed", "sent", sent, "error", err)
		}
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := apis.RequireAuth(collections.NurseryStaff)
		se.Router.GET("/api/lifestage/nursery/classes/{id}/naps", napStatusRoute).Bind(apis.RequireAuth())
		se.Router.POST("/api/lifestage/nursery/classes/{id}/naps/start", startNaps).Bind(staff, apis.BodyLimit(bodyLimit))
		se.Router.POST("/api/lifestage/nursery/classes/{id}/naps/end", endNaps).Bind(staff, apis.BodyLimit(bodyLimit))
		se.Router.POST("/api/lifestage/nursery/nap-checks", recordNapChecks).Bind(staff, apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

// nurseryClass is a class its nursery's staff may work with and the city's
// 保育 staff may look at (write=false).
func nurseryClass(e *core.RequestEvent, id string, write bool) (*core.Record, error) {
	class, err := e.App.FindRecordById("nursery_classes", id)
	if err != nil {
		return nil, e.NotFoundError("クラスが見つかりません。", nil)
	}
	if isNurseryStaffOf(e.Auth, class.GetString("nursery")) || (!write && isCityStaffIn(e.Auth, collections.DeptNursery)) {
		return class, nil
	}
	return nil, e.ForbiddenError("このクラスの記録を扱う権限がありません。", nil)
}

// sleeper is an open nap of today with its child and latest check.
type sleeper struct {
	Session      string `db:"id"`
	Child        string `db:"child"`
	Nursery      string `db:"nursery"`
	Class        string `db:"class"`
	ClassName    string `db:"className"`
	StartedAt    string `db:"startedAt"`
	BirthDate    string `db:"birthDate"`
	FamilyName   string `db:"familyName"`
	GivenName    string `db:"givenName"`
	LastAt       string `db:"lastAt"`
	LastPosition string `db:"lastPosition"`
}

// openNaps lists today's open naps, of one class or of every nursery, in
// one statement: the latest check comes from the (session, at) index.
func openNaps(app core.App, day civil.Date, class string) ([]sleeper, error) {
	params := dbx.Params{"d": day.String()}
	where := ""
	if class != "" {
		where = " AND s.class = {:c}"
		params["c"] = class
	}
	var rows []sleeper
	err := app.DB().NewQuery(`SELECT s.id, s.child, s.nursery, s.class, s.startedAt, COALESCE(k.name, '') AS className,
			c.birthDate, c.familyName, c.givenName,
			COALESCE((SELECT MAX(x.at) FROM nap_checks x WHERE x.session = s.id), '') AS lastAt,
			COALESCE((SELECT x.position FROM nap_checks x WHERE x.session = s.id ORDER BY x.at DESC LIMIT 1), '') AS lastPosition
		FROM nap_sessions s JOIN children c ON c.id = s.child LEFT JOIN nursery_classes k ON k.id = s.class
		WHERE s.date = {:d} AND s.endedAt = ''` + where + ` ORDER BY c.birthDate, s.child`).
		Bind(params).All(&rows)
	return rows, err
}

func instant(s string) time.Time {
	dt, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}
	}
	return dt.Time()
}

func (s sleeper) classAge(day civil.Date) int {
	birth, err := civil.Parse(s.BirthDate)
	if err != nil {
		return 0
	}
	return civil.ClassAge(birth, civil.FiscalYear(day))
}

func (s sleeper) assess(iv nap.Intervals, now time.Time) nap.Status {
	return nap.Assess(nap.Sleeper{
		ClassAge: s.classAge(civil.DateOf(now)), Start: instant(s.StartedAt),
		LastCheck: instant(s.LastAt), LastPosition: nap.Position(s.LastPosition),
	}, iv, now)
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(civil.Tokyo).Format(time.RFC3339)
}

func clock(t time.Time) string { return t.In(civil.Tokyo).Format("15:04") }

// napChild is one child of the class on the nap screen.
type napChild struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	ClassAge        int    `json:"classAge"`
	Present         bool   `json:"present"`
	Sleeping        bool   `json:"sleeping"`
	Session         string `json:"session"`
	StartedAt       string `json:"startedAt"`
	LastCheckAt     string `json:"lastCheckAt"`
	LastPosition    string `json:"lastPosition"`
	IntervalMinutes int    `json:"intervalMinutes"`
	NextDueAt       string `json:"nextDueAt"`
	State           string `json:"state"` // ok, due, missed; "" when awake
	Prone           bool   `json:"prone"`
}

type napStatus struct {
	Class struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		AgeClass int    `json:"ageClass"`
	} `json:"class"`
	Date      string `json:"date"`
	Now       string `json:"now"`
	Intervals struct {
		InfantMinutes int `json:"infantMinutes"`
		OlderMinutes  int `json:"olderMinutes"`
	} `json:"intervals"`
	GraceMinutes int        `json:"graceMinutes"`
	Children     []napChild `json:"children"`
	Sleeping     int        `json:"sleeping"`
	Alerts       int        `json:"alerts"`
}

// classChild is a child enrolled in the class today, with today's
// attendance.
type classChild struct {
	ID         string `db:"id"`
	FamilyName string `db:"familyName"`
	GivenName  string `db:"givenName"`
	BirthDate  string `db:"birthDate"`
	CheckIn    string `db:"checkIn"`
	CheckOut   string `db:"checkOut"`
}

func classChildren(app core.App, class *core.Record, day civil.Date) ([]classChild, error) {
	var rows []classChild
	err := app.DB().NewQuery(`SELECT c.id, c.familyName, c.givenName, c.birthDate,
			COALESCE(a.checkIn, '') AS checkIn, COALESCE(a.checkOut, '') AS checkOut
		FROM enrolments e JOIN children c ON c.id = e.child
		LEFT JOIN attendance a ON a.child = e.child AND a.date = {:d}
		WHERE e.nursery = {:n} AND e.class = {:c} AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d})
		ORDER BY c.birthDate, c.id`).
		Bind(dbx.Params{"n": class.GetString("nursery"), "c": class.Id, "d": day.String()}).All(&rows)
	return rows, err
}

func fullName(family, given string) string { return family + " " + given }

// buildNapStatus is the class's nap screen at now: every child enrolled,
// in a stable order (birth date) so that buttons do not move on a tablet,
// with the sleeping ones' checks.
func buildNapStatus(app core.App, class *core.Record, now time.Time) (*napStatus, error) {
	day := civil.DateOf(now)
	kids, err := classChildren(app, class, day)
	if err != nil {
		return nil, err
	}
	naps, err := openNaps(app, day, class.Id)
	if err != nil {
		return nil, err
	}
	cfgs, err := nurseryConfigs(app, []string{class.GetString("nursery")})
	if err != nil {
		return nil, err
	}
	iv := cfgs[class.GetString("nursery")].Intervals
	st := &napStatus{Date: day.String(), Now: rfc3339(now), GraceMinutes: int(nap.Grace / time.Minute), Children: []napChild{}}
	st.Class.ID, st.Class.Name, st.Class.AgeClass = class.Id, class.GetString("name"), class.GetInt("ageClass")
	st.Intervals.InfantMinutes, st.Intervals.OlderMinutes = int(iv.For(0)/time.Minute), int(iv.For(2)/time.Minute)

	asleep := map[string]sleeper{}
	for _, s := range naps {
		asleep[s.Child] = s
	}
	seen := map[string]bool{}
	add := func(c napChild) {
		if s, ok := asleep[c.ID]; ok {
			a := s.assess(iv, now)
			c.Sleeping, c.Session, c.StartedAt = true, s.Session, rfc3339(instant(s.StartedAt))
			c.LastCheckAt, c.LastPosition = rfc3339(instant(s.LastAt)), s.LastPosition
			c.IntervalMinutes, c.NextDueAt = int(a.Interval/time.Minute), rfc3339(a.NextDue)
			c.State, c.Prone = string(a.State), a.Prone
			st.Sleeping++
			if a.Alert() {
				st.Alerts++
			}
		}
		seen[c.ID] = true
		st.Children = append(st.Children, c)
	}
	for _, k := range kids {
		add(napChild{
			ID: k.ID, Name: fullName(k.FamilyName, k.GivenName), ClassAge: classAgeOn(k.BirthDate, day),
			Present: k.CheckIn != "" && k.CheckOut == "",
		})
	}
	// A child asleep here but enrolled elsewhere today (moved class) still
	// needs checking.
	for _, s := range naps {
		if !seen[s.Child] {
			add(napChild{ID: s.Child, Name: fullName(s.FamilyName, s.GivenName), ClassAge: classAgeOn(s.BirthDate, day)})
		}
	}
	return st, nil
}

// classAgeOn is the child's class age this fiscal year, 0–5 (a baby born
// during the year is in the 0-year class).
func classAgeOn(birthDate string, day civil.Date) int {
	birth, err := civil.Parse(birthDate)
	if err != nil {
		return 0
	}
	return min(max(civil.ClassAge(birth, civil.FiscalYear(day)), 0), 5)
}

func napStatusRoute(e *core.RequestEvent) error {
	class, err := nurseryClass(e, e.Request.PathValue("id"), false)
	if err != nil {
		return err
	}
	return respondNapStatus(e, class, nil)
}

func respondNapStatus(e *core.RequestEvent, class *core.Record, extra map[string]any) error {
	st, err := buildNapStatus(e.App, class, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	if extra == nil {
		return e.JSON(http.StatusOK, st)
	}
	extra["status"] = st
	return e.JSON(http.StatusOK, extra)
}

type napChildrenBody struct {
	Children []string `json:"children"`
}

func bindNapChildren(e *core.RequestEvent) ([]string, error) {
	var body napChildrenBody
	if err := e.BindBody(&body); err != nil {
		return nil, fieldError("children", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if len(body.Children) > maxNapBatch {
		return nil, fieldError("children", "too_many", fmt.Sprintf("一度に記録できるのは%d人までです。", maxNapBatch))
	}
	return body.Children, nil
}

// startNaps records that children of the class fell asleep now. Children
// already asleep are left as they are.
func startNaps(e *core.RequestEvent) error {
	class, err := nurseryClass(e, e.Request.PathValue("id"), true)
	if err != nil {
		return err
	}
	ids, err := bindNapChildren(e)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fieldError("children", "children_required", "眠った子どもを選んでください。")
	}
	now := time.Now()
	day := civil.DateOf(now)
	kids, err := classChildren(e.App, class, day)
	if err != nil {
		return e.InternalServerError("", err)
	}
	enrolled := map[string]bool{}
	for _, k := range kids {
		enrolled[k.ID] = true
	}
	naps, err := openNaps(e.App, day, "")
	if err != nil {
		return e.InternalServerError("", err)
	}
	asleep := map[string]bool{}
	for _, s := range naps {
		asleep[s.Child] = true
	}
	for i, id := range ids {
		if !enrolled[id] {
			return fieldError("children."+strconv.Itoa(i), "not_in_class", "このクラスに在籍していない子どもが含まれています。")
		}
	}
	col, err := e.App.FindCachedCollectionByNameOrId(napSessionsCollection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ctx := actorContext(e)
	started := 0
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, id := range ids {
			if asleep[id] {
				continue
			}
			asleep[id] = true // a child listed twice sleeps once
			s := core.NewRecord(col)
			s.Load(map[string]any{
				"child": id, "nursery": class.GetString("nursery"), "class": class.Id, "date": day.String(),
				"startedAt": now, "startedBy": e.Auth.Id,
			})
			if err := tx.SaveWithContext(ctx, s); err != nil {
				return err
			}
			started++
		}
		return nil
	})
	if err != nil {
		return e.BadRequestError("午睡の開始を記録できませんでした。", err)
	}
	return respondNapStatus(e, class, map[string]any{"started": started})
}

// endNaps records that children woke up now; no children means the whole
// class.
func endNaps(e *core.RequestEvent) error {
	class, err := nurseryClass(e, e.Request.PathValue("id"), true)
	if err != nil {
		return err
	}
	ids, err := bindNapChildren(e)
	if err != nil {
		return err
	}
	now := time.Now()
	open, err := e.App.FindAllRecords(napSessionsCollection,
		dbx.HashExp{"class": class.Id, "date": civil.DateOf(now).String(), "endedAt": ""})
	if err != nil {
		return e.InternalServerError("", err)
	}
	wanted := map[string]bool{}
	for _, id := range ids {
		wanted[id] = true
	}
	ctx := actorContext(e)
	ended := 0
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, s := range open {
			if len(wanted) > 0 && !wanted[s.GetString("child")] {
				continue
			}
			s.Set("endedAt", now)
			s.Set("endedBy", e.Auth.Id)
			if err := tx.SaveWithContext(ctx, s); err != nil {
				return err
			}
			ended++
		}
		return nil
	})
	if err != nil {
		return e.BadRequestError("起床を記録できませんでした。", err)
	}
	return respondNapStatus(e, class, map[string]any{"ended": ended})
}

type napCheckInput struct {
	Child       string `json:"child"`
	Position    string `json:"position"`
	BreathingOk *bool  `json:"breathingOk"`
	Note        string `json:"note"`
}

// napAlert is a check that needs the staff at once, whatever the timing.
type napAlert struct {
	Child  string `json:"child"`
	Name   string `json:"name"`
	Reason string `json:"reason"` // prone, breathing
	check  *core.Record
}

// recordNapChecks saves one round of checks (one tap for the room), stamped
// with the server's time. A baby found face down, or a child whose
// breathing or colour is not right, alerts the class's staff at once.
func recordNapChecks(e *core.RequestEvent) error {
	var body struct {
		Class  string          `json:"class"`
		Checks []napCheckInput `json:"checks"`
	}
	if err := e.BindBody(&body); err != nil {
		return fieldError("checks", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if body.Class == "" {
		return fieldError("class", "class_required", "クラスを指定してください。")
	}
	class, err := nurseryClass(e, body.Class, true)
	if err != nil {
		return err
	}
	if len(body.Checks) == 0 || len(body.Checks) > maxNapBatch {
		return fieldError("checks", "checks_count", fmt.Sprintf("確認した子どもを1〜%d人選んでください。", maxNapBatch))
	}
	now := time.Now()
	naps, err := openNaps(e.App, civil.DateOf(now), class.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	asleep := map[string]sleeper{}
	for _, s := range naps {
		asleep[s.Child] = s
	}
	seen := map[string]bool{}
	for i, c := range body.Checks {
		at := "checks." + strconv.Itoa(i) + "."
		switch {
		case seen[c.Child]:
			return fieldError(at+"child", "duplicate_child", "同じ子どもが二度含まれています。")
		case asleep[c.Child].Session == "":
			return fieldError(at+"child", "not_sleeping", "午睡中ではない子どもが含まれています。画面を更新してください。")
		case !nap.Position(c.Position).Valid():
			return fieldError(at+"position", "invalid_position", "体の向き（あおむけ・横向き・うつぶせ）を選んでください。")
		case c.BreathingOk == nil:
			return fieldError(at+"breathingOk", "breathing_required", "呼吸・顔色に異常がないかを記録してください。")
		case len([]rune(c.Note)) > 500:
			return fieldError(at+"note", "note_too_long", "メモは500文字以内で入力してください。")
		}
		seen[c.Child] = true
	}
	col, err := e.App.FindCachedCollectionByNameOrId(napChecksCollection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ctx := actorContext(e)
	alerts := []napAlert{}
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, c := range body.Checks {
			s := asleep[c.Child]
			r := core.NewRecord(col)
			r.Load(map[string]any{
				"session": s.Session, "child": c.Child, "nursery": class.GetString("nursery"), "class": class.Id,
				"at": now, "position": c.Position, "breathingOk": *c.BreathingOk, "note": c.Note, "checkedBy": e.Auth.Id,
			})
			if err := tx.SaveWithContext(ctx, r); err != nil {
				return err
			}
			name := fullName(s.FamilyName, s.GivenName)
			if !*c.BreathingOk {
				alerts = append(alerts, napAlert{Child: c.Child, Name: name, Reason: "breathing", check: r})
			}
			if nap.Position(c.Position) == nap.Prone && nap.IsInfant(s.classAge(civil.DateOf(now))) {
				alerts = append(alerts, napAlert{Child: c.Child, Name: name, Reason: "prone", check: r})
			}
		}
		return nil
	})
	if err != nil {
		return e.BadRequestError("午睡チェックを保存できませんでした。", err)
	}
	// The checks are saved whatever happens to the alerts.
	if err := sendNapAlerts(e.App, class, alerts, now); err != nil {
		e.App.Logger().Error("nap alert failed", "class", class.Id, "error", err)
	}
	return respondNapStatus(e, class, map[string]any{"saved": len(body.Checks), "alerts": alerts})
}

func napLink(class string) string { return "/nursery/day/?class=" + class + "#naps" }

func sendNapAlerts(app core.App, class *core.Record, alerts []napAlert, now time.Time) error {
	if len(alerts) == 0 {
		return nil
	}
	d, err := loadDuty(app, []string{class.GetString("nursery")}, civil.DateOf(now))
	if err != nil {
		return err
	}
	staff := d.forClass(class.GetString("nursery"), class.Id)
	return app.RunInTransaction(func(tx core.App) error {
		var errs []error
		for _, a := range alerts {
			m := notify.Message{Kind: kindNapAlert, Link: napLink(class.Id), Reason: a.check.Id + ":" + a.Reason,
				Key:  "notify.nursery.nap_alert.abnormal",
				Vars: map[string]string{"class": class.GetString("name"), "child": a.Name, "time": clock(now)}}
			if a.Reason == "prone" {
				m.Key = "notify.nursery.nap_alert.prone"
			}
			if _, err := notify.SendEach(tx, m, staff); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

// RunNapAlerts tells each class's staff at work about every sleeping child
// whose check is overdue by more than the grace period. A miss is told
// once: it is named by its due time, which only a new check moves. The
// work is a handful of queries whatever the number of nurseries.
func RunNapAlerts(app core.App, now time.Time) (sent int, err error) {
	day := civil.DateOf(now)
	naps, err := openNaps(app, day, "")
	if err != nil || len(naps) == 0 {
		return 0, err
	}
	var nurseries []string
	seen := map[string]bool{}
	for _, s := range naps {
		if !seen[s.Nursery] {
			seen[s.Nursery] = true
			nurseries = append(nurseries, s.Nursery)
		}
	}
	cfgs, err := nurseryConfigs(app, nurseries)
	if err != nil {
		return 0, err
	}
	d, err := loadDuty(app, nurseries, day)
	if err != nil {
		return 0, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		var errs []error
		for _, s := range naps {
			st := s.assess(cfgs[s.Nursery].Intervals, now)
			if st.State != nap.Missed {
				continue
			}
			m := missedNapMessage(s, st)
			staff := d.forClass(s.Nursery, s.Class)
			if len(staff) == 0 {
				app.Logger().Warn("missed nap check, and the nursery has no staff account to tell", "nursery", s.Nursery, "session", s.Session)
			}
			n, err := notify.SendEach(tx, m, staff)
			sent += n
			if err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
	return sent, err
}

func missedNapMessage(s sleeper, st nap.Status) notify.Message {
	key, at := "notify.nursery.nap_missed.never", s.StartedAt
	if s.LastAt != "" {
		key, at = "notify.nursery.nap_missed", s.LastAt
	}
	return notify.Message{
		Kind: kindNapMissed, Link: napLink(s.Class),
		Reason: s.Session + ":" + strconv.FormatInt(st.NextDue.Unix(), 10),
		Key:    key,
		Vars: map[string]string{"class": s.ClassName, "child": fullName(s.FamilyName, s.GivenName),
			"time": clock(instant(at)), "minutes": strconv.Itoa(int(st.Interval / time.Minute))},
	}
}
