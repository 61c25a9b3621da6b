package synth

import (
	"math"
	"slices"
)

const (
	maxAge = 105
	male   = 0
	female = 1

	// referencePopulation is the population the anchors below describe.
	referencePopulation = 105000
	// elderlyShare is the target share of residents aged 65 and over.
	elderlyShare = 0.34
)

// pyramidAnchors give the number of residents (both sexes) at single ages
// for a city of referencePopulation, interpolated linearly in between.
// Ages 0–14 are used as is (about 600 births a year, older cohorts of
// children larger than younger ones); ages 15–64 and 65+ are rescaled so
// that exactly elderlyShare of the population is 65+.
var pyramidAnchors = [][2]float64{
	{0, 600}, {3, 780}, {8, 950}, {14, 1000},
	{18, 900}, {22, 700}, {25, 800}, {30, 900}, {35, 1000}, {40, 1150},
	{45, 1300}, {50, 1450}, {54, 1500}, {60, 1300},
	{65, 1300}, {70, 1450}, {74, 1500}, {77, 1850}, {79, 1800}, {81, 1400},
	{85, 1100}, {90, 650}, {95, 220}, {100, 30}, {104, 2}, {105, 0},
}

// femaleShare returns the share of women at an age: slightly more boys are
// born, and women outlive men.
func femaleShare(age int) float64 {
	switch {
	case age < 50:
		return 0.488
	case age < 65:
		return 0.50
	case age < 75:
		return 0.52
	case age < 85:
		return 0.57
	case age < 90:
		return 0.65
	case age < 95:
		return 0.72
	default:
		return 0.82
	}
}

// referencePyramid returns the expected number of residents per age (both
// sexes) for referencePopulation.
func referencePyramid() [maxAge + 1]float64 {
	var p [maxAge + 1]float64
	for i := 0; i+1 < len(pyramidAnchors); i++ {
		a0, v0 := pyramidAnchors[i][0], pyramidAnchors[i][1]
		a1, v1 := pyramidAnchors[i+1][0], pyramidAnchors[i+1][1]
		for a := int(a0); a <= int(a1) && a <= maxAge; a++ {
			p[a] = v0 + (v1-v0)*(float64(a)-a0)/(a1-a0)
		}
	}
	var child, working, elderly float64
	for a, v := range p {
		switch {
		case a < 15:
			child += v
		case a < 65:
			working += v
		default:
			elderly += v
		}
	}
	wantElderly := elderlyShare * referencePopulation
	wantWorking := referencePopulation - child - wantElderly
	for a := range p {
		switch {
		case a >= 65:
			p[a] *= wantElderly / elderly
		case a >= 15:
			p[a] *= wantWorking / working
		}
	}
	return p
}

// quotas splits n residents over sex and age following the reference
// pyramid, using largest-remainder rounding so the total is exactly n.
func quotas(n int) (q [2][maxAge + 1]int) {
	p := referencePyramid()
	type cell struct {
		sex, age int
		rem      float64
	}
	cells := make([]cell, 0, 2*(maxAge+1))
	scale := float64(n) / referencePopulation
	total := 0
	for a := 0; a <= maxAge; a++ {
		f := femaleShare(a)
		for sex, share := range [2]float64{1 - f, f} {
			x := p[a] * share * scale
			fl := math.Floor(x)
			q[sex][a] = int(fl)
			total += int(fl)
			cells = append(cells, cell{sex, a, x - fl})
		}
	}
	slices.SortStableFunc(cells, func(x, y cell) int {
		switch {
		case x.rem > y.rem:
			return -1
		case x.rem < y.rem:
			return 1
		}
		return 0
	})
	for i := 0; total < n; i++ {
		c := cells[i%len(cells)]
		q[c.sex][c.age]++
		total++
	}
	return q
}
