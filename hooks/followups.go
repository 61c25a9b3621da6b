package hooks

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/schedule"
)

// followupAgeLimit bounds the children the list looks at: the last routine
// vaccine (HPV) ends in the fiscal year of the 16th birthday.
const followupAgeLimit = 17

func bindFollowups(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/child/followups", listFollowups).Bind(requireCityStaff(collections.DeptChild))
		return se.Next()
	})
}

type followupChild struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Kana      string  `json:"kana"`
	BirthDate string  `json:"birthDate"`
	AgeMonths float64 `json:"ageMonths"`
	Area      string  `json:"area"`
	AreaName  string  `json:"areaName"`
	Household string  `json:"household"`
}

type followupReason struct {
	Kind   string `json:"kind"`
	Code   string `json:"code"`
	Dose   int    `json:"dose,omitzero"`
	Label  string `json:"label"`
	Latest string `json:"latest"`
}

type followupItem struct {
	Child   followupChild    `json:"child"`
	Reasons []followupReason `json:"reasons"`
}

// listFollowups lists children behind on statutory checkups or on routine
// vaccines past their standard period (spec §3(2)イ(エ): 未受診・未接種の
// 把握, which also serves abuse prevention). Two queries load every record
// needed; the schedule is computed in memory.
func listFollowups(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	minAge, errMin := optionalInt(q.Get("minAgeMonths"))
	maxAge, errMax := optionalInt(q.Get("maxAgeMonths"))
	switch {
	case errMin != nil:
		return fieldError("minAgeMonths", "invalid_number", "月齢（下限）は0以上の整数で入力してください。")
	case errMax != nil:
		return fieldError("maxAgeMonths", "invalid_number", "月齢（上限）は0以上の整数で入力してください。")
	}
	today := civil.Today()
	items, err := computeFollowups(e.App, today, q.Get("area"), minAge, maxAge)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := logFollowupViews(e, items); err != nil {
		return e.InternalServerError("", err)
	}
	if q.Get("format") == "xlsx" {
		return sendFollowupsXLSX(e, today, items)
	}
	return e.JSON(http.StatusOK, map[string]any{"asOf": today.String(), "total": len(items), "items": items})
}

func optionalInt(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err == nil && n < 0 {
		err = strconv.ErrRange
	}
	return n, err
}

type childRow struct {
	ID             string `db:"id"`
	FamilyName     string `db:"familyName"`
	GivenName      string `db:"givenName"`
	FamilyNameKana string `db:"familyNameKana"`
	GivenNameKana  string `db:"givenNameKana"`
	BirthDate      string `db:"birthDate"`
	Sex            string `db:"sex"`
	Area           string `db:"area"`
	AreaName       string `db:"areaName"`
	Household      string `db:"household"`
	Guardians      string `db:"guardians"` // JSON array of users ids
}

// childHealth is every child under followupAgeLimit on a day, with their
// doses and attended checkups, loaded in three queries whatever the number
// of children. The follow-up list and the reminders both start from it.
type childHealth struct {
	kids     []childRow
	doses    map[string][]schedule.Dose
	checkups map[string]map[string]bool
}

// loadChildHealth loads childHealth, only for one area when area is set.
func loadChildHealth(app core.App, today civil.Date, area string) (childHealth, error) {
	cut := today.AddDays(-366 * followupAgeLimit).String()
	where := dbx.NewExp("c.birthDate > {:cut}", dbx.Params{"cut": cut})
	var h childHealth
	query := app.DB().Select("c.id", "c.familyName", "c.givenName", "c.familyNameKana", "c.givenNameKana",
		"c.birthDate", "c.sex", "c.area", "c.household", "c.guardians", "COALESCE(a.name, '') AS areaName").
		From("children c").LeftJoin("areas a", dbx.NewExp("a.id = c.area")).Where(where)
	if area != "" {
		query = query.AndWhere(dbx.HashExp{"c.area": area})
	}
	if err := query.OrderBy("c.birthDate DESC").All(&h.kids); err != nil {
		return h, err
	}
	var err error
	if h.doses, err = dosesByChild(app, cut); err != nil {
		return h, err
	}
	h.checkups, err = checkupsByChild(app, cut)
	return h, err
}

