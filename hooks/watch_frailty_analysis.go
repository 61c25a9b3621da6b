package hooks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/frailty"
	"github.com/saijo-dx/lifestage/frailtystats"
	"github.com/saijo-dx/lifestage/reports"
)

// The city's frailty analysis (高齢福祉担当 only): the screenings loaded in
// one query and analysed by package frailtystats, as JSON or a workbook.

// frailtyPseudonymPurpose derives the key of the target codes in exports.
const frailtyPseudonymPurpose = "frailty-pseudonym"

// analysisQuery is the analysis's filter, from the query string.
type analysisQuery struct {
	From, To, Area string
	Period         frailtystats.Period
}

func parseAnalysisQuery(e *core.RequestEvent) (analysisQuery, error) {
	q := e.Request.URL.Query()
	a := analysisQuery{From: q.Get("from"), To: q.Get("to"), Area: q.Get("area"), Period: frailtystats.Period(q.Get("period"))}
	for field, s := range map[string]string{"from": a.From, "to": a.To} {
		if _, err := civil.Parse(s); s != "" && err != nil {
			return a, fieldError(field, "invalid_date", "期間はYYYY-MM-DDの形で指定してください。")
		}
	}
	switch a.Period {
	case "":
		a.Period = frailtystats.FiscalYear
	case frailtystats.FiscalYear, frailtystats.HalfYear:
	default:
		return a, fieldError("period", "invalid_period", "集計の単位は fy（年度）か half（半期）を指定してください。")
	}
	return a, nil
}

// assessmentRow is one screening as the analysis loads it.
type assessmentRow struct {
	Target     string `db:"target"`
	Instrument string `db:"instrument"`
	AssessedOn string `db:"assessedOn"`
	Total      int    `db:"total"`
	Criteria   string `db:"criteria"`
	Jigyo      bool   `db:"jigyoTaishosha"`
	Flags      string `db:"flags"`
	Area       string `db:"area"`
	BirthDate  string `db:"birthDate"`
	Sex        string `db:"sex"`
}

// loadAssessments reads the screenings of the filter with each person's
// area, birth date and sex in one query, oldest first (entry order within a
// day, so the last one entered is the latest).
func loadAssessments(app core.App, q analysisQuery) ([]frailtystats.Assessment, error) {
	var rows []assessmentRow
	err := app.DB().NewQuery(`SELECT a.target, a.instrument, a.assessedOn, a.total, COALESCE(a.criteria, 'null') AS criteria, a.jigyoTaishosha, COALESCE(a.flags, '[]') AS flags,
			COALESCE(NULLIF(t.area, ''), r.area, '') AS area, COALESCE(r.birthDate, '') AS birthDate, COALESCE(r.sex, '') AS sex
		FROM frailty_assessments a
		JOIN watch_targets t ON t.id = a.target
		LEFT JOIN residents r ON r.id = t.resident
		WHERE ({:from} = '' OR a.assessedOn >= {:from}) AND ({:to} = '' OR a.assessedOn <= {:to})
			AND ({:area} = '' OR COALESCE(NULLIF(t.area, ''), r.area) = {:area})
		ORDER BY a.assessedOn, a.created, a.id`).
		Bind(dbx.Params{"from": q.From, "to": q.To, "area": q.Area}).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]frailtystats.Assessment, len(rows))
	for i, r := range rows {
		on, _ := civil.Parse(r.AssessedOn)
		birth, _ := civil.Parse(r.BirthDate)
		x := frailtystats.Assessment{Target: r.Target, Area: r.Area, AssessedOn: on, BirthDate: birth, Sex: r.Sex,
			Instrument: r.Instrument, Total: r.Total, Jigyo: r.Jigyo}
		_ = json.Unmarshal([]byte(r.Criteria), &x.Criteria) // null for the questionnaire
		_ = json.Unmarshal([]byte(r.Flags), &x.Flags)
		out[i] = x
	}
	return out, nil
}

// areaNames maps area ids to names (a few dozen areas).
func areaNames(app core.App) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().NewQuery(`SELECT id, name FROM areas`).All(&rows); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// analyse loads and analyses the screenings of the query.
func analyse(app core.App, q analysisQuery) (frailtystats.Report, frailty.Cutoffs, error) {
	cutoffs := frailtyCutoffs()
	in, err := loadAssessments(app, q)
	if err != nil {
		return frailtystats.Report{}, cutoffs, err
	}
	names, err := areaNames(app)
	if err != nil {
		return frailtystats.Report{}, cutoffs, err
	}
	return frailtystats.Analyse(in, frailtystats.Options{Cutoffs: cutoffs, Period: q.Period, AreaNames: names}), cutoffs, nil
}

// analysisResponse is the report with the filter it answers.
type analysisResponse struct {
	From    string              `json:"from"`
	To      string              `json:"to"`
	Area    string              `json:"area"`
	Period  string              `json:"period"`
	Cutoffs cutoffsJSON         `json:"cutoffs"`
	Report  frailtystats.Report `json:"report"`
}

func frailtyAnalysisJSON(e *core.RequestEvent) error {
	q, err := parseAnalysisQuery(e)
	if err != nil {
		return err
	}
	rep, cutoffs, err := analyse(e.App, q)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, analysisResponse{
		From: q.From, To: q.To, Area: q.Area, Period: string(q.Period), Report: rep, Cutoffs: cutoffsOf(cutoffs),
	})
}

// frailtyAnalysisXLSX is the analysis as a workbook, one sheet per table.
// People appear only under a pseudonymous code, and the export is audited.
func frailtyAnalysisXLSX(e *core.RequestEvent) error {
	q, err := parseAnalysisQuery(e)
	if err != nil {
		return err
	}
	ring := FieldKeyring(e.App)
	if ring == nil {
		return e.InternalServerError("匿名化の鍵がないため出力できません。", nil)
	}
	rep, cutoffs, err := analyse(e.App, q)
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := time.Now()
	var buf bytes.Buffer
	key := ring.Derive(frailtyPseudonymPurpose)
	scope := frailtystats.Scope{From: q.From, To: q.To, Cutoffs: cutoffs}
	if q.Area != "" {
		if a, err := e.App.FindRecordById("areas", q.Area); err == nil {
			scope.AreaLabel = a.GetString("name")
		}
	}
	code := func(id string) string { return frailtystats.Pseudonym(key, id) }
	if err := reports.WriteWorkbook(&buf, frailtystats.Tables(rep, scope, code, now)...); err != nil {
		return e.InternalServerError("", err)
	}
	a := actorOf(e)
	err = auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(now), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: "export", Collection: collections.FrailtyAssessments, Record: strconv.Itoa(rep.Assessments),
		IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="frailty-analysis-`+civil.DateOf(now).String()+`.xlsx"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}
