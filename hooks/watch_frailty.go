package hooks

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/frailty"
)

// bindWatchFrailty binds the frailty screening of watch targets: recording
// either instrument (the server scores it) and the city's analysis.
func bindWatchFrailty(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		city := requireCityStaff(collections.DeptElderly)
		se.Router.GET("/api/lifestage/frailty/instruments", frailtyInstruments)
		se.Router.POST("/api/lifestage/watch/targets/{id}/assessments", recordAssessment).Bind(apis.BodyLimit(kihonBodyLimit))
		se.Router.GET("/api/lifestage/watch/frailty/analysis", frailtyAnalysisJSON).Bind(city)
		se.Router.GET("/api/lifestage/watch/frailty/analysis.xlsx", frailtyAnalysisXLSX).Bind(city)
		return se.Next()
	})
}

// frailtyInstruments serves the questions of both instruments, so the pages
// show exactly the wording the server scores.
func frailtyInstruments(e *core.RequestEvent) error {
	type kihonItem struct {
		No       int            `json:"no"`
		Question string         `json:"question"`
		Domain   frailty.Domain `json:"domain"`
		FromBMI  bool           `json:"fromBmi"`
	}
	type koukiItem struct {
		No       int      `json:"no"`
		Category string   `json:"category"`
		Question string   `json:"question"`
		Options  []string `json:"options"`
	}
	kihon := make([]kihonItem, 0, frailty.Items)
	for _, it := range frailty.Checklist {
		kihon = append(kihon, kihonItem{it.No, it.Question, it.Domain, it.No == frailty.BMIItem})
	}
	kouki := make([]koukiItem, 0, len(frailty.KoukiItems))
	for _, it := range frailty.KoukiItems {
		kouki = append(kouki, koukiItem{it.No, it.Category, it.Question, it.OptionLabels()})
	}
	return e.JSON(http.StatusOK, map[string]any{"kihon": kihon, "kouki": kouki, "cutoffs": cutoffsOf(frailtyCutoffs())})
}

// cutoffsJSON is the cut-offs in use, in a fixed key order.
type cutoffsJSON struct {
	PrefrailFrom int `json:"prefrailFrom"`
	FrailFrom    int `json:"frailFrom"`
}

func cutoffsOf(c frailty.Cutoffs) cutoffsJSON { return cutoffsJSON{c.PrefrailFrom, c.FrailFrom} }

// assessmentBody is one screening sent for a target. Results sent along
// (a total, a class) are not read: the server scores the answers.
type assessmentBody struct {
	Instrument string `json:"instrument"`
	Answers    any    `json:"answers"` // any: a wrong shape gets a field error, not a bind error
	HeightCm   any    `json:"heightCm"`
	WeightKg   any    `json:"weightKg"`
	VisitID    string `json:"visitId"`
	AssessedOn string `json:"assessedOn"`
}

// mayAssess: 高齢福祉担当, or the volunteer the target is assigned to.
func mayAssess(e *core.RequestEvent, target *core.Record) bool {
	if isCityStaffIn(e.Auth, collections.DeptElderly) {
		return true
	}
	return e.Auth.Collection().Name == collections.Volunteers && e.Auth.GetBool("active") &&
		target.GetString("volunteer") == e.Auth.Id
}

// recordAssessment scores and stores one screening of a watch target.
func recordAssessment(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("ログインしてください。", nil)
	}
	if !isCityStaffIn(e.Auth, collections.DeptElderly) && e.Auth.Collection().Name != collections.Volunteers {
		return e.ForbiddenError("この操作を行う権限がありません。", nil)
	}
	target, err := e.App.FindRecordById(watchTargets, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("見守り対象者が見つかりません。", nil)
	}
	if !mayAssess(e, target) {
		return e.ForbiddenError("この方の見守りの担当ではありません。", nil)
	}
	var body assessmentBody
	if err := e.BindBody(&body); err != nil {
		return fieldError("answers", "invalid_body", "リクエストの形式が正しくありません。")
	}
	rec, err := scoreAssessment(e.App, target, body)
	if err != nil {
		return err
	}
	rec.Set("recordedBy", e.Auth.Id)
	rec.Set("recordedByCollection", e.Auth.Collection().Name)
	if err := e.App.SaveWithContext(actorContext(e), rec); err != nil {
		return e.InternalServerError("調査結果を記録できませんでした。", err)
	}
	return e.JSON(http.StatusOK, assessmentResult(rec))
}

// scoreAssessment checks the body and builds the record with the results
// computed here; 400 with field errors on bad input.
func scoreAssessment(app core.App, target *core.Record, body assessmentBody) (*core.Record, error) {
	errs := validation.Errors{}
	visit := assessmentVisit(app, errs, target, body.VisitID)
	on := assessmentDay(errs, body.AssessedOn, visit)
	col, err := app.FindCachedCollectionByNameOrId(collections.FrailtyAssessments)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	rec := core.NewRecord(col)
	switch body.Instrument {
	case collections.InstrumentKihon:
		in := kihonInput(errs, body.Answers, body.HeightCm, body.WeightKg)
		if len(errs) > 0 {
			break
		}
		rec.Load(collections.KihonResultFields(frailty.Score(in, frailtyCutoffs())))
		rec.Set("heightCm", in.HeightCm)
		rec.Set("weightKg", in.WeightKg)
	case collections.InstrumentKouki:
		choices := koukiAnswers(errs, body.Answers)
		if len(errs) > 0 {
			break
		}
		flags, err := frailty.KoukiFlags(choices)
		if err != nil { // koukiAnswers has checked every option
			return nil, apis.NewInternalServerError("", err)
		}
		rec.Load(collections.KoukiResultFields(flags))
	default:
		errs["instrument"] = validation.NewError("invalid_instrument", "調査票は kihon（基本チェックリスト）か kouki（後期高齢者の質問票）を指定してください。")
	}
	if len(errs) > 0 {
		return nil, badInput(errs)
	}
	rec.Set("target", target.Id)
	rec.Set("resident", target.GetString("resident"))
	if visit != nil {
		rec.Set("visit", visit.Id)
	}
	rec.Set("instrument", body.Instrument)
	rec.Set("assessedOn", on.String())
	rec.Set("answers", body.Answers)
	return rec, nil
}

