package hooks

import (
	"fmt"
	"math"
	"net/http"
	"os"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/frailty"
)

const (
	// kihonBodyLimit caps the self-check: 25 booleans and two numbers.
	kihonBodyLimit = 2 << 10
	// Plausible adult measurements; outside them a typo is likelier than a
	// person (e.g. 1.58 for 158 cm).
	minHeightCm, maxHeightCm = 100.0, 220.0
	minWeightKg, maxWeightKg = 20.0, 200.0
)

// bindFrailty serves the public 基本チェックリスト self-check.
func bindFrailty(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Public: anyone may check themselves or a relative before talking to
		// the city. Nothing is stored; the guest limit on /api/lifestage/
		// applies.
		se.Router.POST("/api/lifestage/frailty/kihon", kihonCheck).Bind(apis.BodyLimit(kihonBodyLimit))
		return se.Next()
	})
}

type kihonResponse struct {
	Total          int              `json:"total"`
	BMI            *float64         `json:"bmi"`
	Domains        frailty.Domains  `json:"domains"`
	Criteria       frailty.Criteria `json:"criteria"`
	JigyoTaishosha bool             `json:"jigyoTaishosha"`
	Frailty        frailty.Class    `json:"frailty"`
	Notes          []string         `json:"notes"`
}

func kihonCheck(e *core.RequestEvent) error {
	body := struct {
		Answers  any `json:"answers"` // any: a wrong shape gets a field error, not a bind error
		HeightCm any `json:"heightCm"`
		WeightKg any `json:"weightKg"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("answers", "invalid_body", "リクエストの形式が正しくありません。")
	}
	errs := validation.Errors{}
	in := kihonInput(errs, body.Answers, body.HeightCm, body.WeightKg)
	if len(errs) > 0 {
		return badInput(errs)
	}
	cutoffs := frailtyCutoffs()
	r := frailty.Score(in, cutoffs)
	bmi := math.Round(r.BMI*10) / 10
	notes := append(kihonNotes(r, cutoffs), "この結果はセルフチェックの目安です。事業対象者かどうかは、市や地域包括支援センターが確認して決めます。")
	return e.JSON(http.StatusOK, kihonResponse{
		Total: r.Total, BMI: &bmi, Domains: r.Domains, Criteria: r.Criteria,
		JigyoTaishosha: r.Jigyo, Frailty: r.Class, Notes: notes,
	})
}

// frailtyCutoffsEnv sets the checklist's frailty cut-offs as
// "prefrail,frail", e.g. "4,7" for the Kyoto-Kameoka study's ≥7. Unset (or
// invalid) means Satake et al. 2016, 4 and 8. The self-check, the recorded
// assessments and the analysis all use it.
const frailtyCutoffsEnv = "LIFESTAGE_FRAILTY_CUTOFFS"

func frailtyCutoffs() frailty.Cutoffs {
	var c frailty.Cutoffs
	v := os.Getenv(frailtyCutoffsEnv)
	if v == "" {
		return frailty.DefaultCutoffs
	}
	if _, err := fmt.Sscanf(v, "%d,%d", &c.PrefrailFrom, &c.FrailFrom); err != nil || c.Check() != nil {
		return frailty.DefaultCutoffs
	}
	return c
}

// kihonInput reads and checks a checklist: the 25 answers and the height
// and weight. Item 12 needs both: without them ③ 低栄養 and the total could
// not be decided, so the checklist asks for them rather than guess.
func kihonInput(errs validation.Errors, answers, heightCm, weightKg any) frailty.Input {
	in := frailty.Input{}
	in.Yes = kihonAnswers(errs, answers)
	in.HeightCm = measurement(errs, "heightCm", heightCm, minHeightCm, maxHeightCm,
		fmt.Sprintf("身長をcm単位で入力してください（%.0f〜%.0f）。", minHeightCm, maxHeightCm))
	in.WeightKg = measurement(errs, "weightKg", weightKg, minWeightKg, maxWeightKg,
		fmt.Sprintf("体重をkg単位で入力してください（%.0f〜%.0f）。", minWeightKg, maxWeightKg))
	return in
}

// kihonAnswers reads the 25 answers: true = はい, false = いいえ, and null for
// item 12, which the height and weight answer.
func kihonAnswers(errs validation.Errors, v any) [frailty.Items]bool {
	var yes [frailty.Items]bool
	list, ok := v.([]any)
	switch {
	case v == nil:
		errs["answers"] = validation.NewError("required", "25問の回答（はい＝true、いいえ＝false、12番はnull）を送ってください。")
		return yes
	case !ok:
		errs["answers"] = validation.NewError("invalid_answers", "回答は25個の配列で送ってください（はい＝true、いいえ＝false、12番はnull）。")
		return yes
	case len(list) != frailty.Items:
		errs["answers"] = validation.NewError("wrong_count", fmt.Sprintf("回答は25問分必要です（送られたのは%d問分です）。", len(list)))
		return yes
	}
	for i, a := range list {
		no := i + 1
		b, isBool := a.(bool)
		switch {
		case no == frailty.BMIItem && a != nil:
			errs["answers"] = validation.NewError("item12_not_null", "12番（BMI）は身長と体重から計算するため、回答はnullにしてください。")
			return yes
		case no != frailty.BMIItem && !isBool:
			errs["answers"] = validation.NewError("not_boolean", fmt.Sprintf("%d番の回答が、はい（true）・いいえ（false）のどちらでもありません。", no))
			return yes
		}
		yes[i] = b
	}
	return yes
}

// measurement reads a required JSON number within [least, most].
func measurement(errs validation.Errors, field string, v any, least, most float64, msg string) float64 {
	n, ok := v.(float64)
	switch {
	case v == nil:
		errs[field] = validation.NewError("required", msg)
	case !ok:
		errs[field] = validation.NewError("invalid_number", msg)
	case n < least || n > most:
		errs[field] = validation.NewError("out_of_range", msg)
	}
	return n
}

// kihonNotes explain the result in plain Japanese, with the cut-offs in use.
func kihonNotes(r frailty.Result, c frailty.Cutoffs) []string {
	notes := []string{}
	switch r.Class {
	case frailty.Frail:
		notes = append(notes, fmt.Sprintf("合計%d点で、フレイル（虚弱）の目安（%d点以上）にあたります。", r.Total, c.FrailFrom))
	case frailty.Prefrail:
		notes = append(notes, fmt.Sprintf("合計%d点で、プレフレイル（フレイルの手前）の目安（%d〜%d点）にあたります。", r.Total, c.PrefrailFrom, c.FrailFrom-1))
	default:
		notes = append(notes, fmt.Sprintf("合計%d点で、健常の目安（0〜%d点）にあたります。", r.Total, c.PrefrailFrom-1))
	}
	if r.Jigyo {
		notes = append(notes, "介護予防・生活支援サービス事業の対象者の基準に当てはまる項目があります。地域包括支援センターまたは市の高齢者福祉の窓口にご相談ください。")
	}
	return notes
}
