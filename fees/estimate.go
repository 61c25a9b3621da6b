package fees

import (
	"fmt"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Hours is the certified care time (保育必要量) of a 2号・3号 child.
type Hours string

const (
	Standard Hours = "standard" // 保育標準時間: up to 11 hours a day
	Short    Hours = "short"    // 保育短時間: up to 8 hours a day
)

// Valid reports whether h is one of the two certified care times.
func (h Hours) Valid() bool { return h == Standard || h == Short }

// Daily is the certified care time of one day (domain-data.md §5.1).
func (h Hours) Daily() time.Duration {
	if h == Short {
		return 8 * time.Hour
	}
	return 11 * time.Hour
}

func (h Hours) label() string {
	if h == Short {
		return "保育短時間"
	}
	return "保育標準時間"
}

// Income is a household's 市町村民税 position for one tax year.
type Income struct {
	Welfare   bool // 生活保護世帯 or a 里親 household: tier A
	TaxExempt bool // 市民税非課税世帯: tier B
	// IncomeTax is the 市民税所得割額 of the parents (and of the 家計の主宰者
	// where Saijo adds one), summed, in whole yen; 0 for a household that
	// pays only 均等割.
	IncomeTax int
	// TaxYear is the fiscal year of the assessment (令和N年度 as a western
	// year), or 0 when the caller already picked the year TaxYear(month)
	// names. A billing run that keeps several years should set it, so that
	// a wrong year is an error rather than a wrong fee.
	TaxYear int
}

// TaxYear is the fiscal year whose 市民税 sets a month's fee: April to
// August use the previous year's, because the current assessment is only
// known from June; September to March use the current year's (§5.3).
func TaxYear(month civil.Date) int {
	fy := civil.FiscalYear(month)
	if month.Month >= time.April && month.Month <= time.August {
		return fy - 1
	}
	return fy
}

// Input is one child in one month: what a billing run knows, or what a
// family types into the estimate.
type Input struct {
	Birth civil.Date
	// Month is any day of the month billed; the household's state on the
	// first day of the month sets its fee (各月初日).
	Month  civil.Date
	Hours  Hours
	Income Income
	// Protected marks a 要保護者等世帯 (ひとり親, 障害者手帳, 特別児童扶養手当
	// and the like), which has its own rate in the low tiers.
	Protected bool
	// SiblingOrder is the child's place, counted from the eldest (1), among
	// the household's preschool children attending nursery, kindergarten or
	// 認定こども園 (not 認可外), as Saijo counts for 多子軽減. The national
	// rule that low-income households count all children without an age
	// limit is the caller's to apply when it counts.
	SiblingOrder int
}

// Policy holds the amounts that are not in the fee table.
type Policy struct {
	// SideDishMonthly is the 副食費 of a 3–5 class child per month. Saijo's
	// amount is not in our sources (domain-data.md §7); NationalPolicy uses
	// the national guide. 0 charges none.
	SideDishMonthly int
	// A household whose 所得割 is below SideDishExemptBelow (ひとり親等:
	// SideDishExemptBelowProtected) pays no 副食費.
	SideDishExemptBelow          int
	SideDishExemptBelowProtected int
}

// NationalSideDishGuide is the national guide for 副食費 (2号, ¥4,500/month).
const NationalSideDishGuide = 4500

// NationalPolicy is the national 副食費 guide and exemption thresholds
// (所得割 57,700円未満; ひとり親等 77,101円未満; §5.5).
func NationalPolicy() Policy {
	return Policy{SideDishMonthly: NationalSideDishGuide, SideDishExemptBelow: 57700, SideDishExemptBelowProtected: 77101}
}

// Estimate is the fee of one child for one month.
type Estimate struct {
	FiscalYear int
	ClassAge   int // 0–5: the class of the fiscal year
	TaxYear    int // the fiscal year of the 市民税 the tier was read from
	Tier       Tier
	TierLabel  string
	// BaseFee is the table's amount for the tier, the hours and the
	// household (protected rate or not), before sibling rules; 0 for the
	// 3–5 classes, whose fee is free (無償化).
	BaseFee int
	// Fee is what the household pays: BaseFee after 無償化 and 多子軽減.
	Fee int
	// SideDishFee is the 副食費 (3–5 classes only), 0 when exempt.
	SideDishFee int
	Notes       []string // Japanese explanations for the family
}

// InputError is one problem with an input. Field is the input's name as
// the API spells it, Code is stable, Message Japanese.
type InputError struct{ Field, Code, Message string }

func (e *InputError) Error() string { return e.Message }

// InputErrors is every problem found in one input.
type InputErrors []*InputError

func (es InputErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, " ")
}

// has reports whether a field already has a problem: one per field.
func (es InputErrors) has(field string) bool {
	for _, e := range es {
		if e.Field == field {
			return true
		}
	}
	return false
}

