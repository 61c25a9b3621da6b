package synth

import "math"

// Household types.
const (
	htElderAlone       = iota // 独居高齢者
	htElderCouple             // 高齢夫婦
	htElderParentChild        // elderly parent(s) with unmarried adult child(ren)
	htThreeGen                // 三世代
	htCoupleKids              // 夫婦と子
	htSingleParent            // ひとり親と子
	htSingleAdult             // 単身 (under 65)
	htCoupleNoKids            // 夫婦のみ (under 65)
	htSiblings                // 兄弟姉妹
	htLodger                  // 世帯主と同居人
	numHT
)

// htDefs gives for each household type its base weight, the minimum
// number of members, and the approximate share of its members in the
// controller bands (minors, 18–64, 65+).
var htDefs = [numHT]struct {
	base    float64
	minSize int
	share   [3]float64
}{
	htElderAlone:       {0.140, 1, [3]float64{0, 0, 1}},
	htElderCouple:      {0.155, 2, [3]float64{0, 0.07, 0.93}},
	htElderParentChild: {0.115, 2, [3]float64{0, 0.45, 0.55}},
	htThreeGen:         {0.055, 3, [3]float64{0.3, 0.4, 0.3}},
	htCoupleKids:       {0.185, 3, [3]float64{0.45, 0.55, 0}},
	htSingleParent:     {0.035, 2, [3]float64{0.5, 0.5, 0}},
	htSingleAdult:      {0.120, 1, [3]float64{0, 1, 0}},
	htCoupleNoKids:     {0.110, 2, [3]float64{0, 1, 0}},
	htSiblings:         {0.010, 2, [3]float64{0, 0.5, 0.5}},
	htLodger:           {0.005, 2, [3]float64{0, 0.6, 0.4}},
}

// controllerGain is how strongly the household-type choice reacts to age
// bands running ahead of or behind the target pyramid.
const controllerGain = 3

// households generates households until exactly g.n residents exist.
func (g *gen) households() {
	c := g.city
	c.Residents = make([]Resident, 0, g.n)
	c.Households = make([]Household, 0, g.n/2+1)
	for g.placed < g.n {
		room := g.n - g.placed
		g.hh = g.hh[:0]
		switch g.chooseType(room) {
		case htElderAlone:
			g.genElderAlone()
		case htElderCouple:
			g.genElderCouple()
		case htElderParentChild:
			g.genElderParentChild(room)
		case htThreeGen:
			g.genThreeGen(room)
		case htCoupleKids:
			g.genCoupleKids(room)
		case htSingleParent:
			g.genSingleParent(room)
		case htSingleAdult:
			g.genSingleAdult()
		case htCoupleNoKids:
			g.genCoupleNoKids()
		case htSiblings:
			g.genSiblings()
		case htLodger:
			g.genLodger()
		}
		g.finishHousehold()
	}
}

// chooseType draws a household type that fits in room members. Base weights
// are multiplied by a feedback factor: types whose members fall in age
// bands that are behind schedule (relative to the target pyramid) become
// more likely, so the result tracks the pyramid for any size and seed.
func (g *gen) chooseType(room int) int {
	p := float64(g.placed) / float64(g.n)
	var lr [3]float64
	for b := range 3 {
		want := float64(g.bandQ[b]) * (1 - p)
		r := (float64(g.bandR[b]) + 2) / (want + 2)
		lr[b] = math.Log(min(max(r, 0.05), 20))
	}
	var ws [numHT]float64
	total := 0.0
	for t := range numHT {
		d := &htDefs[t]
		if d.minSize > room {
			continue
		}
		ws[t] = d.base * math.Exp(controllerGain*(d.share[0]*lr[0]+d.share[1]*lr[1]+d.share[2]*lr[2]))
		total += ws[t]
	}
	x := g.rng.Float64() * total
	last := htSingleAdult
	for t := range numHT {
		if ws[t] == 0 {
			continue
		}
		last = t
		x -= ws[t]
		if x < 0 {
			return t
		}
	}
	return last
}

func (g *gen) genElderAlone() {
	sex, age := g.pickJoint(65, maxAge, 1, nil)
	g.add(sex, age, "世帯主")
}

func (g *gen) genSingleAdult() {
	sex, age := g.pickJoint(18, 64, 1.3, nil)
	g.add(sex, age, "世帯主")
}

