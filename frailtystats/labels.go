package frailtystats

import (
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/frailty"
)

// Band is an age band of the cross-section.
type Band struct {
	Key, Label string
	From       int // first age in the band
}

// AgeBands are the five-year bands of the analysis, youngest first. Ages
// are on the day of the assessment; "under65" catches people screened
// early (a target may be registered before 65).
var AgeBands = []Band{
	{"under65", "65歳未満", 0},
	{"65-69", "65〜69歳", 65},
	{"70-74", "70〜74歳", 70},
	{"75-79", "75〜79歳", 75},
	{"80-84", "80〜84歳", 80},
	{"85+", "85歳以上", 85},
}

var unknownAge = Band{"unknown", "年齢不明", -1}

func ageBand(birth, on civil.Date) Band {
	if birth.IsZero() {
		return unknownAge
	}
	age := civil.AgeOn(birth, on)
	band := AgeBands[0]
	for _, b := range AgeBands {
		if age >= b.From {
			band = b
		}
	}
	return band
}

type sex struct{ key, label string }

var sexes = []sex{{"female", "女性"}, {"male", "男性"}}

func sexOf(s string) sex {
	for _, x := range sexes {
		if x.key == s {
			return x
		}
	}
	return sex{"unknown", "不明"}
}

// CriteriaLabels names the 事業対象者 criteria ①–⑦ and the whole, in the
// order of the 地域支援事業実施要綱.
var CriteriaLabels = []struct{ Key, Label string }{
	{"multiple", "① 複数の項目に支障（1〜20のうち10項目以上）"},
	{"physical", "② 運動機能の低下（6〜10のうち3項目以上）"},
	{"nutrition", "③ 低栄養状態（11・12の両方）"},
	{"oral", "④ 口腔機能の低下（13〜15のうち2項目以上）"},
	{"housebound", "⑤ 閉じこもり（16）"},
	{"cognitive", "⑥ 認知機能の低下（18〜20のうち1項目以上）"},
	{"depression", "⑦ うつ病の可能性（21〜25のうち2項目以上）"},
	{"jigyoTaishosha", "事業対象者（①〜⑦のいずれか）"},
}

// criteriaOf lists the criteria in CriteriaLabels order.
func criteriaOf(x *Assessment) []bool {
	c := x.Criteria
	return []bool{c.Multiple, c.Physical, c.Nutrition, c.Oral, c.Housebound, c.Cognitive, c.Depression, x.Jigyo}
}

// ClassLabel is the Japanese name of a class.
func ClassLabel(c frailty.Class) string {
	switch c {
	case frailty.Frail:
		return "フレイル"
	case frailty.Prefrail:
		return "プレフレイル"
	}
	return "健常"
}

// ChangeLabel is the Japanese name of a change.
func ChangeLabel(c Change) string {
	switch c {
	case Improved:
		return "改善"
	case Worse:
		return "悪化"
	}
	return "維持"
}
