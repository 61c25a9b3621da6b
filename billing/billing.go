// Package billing turns one month of nursery data into invoices: one per
// household and nursery, with the 保育料, the 副食費 of the 3–5 classes, the
// 延長保育料 from the attendance clock and the month's photo orders. It takes
// plain values and never imports PocketBase; package invoicing loads the
// month from the database and stores the result.
//
// Rules decided here (Saijo's own texts are silent on them):
//   - The monthly amounts (保育料, 副食費) are due for a month when the child
//     is enrolled on its first day, as the household's tier is fixed on the
//     first day (各月初日). A child who leaves during the month pays the
//     whole month; a child who starts after the first pays nothing for it.
//     Saijo's pro-rating (日割り) is unknown, so such invoices carry a note
//     for staff instead of a guessed amount.
//   - Extended care is billed for every day the child attended, whatever
//     the enrolment dates, because it is a charge for use.
//   - Siblings are counted per household across every nursery in the data,
//     from the eldest, among the preschool children enrolled on the first
//     day (認可 places only; lifestage holds no 認可外 ones). A low-income
//     household (所得割 below the 副食費 exemption line) counts all its
//     children, of any age, as the national rule says.
//   - A household whose 市民税 for the month's tax year is unknown pays the
//     provisional highest tier, and the invoice says so and is held for a
//     check.
package billing

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/fees"
)

// Line kinds, in the order an invoice lists them for each child.
const (
	KindHoikuryo  = "hoikuryo"  // 保育料
	KindSideDish  = "side_dish" // 副食費
	KindExtension = "extension" // 延長保育料
	KindPhotos    = "photos"    // 写真代
)

// Warning codes. Hold marks the ones that need a look before the invoice
// goes out.
const (
	WarnMissingCheckout   = fees.MissingCheckout
	WarnCheckoutBeforeIn  = fees.CheckoutBeforeStart
	WarnMissingCheckin    = "missing_checkin"
	WarnMissingAssessment = "missing_assessment"
	WarnFeeError          = "fee_error"
	WarnMidMonthStart     = "mid_month_start"
	WarnEnrolledTwice     = "enrolled_twice"
	WarnNoCharges         = "no_charges"
)

// Clock is a time of day in Tokyo, as an offset from midnight; Set is false
// when the nursery has not configured it.
type Clock struct {
	Offset time.Duration
	Set    bool
}

// ParseClock reads "HH:MM"; "" is an unset clock.
func ParseClock(s string) (Clock, error) {
	if s == "" {
		return Clock{}, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return Clock{}, fmt.Errorf("billing: %q is not HH:MM", s)
	}
	return Clock{Offset: time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, Set: true}, nil
}

// Settings are one nursery's billing settings.
type Settings struct {
	// StandardFrom and ShortFrom start the certified daily window of a
	// standard-hours and a short-hours child; unset, extended care is the
	// time present beyond the certified hours.
	StandardFrom, ShortFrom Clock
	ExtensionUnit           time.Duration // 0: the nursery bills no extended care
	ExtensionPrice          int           // yen per started unit
	ExtensionCap            int           // yen per child and month; 0 for none
	SideDish                int           // 副食費 per month (3–5 classes); 0 for none
}

// Enrolment is a child's place in a nursery.
type Enrolment struct {
	Child, ChildName string
	Birth            civil.Date
	Household        string
	Nursery          string
	Hours            fees.Hours
	CertifiedHours   int        // hours a day; 0 uses Hours.Daily
	Start, End       civil.Date // End is zero while enrolled
}

// enrolledOn reports whether the child holds the place on a day.
func (e Enrolment) enrolledOn(d civil.Date) bool {
	return !e.Start.After(d) && (e.End.IsZero() || !e.End.Before(d))
}

// overlaps reports whether the enrolment touches the month of first..last.
func (e Enrolment) overlaps(first, last civil.Date) bool {
	return !e.Start.After(last) && (e.End.IsZero() || !e.End.Before(first))
}

// Assessment is a household's 市民税 position for one tax year.
type Assessment struct {
	Income    fees.Income
	Protected bool // 要保護者等世帯
}

