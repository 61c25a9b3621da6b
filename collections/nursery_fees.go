package collections

import "github.com/pocketbase/pocketbase/core"

// FeeTables is the city's nursery fee table (保育料基準額表), one row per
// fiscal year and tier. It is public information, so anyone may read it;
// only 保育担当 staff correct it, and nobody deletes a year's rows (a
// wrong amount is corrected in place).
const FeeTables = "fee_tables"

// TierPattern is a tier code of the fee table: A, B, C1, C2 ….
const TierPattern = `^(A|B|C[1-9][0-9]?)$`

func yenField(name, help string) core.Field {
	return &core.NumberField{Name: name, OnlyInt: true, Min: ptr(0.0), Max: ptr(10_000_000.0), Help: help}
}

func init() {
	register(Spec{
		Name: FeeTables, System: SystemNursery,
		Description: "保育料基準額表（2号・3号認定、月額）。年度・階層ごとに1行。公開情報。保育料の試算と請求はこの表を使う",
		Fields: []core.Field{
			&core.NumberField{Name: "fiscalYear", Required: true, OnlyInt: true, Min: ptr(2019.0), Max: ptr(2100.0), Help: "年度（西暦、4月始まり。2026 = 令和8年度）"},
			&core.TextField{Name: "tier", Required: true, Max: 3, Pattern: TierPattern, Presentable: true, Help: "階層: A=生活保護世帯・里親, B=市民税非課税世帯, C1〜=市民税所得割額による階層"},
			&core.TextField{Name: "label", Max: 100, Help: "区分（表のとおりの文言。例: 所得割 48,600以上57,700円未満）"},
			yenField("incomeTaxFrom", "市民税所得割額の下限（円、この額以上）。C階層のみ。A・Bは世帯の状況で決まるため0"),
			yenField("incomeTaxBelow", "市民税所得割額の上限（円、この額未満）。0は上限なし（最上位の階層）"),
			yenField("standard", "保育標準時間の月額（円）"),
			yenField("short", "保育短時間の月額（円）"),
			yenField("protectedStandard", "要保護者等世帯（ひとり親・障害者手帳・特別児童扶養手当等）の保育標準時間の月額（円）。0は別額なし（一般の額を適用）"),
			yenField("protectedShort", "要保護者等世帯の保育短時間の月額（円）。0は別額なし（一般の額を適用）"),
			&core.TextField{Name: "source", Max: 1000, Help: "出典（市の基準額表の名称・URL、転記元）"},
		},
		Indexes: []Index{
			{Name: "idx_fee_tables_year_tier", Unique: true, Columns: "fiscalYear, tier"},
		},
		Rules: Rules{
			List: public(), View: public(),
			Create: rule(cityStaffIn(DeptNursery)),
			Update: rule(cityStaffIn(DeptNursery)),
		},
	})
}
