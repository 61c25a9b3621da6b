// Package announcedb delivers targeted announcements (and the surveys they
// announce) from the database: it loads what targeting needs in a few
// queries, lets the pure audience package choose the recipients, stores
// them and fans the notifications out through notify. The hooks (cron job,
// preview route) and the demo both use it.
package announcedb

import (
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/audience"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
)

// Notification kinds; the announcement. and survey. prefixes map to opt-out
// categories in delivery/policy.go.
const (
	KindAnnouncementNew = "announcement.new"
	KindSurveyNew       = "survey.new"
)

// Audience reads and checks a record's audience, as validation errors
// under "audience".
func Audience(r *core.Record) (audience.Audience, error) {
	var a audience.Audience
	if err := r.UnmarshalJSONField("audience", &a); err != nil {
		return a, validation.Errors{"audience": validation.NewError("invalid_audience", "対象の形式が正しくありません。")}
	}
	if ps := audience.Check(a); len(ps) > 0 {
		return a, validation.Errors{"audience": validation.NewError(ps[0].Code, ps[0].Message)}
	}
	return a, nil
}

// Recipients loads what targeting needs in at most three queries
// (children with a guardian, the nurseries' enrolments, citizens) and lets
// the audience package choose.
func Recipients(app core.App, a audience.Audience, day civil.Date) ([]string, error) {
	var citizens []audience.Citizen
	var users []struct {
		ID   string `db:"id"`
		Area string `db:"area"`
	}
	if err := app.DB().NewQuery(`SELECT id, area FROM users`).All(&users); err != nil {
		return nil, err
	}
	for _, u := range users {
		citizens = append(citizens, audience.Citizen{ID: u.ID, Area: u.Area})
	}
	if a.All {
		return audience.Recipients(a, day, nil, nil, citizens), nil
	}
	var kids []struct {
		ID        string `db:"id"`
		BirthDate string `db:"birthDate"`
		Area      string `db:"area"`
		Guardians string `db:"guardians"`
		Managers  string `db:"familyManagers"`
	}
	err := app.DB().NewQuery(`SELECT id, birthDate, area, guardians, familyManagers FROM children
		WHERE guardians != '[]' OR familyManagers != '[]'`).All(&kids)
	if err != nil {
		return nil, err
	}
	children := make([]audience.Child, 0, len(kids))
	for _, k := range kids {
		birth, err := civil.Parse(k.BirthDate)
		if err != nil {
			continue
		}
		c := audience.Child{ID: k.ID, BirthDate: birth, Area: k.Area}
		_ = json.Unmarshal([]byte(k.Guardians), &c.Guardians)
		_ = json.Unmarshal([]byte(k.Managers), &c.Managers)
		children = append(children, c)
	}
	var enrolments []audience.Enrolment
	if len(a.Nurseries) > 0 {
		var rows []struct {
			Child   string `db:"child"`
			Nursery string `db:"nursery"`
			Start   string `db:"start"`
			End     string `db:"end"`
		}
		err := app.DB().Select("child", "nursery", "start", "end").From("enrolments").
			Where(dbx.In("nursery", anySlice(a.Nurseries)...)).All(&rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			start, err := civil.Parse(r.Start)
			if err != nil {
				continue
			}
			end, _ := civil.Parse(r.End) // empty: still enrolled
			enrolments = append(enrolments, audience.Enrolment{Child: r.Child, Nursery: r.Nursery, Start: start, End: end})
		}
	}
	return audience.Recipients(a, day, children, enrolments, citizens), nil
}

