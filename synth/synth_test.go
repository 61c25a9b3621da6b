package synth

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sync"
	"testing"
	"time"
)

// testToday is the civil date used by the statistical tests.
var testToday = time.Date(2026, 11, 26, 10, 0, 0, 0, jst)

var (
	bigOnce sync.Once
	bigCity *City
	bigErr  error
)

// city105k returns the 105,000-resident city for seed 1 (generated once).
func city105k(t testing.TB) *City {
	t.Helper()
	bigOnce.Do(func() {
		bigCity, bigErr = Generate(Config{Residents: 105000, Seed: 1, Today: testToday})
	})
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return bigCity
}

func mustGenerate(t testing.TB, n int, seed uint64) *City {
	t.Helper()
	c, err := Generate(Config{Residents: n, Seed: seed, Today: testToday})
	if err != nil {
		t.Fatalf("Generate(%d, %d): %v", n, seed, err)
	}
	return c
}

// parseDate parses "YYYY-MM-DD" strictly (it must round-trip).
func parseDate(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Format(time.DateOnly) != s {
		t.Fatalf("invalid date %q: %v", s, err)
	}
	return d
}

// testAge is an independent implementation of "completed years on day".
func testAge(birth, on time.Time) int {
	a := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		a--
	}
	return a
}

func ages(t testing.TB, c *City, today time.Time) []int {
	t.Helper()
	out := make([]int, len(c.Residents))
	for i, r := range c.Residents {
		out[i] = testAge(parseDate(t, r.BirthDate), today)
	}
	return out
}

func isKatakana(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'ァ' && r <= 'ヺ') && r != 'ー' {
			return false
		}
	}
	return true
}

func TestGenerateDeterministic(t *testing.T) {
	for _, n := range []int{1, 50, 2000} {
		a := mustGenerate(t, n, 42)
		b := mustGenerate(t, n, 42)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("n=%d: same config gave different cities", n)
		}
	}
	a := mustGenerate(t, 2000, 1)
	b := mustGenerate(t, 2000, 2)
	if reflect.DeepEqual(a, b) {
		t.Fatal("different seeds gave identical cities")
	}
	same := 0
	for i := range a.Residents {
		ra, rb := a.Residents[i], b.Residents[i]
		if ra.FamilyName == rb.FamilyName && ra.GivenName == rb.GivenName && ra.BirthDate == rb.BirthDate {
			same++
		}
	}
	if same > len(a.Residents)/10 {
		t.Errorf("seeds 1 and 2 share %d of %d residents", same, len(a.Residents))
	}
}

func TestTodayIsTokyoCivilDate(t *testing.T) {
	// 2026-11-25 20:00 UTC is 2026-11-26 05:00 in Tokyo.
	utc := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	a, err := Generate(Config{Residents: 300, Seed: 9, Today: utc})
	if err != nil {
		t.Fatal(err)
	}
	b := mustGenerate(t, 300, 9)
	if !reflect.DeepEqual(a, b) {
		t.Error("Today was not interpreted as the Asia/Tokyo civil date")
	}
}

func TestInvalidResidents(t *testing.T) {
	for _, n := range []int{0, -1, maxResidents + 1} {
		if c, err := Generate(Config{Residents: n, Seed: 1, Today: testToday}); err == nil || c != nil {
			t.Errorf("Residents=%d: want error, got city=%v err=%v", n, c != nil, err)
		}
	}
}

func TestResidentCountIsExact(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 7, 10, 99, 2000, 12345} {
		for seed := uint64(0); seed < 4; seed++ {
			c := mustGenerate(t, n, seed)
			if len(c.Residents) != n {
				t.Errorf("n=%d seed=%d: got %d residents", n, seed, len(c.Residents))
			}
		}
	}
}

