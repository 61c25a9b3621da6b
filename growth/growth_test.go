package growth

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// deref shows a z-score or "nil" in messages.
func deref(z *float64) any {
	if z == nil {
		return "nil"
	}
	return *z
}

func ps(r Result) [7]float64 { return [7]float64{r.P3, r.P10, r.P25, r.P50, r.P75, r.P90, r.P97} }

// The embedded copies must stay byte-identical to the shared reference.
func TestEmbeddedDataMatchesReference(t *testing.T) {
	for _, f := range []string{jpFile, whoFile} {
		ref, err := os.ReadFile(filepath.Join("..", "..", "shared", "reference", filepath.Base(f)))
		if err != nil {
			t.Skipf("reference not available: %v", err)
		}
		got, _ := dataFS.ReadFile(f)
		if !bytes.Equal(got, ref) {
			t.Errorf("%s differs from ../shared/reference", f)
		}
	}
}

func TestTablesLoad(t *testing.T) {
	tb, err := data()
	if err != nil {
		t.Fatal(err)
	}
	want := map[seriesKey]int{
		{"weight", "male"}: 24, {"weight", "female"}: 24, {"height", "male"}: 24, {"height", "female"}: 24,
		{"head", "male"}: 17, {"head", "female"}: 17,
	}
	for k, n := range want {
		if got := len(tb.jp[k]); got != n {
			t.Errorf("%v: %d rows, want %d", k, got, n)
		}
	}
	whoWant := map[seriesKey]int{
		{"weight", "male"}: 61, {"weight", "female"}: 61, {"length", "male"}: 25, {"length", "female"}: 25,
		{"height", "male"}: 37, {"height", "female"}: 37,
	}
	for k, n := range whoWant {
		if got := len(tb.who[k]); got != n {
			t.Errorf("WHO %v: %d rows, want %d", k, got, n)
		}
	}
}

func TestAssessAtMidpointEqualsSurveyRow(t *testing.T) {
	cases := []struct {
		name, sex, birth, date, measure string
		value                           float64
		band                            string
		age                             float64
		want                            [7]float64
	}{
		{"girl weight 3〜4か月 at 3.5", Female, "2025-01-01", "2025-04-16", Weight, 6, "3〜4か月未満", 3.5,
			[7]float64{4.9, 5.27, 5.64, 6.06, 6.48, 6.86, 7.24}},
		{"boy weight 3〜4か月 at 3.5", Male, "2025-01-01", "2025-04-16", Weight, 6, "3〜4か月未満", 3.5,
			[7]float64{5.22, 5.65, 6.08, 6.55, 7.02, 7.43, 7.84}},
		{"boy height 1歳0〜6か月 at 15", Male, "2024-01-01", "2025-04-01", Height, 76, "1歳0〜6か月未満", 15,
			[7]float64{71.6, 73.2, 74.8, 76.5, 78.2, 79.7, 81.1}},
		{"girl head at birth", Female, "2025-01-01", "2025-01-01", Head, 33, "出生時（生後0日）", 0,
			[7]float64{30.8, 31.7, 32.5, 33.3, 34.1, 34.8, 35.5}},
		{"boy weight day-30 row at 1.0", Male, "2025-01-01", "2025-02-01", Weight, 4, "1〜2か月未満", 1,
			[7]float64{3.23, 3.53, 3.82, 4.15, 4.47, 4.76, 5.04}},
		{"girl head 2歳6〜12か月 at 33", Female, "2022-01-01", "2024-10-01", Head, 48, "2歳6〜12か月未満", 33,
			[7]float64{46.0, 46.9, 47.8, 48.7, 49.6, 50.4, 51.2}},
		{"girl height 6歳0〜6か月 at 75", Female, "2019-01-01", "2025-04-01", Height, 114, "6歳0〜6か月未満", 75,
			[7]float64{105.4, 108.1, 110.9, 114.1, 117.3, 120.2, 123.2}},
		// After the last midpoint the last row holds.
		{"boy weight at 77 months", Male, "2019-01-01", "2025-06-01", Weight, 20, "6歳0〜6か月未満", 77,
			[7]float64{16.28, 17.25, 18.37, 19.85, 21.64, 23.62, 26.04}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Assess(c.sex, d(c.birth), d(c.date), c.measure, c.value)
			if err != nil {
				t.Fatal(err)
			}
			if ps(r) != c.want {
				t.Errorf("percentiles = %v, want %v", ps(r), c.want)
			}
			if r.Band != c.band || r.AgeMonths != c.age || r.Value != c.value {
				t.Errorf("band %q age %v value %v, want %q %v %v", r.Band, r.AgeMonths, r.Value, c.band, c.age, c.value)
			}
		})
	}
}