// Attendance is one day of a child at a nursery. In is zero for a day
// recorded without a check-in (an absence, or a forgotten tap).
type Attendance struct {
	Nursery string
	Date    civil.Date
	In, Out time.Time
}

// PhotoOrder is an order to bill this month.
type PhotoOrder struct {
	ID, Household, Nursery string
	Total                  int
}

// Input is everything a month's run needs, loaded up front.
type Input struct {
	Month civil.Date // any day of the month
	// Table is the fee table of the month's fiscal year.
	Table fees.Table
	// Policy holds the 副食費 exemption lines, which also mark the
	// low-income households whose siblings count without an age limit;
	// its monthly amount is replaced by each nursery's.
	Policy   fees.Policy
	Settings map[string]Settings // by nursery
	// Enrolments should hold every enrolment of the month in every nursery,
	// even when only one nursery is billed, so siblings count right.
	Enrolments []Enrolment
	// Assessments are by household, for the month's tax year
	// (fees.TaxYear); a household missing here pays the provisional fee.
	Assessments map[string]Assessment
	// Children lists, by household, the birth dates of all its children
	// (any age) by child id, for the low-income sibling count.
	Children   map[string]map[string]civil.Date
	Attendance map[string][]Attendance // by child
	Photos     []PhotoOrder
	// Nursery, when set, bills that nursery only.
	Nursery string
}

// Line is one row of an invoice.
type Line struct {
	Kind      string   `json:"kind"`
	Child     string   `json:"child,omitempty"`
	ChildName string   `json:"childName,omitempty"`
	Label     string   `json:"label"`
	Detail    string   `json:"detail,omitempty"`
	Quantity  int      `json:"quantity"`
	Unit      string   `json:"unit"`
	Yen       int      `json:"yen"`
	Notes     []string `json:"notes,omitempty"`
}

// Warning is something staff should know before issuing an invoice.
type Warning struct {
	Code      string `json:"code"`
	Child     string `json:"child,omitempty"`
	ChildName string `json:"childName,omitempty"`
	Date      string `json:"date,omitempty"`
	Message   string `json:"message"`
	// Hold says the invoice needs a check (or a fix and a rerun) before it
	// is issued; the other warnings are for information.
	Hold bool `json:"hold"`
}

// Invoice is one household's bill from one nursery for the month.
type Invoice struct {
	Household, Nursery string
	Lines              []Line
	Total              int
	Warnings           []Warning
	PhotoOrders        []string // ids of the orders on the photos line
}

// Held reports whether a warning asks for a check before issuing.
func (inv Invoice) Held() bool {
	return slices.ContainsFunc(inv.Warnings, func(w Warning) bool { return w.Hold })
}

// ErrNoFeeTable means the input's table is not the month's fiscal year's.
var ErrNoFeeTable = errors.New("billing: no fee table for the month's fiscal year")

// Run bills the month. The same input always gives the same invoices, in
// the same order (by nursery, then household), which is what lets a rerun
// change nothing.
func Run(in Input) ([]Invoice, error) {
	first := civil.Date{Year: in.Month.Year, Month: in.Month.Month, Day: 1}
	last := first.AddMonthsClamped(1).AddDays(-1)
	if in.Table.FiscalYear != civil.FiscalYear(first) || len(in.Table.Rows) == 0 {
		return nil, ErrNoFeeTable
	}
	r := &run{in: in, first: first, last: last, invoices: map[key]*Invoice{}}
	r.countSiblings()
	for _, e := range r.billable() {
		if err := r.bill(e); err != nil {
			return nil, err
		}
	}
	r.photos()
	return r.result(), nil
}

type key struct{ household, nursery string }

type run struct {
	in          Input
	first, last civil.Date
	order       map[string]int    // sibling order by child
	feeNursery  map[string]string // the nursery that bills a child's fee
	invoices    map[key]*Invoice
}

func (r *run) wanted(nursery string) bool { return r.in.Nursery == "" || r.in.Nursery == nursery }

func (r *run) invoice(household, nursery string) *Invoice {
	k := key{household, nursery}
	inv := r.invoices[k]
	if inv == nil {
		inv = &Invoice{Household: household, Nursery: nursery}
		r.invoices[k] = inv
	}
	return inv
}

