// Package frailty scores the elderly self-checks of the 見守り system: the
// 基本チェックリスト (Kihon Checklist, 25 items) and the flags of the
// 後期高齢者の質問票 (15 items). It is pure: no PocketBase, no I/O.
//
// Source: /work/shared/reference/domain-data.md §4 (MHLW 様式, 地域支援事業実施要綱
// for the 事業対象者 criteria, Satake et al. 2016 for the frailty cut-offs).
package frailty

import "fmt"

// Domain groups checklist items as the MHLW 様式 does.
type Domain string

const (
	IADL       Domain = "iadl"       // 1–5 生活機能 (no stand-alone criterion)
	Physical   Domain = "physical"   // 6–10 運動器
	Nutrition  Domain = "nutrition"  // 11–12 栄養
	Oral       Domain = "oral"       // 13–15 口腔
	Housebound Domain = "housebound" // 16–17 閉じこもり
	Cognitive  Domain = "cognitive"  // 18–20 認知機能
	Depression Domain = "depression" // 21–25 うつ
)

// Items is the number of checklist items.
const Items = 25

// BMIItem is the item (1-based) scored from height and weight, not from an
// answer.
const BMIItem = 12

// LowBMI is item 12's threshold: BMI below it scores 1; 18.5 itself does not.
const LowBMI = 18.5

// Item is one checklist question. RiskYes says which answer scores the
// point: true when はい is the risk (e.g. 9 転んだことがありますか), false
// when いいえ is (e.g. 1 バスや電車で1人で外出していますか).
type Item struct {
	No       int
	Question string
	RiskYes  bool
	Domain   Domain
}

// Checklist is the 25 items in order, as in the MHLW 様式.
var Checklist = [Items]Item{
	{1, "バスや電車で1人で外出していますか", false, IADL},
	{2, "日用品の買物をしていますか", false, IADL},
	{3, "預貯金の出し入れをしていますか", false, IADL},
	{4, "友人の家を訪ねていますか", false, IADL},
	{5, "家族や友人の相談にのっていますか", false, IADL},
	{6, "階段を手すりや壁をつたわらずに昇っていますか", false, Physical},
	{7, "椅子に座った状態から何もつかまらずに立ち上がっていますか", false, Physical},
	{8, "15分位続けて歩いていますか", false, Physical},
	{9, "この1年間に転んだことがありますか", true, Physical},
	{10, "転倒に対する不安は大きいですか", true, Physical},
	{11, "6ヵ月間で2～3kg以上の体重減少がありましたか", true, Nutrition},
	{12, "身長・体重（BMI＝体重(kg)÷身長(m)÷身長(m)が18.5未満の場合に該当）", false, Nutrition},
	{13, "半年前に比べて固いものが食べにくくなりましたか", true, Oral},
	{14, "お茶や汁物等でむせることがありますか", true, Oral},
	{15, "口の渇きが気になりますか", true, Oral},
	{16, "週に1回以上は外出していますか", false, Housebound},
	{17, "昨年と比べて外出の回数が減っていますか", true, Housebound},
	{18, "周りの人から「いつも同じ事を聞く」などの物忘れがあると言われますか", true, Cognitive},
	{19, "自分で電話番号を調べて、電話をかけることをしていますか", false, Cognitive},
	{20, "今日が何月何日かわからない時がありますか", true, Cognitive},
	{21, "（ここ2週間）毎日の生活に充実感がない", true, Depression},
	{22, "（ここ2週間）これまで楽しんでやれていたことが楽しめなくなった", true, Depression},
	{23, "（ここ2週間）以前は楽にできていたことが今ではおっくうに感じられる", true, Depression},
	{24, "（ここ2週間）自分が役に立つ人間だと思えない", true, Depression},
	{25, "（ここ2週間）わけもなく疲れたような感じがする", true, Depression},
}

// Input is one filled-in checklist.
type Input struct {
	// Yes[i] is true when item i+1 was answered はい. Yes[BMIItem-1] is
	// ignored: item 12 comes from the height and weight.
	Yes [Items]bool
	// HeightCm and WeightKg give item 12. Zero means not measured; item 12
	// is then unknown (see Result.BMIKnown).
	HeightCm, WeightKg float64
}

// Class is the frailty status by total score.
type Class string

const (
	Robust   Class = "robust"   // 健常
	Prefrail Class = "prefrail" // プレフレイル
	Frail    Class = "frail"    // フレイル
)

// Cutoffs are the totals where a class starts. The defaults are Satake et
// al. 2016 (3/4 and 7/8); Kyoto-Kameoka used ≥7 for frail, so they are
// configurable.
type Cutoffs struct {
	PrefrailFrom int
	FrailFrom    int
}

