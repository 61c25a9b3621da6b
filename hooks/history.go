package hooks

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/schedule"
)

// History paging: a page is small enough for a phone, the cap keeps one
// request cheap.
const (
	historyPerPage    = 20
	historyMaxPerPage = 50
)

// bindHistory serves 登録履歴: what the family entered in the handbook or
// applied for, newest first.
func bindHistory(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/me/history", myHistory).Bind(apis.RequireAuth(collections.Users))
		return se.Next()
	})
}

// historyItem is one line of the history.
type historyItem struct {
	Collection string `json:"collection"`
	RecordID   string `json:"recordId"`
	ChildID    string `json:"childId,omitempty"`
	ChildName  string `json:"childName,omitempty"`
	Title      string `json:"title"`
	Date       string `json:"date"`      // the civil date the record is about
	CreatedAt  string `json:"createdAt"` // when it was entered, RFC 3339 in Tokyo
	Source     string `json:"source"`    // parent, clinic, city, or "" when not recorded
	Status     string `json:"status,omitempty"`

	created string // the stored timestamp, for the order and the cursor
}

// historySource is a handbook collection and how its records read in the
// history. Records belong to a child (describe gets it) or to the mother
// (describe gets nil).
type historySource struct {
	collection string
	byMother   bool
	describe   func(r, child *core.Record) (title, date string)
}

var historySources = []historySource{
	{collection: birthRecordsCollection, describe: func(r, child *core.Record) (string, string) {
		title := "出生の記録"
		if g := r.GetInt("weightG"); g > 0 {
			title += "（出生体重 " + strconv.Itoa(g) + " g）"
		}
		return title, child.GetString("birthDate") // child records come only for a child read
	}},
	{collection: "growth_measurements", describe: func(r, _ *core.Record) (string, string) {
		var parts []string
		for _, in := range growthInputs {
			if v := r.GetFloat(in.field); v > 0 {
				parts = append(parts, in.label+" "+strconv.FormatFloat(v, 'f', -1, 64)+" "+in.unit)
			}
		}
		return "成長の記録（" + strings.Join(parts, "・") + "）", r.GetString("date")
	}},
	{collection: "immunizations", describe: func(r, _ *core.Record) (string, string) {
		return "予防接種 " + doseLabel(r), r.GetString("date")
	}},
	{collection: "infant_checkups", describe: func(r, _ *core.Record) (string, string) {
		return schedule.CheckupLabel(r.GetString("code")), r.GetString("date")
	}},
	{collection: "allergies", describe: func(r, _ *core.Record) (string, string) {
		return "アレルギー: " + r.GetString("substance"), r.GetString("date")
	}},
	{collection: "weaning_logs", describe: func(r, _ *core.Record) (string, string) {
		return "離乳食: " + r.GetString("food"), r.GetString("date")
	}},
	{collection: questionnairesCollection, describe: func(r, _ *core.Record) (string, string) {
		_, states := collections.ValueLabels(questionnairesCollection, "status")
		return "予診票 " + doseLabel(r) + "（" + states[r.GetString("status")] + "）", r.GetString("plannedDate")
	}},
	{collection: "pregnancies", byMother: true, describe: func(r, _ *core.Record) (string, string) {
		return "妊娠の登録（分娩予定日）", r.GetString("dueDate")
	}},
	{collection: "prenatal_checkups", byMother: true, describe: func(r, _ *core.Record) (string, string) {
		title := "妊婦健診"
		if w := r.GetInt("week"); w > 0 {
			title += "（妊娠" + strconv.Itoa(w) + "週）"
		}
		return title, r.GetString("date")
	}},
}

func doseLabel(r *core.Record) string {
	return schedule.VaccineLabels[r.GetString("vaccine")] + " " + strconv.Itoa(r.GetInt("dose")) + "回目"
}