// byAge orders children from the eldest; the id breaks ties (twins) so the
// order never depends on input order.
func byAge(a, b Enrolment) int {
	if c := a.Birth.Compare(b.Birth); c != 0 {
		return c
	}
	return strings.Compare(a.Child, b.Child)
}

// countSiblings numbers each household's children in care on the first day
// from the eldest, across all nurseries; a low-income household's children
// are numbered among all its children instead. A child holding places in
// two nurseries on the first day has the fee billed once, by the nursery
// whose id sorts first.
func (r *run) countSiblings() {
	inCare := map[string][]Enrolment{}
	r.feeNursery = map[string]string{}
	for _, e := range r.in.Enrolments {
		if !e.enrolledOn(r.first) {
			continue
		}
		n, seen := r.feeNursery[e.Child]
		if !seen {
			inCare[e.Household] = append(inCare[e.Household], e)
		}
		if !seen || e.Nursery < n {
			r.feeNursery[e.Child] = e.Nursery
		}
	}
	r.order = map[string]int{}
	for h, kids := range inCare {
		slices.SortFunc(kids, byAge)
		all := r.allChildren(h)
		for i, k := range kids {
			r.order[k.Child] = i + 1
			if all != nil {
				if j := slices.IndexFunc(all, func(e Enrolment) bool { return e.Child == k.Child }); j >= 0 {
					r.order[k.Child] = max(i, j) + 1
				}
			}
		}
	}
}

// allChildren is the household's children of any age, eldest first, when
// the household is low-income (the national rule counts them all); nil
// otherwise.
func (r *run) allChildren(household string) []Enrolment {
	a, ok := r.in.Assessments[household]
	if !ok || !r.lowIncome(a) {
		return nil
	}
	var all []Enrolment
	for id, birth := range r.in.Children[household] {
		all = append(all, Enrolment{Child: id, Birth: birth})
	}
	slices.SortFunc(all, byAge)
	return all
}

func (r *run) lowIncome(a Assessment) bool {
	tax := a.Income.IncomeTax
	if a.Income.Welfare || a.Income.TaxExempt {
		tax = 0
	}
	limit := r.in.Policy.SideDishExemptBelow
	if a.Protected {
		limit = max(limit, r.in.Policy.SideDishExemptBelowProtected)
	}
	return tax < limit
}

// billable is the enrolments of the billed nurseries that touch the month,
// one per child and nursery (the one holding the place on the first day,
// else the latest), sorted so that lines come out eldest first.
func (r *run) billable() []Enrolment {
	pick := map[key]Enrolment{}
	for _, e := range r.in.Enrolments {
		if !r.wanted(e.Nursery) || !e.overlaps(r.first, r.last) {
			continue
		}
		k := key{e.Child, e.Nursery}
		old, ok := pick[k]
		if !ok || better(e, old, r.first) {
			pick[k] = e
		}
	}
	out := make([]Enrolment, 0, len(pick))
	for _, e := range pick {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Enrolment) int {
		if c := strings.Compare(a.Nursery, b.Nursery); c != 0 {
			return c
		}
		if c := strings.Compare(a.Household, b.Household); c != 0 {
			return c
		}
		return byAge(a, b)
	})
	return out
}

func better(a, b Enrolment, first civil.Date) bool {
	if a.enrolledOn(first) != b.enrolledOn(first) {
		return a.enrolledOn(first)
	}
	return a.Start.After(b.Start)
}

// bill adds one child's lines to the household's invoice of the nursery.
func (r *run) bill(e Enrolment) error {
	inv := r.invoice(e.Household, e.Nursery)
	s := r.in.Settings[e.Nursery]
	if e.enrolledOn(r.first) {
		if r.feeNursery[e.Child] != e.Nursery {
			inv.warn(e, "", WarnEnrolledTwice, true, "%sは月の初日に複数の施設に在籍しています。保育料はこの施設では請求していません。入所記録を確認してください。", e.ChildName)
		} else if err := r.monthly(inv, e, s); err != nil {
			return err
		}
	} else {
		inv.warn(e, "", WarnMidMonthStart, false, "%sは%sからの入所のため、%d月分の保育料・副食費はかかりません（月の初日に在籍している月から請求します）。日割りが必要な場合は保育担当で調整してください。",
			e.ChildName, jpDate(e.Start), r.first.Month)
	}
	r.extension(inv, e, s)
	return nil
}

