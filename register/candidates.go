package register

import (
	"slices"

	"github.com/saijo-dx/lifestage/civil"
)

// Household conditions of a candidate rule, and the kinds a household is
// shown as.
const (
	HouseholdAlone       = "alone"       // 一人暮らし（65歳以上の単身）
	HouseholdElderlyOnly = "elderlyOnly" // 高齢者のみの世帯（一人暮らしを含む）
	HouseholdAny         = "any"         // 世帯を問わない
	HouseholdOther       = "other"       // 上のどちらでもない世帯（表示用）
)

// HouseholdConditions lists the values a rule may hold.
var HouseholdConditions = []string{HouseholdAlone, HouseholdElderlyOnly, HouseholdAny}

// Rule proposes as candidates the residents of at least MinAge in the
// household kind, in one of Areas (any area when empty).
type Rule struct {
	ID        string
	Name      string
	MinAge    int
	Household string
	Areas     []string
}

// Resident is what a rule looks at.
type Resident struct {
	BirthDate   civil.Date
	AreaID      string
	LivingAlone bool
	ElderlyOnly bool
}

// HouseholdKind is how a household is shown: alone, elderlyOnly or other.
func HouseholdKind(livingAlone, elderlyOnly bool) string {
	switch {
	case livingAlone:
		return HouseholdAlone
	case elderlyOnly:
		return HouseholdElderlyOnly
	}
	return HouseholdOther
}

// Matches reports whether the rule proposes the resident on the date. Age
// is the legal age of civil.AgeOn: 75 from the day before the 75th birthday.
func (r Rule) Matches(p Resident, on civil.Date) bool {
	if civil.AgeOn(p.BirthDate, on) < r.MinAge {
		return false
	}
	if len(r.Areas) > 0 && !slices.Contains(r.Areas, p.AreaID) {
		return false
	}
	switch r.Household {
	case HouseholdAlone:
		return p.LivingAlone
	case HouseholdElderlyOnly:
		// One elderly person living alone is an elderly-only household too.
		return p.ElderlyOnly || p.LivingAlone
	}
	return true
}

// Matching returns the rules that propose the resident, in rule order.
func Matching(rules []Rule, p Resident, on civil.Date) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.Matches(p, on) {
			out = append(out, r)
		}
	}
	return out
}

// LatestBirth is the latest birth date of a person aged at least age on
// the date, so a query can narrow by birth date before the rules run
// (birthDate <= LatestBirth). Born on it, the person turned age on the
// date, by civil.AgeOn's rule; the day is clamped for February 29.
func LatestBirth(age int, on civil.Date) civil.Date {
	next := on.AddDays(1)
	y := next.Year - age
	return civil.Date{Year: y, Month: next.Month, Day: min(next.Day, civil.DaysIn(y, next.Month))}
}

// Loosest is the rule reaching furthest: the lowest minimum age, and
// whether any rule takes households of every kind. A query narrowed by it
// returns a superset of every rule's candidates.
func Loosest(rules []Rule) (minAge int, anyHousehold bool) {
	for i, r := range rules {
		if i == 0 || r.MinAge < minAge {
			minAge = r.MinAge
		}
		anyHousehold = anyHousehold || r.Household == HouseholdAny
	}
	return minAge, anyHousehold
}

// DefaultRule is a rule a new city starts with.
type DefaultRule struct {
	Rule
	Active bool
	Note   string
}

// DefaultRules are the rules loaded when the city has none: the people the
// city's own 見守り targets first (75 and over living alone; 80 and over in
// an elderly-only household), and one wider rule left off for staff to
// switch on.
var DefaultRules = []DefaultRule{
	{Rule{Name: "75歳以上の一人暮らし", MinAge: 75, Household: HouseholdAlone}, true,
		"独居の後期高齢者。見守りの最優先。"},
	{Rule{Name: "80歳以上の高齢者のみの世帯", MinAge: 80, Household: HouseholdElderlyOnly}, true,
		"夫婦とも高齢など、家族の支えが近くにない世帯。"},
	{Rule{Name: "90歳以上（世帯を問わない）", MinAge: 90, Household: HouseholdAny}, false,
		"同居家族が日中不在の場合に備える。必要に応じて有効にする。"},
}
