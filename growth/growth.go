// Package growth places a child's weight, length/height or head
// circumference on the national growth curves of the 令和5年(2023年)
// 乳幼児身体発育調査 (the curves printed in the 母子健康手帳 from 2025-04),
// and gives a WHO Child Growth Standards z-score for international
// comparison. Both tables are embedded CSV files copied unchanged from the
// shared reference folder and parsed on first use.
//
// # Mapping survey bands to ages
//
// The survey publishes percentiles per age band, not per age. A band
// [a, b) months (e.g. "3〜4か月未満" = 3 ≤ age < 4) is placed at its
// midpoint (a+b)/2, e.g. 3.5 months; "1歳0〜6か月未満" = [12, 18) at 15.
// The two point rows sit at their own age: 出生時（生後0日） at 0 and
// 生後30日ごろ at 1.0 month. Between two consecutive points every
// percentile is interpolated linearly in age; after the last midpoint
// (e.g. 75 months for weight) the last row is used unchanged. Ages from the
// end of the last band on (78 months for weight and height, 36 months for
// head, whose table stops at "2歳6〜12か月未満") are ErrAgeOutOfRange.
//
// # WHO z-score
//
// z = ((v/M)^L − 1)/(L·S), or ln(v/M)/S when L = 0, with L, M and S
// interpolated linearly between the monthly rows of the WHO 2006 tables.
// Length-for-age is used below 24 months, height-for-age from 24 months.
// For weight, |z| > 3 uses WHO's restricted formula (the distance beyond
// ±3 SD is measured in units of the 2–3 SD gap). The WHO tables here stop
// at 60 months and hold no head circumference, so ZWho is nil for head and
// for any age beyond 60 months.
package growth

import (
	"errors"
	"math"

	"github.com/saijo-dx/lifestage/civil"
)

// Measures that Assess accepts.
const (
	Weight = "weight" // kg
	Height = "height" // cm, recumbent length or standing height
	Head   = "head"   // cm, head circumference
)

// Sexes that Assess accepts.
const (
	Male   = "male"
	Female = "female"
)

// Errors of Assess; callers map them to field errors.
var (
	ErrUnknownSex      = errors.New("growth: sex must be male or female")
	ErrUnknownMeasure  = errors.New("growth: measure must be weight, height or head")
	ErrValueOutOfRange = errors.New("growth: value is not a plausible measurement")
	ErrDateBeforeBirth = errors.New("growth: measurement date is before birth")
	ErrAgeOutOfRange   = errors.New("growth: age is outside the survey tables")
)

// Positions, from lowest to highest. A value equal to a percentile belongs
// to the range that starts there (p3 ≤ v < p10 is "p3-p10"), except at
// p97, which closes the top range: p90 ≤ v ≤ p97 is "p90-p97" and only
// v > p97 is ">p97". Comparisons use the rounded percentiles of Result.
const (
	BelowP3  = "<p3"
	P3P10    = "p3-p10"
	P10P25   = "p10-p25"
	P25P50   = "p25-p50"
	P50P75   = "p50-p75"
	P75P90   = "p75-p90"
	P90P97   = "p90-p97"
	AboveP97 = ">p97"
)

// Result is one measurement placed on the curves.
type Result struct {
	Value     float64 `json:"value"`
	AgeMonths float64 `json:"ageMonths"` // rounded to 0.1
	// Band is the survey's own label for the age band that contains the
	// age. Under one month, where the survey has only the day-0 and day-30
	// rows, it is the label of the nearer of the two.
	Band string  `json:"band"`
	P3   float64 `json:"p3"`
	P10  float64 `json:"p10"`
	P25  float64 `json:"p25"`
	P50  float64 `json:"p50"`
	P75  float64 `json:"p75"`
	P90  float64 `json:"p90"`
	P97  float64 `json:"p97"`
	// Position is one of the constants BelowP3 … AboveP97.
	Position string `json:"position"`
	// ZWho is nil for head circumference and beyond 60 months.
	ZWho *float64 `json:"zWho"`
}

// plausible bounds reject typos (grams for kilograms, metres for cm)
// rather than judge the child.
var plausible = map[string][2]float64{
	Weight: {0, 40},
	Height: {20, 140},
	Head:   {20, 60},
}

// Assess places value, measured on date for a child of the given sex born
// on birth, on the 2023 survey curves and the WHO standard.
func Assess(sex string, birth, date civil.Date, measure string, value float64) (Result, error) {
	if sex != Male && sex != Female {
		return Result{}, ErrUnknownSex
	}
	lim, ok := plausible[measure]
	if !ok {
		return Result{}, ErrUnknownMeasure
	}
	if math.IsNaN(value) || value <= lim[0] || value > lim[1] {
		return Result{}, ErrValueOutOfRange
	}
	if date.Before(birth) {
		return Result{}, ErrDateBeforeBirth
	}
	return assessAt(sex, civil.MonthsOld(birth, date), measure, value)
}