// Between two midpoints every percentile moves linearly.
func TestAssessInterpolatesBetweenMidpoints(t *testing.T) {
	cases := []struct {
		name, sex, measure string
		age                float64
		lo, hi             [7]float64
		f                  float64
	}{
		{"girl weight 3.0 between 2〜3 and 3〜4", Female, Weight, 3.0,
			[7]float64{4.27, 4.61, 4.95, 5.33, 5.71, 6.06, 6.39}, [7]float64{4.9, 5.27, 5.64, 6.06, 6.48, 6.86, 7.24}, 0.5},
		{"boy weight 0.5 between birth and day 30", Male, Weight, 0.5,
			[7]float64{2.32, 2.58, 2.8, 3.06, 3.31, 3.56, 3.81}, [7]float64{3.23, 3.53, 3.82, 4.15, 4.47, 4.76, 5.04}, 0.5},
		{"boy height 12.0 between 11.5 and 15", Male, Height, 12.0,
			[7]float64{68.4, 69.9, 71.4, 73.1, 74.7, 76.1, 77.4}, [7]float64{71.6, 73.2, 74.8, 76.5, 78.2, 79.7, 81.1}, 0.5 / 3.5},
		{"girl head 1.25 between day 30 and 1〜2", Female, Head, 1.25,
			[7]float64{33.8, 34.6, 35.3, 36.1, 36.9, 37.5, 38.2}, [7]float64{34.9, 35.7, 36.4, 37.2, 38.0, 38.7, 39.3}, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := assessAt(c.sex, c.age, c.measure, c.lo[3])
			if err != nil {
				t.Fatal(err)
			}
			got := ps(r)
			for i := range got {
				want := c.lo[i] + c.f*(c.hi[i]-c.lo[i])
				if math.Abs(got[i]-want) > 0.005+1e-9 {
					t.Errorf("p[%d] = %v, want %v", i, got[i], want)
				}
			}
		})
	}
}

func TestBandUnderOneMonth(t *testing.T) {
	for _, c := range []struct {
		age  float64
		band string
	}{{0, "出生時（生後0日）"}, {0.4, "出生時（生後0日）"}, {0.6, "生後30日ごろ"}, {1, "1〜2か月未満"}, {11.9, "11〜12か月未満"}, {12, "1歳0〜6か月未満"}} {
		r, err := assessAt(Male, c.age, Weight, 4)
		if err != nil {
			t.Fatal(err)
		}
		if r.Band != c.band {
			t.Errorf("age %v: band %q, want %q", c.age, r.Band, c.band)
		}
	}
}

// Girl, 3.5 months: p3 4.9, p10 5.27, p25 5.64, p50 6.06, p75 6.48, p90 6.86, p97 7.24.
func TestPositionBoundaries(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{4.89, BelowP3}, {4.9, P3P10}, {5.26, P3P10}, {5.27, P10P25}, {5.64, P25P50}, {6.05, P25P50},
		{6.06, P50P75}, {6.48, P75P90}, {6.86, P90P97}, {7.24, P90P97}, {7.25, AboveP97}, {39, AboveP97}, {0.5, BelowP3},
	}
	for _, c := range cases {
		r, err := Assess(Female, d("2025-01-01"), d("2025-04-16"), Weight, c.v)
		if err != nil {
			t.Fatal(err)
		}
		if r.Position != c.want {
			t.Errorf("%v kg: position %q, want %q", c.v, r.Position, c.want)
		}
	}
}

func TestSexesDiffer(t *testing.T) {
	for _, m := range []string{Weight, Height, Head} {
		v := map[string]float64{Weight: 6, Height: 60, Head: 40}[m]
		boy, err1 := Assess(Male, d("2025-01-01"), d("2025-04-01"), m, v)
		girl, err2 := Assess(Female, d("2025-01-01"), d("2025-04-01"), m, v)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if boy.P50 <= girl.P50 {
			t.Errorf("%s: boys' median %v not above girls' %v", m, boy.P50, girl.P50)
		}
		if boy.ZWho != nil && girl.ZWho != nil && *boy.ZWho >= *girl.ZWho {
			t.Errorf("%s: same value should score lower for boys: %v vs %v", m, *boy.ZWho, *girl.ZWho)
		}
	}
}