func computeFollowups(app core.App, today civil.Date, area string, minAge, maxAge int) ([]followupItem, error) {
	h, err := loadChildHealth(app, today, area)
	if err != nil {
		return nil, err
	}
	kids, doses, checkups := h.kids, h.doses, h.checkups
	items := []followupItem{}
	for _, k := range kids {
		birth, err := civil.Parse(k.BirthDate)
		if err != nil {
			continue
		}
		months := civil.MonthsOld(birth, today)
		if (minAge >= 0 && months < float64(minAge)) || (maxAge >= 0 && months >= float64(maxAge+1)) {
			continue
		}
		reasons := schedule.Followup(birth, k.Sex, today, doses[k.ID], checkups[k.ID])
		if len(reasons) == 0 {
			continue
		}
		item := followupItem{Child: followupChild{ID: k.ID, Name: k.FamilyName + " " + k.GivenName,
			Kana: strings.TrimSpace(k.FamilyNameKana + " " + k.GivenNameKana), BirthDate: k.BirthDate,
			AgeMonths: float64(int(months*10)) / 10, Area: k.Area, AreaName: k.AreaName, Household: k.Household}}
		for _, r := range reasons {
			item.Reasons = append(item.Reasons, followupReason{Kind: r.Kind, Code: r.Code, Dose: r.Dose, Label: r.Label, Latest: r.Latest.String()})
		}
		items = append(items, item)
	}
	return items, nil
}

func dosesByChild(app core.App, cut string) (map[string][]schedule.Dose, error) {
	var rows []struct {
		Child   string `db:"child"`
		Vaccine string `db:"vaccine"`
		Date    string `db:"date"`
	}
	err := app.DB().NewQuery(`SELECT i.child, i.vaccine, i.date FROM immunizations i JOIN children c ON c.id = i.child
		WHERE c.birthDate > {:cut} AND i.status != 'entered_in_error' ORDER BY i.date`).Bind(dbx.Params{"cut": cut}).All(&rows)
	out := map[string][]schedule.Dose{}
	for _, r := range rows {
		if d, perr := civil.Parse(r.Date); perr == nil {
			out[r.Child] = append(out[r.Child], schedule.Dose{Vaccine: r.Vaccine, Date: d})
		}
	}
	return out, err
}

func checkupsByChild(app core.App, cut string) (map[string]map[string]bool, error) {
	var rows []struct {
		Child string `db:"child"`
		Code  string `db:"code"`
	}
	err := app.DB().NewQuery(`SELECT k.child, k.code FROM infant_checkups k JOIN children c ON c.id = k.child
		WHERE c.birthDate > {:cut} AND k.status != 'entered_in_error'`).Bind(dbx.Params{"cut": cut}).All(&rows)
	out := map[string]map[string]bool{}
	for _, r := range rows {
		if out[r.Child] == nil {
			out[r.Child] = map[string]bool{}
		}
		out[r.Child][r.Code] = true
	}
	return out, err
}

// logFollowupViews records that the city looked at each listed child's
// health records, so the family sees it in their access history.
func logFollowupViews(e *core.RequestEvent, items []followupItem) error {
	a := actorOf(e)
	at := audit.Stamp(time.Now())
	return e.App.RunInTransaction(func(tx core.App) error {
		for _, it := range items {
			err := auditlog.Append(tx, audit.Entry{At: at, Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
				Action: audit.ActionView, Collection: "children", Record: it.Child.ID, Subject: it.Child.ID,
				Fields: []string{"followup"}, IP: a.IP, UserAgent: a.UserAgent})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func sendFollowupsXLSX(e *core.RequestEvent, today civil.Date, items []followupItem) error {
	rows := make([][]any, 0, len(items))
	for _, it := range items {
		labels := make([]string, len(it.Reasons))
		for i, r := range it.Reasons {
			labels[i] = r.Label + "（期限 " + r.Latest + "）"
		}
		rows = append(rows, []any{it.Child.Name, it.Child.Kana, it.Child.BirthDate, it.Child.AgeMonths, it.Child.AreaName, strings.Join(labels, "、")})
	}
	var buf bytes.Buffer
	err := reports.Table{
		Sheet: "要フォロー", Title: "未受診・未接種の子ども一覧（" + today.String() + " 時点）",
		Header: []string{"氏名", "カナ", "生年月日", "月齢", "地区", "理由"},
		Widths: []float64{16, 20, 12, 8, 10, 80},
		Rows:   rows,
		Notes: []string{
			"予防接種は標準的な接種期間を過ぎ、まだ法定の期間内にあるもの、健診は法定健診（1歳6か月・3歳）の期間を過ぎて受診記録がないものです。",
			"個人情報です。業務の目的以外に使わず、保存した端末の管理に注意してください。この出力は監査ログに記録されています。",
		},
		GeneratedAt: time.Now(),
	}.WriteXLSX(&buf)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="followups-`+today.String()+`.xlsx"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}
