package hooks

import (
	"bytes"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/infection"
	"github.com/saijo-dx/lifestage/nurserystats"
	"github.com/saijo-dx/lifestage/reports"
)

// The city's overview of nursery use (spec §3(3)イ): counts only, no child
// is named, so 保育担当 staff read it without a personal-data audit entry.
func bindNurseryOverview(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/nursery/overview", nurseryOverview).Bind(requireCityStaff(collections.DeptNursery))
		return se.Next()
	})
}

func nurseryOverview(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	month := reports.MonthOf(time.Now())
	if s := q.Get("month"); s != "" {
		m, err := reports.ParseMonth(s)
		if err != nil {
			return fieldError("month", "invalid_month", "月はYYYY-MMの形で入力してください。")
		}
		month = m
	}
	in, err := loadNurseryMonth(e.App, month, civil.Today())
	if err != nil {
		return e.InternalServerError("", err)
	}
	rows := nurserystats.Overview(in)
	if q.Get("format") == "xlsx" {
		return sendOverviewXLSX(e, month, rows)
	}
	return e.JSON(http.StatusOK, map[string]any{"month": month.String(), "from": in.From.String(), "to": in.To.String(), "items": rows})
}

// loadNurseryMonth reads a month's classes, enrolments, attendance and
// infection reports in four queries, whatever the number of nurseries.
func loadNurseryMonth(app core.App, month reports.Month, today civil.Date) (nurserystats.Month, error) {
	from := civil.DateOf(month.Start())
	to := civil.DateOf(month.End())
	if today.Before(to) && !today.Before(from) {
		to = today
	}
	m := nurserystats.Month{From: from, To: to, OpenDays: map[string][]civil.Date{}}
	period := dbx.Params{"from": from.String(), "to": to.String(), "fy": civil.FiscalYear(from)}
	steps := []func(core.App, dbx.Params, *nurserystats.Month) error{loadOverviewClasses, loadOverviewEnrolments, loadOverviewAttendance, loadOverviewInfections}
	for _, step := range steps {
		if err := step(app, period, &m); err != nil {
			return m, err
		}
	}
	return m, nil
}

func loadOverviewClasses(app core.App, p dbx.Params, m *nurserystats.Month) error {
	var rows []struct {
		ID          string `db:"id"`
		Nursery     string `db:"nursery"`
		NurseryName string `db:"nurseryName"`
		Name        string `db:"name"`
		AgeClass    int    `db:"ageClass"`
		Capacity    int    `db:"capacity"`
	}
	err := app.DB().NewQuery(`SELECT c.id, c.nursery, f.name AS nurseryName, c.name, c.ageClass, c.capacity
		FROM nursery_classes c JOIN facilities f ON f.id = c.nursery WHERE c.fiscalYear = {:fy}`).Bind(p).All(&rows)
	for _, r := range rows {
		m.Classes = append(m.Classes, nurserystats.Class{ID: r.ID, Nursery: r.Nursery, NurseryName: r.NurseryName, Name: r.Name, AgeClass: r.AgeClass, Capacity: r.Capacity})
	}
	return err
}

func loadOverviewEnrolments(app core.App, p dbx.Params, m *nurserystats.Month) error {
	var rows []struct {
		Class string `db:"class"`
		Start string `db:"start"`
		End   string `db:"end"`
	}
	err := app.DB().NewQuery(`SELECT class, start, [[end]] FROM enrolments
		WHERE start <= {:to} AND ([[end]] = '' OR [[end]] >= {:from})`).Bind(p).All(&rows)
	for _, r := range rows {
		start, _ := civil.Parse(r.Start)
		end, _ := civil.Parse(r.End) // zero while enrolled
		m.Enrolments = append(m.Enrolments, nurserystats.Enrolment{Class: r.Class, Start: start, End: end})
	}
	return err
}

func loadOverviewAttendance(app core.App, p dbx.Params, m *nurserystats.Month) error {
	var rows []struct {
		Nursery string `db:"nursery"`
		Class   string `db:"class"`
		Date    string `db:"date"`
	}
	err := app.DB().NewQuery(`SELECT nursery, class, date FROM attendance
		WHERE date >= {:from} AND date <= {:to} AND checkIn != ''`).Bind(p).All(&rows)
	open := map[string]map[civil.Date]bool{}
	for _, r := range rows {
		d, perr := civil.Parse(r.Date)
		if perr != nil {
			continue
		}
		m.Attended = append(m.Attended, nurserystats.Attended{Class: r.Class, Date: d})
		if open[r.Nursery] == nil {
			open[r.Nursery] = map[civil.Date]bool{}
		}
		if !open[r.Nursery][d] {
			open[r.Nursery][d] = true
			m.OpenDays[r.Nursery] = append(m.OpenDays[r.Nursery], d)
		}
	}
	return err
}

// loadOverviewInfections counts, per class, the children reported with a
// diagnosed infection in the month (absence notices in force).
func loadOverviewInfections(app core.App, _ dbx.Params, m *nurserystats.Month) error {
	reports, err := loadReports(app, "", "", m.From, m.To)
	if err != nil {
		return err
	}
	m.Infections = infection.DiagnosedByClass(reports)
	return nil
}

func sendOverviewXLSX(e *core.RequestEvent, month reports.Month, rows []nurserystats.Row) error {
	out := make([][]any, 0, len(rows))
	for _, r := range rows {
		out = append(out, []any{r.NurseryName, r.ClassName, r.AgeClass, r.Capacity, r.Enrolled, r.Vacancies, r.ChildDays, r.Expected, r.Rate, r.Infections})
	}
	var buf bytes.Buffer
	err := reports.Table{
		Sheet: "保育施設の利用状況", Title: "保育施設の利用状況（" + month.Label() + "）",
		Header:  []string{"施設", "クラス", "年齢クラス", "定員", "在籍", "空き", "出席のべ日数", "在籍×開所日数", "出席率", "感染症の報告"},
		Widths:  []float64{24, 12, 10, 8, 8, 8, 12, 14, 10, 12},
		Formats: []string{"", "", reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatPercent, reports.FormatCount},
		Rows:    out,
		Notes: []string{
			"在籍はその月の末日（当月は今日）時点、出席率は出席のべ日数を「在籍していた子ども×施設の開所日（登園の記録があった日）」で割ったものです。",
			"感染症の報告は、保護者からの欠席連絡で診断名のあったものの件数です。子どもの氏名は含みません。",
		},
		GeneratedAt: time.Now(),
	}.WriteXLSX(&buf)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="nursery-overview-`+month.String()+`.xlsx"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}
