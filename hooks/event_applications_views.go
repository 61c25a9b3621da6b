package hooks

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
	"github.com/saijo-dx/lifestage/reports"
)

// publicEvent is an upcoming event with its seats, as the public pages show it.
type publicEvent struct {
	ID                string            `json:"id"`
	Title             string            `json:"title"`
	Kind              string            `json:"kind"`
	Description       string            `json:"description"`
	Area              string            `json:"area"`
	AreaName          string            `json:"areaName"`
	Place             string            `json:"place"`
	Address           string            `json:"address"`
	StartsAt          string            `json:"startsAt"`
	EndsAt            string            `json:"endsAt"`
	Fee               int               `json:"fee"`
	Contact           string            `json:"contact"`
	URL               string            `json:"url"`
	MinAgeMonths      int               `json:"minAgeMonths"`
	MaxAgeMonths      int               `json:"maxAgeMonths"`
	NeedsChild        bool              `json:"needsChild"`
	Questions         []events.Question `json:"questions"`
	OnlineApplication bool              `json:"onlineApplication"`
	Window            string            `json:"window"` // open | not_open | closed | not_online
	ApplicationOpens  string            `json:"applicationOpens"`
	ApplicationCloses string            `json:"applicationCloses"`
	Capacity          int               `json:"capacity"`
	Confirmed         int               `json:"confirmed"`
	Waitlisted        int               `json:"waitlisted"`
	Remaining         int               `json:"remaining"` // -1: no limit
	WaitlistOpen      bool              `json:"waitlistOpen"`
}

// maxUpcoming bounds the public list: the city has a few dozen events a month.
const maxUpcoming = 300

// upcomingEvents lists the public, published events that have not started,
// soonest first, with seats left. Filters: kind, area, ageMonths (events
// whose range includes that age).
func upcomingEvents(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	age := -1
	if s := q.Get("ageMonths"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 240 {
			return fieldError("ageMonths", "invalid_number", "月齢は0以上の整数で入力してください。")
		}
		age = n
	}
	filter := "public = true && published = true && startsAt > {:now}"
	params := dbx.Params{"now": utcText(time.Now())}
	if k := q.Get("kind"); k != "" {
		filter += " && kind = {:kind}"
		params["kind"] = k
	}
	if a := q.Get("area"); a != "" {
		filter += " && area = {:area}"
		params["area"] = a
	}
	recs, err := e.App.FindRecordsByFilter(collections.Events, filter, "startsAt,id", maxUpcoming, 0, params)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Id
	}
	counts, err := seatCounts(e.App, ids)
	if err != nil {
		return e.InternalServerError("", err)
	}
	areas, err := areaNames(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := time.Now()
	items := []publicEvent{}
	for _, r := range recs {
		lo, hi := r.GetInt("minAgeMonths"), r.GetInt("maxAgeMonths")
		if age >= 0 && ((lo > 0 && age < lo) || (hi > 0 && age > hi)) {
			continue
		}
		items = append(items, toPublicEvent(r, counts[r.Id], areas[r.GetString("area")], now))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

func toPublicEvent(r *core.Record, s seats, areaName string, now time.Time) publicEvent {
	qs, _ := eventQuestions(r) // validated on save
	if qs == nil {
		qs = []events.Question{}
	}
	capacity := r.GetInt("capacity")
	_, waitOK := events.Decide(capacity, max(s.Confirmed, capacity), s.Waitlisted, r.GetInt("waitlistLimit"))
	return publicEvent{
		ID: r.Id, Title: r.GetString("title"), Kind: r.GetString("kind"), Description: r.GetString("description"),
		Area: r.GetString("area"), AreaName: areaName, Place: r.GetString("place"), Address: r.GetString("address"),
		StartsAt: dateField(r, "startsAt"), EndsAt: dateField(r, "endsAt"), Fee: r.GetInt("fee"),
		Contact: r.GetString("contact"), URL: r.GetString("url"),
		MinAgeMonths: r.GetInt("minAgeMonths"), MaxAgeMonths: r.GetInt("maxAgeMonths"), NeedsChild: needsChild(r),
		Questions: qs, OnlineApplication: r.GetBool("onlineApplication"),
		Window: events.WindowAt(now, r.GetBool("onlineApplication"), r.GetDateTime("applicationOpens").Time(),
			r.GetDateTime("applicationCloses").Time(), r.GetDateTime("startsAt").Time()),
		ApplicationOpens: dateField(r, "applicationOpens"), ApplicationCloses: dateField(r, "applicationCloses"),
		Capacity: capacity, Confirmed: s.Confirmed, Waitlisted: s.Waitlisted,
		Remaining: events.Remaining(capacity, s.Confirmed), WaitlistOpen: waitOK,
	}
}

// dateField is a date field as RFC 3339 in Tokyo time, "" when unset.
func dateField(r *core.Record, field string) string { return rfc3339(r.GetDateTime(field).Time()) }

// applicationState is where an application stands, as both the 申請履歴
// and the staff roster show it.
type applicationState struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Position    int    `json:"position,omitzero"`
	AppliedAt   string `json:"appliedAt"`
	PromotedAt  string `json:"promotedAt"`
	CancelledAt string `json:"cancelledAt"`
	CancelledBy string `json:"cancelledBy"`
}

func stateOf(r *core.Record) applicationState {
	return applicationState{ID: r.Id, Status: r.GetString("status"), AppliedAt: dateField(r, "appliedAt"),
		PromotedAt: dateField(r, "promotedAt"), CancelledAt: dateField(r, "cancelledAt"), CancelledBy: r.GetString("cancelledBy")}
}

// myApplication is one line of the 申請履歴.
type myApplication struct {
	applicationState
	Event struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Kind     string `json:"kind"`
		StartsAt string `json:"startsAt"`
		EndsAt   string `json:"endsAt"`
		Place    string `json:"place"`
		Contact  string `json:"contact"`
	} `json:"event"`
	ChildName   string `json:"childName"`
	Cancellable bool   `json:"cancellable"`
}