// monthly adds the 保育料 and, for the 3–5 classes, the 副食費.
func (r *run) monthly(inv *Invoice, e Enrolment, s Settings) error {
	taxYear := fees.TaxYear(r.first)
	a, known := r.in.Assessments[e.Household]
	income := a.Income
	income.TaxYear = taxYear
	if !known {
		top := r.in.Table.Rows[len(r.in.Table.Rows)-1]
		income = fees.Income{IncomeTax: top.IncomeTaxFrom, TaxYear: taxYear}
		inv.warn(e, "", WarnMissingAssessment, true, "世帯の市民税（%d年度）の情報がないため、%sの保育料を仮に最高階層（%s）で計算しています。税額が分かりしだい再計算してください。",
			taxYear, e.ChildName, top.Tier)
	}
	p := r.in.Policy
	p.SideDishMonthly = s.SideDish
	est, err := fees.Compute(r.in.Table, fees.Input{
		Birth: e.Birth, Month: r.first, Hours: e.Hours, Income: income,
		Protected: known && a.Protected, SiblingOrder: max(r.order[e.Child], 1),
	}, p)
	var bad fees.InputErrors
	if errors.As(err, &bad) {
		inv.warn(e, "", WarnFeeError, true, "%sの保育料を計算できません: %s", e.ChildName, bad.Error())
		return nil
	}
	if err != nil {
		return err
	}
	notes := est.Notes
	if !known {
		notes = append(slices.Clone(notes), "市民税の情報がないため仮の額（最高階層）です。")
	}
	inv.add(Line{Kind: KindHoikuryo, Child: e.Child, ChildName: e.ChildName, Label: "保育料",
		Detail: feeDetail(est, e.Hours), Quantity: 1, Unit: "月", Yen: est.Fee, Notes: notes})
	if est.ClassAge >= 3 && s.SideDish > 0 {
		detail := "月額"
		if est.SideDishFee == 0 {
			detail = "免除"
		}
		inv.add(Line{Kind: KindSideDish, Child: e.Child, ChildName: e.ChildName, Label: "副食費",
			Detail: detail, Quantity: 1, Unit: "月", Yen: est.SideDishFee})
	}
	return nil
}

func feeDetail(est fees.Estimate, h fees.Hours) string {
	if est.ClassAge >= 3 {
		return fmt.Sprintf("%d歳児クラス（無償化）", est.ClassAge)
	}
	hours := "保育標準時間"
	if h == fees.Short {
		hours = "保育短時間"
	}
	return fmt.Sprintf("%d歳児クラス・%s階層・%s", est.ClassAge, est.Tier, hours)
}

// extension bills the child's extended care at the nursery from the
// attendance clock; days that cannot be billed become warnings.
func (r *run) extension(inv *Invoice, e Enrolment, s Settings) {
	if s.ExtensionUnit < time.Minute {
		return
	}
	var days []fees.Attendance
	for _, a := range r.in.Attendance[e.Child] {
		if a.Nursery != e.Nursery {
			continue
		}
		switch {
		case a.In.IsZero() && a.Out.IsZero():
			continue // a day recorded without a visit
		case a.In.IsZero():
			inv.warn(e, a.Date.String(), WarnMissingCheckin, true, "%s %sの登園時刻が記録されていません（延長保育料に含めていません）。", e.ChildName, jpDate(a.Date))
			continue
		}
		if d := civil.DateOf(a.In); d.Year != r.first.Year || d.Month != r.first.Month {
			continue // belongs to another month's bill
		}
		days = append(days, fees.Attendance{In: a.In, Out: a.Out})
	}
	if len(days) == 0 {
		return
	}
	bill, err := fees.ExtensionFee(r.first, days, extensionRule(s, e))
	if err != nil {
		inv.warn(e, "", WarnFeeError, true, "%sの延長保育料を計算できません。施設の設定を確認してください。", e.ChildName)
		return
	}
	for _, d := range bill.Days {
		switch d.Problem {
		case fees.MissingCheckout:
			inv.warn(e, d.Date.String(), WarnMissingCheckout, true, "%s %sの降園時刻が記録されていません（延長保育料に含めていません）。", e.ChildName, jpDate(d.Date))
		case fees.CheckoutBeforeStart:
			inv.warn(e, d.Date.String(), WarnCheckoutBeforeIn, true, "%s %sの降園時刻が登園時刻より前です（延長保育料に含めていません）。", e.ChildName, jpDate(d.Date))
		}
	}
	if bill.Units == 0 {
		return
	}
	detail := fmt.Sprintf("%d分単位×%d（1単位 %s）", int(s.ExtensionUnit/time.Minute), bill.Units, yen(s.ExtensionPrice))
	if bill.Capped {
		detail += fmt.Sprintf("、月額上限 %s", yen(s.ExtensionCap))
	}
	inv.add(Line{Kind: KindExtension, Child: e.Child, ChildName: e.ChildName, Label: "延長保育料",
		Detail: detail, Quantity: bill.Units, Unit: "単位", Yen: bill.Yen})
}

