package hooks

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// bindNurseryNotebook serves the staff's view of a nursery day: the
// children of a class with what their families wrote and sent, and the
// nursery's own entries. Nursery staff cannot list the children register
// (only the city can), so this route is where they get their own children's
// names.
func bindNurseryNotebook(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/nursery/notebook/day", notebookDay).Bind(apis.RequireAuth(collections.NurseryStaff))
		return se.Next()
	})
}

type dayClass struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type dayChild struct {
	ID             string         `json:"id"`
	FamilyName     string         `json:"familyName"`
	GivenName      string         `json:"givenName"`
	FamilyNameKana string         `json:"familyNameKana"`
	GivenNameKana  string         `json:"givenNameKana"`
	Class          string         `json:"class"`
	Home           *core.Record   `json:"home"`
	Entry          *core.Record   `json:"entry"`
	Notices        []*core.Record `json:"notices"`
}

// notebookDay answers GET /api/lifestage/nursery/notebook/day?date=&class=
// for the caller's nursery: the classes of the year and, per child enrolled
// that day (in the class, when given), the home entry, the nursery entry
// (drafts included) and the absence notices. Reads are audited as staff
// reads of sensitive records.
func notebookDay(e *core.RequestEvent) error {
	if !isNurseryStaff(e.Auth) {
		return e.ForbiddenError("この操作を行う権限がありません。", nil)
	}
	nursery := e.Auth.GetString("nursery")
	q := e.Request.URL.Query()
	day := civil.Today()
	if s := q.Get("date"); s != "" {
		var err error
		if day, err = civil.Parse(s); err != nil {
			return fieldError("date", "invalid_date", "日付は YYYY-MM-DD の形式で指定してください。")
		}
	}
	classes, err := e.App.FindRecordsByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy}", "ageClass,name", 0, 0,
		dbx.Params{"n": nursery, "fy": civil.FiscalYear(day)})
	if err != nil {
		return e.InternalServerError("", err)
	}
	class := q.Get("class")
	if class != "" && !slices.ContainsFunc(classes, func(c *core.Record) bool { return c.Id == class }) {
		return fieldError("class", "not_in_nursery", "自施設のクラスを選んでください。")
	}
	children, err := dayChildren(e.App, nursery, class, day)
	if err != nil {
		return e.InternalServerError("", err)
	}
	rank := map[string]int{}
	for i, c := range classes {
		rank[c.Id] = i
	}
	slices.SortFunc(children, func(a, b *dayChild) int {
		return cmp.Or(cmp.Compare(rank[a.Class], rank[b.Class]), cmp.Compare(a.FamilyNameKana+a.GivenNameKana, b.FamilyNameKana+b.GivenNameKana))
	})
	byChild := map[string]*dayChild{}
	for _, c := range children {
		byChild[c.ID] = c
	}
	for _, name := range []string{"notebook_home", "notebook_nursery", "absence_notices"} {
		if err := attachNotes(e, name, nursery, day, byChild); err != nil {
			return err
		}
	}
	out := make([]dayClass, len(classes))
	for i, c := range classes {
		out[i] = dayClass{ID: c.Id, Name: c.GetString("name")}
	}
	return e.JSON(http.StatusOK, map[string]any{"date": day.String(), "nursery": nursery, "classes": out, "children": children})
}

// dayChildren lists the children enrolled in the nursery (class) on
// the day, with empty notes.
func dayChildren(app core.App, nursery, class string, day civil.Date) ([]*dayChild, error) {
	filter := "nursery = {:n} && start <= {:d} && (end = '' || end >= {:d})"
	if class != "" {
		filter += " && class = {:k}"
	}
	enrolments, err := app.FindRecordsByFilter("enrolments", filter, "", 0, 0, dbx.Params{"n": nursery, "d": day.String(), "k": class})
	if err != nil {
		return nil, err
	}
	classOf := map[string]string{}
	ids := make([]string, len(enrolments))
	for i, en := range enrolments {
		ids[i] = en.GetString("child")
		classOf[ids[i]] = en.GetString("class")
	}
	recs, err := app.FindRecordsByIds("children", ids)
	if err != nil {
		return nil, err
	}
	out := make([]*dayChild, len(recs))
	for i, r := range recs {
		out[i] = &dayChild{ID: r.Id, FamilyName: r.GetString("familyName"), GivenName: r.GetString("givenName"),
			FamilyNameKana: r.GetString("familyNameKana"), GivenNameKana: r.GetString("givenNameKana"),
			Class: classOf[r.Id], Notices: []*core.Record{}}
	}
	return out, nil
}

// attachNotes reads one collection's notes of the nursery day (one query),
// decrypts them for the response, logs the staff read and hangs each on
// its child.
func attachNotes(e *core.RequestEvent, collection, nursery string, day civil.Date, byChild map[string]*dayChild) error {
	recs, err := e.App.FindAllRecords(collection, dbx.HashExp{"nursery": nursery, "date": day.String()})
	if err != nil {
		return e.InternalServerError("", err)
	}
	recs = slices.DeleteFunc(recs, func(r *core.Record) bool { return byChild[r.GetString("child")] == nil })
	if len(recs) == 0 {
		return nil
	}
	if err := apis.EnrichRecords(e, recs); err != nil {
		return e.InternalServerError("", err)
	}
	if err := logSensitiveReads(e, recs[0].Collection(), recs); err != nil {
		return e.InternalServerError("", err)
	}
	for _, r := range recs {
		c := byChild[r.GetString("child")]
		switch collection {
		case "notebook_home":
			c.Home = r
		case "notebook_nursery":
			c.Entry = r
		default:
			c.Notices = append(c.Notices, r)
		}
	}
	return nil
}