func (g *gen) genElderCouple() {
	h := g.pick(male, 65, maxAge, nil)
	w := g.pick(female, max(55, h-10), h+4, func(a int) float64 { return gauss(float64(h-a-3), 3) })
	if g.rng.Float64() < 0.05 {
		g.add(female, w, "世帯主")
		g.add(male, h, "夫")
		return
	}
	g.add(male, h, "世帯主")
	g.add(female, w, "妻")
}

func (g *gen) genCoupleNoKids() {
	h := g.pick(male, 22, 64, func(a int) float64 {
		if a < 25 {
			return 0.4
		}
		return 1
	})
	w := g.pick(female, max(18, h-10), h+4, func(a int) float64 { return gauss(float64(h-a-2), 3) })
	if g.rng.Float64() < 0.05 {
		g.add(female, w, "世帯主")
		g.add(male, h, "夫")
		return
	}
	g.add(male, h, "世帯主")
	g.add(female, w, "妻")
}

// leaveHome is the relative chance that a child of this age still lives
// with the parents.
func leaveHome(a int) float64 {
	switch {
	case a < 18:
		return 1
	case a == 18:
		return 0.85
	case a == 19:
		return 0.7
	case a == 20:
		return 0.6
	case a < 25:
		return 0.55
	case a < 30:
		return 0.45
	}
	return 0.3
}

// pickKids draws up to n children, eldest first (strictly decreasing ages,
// 1–7 years apart). The eldest is at most maxEldest years old.
func (g *gen) pickKids(n, maxEldest int) []kid {
	kids := g.kbuf[:0]
	s, a := g.pickJoint(0, maxEldest, 1, leaveHome)
	kids = append(kids, kid{s, a})
	for len(kids) < n {
		prev := kids[len(kids)-1].age
		if prev == 0 {
			break
		}
		s, a := g.pickJoint(max(0, prev-7), prev-1, 1, func(x int) float64 { return gauss(float64(prev-x)-2.5, 1.8) })
		kids = append(kids, kid{s, a})
	}
	return kids
}

// pickMother draws the mother of children aged eldest..youngest so that she
// was 20–44 at every birth (her age minus a child's age is 21..44 in
// completed years, so her age at the birth is 20..44).
func (g *gen) pickMother(eldest, youngest, hiCap int) int {
	mid := float64(eldest+youngest) / 2
	return g.pick(female, max(eldest+21, 18), min(youngest+44, hiCap), func(a int) float64 {
		return gauss(float64(a)-mid-31.5, 5.5)
	})
}

// pickFather draws the husband of a mother aged m whose eldest child is
// aged eldest.
func (g *gen) pickFather(m, eldest int) int {
	return g.pick(male, max(m-6, eldest+21), min(m+12, 76), func(a int) float64 {
		return gauss(float64(a-m-2), 3.5)
	})
}

// addKids appends children (eldest first) with the given relationship and
// guardians, and spaces their birth dates.
func (g *gen) addKids(kids []kid, rel string, g1, g2 int) {
	start := len(g.hh)
	for _, k := range kids {
		i := g.add(k.sex, k.age, rel)
		if k.age < 18 {
			g.hh[i].g1, g.hh[i].g2 = g1, g2
		}
	}
	g.fixSiblings(start, len(g.hh))
}

func (g *gen) genCoupleKids(room int) {
	nk := min(1+g.choose(0.35, 0.45, 0.20), room-2)
	kids := g.pickKids(nk, 30)
	e, y := kids[0].age, kids[len(kids)-1].age
	m := g.pickMother(e, y, 64)
	f := g.pickFather(m, e)
	var fi, mi int
	if g.rng.Float64() < 0.03 {
		mi = g.add(female, m, "世帯主")
		fi = g.add(male, f, "夫")
	} else {
		fi = g.add(male, f, "世帯主")
		mi = g.add(female, m, "妻")
	}
	g.addKids(kids, "子", fi, mi)
}

func (g *gen) genSingleParent(room int) {
	nk := min(1+g.choose(0.55, 0.35, 0.10), room-1)
	kids := g.pickKids(nk, 25)
	e, y := kids[0].age, kids[len(kids)-1].age
	var pi int
	if g.rng.Float64() < 0.85 {
		pi = g.add(female, g.pickMother(e, y, 64), "世帯主")
	} else {
		mid := float64(e+y) / 2
		f := g.pick(male, max(e+21, 20), min(y+55, 69), func(a int) float64 { return gauss(float64(a)-mid-34, 6) })
		pi = g.add(male, f, "世帯主")
	}
	g.addKids(kids, "子", pi, -1)
}