// checkCity verifies the structural invariants of a city.
func checkCity(t *testing.T, c *City, today time.Time) {
	// Areas.
	areas := map[string]Area{}
	for _, a := range c.Areas {
		if _, dup := areas[a.Code]; dup || a.Code == "" {
			t.Errorf("area code %q empty or duplicated", a.Code)
		}
		areas[a.Code] = a
		if a.Name == "" || !isKatakana(a.Kana) {
			t.Errorf("area %q: bad name/kana %q %q", a.Code, a.Name, a.Kana)
		}
	}
	isSub := func(code string) bool { a, ok := areas[code]; return ok && a.Parent != "" }
	for _, a := range c.Areas {
		if a.Parent != "" && (areas[a.Parent].Code == "" || areas[a.Parent].Parent != "") {
			t.Errorf("area %q: parent %q is not a district", a.Code, a.Parent)
		}
	}

	// Households and residents.
	resAge := ages(t, c, today)
	seen := make([]int, len(c.Residents))
	hcodes := map[string]bool{}
	keys := map[string]int{}
	for i, r := range c.Residents {
		if _, dup := keys[r.Key]; dup || r.Key == "" {
			t.Fatalf("resident key %q empty or duplicated", r.Key)
		}
		keys[r.Key] = i
	}
	relOK := map[string]bool{"世帯主": true, "妻": true, "夫": true, "子": true, "父": true, "母": true, "孫": true,
		"子の妻": true, "兄": true, "姉": true, "弟": true, "妹": true, "同居人": true}
	for _, h := range c.Households {
		if hcodes[h.Code] || h.Code == "" {
			t.Fatalf("household code %q empty or duplicated", h.Code)
		}
		hcodes[h.Code] = true
		if !isSub(h.AreaCode) {
			t.Errorf("household %s: area %q is not a sub-area", h.Code, h.AreaCode)
		}
		if h.Address == "" {
			t.Errorf("household %s: empty address", h.Code)
		}
		if len(h.Members) == 0 {
			t.Fatalf("household %s has no members", h.Code)
		}
		allOld := true
		heads := 0
		for j, m := range h.Members {
			if m < 0 || m >= len(c.Residents) {
				t.Fatalf("household %s: member index %d out of range", h.Code, m)
			}
			seen[m]++
			r := c.Residents[m]
			if r.HouseholdCode != h.Code {
				t.Errorf("resident %s: household %q, listed in %s", r.Key, r.HouseholdCode, h.Code)
			}
			if resAge[m] < 65 {
				allOld = false
			}
			if r.Relationship == "世帯主" {
				heads++
				if j != 0 {
					t.Errorf("household %s: head is not Members[0]", h.Code)
				}
			}
			head := c.Residents[h.Members[0]]
			if r.Relationship != "同居人" && (r.FamilyName != head.FamilyName || r.FamilyNameKana != head.FamilyNameKana) {
				t.Errorf("household %s: %s has surname %s, head %s", h.Code, r.Key, r.FamilyName, head.FamilyName)
			}
			if r.Relationship == "同居人" && r.FamilyName == head.FamilyName {
				t.Errorf("household %s: 同居人 %s shares the head's surname", h.Code, r.Key)
			}
		}
		if heads != 1 {
			t.Errorf("household %s: %d heads", h.Code, heads)
		}
		if h.ElderlyOnly != allOld {
			t.Errorf("household %s: ElderlyOnly=%v, all 65+=%v", h.Code, h.ElderlyOnly, allOld)
		}
		if want := allOld && len(h.Members) == 1; h.LivingAlone != want {
			t.Errorf("household %s: LivingAlone=%v, want %v", h.Code, h.LivingAlone, want)
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("resident %s is in %d households", c.Residents[i].Key, n)
		}
	}

	for i, r := range c.Residents {
		if r.FamilyName == "" || r.GivenName == "" || !isKatakana(r.FamilyNameKana) || !isKatakana(r.GivenNameKana) {
			t.Errorf("resident %s: bad names %q %q %q %q", r.Key, r.FamilyName, r.GivenName, r.FamilyNameKana, r.GivenNameKana)
		}
		if r.Sex != "male" && r.Sex != "female" {
			t.Errorf("resident %s: sex %q", r.Key, r.Sex)
		}
		if !relOK[r.Relationship] {
			t.Errorf("resident %s: relationship %q", r.Key, r.Relationship)
		}
		birth := parseDate(t, r.BirthDate)
		if resAge[i] < 0 || resAge[i] > 110 {
			t.Errorf("resident %s: age %d", r.Key, resAge[i])
		}
		if resAge[i] >= 18 {
			if len(r.GuardianKeys) != 0 {
				t.Errorf("adult %s has guardians %v", r.Key, r.GuardianKeys)
			}
			continue
		}
		if len(r.GuardianKeys) == 0 || len(r.GuardianKeys) > 2 {
			t.Errorf("minor %s has %d guardians", r.Key, len(r.GuardianKeys))
		}
		for _, gk := range r.GuardianKeys {
			gi, ok := keys[gk]
			if !ok {
				t.Errorf("minor %s: unknown guardian %q", r.Key, gk)
				continue
			}
			gr := c.Residents[gi]
			if gr.HouseholdCode != r.HouseholdCode {
				t.Errorf("minor %s: guardian %s lives elsewhere", r.Key, gk)
			}
			gb := parseDate(t, gr.BirthDate)
			if gb.AddDate(16, 0, 0).After(birth) {
				t.Errorf("minor %s (%s): guardian %s (%s) is not 16+ years older", r.Key, r.BirthDate, gk, gr.BirthDate)
			}
			if gr.Sex == "female" {
				if a := testAge(gb, birth); a < 20 || a > 45 {
					t.Errorf("minor %s: mother %s was %d at the birth", r.Key, gk, a)
				}
			}
		}
	}

	// Siblings (minors sharing the first guardian) are born at least ~10
	// months apart.
	byGuardian := map[string][]time.Time{}
	for _, r := range c.Residents {
		if len(r.GuardianKeys) > 0 {
			byGuardian[r.GuardianKeys[0]] = append(byGuardian[r.GuardianKeys[0]], parseDate(t, r.BirthDate))
		}
	}
	for gk, births := range byGuardian {
		for i := range births {
			for j := i + 1; j < len(births); j++ {
				d := births[i].Sub(births[j]).Hours() / 24
				if math.Abs(d) < 290 {
					t.Errorf("children of %s born %v days apart", gk, d)
				}
			}
		}
	}

	// Facilities.
	fcodes, fnames, phones := map[string]bool{}, map[string]bool{}, map[string]bool{}
	phoneRE := regexp.MustCompile(`^0897-55-\d{4}$`)
	types := map[string]bool{TypeNursery: true, TypeKindergarten: true, TypeKodomoen: true, TypeClinic: true,
		TypeHospital: true, TypeHealthCenter: true, TypeChildSupportCenter: true, TypeCommunityCenter: true}
	for _, f := range c.Facilities {
		if fcodes[f.Code] || f.Code == "" || fnames[f.Name] || phones[f.Phone] {
			t.Errorf("facility %q: code, name %q or phone %q duplicated/empty", f.Code, f.Name, f.Phone)
		}
		fcodes[f.Code], fnames[f.Name], phones[f.Phone] = true, true, true
		if !types[f.Type] {
			t.Errorf("facility %s: type %q", f.Code, f.Type)
		}
		if !phoneRE.MatchString(f.Phone) {
			t.Errorf("facility %s: phone %q", f.Code, f.Phone)
		}
		if f.Name == "" || !isKatakana(f.Kana) || f.Hours == "" || f.Address == "" {
			t.Errorf("facility %s: incomplete %+v", f.Code, f)
		}
		childcare := f.Type == TypeNursery || f.Type == TypeKindergarten || f.Type == TypeKodomoen
		if !childcare && len(f.Services) == 0 { // childcare services are optional extras
			t.Errorf("facility %s: no services", f.Code)
		}
		if !isSub(f.AreaCode) {
			t.Errorf("facility %s: area %q is not a sub-area", f.Code, f.AreaCode)
			continue
		}
		a := areas[f.AreaCode]
		dy := (f.Lat - a.Lat) * 111.0
		dx := (f.Lng - a.Lng) * 111.0 * math.Cos(a.Lat*math.Pi/180)
		if km := math.Hypot(dx, dy); km > 2 {
			t.Errorf("facility %s is %.2f km from the centre of %s", f.Code, km, a.Code)
		}
		if childcare != (f.Capacity > 0) {
			t.Errorf("facility %s (%s): capacity %d", f.Code, f.Type, f.Capacity)
		}
	}

	// Organizations.
	ocodes := map[string]bool{}
	kinds := map[string]bool{"minsei": true, "shakyo": true, "npo": true, "postal": true, "company": true}
	for _, o := range c.Organizations {
		if ocodes[o.Code] || o.Code == "" || o.Name == "" {
			t.Errorf("organization %q: code duplicated or name empty", o.Code)
		}
		ocodes[o.Code] = true
		if !kinds[o.Kind] {
			t.Errorf("organization %s: kind %q", o.Code, o.Kind)
		}
		if _, ok := areas[o.AreaCode]; !ok {
			t.Errorf("organization %s: unknown area %q", o.Code, o.AreaCode)
		}
	}
}

