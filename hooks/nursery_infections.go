package hooks

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/infection"
)

// Limits of the infection counts: a default window and the longest one (a
// season is about three months).
const (
	infectionDefaultDays = 14
	infectionMaxDays     = 92
	draftDays            = 7
)

// bindNurseryInfections serves the counts of what families reported (to the
// nursery's staff for their nursery, to the city's 保育 staff for all), a
// notice draft worded from those counts, and the staff's acknowledgement of
// a notice.
func bindNurseryInfections(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/nursery/codes", nurseryCodes).Bind(apis.RequireAuth())
		se.Router.GET("/api/lifestage/nursery/infections", infectionCounts).Bind(apis.RequireAuth())
		se.Router.GET("/api/lifestage/nursery/infections/draft", infectionDraft).Bind(apis.RequireAuth(collections.NurseryStaff))
		se.Router.POST("/api/lifestage/nursery/absences/{id}/acknowledge", acknowledgeAbsence).
			Bind(apis.RequireAuth(collections.NurseryStaff), apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

// nurseryCodes answers GET /api/lifestage/nursery/codes: the codes of the
// notices and the notebook with their Japanese labels, so that pages never
// keep a second copy.
func nurseryCodes(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, map[string]any{
		"kinds": infection.Kinds, "symptoms": infection.Symptoms, "infections": infection.Infections,
		"notebook": collections.NotebookChoices,
	})
}

// countRow is a count with the names of its nursery and class.
type countRow struct {
	Nursery     string         `json:"nursery"`
	NurseryName string         `json:"nurseryName"`
	Class       string         `json:"class"`
	ClassName   string         `json:"className"`
	Date        string         `json:"date"`
	Reported    int            `json:"reported"`
	Absent      int            `json:"absent"`
	Infections  map[string]int `json:"infections"`
	Symptoms    map[string]int `json:"symptoms"`
}

// infectionCounts answers GET /api/lifestage/nursery/infections?from=&to=&nursery=
// with counts per nursery, class and day: no child ids, no names. Nursery
// staff see their own nursery, 保育 staff of the city every nursery.
func infectionCounts(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	nursery := q.Get("nursery")
	switch {
	case isNurseryStaff(e.Auth):
		if nursery != "" && nursery != e.Auth.GetString("nursery") {
			return e.ForbiddenError("他の施設の集計は見られません。", nil)
		}
		nursery = e.Auth.GetString("nursery")
	case isCityStaffIn(e.Auth, collections.DeptNursery):
	default:
		return e.ForbiddenError("この集計を見る権限がありません。", nil)
	}
	from, to, err := dateRange(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	reports, err := loadReports(e.App, nursery, "", from, to)
	if err != nil {
		return e.InternalServerError("", err)
	}
	rows := infection.Count(reports)
	names, err := placeNames(e.App, rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]countRow, len(rows))
	for i, r := range rows {
		out[i] = countRow{Nursery: r.Nursery, NurseryName: names[r.Nursery], Class: r.Class, ClassName: names[r.Class],
			Date: r.Date, Reported: r.Reported, Absent: r.Absent, Infections: r.Infections, Symptoms: r.Symptoms}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"from": from.String(), "to": to.String(), "rows": out,
		"labels": map[string]any{"infections": infection.Labels(infection.Infections), "symptoms": infection.Labels(infection.Symptoms)},
	})
}

// dateRange reads from and to (YYYY-MM-DD), by default the last two weeks.
func dateRange(fromRaw, toRaw string) (civil.Date, civil.Date, error) {
	to := civil.Today()
	var err error
	if toRaw != "" {
		if to, err = civil.Parse(toRaw); err != nil {
			return to, to, fieldError("to", "invalid_date", "終了日は YYYY-MM-DD の形式で指定してください。")
		}
	}
	from := to.AddDays(-(infectionDefaultDays - 1))
	if fromRaw != "" {
		if from, err = civil.Parse(fromRaw); err != nil {
			return from, to, fieldError("from", "invalid_date", "開始日は YYYY-MM-DD の形式で指定してください。")
		}
	}
	if to.Before(from) {
		return from, to, fieldError("to", "before_start", "終了日は開始日より後にしてください。")
	}
	if civil.DaysBetween(from, to) >= infectionMaxDays {
		return from, to, fieldError("from", "too_long", "期間は"+strconv.Itoa(infectionMaxDays)+"日以内で指定してください。")
	}
	return from, to, nil
}