// DefaultCutoffs: 0–3 robust, 4–7 prefrail, 8+ frail.
var DefaultCutoffs = Cutoffs{PrefrailFrom: 4, FrailFrom: 8}

// Check rejects cut-offs that would leave a class unreachable in the wrong
// order.
func (c Cutoffs) Check() error {
	if c.PrefrailFrom < 1 || c.FrailFrom < c.PrefrailFrom || c.FrailFrom > Items {
		return fmt.Errorf("frailty: cut-offs must satisfy 1 ≤ prefrail (%d) ≤ frail (%d) ≤ %d", c.PrefrailFrom, c.FrailFrom, Items)
	}
	return nil
}

// Classify maps a total to its class.
func (c Cutoffs) Classify(total int) Class {
	switch {
	case total >= c.FrailFrom:
		return Frail
	case total >= c.PrefrailFrom:
		return Prefrail
	}
	return Robust
}

// Domains are the points per domain.
type Domains struct {
	IADL       int `json:"iadl"`
	Physical   int `json:"physical"`
	Nutrition  int `json:"nutrition"`
	Oral       int `json:"oral"`
	Housebound int `json:"housebound"`
	Cognitive  int `json:"cognitive"`
	Depression int `json:"depression"`
}

func (d *Domains) add(dom Domain) {
	switch dom {
	case IADL:
		d.IADL++
	case Physical:
		d.Physical++
	case Nutrition:
		d.Nutrition++
	case Oral:
		d.Oral++
	case Housebound:
		d.Housebound++
	case Cognitive:
		d.Cognitive++
	case Depression:
		d.Depression++
	}
}

// Criteria are the 事業対象者 criteria ①–⑦ of the 地域支援事業実施要綱.
type Criteria struct {
	Multiple   bool `json:"multiple"`   // ① items 1–20: ≥10
	Physical   bool `json:"physical"`   // ② items 6–10: ≥3
	Nutrition  bool `json:"nutrition"`  // ③ items 11–12: both
	Oral       bool `json:"oral"`       // ④ items 13–15: ≥2
	Housebound bool `json:"housebound"` // ⑤ item 16 (17 is for reference only)
	Cognitive  bool `json:"cognitive"`  // ⑥ items 18–20: ≥1
	Depression bool `json:"depression"` // ⑦ items 21–25: ≥2
}

// Any reports whether at least one criterion holds: the person is a
// 事業対象者. The reference lists ①–⑦ with "any one", so ⑦ counts too.
func (c Criteria) Any() bool {
	return c.Multiple || c.Physical || c.Nutrition || c.Oral || c.Housebound || c.Cognitive || c.Depression
}

// Result is a scored checklist.
type Result struct {
	Risk     [Items]bool // Risk[i]: item i+1 scored 1
	Total    int
	BMI      float64 // valid when BMIKnown
	BMIKnown bool
	Domains  Domains
	Criteria Criteria
	Jigyo    bool // 事業対象者
	Class    Class
}

// BMI is weight (kg) ÷ height (m)².
func BMI(heightCm, weightKg float64) float64 {
	m := heightCm / 100
	return weightKg / (m * m)
}

// lowBMI compares with a tolerance so that a BMI that is exactly 18.5 on
// paper (160 cm, 47.36 kg) is not made a risk by floating-point rounding.
func lowBMI(bmi float64) bool {
	return bmi < LowBMI-1e-9
}

// Score scores one checklist. Without both height and weight, item 12 is
// unknown and scores 0, so the total, ① and ③ are lower bounds; callers that
// need a decision must require both (the public route does).
func Score(in Input, c Cutoffs) Result {
	var r Result
	if in.HeightCm > 0 && in.WeightKg > 0 {
		r.BMI, r.BMIKnown = BMI(in.HeightCm, in.WeightKg), true
	}
	for i, it := range Checklist {
		risk := in.Yes[i] == it.RiskYes
		if it.No == BMIItem {
			risk = r.BMIKnown && lowBMI(r.BMI)
		}
		if !risk {
			continue
		}
		r.Risk[i] = true
		r.Total++
		r.Domains.add(it.Domain)
	}
	r.Criteria = Criteria{
		Multiple:   r.points(1, 20) >= 10,
		Physical:   r.Domains.Physical >= 3,
		Nutrition:  r.Domains.Nutrition == 2,
		Oral:       r.Domains.Oral >= 2,
		Housebound: r.Risk[16-1],
		Cognitive:  r.Domains.Cognitive >= 1,
		Depression: r.Domains.Depression >= 2,
	}
	r.Jigyo = r.Criteria.Any()
	r.Class = c.Classify(r.Total)
	return r
}

// points counts the risk items from..to (1-based, inclusive).
func (r Result) points(from, to int) int {
	n := 0
	for _, risk := range r.Risk[from-1 : to] {
		if risk {
			n++
		}
	}
	return n
}