// extensionRule is the child's certified window: from the nursery's start
// time for the child's hours, as long as the certified hours; without a
// start time, the certified hours counted from check-in.
func extensionRule(s Settings, e Enrolment) fees.ExtensionRule {
	daily := e.Hours.Daily()
	if e.CertifiedHours > 0 {
		daily = time.Duration(e.CertifiedHours) * time.Hour
	}
	from := s.StandardFrom
	if e.Hours == fees.Short {
		from = s.ShortFrom
	}
	rule := fees.ExtensionRule{Unit: s.ExtensionUnit, PricePerUnit: s.ExtensionPrice, MonthlyCap: s.ExtensionCap, Hours: daily}
	if from.Set {
		rule.Open, rule.Close = from.Offset, min(from.Offset+daily, 24*time.Hour)
	}
	return rule
}

// photos adds each household's orders of the month as one line per
// invoice; a household with orders but no child billed there still gets
// an invoice.
func (r *run) photos() {
	type sum struct {
		n, yen int
		ids    []string
	}
	sums := map[key]*sum{}
	for _, o := range r.in.Photos {
		if !r.wanted(o.Nursery) || o.Household == "" {
			continue
		}
		k := key{o.Household, o.Nursery}
		if sums[k] == nil {
			sums[k] = &sum{}
		}
		sums[k].n++
		sums[k].yen += o.Total
		sums[k].ids = append(sums[k].ids, o.ID)
	}
	for k, s := range sums {
		inv := r.invoice(k.household, k.nursery)
		slices.Sort(s.ids)
		inv.PhotoOrders = s.ids
		inv.add(Line{Kind: KindPhotos, Label: "写真代", Detail: fmt.Sprintf("注文 %d件", s.n), Quantity: s.n, Unit: "件", Yen: s.yen})
	}
}

func (r *run) result() []Invoice {
	out := make([]Invoice, 0, len(r.invoices))
	for _, inv := range r.invoices {
		if len(inv.Lines) == 0 && len(inv.Warnings) > 0 && !inv.Held() {
			// Only notes (a child starting mid-month with no extended care):
			// nothing to bill, but staff should see why.
			inv.Warnings = append(inv.Warnings, Warning{Code: WarnNoCharges, Hold: true, Message: "今月の請求額はありません。発行は不要です。"})
		}
		out = append(out, *inv)
	}
	slices.SortFunc(out, func(a, b Invoice) int {
		if c := strings.Compare(a.Nursery, b.Nursery); c != 0 {
			return c
		}
		return strings.Compare(a.Household, b.Household)
	})
	return out
}

func (inv *Invoice) add(l Line) {
	inv.Lines = append(inv.Lines, l)
	inv.Total += l.Yen
}

func (inv *Invoice) warn(e Enrolment, date, code string, hold bool, format string, args ...any) {
	inv.Warnings = append(inv.Warnings, Warning{Code: code, Child: e.Child, ChildName: e.ChildName, Date: date,
		Message: fmt.Sprintf(format, args...), Hold: hold})
}

// jpDate writes a date as 10月3日.
func jpDate(d civil.Date) string { return fmt.Sprintf("%d月%d日", d.Month, d.Day) }

// yen formats an amount as 1,200円.
func yen(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + "円"
}