// myHistory lists the records of the children the caller may read and of
// her own pregnancies, newest entry first, in pages joined by a cursor (no
// total, as a family's history only grows). Each collection is read in one
// query under its own list rule, so the history never shows more than the
// collections would.
func myHistory(e *core.RequestEvent) error {
	perPage, after, err := historyPage(e)
	if err != nil {
		return err
	}
	kids, err := readableChildren(e)
	if err != nil {
		return err
	}
	var items []historyItem
	for _, src := range historySources {
		got, err := historyOf(e, src, kids, after, perPage+1)
		if err != nil {
			return err
		}
		items = append(items, got...)
	}
	slices.SortFunc(items, func(a, b historyItem) int {
		return cmp.Or(cmp.Compare(b.created, a.created), cmp.Compare(b.RecordID, a.RecordID))
	})
	next := ""
	if len(items) > perPage {
		items = items[:perPage]
		last := items[perPage-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(last.created + "|" + last.RecordID))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items, "perPage": perPage, "nextCursor": next})
}

// historyCursor is the created timestamp and id of the last item shown.
type historyCursor struct{ created, id string }

var cursorRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z)\|([a-z0-9]{15})$`)

func historyPage(e *core.RequestEvent) (int, *historyCursor, error) {
	q := e.Request.URL.Query()
	perPage := historyPerPage
	if s := q.Get("perPage"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > historyMaxPerPage {
			return 0, nil, fieldError("perPage", "invalid_per_page", fmt.Sprintf("perPage は1〜%dで指定してください。", historyMaxPerPage))
		}
		perPage = n
	}
	s := q.Get("cursor")
	if s == "" {
		return perPage, nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	m := cursorRE.FindStringSubmatch(string(raw))
	if err != nil || m == nil {
		return 0, nil, fieldError("cursor", "invalid_cursor", "続きの位置（cursor）が正しくありません。最初から読み込み直してください。")
	}
	return perPage, &historyCursor{m[1], m[2]}, nil
}

// readableChildren are the children the caller's list rule shows: their
// own, and those shared with them.
func readableChildren(e *core.RequestEvent) (map[string]*core.Record, error) {
	col, err := e.App.FindCachedCollectionByNameOrId("children")
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	q := e.App.RecordQuery(col)
	if err := underListRule(e, col, q); err != nil {
		return nil, err
	}
	var recs []*core.Record
	if err := q.All(&recs); err != nil {
		return nil, e.InternalServerError("", err)
	}
	out := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		out[r.Id] = r
	}
	return out, nil
}

// historyOf reads up to limit entries of one collection after the cursor.
func historyOf(e *core.RequestEvent, src historySource, kids map[string]*core.Record, after *historyCursor, limit int) ([]historyItem, error) {
	col, err := e.App.FindCachedCollectionByNameOrId(src.collection)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	t := col.Name
	q := e.App.RecordQuery(col).OrderBy(t+".created DESC", t+".id DESC").Limit(int64(limit))
	if src.byMother {
		q.AndWhere(dbx.HashExp{t + ".mother": e.Auth.Id})
	} else {
		if len(kids) == 0 {
			return nil, nil
		}
		ids := make([]any, 0, len(kids))
		for id := range kids {
			ids = append(ids, id)
		}
		q.AndWhere(dbx.In(t+".child", ids...))
	}
	if after != nil {
		q.AndWhere(dbx.NewExp("("+t+".created < {:c} OR ("+t+".created = {:c} AND "+t+".id < {:i}))",
			dbx.Params{"c": after.created, "i": after.id}))
	}
	if err := underListRule(e, col, q); err != nil {
		return nil, err
	}
	var recs []*core.Record
	if err := q.All(&recs); err != nil {
		return nil, e.InternalServerError("", err)
	}
	items := make([]historyItem, len(recs))
	for i, r := range recs {
		items[i] = historyEntry(src, r, kids[r.GetString("child")])
	}
	return items, nil
}

func historyEntry(src historySource, r, child *core.Record) historyItem {
	it := historyItem{Collection: src.collection, RecordID: r.Id, Source: r.GetString("source"), Status: r.GetString("status"),
		created: r.GetString("created")}
	if src.collection == questionnairesCollection {
		it.Source = "parent" // only the family starts a form
	}
	if child != nil {
		it.ChildID = child.Id
		it.ChildName = strings.TrimSpace(child.GetString("familyName") + " " + child.GetString("givenName"))
	}
	it.Title, it.Date = src.describe(r, child)
	it.CreatedAt = r.GetDateTime("created").Time().In(civil.Tokyo).Format(time.RFC3339)
	return it
}
