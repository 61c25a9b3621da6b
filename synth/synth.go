// Package synth deterministically generates a synthetic city modelled on
// Saijo city, Ehime, Japan (西条市): about 105,000 residents of whom about
// 34% are aged 65 and over, and about 600 births a year.
//
// Everything produced is synthetic: people are random combinations of
// common surnames and given names, and facility and organisation names are
// fictional. Area (地区) and town names are real places inside the city;
// block numbers in addresses are random, and phone numbers follow the
// obviously fake 0897-55-xxxx pattern.
//
// The package has no dependencies beyond the standard library and returns
// plain Go values. The same Config always yields an identical City.
package synth

import (
	"github.com/saijo-dx/lifestage/saijo"

	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Config controls Generate.
type Config struct {
	// Residents is the number of residents to generate (>= 1). The result
	// always has exactly this many residents: when the remaining number is
	// smaller than a drawn household, a household type that fits is used.
	Residents int
	// Seed selects the city; different seeds give different cities.
	Seed uint64
	// Today is the civil "today"; it is converted to Asia/Tokyo and only
	// its date is used. Birth dates are computed relative to it, so that
	// ages on that day follow the target age structure. A zero Today means
	// the current date (which makes the output depend on the day it runs).
	Today time.Time
}

// City is a generated city.
type City struct {
	Areas         []Area // the 4 districts first, then all sub-areas
	Households    []Household
	Residents     []Resident
	Facilities    []Facility
	Organizations []Organization
}

// Area is a district or a sub-area (地区) of a district.
type Area struct {
	Code     string // stable and unique, e.g. "saijo", "saijo-kambai"
	Name     string // 西条, 東予, 丹原, 小松 for the districts; 地区 names for sub-areas
	Kana     string // katakana reading
	Parent   string // Code of the district for sub-areas, "" for districts
	Lat, Lng float64
}

// Household is one 世帯.
type Household struct {
	Code        string // 世帯番号, unique, "H0000001"
	AreaCode    string // a sub-area code
	Address     string // "愛媛県西条市明屋敷123-4" style; block numbers are random
	LivingAlone bool   // exactly one member, aged 65+ (独居高齢者)
	ElderlyOnly bool   // every member aged 65+ (includes LivingAlone)
	Members     []int  // indexes into City.Residents; Members[0] is the head (世帯主)
}

// Resident is one synthetic person.
type Resident struct {
	Key            string // unique, "R0000001"
	HouseholdCode  string
	FamilyName     string // kanji
	GivenName      string // kanji (occasionally hiragana, e.g. さくら)
	FamilyNameKana string // katakana
	GivenNameKana  string // katakana
	BirthDate      string // "YYYY-MM-DD"
	Sex            string // "male" | "female"
	Relationship   string // 続柄: 世帯主, 妻, 夫, 子, 父, 母, 孫, 子の妻, 兄, 姉, 弟, 妹, 同居人
	// GuardianKeys holds, for residents under 18 on Config.Today, the Keys
	// of their parents living in the same household; nil for adults.
	GuardianKeys []string
}

// Facility is a fictional facility.
type Facility struct {
	Code     string // unique, "F0001"
	Name     string // fictional Japanese name
	Kana     string // katakana reading of Name
	Type     string // see the Type* constants
	AreaCode string // sub-area code
	Address  string
	Lat, Lng float64 // within about 1.5 km of the sub-area's centre
	Phone    string  // fictional, "0897-55-0100" style
	Hours    string
	Services []string
	Capacity int // for nurseries, kindergartens and kodomoen; 0 otherwise
}

// Facility types.
const (
	TypeNursery            = "nursery"              // 保育所
	TypeKindergarten       = "kindergarten"         // 幼稚園
	TypeKodomoen           = "kodomoen"             // 認定こども園
	TypeClinic             = "clinic"               // 診療所
	TypeHospital           = "hospital"             // 病院
	TypeHealthCenter       = "health_center"        // 保健センター
	TypeChildSupportCenter = "child_support_center" // 子育て支援センター
	TypeCommunityCenter    = "community_center"     // 公民館
)

// Organization is a fictional support organisation.
type Organization struct {
	Code     string // unique, "O001"
	Name     string // fictional; names carry "（架空）"
	Kind     string // minsei, shakyo, npo, postal, company
	AreaCode string // district or sub-area code
}

// maxResidents bounds Config.Residents to keep memory use sane.
const maxResidents = 5_000_000

// Generate builds a synthetic city. It returns an error if cfg.Residents
// is smaller than 1 or larger than 5,000,000.
func Generate(cfg Config) (*City, error) {
	if cfg.Residents < 1 {
		return nil, fmt.Errorf("synth: Residents must be at least 1, got %d", cfg.Residents)
	}
	if cfg.Residents > maxResidents {
		return nil, errors.New("synth: Residents must be at most 5000000")
	}
	today := cfg.Today
	if today.IsZero() {
		today = time.Now()
	}
	y, m, d := today.In(jst).Date()
	g := newGen(cfg.Residents, cfg.Seed, y, int(m), d)
	g.city.Areas = allAreas()
	g.households()
	g.facilities()
	g.organizations()
	return g.city, nil
}

// pcgStream is the fixed second word of the PCG state.
const pcgStream = 0x5a11_0d0c_1e57_a6e5

type gen struct {
	rng        *rand.Rand
	n          int
	ty, tm, td int
	lo, hi     [maxAge + 1]int // birth-day windows per age
	q          [2][maxAge + 1]int
	bandQ      [3]int
	bandR      [3]int
	placed     int
	w          [2 * (maxAge + 1)]float64
	city       *City
	hh         []hp
	kbuf       [3]kid
	areaCum    []float64
	surCum     []float64
}

// hp is a household member under construction.
type hp struct {
	sex, age, day int
	rel           string
	lodger        bool
	g1, g2        int // guardian indexes within the household, -1 if none
}

type kid struct{ sex, age int }

func newGen(n int, seed uint64, y, m, d int) *gen {
	g := &gen{
		rng:  rand.New(rand.NewPCG(seed, pcgStream)),
		n:    n,
		ty:   y,
		tm:   m,
		td:   d,
		city: &City{},
		hh:   make([]hp, 0, 8),
	}
	g.lo, g.hi = ageWindows(y, m, d)
	g.q = quotas(n)
	for s := range 2 {
		for a, v := range g.q[s] {
			g.bandQ[band(a)] += v
		}
	}
	g.bandR = g.bandQ
	sum := 0.0
	for _, s := range subAreas {
		sum += s.Weight
		g.areaCum = append(g.areaCum, sum)
	}
	sum = 0
	for i := range surnames {
		// Zipf-like: the most common surnames are several times more
		// frequent than the rare end of the list.
		sum += 1 / (float64(i) + 8)
		g.surCum = append(g.surCum, sum)
	}
	return g
}

// band maps an age to the controller band: minors, 18–64, 65+.
func band(age int) int {
	switch {
	case age < 18:
		return 0
	case age < 65:
		return 1
	}
	return 2
}

func gauss(x, sd float64) float64 { return math.Exp(-0.5 * x * x / (sd * sd)) }

// quotaEps is the weight of an age whose quota is used up, so that
// constrained picks still succeed.
const quotaEps = 0.02

// pick draws an age in [lo, hi] for sex, weighted by the remaining quota
// times f(age), and consumes it.
func (g *gen) pick(sex, lo, hi int, f func(int) float64) int {
	lo, hi = max(lo, 0), min(hi, maxAge)
	if lo > hi {
		lo = hi
	}
	total := 0.0
	for a := lo; a <= hi; a++ {
		w := float64(max(g.q[sex][a], 0)) + quotaEps
		if f != nil {
			w *= f(a)
		}
		g.w[a-lo] = w
		total += w
	}
	age := hi
	if total <= 0 {
		age = lo + g.rng.IntN(hi-lo+1)
	} else {
		x := g.rng.Float64() * total
		for a := lo; a <= hi; a++ {
			x -= g.w[a-lo]
			if x < 0 {
				age = a
				break
			}
		}
	}
	g.take(sex, age)
	return age
}

// pickJoint draws sex and age in [lo, hi] jointly, men weighted by
// maleFactor, and consumes it.
func (g *gen) pickJoint(lo, hi int, maleFactor float64, f func(int) float64) (sex, age int) {
	lo, hi = max(lo, 0), min(hi, maxAge)
	if lo > hi {
		lo = hi
	}
	n := hi - lo + 1
	total := 0.0
	for s := range 2 {
		for a := lo; a <= hi; a++ {
			w := float64(max(g.q[s][a], 0)) + quotaEps
			if s == male {
				w *= maleFactor
			}
			if f != nil {
				w *= f(a)
			}
			g.w[s*n+a-lo] = w
			total += w
		}
	}
	sex, age = g.rng.IntN(2), hi
	if total <= 0 {
		age = lo + g.rng.IntN(n)
	} else {
		x := g.rng.Float64() * total
	loop:
		for s := range 2 {
			for a := lo; a <= hi; a++ {
				x -= g.w[s*n+a-lo]
				if x < 0 {
					sex, age = s, a
					break loop
				}
			}
		}
	}
	g.take(sex, age)
	return sex, age
}

func (g *gen) take(sex, age int) {
	g.q[sex][age]--
	g.bandR[band(age)]--
	g.placed++
}

// add appends a household member with a random birth date for its age.
func (g *gen) add(sex, age int, rel string) int {
	lo, hi := g.lo[age], g.hi[age]
	g.hh = append(g.hh, hp{sex: sex, age: age, day: lo + g.rng.IntN(hi-lo+1), rel: rel, g1: -1, g2: -1})
	return len(g.hh) - 1
}

// minSiblingGap is the minimum number of days between siblings' births.
const minSiblingGap = 300

// fixPair moves the older sibling's birth date so that it is at least
// minSiblingGap days before the younger's, keeping its age.
func (g *gen) fixPair(older, younger int) {
	o, y := &g.hh[older], g.hh[younger]
	if o.age <= y.age || o.day <= y.day-minSiblingGap {
		return
	}
	lo, hi := g.lo[o.age], min(g.hi[o.age], y.day-minSiblingGap)
	if hi < lo {
		hi = lo
	}
	o.day = lo + g.rng.IntN(hi-lo+1)
}

// fixSiblings applies fixPair to members [start, end), which are in
// descending age order.
func (g *gen) fixSiblings(start, end int) {
	for i := end - 2; i >= start; i-- {
		g.fixPair(i, i+1)
	}
}

func (g *gen) choose(ps ...float64) int {
	x := g.rng.Float64()
	for i, p := range ps {
		x -= p
		if x < 0 {
			return i
		}
	}
	return len(ps) - 1
}

func (g *gen) pickArea() *saijo.Area {
	x := g.rng.Float64() * g.areaCum[len(g.areaCum)-1]
	for i, c := range g.areaCum {
		if x < c {
			return &subAreas[i]
		}
	}
	return &subAreas[len(subAreas)-1]
}

func (g *gen) pickSurname() int {
	x := g.rng.Float64() * g.surCum[len(g.surCum)-1]
	for i, c := range g.surCum {
		if x < c {
			return i
		}
	}
	return len(surnames) - 1
}

func (g *gen) address(s *saijo.Area) string {
	town := s.Towns[g.rng.IntN(len(s.Towns))]
	addr := "愛媛県西条市" + town + strconv.Itoa(1+g.rng.IntN(1500))
	if g.rng.Float64() < 0.7 {
		addr += "-" + strconv.Itoa(1+g.rng.IntN(25))
	}
	return addr
}

func code(prefix string, width, n int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return prefix + s
}
