// Package ratio checks nursery staffing against the national staffing
// standard (保育所の職員配置基準): how many children of each age one member
// of staff may care for. The defaults are the current national figures
// (0歳児 3:1, 1・2歳児 6:1, 3歳児 15:1, 4・5歳児 25:1, the 3- and 4–5-year-old
// figures as revised in 2024); each nursery may set stricter ones
// (nurseries.ratio0 … ratio45).
//
// Rounding. The reference data (../shared/reference/domain-data.md) has
// nothing on 配置基準, so the rule here is a documented choice: the staff a
// group of children needs is the sum, over the age groups, of children ÷
// ratio as exact fractions, rounded UP once at the end. Mixed ages therefore
// share staff (two babies and three 1-year-olds need 2/3 + 3/6 = 1.17, so
// 2), and a class is never reported as staffed when it is short by a
// fraction of a person. The funding rules (公定価格) compute a nursery's
// total by truncating each group to one decimal and rounding the sum half
// up; rounding the exact sum up is never below that, so a class that passes
// here passes there. Sums are kept in integers over the ratios' least
// common multiple, so 6 one-year-olds at 6:1 need exactly 1, never
// 1.0000001.
//
// A nursery as a whole never needs fewer than two staff while children are
// present (the standard's 「二人を下ることはできない」).
//
// The package knows nothing of PocketBase: the caller passes plain counts.
package ratio

import (
	"cmp"
	"slices"
)

// Standard is children per member of staff, by age group.
type Standard struct {
	Age0  int // 0歳児
	Age12 int // 1・2歳児
	Age3  int // 3歳児
	Age45 int // 4・5歳児
}

// National is the national standard, the default of every nursery.
var National = Standard{Age0: 3, Age12: 6, Age3: 15, Age45: 25}

// MinimumStaff is the least a nursery may have while any child is present.
const MinimumStaff = 2

// OrNational replaces unset (zero or negative) ratios by the national ones.
func (s Standard) OrNational() Standard {
	pick := func(v, def int) int {
		if v <= 0 {
			return def
		}
		return v
	}
	return Standard{pick(s.Age0, National.Age0), pick(s.Age12, National.Age12), pick(s.Age3, National.Age3), pick(s.Age45, National.Age45)}
}

// Children counts the children present by age group.
type Children struct {
	Age0, Age12, Age3, Age45 int
}

// Add counts one child of the class age (年齢クラス). A baby born during the
// fiscal year has a class age below 0 and counts as 0.
func (c *Children) Add(classAge int) {
	switch {
	case classAge <= 0:
		c.Age0++
	case classAge <= 2:
		c.Age12++
	case classAge == 3:
		c.Age3++
	default:
		c.Age45++
	}
}

// Plus is the sum of two counts.
func (c Children) Plus(o Children) Children {
	return Children{c.Age0 + o.Age0, c.Age12 + o.Age12, c.Age3 + o.Age3, c.Age45 + o.Age45}
}

// Total is the number of children.
func (c Children) Total() int { return c.Age0 + c.Age12 + c.Age3 + c.Age45 }

// youngest is the strictest group present: 0 for babies … 3 for 4–5, and 4
// for an empty count, so classes with babies come first.
func (c Children) youngest() int {
	for i, n := range []int{c.Age0, c.Age12, c.Age3, c.Age45} {
		if n > 0 {
			return i
		}
	}
	return 4
}

// need is the exact staff need num/den.
func need(s Standard, c Children) (num, den int64) {
	s = s.OrNational()
	den = lcm(lcm(int64(s.Age0), int64(s.Age12)), lcm(int64(s.Age3), int64(s.Age45)))
	num = int64(c.Age0)*(den/int64(s.Age0)) + int64(c.Age12)*(den/int64(s.Age12)) +
		int64(c.Age3)*(den/int64(s.Age3)) + int64(c.Age45)*(den/int64(s.Age45))
	return num, den
}

// Required is the staff the children need: the exact sum rounded up.
func Required(s Standard, c Children) int {
	num, den := need(s, c)
	return int((num + den - 1) / den)
}

// Exact is the unrounded need, for display (e.g. 1.17).
func Exact(s Standard, c Children) float64 {
	num, den := need(s, c)
	return float64(num) / float64(den)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// lcm of ratios of at most 50 stays far below int64's range (the four
// largest coprime ones give about five million).
func lcm(a, b int64) int64 { return a / gcd(a, b) * b }

// Class is one class's children present and the staff present in it.
type Class struct {
	Key      string
	Children Children
	Staff    int
}

// ClassResult is a class's check.
type ClassResult struct {
	Key      string
	Children Children
	Required int
	Exact    float64
	Staff    int // staff checked in to the class
	// Cover is the staff without a class (フリー) lent to this class to meet
	// its need.
	Cover        int
	Understaffed bool
	Short        int // staff still missing after cover
}

// Result is a nursery's check: per class, and for the nursery as a whole.
type Result struct {
	Classes  []ClassResult
	Children Children
	Required int // for the whole nursery, at least MinimumStaff with children present
	Exact    float64
	Staff    int // every member of staff present, with a class or without
	Floating int // staff present without a class
	// Understaffed is true when the nursery as a whole, or any class after
	// the floating staff have been lent out, is short.
	Understaffed bool
}

// Assess checks each class and the nursery. Staff without a class are lent
// to the classes that are short, the classes with the youngest children
// first (their ratios are the strictest and the risk the highest); a class
// is understaffed only when it is still short after that.
func Assess(s Standard, classes []Class, floating int) Result {
	res := Result{Classes: make([]ClassResult, len(classes)), Staff: floating, Floating: floating}
	for i, c := range classes {
		res.Classes[i] = ClassResult{Key: c.Key, Children: c.Children, Required: Required(s, c.Children), Exact: Exact(s, c.Children), Staff: c.Staff}
		res.Children = res.Children.Plus(c.Children)
		res.Staff += c.Staff
	}
	order := make([]int, len(classes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(classes[a].Children.youngest(), classes[b].Children.youngest())
	})
	spare := floating
	for _, i := range order {
		r := &res.Classes[i]
		short := max(r.Required-r.Staff, 0)
		r.Cover = min(short, spare)
		spare -= r.Cover
		r.Short = short - r.Cover
		r.Understaffed = r.Short > 0
		res.Understaffed = res.Understaffed || r.Understaffed
	}
	res.Required, res.Exact = Required(s, res.Children), Exact(s, res.Children)
	if res.Children.Total() > 0 {
		res.Required = max(res.Required, MinimumStaff)
	}
	res.Understaffed = res.Understaffed || res.Staff < res.Required
	return res
}
