package collections

import (
	"math"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/frailty"
)

// Frailty instruments recorded for a watch target.
const (
	InstrumentKihon = "kihon" // 基本チェックリスト (25 items)
	InstrumentKouki = "kouki" // 後期高齢者の質問票 (15 items)
)

// FrailtyAssessments is the collection of recorded frailty screenings.
const FrailtyAssessments = "frailty_assessments"

func init() {
	register(Spec{
		Name: FrailtyAssessments, System: SystemWatch, Personal: true, Sensitive: true, Subject: "resident",
		Description: "フレイルの調査結果（基本チェックリスト・後期高齢者の質問票）。見守りの訪問時などに記録し、判定はサーバーが回答から計算する",
		Fields: []core.Field{
			&core.RelationField{Name: "target", Required: true, MaxSelect: 1, CollectionId: Id("watch_targets"), CascadeDelete: true, Help: "見守り対象者"},
			&core.RelationField{Name: "resident", MaxSelect: 1, CollectionId: Id("residents"), Help: "対象の住民（見守り対象者から自動設定。監査記録の本人）"},
			&core.RelationField{Name: "visit", MaxSelect: 1, CollectionId: Id("watch_visits"), Help: "記録した訪問（訪問時に実施した場合）"},
			&core.SelectField{Name: "instrument", Required: true, MaxSelect: 1, Values: []string{InstrumentKihon, InstrumentKouki}, Help: "調査票: kihon=基本チェックリスト（25項目）, kouki=後期高齢者の質問票（15項目）"},
			civilDate("assessedOn", "実施日（YYYY-MM-DD）", true),
			&core.JSONField{Name: "answers", MaxSize: 1024, Help: "回答。基本チェックリストは25個（はい=true、いいえ=false、12番はnull）、質問票は15個の選択肢番号（1から）"},
			&core.NumberField{Name: "heightCm", Min: ptr(0.0), Max: ptr(300.0), Help: "身長（cm。基本チェックリストの12番に使う）"},
			&core.NumberField{Name: "weightKg", Min: ptr(0.0), Max: ptr(500.0), Help: "体重（kg。基本チェックリストの12番に使う）"},
			&core.NumberField{Name: "total", OnlyInt: true, Min: ptr(0.0), Help: "合計点（基本チェックリスト0〜25点）、質問票は該当した項目の数（サーバーが計算）"},
			&core.NumberField{Name: "bmi", Min: ptr(0.0), Help: "BMI（小数第1位。サーバーが計算）"},
			&core.JSONField{Name: "domains", MaxSize: 1024, Help: "領域ごとの該当数（基本チェックリストは生活機能・運動器・栄養・口腔・閉じこもり・認知・うつの点数、質問票は類型ごとの該当項目数。サーバーが計算）"},
			&core.JSONField{Name: "criteria", MaxSize: 1024, Help: "事業対象者の基準①〜⑦のそれぞれに当てはまるか（基本チェックリストのみ。サーバーが計算）"},
			&core.BoolField{Name: "jigyoTaishosha", Help: "事業対象者の基準のいずれかに当てはまる（基本チェックリストのみ。サーバーが計算）"},
			&core.SelectField{Name: "frailty", MaxSelect: 1, Values: []string{string(frailty.Robust), string(frailty.Prefrail), string(frailty.Frail)}, Help: "合計点による判定: robust=健常, prefrail=プレフレイル, frail=フレイル（基本チェックリストのみ。記録時の基準でサーバーが計算）"},
			&core.JSONField{Name: "flags", MaxSize: 1024, Help: "該当（リスク・懸念あり）となった項目の番号（サーバーが計算）"},
			&core.TextField{Name: "recordedBy", Max: 15, Help: "記録したアカウントのID"},
			&core.TextField{Name: "recordedByCollection", Max: 50, Help: "記録したアカウントの種別（volunteers=見守り協力員, city_staff=市職員）"},
		},
		Indexes: []Index{
			{Name: "idx_frailty_assessments_target_on", Columns: "target, assessedOn"},
			{Name: "idx_frailty_assessments_resident", Columns: "resident"},
			{Name: "idx_frailty_assessments_visit", Columns: "visit"},
			{Name: "idx_frailty_assessments_instrument_on", Columns: "instrument, assessedOn"},
		},
		// Written only by the assessment route, which scores the answers
		// itself: a client can never store a result it made up. 高齢福祉担当
		// and the target's volunteer read them.
		Rules: Rules{
			List: anyOf(cityStaffIn(DeptElderly), allOf(authIs(Volunteers), `target.volunteer = @request.auth.id`)),
			View: anyOf(cityStaffIn(DeptElderly), allOf(authIs(Volunteers), `target.volunteer = @request.auth.id`)),
		},
	})
}

// KihonResultFields are the server-computed fields of a scored 基本チェック
// リスト, for the route and the demo to store alike.
func KihonResultFields(r frailty.Result) map[string]any {
	var flags []int
	for i, risk := range r.Risk {
		if risk {
			flags = append(flags, i+1)
		}
	}
	return map[string]any{
		"total": r.Total, "bmi": math.Round(r.BMI*10) / 10, "domains": r.Domains, "criteria": r.Criteria,
		"jigyoTaishosha": r.Jigyo, "frailty": string(r.Class), "flags": nonNil(flags),
	}
}

// KoukiResultFields are the server-computed fields of a 後期高齢者の質問票.
func KoukiResultFields(flags []int) map[string]any {
	return map[string]any{
		"total": len(flags), "bmi": 0, "domains": frailty.KoukiDomains(flags), "criteria": nil,
		"jigyoTaishosha": false, "frailty": "", "flags": nonNil(flags),
	}
}

func nonNil(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}
