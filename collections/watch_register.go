package collections

import (
	"github.com/pocketbase/pocketbase/core"

	extract "github.com/saijo-dx/lifestage/register"
)

// WatchCandidateRules holds the rules that propose residents as watch
// targets (見守り候補の抽出条件).
const WatchCandidateRules = "watch_candidate_rules"

func init() {
	elderly := cityStaffIn(DeptElderly)
	register(Spec{
		Name: WatchCandidateRules, System: SystemWatch,
		Description: "見守り候補の抽出条件。住民記録から、年齢・世帯の状況・地区で見守りの候補者を選ぶ（いずれかの有効な条件に合えば候補）",
		Fields: []core.Field{
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "条件の名前（例: 75歳以上の一人暮らし）"},
			&core.NumberField{Name: "minAge", Required: true, OnlyInt: true, Min: ptr(0.0), Max: ptr(120.0), Help: "この年齢以上の人が候補（法律上の年齢。誕生日の前日に1歳増える）"},
			&core.SelectField{Name: "household", Required: true, MaxSelect: 1, Values: extract.HouseholdConditions,
				Help: "世帯の状況: alone=一人暮らし（65歳以上の単身）, elderlyOnly=65歳以上の者のみの世帯（一人暮らしを含む）, any=問わない"},
			&core.RelationField{Name: "areas", MaxSelect: 100, CollectionId: Id("areas"), Help: "対象の地区（空なら市内全域）"},
			&core.BoolField{Name: "active", Help: "有効か（無効の条件では候補を出さない）"},
			&core.TextField{Name: "note", Max: 500, Help: "条件の趣旨・メモ"},
		},
		Indexes: []Index{
			{Name: "idx_watch_candidate_rules_name", Unique: true, Columns: "name"},
			{Name: "idx_watch_candidate_rules_active", Columns: "active"},
		},
		// Only 高齢福祉担当 choose whom to propose; the rules name no one.
		Rules: Rules{List: rule(elderly), View: rule(elderly), Create: rule(elderly), Update: rule(elderly), Delete: rule(elderly)},
	})
}