func (es *InputErrors) add(field, code, format string, args ...any) {
	*es = append(*es, &InputError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Compute is the fee of one child for one month under the table, which
// must be the month's fiscal year's. Bad input gives InputErrors.
func Compute(t Table, in Input, p Policy) (Estimate, error) {
	errs := in.Check()
	month := firstOfMonth(in.Month)
	fy := civil.FiscalYear(month)
	if t.FiscalYear != fy && !errs.has("month") {
		errs.add("month", "no_fee_table", "%sの保育料表がありません。", nendo(fy))
	}
	if len(errs) > 0 {
		return Estimate{}, errs
	}
	row, err := t.Bracket(in.Income)
	if err != nil {
		return Estimate{}, err
	}
	classAge := classAgeIn(in.Birth, fy)
	est := Estimate{FiscalYear: fy, ClassAge: classAge, TaxYear: TaxYear(month), Tier: row.Tier, TierLabel: row.Label}
	est.note("%sの%d歳児クラスです（クラスは年度の初日、4月1日時点の年齢で決まります）。", nendo(fy), classAge)
	est.note("%d月分は%sの市民税所得割額で計算します（4〜8月分は前年度、9〜翌3月分は当年度の税額）。", month.Month, nendo(est.TaxYear))
	est.note("階層は%s（%s）です。", row.Tier, row.Label)

	if classAge >= 3 {
		est.note("3〜5歳児クラスの保育料は、幼児教育・保育の無償化により無料です。")
		est.SideDishFee = sideDish(&est, in, p)
		return est, nil
	}
	protectedRate := in.Protected && row.HasProtectedRate()
	est.BaseFee = row.Amount(in.Hours, in.Protected)
	if protectedRate {
		est.note("%sの月額 %s です（要保護者等世帯の額）。", in.Hours.label(), yen(est.BaseFee))
	} else {
		est.note("%sの月額 %s です。", in.Hours.label(), yen(est.BaseFee))
	}
	// Saijo: all of tier B, and protected households of the tiers with a
	// protected rate (C1–C5), have their second and later children free.
	est.Fee = siblingFee(&est, est.BaseFee, in.SiblingOrder, row.Tier == TierB || protectedRate)
	return est, nil
}

func firstOfMonth(d civil.Date) civil.Date { return civil.Date{Year: d.Year, Month: d.Month, Day: 1} }

// classAgeIn is the class of the fee: a child born after April 1 still
// attends this year's 0歳児クラス, though by the school rule it belongs to
// next year's.
func classAgeIn(birth civil.Date, fy int) int { return max(civil.ClassAge(birth, fy), 0) }

// Check lists every problem of the input that does not need a fee table,
// so that an edge can report them all at once; nil when there is none.
func (in Input) Check() InputErrors {
	var errs InputErrors
	month := firstOfMonth(in.Month)
	if !in.Hours.Valid() {
		errs.add("hours", "invalid_hours", "保育時間は standard（保育標準時間）か short（保育短時間）を指定してください。")
	}
	switch {
	case in.Income.IncomeTax < 0:
		errs.add("incomeTax", "negative", "市民税所得割額は0円以上で入力してください。")
	case in.Income.TaxExempt && !in.Income.Welfare && in.Income.IncomeTax > 0:
		errs.add("incomeTax", "exempt_with_tax", "市民税非課税世帯の所得割額は0円です。")
	case in.Income.TaxYear != 0 && in.Income.TaxYear != TaxYear(month):
		errs.add("incomeTax", "wrong_tax_year", "%d月分の保育料は%sの市民税で計算します（%sの税額が渡されました）。",
			month.Month, nendo(TaxYear(month)), nendo(in.Income.TaxYear))
	}
	if in.SiblingOrder < 1 {
		errs.add("siblingOrder", "invalid_order", "きょうだいの順番は1（第1子）以上で指定してください。")
	}
	switch {
	case month.Before(firstOfMonth(in.Birth)):
		errs.add("month", "before_birth", "対象月が生まれた月より前になっています。")
	case classAgeIn(in.Birth, civil.FiscalYear(month)) > 5:
		errs.add("birthDate", "school_age", "小学校に入学している年齢の子どもは、保育料の対象ではありません。")
	}
	return errs
}

// siblingFee applies 多子軽減: the second child pays half, the third and
// later nothing; freeFromSecond makes the second free too. Saijo's table
// says only 「半額」; we round half down to whole yen (in the family's
// favour). Every FY2026 amount is even, so nothing is rounded today.
func siblingFee(est *Estimate, base, order int, freeFromSecond bool) int {
	switch {
	case base == 0 || order == 1:
		return base
	case order >= 3:
		est.note("第3子以降のため無料です。")
		return 0
	case freeFromSecond:
		est.note("B階層の世帯、または要保護者等世帯の第2子以降のため無料です。")
		return 0
	}
	est.note("第2子のため半額（円未満切り捨て）の %s です。", yen(base/2))
	return base / 2
}

// sideDish is the 副食費 of a 3–5 class child, or 0 when exempt: low
// 所得割 (households on welfare or tax-exempt have none) and third and
// later children (§5.5).
func sideDish(est *Estimate, in Input, p Policy) int {
	tax := in.Income.IncomeTax
	if in.Income.Welfare || in.Income.TaxExempt {
		tax = 0
	}
	limit := p.SideDishExemptBelow
	if in.Protected {
		limit = max(limit, p.SideDishExemptBelowProtected)
	}
	switch {
	case p.SideDishMonthly == 0:
		return 0
	case tax < limit:
		est.note("市民税所得割額が %s 未満のため、副食費（おかず・おやつ代）は免除です。", yen(limit))
		return 0
	case in.SiblingOrder >= 3:
		est.note("第3子以降のため、副食費（おかず・おやつ代）は免除です。")
		return 0
	}
	est.note("副食費（おかず・おやつ代）として月額 %s が別にかかります。", yen(p.SideDishMonthly))
	return p.SideDishMonthly
}

func (e *Estimate) note(format string, args ...any) {
	e.Notes = append(e.Notes, fmt.Sprintf(format, args...))
}

// nendo names a fiscal year the way the city's documents do: 令和8年度.
func nendo(fy int) string {
	switch {
	case fy == 2019:
		return "令和元年度"
	case fy > 2019:
		return fmt.Sprintf("令和%d年度", fy-2018)
	}
	return fmt.Sprintf("%d年度", fy)
}

// yen formats an amount as 14,800円.
func yen(n int) string {
	if n < 0 {
		return "-" + yen(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + "円"
}