// pickGrandparents draws the parents of a person aged c: a grandmother
// and/or a grandfather. It returns -1 for an absent one.
func (g *gen) pickGrandparents(c int, withGM, withGF bool) (gm, gf int) {
	gm, gf = -1, -1
	if withGM {
		gm = g.pick(female, c+21, c+44, func(a int) float64 { return gauss(float64(a-c)-28, 5) })
	}
	if withGF {
		if gm >= 0 {
			gf = g.pick(male, max(gm-6, c+22), gm+12, func(a int) float64 { return gauss(float64(a-gm-3), 3.5) })
		} else {
			gf = g.pick(male, c+22, c+50, func(a int) float64 { return gauss(float64(a-c)-31, 5) })
		}
	}
	return gm, gf
}

func (g *gen) genThreeGen(room int) {
	r := g.rng.Float64()
	withGM, withGF := r < 0.90, r < 0.55 || r >= 0.90 // both 55%, grandmother only 35%, grandfather only 10%
	ngp := 1
	if withGM && withGF {
		ngp = 2
	}
	singleMiddle := g.rng.Float64() < 0.22 // a daughter raising her children alone
	mc := 2
	if singleMiddle {
		mc = 1
	}
	nk := min(1+g.choose(0.35, 0.45, 0.20), room-ngp-mc)
	if nk < 1 && !singleMiddle {
		singleMiddle, mc = true, 1
		nk = min(1, room-ngp-mc)
	}
	if nk < 1 { // room == 3: one grandparent, one parent, one child
		withGM, withGF, ngp = true, false, 1
		nk = 1
	}
	kids := g.pickKids(nk, 25)
	e, y := kids[0].age, kids[len(kids)-1].age
	mom := g.pickMother(e, y, 64)
	if singleMiddle {
		gm, gf := g.pickGrandparents(mom, withGM, withGF)
		if gf >= 0 {
			g.add(male, gf, "世帯主")
			if gm >= 0 {
				g.add(female, gm, "妻")
			}
		} else {
			g.add(female, gm, "世帯主")
		}
		d := g.add(female, mom, "子")
		g.addKids(kids, "孫", d, -1)
		return
	}
	dad := g.pickFather(mom, e)
	gm, gf := g.pickGrandparents(dad, withGM, withGF)
	switch {
	case gf >= 0 && g.rng.Float64() < 0.4:
		g.add(male, gf, "世帯主")
		if gm >= 0 {
			g.add(female, gm, "妻")
		}
		fi := g.add(male, dad, "子")
		mi := g.add(female, mom, "子の妻")
		g.addKids(kids, "孫", fi, mi)
	case gf < 0 && g.rng.Float64() < 0.25:
		g.add(female, gm, "世帯主")
		fi := g.add(male, dad, "子")
		mi := g.add(female, mom, "子の妻")
		g.addKids(kids, "孫", fi, mi)
	default:
		fi := g.add(male, dad, "世帯主")
		mi := g.add(female, mom, "妻")
		g.addKids(kids, "子", fi, mi)
		if gf >= 0 {
			g.add(male, gf, "父")
		}
		if gm >= 0 {
			g.add(female, gm, "母")
		}
	}
}

// siblingRel is the 続柄 of a sibling relative to the head.
func siblingRel(sex, age, headAge int) string {
	switch {
	case age > headAge && sex == male:
		return "兄"
	case age > headAge:
		return "姉"
	case sex == male:
		return "弟"
	}
	return "妹"
}