// assessAt does the work of Assess for an age in (fractional) months.
func assessAt(sex string, age float64, measure string, value float64) (Result, error) {
	t, err := data()
	if err != nil {
		return Result{}, err
	}
	bands := t.jp[seriesKey{measure, sex}]
	if age < 0 || age >= bands[len(bands)-1].Max {
		return Result{}, ErrAgeOutOfRange
	}
	p := percentilesAt(bands, age)
	for i := range p {
		p[i] = round(p[i], 2)
	}
	return Result{
		Value:     value,
		AgeMonths: round(age, 1),
		Band:      bandAt(bands, age).Label,
		P3:        p[0], P10: p[1], P25: p[2], P50: p[3], P75: p[4], P90: p[5], P97: p[6],
		Position: position(value, p),
		ZWho:     whoZ(t, sex, measure, age, value),
	}, nil
}

// percentilesAt interpolates linearly between the two rows whose midpoints
// enclose age; bands is sorted by midpoint and starts at 0.
func percentilesAt(bands []band, age float64) [7]float64 {
	last := len(bands) - 1
	if age >= bands[last].Mid {
		return bands[last].P
	}
	i := 0
	for i < last-1 && bands[i+1].Mid <= age {
		i++
	}
	lo, hi := bands[i], bands[i+1]
	f := (age - lo.Mid) / (hi.Mid - lo.Mid)
	var p [7]float64
	for k := range p {
		p[k] = lo.P[k] + f*(hi.P[k]-lo.P[k])
	}
	return p
}

// bandAt returns the interval band that contains age, or else (under one
// month) the nearest point row.
func bandAt(bands []band, age float64) band {
	var best band
	dist := math.Inf(1)
	for _, b := range bands {
		if b.Min < b.Max && b.Min <= age && age < b.Max {
			return b
		}
		if d := math.Abs(age - b.Mid); d < dist {
			best, dist = b, d
		}
	}
	return best
}

var positions = [8]string{BelowP3, P3P10, P10P25, P25P50, P50P75, P75P90, P90P97, AboveP97}

func position(v float64, p [7]float64) string {
	if v > p[6] {
		return AboveP97
	}
	i := 0
	for i < 6 && v >= p[i] {
		i++
	}
	return positions[i]
}

// whoZ returns the WHO z-score rounded to 0.01, or nil when WHO has no
// table for the measure or age.
func whoZ(t *tables, sex string, measure string, age, v float64) *float64 {
	table := measure
	switch measure {
	case Head:
		return nil
	case Height:
		if age < 24 {
			table = "length"
		}
	}
	rows := t.who[seriesKey{table, sex}]
	if len(rows) < 2 || age < rows[0].Month || age > rows[len(rows)-1].Month {
		return nil
	}
	i := int(age - rows[0].Month)
	if i > len(rows)-2 {
		i = len(rows) - 2
	}
	f := age - rows[i].Month
	a, b := rows[i], rows[i+1]
	L, M, S := a.L+f*(b.L-a.L), a.M+f*(b.M-a.M), a.S+f*(b.S-a.S)
	z := lmsZ(v, L, M, S)
	if measure == Weight && math.Abs(z) > 3 {
		z = restricted(v, z, L, M, S)
	}
	z = round(z, 2)
	return &z
}

func lmsZ(v, L, M, S float64) float64 {
	if L == 0 {
		return math.Log(v/M) / S
	}
	return (math.Pow(v/M, L) - 1) / (L * S)
}

// lmsValue is the measurement at z-score z.
func lmsValue(z, L, M, S float64) float64 {
	if L == 0 {
		return M * math.Exp(S*z)
	}
	return M * math.Pow(1+L*S*z, 1/L)
}

// restricted applies WHO's adjustment for weight beyond ±3 SD: the skewed
// LMS tail is replaced by a straight continuation of the 2–3 SD spacing.
func restricted(v, z, L, M, S float64) float64 {
	if z > 3 {
		sd3 := lmsValue(3, L, M, S)
		return 3 + (v-sd3)/(sd3-lmsValue(2, L, M, S))
	}
	sd3 := lmsValue(-3, L, M, S)
	return -3 + (v-sd3)/(lmsValue(-2, L, M, S)-sd3)
}

func round(x float64, places int) float64 {
	s := math.Pow10(places)
	return math.Round(x*s) / s
}

// Bounds returns the plausible range (above, atMost] of a measure, so that
// callers can word their own messages; ok is false for an unknown measure.
func Bounds(measure string) (above, atMost float64, ok bool) {
	lim, ok := plausible[measure]
	return lim[0], lim[1], ok
}

// AgeLimitMonths is the end of the survey table for a measure: Assess
// accepts ages strictly below it (78 months for weight and height, 36 for
// head).
func AgeLimitMonths(measure string) (float64, error) {
	if _, ok := plausible[measure]; !ok {
		return 0, ErrUnknownMeasure
	}
	t, err := data()
	if err != nil {
		return 0, err
	}
	bands := t.jp[seriesKey{measure, Male}]
	return bands[len(bands)-1].Max, nil
}