// maxMyApplications bounds the history: years of a family's applications.
const maxMyApplications = 500

// myApplications is the caller's 申請履歴, newest first.
func myApplications(e *core.RequestEvent) error {
	recs, err := e.App.FindRecordsByFilter(collections.EventApplications, "user = {:u}", "-appliedAt,-id", maxMyApplications, 0, dbx.Params{"u": e.Auth.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if errs := e.App.ExpandRecords(recs, []string{"event", "child"}, nil); len(errs) > 0 {
		return e.InternalServerError("", nil)
	}
	now := time.Now()
	items := make([]myApplication, 0, len(recs))
	for _, r := range recs {
		it := myApplication{applicationState: stateOf(r)}
		if ev := r.ExpandedOne("event"); ev != nil {
			it.Event.ID, it.Event.Title, it.Event.Kind = ev.Id, ev.GetString("title"), ev.GetString("kind")
			it.Event.StartsAt, it.Event.EndsAt = dateField(ev, "startsAt"), dateField(ev, "endsAt")
			it.Event.Place, it.Event.Contact = ev.GetString("place"), ev.GetString("contact")
			it.Cancellable = it.Status != events.Cancelled && now.Before(ev.GetDateTime("startsAt").Time())
		}
		if c := r.ExpandedOne("child"); c != nil {
			it.ChildName = c.GetString("givenName")
		}
		if it.Status == events.Waitlisted {
			if it.Position, err = waitlistPosition(e.App, r); err != nil {
				return e.InternalServerError("", err)
			}
		}
		items = append(items, it)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// applicant is one line of an event's applicant list for staff.
type applicant struct {
	applicationState
	UserName  string         `json:"userName"`
	UserEmail string         `json:"userEmail"`
	UserPhone string         `json:"userPhone"`
	ChildName string         `json:"childName"`
	BirthDate string         `json:"birthDate"`
	AgeMonths *int           `json:"ageMonths"` // on the event's day
	Answers   map[string]any `json:"answers"`
}

// eventRoster reads an event and its applicants, in the order of the
// queue: confirmed, then the waitlist, then the cancelled.
func eventRoster(e *core.RequestEvent) (*core.Record, []applicant, []events.Question, error) {
	ev, err := e.App.FindRecordById(collections.Events, e.Request.PathValue("id"))
	if err != nil {
		return nil, nil, nil, e.NotFoundError("イベントが見つかりません。", nil)
	}
	recs, err := e.App.FindRecordsByFilter(collections.EventApplications, "event = {:e}", "appliedAt,id", 0, 0, dbx.Params{"e": ev.Id})
	if err != nil {
		return nil, nil, nil, e.InternalServerError("", err)
	}
	if errs := e.App.ExpandRecords(recs, []string{"user", "child"}, nil); len(errs) > 0 {
		return nil, nil, nil, e.InternalServerError("", nil)
	}
	day := civil.DateOf(ev.GetDateTime("startsAt").Time())
	rank := map[string]int{events.Confirmed: 0, events.Waitlisted: 1, events.Cancelled: 2}
	out := make([]applicant, 0, len(recs))
	waiting := 0
	for _, r := range recs {
		a := applicant{applicationState: stateOf(r), Answers: map[string]any{}}
		_ = r.UnmarshalJSONField("answers", &a.Answers)
		if u := r.ExpandedOne("user"); u != nil {
			a.UserName, a.UserEmail, a.UserPhone = u.GetString("name"), u.Email(), u.GetString("phone")
		}
		if c := r.ExpandedOne("child"); c != nil {
			a.ChildName = c.GetString("familyName") + " " + c.GetString("givenName")
			a.BirthDate = c.GetString("birthDate")
			if birth, err := civil.Parse(a.BirthDate); err == nil {
				n := events.AgeMonths(birth, day)
				a.AgeMonths = &n
			}
		}
		if a.Status == events.Waitlisted {
			waiting++
			a.Position = waiting // recs are in queue order
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b applicant) int { return rank[a.Status] - rank[b.Status] })
	qs, _ := eventQuestions(ev)
	return ev, out, qs, nil
}

// eventApplicants is the applicant list of an event for 子育て staff.
func eventApplicants(e *core.RequestEvent) error {
	ev, list, qs, err := eventRoster(e)
	if err != nil {
		return err
	}
	if qs == nil {
		qs = []events.Question{}
	}
	counts, err := seatCounts(e.App, []string{ev.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"event":     toPublicEvent(ev, counts[ev.Id], "", time.Now()),
		"questions": qs, "items": list,
	})
}

// eventApplicantsXLSX exports the applicant list; the export is audited.
func eventApplicantsXLSX(e *core.RequestEvent) error {
	ev, list, qs, err := eventRoster(e)
	if err != nil {
		return err
	}
	header := []string{"状態", "キャンセル待ち順", "申込者", "メール", "電話", "子の氏名", "生年月日", "当日の月齢", "申込日時", "取消日時"}
	for _, q := range qs {
		header = append(header, q.Label)
	}
	label := map[string]string{events.Confirmed: "確定", events.Waitlisted: "キャンセル待ち", events.Cancelled: "取消"}
	rows := make([][]any, 0, len(list))
	for _, a := range list {
		row := []any{label[a.Status], blankZero(a.Position), a.UserName, a.UserEmail, a.UserPhone, a.ChildName, a.BirthDate, "", localTime(a.AppliedAt), localTime(a.CancelledAt)}
		if a.AgeMonths != nil {
			row[7] = *a.AgeMonths
		}
		for _, q := range qs {
			row = append(row, answerText(a.Answers[q.ID]))
		}
		rows = append(rows, row)
	}
	now := time.Now()
	var buf bytes.Buffer
	err = reports.Table{
		Sheet: "申込者", Title: ev.GetString("title") + "（" + ev.GetDateTime("startsAt").Time().In(civil.Tokyo).Format("2006-01-02 15:04") + "）申込者一覧",
		Header: header, Widths: []float64{12, 10, 16, 24, 14, 16, 12, 10, 18, 18}, Rows: rows,
		Notes:       []string{"個人情報です。業務の目的以外に使わず、保存した端末の管理に注意してください。この出力は監査ログに記録されています。"},
		GeneratedAt: now,
	}.WriteXLSX(&buf)
	if err != nil {
		return e.InternalServerError("", err)
	}
	a := actorOf(e)
	err = auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(now), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: "export", Collection: collections.EventApplications, Record: ev.Id,
		IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="applications-`+ev.GetString("code")+`.xlsx"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}

func blankZero(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

// localTime turns an RFC 3339 instant into Tokyo wall time for a sheet.
func localTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return ""
	}
	return t.In(civil.Tokyo).Format("2006-01-02 15:04")
}

func answerText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "はい"
		}
		return "いいえ"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return ""
}

// eventCounts is the number of applications of every event by state, for
// the staff list.
func eventCounts(e *core.RequestEvent) error {
	counts, err := seatCounts(e.App, nil)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": counts})
}