// RunDue opens due surveys (announcing them) and delivers every
// announcement due at now. It returns the notifications sent. The job calls
// it every minute; tests call it with a fixed clock.
//
// Delivery is resumable and never sends twice: claiming moves the status
// scheduled → sending in one UPDATE that only one runner can win, the
// recipients are stored under a unique (announcement, user) index, and
// notify's per-reason dedupe skips anyone a crashed run already told today.
// An announcement still "sending" after a restart is resumed.
func RunDue(app core.App, now time.Time) (int, error) {
	stamp, _ := types.ParseDateTime(now)
	if err := openDueSurveys(app, now); err != nil {
		return 0, err
	}
	var ids []string
	err := app.DB().Select("id").From(collections.Announcements).
		Where(dbx.NewExp(`(status = 'scheduled' AND scheduledAt != '' AND scheduledAt <= {:now}) OR status = 'sending'`, dbx.Params{"now": stamp.String()})).
		OrderBy("scheduledAt").Column(&ids)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, id := range ids {
		n, err := deliverAnnouncement(app, id, now)
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}

func deliverAnnouncement(app core.App, id string, now time.Time) (int, error) {
	// Claim: only the runner whose UPDATE changes the row goes on from
	// "scheduled"; an already "sending" one is a resume.
	if _, err := app.DB().NewQuery(`UPDATE announcements SET status = 'sending' WHERE id = {:id} AND status = 'scheduled'`).
		Bind(dbx.Params{"id": id}).Execute(); err != nil {
		return 0, err
	}
	ann, err := app.FindRecordById(collections.Announcements, id)
	if err != nil || ann.GetString("status") != collections.AnnouncementSending {
		return 0, err
	}
	a, err := Audience(ann)
	if err != nil {
		return 0, err
	}
	ids, err := Recipients(app, a, civil.DateOf(now))
	if err != nil {
		return 0, err
	}
	if err := storeRecipients(app, ann, ids); err != nil {
		return 0, err
	}
	pending, err := undeliveredRecipients(app, ann.Id)
	if err != nil {
		return 0, err
	}
	res := <-notify.Fanout(app, announcementMessage(ann), pending, notify.DefaultBatch)
	if res.Failed > 0 {
		// Stay "sending": the next tick retries, and the dedupe skips
		// those already told today.
		return res.Sent, res.Err
	}
	stamp, _ := types.ParseDateTime(now)
	_, err = app.DB().NewQuery(`UPDATE announcement_recipients SET deliveredAt = {:now} WHERE announcement = {:id} AND deliveredAt = ''`).
		Bind(dbx.Params{"id": ann.Id, "now": stamp.String()}).Execute()
	if err != nil {
		return res.Sent, err
	}
	total, err := app.CountRecords(collections.AnnouncementRecipients, dbx.HashExp{"announcement": ann.Id})
	if err != nil {
		return res.Sent, err
	}
	ann.Set("status", collections.AnnouncementSent)
	ann.Set("sentAt", now)
	ann.Set("recipientCount", total)
	return res.Sent, app.Save(ann)
}

// storeRecipients adds a row per recipient that has none yet, in batches so
// the write lock is released between them.
func storeRecipients(app core.App, ann *core.Record, ids []string) error {
	var have []string
	if err := app.DB().Select("user").From(collections.AnnouncementRecipients).
		Where(dbx.HashExp{"announcement": ann.Id}).Column(&have); err != nil {
		return err
	}
	known := make(map[string]bool, len(have))
	for _, u := range have {
		known[u] = true
	}
	var todo []string
	for _, u := range ids {
		if !known[u] {
			todo = append(todo, u)
		}
	}
	col, err := app.FindCachedCollectionByNameOrId(collections.AnnouncementRecipients)
	if err != nil {
		return err
	}
	for start := 0; start < len(todo); start += notify.DefaultBatch {
		chunk := todo[start:min(start+notify.DefaultBatch, len(todo))]
		err := app.RunInTransaction(func(tx core.App) error {
			for _, u := range chunk {
				r := core.NewRecord(col)
				r.Set("announcement", ann.Id)
				r.Set("user", u)
				if err := tx.Save(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// undeliveredRecipients are the user records still to be told.
func undeliveredRecipients(app core.App, annID string) ([]*core.Record, error) {
	var ids []string
	if err := app.DB().Select("user").From(collections.AnnouncementRecipients).
		Where(dbx.HashExp{"announcement": annID, "deliveredAt": ""}).Column(&ids); err != nil {
		return nil, err
	}
	var out []*core.Record
	for start := 0; start < len(ids); start += 500 {
		recs, err := app.FindRecordsByIds(collections.Users, ids[start:min(start+500, len(ids))])
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// announcementMessage is the notification of an announcement or of the
// survey it announces, rendered in each recipient's language from the
// notices/surveys catalogues; the staff-written title goes in as written.
func announcementMessage(ann *core.Record) notify.Message {
	m := notify.Message{
		Kind: KindAnnouncementNew, Reason: ann.Id, Key: "notices.notify.new",
		Vars:  map[string]string{"title": excerpt(ann.GetString("title"), 100)},
		Title: "西条市からのお知らせ", Body: ann.GetString("title"),
		Link: "/me/notices/?id=" + ann.Id,
	}
	if s := ann.GetString("survey"); s != "" {
		m.Kind, m.Key = KindSurveyNew, "surveys.notify.new"
		m.Title = "アンケートのお願い"
		m.Link = "/me/surveys/?id=" + s
	}
	return m
}

func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// openDueSurveys announces every scheduled survey whose time has come, by
// creating its announcement (the recipients are who may answer), and closes
// the open ones past their deadline.
func openDueSurveys(app core.App, now time.Time) error {
	stamp, _ := types.ParseDateTime(now)
	due, err := app.FindRecordsByFilter(collections.Surveys, "status = 'scheduled' && opensAt <= {:now}", "opensAt", 0, 0, dbx.Params{"now": stamp.String()})
	if err != nil {
		return err
	}
	for _, s := range due {
		err := app.RunInTransaction(func(tx core.App) error {
			col, err := tx.FindCachedCollectionByNameOrId(collections.Announcements)
			if err != nil {
				return err
			}
			ann := core.NewRecord(col)
			body := s.GetString("description")
			if body == "" {
				body = "アンケートへのご協力をお願いします。"
			}
			ann.Load(map[string]any{
				"title": s.GetString("title"), "body": body, "category": "survey", "survey": s.Id,
				"audience": s.Get("audience"), "scheduledAt": now, "status": collections.AnnouncementScheduled,
				"createdBy": s.GetString("createdBy"),
			})
			if err := tx.Save(ann); err != nil {
				return err
			}
			s.Set("status", collections.SurveyOpen)
			s.Set("announcement", ann.Id)
			return tx.Save(s)
		})
		if err != nil {
			return err
		}
	}
	_, err = app.DB().NewQuery(`UPDATE surveys SET status = 'closed' WHERE status = 'open' AND closesAt <= {:now}`).
		Bind(dbx.Params{"now": stamp.String()}).Execute()
	return err
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