func TestWHOZ(t *testing.T) {
	z := func(sex, birth, date, m string, v float64) *float64 {
		t.Helper()
		r, err := Assess(sex, d(birth), d(date), m, v)
		if err != nil {
			t.Fatal(err)
		}
		return r.ZWho
	}
	zeroAtMedian := []struct {
		name, sex, birth, date, m string
		M                         float64
	}{
		{"girls weight 3 m", Female, "2025-01-01", "2025-04-01", Weight, 5.8458},
		{"boys weight 0 m", Male, "2025-01-01", "2025-01-01", Weight, 3.3464},
		{"boys weight 60 m", Male, "2020-01-01", "2025-01-01", Weight, 18.3366},
		{"boys length 12 m", Male, "2024-01-01", "2025-01-01", Height, 75.7488},
		{"girls length 23 m", Female, "2023-01-01", "2024-12-01", Height, 85.7153 + 0}, // replaced below
		{"boys height 24 m uses height-for-age", Male, "2023-01-01", "2025-01-01", Height, 87.1161},
		{"girls height 48 m", Female, "2021-01-01", "2025-01-01", Height, 102.7312},
	}
	zeroAtMedian[4].M = 0 // girls length 23 m: look the M up from the table
	tb, _ := data()
	for _, r := range tb.who[seriesKey{"length", Female}] {
		if r.Month == 23 {
			zeroAtMedian[4].M = r.M
		}
	}
	for _, c := range zeroAtMedian {
		got := z(c.sex, c.birth, c.date, c.m, c.M)
		if got == nil || *got != 0 {
			t.Errorf("%s: z at M = %v, want 0", c.name, deref(got))
		}
	}
	// Boys 24 m: the length median is 0.7 cm above the height median, so
	// it scores positive on the height table.
	if got := z(Male, "2023-01-01", "2025-01-01", Height, 87.8161); got == nil || *got <= 0 {
		t.Errorf("boys 24 m length median on height table: z = %v, want > 0", deref(got))
	}
	// Halfway between months the LMS are interpolated: girls weight 3.5 m
	// at the mean of the two medians is within rounding of 0.
	if got := z(Female, "2025-01-01", "2025-04-16", Weight, (5.8458+6.4237)/2); got == nil || math.Abs(*got) > 0.01 {
		t.Errorf("girls weight 3.5 m: z = %v, want ≈0", deref(got))
	}
	// WHO's p3 and p97 (computed in the CSV, rounded to 0.01 kg / 0.1 cm,
	// i.e. up to ~0.02 SD) come out at ∓1.88.
	if got := z(Male, "2025-01-01", "2025-01-01", Weight, 2.51); got == nil || math.Abs(*got+1.88) > 0.02 {
		t.Errorf("boys weight 0 m p3: z = %v, want ≈ -1.88", deref(got))
	}
	if got := z(Female, "2024-01-01", "2025-01-01", Height, 78.9); got == nil || math.Abs(*got-1.88) > 0.03 {
		t.Errorf("girls length 12 m p97: z = %v, want ≈ 1.88", deref(got))
	}
	// Head has no WHO table here; nor has any age past 60 months.
	if got := z(Female, "2025-01-01", "2025-04-01", Head, 40); got != nil {
		t.Errorf("head z = %v, want nil", *got)
	}
	if got := z(Male, "2019-01-01", "2025-01-01", Weight, 20); got != nil {
		t.Errorf("72 m weight z = %v, want nil", *got)
	}
}

// Beyond ±3 SD, weight uses WHO's restricted formula: one more 2–3 SD gap
// beyond SD3 is z = 4 (the plain LMS formula would say less for boys at 0 m,
// whose L > 0 stretches the upper tail).
func TestWHORestrictedWeight(t *testing.T) {
	L, M, S := 0.3487, 3.3464, 0.14602 // boys, 0 months
	sd2, sd3 := lmsValue(2, L, M, S), lmsValue(3, L, M, S)
	sd2n, sd3n := lmsValue(-2, L, M, S), lmsValue(-3, L, M, S)
	cases := []struct {
		v, want float64
	}{
		{sd3 + (sd3 - sd2), 4},
		{sd3n - (sd2n - sd3n), -4},
		{sd3 + 0.5*(sd3-sd2), 3.5},
	}
	for _, c := range cases {
		r, err := Assess(Male, d("2025-01-01"), d("2025-01-01"), Weight, c.v)
		if err != nil {
			t.Fatal(err)
		}
		if r.ZWho == nil || math.Abs(*r.ZWho-c.want) > 0.005 {
			t.Errorf("%.3f kg: z = %v, want %v", c.v, deref(r.ZWho), c.want)
		}
		if plain := lmsZ(c.v, L, M, S); math.Abs(plain-c.want) < 0.01 {
			t.Errorf("%.3f kg: plain formula already gives %v, test is not testing the restriction", c.v, plain)
		}
	}
	// Height is never restricted.
	r, _ := Assess(Male, d("2025-01-01"), d("2025-01-01"), Height, 49.8842*(1+4*0.03795))
	if r.ZWho == nil || math.Abs(*r.ZWho-4) > 0.005 {
		t.Errorf("length z = %v, want 4", deref(r.ZWho))
	}
}