func (g *gen) genElderParentChild(room int) {
	m, f := -1, -1
	switch cfg := g.choose(0.55, 0.30, 0.15); {
	case cfg == 1 && room >= 3:
		f = g.pick(male, 68, maxAge, nil)
		m = g.pick(female, max(60, f-12), f+6, func(a int) float64 { return gauss(float64(f-a-3), 3) })
	case cfg == 2:
		f = g.pick(male, 68, maxAge, nil)
	default:
		m = g.pick(female, 68, maxAge, nil)
	}
	np := 1
	if m >= 0 && f >= 0 {
		np = 2
	}
	var lo, hi int
	var centre float64
	if m >= 0 {
		lo, hi, centre = max(18, m-44), min(m-21, 79), float64(m)-30
	} else {
		lo, hi, centre = max(18, f-55), min(f-22, 79), float64(f)-33
	}
	near := func(a int) float64 { return gauss(float64(a)-centre, 6) }
	cs1, c1 := g.pickJoint(lo, hi, 1, near)
	cs2, c2 := 0, -1
	if room >= np+2 && hi > lo && g.rng.Float64() < 0.2 {
		cs2, c2 = g.pickJoint(lo, hi, 1, func(a int) float64 {
			if a == c1 {
				return 0
			}
			return near(a)
		})
		if c2 > c1 {
			cs1, c1, cs2, c2 = cs2, c2, cs1, c1
		}
	}
	if g.rng.Float64() < 0.35 {
		// The (eldest) child is the head.
		g.add(cs1, c1, "世帯主")
		if c2 >= 0 {
			g.add(cs2, c2, siblingRel(cs2, c2, c1))
			g.fixPair(0, 1)
		}
		if f >= 0 {
			g.add(male, f, "父")
		}
		if m >= 0 {
			g.add(female, m, "母")
		}
		return
	}
	if f >= 0 {
		g.add(male, f, "世帯主")
		if m >= 0 {
			g.add(female, m, "妻")
		}
	} else {
		g.add(female, m, "世帯主")
	}
	start := len(g.hh)
	g.add(cs1, c1, "子")
	if c2 >= 0 {
		g.add(cs2, c2, "子")
	}
	g.fixSiblings(start, len(g.hh))
}

func (g *gen) genSiblings() {
	hs, h := g.pickJoint(40, 90, 1, nil)
	ss, s := g.pickJoint(max(30, h-12), h+12, 1, func(a int) float64 {
		if a == h {
			return 0
		}
		return 1
	})
	g.add(hs, h, "世帯主")
	g.add(ss, s, siblingRel(ss, s, h))
	if s > h {
		g.fixPair(1, 0)
	} else {
		g.fixPair(0, 1)
	}
}

func (g *gen) genLodger() {
	hs, h := g.pickJoint(25, 85, 1, nil)
	ls, l := g.pickJoint(max(20, h-10), h+10, 1, nil)
	g.add(hs, h, "世帯主")
	i := g.add(ls, l, "同居人")
	g.hh[i].lodger = true
}

// finishHousehold turns the members in g.hh into a Household and Residents.
func (g *gen) finishHousehold() {
	c := g.city
	hcode := code("H", 7, len(c.Households)+1)
	area := g.pickArea()
	sur := surnames[g.pickSurname()]
	base := len(c.Residents)
	h := Household{
		Code:        hcode,
		AreaCode:    area.Code,
		Address:     g.address(area),
		Members:     make([]int, len(g.hh)),
		ElderlyOnly: true,
	}
	for i, p := range g.hh {
		fam := sur
		if p.lodger {
			for fam == sur {
				fam = surnames[g.pickSurname()]
			}
		}
		by, _, _ := civilFromDays(p.day)
		given := g.pickGiven(p.sex, by, base)
		sex := "male"
		if p.sex == female {
			sex = "female"
		}
		r := Resident{
			Key:            code("R", 7, base+i+1),
			HouseholdCode:  hcode,
			FamilyName:     fam.kanji,
			GivenName:      given.kanji,
			FamilyNameKana: fam.kana,
			GivenNameKana:  given.kana,
			BirthDate:      formatDay(p.day),
			Sex:            sex,
			Relationship:   p.rel,
		}
		if p.g1 >= 0 || p.g2 >= 0 {
			for _, gi := range [2]int{p.g1, p.g2} {
				if gi >= 0 {
					r.GuardianKeys = append(r.GuardianKeys, code("R", 7, base+gi+1))
				}
			}
		}
		c.Residents = append(c.Residents, r)
		h.Members[i] = base + i
		if p.age < 65 {
			h.ElderlyOnly = false
		}
	}
	h.LivingAlone = h.ElderlyOnly && len(h.Members) == 1
	c.Households = append(c.Households, h)
}

// pickGiven draws a given name that no earlier member of the household
// (residents from index base on) already has.
func (g *gen) pickGiven(sex, birthYear, base int) name {
	list := givenNames(sex, birthYear)
	var n name
	for try := 0; try < 8; try++ {
		n = list[g.rng.IntN(len(list))]
		dup := false
		for _, r := range g.city.Residents[base:] {
			if r.GivenName == n.kanji || r.GivenNameKana == n.kana {
				dup = true
				break
			}
		}
		if !dup {
			break
		}
	}
	return n
}