// loadReports reads the notices in force (not cancelled) of the period,
// optionally of one nursery and class, without their free text.
func loadReports(app core.App, nursery, class string, from, to civil.Date) ([]infection.Report, error) {
	var rows []struct {
		Child     string `db:"child"`
		Nursery   string `db:"nursery"`
		Class     string `db:"class"`
		Date      string `db:"date"`
		Kind      string `db:"kind"`
		Symptoms  string `db:"symptoms"`
		Infection string `db:"infection"`
	}
	q := app.DB().Select("child", "nursery", "class", "date", "kind", "symptoms", "infection").From("absence_notices").
		Where(dbx.Between("date", from.String(), to.String())).AndWhere(dbx.HashExp{"cancelled": false})
	if nursery != "" {
		q.AndWhere(dbx.HashExp{"nursery": nursery})
	}
	if class != "" {
		q.AndWhere(dbx.HashExp{"class": class})
	}
	if err := q.All(&rows); err != nil {
		return nil, err
	}
	out := make([]infection.Report, len(rows))
	for i, r := range rows {
		var symptoms []string
		_ = json.Unmarshal([]byte(r.Symptoms), &symptoms) // none ticked is "[]"
		out[i] = infection.Report{Child: r.Child, Nursery: r.Nursery, Class: r.Class, Date: r.Date, Kind: r.Kind,
			Symptoms: symptoms, Infection: r.Infection}
	}
	return out, nil
}

// placeNames maps the nursery and class ids of the rows to their names.
func placeNames(app core.App, rows []infection.Row) (map[string]string, error) {
	var nurseries, classes []string
	for _, r := range rows {
		nurseries = append(nurseries, r.Nursery)
		if r.Class != "" {
			classes = append(classes, r.Class)
		}
	}
	return nurseryAndClassNames(app, nurseries, classes)
}

// nurseryAndClassNames maps nursery and class ids to their names, in two
// queries whatever their number.
func nurseryAndClassNames(app core.App, nurseries, classes []string) (map[string]string, error) {
	names := map[string]string{}
	for col, ids := range map[string][]string{"facilities": nurseries, "nursery_classes": classes} {
		recs, err := app.FindRecordsByIds(col, ids)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			names[r.Id] = r.GetString("name")
		}
	}
	return names, nil
}

// infectionDraft answers GET /api/lifestage/nursery/infections/draft?infection=&class=
// with a notice worded from the last week's count of the caller's nursery
// (or class): how many children, never which.
func infectionDraft(e *core.RequestEvent) error {
	if !isNurseryStaff(e.Auth) {
		return e.ForbiddenError("この操作を行う権限がありません。", nil)
	}
	q := e.Request.URL.Query()
	code := q.Get("infection")
	if !infection.Known(infection.Infections, code) {
		return fieldError("infection", "invalid_infection", "感染症を選んでください。")
	}
	nursery, place := e.Auth.GetString("nursery"), "園内"
	class := q.Get("class")
	if class != "" {
		c, err := e.App.FindRecordById("nursery_classes", class)
		if err != nil || c.GetString("nursery") != nursery {
			return fieldError("class", "not_in_nursery", "自施設のクラスを選んでください。")
		}
		place = c.GetString("name")
	}
	to := civil.Today()
	from := to.AddDays(-(draftDays - 1))
	reports, err := loadReports(e.App, nursery, class, from, to)
	if err != nil {
		return e.InternalServerError("", err)
	}
	n := infection.Children(reports, code)
	d := infection.NoticeDraft(place, code, n)
	return e.JSON(http.StatusOK, map[string]any{
		"infection": code, "class": class, "children": n, "title": d.Title, "body": d.Body,
		"periodFrom": from.String(), "periodTo": to.String(),
	})
}

// acknowledgeAbsence marks a notice as seen by the nursery (once: the first
// acknowledgement stands). From then on the family no longer edits it.
func acknowledgeAbsence(e *core.RequestEvent) error {
	n, err := e.App.FindRecordById("absence_notices", e.Request.PathValue("id"))
	if err != nil || !isNurseryStaff(e.Auth) || n.GetString("nursery") != e.Auth.GetString("nursery") {
		return e.NotFoundError("連絡が見つかりません。", nil)
	}
	if n.GetDateTime("acknowledgedAt").IsZero() {
		n.Set("acknowledgedBy", e.Auth.Id)
		n.Set("acknowledgedAt", types.NowDateTime())
		if err := e.App.SaveWithContext(actorContext(e), n); err != nil {
			return e.BadRequestError("確認を記録できませんでした。", err)
		}
	}
	if err := apis.EnrichRecord(e, n); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, n)
}