func TestAssessErrors(t *testing.T) {
	b := d("2025-01-01")
	cases := []struct {
		name, sex, date, m string
		v                  float64
		want               error
	}{
		{"unknown sex", "boy", "2025-04-01", Weight, 5, ErrUnknownSex},
		{"empty sex", "", "2025-04-01", Weight, 5, ErrUnknownSex},
		{"unknown measure", Male, "2025-04-01", "bmi", 5, ErrUnknownMeasure},
		{"zero weight", Male, "2025-04-01", Weight, 0, ErrValueOutOfRange},
		{"negative weight", Male, "2025-04-01", Weight, -3, ErrValueOutOfRange},
		{"weight in grams", Male, "2025-04-01", Weight, 5500, ErrValueOutOfRange},
		{"weight 40.1", Male, "2025-04-01", Weight, 40.1, ErrValueOutOfRange},
		{"NaN", Male, "2025-04-01", Weight, math.NaN(), ErrValueOutOfRange},
		{"height 20", Male, "2025-04-01", Height, 20, ErrValueOutOfRange},
		{"height 141", Male, "2025-04-01", Height, 141, ErrValueOutOfRange},
		{"head 20", Male, "2025-04-01", Head, 20, ErrValueOutOfRange},
		{"head 61", Male, "2025-04-01", Head, 61, ErrValueOutOfRange},
		{"date before birth", Male, "2024-12-31", Weight, 3, ErrDateBeforeBirth},
		{"weight at 6 y 6 m", Male, "2031-07-01", Weight, 20, ErrAgeOutOfRange},
		{"height at 10 y", Female, "2035-01-01", Height, 130, ErrAgeOutOfRange},
		{"head at 3 y", Female, "2028-01-01", Head, 50, ErrAgeOutOfRange},
	}
	for _, c := range cases {
		if _, err := Assess(c.sex, b, d(c.date), c.m, c.v); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// The last day of each table is still in range.
	for _, c := range []struct{ date, m string }{{"2031-06-30", Weight}, {"2031-06-30", Height}, {"2027-12-31", Head}} {
		if _, err := Assess(Female, b, d(c.date), c.m, map[string]float64{Weight: 20, Height: 115, Head: 50}[c.m]); err != nil {
			t.Errorf("%s on %s: %v", c.m, c.date, err)
		}
	}
	// Upper plausible bounds are inclusive.
	if _, err := Assess(Male, d("2019-01-01"), d("2025-01-01"), Weight, 40); err != nil {
		t.Errorf("40 kg: %v", err)
	}
}

// The example of the API contract.
func TestContractExample(t *testing.T) {
	b, on := d("2025-01-01"), d("2025-04-01")
	for m, v := range map[string]float64{Weight: 5.5, Height: 59, Head: 39} {
		r, err := Assess(Female, b, on, m, v)
		if err != nil {
			t.Fatal(err)
		}
		if r.Band != "3〜4か月未満" || r.AgeMonths != 3 {
			t.Errorf("%s: band %q age %v", m, r.Band, r.AgeMonths)
		}
		if (r.ZWho == nil) != (m == Head) {
			t.Errorf("%s: zWho = %v", m, deref(r.ZWho))
		}
		if !(r.P3 < r.P10 && r.P10 < r.P25 && r.P25 < r.P50 && r.P50 < r.P75 && r.P75 < r.P90 && r.P90 < r.P97) {
			t.Errorf("%s: percentiles not increasing: %v", m, ps(r))
		}
	}
}

func BenchmarkAssess(b *testing.B) {
	birth, on := d("2024-03-15"), d("2025-08-20")
	if _, err := Assess(Female, birth, on, Weight, 9.8); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assess(Female, birth, on, Weight, 9.8); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLimits(t *testing.T) {
	for m, want := range map[string]float64{Weight: 78, Height: 78, Head: 36} {
		if got, err := AgeLimitMonths(m); err != nil || got != want {
			t.Errorf("AgeLimitMonths(%s) = %v, %v; want %v", m, got, err, want)
		}
	}
	if _, err := AgeLimitMonths("bmi"); !errors.Is(err, ErrUnknownMeasure) {
		t.Errorf("AgeLimitMonths(bmi) err = %v", err)
	}
	if lo, hi, ok := Bounds(Height); !ok || lo != 20 || hi != 140 {
		t.Errorf("Bounds(height) = %v %v %v", lo, hi, ok)
	}
}