func TestInvariants(t *testing.T) {
	for _, tc := range []struct {
		n    int
		seed uint64
	}{{1, 1}, {2, 5}, {3, 7}, {4, 11}, {17, 3}, {2000, 1}, {2000, 77}, {30000, 4}} {
		t.Run(fmt.Sprintf("n=%d/seed=%d", tc.n, tc.seed), func(t *testing.T) {
			checkCity(t, mustGenerate(t, tc.n, tc.seed), testToday)
		})
	}
	t.Run("n=105000/seed=1", func(t *testing.T) { checkCity(t, city105k(t), testToday) })
	t.Run("leap-day today", func(t *testing.T) {
		today := time.Date(2028, 2, 29, 0, 0, 0, 0, jst)
		c, err := Generate(Config{Residents: 3000, Seed: 3, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		checkCity(t, c, today)
	})
}

func TestAgeStructure105k(t *testing.T) {
	c := city105k(t)
	age := ages(t, c, testToday)
	n := float64(len(c.Residents))
	var old, zero, kids, young5, older5, max int
	var men90, women90, aloneMen, aloneWomen int
	for i, a := range age {
		switch {
		case a >= 65:
			old++
		case a < 15:
			kids++
		}
		if a == 0 {
			zero++
		}
		if a < 5 {
			young5++
		}
		if a >= 10 && a < 15 {
			older5++
		}
		if a > max {
			max = a
		}
		if a >= 90 {
			if c.Residents[i].Sex == "male" {
				men90++
			} else {
				women90++
			}
		}
	}
	for _, h := range c.Households {
		if h.LivingAlone {
			if c.Residents[h.Members[0]].Sex == "male" {
				aloneMen++
			} else {
				aloneWomen++
			}
		}
	}
	if s := 100 * float64(old) / n; math.Abs(s-34) > 2 {
		t.Errorf("65+ share %.2f%%, want 34±2", s)
	}
	if zero < 510 || zero > 690 {
		t.Errorf("%d residents aged 0, want 600±90", zero)
	}
	if s := 100 * float64(kids) / n; s < 11.5 || s > 13.5 {
		t.Errorf("0–14 share %.2f%%, want about 12–13%%", s)
	}
	if older5 <= young5 {
		t.Errorf("ages 10–14: %d, ages 0–4: %d; want older cohorts larger", older5, young5)
	}
	if max < 98 {
		t.Errorf("oldest resident is %d", max)
	}
	if women90 <= men90*3/2 {
		t.Errorf("aged 90+: %d women, %d men; want clearly more women", women90, men90)
	}
	if aloneWomen <= aloneMen {
		t.Errorf("living alone: %d women, %d men; want more women", aloneWomen, aloneMen)
	}
	if share := float64(aloneMen+aloneWomen) / float64(old); share < 0.12 || share > 0.30 {
		t.Errorf("%.2f of the elderly live alone", share)
	}
	if avg := n / float64(len(c.Households)); avg < 2.2 || avg > 2.4 {
		t.Errorf("average household size %.3f, want 2.2–2.4", avg)
	}
	t.Logf("65+ %.2f%%, aged 0: %d, 0–14 %.2f%%, households %d (avg %.3f), living alone %d",
		100*float64(old)/n, zero, 100*float64(kids)/n, len(c.Households), n/float64(len(c.Households)), aloneMen+aloneWomen)
}

func TestHouseholdTypes105k(t *testing.T) {
	c := city105k(t)
	age := ages(t, c, testToday)
	var threeGen, singleParent, coupleKids, elderCouple, lodger, siblings int
	kidsPerFamily := map[int]int{}
	for _, h := range c.Households {
		rels := map[string]int{}
		minors := 0
		for _, m := range h.Members {
			rels[c.Residents[m].Relationship]++
			if age[m] < 18 {
				minors++
			}
		}
		switch {
		case rels["孫"] > 0 || (rels["子"] > 0 && (rels["父"] > 0 || rels["母"] > 0)):
			threeGen++
		case minors > 0 && len(h.Members) == 1+rels["子"]:
			singleParent++
		case minors > 0 && (rels["妻"] == 1 || rels["夫"] == 1):
			coupleKids++
			kidsPerFamily[rels["子"]]++
		case h.ElderlyOnly && len(h.Members) == 2 && (rels["妻"] == 1 || rels["夫"] == 1):
			elderCouple++
		}
		if rels["同居人"] > 0 {
			lodger++
		}
		if rels["兄"]+rels["姉"]+rels["弟"]+rels["妹"] > 0 {
			siblings++
		}
	}
	hh := float64(len(c.Households))
	for _, tc := range []struct {
		name     string
		got      int
		min, max float64 // share of households
	}{
		{"three-generation", threeGen, 0.03, 0.12},
		{"single parent with minors", singleParent, 0.01, 0.06},
		{"couple with minors", coupleKids, 0.08, 0.25},
		{"elderly couple", elderCouple, 0.08, 0.22},
		{"with 同居人", lodger, 0.0005, 0.02},
		{"with siblings", siblings, 0.002, 0.05},
	} {
		if s := float64(tc.got) / hh; s < tc.min || s > tc.max {
			t.Errorf("%s households: %d (%.3f), want share in [%.3f, %.3f]", tc.name, tc.got, s, tc.min, tc.max)
		}
	}
	for k := 1; k <= 3; k++ {
		if kidsPerFamily[k] == 0 {
			t.Errorf("no couple household with %d children", k)
		}
	}
}

func TestDistrictShares105k(t *testing.T) {
	c := city105k(t)
	parent := map[string]string{}
	for _, a := range c.Areas {
		parent[a.Code] = a.Parent
	}
	count := map[string]int{}
	for _, h := range c.Households {
		count[parent[h.AreaCode]] += len(h.Members)
	}
	for _, tc := range []struct {
		code  string
		share float64
	}{{"saijo", 0.55}, {"toyo", 0.27}, {"tambara", 0.11}, {"komatsu", 0.07}} {
		if s := float64(count[tc.code]) / float64(len(c.Residents)); math.Abs(s-tc.share) > 0.03 {
			t.Errorf("district %s has %.3f of residents, want %.2f±0.03", tc.code, s, tc.share)
		}
	}
}

func TestDistrictsAndAreas(t *testing.T) {
	d := Districts()
	want := []struct {
		code, name string
		lat, lng   float64
	}{{"saijo", "西条", 33.92, 133.18}, {"toyo", "東予", 33.93, 133.10}, {"tambara", "丹原", 33.87, 133.09}, {"komatsu", "小松", 33.88, 133.13}}
	if len(d) != len(want) {
		t.Fatalf("got %d districts", len(d))
	}
	for i, w := range want {
		if d[i].Code != w.code || d[i].Name != w.name || d[i].Parent != "" {
			t.Errorf("district %d = %+v", i, d[i])
		}
		if math.Abs(d[i].Lat-w.lat) > 0.02 || math.Abs(d[i].Lng-w.lng) > 0.02 {
			t.Errorf("district %s at %.3f,%.3f", w.code, d[i].Lat, d[i].Lng)
		}
	}
	d[0].Name = "changed"
	if Districts()[0].Name != "西条" {
		t.Error("Districts returned shared state")
	}

	c := mustGenerate(t, 10, 1)
	subs := map[string]int{}
	for _, a := range c.Areas {
		if a.Parent != "" {
			subs[a.Parent]++
		}
	}
	for _, w := range want {
		if n := subs[w.code]; n < 3 || n > 8 {
			t.Errorf("district %s has %d sub-areas", w.code, n)
		}
	}
	for _, s := range subAreas {
		if len(s.Towns) == 0 {
			t.Errorf("sub-area %s has no towns", s.Code)
		}
	}
}

func facilityCounts(c *City) (byType map[string]int, vaccinating int) {
	byType = map[string]int{}
	for _, f := range c.Facilities {
		byType[f.Type]++
		ped, vac := false, false
		for _, s := range f.Services {
			ped = ped || s == "pediatrics"
			vac = vac || s == "vaccination"
		}
		if f.Type == TypeClinic && ped && vac {
			vaccinating++
		}
	}
	return byType, vaccinating
}

func TestFacilityCounts(t *testing.T) {
	all := []string{TypeNursery, TypeKindergarten, TypeKodomoen, TypeClinic, TypeHospital,
		TypeHealthCenter, TypeChildSupportCenter, TypeCommunityCenter}
	for _, n := range []int{1, 2000} {
		byType, vac := facilityCounts(mustGenerate(t, n, 1))
		for _, typ := range all {
			if byType[typ] < 1 {
				t.Errorf("n=%d: no %s", n, typ)
			}
		}
		if byType[TypeNursery] < 3 {
			t.Errorf("n=%d: %d nurseries, want at least 3", n, byType[TypeNursery])
		}
		if vac < 2 {
			t.Errorf("n=%d: %d clinics offering vaccination, want at least 2", n, vac)
		}
	}
	byType, vac := facilityCounts(city105k(t))
	want := map[string]int{TypeNursery: 25, TypeKindergarten: 8, TypeKodomoen: 6, TypeClinic: 45, TypeHospital: 4,
		TypeHealthCenter: 2, TypeChildSupportCenter: 4, TypeCommunityCenter: 10}
	for _, typ := range all {
		if byType[typ] != want[typ] {
			t.Errorf("105k: %d %s, want %d", byType[typ], typ, want[typ])
		}
	}
	if vac < 8 || vac > 12 {
		t.Errorf("105k: %d clinics with pediatrics and vaccination, want about 10", vac)
	}
}

func TestOrganizationsPerDistrict(t *testing.T) {
	c := mustGenerate(t, 100, 1)
	district := map[string]string{}
	for _, a := range c.Areas {
		district[a.Code] = a.Code
		if a.Parent != "" {
			district[a.Code] = a.Parent
		}
	}
	has := map[string]bool{}
	shakyo := 0
	for _, o := range c.Organizations {
		has[district[o.AreaCode]+"/"+o.Kind] = true
		if o.Kind == "shakyo" {
			shakyo++
		}
	}
	if shakyo == 0 {
		t.Error("no shakyo")
	}
	for _, d := range Districts() {
		for _, kind := range []string{"minsei", "postal", "npo"} {
			if !has[d.Code+"/"+kind] {
				t.Errorf("district %s has no %s organization", d.Code, kind)
			}
		}
	}
}

func TestNameLists(t *testing.T) {
	if len(surnames) < 60 {
		t.Errorf("%d surnames, want at least 60", len(surnames))
	}
	check := func(label string, list []name) {
		seen := map[string]bool{}
		for _, n := range list {
			if n.kanji == "" || !isKatakana(n.kana) {
				t.Errorf("%s: bad entry %q %q", label, n.kanji, n.kana)
			}
			if seen[n.kanji] {
				t.Errorf("%s: %s listed twice", label, n.kanji)
			}
			seen[n.kanji] = true
		}
	}
	check("surnames", surnames)
	for _, tc := range []struct {
		label string
		lists [][]name
	}{
		{"male", [][]name{maleOld, maleMid, maleYoung}},
		{"female", [][]name{femaleOld, femaleMid, femaleYoung}},
	} {
		total := 0
		for i, l := range tc.lists {
			check(fmt.Sprintf("%s[%d]", tc.label, i), l)
			total += len(l)
			if len(l) < 15 {
				t.Errorf("%s generation %d has only %d names", tc.label, i, len(l))
			}
		}
		if total < 40 {
			t.Errorf("%s: %d given names, want at least 40", tc.label, total)
		}
	}
	if got := givenNames(female, 1940)[0].kanji; got != femaleOld[0].kanji {
		t.Errorf("givenNames(female, 1940) starts with %s", got)
	}
	if got := givenNames(male, 2020)[0].kanji; got != maleYoung[0].kanji {
		t.Errorf("givenNames(male, 2020) starts with %s", got)
	}
}

func TestAgeAt(t *testing.T) {
	for _, tc := range []struct {
		birth, on string
		want      int
	}{
		{"2000-01-01", "2026-11-26", 26},
		{"2000-11-26", "2026-11-26", 26},
		{"2000-11-27", "2026-11-26", 25},
		{"2026-11-26", "2026-11-26", 0},
		{"2025-11-27", "2026-11-26", 0},
		{"2025-11-26", "2026-11-26", 1},
		{"2004-02-29", "2027-02-28", 22},
		{"2004-02-29", "2027-03-01", 23},
		{"2004-02-29", "2028-02-29", 24},
		{"1920-03-01", "2028-02-29", 107},
	} {
		b, o := parseDate(t, tc.birth), parseDate(t, tc.on)
		got := ageAt(b.Year(), int(b.Month()), b.Day(), o.Year(), int(o.Month()), o.Day())
		if got != tc.want {
			t.Errorf("ageAt(%s, %s) = %d, want %d", tc.birth, tc.on, got, tc.want)
		}
	}
}

func TestCivilDays(t *testing.T) {
	start := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := start; d.Year() < 2040; d = d.AddDate(0, 0, 1) {
		z := daysFromCivil(d.Year(), int(d.Month()), d.Day())
		if want := int(d.Unix() / 86400); z != want {
			t.Fatalf("daysFromCivil(%s) = %d, want %d", d.Format(time.DateOnly), z, want)
		}
		if s := formatDay(z); s != d.Format(time.DateOnly) {
			t.Fatalf("formatDay(%d) = %s, want %s", z, s, d.Format(time.DateOnly))
		}
	}
}

func TestAgeWindows(t *testing.T) {
	for _, today := range []string{"2026-11-26", "2028-02-29", "2027-02-28", "2027-03-01", "2026-01-01"} {
		td := parseDate(t, today)
		y, m, d := td.Year(), int(td.Month()), td.Day()
		lo, hi := ageWindows(y, m, d)
		for a := 0; a <= maxAge; a++ {
			if ageOnDay(lo[a], y, m, d) != a || ageOnDay(hi[a], y, m, d) != a ||
				ageOnDay(lo[a]-1, y, m, d) != a+1 || ageOnDay(hi[a]+1, y, m, d) != a-1 {
				t.Errorf("today %s age %d: window %s..%s", today, a, formatDay(lo[a]), formatDay(hi[a]))
			}
		}
	}
}

func TestQuotas(t *testing.T) {
	for _, n := range []int{1, 7, 2000, 105000} {
		q := quotas(n)
		total := 0
		for s := range 2 {
			for _, v := range q[s] {
				if v < 0 {
					t.Fatalf("n=%d: negative quota", n)
				}
				total += v
			}
		}
		if total != n {
			t.Errorf("quotas(%d) sum to %d", n, total)
		}
	}
	q := quotas(105000)
	if born := q[male][0] + q[female][0]; born < 590 || born > 610 {
		t.Errorf("target births %d", born)
	}
}

func BenchmarkGenerate105k(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Config{Residents: 105000, Seed: 1, Today: testToday}); err != nil {
			b.Fatal(err)
		}
	}
}