// assessmentVisit is the visit the screening was made during: it must be a
// visit to this target.
func assessmentVisit(app core.App, errs validation.Errors, target *core.Record, id string) *core.Record {
	if id == "" {
		return nil
	}
	v, err := app.FindRecordById(watchVisits, id)
	if err != nil || v.GetString("target") != target.Id {
		errs["visitId"] = validation.NewError("invalid_visit", "この方の訪問の記録が見つかりません。")
		return nil
	}
	return v
}

// assessmentDay is the day of the screening: the one given, else the
// visit's day, else today (all in Japan); never in the future.
func assessmentDay(errs validation.Errors, s string, visit *core.Record) civil.Date {
	today := civil.Today()
	if s == "" {
		if visit != nil {
			return civil.DateOf(visit.GetDateTime("at").Time())
		}
		return today
	}
	d, err := civil.Parse(s)
	switch {
	case err != nil:
		errs["assessedOn"] = validation.NewError("invalid_date", "実施日はYYYY-MM-DDの形で入力してください。")
	case d.After(today):
		errs["assessedOn"] = validation.NewError("future_date", "実施日に未来の日付は指定できません。")
	}
	return d
}

// koukiAnswers reads the 15 answers of the questionnaire: the number of the
// chosen option of each item, from 1 (①).
func koukiAnswers(errs validation.Errors, v any) [15]int {
	var choices [15]int
	list, ok := v.([]any)
	switch {
	case v == nil:
		errs["answers"] = validation.NewError("required", "15問の回答（選んだ選択肢の番号、①なら1）を送ってください。")
		return choices
	case !ok:
		errs["answers"] = validation.NewError("invalid_answers", "回答は15個の配列で送ってください（選んだ選択肢の番号、①なら1）。")
		return choices
	case len(list) != len(choices):
		errs["answers"] = validation.NewError("wrong_count", fmt.Sprintf("回答は15問分必要です（送られたのは%d問分です）。", len(list)))
		return choices
	}
	for i, a := range list {
		it := frailty.KoukiItems[i]
		n, isNum := a.(float64)
		if !isNum || n != math.Trunc(n) || n < 1 || int(n) > it.Options {
			errs["answers"] = validation.NewError("invalid_option", fmt.Sprintf("%d番の回答は1〜%dの選択肢の番号で選んでください。", it.No, it.Options))
			return choices
		}
		choices[i] = int(n)
	}
	return choices
}

// assessmentResponse is a stored screening with its results.
type assessmentResponse struct {
	ID             string            `json:"id"`
	Target         string            `json:"target"`
	Visit          string            `json:"visit"`
	Instrument     string            `json:"instrument"`
	AssessedOn     string            `json:"assessedOn"`
	Total          int               `json:"total"`
	BMI            *float64          `json:"bmi"`
	Domains        json.RawMessage   `json:"domains"`
	Criteria       *frailty.Criteria `json:"criteria"`
	JigyoTaishosha bool              `json:"jigyoTaishosha"`
	Frailty        string            `json:"frailty"`
	Flags          []int             `json:"flags"`
	Notes          []string          `json:"notes"`
}

func assessmentResult(rec *core.Record) assessmentResponse {
	out := assessmentResponse{
		ID: rec.Id, Target: rec.GetString("target"), Visit: rec.GetString("visit"), Instrument: rec.GetString("instrument"),
		AssessedOn: rec.GetString("assessedOn"), Total: rec.GetInt("total"), JigyoTaishosha: rec.GetBool("jigyoTaishosha"),
		Frailty: rec.GetString("frailty"), Flags: []int{}, Notes: []string{},
	}
	out.Domains, _ = json.Marshal(rec.Get("domains"))
	_ = rec.UnmarshalJSONField("flags", &out.Flags)
	if out.Instrument == collections.InstrumentKihon {
		bmi := rec.GetFloat("bmi")
		out.BMI = &bmi
		out.Criteria = &frailty.Criteria{}
		_ = rec.UnmarshalJSONField("criteria", out.Criteria)
		out.Notes = kihonNotes(frailty.Result{Total: out.Total, Class: frailty.Class(out.Frailty), Jigyo: out.JigyoTaishosha}, frailtyCutoffs())
		return out
	}
	for _, no := range out.Flags {
		it := frailty.KoukiItems[no-1]
		out.Notes = append(out.Notes, fmt.Sprintf("%d %s：%s", it.No, it.Category, it.Question))
	}
	return out
}
